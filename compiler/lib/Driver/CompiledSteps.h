//===- CompiledSteps.h - The runtime's view of compiled code ----*- C++ -*-===//
//
// Implements the runtime's `BatchStepSource` with JIT-compiled entry points:
// one compiled model per batch size (the last, smaller batches of an epoch
// and of validation get their own, holding only the training step or only
// evaluate), every parameter and optimizer state bound to the shared
// `ParameterStore`, inputs and scalars to buffers owned here. Training may
// split each batch into slices run one per core (rt::SplitStep), each on a
// data-parallel program compiled for the slice's rows.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_COMPILEDSTEPS_H
#define AENET_LIB_DRIVER_COMPILEDSTEPS_H

#include "aenet/Pipeline/CompiledModel.h"
#include "aenet/Runtime/ParameterStore.h"
#include "aenet/Runtime/ProcessGroup.h"
#include "aenet/Runtime/SplitStep.h"
#include "aenet/Runtime/TrainLoop.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>

namespace aenet {

/// One entry point bound to its buffers.
class BoundEntry : public rt::BatchStep {
public:
  /// Binds |entry| of |model|; |arrayNames| and |arraySizes| (values per
  /// sample) describe the data set's arrays. An array the entry does not
  /// read (the lengths of padded sequences, before the compiled model masks
  /// them) still gets a buffer, which batches are gathered into and ignored.
  ///
  /// A slice of a split batch reads its rows in place: |rowInputs| holds
  /// where they begin in each array's batch buffer. The gradients an entry
  /// writes (grad_step) get buffers here; those it reads (apply_step) are
  /// |gradients|' buffers, by parameter name. The entry's hyperparameters
  /// (the learning rate, noise deviations) get |hyperparameters|' values:
  /// the run's, which a program shared with another run (CompileCache) was
  /// not built with.
  BoundEntry(const CompiledModel &model, const std::string &entry,
             rt::ParameterStore &store,
             const Hyperparameters &hyperparameters,
             const std::vector<std::string> &arrayNames,
             const std::vector<int64_t> &arraySizes,
             const std::vector<float *> &rowInputs = {},
             const std::map<std::string, float *> &gradients = {});

  float *input(int index) override;
  void run(int64_t step, uint64_t seed) override;
  const std::vector<double> &scalars() const override { return scalars_; }
  void resetStates() override;
  /// The output named |name| (predict), or null.
  const std::vector<float> *output(const std::string &name) const;
  /// The gradient buffers this entry writes, by parameter name, and their
  /// sizes.
  const std::map<std::string, float *> &gradients() const {
    return gradients_;
  }
  const std::map<std::string, int64_t> &gradientSizes() const {
    return gradientSizes_;
  }
  /// The names of the gradients this entry writes, in the order its
  /// aenet_gradient_ready calls number them.
  const std::vector<std::string> &gradientOrder() const {
    return gradientOrder_;
  }

private:
  std::vector<std::vector<float>> inputs_;   ///< per dataset array
  std::vector<std::vector<float>> buffers_;  ///< scalars and outputs
  /// Stateful layers' states, carried from run to run.
  std::vector<std::vector<float>> layerStates_;
  std::map<std::string, int> outputIndex_;
  std::map<std::string, float *> gradients_;
  std::map<std::string, int64_t> gradientSizes_;
  std::vector<std::string> gradientOrder_;
  /// Batch buffers owned elsewhere (a split batch's), per dataset array.
  std::vector<float *> rowInputs_;
  int scalarBuffer_ = -1;
  std::vector<double> scalars_;
  int64_t seed_ = 0;
  float step_ = 0;
  std::vector<float> hyperparameters_; ///< in slot order
  CompiledModel::Call call_;
};

class CompiledSteps : public rt::BatchStepSource {
public:
  /// Slices smaller than this would leave too little work per kernel.
  static constexpr int64_t kMinSliceRows = 16;

  CompiledSteps(const SourceFile &file, const CheckedProgram &program,
                   int model, int64_t batch, Backend backend,
                   rt::ParameterStore &store,
                   std::vector<std::string> arrayNames,
                   std::vector<int64_t> arraySizes);

  /// Splits each training and evaluation batch into up to |threads|
  /// slices of at least kMinSliceRows rows, run one per core (SplitStep.h),
  /// when the model allows: the oneDNN backend, no stateful layer, no random
  /// draws, a batch of at least two slices. Call before compile().
  void splitBatches(int threads) { slices_ = threads; }
  /// Trains as one of the ranks of |group| (mpirun): every training step
  /// is grad_step, then the sum of the gradients over the ranks
  /// (GradientExchange.h), then apply_step, whether or not the batches are
  /// split. The rows this process is given are its shard of each batch.
  /// Call before compile().
  void distribute(const rt::ProcessGroup &group) {
    if (group.distributed())
      group_ = &group;
  }
  /// The batch size predict was compiled for: the full batch's, or its
  /// first slice's.
  int64_t compiledRows() const;
  /// Makes evaluate and predict draw `sample_normal`'s z keyed by |seed|
  /// instead of taking mu (`--sample`); call before compile().
  void sampleAtInference(uint64_t seed) { sampleSeed_ = seed; }
  /// Takes programs from |cache| that an earlier run compiled from the
  /// same IR, and keeps new ones there; call before compile().
  void shareCompiles(CompileCache *cache) { cache_ = cache; }
  /// Compiles for the full batch, and the training step for |trainRest|
  /// rows and evaluate for |evalRest| (the smaller last batches of an epoch
  /// and of validation; 0: none), all at the same time; false after an
  /// error (already reported).
  bool compile(int64_t trainRest = 0, int64_t evalRest = 0);
  /// Adds every parameter (Glorot-uniform kernels, zero biases, as Keras
  /// does) and optimizer state to the store.
  void initializeStore(uint64_t seed);
  double compileSeconds() const { return compileSeconds_; }
  /// The gradient exchanges of the training steps made so far
  /// (distribute()).
  std::vector<const rt::GradientExchange *> exchanges() const;
  /// Whether every program came from the cache of shareCompiles().
  bool allReused() const;

  rt::BatchStep &trainStep(int64_t rows) override;
  rt::BatchStep &evalStep(int64_t rows) override;
  BoundEntry &predictStep(int64_t rows);
  const std::vector<std::string> &scalarNames() const override {
    return scalarNames_;
  }
  const std::vector<rt::ScalarFinish> &scalarFinishes() const override {
    return scalarFinishes_;
  }

private:
  /// The program that runs |entry| on batches of |rows|, compiled now when
  /// there is none.
  const CompiledModel &modelFor(int64_t rows, const std::string &entry);
  /// The kept program for |rows| holding entry function |entry| (an
  /// EntryFunction bit), or null.
  const CompiledModel *programFor(int64_t rows, unsigned entry) const;
  /// Compiles |entries| for |rows| and keeps the result; null after an
  /// error.
  const CompiledModel *compileFor(int64_t rows, unsigned entries);
  /// Compiles |entries| (EntryFunction bits) for |rows|, or takes the
  /// program from the cache, and fills |report|; with |quiet| its errors
  /// are not printed.
  std::shared_ptr<const CompiledModel> build(int64_t rows, unsigned entries,
                                             bool quiet,
                                             CompileReport *report) const;
  /// Adds the wall time since |start| to compileSeconds_.
  void addCompileTime(std::chrono::steady_clock::time_point start);
  /// Keeps |model| as the program for |rows|, counting it, and the run's
  /// hyperparameters from |report|.
  const CompiledModel *keep(int64_t rows, unsigned entries,
                            std::shared_ptr<const CompiledModel> model,
                            const CompileReport &report);
  /// Compiles each of |rows| (a batch size and its entry functions)
  /// concurrently, the first one's errors reported (compile()).
  bool compileTogether(const std::vector<std::pair<int64_t, unsigned>> &rows);
  BoundEntry &bound(const std::string &entry, int64_t rows);
  /// How many slices a batch of |rows| runs as (1: unsplit).
  int64_t slicesFor(int64_t rows) const;
  /// The batch sizes programs are compiled for, to run batches of |rows|.
  std::vector<int64_t> programRows(int64_t rows) const;
  /// |entry| (grad_step or evaluate) on a batch of |rows| split into
  /// slices, with apply_step after grad_step's.
  rt::BatchStep &split(const std::string &entry, int64_t rows);
  /// Whether training runs grad_step and apply_step (with their gradients
  /// summed between), not train_step.
  bool splitsGradients() const { return slices_ > 1 || group_; }
  /// The entries whose slots hold the parameters and optimizer states.
  std::vector<const EntryPoint *> trainEntries() const;

  const SourceFile &file_;
  const CheckedProgram &program_;
  int model_;
  int64_t batch_;
  Backend backend_;
  std::optional<uint64_t> sampleSeed_;
  /// This run's hyperparameters, as its compiles reported them.
  Hyperparameters hyperparameters_;
  rt::ParameterStore &store_;
  std::vector<std::string> arrayNames_;
  std::vector<int64_t> arraySizes_;
  std::vector<std::string> scalarNames_;
  std::vector<rt::ScalarFinish> scalarFinishes_;
  /// A kept program and the entry functions it holds.
  struct Program {
    unsigned entries;
    std::shared_ptr<const CompiledModel> model;
  };
  /// By batch size; never dropped while the run lasts, as bound entries
  /// call into them.
  std::map<int64_t, std::vector<Program>> programs_;
  CompileCache *cache_ = nullptr;
  /// The programs kept, and how many of them came from cache_.
  size_t programCount_ = 0, reused_ = 0;
  std::map<std::pair<std::string, int64_t>, std::unique_ptr<BoundEntry>>
      steps_;
  /// 1: batches run whole; else the most slices a batch is split into.
  int64_t slices_ = 1;
  /// The ranks the gradients are summed over, or null.
  const rt::ProcessGroup *group_ = nullptr;
  /// The slices' and updates' entries, bound to the split batches' buffers.
  std::vector<std::unique_ptr<BoundEntry>> sliceEntries_;
  /// Declared after sliceEntries_, so destroyed before them: a split step's
  /// gradient exchange may still write into the slices' buffers until its
  /// destructor has stopped its thread.
  std::map<std::pair<std::string, int64_t>, std::unique_ptr<rt::SplitStep>>
      splits_;
  double compileSeconds_ = 0;
};

} // namespace aenet

#endif // AENET_LIB_DRIVER_COMPILEDSTEPS_H
