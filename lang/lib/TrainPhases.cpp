//===- TrainPhases.cpp - The phases of a checked train block --------------===//
//
// A train block with phases runs them one after the other, each with its
// own optimizer, epochs and frozen set, counting epochs over all of them.
// These are the questions the driver asks of such a plan: what a phase runs,
// where it begins, and where a run stopped in a phase goes on. The last is
// answered from the phase the checkpoint says it was saved in, checked
// against its epoch, so that a block whose phase lengths were edited between
// two runs is refused instead of giving one phase's optimizer state to
// another.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/TrainPlan.h"

namespace aenet {

TrainPlan planOfPhase(const TrainPlan &plan, size_t phase) {
  if (plan.phases.empty())
    return plan;
  TrainPlan out = plan;
  const PhasePlan &p = plan.phases.at(phase);
  out.optimizer = p.optimizer;
  out.frozen = p.frozen;
  out.epochs = p.epochs;
  return out;
}

/// a + b, or INT64_MAX where that overflows (phases of `--epochs` huge).
static int64_t saturatingAdd(int64_t a, int64_t b) {
  return b > INT64_MAX - a ? INT64_MAX : a + b;
}

int64_t phaseStart(const TrainPlan &plan, size_t phase) {
  int64_t start = 0;
  for (size_t i = 0; i < phase && i < plan.phases.size(); ++i)
    start = saturatingAdd(start, plan.phases[i].epochs);
  return start;
}

int findPhase(const TrainPlan &plan, const std::string &name) {
  for (size_t i = 0; i < plan.phases.size(); ++i)
    if (plan.phases[i].name == name)
      return static_cast<int>(i);
  return -1;
}

std::string phaseList(const TrainPlan &plan) {
  std::string list;
  for (const PhasePlan &phase : plan.phases)
    list += (list.empty() ? "'" : ", '") + phase.name + "'";
  return list;
}

/// "after epoch 3", or "in epoch 4 after 2 batches" for a checkpoint saved
/// in the middle of an epoch.
static std::string whereSaved(int64_t epoch, int64_t batchInEpoch) {
  if (batchInEpoch == 0)
    return "after epoch " + std::to_string(epoch);
  return "in epoch " + std::to_string(epoch + 1) + " after " +
         std::to_string(batchInEpoch) + " batches";
}

/// "epochs 3 to 4 of 6" (1-based, as the progress lines count): the epochs
/// that phase |phase| of |plan| runs.
static std::string epochsOfPhase(const TrainPlan &plan, size_t phase) {
  int64_t start = phaseStart(plan, phase);
  int64_t end = saturatingAdd(start, plan.phases[phase].epochs);
  std::string of = " of " + std::to_string(plan.epochs);
  if (end == start)
    return "no epochs (it would begin and end after epoch " +
           std::to_string(start) + of + ")";
  if (end == start + 1)
    return "epoch " + std::to_string(end) + of;
  return "epochs " + std::to_string(start + 1) + " to " + std::to_string(end) +
         of;
}

ResumePoint resumePoint(const TrainPlan &plan, const std::string &savedPhase,
                        int64_t epoch, int64_t batchInEpoch) {
  ResumePoint point;
  const std::string where = whereSaved(epoch, batchInEpoch);
  const std::string remedy = "; its optimizer state belongs to no phase of "
                             "the block now: resume with the phases it was "
                             "trained with, or start again with --overwrite";
  if (plan.phases.empty()) {
    if (!savedPhase.empty())
      point.error = "was saved in phase '" + savedPhase + "' " + where +
                    ", but the train block now has no phases" + remedy;
    return point;
  }
  // A checkpoint saved before any step (`--epochs 0` saves one in every
  // phase) holds the initial weights: every phase is still to run. Its
  // optimizer state is the first phase's only if that phase saved it.
  if (epoch == 0 && batchInEpoch == 0) {
    point.optimizerState = savedPhase == plan.phases[0].name;
    return point;
  }
  if (savedPhase.empty()) {
    point.error = "was saved " + where + " by a train block without phases, "
                  "but the block now has phases " + phaseList(plan) + remedy;
    return point;
  }
  int found = findPhase(plan, savedPhase);
  if (found < 0) {
    point.error = "was saved in phase '" + savedPhase + "' " + where +
                  ", but the train block has no phase '" + savedPhase +
                  "' now (its phases are " + phaseList(plan) + ")" + remedy;
    return point;
  }
  size_t phase = static_cast<size_t>(found);
  int64_t start = phaseStart(plan, phase);
  int64_t end = saturatingAdd(start, plan.phases[phase].epochs);
  // Saved in its phase: at its start, in its middle, or where it ended
  // (epoch == end, no batch of the next epoch done).
  if (epoch < start || epoch > end || (epoch == end && batchInEpoch > 0)) {
    point.error = "was saved in phase '" + savedPhase + "' " + where +
                  ", but in the train block phase '" + savedPhase +
                  "' is now " + epochsOfPhase(plan, phase) + remedy;
    return point;
  }
  point.phase = phase;
  point.phaseStart = start;
  // A finished phase hands its parameters to the next one, which starts
  // its own optimizer; the last phase's end is the run's end.
  if (epoch == end && phase + 1 < plan.phases.size()) {
    point.phase = phase + 1;
    point.phaseStart = end;
    point.optimizerState = false;
  }
  return point;
}

} // namespace aenet
