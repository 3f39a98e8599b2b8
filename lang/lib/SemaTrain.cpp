//===- SemaTrain.cpp - Semantic checks of train blocks --------------------===//
//
// Checks a `train` block against its model: every input fed exactly once,
// settings known and in range (each set once), and what only makes sense
// with some layers (stateful ones). Its data sources, its frozen sets,
// inits and phases, and its optimizer are checked by their own files (see
// TrainChecker.h). Fills every hyper-parameter with Keras's default.
//
//===----------------------------------------------------------------------===//

#include "Numbers.h"
#include "TrainChecker.h"

#include <algorithm>

namespace aenet::sema {

std::string resolvePath(const SourceFile &file, const std::string &path) {
  if (path.empty() || path[0] == '/')
    return path;
  size_t slash = file.path().rfind('/');
  if (slash == std::string::npos)
    return path;
  return file.path().substr(0, slash + 1) + path;
}

const InputInfo *TrainChecker::findInput(const ast::Ident &name) {
  std::vector<std::string> names;
  for (const InputInfo &input : model_.inputs) {
    if (input.name == name.name)
      return &input;
    names.push_back(input.name);
  }
  diags_.error(name.offset, "model '" + model_.name + "' has no input '" +
                                name.name + "'" + didYouMean(name.name, names));
  return nullptr;
}

bool TrainChecker::readNumber(const ast::Value &value, const std::string &what,
                              double &out) {
  std::optional<double> v = readReal(value, what, diags_);
  out = v.value_or(0);
  return v.has_value();
}

void TrainChecker::addSetting(const ast::Setting &setting) {
  static const std::vector<std::string> keys = {
      "optimizer", "epochs",     "batch",      "shuffle", "split",
      "seed",      "clip_norm",  "clip_value", "freeze",  "reset_state"};
  const std::string &key = setting.key.name;
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
    diags_.error(setting.key.offset, "unknown train setting '" + key + "'" +
                                         didYouMean(key, keys));
    return;
  }
  auto [it, inserted] = settingAt_.emplace(key, setting.offset);
  if (!inserted) {
    diags_.error(setting.key.offset, "'" + key + "' is set twice");
    diags_.note(it->second, "first set here");
    return;
  }
  if (key == "freeze") {
    for (const ast::Value &value : setting.values) {
      const ast::Ident *id = ast::asIdent(value);
      if (!id)
        diags_.error(ast::offsetOf(value),
                     "freeze takes block or layer names");
      else if (isBlockOrLayer(*id))
        plan_.frozen.push_back(id->name);
    }
    return;
  }
  if (key == "reset_state") {
    // `reset_state every N`, as Keras's callbacks call reset_states().
    const ast::Ident *every =
        setting.values.size() == 2 ? ast::asIdent(setting.values[0]) : nullptr;
    if (!every || every->name != "every") {
      diags_.error(setting.values.empty() ? setting.key.offset
                                          : ast::offsetOf(setting.values[0]),
                   "expected 'reset_state every N' (N batches)");
      return;
    }
    if (std::optional<int64_t> n =
            readInteger(setting.values[1], "reset_state every", 1, INT64_MAX,
                        diags_))
      plan_.resetStateEvery = *n;
    return;
  }
  if (setting.values.size() != 1) {
    diags_.error(ast::offsetOf(setting.values[1]),
                 "'" + key + "' takes one value");
    return;
  }
  const ast::Value &value = setting.values[0];
  uint32_t at = ast::offsetOf(value);
  double v = 0;
  if (key == "optimizer") {
    readOptimizer(value);
  } else if (key == "shuffle") {
    const ast::Ident *id = ast::asIdent(value);
    if (!id || (id->name != "true" && id->name != "false"))
      diags_.error(at, "shuffle expects 'true' or 'false', got " +
                           ast::describe(value));
    else
      plan_.shuffle = id->name == "true";
  } else if (key == "epochs" || key == "batch" || key == "seed") {
    // A batch is a dimension of every buffer: bounded like one.
    std::optional<int64_t> n =
        readInteger(value, key, key == "seed" ? 0 : 1,
                    key == "batch" ? kMaxElements : INT64_MAX, diags_);
    if (!n)
      return;
    if (key == "epochs")
      plan_.epochs = *n;
    else if (key == "batch")
      plan_.batch = *n;
    else {
      plan_.seed = static_cast<uint64_t>(*n);
      plan_.seedGiven = true;
    }
  } else if (key == "split") {
    if (!readNumber(value, key, v))
      return;
    if (!(v > 0 && v < 1)) {
      diags_.error(at, "split is the validation fraction, in (0, 1)");
      return;
    }
    plan_.validationSplit = v;
    splitAt_ = setting.offset;
  } else { // clip_norm, clip_value
    if (!readNumber(value, key, v))
      return;
    if (!(v > 0)) {
      diags_.error(at, key + " must be positive");
      return;
    }
    (key == "clip_norm" ? plan_.clipNorm : plan_.clipValue) = v;
  }
}

TrainPlan TrainChecker::run() {
  for (const ast::TrainItem &item : train_.items) {
    if (const auto *data = boost::get<ast::DataStmt>(&item.get()))
      addData(*data);
    else if (const auto *corrupt = boost::get<ast::CorruptStmt>(&item.get()))
      addCorrupt(*corrupt);
    else if (const auto *init = boost::get<ast::InitStmt>(&item.get()))
      addInit(*init);
    else if (const auto *setting = boost::get<ast::Setting>(&item.get()))
      addSetting(*setting);
  }
  // Phases start from the block's settings wherever they are written.
  for (const ast::TrainItem &item : train_.items)
    if (const auto *phase = boost::get<ast::PhaseBlock>(&item.get()))
      addPhase(*phase);
  if (plan_.phases.empty()) {
    auto freeze = settingAt_.find("freeze");
    if (freeze != settingAt_.end())
      checkSomethingTrains(plan_.frozen, freeze->second, "the train block");
  } else {
    plan_.optimizer = plan_.phases[0].optimizer;
    plan_.frozen = plan_.phases[0].frozen;
    plan_.epochs = 0;
    for (const PhasePlan &phase : plan_.phases)
      plan_.epochs = phase.epochs > INT64_MAX - plan_.epochs
                         ? INT64_MAX
                         : plan_.epochs + phase.epochs;
  }
  for (const InputInfo &input : model_.inputs) {
    if (!fedAt_[0].count(input.name))
      diags_.error(train_.model.offset,
                   "input '" + input.name + "' of model '" + model_.name +
                       "' has no training data; add 'data SOURCE as " +
                       input.name + "'");
    if (!fedAt_[1].empty() && !fedAt_[1].count(input.name))
      diags_.error(validateAt_, "input '" + input.name + "' of model '" +
                                    model_.name + "' has no validation data");
  }
  if (!plan_.validation.empty() && plan_.validationSplit > 0)
    diags_.error(splitAt_, "use either 'validate' or 'split', not both");
  // A stateful layer carries sample i's state of one batch to sample i of
  // the next, which is meaningful only in the data's order (Keras asks for
  // shuffle=False).
  for (const LayerNode &layer : model_.layers)
    if (layer.spec.stateful && plan_.shuffle) {
      auto it = settingAt_.find("shuffle");
      diags_.error(it != settingAt_.end() ? it->second : train_.model.offset,
                   "layer '" + layer.name +
                       "' is stateful: its state passes from batch to batch "
                       "in the data's order; write 'shuffle false'");
      break;
    }
  if (plan_.resetStateEvery > 0 &&
      std::none_of(model_.layers.begin(), model_.layers.end(),
                   [](const LayerNode &l) { return l.spec.stateful; }))
    diags_.error(settingAt_.at("reset_state"),
                 "reset_state needs a stateful layer (stateful = true)");
  return std::move(plan_);
}

TrainPlan checkTrain(const ast::Train &train, const ModelGraph &model,
                     int modelIndex, const SourceFile &file,
                     DiagnosticEngine &diags) {
  TrainPlan plan = TrainChecker(train, model, file, diags).run();
  plan.modelIndex = modelIndex;
  return plan;
}

} // namespace aenet::sema
