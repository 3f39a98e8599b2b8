//===- TrainLoop.h - Epochs, batches, validation, checkpoints ---*- C++ -*-===//
//
// The host side of training: for each epoch, shuffle, cut batches, run the
// compiled step, watch for NaN and Ctrl-C, validate, log a metrics row and
// save a checkpoint atomically. The compiled code is reached
// through `BatchStepSource`, so this loop knows nothing of the language or the
// compiler. A run interrupted mid-epoch resumes at the same batch with the
// same data order, so its weights equal those of an uninterrupted run.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_TRAINLOOP_H
#define AENET_RUNTIME_TRAINLOOP_H

#include "aenet/Runtime/Dataset.h"
#include "aenet/Runtime/ParameterStore.h"
#include "aenet/Runtime/ProcessGroup.h"
#include "aenet/Runtime/ScalarFinish.h"

#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace aenet::rt {

/// A compiled computation over a batch of a fixed number of rows.
class BatchStep {
public:
  virtual ~BatchStep();
  /// The buffer for dataset array |index|: rows * sampleSize floats.
  virtual float *input(int index) = 0;
  /// Runs on the inputs. |step| (1-based) drives the optimizer's bias
  /// correction, |seed| the random layers and input corruptions.
  virtual void run(int64_t step, uint64_t seed) = 0;
  /// The scalars of the last run, in `BatchStepSource::scalarNames()` order.
  virtual const std::vector<double> &scalars() const = 0;
  /// Zeroes the states that stateful layers carry from one run to the next
  /// (none by default).
  virtual void resetStates();
  /// Training on several processes: the next runs are |share| of a batch's
  /// rows, and their gradients, summed over the processes, count with that
  /// weight. Nothing by default (a step of one process).
  virtual void setBatchShare(double share);
  /// Writes rows [first, last) of a batch's array |array| to |dst|.
  using Gather =
      std::function<void(int array, int64_t first, int64_t last, float *dst)>;
  /// Fills the inputs of |arrays| arrays with a batch of |rows| rows by
  /// |gather|, then runs. By default the whole batch at once; a step split
  /// across the cores (SplitStep) has each core gather its own rows.
  virtual void gatherAndRun(int64_t rows, int arrays, const Gather &gather,
                            int64_t step, uint64_t seed);
};

/// Hands out batch steps per batch size (a smaller last batch gets its own).
class BatchStepSource {
public:
  virtual ~BatchStepSource();
  virtual BatchStep &trainStep(int64_t rows) = 0;
  virtual BatchStep &evalStep(int64_t rows) = 0;
  /// What the scalars are: `loss` first, then per-loss terms and metrics.
  virtual const std::vector<std::string> &scalarNames() const = 0;
  /// How each scalar's epoch value is made from its batch values, in
  /// scalarNames() order.
  virtual const std::vector<ScalarFinish> &scalarFinishes() const = 0;
};

/// The seed of an evaluation or prediction batch whose first row is row
/// |firstRow| of its data set. It depends on nothing else, so a denoising
/// model's inputs get the same noise in every epoch and every run, and a
/// prediction of the same rows shows the noisy inputs evaluation saw.
uint64_t evaluationSeed(int64_t firstRow);

struct LoopOptions {
  int64_t epochs = 1;
  int64_t batch = 32;
  bool shuffle = true;
  /// Stateful layers' states are reset at every epoch, before every
  /// evaluation pass, and every this many training batches (0: never).
  int64_t resetStatesEvery = 0;
  uint64_t seed = 0;
  std::string checkpointPath;
  std::string metricsPath;
  bool terminal = false;
  /// The 1-based phase of a train block with phases, written to a "phase"
  /// column of metrics.csv after "epoch" (0: no phases, no column).
  int64_t phase = 0;
  /// The phase's name, shown after the epoch count: "Epoch 7/10
  /// (fine_tune)".
  std::string phaseName;
  /// The epochs of the whole run, shown after the slash when |epochs| ends
  /// only the current phase (0: |epochs|).
  int64_t totalEpochs = 0;
  /// The optimizer steps taken before this phase began: each phase's
  /// optimizer counts its steps (Adam's bias correction) from 1, as a fresh
  /// optimizer does. Random draws still follow the run's step count.
  int64_t phaseFirstStep = 0;
  /// Training on several processes (mpirun): every batch is cut into one
  /// shard per rank (shardOf), each rank runs its own, and the losses,
  /// metrics and the decision to stop are summed over the ranks, so every
  /// rank sees the same; only rank 0 writes the checkpoint and metrics.
  /// The ranks' parameters are compared by a hash after every epoch. Null:
  /// one process.
  const ProcessGroup *group = nullptr;
};

/// Where a run stands; kept in the checkpoint's metadata.
struct LoopState {
  int64_t epoch = 0;        ///< completed epochs
  int64_t batchInEpoch = 0; ///< batches done in the current epoch
  int64_t step = 0;         ///< optimizer steps so far
  std::vector<double> sums; ///< row-weighted scalar sums of this epoch
  int64_t rows = 0;         ///< rows summed in this epoch
  double seconds = 0;       ///< training time spent in this epoch
  int64_t batch = 0;        ///< the batch size of this epoch's batches

  std::map<std::string, std::string> toMetadata() const;
  /// Reads a state saved by toMetadata. Every field must be a number of its
  /// kind and range (whole and non-negative, finite sums); otherwise throws
  /// CheckpointError naming |path| and the field.
  static LoopState fromMetadata(const std::map<std::string, std::string> &m,
                                const std::string &path);
  /// Checks that this state, read from |path|, can go on training |samples|
  /// samples in batches of |batchSize| with a step that reports |scalars|
  /// values: the batches done fit in an epoch and hold `rows` samples, a
  /// state saved mid-epoch used the same batch size (another would skip or
  /// repeat samples), and the sums are one per scalar. Throws
  /// CheckpointError naming |path| and the field otherwise.
  void checkResumable(int64_t samples, int64_t batchSize, size_t scalars,
                      const std::string &path) const;
};

enum class LoopOutcome { Finished, Interrupted, Diverged };

class TrainLoop {
public:
  TrainLoop(BatchStepSource &steps, ParameterStore &store,
            const Dataset &train, const Dataset *validation,
            LoopOptions options, std::ostream &out);

  /// Trains from |state| to `options.epochs`; |state| is updated. Extra
  /// checkpoint metadata (model name, ...) is taken from |metadata|.
  LoopOutcome run(LoopState &state,
                  const std::map<std::string, std::string> &metadata);

  /// The scalars of |data| under the evaluation step, each over all of its
  /// samples (finishScalars).
  std::vector<double> evaluate(const Dataset &data);

private:
  /// Prints that |what| became |value| |where| and that the checkpoint of
  /// epoch |kept| stays.
  void reportDivergence(const std::string &what, double value,
                        const std::string &where, int64_t kept);
  /// Throws when the ranks' parameters differ after epoch |epoch|.
  void checkSameParameters(int64_t epoch);
  void saveCheckpoint(const LoopState &state,
                      const std::map<std::string, std::string> &metadata);

  BatchStepSource &steps_;
  ParameterStore &store_;
  const Dataset &train_;
  const Dataset *validation_;
  LoopOptions options_;
  std::ostream &out_;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_TRAINLOOP_H
