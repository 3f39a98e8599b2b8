//===- ModelToAenet.cpp - Build aenet IR from a checked model -------------===//
//
// Builds the module of a `ModelGraph`: the three entry functions (or one
// sub-model's), their arguments (inputs, parameters with their initializers
// and frozen marks, carried states, noise deviations, the seed), a walk
// over the layers in order that emits each (LayerEmission.cpp), then the
// losses, their weighted sum and the metrics, or predict's named outputs.
// Only the mode differs between the functions.
//
// An input that the train block corrupts (`corrupt x with gaussian(0.5)
// clip(0, 1)`) is corrupted in the graph, by the counter-based RNG of the
// gaussian_noise layer, then clipped: layers read the noisy value, losses
// and metrics the clean input, so a denoising autoencoder learns to map
// noisy inputs to clean targets. All three entry points corrupt, each from
// its seed argument: train_step gets a fresh seed per step, evaluate and
// predict a fixed one per batch (the runtime's `evaluationSeed`), so
// validation sees the same noise every epoch and run, and predict, which
// also returns the noisy input as "x (noisy)", shows what evaluate saw.
//
//===----------------------------------------------------------------------===//

#include "ModuleBuilder.h"

#include "aenet/Lang/Sema.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;
using D = mlir::aenet::AenetDialect;

namespace aenet {

namespace frontend {

std::set<int> ModuleBuilder::frozenLayers() const {
  return plan_ ? ::aenet::frozenLayers(model_, plan_->frozen)
               : std::set<int>();
}

std::vector<bool> ModuleBuilder::neededLayers() const {
  if (options_.to.empty())
    return std::vector<bool>(model_.layers.size(), true);
  std::vector<bool> needed(model_.layers.size(), false);
  std::vector<int> pending = options_.to;
  while (!pending.empty()) {
    int v = pending.back();
    pending.pop_back();
    int layer = model_.values[v].producer;
    if (layer < 0 || needed[layer] ||
        llvm::is_contained(options_.from, v))
      continue;
    needed[layer] = true;
    pending.insert(pending.end(), model_.layers[layer].operands.begin(),
                   model_.layers[layer].operands.end());
  }
  return needed;
}

ir::OptimizerAttr ModuleBuilder::optimizerAttr() {
  // The spec holds Keras's defaults for whatever the train block left out
  // (the language applies them, in one place); every field the kind uses is
  // copied, the others stay 0.
  OptimizerSpec opt = plan_ ? plan_->optimizer : OptimizerSpec();
  ir::OptimizerKind kind = ir::OptimizerKind::sgd;
  switch (opt.kind) {
  case OptimizerKind::SGD:
    kind = ir::OptimizerKind::sgd;
    break;
  case OptimizerKind::Adam:
    kind = ir::OptimizerKind::adam;
    break;
  case OptimizerKind::RMSProp:
    kind = ir::OptimizerKind::rmsprop;
    break;
  case OptimizerKind::Adagrad:
    kind = ir::OptimizerKind::adagrad;
    break;
  case OptimizerKind::Adadelta:
    kind = ir::OptimizerKind::adadelta;
    break;
  }
  auto field = [&](StringRef name, double value) {
    return llvm::APFloat(ir::OptimizerAttr::usesField(kind, name) ? value
                                                                  : 0.0);
  };
  return ir::OptimizerAttr::get(
      &ctx_, kind, field("lr", opt.learningRate),
      field("momentum", opt.momentum),
      ir::OptimizerAttr::usesField(kind, "nesterov") && opt.nesterov,
      field("beta1", opt.beta1), field("beta2", opt.beta2),
      field("epsilon", opt.epsilon), field("rho", opt.rho),
      field("initial_accumulator", opt.initialAccumulator),
      field("clip_norm", plan_ ? plan_->clipNorm : 0.0),
      field("clip_value", plan_ ? plan_->clipValue : 0.0));
}

/// Whether |kind| is one of the recurrent layers.
static bool isRecurrent(LayerKind kind) {
  return kind == LayerKind::RNN || kind == LayerKind::LSTM ||
         kind == LayerKind::GRU;
}

/// The `#aenet.init` of a parameter, from its layer definition. The dialect
/// spells each initializer as the runtime does, so the name maps one to the
/// other.
static ir::InitializerAttr initializerAttr(MLIRContext *ctx,
                                           const rt::InitializerSpec &spec) {
  std::optional<ir::InitializerKind> kind =
      ir::symbolizeInitializerKind(rt::initializerName(spec.kind));
  if (!kind)
    llvm::report_fatal_error("the dialect has no initializer " +
                             llvm::Twine(rt::initializerName(spec.kind)));
  return ir::InitializerAttr::get(ctx, *kind, spec.fanIn, spec.fanOut,
                                  llvm::APFloat(spec.value), spec.index,
                                  spec.blocks);
}

/// The runtime's name of corruption |index|'s deviation: by position, as
/// an input may be corrupted twice.
static std::string corruptionStddevName(size_t index) {
  return "corrupt[" + std::to_string(index) + "].stddev";
}

func::FuncOp ModuleBuilder::buildFunction(ModuleOp module, StringRef name,
                                          Mode mode) {
  SmallVector<Type> argTypes;
  SmallVector<DictionaryAttr> argAttrs;
  auto attr = [&](StringRef key, Attribute value) {
    return b_.getDictionaryAttr({b_.getNamedAttr(key, value)});
  };
  // A sub-model's inputs are the values it starts from, named as they are.
  bool sub = mode == Mode::Sub;
  std::vector<bool> needed = neededLayers();
  auto given = [&](const InputInfo &input) {
    return !sub || llvm::is_contained(options_.from, input.value);
  };
  if (sub) {
    for (int v : options_.from) {
      argTypes.push_back(batched(model_.values[v].shape));
      argAttrs.push_back(attr(D::getInputAttrName(),
                              b_.getStringAttr(model_.values[v].name)));
    }
  } else {
    for (const InputInfo &input : model_.inputs) {
      argTypes.push_back(batched(input.shape));
      argAttrs.push_back(
          attr(D::getInputAttrName(), b_.getStringAttr(input.name)));
    }
  }
  // The real lengths of each padded input's sequences, which the runtime
  // binds by name like any input.
  std::vector<unsigned> lengthArgs;
  for (const InputInfo &input : model_.inputs)
    if (input.padded && given(input)) {
      lengthArgs.push_back(argTypes.size());
      argTypes.push_back(RankedTensorType::get({options_.batch}, element_));
      argAttrs.push_back(attr(D::getInputAttrName(),
                              b_.getStringAttr(sequenceLengthsName(input.name))));
    }
  std::set<int> frozen = frozenLayers();
  std::vector<unsigned> firstParam;
  for (size_t i = 0; i < model_.layers.size(); ++i) {
    const LayerNode &layer = model_.layers[i];
    firstParam.push_back(argTypes.size());
    if (!needed[i])
      continue;
    for (const ParamInfo &p : layer.params) {
      argTypes.push_back(RankedTensorType::get(p.shape, element_));
      SmallVector<NamedAttribute> entries = {
          b_.getNamedAttr(D::getParamAttrName(),
                          b_.getStringAttr(layer.name + "." + p.name))};
      if (frozen.count(static_cast<int>(i)))
        entries.push_back(
            b_.getNamedAttr(D::getFrozenAttrName(), b_.getUnitAttr()));
      entries.push_back(
          b_.getNamedAttr(ir::AenetDialect::getInitAttrName(),
                          initializerAttr(b_.getContext(), p.init)));
      argAttrs.push_back(b_.getDictionaryAttr(entries));
    }
  }
  // A stateful layer's initial states are buffers the runtime keeps between
  // batches; each entry point writes the final states back into them.
  layerStates_.assign(model_.layers.size(), {});
  finalStates_.clear();
  std::vector<std::pair<int, unsigned>> stateArgs;
  for (size_t i = 0; i < model_.layers.size(); ++i) {
    const LayerNode &layer = model_.layers[i];
    if (!isRecurrent(layer.spec.kind) || !layer.spec.stateful || !needed[i])
      continue;
    for (const char *which : {".h", ".c"}) {
      if (which[1] == 'c' && layer.spec.kind != LayerKind::LSTM)
        break;
      stateArgs.push_back({static_cast<int>(i), argTypes.size()});
      argTypes.push_back(
          RankedTensorType::get({options_.batch, layer.spec.units}, element_));
      argAttrs.push_back(attr(D::getLayerStateAttrName(),
                              b_.getStringAttr(layer.name + which)));
    }
  }
  // Every entry point of a model with corrupted inputs draws their noise,
  // so each needs a seed; otherwise only training does (dropout, noise).
  // Sampled inference (FrontendOptions::sampleSeed) too.
  bool corrupts = plan_ && !plan_->corruptions.empty() && !sub;
  // The deviation of each noise the function draws is a scalar argument,
  // so that one compiled program serves every noise level (a sweep over
  // them compiles once): the corruptions', then the gaussian_noise layers'
  // in training.
  std::vector<std::pair<Value *, unsigned>> stddevArgs;
  corruptionStddevs_.assign(corrupts ? plan_->corruptions.size() : 0,
                            Value());
  layerStddevs_.assign(model_.layers.size(), Value());
  auto addStddev = [&](Value *slot, const std::string &name, double value) {
    stddevArgs.push_back({slot, argTypes.size()});
    argTypes.push_back(RankedTensorType::get({}, element_));
    argAttrs.push_back(attr(
        D::getHyperparameterAttrName(),
        b_.getDictionaryAttr(
            {b_.getNamedAttr("name", b_.getStringAttr(name)),
             b_.getNamedAttr("value", b_.getF64FloatAttr(value))})));
  };
  for (size_t k = 0; k < corruptionStddevs_.size(); ++k)
    addStddev(&corruptionStddevs_[k], corruptionStddevName(k),
              plan_->corruptions[k].stddev);
  for (size_t i = 0; i < model_.layers.size(); ++i)
    if (mode == Mode::Train && needed[i] &&
        model_.layers[i].spec.kind == LayerKind::GaussianNoise)
      addStddev(&layerStddevs_[i], model_.layers[i].name + ".stddev",
                model_.layers[i].spec.stddev);
  bool samples = false;
  for (size_t i = 0; i < model_.layers.size(); ++i)
    samples |= options_.sampleSeed && needed[i] &&
               model_.layers[i].spec.kind == LayerKind::SampleNormal;
  bool seeded = mode == Mode::Train || corrupts || samples;
  if (seeded) {
    argTypes.push_back(RankedTensorType::get({}, b_.getI64Type()));
    argAttrs.push_back(attr(D::getSeedAttrName(), b_.getUnitAttr()));
  }

  b_.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(b_, loc(model_.offset), name,
                                   b_.getFunctionType(argTypes, {}));
  func.setAllArgAttrs(argAttrs);
  Block *body = func.addEntryBlock();
  b_.setInsertionPointToStart(body);
  Value seed = seeded ? body->getArguments().back() : Value();
  for (auto [layer, arg] : stateArgs)
    layerStates_[layer].push_back(body->getArgument(arg));
  for (auto [slot, arg] : stddevArgs)
    *slot = body->getArgument(arg);

  // |values| are what layers read; |clean| what losses and metrics read.
  std::vector<Value> values(model_.values.size());
  if (sub)
    for (size_t i = 0; i < options_.from.size(); ++i)
      values[options_.from[i]] = body->getArgument(i);
  else
    for (size_t i = 0; i < model_.inputs.size(); ++i)
      values[model_.inputs[i].value] = body->getArgument(i);
  // Which values are sequences with padded steps, and their lengths: a
  // padded input's, passed on through the layers that keep the steps (the
  // recurrent layers returning sequences, per-step layers); a layer that
  // reduces the steps (return_sequences = false) or flattens them ends it.
  lengths_.assign(model_.values.size(), Value());
  {
    size_t next = 0;
    for (const InputInfo &input : model_.inputs)
      if (input.padded && given(input))
        lengths_[input.value] = body->getArgument(lengthArgs[next++]);
  }
  std::vector<Value> clean = values;
  if (corrupts)
    for (size_t k = 0; k < plan_->corruptions.size(); ++k) {
      const Corruption &c = plan_->corruptions[k];
      for (const InputInfo &input : model_.inputs)
        if (input.name == c.input)
          values[input.value] = emitCorruption(c, static_cast<int>(k),
                                               values[input.value], seed);
    }
  SmallVector<Value> regularizers;
  for (size_t i = 0; i < model_.layers.size(); ++i) {
    const LayerNode &layer = model_.layers[i];
    if (!needed[i])
      continue;
    SmallVector<Value> operands, params;
    for (int operand : layer.operands)
      operands.push_back(values[operand]);
    for (size_t p = 0; p < layer.params.size(); ++p)
      params.push_back(body->getArgument(firstParam[i] + p));
    values[layer.result] = emitLayer(layer, static_cast<int>(i), operands,
                                     params, seed, mode, regularizers);
    if (!layer.operands.empty() && keepsSteps(layer.spec))
      lengths_[layer.result] = lengths_[layer.operands[0]];
  }

  SmallVector<Value> results;
  SmallVector<std::string> names;
  if (sub) {
    for (int v : options_.to) {
      results.push_back(values[v]);
      names.push_back(model_.values[v].name);
    }
  } else if (mode == Mode::Predict) {
    for (const LayerNode &layer : model_.layers)
      if (layer.explicitName || &layer == &model_.layers.back()) {
        results.push_back(values[layer.result]);
        names.push_back(layer.name);
      }
    // What the layers read in place of each corrupted input, so that
    // pictures show exactly the noisy inputs the outputs come from.
    for (const InputInfo &input : model_.inputs)
      if (values[input.value] != clean[input.value]) {
        results.push_back(values[input.value]);
        names.push_back(noisyName(input.name));
      }
  } else {
    SmallVector<Value> terms;
    for (const LossInfo &loss : model_.losses) {
      Location l = loc(loss.offset);
      auto data = [&](int v) { return clean[v] ? clean[v] : values[v]; };
      Value pred = data(loss.value), target = data(loss.target);
      if (loss.kind == LossKind::KLNormal) {
        // mu and logvar: value and target of the loss.
        terms.push_back(ir::KlNormalOp::create(b_, l, pred, target));
        continue;
      }
      ir::LossFunction kind =
          loss.kind == LossKind::MSE   ? ir::LossFunction::mse
          : loss.kind == LossKind::MAE ? ir::LossFunction::mae
          : loss.kind == LossKind::BCE ? ir::LossFunction::bce
                                       : ir::LossFunction::cce;
      auto reduction = loss.reduction == Reduction::Sum
                           ? ir::LossReduction::sum
                           : ir::LossReduction::mean;
      Value term = ir::LossOp::create(b_, l, kind, reduction, pred, target);
      terms.push_back(term);
    }
    Value total;
    for (size_t i = 0; i < terms.size(); ++i) {
      Value weighted = terms[i];
      if (model_.losses[i].weight != 1)
        weighted = ir::ScaleOp::create(
            b_, weighted.getLoc(), weighted,
            b_.getF64FloatAttr(model_.losses[i].weight));
      total = total ? Value(ir::AddOp::create(b_, weighted.getLoc(), total,
                                              weighted))
                    : weighted;
    }
    for (Value r : regularizers)
      total = ir::AddOp::create(b_, r.getLoc(), total, r);
    results.push_back(total);
    if (terms.size() > 1 || !regularizers.empty())
      results.append(terms.begin(), terms.end());
    for (const MetricInfo &metric : model_.metrics) {
      auto kind = ir::symbolizeMetricKind(metricKindName(metric.kind));
      auto data = [&](int v) { return clean[v] ? clean[v] : values[v]; };
      results.push_back(ir::MetricOp::create(
          b_, loc(metric.offset), *kind, data(metric.value),
          metric.target >= 0 ? data(metric.target) : Value()));
    }
    std::vector<std::string> reported = model_.reportedNames();
    names.assign(reported.begin(), reported.end());
  }
  size_t named = results.size();
  for (const auto &[name, state] : finalStates_)
    results.push_back(state);
  func::ReturnOp::create(b_, func.getLoc(), results);
  SmallVector<Type> resultTypes;
  for (Value r : results)
    resultTypes.push_back(r.getType());
  func.setFunctionType(b_.getFunctionType(argTypes, resultTypes));
  for (size_t i = 0; i < names.size(); ++i) {
    func.setResultAttr(i, D::getNameAttrName(), b_.getStringAttr(names[i]));
    // A metric whose epoch value is not the mean of its batch values (rmse)
    // tells the runtime how to make it.
    if (auto metric = results[i].getDefiningOp<ir::MetricOp>())
      if (metric.getFinish() != ir::ScalarFinish::mean)
        func.setResultAttr(
            i, D::getFinishAttrName(),
            b_.getStringAttr(ir::stringifyScalarFinish(metric.getFinish())));
  }
  for (size_t i = 0; i < finalStates_.size(); ++i)
    func.setResultAttr(named + i, D::getLayerStateAttrName(),
                       b_.getStringAttr(finalStates_[i].first));
  if (mode == Mode::Train) {
    func->setAttr(D::getDifferentiateAttrName(), b_.getUnitAttr());
    func->setAttr(D::getOptimizerAttrName(), optimizerAttr());
  }
  return func;
}

OwningOpRef<ModuleOp> ModuleBuilder::build() {
  if (failed(checkSupported()))
    return nullptr;
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc(model_.offset));
  (*module)->setAttr(D::getBatchAttrName(),
                     b_.getI64IntegerAttr(options_.batch));
  if (!options_.to.empty()) {
    buildFunction(*module, "submodel", Mode::Sub);
  } else {
    if (options_.entries & kTrainEntry)
      buildFunction(*module, "train_loss", Mode::Train);
    if (options_.entries & kEvaluateEntry)
      buildFunction(*module, "evaluate", Mode::Evaluate);
    if (options_.entries & kPredictEntry)
      buildFunction(*module, "predict", Mode::Predict);
  }
  if (failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

} // namespace frontend

OwningOpRef<ModuleOp> buildAenetModule(MLIRContext &ctx,
                                       const SourceFile &file,
                                       const ModelGraph &model,
                                       const TrainPlan *plan,
                                       const FrontendOptions &options) {
  ctx.loadDialect<mlir::aenet::AenetDialect, func::FuncDialect>();
  return frontend::ModuleBuilder(ctx, file, model, plan, options).build();
}

} // namespace aenet
