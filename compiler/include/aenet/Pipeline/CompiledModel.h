//===- CompiledModel.h - A model compiled to machine code -------*- C++ -*-===//
//
// The JIT's product: the entry points `train_step` (or, data-parallel,
// `grad_step` and `apply_step`), `evaluate` and `predict` of one model,
// each with the list of buffers it reads and writes, named as the runtime
// knows them (inputs, parameters, optimizer states, ...). The
// runtime allocates every buffer once, binds them to an entry point, and
// calls it per batch. No MLIR type appears here.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_PIPELINE_COMPILEDMODEL_H
#define AENET_PIPELINE_COMPILEDMODEL_H

#include "aenet/Pipeline/Stages.h"
#include "aenet/Runtime/Initializers.h"
#include "aenet/Runtime/KernelAbi.h"
#include "aenet/Runtime/ScalarFinish.h"

namespace mlir {
class ModuleOp;
} // namespace mlir

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace aenet {

/// One argument of a compiled entry point.
struct BufferSlot {
  /// LayerState: a stateful recurrent layer's state (`lstm.h`, `lstm.c`),
  /// [batch, units], carried from one call to the next. Gradient: the
  /// gradient of the parameter |name|, which a data-parallel module's
  /// grad_step writes and apply_step reads. Hyperparameter: a setting the
  /// program reads from a scalar rather than bakes in, by |name|
  /// ("learning_rate", a noise's "<layer>.stddev"); |init| is the value it
  /// was built with, for a caller that compiled it itself (never one from a
  /// CompileCache: see CompileReport).
  enum class Kind {
    Input,
    Param,
    State,
    LayerState,
    Seed,
    Step,
    Hyperparameter,
    Scalars,
    Output,
    Gradient
  };
  Kind kind;
  std::string name;           ///< input, parameter, state or output name
  std::vector<int64_t> shape; ///< static, batch first for per-sample data
  bool frozen = false;        ///< parameters that are not trained
  /// Parameters: how the runtime fills the buffer before the first step.
  rt::InitializerSpec initializer;
  double init = 0; ///< an optimizer state's first value; a hyperparameter's
  std::vector<std::string> scalarNames; ///< Scalars: what each element is
  /// Scalars: how each element's epoch value is made from its batch values.
  std::vector<rt::ScalarFinish> scalarFinishes;
  int64_t numElements() const;
};

struct EntryPoint {
  std::string name;
  std::vector<BufferSlot> slots;
  /// The argument that receives the state of the entry point's kernel call
  /// sites (oneDNN backend), or -1; and how many sites there are.
  int kernelSitesArg = -1;
  int64_t kernelSites = 0;
  /// The slot of |kind| named |name|, or -1.
  int find(BufferSlot::Kind kind, const std::string &name = "") const;
};

/// The values of a program's hyperparameters (BufferSlot::Kind::
/// Hyperparameter), by name.
using Hyperparameters = std::map<std::string, double>;
/// The hyperparameter name of the optimizer's learning rate.
inline constexpr char kLearningRateName[] = "learning_rate";

/// What CompiledModel::compile says about the program it returns.
struct CompileReport {
  /// Whether it came from the CompileCache.
  bool fromCache = false;
  /// This run's value of each of its hyperparameters, which the program,
  /// when it came from the cache, was built with other values of.
  Hyperparameters hyperparameters;
};

class CompiledModel {
public:
  ~CompiledModel();

  /// Compiles model |model| for |options.batch| (0: the train block's batch)
  /// down to machine code, or takes it from |options.cache| when a program
  /// of the same aenet IR, up to the values of its hyperparameters, is
  /// there; fills |report|. Errors are printed to stderr as
  /// `file:line:col: error: ...`; returns null after one.
  static std::shared_ptr<const CompiledModel>
  compile(const SourceFile &file, const CheckedProgram &program, int model,
          const CompileOptions &options, CompileReport *report = nullptr);

  /// Compiles a module given as aenet IR text (functions `train_loss` with
  /// `aenet.differentiate`, and any others, as the frontend would emit) from
  /// the aenet stage on, for |backend|; for tests of single ops. Errors go
  /// to stderr.
  static std::unique_ptr<CompiledModel>
  compileText(const std::string &mlir, Backend backend = Backend::Loops);

  int64_t batch() const { return batch_; }
  bool useF64() const { return useF64_; }
  const EntryPoint *entry(const std::string &name) const;

  /// A call of one entry point with its buffers bound; build once, run per
  /// batch. |buffers| holds one pointer per slot, in slot order, each to
  /// `numElements()` floats (doubles with f64; int64 for the seed). The Call
  /// owns the state of the entry point's kernel call sites (workspaces,
  /// reorder buffers), its own, freed with it.
  class Call {
  public:
    Call() = default;
    // The argument array points into the descriptors: movable, not copyable.
    Call(Call &&) = default;
    Call &operator=(Call &&) = default;
    Call(const Call &) = delete;
    Call &operator=(const Call &) = delete;
    void run();

  private:
    friend class CompiledModel;
    void (*fn_)(void **) = nullptr;
    std::unique_ptr<rt::KernelSites> sites_;
    std::vector<std::vector<int64_t>> descriptors_;
    std::vector<void *> descriptorPtrs_;
    std::vector<void *> args_;
  };
  Call bind(const std::string &entry, const std::vector<void *> &buffers) const;

private:
  CompiledModel();
  /// Lowers a module at the aenet stage and JIT-compiles it.
  static std::unique_ptr<CompiledModel>
  finish(mlir::ModuleOp module, bool useF64, Backend backend);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<EntryPoint> entries_;
  int64_t batch_ = 0;
  bool useF64_ = false;
};

/// Compiled programs kept by what they were compiled from: the aenet IR as
/// the frontend built it, up to the values of its hyperparameters (the
/// learning rate, noise deviations: arguments of the compiled code), the
/// backend and the element type. Runs that build the same program -- a
/// sweep's repeats, or its points whose parameters change only what the
/// runtime reads (hyperparameters, epochs, data files, the seed) -- then
/// compile it once. A program from here was built with another run's
/// hyperparameters: its Hyperparameter slots' |init| are not this run's.
/// Keeps the first |capacity| programs and no more:
/// a sweep's runs cycle through all of its points, where evicting the least
/// recently used would miss every time. Safe to use from several threads.
class CompileCache {
public:
  explicit CompileCache(size_t capacity) : capacity_(capacity) {}
  /// The program kept under |key|, or null.
  std::shared_ptr<const CompiledModel> find(const std::string &key) const;
  /// Keeps |model| under |key| unless the cache is full.
  void insert(const std::string &key,
              std::shared_ptr<const CompiledModel> model);

private:
  size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const CompiledModel>> programs_;
};

} // namespace aenet

#endif // AENET_PIPELINE_COMPILEDMODEL_H
