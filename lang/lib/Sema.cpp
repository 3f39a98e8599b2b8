//===- Sema.cpp - Semantic checks of models -------------------------------===//
//
// Walks a model's items in order, keeping the "current value" that sequential
// layers consume; resolves names, binds arguments, infers shapes, names layers
// as Keras does (losses and metrics: SemaLosses.cpp). A value
// whose layer failed is marked poisoned so one mistake is reported once.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Sema.h"

#include "LayerArgs.h"
#include "ModelChecker.h"
#include "Numbers.h"
#include "SemaInternal.h"

#include <map>
#include <set>
#include <unordered_map>

namespace aenet {

namespace sema {

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

ModelGraph checkModel(const ast::Model &model, DiagnosticEngine &diags,
                      const FixedInputs *fixed) {
  return ModelChecker(model, diags, fixed).run();
}

} // namespace sema

CheckedProgram checkProgram(const ast::Program &program,
                            const SourceFile &file, DiagnosticEngine &diags,
                            const FixedInputs *fixed) {
  CheckedProgram checked;
  for (const ast::ParamDecl &param : program.params)
    checked.params.push_back({param.name.name, paramText(param), param.set});
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
