//===- Sema.cpp - Semantic checks of models -------------------------------===//
//
// Walks a model's items in order, keeping the "current value" that sequential
// layers consume; resolves names, binds arguments, infers shapes, names layers
// as Keras does, and checks losses and metrics against their targets. A value
// whose layer failed is marked poisoned so one mistake is reported once.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Sema.h"

#include "LayerArgs.h"
#include "Numbers.h"
#include "SemaInternal.h"

#include <map>
#include <set>
#include <unordered_map>

namespace aenet {

namespace sema {

namespace {

class ModelChecker {
public:
  ModelChecker(const ast::Model &model, DiagnosticEngine &diags,
               const FixedInputs *fixed)
      : model_(model), diags_(diags), fixed_(fixed) {
    graph_.name = model.name.name;
    graph_.offset = model.name.offset;
  }

  ModelGraph run();

private:
  void collectExplicitNames();
  void addInput(const ast::InputDecl &decl);
  /// Gives the `?` extents of |input| the data's (|fixed_|); false after
  /// reporting shapes that do not fit.
  bool fixExtents(InputInfo &input, uint32_t at);
  void addBlock(const ast::Block &block);
  void addLayer(const ast::LayerStmt &stmt, const std::string &block);
  std::string autoName(LayerKind kind);
  /// Defines a value name; reports a duplicate or reserved name.
  bool defineName(const ast::Ident &name);
  int resolve(const ast::Ident &name);
  void addLoss(const ast::LossDecl &decl);
  void addMetric(const ast::MetricDecl &decl);
  /// Whether |value| may be compared with |target| by a function that needs
  /// class labels (|classTarget|) or equal shapes.
  bool checkTarget(const std::string &fn, int value, int target,
                   bool acceptsClasses, uint32_t at);
  std::vector<std::string> valueNames() const;
  /// Appends |value| to the graph and indexes its name; returns its id.
  int addValue(ValueInfo value);
  /// Whether every element count of a layer's result and parameters, and the
  /// model's running parameter count, is within `kMaxElements`.
  bool checkSizes(const LayerNode &node, const ValueInfo &result);
  /// Refuses a second loss or metric that would report under the same name
  /// (a column of metrics.csv) as an earlier one.
  bool checkReportedName(const std::string &name, uint32_t at);

  const ast::Model &model_;
  DiagnosticEngine &diags_;
  const FixedInputs *fixed_;
  ModelGraph graph_;
  int current_ = -1;
  std::set<int> poisoned_;
  std::map<std::string, uint32_t> definedAt_;
  std::set<std::string> explicitNames_;
  std::map<LayerKind, int> kindCounts_;
  /// Value and block names to their ids, so that checking stays linear in
  /// the number of layers.
  std::unordered_map<std::string, int> valueIds_;
  std::unordered_map<std::string, size_t> blockIds_;
  std::map<std::string, uint32_t> reportedAt_;
  int64_t paramTotal_ = 0;
};

int ModelChecker::addValue(ValueInfo value) {
  int id = static_cast<int>(graph_.values.size());
  if (!value.name.empty())
    valueIds_.emplace(value.name, id);
  graph_.values.push_back(std::move(value));
  return id;
}

bool ModelChecker::checkSizes(const LayerNode &node, const ValueInfo &result) {
  std::string limit = std::to_string(kMaxElements);
  if (!boundedProduct(result.shape.dims)) {
    diags_.error(node.offset, "layer '" + node.name +
                                  "': its output would have more than " +
                                  limit + " elements per sample");
    return false;
  }
  for (const ParamInfo &param : node.params) {
    std::optional<int64_t> n = boundedProduct(param.shape);
    if (!n) {
      diags_.error(node.offset, "layer '" + node.name + "': its " +
                                    param.name + " would have more than " +
                                    limit + " parameters");
      return false;
    }
    paramTotal_ += *n;
    if (paramTotal_ > kMaxElements) {
      diags_.error(node.offset, "model '" + graph_.name +
                                    "' would have more than " + limit +
                                    " parameters at layer '" + node.name +
                                    "'");
      return false;
    }
  }
  return true;
}

bool ModelChecker::checkReportedName(const std::string &name, uint32_t at) {
  auto [it, inserted] = reportedAt_.emplace(name, at);
  if (inserted)
    return true;
  diags_.error(at, "a second loss or metric reported as '" + name +
                       "'; give each value at most one loss and one metric "
                       "of each kind");
  diags_.note(it->second, "'" + name + "' first reported here");
  return false;
}

std::vector<std::string> ModelChecker::valueNames() const {
  std::vector<std::string> names;
  for (const ValueInfo &v : graph_.values)
    names.push_back(v.name);
  return names;
}

bool ModelChecker::defineName(const ast::Ident &name) {
  if (isReservedWord(name.name)) {
    diags_.error(name.offset, "'" + name.name +
                                  "' is a reserved word and cannot name a "
                                  "value");
    return false;
  }
  auto [it, inserted] = definedAt_.emplace(name.name, name.offset);
  if (!inserted) {
    diags_.error(name.offset, "'" + name.name + "' is already defined");
    diags_.note(it->second, "'" + name.name + "' was first defined here");
    return false;
  }
  return true;
}

int ModelChecker::resolve(const ast::Ident &name) {
  auto it = valueIds_.find(name.name);
  if (it != valueIds_.end())
    return it->second;
  diags_.error(name.offset, "'" + name.name + "' is not a defined value" +
                                didYouMean(name.name, valueNames()));
  return -1;
}

void ModelChecker::collectExplicitNames() {
  auto visitLayer = [&](const ast::LayerStmt &stmt) {
    if (stmt.output)
      explicitNames_.insert(stmt.output->name);
  };
  for (const ast::ModelItem &item : model_.items) {
    if (const auto *stmt = boost::get<ast::LayerStmt>(&item.get()))
      visitLayer(*stmt);
    else if (const auto *block = boost::get<ast::Block>(&item.get()))
      for (const ast::LayerStmt &stmt : block->layers)
        visitLayer(stmt);
  }
}

std::string ModelChecker::autoName(LayerKind kind) {
  // Keras: dense, dense_1, dense_2, ...; skip names the user chose.
  while (true) {
    int n = kindCounts_[kind]++;
    std::string name = layerDefaultName(kind);
    if (n > 0)
      name += "_" + std::to_string(n);
    if (!explicitNames_.count(name) && !definedAt_.count(name))
      return name;
  }
}

bool ModelChecker::fixExtents(InputInfo &input, uint32_t at) {
  if (!fixed_ || input.shape.isStatic())
    return true;
  auto it = fixed_->shapes.find(input.name);
  if (it == fixed_->shapes.end())
    return true;
  const Shape &data = it->second;
  bool fits = data.rank() == input.shape.rank() && data.isStatic();
  for (size_t i = 0; fits && i < data.rank(); ++i)
    fits = input.shape.dims[i] < 0 || input.shape.dims[i] == data.dims[i];
  if (!fits) {
    diags_.error(at, "the data of input '" + input.name + "' has samples of " +
                         data.str() + ", which do not fit " +
                         input.shape.str());
    return false;
  }
  input.shape = data;
  input.padded = fixed_->padded.count(input.name) > 0;
  return true;
}

void ModelChecker::addInput(const ast::InputDecl &decl) {
  InputInfo input;
  input.name = decl.name.name;
  input.offset = decl.name.offset;
  const ast::TypeExpr &type = decl.type;
  auto known = [&](int64_t d) {
    if (d > 0)
      return true;
    diags_.error(type.offset, "extent must be at least 1 in " + type.kind +
                                  " type, got " + std::to_string(d));
    return false;
  };
  bool ok = true;
  // Bounded before anything multiplies the extents; the input is kept
  // without a shape, as for any rejected type.
  if (!boundedProduct(type.dims)) {
    diags_.error(type.offset, "input '" + input.name + "' would have more "
                              "than " + std::to_string(kMaxElements) +
                                  " elements per sample");
    ok = false;
    input.kind = type.kind == "class"   ? InputKind::Class
                 : type.kind == "chars" ? InputKind::Chars
                                        : InputKind::F32;
  } else if (type.kind == "f32") {
    input.kind = InputKind::F32;
    input.shape = Shape(type.dims);
    for (size_t i = 0; i < type.dims.size(); ++i) {
      if (type.dims[i] == -1 && i != 0) {
        diags_.error(type.offset,
                     "only the first (sequence) dimension may be '?'");
        ok = false;
      } else if (type.dims[i] != -1) {
        ok &= known(type.dims[i]);
      }
    }
  } else if (type.kind == "class") {
    input.kind = InputKind::Class;
    if (type.dims.size() != 1 || type.dims[0] < 2) {
      diags_.error(type.offset,
                   "class takes the number of classes (at least 2): class[N]");
      ok = false;
    } else {
      input.classes = type.dims[0];
      input.shape = Shape{input.classes};
    }
  } else {
    input.kind = InputKind::Chars;
    if (type.dims.size() != 2 || type.dims[1] < 2 ||
        (type.dims[0] != -1 && type.dims[0] < 1)) {
      diags_.error(type.offset, "chars takes a length (or '?') and a "
                                "vocabulary size: chars[T, V]");
      ok = false;
    } else {
      input.classes = type.dims[1];
      input.shape = Shape{type.dims[0], type.dims[1]};
    }
  }
  if (ok && input.kind != InputKind::Class)
    ok = fixExtents(input, type.offset);
  if (!defineName(decl.name))
    return;
  ValueInfo value;
  value.name = input.name;
  value.shape = input.shape;
  value.input = static_cast<int>(graph_.inputs.size());
  value.offset = input.offset;
  input.value = addValue(std::move(value));
  if (!ok)
    poisoned_.insert(input.value);
  if (current_ < 0)
    current_ = input.value;
  graph_.inputs.push_back(std::move(input));
}

void ModelChecker::addLayer(const ast::LayerStmt &stmt,
                            const std::string &block) {
  const ast::Call &call = stmt.call;
  std::optional<LayerKind> kind = parseLayerKind(call.callee.name);
  if (!kind) {
    diags_.error(call.callee.offset,
                 "unknown layer '" + call.callee.name + "'" +
                     didYouMean(call.callee.name, layerKindNames()));
    if (stmt.output)
      defineName(*stmt.output);
    current_ = -1;
    return;
  }
  BoundLayer bound = bindLayer(
      *kind, call,
      [&](const std::string &n) {
        auto it = valueIds_.find(n);
        return it == valueIds_.end() ? -1 : it->second;
      },
      [&] { return valueNames(); }, diags_);

  LayerNode node;
  node.spec = bound.spec;
  node.block = block;
  node.offset = call.offset;
  if (takesCurrentValue(*kind)) {
    if (!bound.namedOperands.empty()) {
      node.operands = {bound.namedOperands.front()};
    } else if (current_ >= 0) {
      node.operands = {current_};
    } else if (graph_.values.empty()) {
      diags_.error(call.offset, "layer '" + call.callee.name +
                                    "' has no input; declare an input first");
      bound.ok = false;
    } else {
      bound.ok = false; // the previous layer failed; already reported
    }
  } else {
    node.operands = bound.namedOperands;
    size_t wanted = *kind == LayerKind::SampleNormal ? 2 : 0;
    if (bound.ok && wanted && node.operands.size() != wanted) {
      diags_.error(call.offset, "sample_normal takes two values: "
                                "sample_normal(mu, logvar)");
      bound.ok = false;
    } else if (bound.ok && *kind == LayerKind::Concat &&
               node.operands.size() < 2) {
      diags_.error(call.offset, "concat takes at least two values");
      bound.ok = false;
    }
  }

  bool named = stmt.output && defineName(*stmt.output);
  node.name = stmt.output ? stmt.output->name : autoName(*kind);
  node.explicitName = stmt.output.has_value();
  if (!stmt.output)
    definedAt_.emplace(node.name, call.offset);

  ValueInfo result;
  result.name = node.name;
  result.offset = stmt.output ? stmt.output->offset : call.offset;
  result.producer = static_cast<int>(graph_.layers.size());

  bool inputsOk = bound.ok;
  for (int operand : node.operands) {
    inputsOk &= !poisoned_.count(operand);
    result.awaitsLength |= graph_.values[operand].awaitsLength;
  }
  if (inputsOk && !result.awaitsLength) {
    std::vector<Shape> shapes;
    bool variable = false;
    for (int operand : node.operands) {
      shapes.push_back(graph_.values[operand].shape);
      variable |= !shapes.back().isStatic();
    }
    ShapeResult shape = inferShape(node.spec, shapes);
    if (shape.ok()) {
      result.shape = shape.shape;
      node.params = layerParams(node.spec, shapes);
      inputsOk = checkSizes(node, result);
    } else if (variable) {
      // Perhaps fine once the data fixes the length (flatten, then dense):
      // checked again then, with this message if it still fails.
      result.awaitsLength = true;
    } else {
      diags_.error(call.offset, "layer '" + node.name + "': " + shape.error);
      inputsOk = false;
    }
  }
  if (stmt.output && !named) {
    // A duplicate name keeps the first definition; this result is anonymous.
    result.name.clear();
  }
  node.result = addValue(std::move(result));
  if (!inputsOk)
    poisoned_.insert(node.result);
  current_ = node.result;
  graph_.layers.push_back(std::move(node));
}

void ModelChecker::addBlock(const ast::Block &block) {
  BlockInfo info;
  info.kind = block.kind;
  info.offset = block.offset;
  if (block.kind == "head") {
    if (!block.name) {
      diags_.error(block.offset, "a head needs a name: head NAME(FROM) {...}");
      info.name = "head";
    } else {
      info.name = block.name->name;
    }
  } else {
    info.name = block.name ? block.name->name : block.kind;
  }
  auto [previous, isNew] = blockIds_.emplace(info.name, graph_.blocks.size());
  if (!isNew) {
    diags_.error(block.name ? block.name->offset : block.offset,
                 "block '" + info.name + "' is already defined");
    diags_.note(graph_.blocks[previous->second].offset,
                "'" + info.name + "' was first defined here");
  }
  if (block.from) {
    int from = resolve(*block.from);
    if (from >= 0)
      current_ = from;
    else
      current_ = -1;
  }
  info.from = current_;
  info.firstLayer = static_cast<int>(graph_.layers.size());
  for (const ast::LayerStmt &stmt : block.layers)
    addLayer(stmt, info.name);
  info.endLayer = static_cast<int>(graph_.layers.size());
  if (block.layers.empty())
    diags_.error(block.offset, "block '" + info.name + "' has no layers");
  graph_.blocks.push_back(std::move(info));
}

bool ModelChecker::checkTarget(const std::string &fn, int value, int target,
                               bool acceptsClasses, uint32_t at) {
  if (poisoned_.count(value) || poisoned_.count(target))
    return false;
  const ValueInfo &v = graph_.values[value];
  const ValueInfo &t = graph_.values[target];
  // Checked again when the data fixes the length.
  if (v.awaitsLength || t.awaitsLength)
    return true;
  const InputInfo *input = t.input >= 0 ? &graph_.inputs[t.input] : nullptr;
  if (input && input->kind == InputKind::Class) {
    if (!acceptsClasses) {
      diags_.error(at, fn + " needs a real-valued target, but '" + t.name +
                           "' is a class label (use cce or sparse_cce)");
      return false;
    }
    if (v.shape != Shape{input->classes}) {
      diags_.error(at, fn + ": '" + v.name + "' has shape " + v.shape.str() +
                           " but class target '" + t.name + "' needs " +
                           Shape{input->classes}.str());
      return false;
    }
    return true;
  }
  if (v.shape != t.shape) {
    diags_.error(at, fn + ": '" + v.name + "' has shape " + v.shape.str() +
                         " but target '" + t.name + "' has shape " +
                         t.shape.str());
    return false;
  }
  return true;
}

void ModelChecker::addLoss(const ast::LossDecl &decl) {
  static const std::map<std::string, LossKind> kinds = {
      {"mse", LossKind::MSE},        {"mae", LossKind::MAE},
      {"bce", LossKind::BCE},        {"cce", LossKind::CCE},
      {"sparse_cce", LossKind::SparseCCE}, {"kl_normal", LossKind::KLNormal}};
  const ast::Call &fn = decl.fn;
  auto kind = kinds.find(fn.callee.name);
  if (kind == kinds.end()) {
    std::vector<std::string> names;
    for (const auto &k : kinds)
      names.push_back(k.first);
    diags_.error(fn.callee.offset, "unknown loss '" + fn.callee.name + "'" +
                                       didYouMean(fn.callee.name, names));
    return;
  }
  LossInfo loss;
  loss.kind = kind->second;
  loss.offset = decl.offset;
  if (decl.weight) {
    std::optional<double> weight = readReal(*decl.weight, "a loss weight",
                                            diags_);
    loss.weight = weight.value_or(1);
    if (weight && !(*weight > 0))
      diags_.error(decl.weight->offset, "a loss weight must be positive");
  }
  const std::string &name = fn.callee.name;

  // Positional values: targets or (kl_normal) mu and logvar; then options.
  std::vector<const ast::Ident *> values;
  for (const ast::Arg &arg : fn.args) {
    const ast::Ident *id = ast::asIdent(arg.value);
    if (arg.key) {
      if (arg.key->name != "reduction" || !id ||
          (id->name != "mean" && id->name != "sum")) {
        diags_.error(arg.offset, name + " takes only 'reduction = mean|sum'");
        return;
      }
      loss.reduction = id->name == "sum" ? Reduction::Sum : Reduction::Mean;
    } else if (id && (id->name == "mean" || id->name == "sum")) {
      loss.reduction = id->name == "sum" ? Reduction::Sum : Reduction::Mean;
    } else if (id) {
      values.push_back(id);
    } else {
      diags_.error(arg.offset, name + " takes value names, got " +
                                   ast::describe(arg.value));
      return;
    }
  }

  if (loss.kind == LossKind::KLNormal) {
    if (decl.value) {
      diags_.error(decl.value->offset,
                   "kl_normal takes its values as arguments: "
                   "loss kl_normal(mu, logvar)");
      return;
    }
    if (values.size() != 2) {
      diags_.error(fn.offset, "kl_normal takes two values: kl_normal(mu, "
                              "logvar)");
      return;
    }
    loss.value = resolve(*values[0]);
    loss.target = resolve(*values[1]);
    if (loss.value < 0 || loss.target < 0)
      return;
    if (checkTarget(name, loss.value, loss.target, false, fn.offset) &&
        checkReportedName("kl_loss", decl.offset))
      graph_.losses.push_back(loss);
    return;
  }
  if (!decl.value) {
    diags_.error(fn.offset, "a " + name +
                                " loss needs the value it applies to: loss "
                                "VALUE: " + name + "(TARGET)");
    return;
  }
  if (values.size() > 1 && !valueIds_.count(values[1]->name)) {
    // `mse(x, median)`: a misspelt or unknown reduction, not a second target.
    diags_.error(values[1]->offset,
                 "'" + values[1]->name + "' is not a reduction; " + name +
                     " reduces by 'mean' (the default) or 'sum'" +
                     didYouMean(values[1]->name, {"mean", "sum"}));
    return;
  }
  if (values.size() != 1) {
    diags_.error(fn.offset, name + " takes one target: " + name + "(TARGET)");
    return;
  }
  loss.value = resolve(*decl.value);
  loss.target = resolve(*values[0]);
  if (loss.value < 0 || loss.target < 0)
    return;
  bool classes = loss.kind == LossKind::CCE || loss.kind == LossKind::SparseCCE;
  // Losses report as VALUE_loss (ModelToAenet's reportedNames).
  if (checkTarget(name, loss.value, loss.target, classes, fn.offset) &&
      checkReportedName(graph_.values[loss.value].name + "_loss",
                        decl.offset))
    graph_.losses.push_back(loss);
}

void ModelChecker::addMetric(const ast::MetricDecl &decl) {
  static const std::map<std::string, MetricKind> kinds = {
      {"accuracy", MetricKind::Accuracy},
      {"pixel_accuracy", MetricKind::PixelAccuracy},
      {"mse", MetricKind::MSE},
      {"mae", MetricKind::MAE},
      {"bce", MetricKind::BCE},
      {"rmse", MetricKind::RMSE},
      {"errors", MetricKind::Errors}};
  const ast::Call &fn = decl.fn;
  auto kind = kinds.find(fn.callee.name);
  if (kind == kinds.end()) {
    std::vector<std::string> names;
    for (const auto &k : kinds)
      names.push_back(k.first);
    diags_.error(fn.callee.offset, "unknown metric '" + fn.callee.name + "'" +
                                       didYouMean(fn.callee.name, names));
    return;
  }
  const ast::Ident *target =
      fn.args.size() == 1 && !fn.args[0].key ? ast::asIdent(fn.args[0].value)
                                             : nullptr;
  if (!target) {
    diags_.error(fn.offset, fn.callee.name + " takes one target: " +
                                fn.callee.name + "(TARGET)");
    return;
  }
  MetricInfo metric;
  metric.kind = kind->second;
  metric.offset = decl.offset;
  metric.value = resolve(decl.value);
  metric.target = resolve(*target);
  if (metric.value < 0 || metric.target < 0)
    return;
  const ValueInfo &t = graph_.values[metric.target];
  // A chars target is one one-hot class per step: accuracy is then the
  // share of steps whose character is predicted, errors the number of steps
  // per sample whose character is not.
  bool classes = metric.kind == MetricKind::Accuracy ||
                 metric.kind == MetricKind::Errors;
  if (classes &&
      (t.input < 0 || (graph_.inputs[t.input].kind != InputKind::Class &&
                       graph_.inputs[t.input].kind != InputKind::Chars))) {
    diags_.error(target->offset,
                 fn.callee.name + " counts " +
                     (metric.kind == MetricKind::Accuracy ? "correct"
                                                          : "wrong") +
                     " class predictions and needs a class target such as "
                     "'digit: class[10]'; '" +
                     t.name +
                     "' is real-valued (pixel_accuracy compares values "
                     "rounded at 0.5)");
    return;
  }
  // Metrics report as VALUE_METRIC (ModelToAenet's reportedNames).
  if (checkTarget(fn.callee.name, metric.value, metric.target, classes,
                  fn.offset) &&
      checkReportedName(graph_.values[metric.value].name + "_" +
                            fn.callee.name,
                        decl.offset))
    graph_.metrics.push_back(metric);
}

ModelGraph ModelChecker::run() {
  collectExplicitNames();
  for (const ast::ModelItem &item : model_.items) {
    if (diags_.errorLimitReached())
      return std::move(graph_);
    if (const auto *input = boost::get<ast::InputDecl>(&item.get()))
      addInput(*input);
    else if (const auto *stmt = boost::get<ast::LayerStmt>(&item.get()))
      addLayer(*stmt, "");
    else if (const auto *block = boost::get<ast::Block>(&item.get()))
      addBlock(*block);
  }
  // Losses and metrics may name values defined anywhere in the model.
  for (const ast::ModelItem &item : model_.items) {
    if (diags_.errorLimitReached())
      return std::move(graph_);
    if (const auto *loss = boost::get<ast::LossDecl>(&item.get()))
      addLoss(*loss);
    else if (const auto *metric = boost::get<ast::MetricDecl>(&item.get()))
      addMetric(*metric);
  }
  if (graph_.inputs.empty())
    diags_.error(model_.name.offset,
                 "model '" + graph_.name + "' has no input");
  bool anyLoss = false;
  for (const ast::ModelItem &item : model_.items)
    anyLoss |= boost::get<ast::LossDecl>(&item.get()) != nullptr;
  if (!anyLoss)
    diags_.error(model_.name.offset,
                 "model '" + graph_.name +
                     "' has no loss; add one such as 'loss recon: mse(x)'");
  return std::move(graph_);
}

} // namespace

ModelGraph checkModel(const ast::Model &model, DiagnosticEngine &diags,
                      const FixedInputs *fixed) {
  return ModelChecker(model, diags, fixed).run();
}

} // namespace sema

CheckedProgram checkProgram(const ast::Program &program,
                            const SourceFile &file, DiagnosticEngine &diags,
                            const FixedInputs *fixed) {
  CheckedProgram checked;
  std::map<std::string, uint32_t> modelsAt;
  std::map<std::string, int> modelIds;
  for (const ast::Model &model : program.models) {
    if (diags.errorLimitReached())
      break;
    auto [it, inserted] = modelsAt.emplace(model.name.name, model.name.offset);
    if (!inserted) {
      diags.error(model.name.offset,
                  "model '" + model.name.name + "' is already defined");
      diags.note(it->second, "'" + model.name.name + "' was first defined here");
      continue;
    }
    modelIds[model.name.name] = static_cast<int>(checked.models.size());
    bool isFixed = fixed && fixed->model == model.name.name;
    checked.models.push_back(
        sema::checkModel(model, diags, isFixed ? fixed : nullptr));
  }
  // A model trains by one block: a second one would be silently ignored
  // (`trainFor` finds the first).
  std::map<std::string, uint32_t> trainsAt;
  for (const ast::Train &train : program.trains) {
    if (diags.errorLimitReached())
      break;
    const std::string &name = train.model.name;
    auto model = modelIds.find(name);
    if (model == modelIds.end()) {
      std::vector<std::string> names;
      for (const ModelGraph &m : checked.models)
        names.push_back(m.name);
      diags.error(train.model.offset, "no model named '" + name + "'" +
                                          didYouMean(name, names));
      continue;
    }
    auto [first, inserted] = trainsAt.emplace(name, train.model.offset);
    if (!inserted) {
      diags.error(train.model.offset,
                  "model '" + name + "' already has a train block");
      diags.note(first->second, "the first train block of '" + name +
                                    "' is here");
      continue;
    }
    checked.trains.push_back(
        sema::checkTrain(train, checked.models[model->second], model->second,
                         file, diags));
  }
  if (program.models.empty() && !diags.hasErrors())
    diags.error(0, "no model in this file; a file needs at least one "
                   "'model NAME { ... }'");
  return checked;
}

} // namespace aenet
