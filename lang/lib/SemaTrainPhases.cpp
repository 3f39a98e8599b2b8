//===- SemaTrainPhases.cpp - What a train block trains --------------------===//
//
// `freeze`, `init ... from` and `phase` in a train block: names that are
// blocks or layers of the model, phases that start from the block's own
// settings and change only their optimizer, epochs and frozen set, and no
// frozen set that leaves nothing to train.
//
//===----------------------------------------------------------------------===//

#include "TrainChecker.h"

#include <algorithm>

namespace aenet::sema {

bool TrainChecker::isBlockOrLayer(const ast::Ident &name) {
  if (model_.findBlock(name.name) || model_.findLayer(name.name) >= 0)
    return true;
  std::vector<std::string> names;
  for (const BlockInfo &b : model_.blocks)
    names.push_back(b.name);
  for (const LayerNode &l : model_.layers)
    names.push_back(l.name);
  diags_.error(name.offset, "model '" + model_.name +
                                "' has no block or layer '" + name.name + "'" +
                                didYouMean(name.name, names));
  return false;
}

void TrainChecker::addInit(const ast::InitStmt &stmt) {
  if (stmt.path.value.empty()) {
    diags_.error(stmt.path.offset, "init needs a file path, got an empty "
                                   "string");
    return;
  }
  // The model's own name: every layer (a whole model from Keras's weights).
  if (stmt.target.name != model_.name && !isBlockOrLayer(stmt.target))
    return;
  plan_.inits.push_back(
      {stmt.target.name, resolvePath(file_, stmt.path.value), stmt.offset});
}

void TrainChecker::addPhase(const ast::PhaseBlock &phase) {
  auto [it, inserted] = phaseAt_.emplace(phase.name.name, phase.offset);
  if (!inserted) {
    diags_.error(phase.name.offset,
                 "phase '" + phase.name.name + "' is defined twice");
    diags_.note(it->second, "first defined here");
    return;
  }
  // The phase's settings go through addSetting against the block's values,
  // which are put back afterwards: a phase changes only itself.
  OptimizerSpec optimizer = plan_.optimizer;
  int64_t epochs = plan_.epochs;
  std::vector<std::string> frozen = plan_.frozen;
  std::map<std::string, uint32_t> blockSettings;
  std::swap(blockSettings, settingAt_);
  static const std::vector<std::string> keys = {"optimizer", "epochs",
                                                "freeze"};
  for (const ast::Setting &setting : phase.settings) {
    if (std::find(keys.begin(), keys.end(), setting.key.name) != keys.end()) {
      addSetting(setting);
      continue;
    }
    diags_.error(setting.key.offset,
                 "a phase sets optimizer, epochs and freeze; '" +
                     setting.key.name + "' belongs to the train block" +
                     didYouMean(setting.key.name, keys));
  }
  PhasePlan out;
  out.name = phase.name.name;
  out.offset = phase.offset;
  out.optimizer = plan_.optimizer;
  out.epochs = plan_.epochs;
  out.frozen = plan_.frozen;
  std::swap(blockSettings, settingAt_);
  plan_.optimizer = optimizer;
  plan_.epochs = epochs;
  plan_.frozen = frozen;
  checkSomethingTrains(out.frozen, phase.name.offset,
                       "phase '" + out.name + "'");
  plan_.phases.push_back(std::move(out));
}

void TrainChecker::checkSomethingTrains(const std::vector<std::string> &frozen,
                                        uint32_t at, const std::string &what) {
  int64_t params = model_.paramCount();
  if (frozen.empty() || params <= 0 || frozenParamCount(model_, frozen) < params)
    return;
  std::string names;
  for (size_t i = 0; i < frozen.size(); ++i)
    names += (i ? ", " : "") + frozen[i];
  diags_.error(at, what + " has no trainable parameters: freeze " + names +
                       " covers all " + std::to_string(params) +
                       " parameters of model '" + model_.name + "'");
}

} // namespace aenet::sema
