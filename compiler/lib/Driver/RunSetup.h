//===- RunSetup.h - What train, eval and predict share ----------*- C++ -*-===//
//
// Picks the model and its train block (with command-line overrides), loads
// its data, and compiles it: the first half of every command that runs a
// model.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_RUNSETUP_H
#define AENET_LIB_DRIVER_RUNSETUP_H

#include "CompiledSteps.h"
#include "DataLoading.h"

#include "aenet/Driver/Commands.h"

namespace aenet {

struct RunSetup {
  int model = -1;
  /// The checked program, with the `?` extents of the model's inputs fixed
  /// by its data (sequences padded to their longest): what is compiled.
  CheckedProgram program;
  TrainPlan plan;
  std::string outDir;
  LoadedData data;
  rt::ParameterStore store;
  std::unique_ptr<CompiledSteps> steps;

  const ModelGraph &graph() const { return program.models[model]; }
};

/// Compiles |setup| (its data loaded by prepareData) for phase |phase| of
/// its train block, with that phase's optimizer and frozen set: the first
/// phase a run trains, so that a resumed run compiles no phase it skips.
/// Prints and returns false on a problem.
bool compilePhase(const SourceFile &file, const RunOptions &options,
                  RunSetup &setup, size_t phase);

/// Compiles |setup| anew for phase |phase| of its train block (its optimizer
/// and frozen set) into a fresh store: the parameters are carried over from
/// the current store, the optimizer state starts as a new optimizer's.
/// Prints and returns false on a problem.
bool enterPhase(const SourceFile &file, const RunOptions &options,
                RunSetup &setup, size_t phase, uint64_t seed);

/// Fills |setup|; prints `aec: error: ...` and returns false on a problem.
bool prepareRun(const SourceFile &file, const CheckedProgram &program,
                const RunOptions &options, RunSetup &setup);

/// The first half of prepareData, which reads no data: the model
/// (|options.model|, or the first with a train block) and its train block
/// with the command line's overrides (|setup|'s model, plan, outDir and
/// program). Enough to compile a sub-model whose shapes do not wait for the
/// data (no `?` extents). Prints `aec: error: ...` and returns false on a
/// problem, or when |options.sample| asks a model without `sample_normal`
/// to sample. With |options.sample| it settles the seed the draws are keyed
/// by in |setup.plan.seed|: --seed, else the train block's, else a fresh one
/// it prints (as aec train does).
bool chooseModel(const SourceFile &file, const CheckedProgram &program,
                 const RunOptions &options, RunSetup &setup);

/// prepareRun without compiling the model (|setup.steps| stays null): for
/// commands that compile only a part of it (SubModel.h).
bool prepareData(const SourceFile &file, const CheckedProgram &program,
                 const RunOptions &options, RunSetup &setup);

/// The samples of `--inputs`: one array per array of |like| (the model's
/// data set), from the tensor of |path| with its name and the shape [N,
/// sample shape]. Inputs no layer of |graph| reads may be left out
/// (zeros); a padded input's lengths too (its full length). Throws
/// rt::DataError (Inference.cpp).
rt::Dataset readInputs(const std::string &path, const rt::Dataset &like,
                       const ModelGraph &graph);

/// "1,234" style.
std::string thousands(int64_t n);

} // namespace aenet

#endif // AENET_LIB_DRIVER_RUNSETUP_H
