//===- Stages.h - Print each stage of the compilation -----------*- C++ -*-===//
//
// `aec compile --emit=STAGE`: builds a model's module and runs the pipeline up
// to STAGE. No MLIR type appears here, so the driver stays a light
// translation unit.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_PIPELINE_STAGES_H
#define AENET_PIPELINE_STAGES_H

#include "aenet/Frontend/EntryFunctions.h"
#include "aenet/Lang/Sema.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace aenet {

enum class Stage {
  Aenet,  ///< the model as aenet ops
  Grad,   ///< train_step: aenet-autodiff, aenet-apply-optimizer
  Bound,  ///< entry functions on runtime-owned buffers (aenet-bind-buffers)
  OneDNN, ///< oneDNN backend: supported ops became runtime kernel calls
  Linalg, ///< after aenet-lower-to-linalg
  Llvm,   ///< the LLVM dialect, ready for the JIT
};

/// Where the heavy ops run: loops compiled by MLIR, or oneDNN primitives
/// (ops oneDNN lacks still become loops).
enum class Backend { Loops, OneDNN };

class CompileCache;

struct CompileOptions {
  int64_t batch = 32; ///< 0: the train block's batch (32 without one)
  bool useF64 = false;
  Backend backend = Backend::OneDNN;
  /// A sub-model: the values it starts from and ends with (see
  /// FrontendOptions); |to| empty for the whole model.
  std::vector<int> from, to;
  /// Set: inference samples `sample_normal` (FrontendOptions::sampleSeed).
  std::optional<uint64_t> sampleSeed;
  /// The entry functions to compile (EntryFunction bits; a whole model's).
  unsigned entries = kAllEntries;
  /// Diagnostics are dropped instead of printed: for a compile that runs
  /// beside another of the same model, which reports the same errors.
  bool quiet = false;
  /// The steps run one per core, each on a slice of the batch: train_step
  /// becomes grad_step and apply_step (`aenet.data_parallel`).
  bool dataParallel = false;
  /// The gradients are summed over the processes of an mpirun job: train_step
  /// becomes grad_step and apply_step, and grad_step reports each gradient
  /// as it is computed (`aenet.exchanged_gradients`).
  bool exchangedGradients = false;
  /// The compiled loops run on the calling thread, never on MLIR's async
  /// runtime (`aenet.single_threaded`): for an exported library, which
  /// links no MLIR library.
  bool singleThreaded = false;
  /// Set: a program built before from the same aenet IR (up to the
  /// learning rate) for the same backend is taken from here instead of
  /// compiled again, and a new one is kept there (CompiledModel::compile).
  CompileCache *cache = nullptr;
};

/// "loops" or "onednn".
const char *backendName(Backend backend);

/// Prints |stage| of model |model| to |os|. Errors go to stderr as
/// `file:line:col: error: ...`; returns false after one.
bool printStage(const SourceFile &file, const CheckedProgram &program,
                int model, Stage stage, const CompileOptions &options,
                std::ostream &os);

} // namespace aenet

#endif // AENET_PIPELINE_STAGES_H
