//===- TrainPlan.h - A checked train block ----------------------*- C++ -*-===//
//
// What Sema makes of a `train` declaration: data sources with resolved paths,
// corruption, optimizer with every hyper-parameter filled in with Keras's
// defaults, and the loop settings. The runtime trains from this plan.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_TRAINPLAN_H
#define AENET_LANG_TRAINPLAN_H

#include <cstdint>
#include <string>
#include <vector>

namespace aenet {

enum class SourceKind { Idx, Csv, Text };

struct DataSource {
  SourceKind kind = SourceKind::Idx;
  std::string path; ///< resolved against the model file's folder
  std::vector<std::string> inputs;
  double scale = 1;
  std::vector<int64_t> columns; ///< csv: the columns to read (all if empty)
  int64_t sequence = -1;        ///< csv: column that groups rows into sequences
  bool header = false;          ///< csv: the first row holds names
  int64_t window = 0;           ///< text: characters per sample
  int64_t step = 1;             ///< text: characters between window starts
  uint32_t offset = 0;
};

struct Corruption {
  std::string input;
  double stddev = 0;
  bool clip = false;
  double clipLow = 0;
  double clipHigh = 1;
  uint32_t offset = 0;
};

/// The name under which `predict` outputs input |input| as its corruptions
/// left it, i.e. what the layers of a denoising model read: "x (noisy)".
inline std::string noisyName(const std::string &input) {
  return input + " (noisy)";
}

/// The name of the data-set array that holds, for each sample of the
/// variable-length input |input|, its number of real steps (the rest of the
/// sample is zero padding): "imu#length". No name of the language contains
/// '#', so it never clashes with an input; a compiled model that masks the
/// padding reads it as one more input of this name.
inline std::string sequenceLengthsName(const std::string &input) {
  return input + "#length";
}

enum class OptimizerKind { SGD, Adam, RMSProp, Adagrad, Adadelta };

struct OptimizerSpec {
  OptimizerKind kind = OptimizerKind::Adam;
  double learningRate = 0.001;
  double momentum = 0;
  bool nesterov = false;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-7;
  double rho = 0.9;
  double initialAccumulator = 0.1;
};

struct InitFrom {
  std::string target; ///< a block or layer name
  std::string path;
  uint32_t offset = 0;
};

/// `phase NAME { ... }`: a stage of training with its own optimizer, epochs
/// and frozen set (the block's `freeze` names plus the phase's own). A
/// phase that sets no optimizer or epochs takes the block's.
struct PhasePlan {
  std::string name;
  OptimizerSpec optimizer;
  int64_t epochs = 1;
  std::vector<std::string> frozen; ///< block or layer names
  uint32_t offset = 0;
};

struct TrainPlan {
  std::string model;
  int modelIndex = -1;
  std::vector<DataSource> data;
  std::vector<DataSource> validation;
  double validationSplit = 0;
  std::vector<Corruption> corruptions;
  OptimizerSpec optimizer;
  int64_t epochs = 1;
  int64_t batch = 32;
  bool shuffle = true;
  uint64_t seed = 0;
  bool seedGiven = false;
  double clipNorm = 0;
  double clipValue = 0;
  /// `reset_state every N`: stateful layers' states are zeroed every N
  /// training batches besides every epoch (0: only every epoch).
  int64_t resetStateEvery = 0;
  std::vector<std::string> frozen; ///< block or layer names
  std::vector<InitFrom> inits;
  /// The phases in order; empty for a block without any. With phases,
  /// `optimizer` and `frozen` above are those of the first phase (what
  /// `aec compile` shows) and `epochs` is the sum of the phases' epochs.
  std::vector<PhasePlan> phases;
  uint32_t offset = 0;
};

/// |plan| as phase |phase| runs it: that phase's optimizer, frozen set and
/// epochs in place of the block's. |plan| itself for a plan without phases.
TrainPlan planOfPhase(const TrainPlan &plan, size_t phase);

/// The epoch (counted over all phases) at which phase |phase| begins.
int64_t phaseStart(const TrainPlan &plan, size_t phase);

/// The index of the phase named |name|, or -1.
int findPhase(const TrainPlan &plan, const std::string &name);

/// "'warm', 'rest'": the phases' names, for messages.
std::string phaseList(const TrainPlan &plan);

/// Where a resumed run of a plan goes on (resumePoint).
struct ResumePoint {
  size_t phase = 0;      ///< the first phase to run
  int64_t phaseStart = 0; ///< the epoch at which |phase| begins
  /// Whether the checkpoint's optimizer state is |phase|'s. It is not when
  /// the checkpoint ends the phase before: a phase starts a new optimizer.
  bool optimizerState = true;
  /// Why the checkpoint cannot go on under the plan; empty when it can.
  std::string error;
};

/// Where a run of |plan| goes on from a checkpoint saved in the phase named
/// |savedPhase| (empty: by a block without phases) after |epoch| epochs and
/// |batchInEpoch| batches of the next. The saved phase decides, not the
/// epoch alone: a checkpoint whose epoch lies outside its phase as |plan|
/// now has it (phase lengths edited since), or whose phase |plan| no longer
/// has, gets an |error| naming both sides, because its optimizer state
/// would be dropped or given to another phase.
ResumePoint resumePoint(const TrainPlan &plan, const std::string &savedPhase,
                        int64_t epoch, int64_t batchInEpoch);

const char *optimizerKindName(OptimizerKind kind);

} // namespace aenet

#endif // AENET_LANG_TRAINPLAN_H
