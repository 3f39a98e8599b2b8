//===- SemaTrain.cpp - Semantic checks of train blocks --------------------===//
//
// Checks a `train` block against its model: data sources feed existing inputs
// (every input fed exactly once), corruption targets real-valued inputs,
// optimizers and settings are known and in range, and `freeze` / `init` name
// blocks or layers. Fills every hyper-parameter with Keras's default.
//
//===----------------------------------------------------------------------===//

#include "Numbers.h"
#include "SemaInternal.h"

#include <map>
#include <set>

namespace aenet {

const char *optimizerKindName(OptimizerKind kind) {
  static const char *names[] = {"sgd", "adam", "rmsprop", "adagrad",
                                "adadelta"};
  return names[static_cast<int>(kind)];
}

namespace sema {
namespace {

namespace x3 = boost::spirit::x3;

std::string resolvePath(const SourceFile &file, const std::string &path) {
  if (path.empty() || path[0] == '/')
    return path;
  size_t slash = file.path().rfind('/');
  if (slash == std::string::npos)
    return path;
  return file.path().substr(0, slash + 1) + path;
}

class TrainChecker {
public:
  TrainChecker(const ast::Train &train, const ModelGraph &model,
               const SourceFile &file, DiagnosticEngine &diags)
      : train_(train), model_(model), file_(file), diags_(diags) {
    plan_.model = model.name;
    plan_.offset = train.offset;
  }

  TrainPlan run();

private:
  void addData(const ast::DataStmt &stmt);
  /// Whether what |source| yields fits the inputs it feeds.
  bool checkSourceFitsInputs(const ast::DataStmt &stmt, DataSource &source);
  void addCorrupt(const ast::CorruptStmt &stmt);
  void addInit(const ast::InitStmt &stmt);
  void addSetting(const ast::Setting &setting);
  /// Checks a phase after the block's own settings, which it starts from.
  void addPhase(const ast::PhaseBlock &phase);
  /// Reports, at |at|, a frozen set that leaves |what| nothing to train.
  void checkSomethingTrains(const std::vector<std::string> &frozen,
                            uint32_t at, const std::string &what);
  void readOptimizer(const ast::Value &value);
  /// The model input named |name|, or null after reporting.
  const InputInfo *findInput(const ast::Ident &name);
  bool isBlockOrLayer(const ast::Ident &name);
  /// Reads a finite real into |out|; reports and returns false otherwise.
  bool readNumber(const ast::Value &value, const std::string &what,
                  double &out);

  const ast::Train &train_;
  const ModelGraph &model_;
  const SourceFile &file_;
  DiagnosticEngine &diags_;
  TrainPlan plan_;
  std::map<std::string, uint32_t> fedAt_[2];
  std::map<std::string, uint32_t> settingAt_;
  uint32_t validateAt_ = 0, splitAt_ = 0;
  std::map<std::string, uint32_t> phaseAt_;
};

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

bool TrainChecker::readNumber(const ast::Value &value, const std::string &what,
                              double &out) {
  std::optional<double> v = readReal(value, what, diags_);
  out = v.value_or(0);
  return v.has_value();
}

void TrainChecker::addData(const ast::DataStmt &stmt) {
  bool validation = stmt.kind == "validate";
  if (validation && !validateAt_)
    validateAt_ = stmt.offset;
  DataSource source;
  source.offset = stmt.offset;
  const ast::Call &call = stmt.source;
  const std::string &kind = call.callee.name;
  if (kind == "idx")
    source.kind = SourceKind::Idx;
  else if (kind == "csv")
    source.kind = SourceKind::Csv;
  else if (kind == "text")
    source.kind = SourceKind::Text;
  else {
    diags_.error(call.callee.offset,
                 "unknown data source '" + kind + "'; expected idx(...), "
                 "csv(...) or text(...)" +
                     didYouMean(kind, {"idx", "csv", "text"}));
    return;
  }
  bool ok = true;
  bool havePath = false;
  for (const ast::Arg &arg : call.args) {
    if (!arg.key) {
      const auto *path = boost::get<ast::StringLit>(&arg.value.get());
      if (havePath || !path) {
        diags_.error(arg.offset, kind + " takes a file path string first, "
                                        "then named options");
        ok = false;
        continue;
      }
      if (path->value.empty()) {
        diags_.error(arg.offset, kind + " needs a file path, got an empty "
                                        "string");
        ok = false;
      }
      source.path = resolvePath(file_, path->value);
      havePath = true;
      continue;
    }
    const std::string &key = arg.key->name;
    if (kind == "csv" && key == "columns") {
      const auto *list =
          boost::get<x3::forward_ast<ast::List>>(&arg.value.get());
      if (!list) {
        diags_.error(arg.offset, "columns expects a list such as [0, 1, 2]");
        ok = false;
        continue;
      }
      for (const ast::Value &item : list->get().items) {
        std::optional<int64_t> column =
            readInteger(item, "a column", 0, kMaxElements, diags_);
        if (!column) {
          ok = false;
          break;
        }
        source.columns.push_back(*column);
      }
    } else if (kind == "csv" && key == "sequence") {
      std::optional<int64_t> column =
          readInteger(arg.value, "sequence", 0, kMaxElements, diags_);
      ok &= column.has_value();
      source.sequence = column.value_or(-1);
    } else if (kind == "csv" && key == "header") {
      const ast::Ident *id = ast::asIdent(arg.value);
      if (!id || (id->name != "true" && id->name != "false")) {
        diags_.error(arg.offset, "header expects 'true' or 'false'");
        ok = false;
      } else {
        source.header = id->name == "true";
      }
    } else if (kind == "text" && key == "window") {
      std::optional<int64_t> window =
          readInteger(arg.value, "window", 1, kMaxElements, diags_);
      ok &= window.has_value();
      source.window = window.value_or(0);
    } else if (kind == "text" && key == "step") {
      std::optional<int64_t> step =
          readInteger(arg.value, "step", 1, kMaxElements, diags_);
      ok &= step.has_value();
      source.step = step.value_or(1);
    } else {
      std::vector<std::string> keys =
          kind == "csv"    ? std::vector<std::string>{"columns", "sequence",
                                                    "header"}
          : kind == "text" ? std::vector<std::string>{"window", "step"}
                           : std::vector<std::string>{};
      diags_.error(arg.key->offset, kind + " has no option '" + key + "'" +
                                        didYouMean(key, keys));
      ok = false;
    }
  }
  if (!havePath) {
    diags_.error(call.offset, kind + " needs a file path: " + kind +
                                  "(\"file\")");
    ok = false;
  }
  size_t maxInputs = source.kind == SourceKind::Text ? 2 : 1;
  if (stmt.inputs.size() > maxInputs) {
    diags_.error(stmt.inputs[maxInputs].offset,
                 kind + " feeds " + std::to_string(maxInputs) +
                     (maxInputs == 1 ? " input" : " inputs at most"));
    ok = false;
  }
  for (const ast::Ident &name : stmt.inputs) {
    if (!findInput(name)) {
      ok = false;
      continue;
    }
    auto [it, inserted] = fedAt_[validation].emplace(name.name, name.offset);
    if (!inserted) {
      diags_.error(name.offset, "input '" + name.name + "' is already fed by " +
                                    (validation ? "validation" : "training") +
                                    " data");
      diags_.note(it->second, "first fed here");
      ok = false;
    }
    source.inputs.push_back(name.name);
  }
  if (ok)
    ok = checkSourceFitsInputs(stmt, source);
  if (stmt.scale) {
    std::optional<double> scale = readReal(*stmt.scale, "scale", diags_);
    source.scale = scale.value_or(1);
    if (!scale) {
      ok = false;
    } else if (source.scale == 0) {
      diags_.error(stmt.scale->offset, "scale must not be zero");
      ok = false;
    }
  }
  if (!ok)
    return;
  if (validation) {
    plan_.validation.push_back(std::move(source));
  } else {
    plan_.data.push_back(std::move(source));
  }
}

bool TrainChecker::checkSourceFitsInputs(const ast::DataStmt &stmt,
                                         DataSource &source) {
  std::vector<const InputInfo *> inputs;
  for (const ast::Ident &name : stmt.inputs)
    for (const InputInfo &input : model_.inputs)
      if (input.name == name.name)
        inputs.push_back(&input);
  auto fail = [&](size_t i, const std::string &message) {
    diags_.error(stmt.inputs[i].offset, message);
    return false;
  };
  // An input whose type was rejected has no shape; it is reported already.
  for (const InputInfo *input : inputs)
    if (input->shape.rank() == 0)
      return true;
  switch (source.kind) {
  case SourceKind::Idx:
    if (inputs[0]->kind == InputKind::Chars)
      return fail(0, "idx cannot feed the chars input '" + inputs[0]->name +
                         "'; use text(...)");
    return true;
  case SourceKind::Csv: {
    const InputInfo &input = *inputs[0];
    if (input.kind != InputKind::F32)
      return fail(0, "csv feeds f32 inputs; '" + input.name + "' is not one");
    int64_t features = input.shape.dims.back();
    if (!source.columns.empty() &&
        static_cast<int64_t>(source.columns.size()) != features)
      return fail(0, "csv reads " + std::to_string(source.columns.size()) +
                         " columns but input '" + input.name + "' has " +
                         std::to_string(features) + " features per " +
                         (input.shape.rank() == 2 ? "step" : "sample"));
    if (input.shape.rank() == 2 && source.sequence < 0)
      return fail(0, "input '" + input.name + "' is a sequence; csv needs "
                                               "'sequence = COLUMN' to group "
                                               "rows into sequences");
    // On an input that is not a sequence, `sequence = COL` names the column
    // of each row's sequence id: a run checks the ids against the
    // sequences' own instead of pairing rows by position alone.
    if (input.shape.rank() > 2)
      return fail(0, "csv feeds inputs of rank 1 or sequences of rank 2; '" +
                         input.name + "' has shape " + input.shape.str());
    return true;
  }
  case SourceKind::Text:
    return checkTextSource(stmt, inputs, source, diags_);
  }
  return true;
}

void TrainChecker::addCorrupt(const ast::CorruptStmt &stmt) {
  const InputInfo *input = findInput(stmt.input);
  if (!input)
    return;
  if (input->kind != InputKind::F32) {
    diags_.error(stmt.input.offset,
                 "only f32 inputs can be corrupted; '" + input->name +
                     "' is a " +
                     (input->kind == InputKind::Class ? "class" : "chars") +
                     " input");
    return;
  }
  Corruption corruption;
  corruption.input = input->name;
  corruption.offset = stmt.offset;
  bool haveNoise = false;
  for (const ast::Call &call : stmt.transforms) {
    const std::string &name = call.callee.name;
    std::vector<double> args;
    for (const ast::Arg &arg : call.args) {
      double v = 0;
      if (arg.key || !readNumber(arg.value, name, v))
        return;
      args.push_back(v);
    }
    if (name == "gaussian") {
      if (args.size() != 1 || args[0] < 0) {
        diags_.error(call.offset, "gaussian takes one non-negative standard "
                                  "deviation: gaussian(0.5)");
        return;
      }
      corruption.stddev = args[0];
      haveNoise = true;
    } else if (name == "clip") {
      if (args.size() != 2 || !(args[0] < args[1])) {
        diags_.error(call.offset, "clip takes a low and a high bound with "
                                  "low < high: clip(0, 1)");
        return;
      }
      corruption.clip = true;
      corruption.clipLow = args[0];
      corruption.clipHigh = args[1];
    } else {
      diags_.error(call.callee.offset,
                   "unknown corruption '" + name + "'" +
                       didYouMean(name, {"gaussian", "clip"}));
      return;
    }
  }
  if (!haveNoise) {
    diags_.error(stmt.offset, "corrupt needs a noise such as gaussian(0.5)");
    return;
  }
  plan_.corruptions.push_back(corruption);
}

void TrainChecker::addInit(const ast::InitStmt &stmt) {
  if (stmt.path.value.empty()) {
    diags_.error(stmt.path.offset, "init needs a file path, got an empty "
                                   "string");
    return;
  }
  if (!isBlockOrLayer(stmt.target))
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

void TrainChecker::readOptimizer(const ast::Value &value) {
  static const std::map<std::string, OptimizerKind> kinds = {
      {"sgd", OptimizerKind::SGD},
      {"adam", OptimizerKind::Adam},
      {"rmsprop", OptimizerKind::RMSProp},
      {"adagrad", OptimizerKind::Adagrad},
      {"adadelta", OptimizerKind::Adadelta}};
  // `optimizer adam` is `adam()`, as Keras's optimizer="adam".
  const ast::Call *call = ast::asCall(value);
  const ast::Ident *bare = ast::asIdent(value);
  if (!call && !bare) {
    diags_.error(ast::offsetOf(value),
                 "optimizer expects a call such as adam(lr = 1e-3), got " +
                     ast::describe(value));
    return;
  }
  const ast::Ident &callee = call ? call->callee : *bare;
  auto kind = kinds.find(callee.name);
  if (kind == kinds.end()) {
    std::vector<std::string> names;
    for (const auto &k : kinds)
      names.push_back(k.first);
    diags_.error(callee.offset, "unknown optimizer '" + callee.name + "'" +
                                    didYouMean(callee.name, names));
    return;
  }
  OptimizerSpec &opt = plan_.optimizer;
  opt = OptimizerSpec();
  opt.kind = kind->second;
  // Keras's defaults per optimizer.
  switch (opt.kind) {
  case OptimizerKind::SGD:
    opt.learningRate = 0.01;
    break;
  case OptimizerKind::Adadelta:
    opt.rho = 0.95;
    break;
  default:
    break;
  }
  std::map<std::string, double *> numbers = {{"lr", &opt.learningRate},
                                             {"learning_rate", &opt.learningRate},
                                             {"epsilon", &opt.epsilon}};
  switch (opt.kind) {
  case OptimizerKind::SGD:
    numbers["momentum"] = &opt.momentum;
    break;
  case OptimizerKind::Adam:
    numbers["beta_1"] = &opt.beta1;
    numbers["beta_2"] = &opt.beta2;
    break;
  case OptimizerKind::RMSProp:
    numbers["rho"] = &opt.rho;
    numbers["momentum"] = &opt.momentum;
    break;
  case OptimizerKind::Adagrad:
    numbers["initial_accumulator"] = &opt.initialAccumulator;
    break;
  case OptimizerKind::Adadelta:
    numbers["rho"] = &opt.rho;
    break;
  }
  const std::string &name = callee.name;
  static const std::vector<ast::Arg> noArgs;
  const std::vector<ast::Arg> &args = call ? call->args : noArgs;
  std::set<std::string> given;
  for (size_t i = 0; i < args.size(); ++i) {
    const ast::Arg &arg = args[i];
    std::string key = arg.key ? arg.key->name : (i == 0 ? "lr" : "");
    if (key.empty()) {
      diags_.error(arg.offset, name + " takes the learning rate first, then "
                                      "named options such as beta_1 = 0.9");
      continue;
    }
    if (key == "learning_rate")
      key = "lr";
    if (!given.insert(key).second) {
      diags_.error(arg.offset, "option '" + key + "' of " + name +
                                   " is given twice");
      continue;
    }
    if (key == "nesterov" && opt.kind == OptimizerKind::SGD) {
      const ast::Ident *id = ast::asIdent(arg.value);
      if (!id || (id->name != "true" && id->name != "false"))
        diags_.error(arg.offset, "nesterov expects 'true' or 'false'");
      else
        opt.nesterov = id->name == "true";
      continue;
    }
    auto it = numbers.find(key);
    if (it == numbers.end()) {
      std::vector<std::string> keys;
      for (const auto &n : numbers)
        keys.push_back(n.first);
      if (opt.kind == OptimizerKind::SGD)
        keys.push_back("nesterov");
      diags_.error(arg.key ? arg.key->offset : arg.offset,
                   name + " has no option '" + key + "'" +
                       didYouMean(key, keys));
      continue;
    }
    double v = 0;
    if (!readNumber(arg.value, key, v))
      continue;
    bool fraction = key == "momentum" || key == "beta_1" || key == "beta_2" ||
                    key == "rho";
    if (fraction ? !(v >= 0 && v < 1)
                 : (key == "initial_accumulator" ? v < 0 : !(v > 0))) {
      diags_.error(ast::offsetOf(arg.value),
                   key + (fraction ? " must be in [0, 1)"
                                   : " must be positive"));
      continue;
    }
    *it->second = v;
  }
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

} // namespace

TrainPlan checkTrain(const ast::Train &train, const ModelGraph &model,
                     int modelIndex, const SourceFile &file,
                     DiagnosticEngine &diags) {
  TrainPlan plan = TrainChecker(train, model, file, diags).run();
  plan.modelIndex = modelIndex;
  return plan;
}

} // namespace sema
} // namespace aenet
