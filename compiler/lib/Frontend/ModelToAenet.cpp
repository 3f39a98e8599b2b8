//===- ModelToAenet.cpp - Build aenet IR from a checked model -------------===//
//
// Walks the layers of a `ModelGraph` in order and emits one aenet op (plus an
// activation op where the layer has one) per layer, then the losses, their
// weighted sum and the metrics. The same walk builds the three entry
// functions; only the mode differs (dropout and gaussian_noise layers act in
// training only; sample_normal too unless inference is asked to sample).
//
// Convolution layers get explicit pads computed here from Keras's 'same' and
// 'valid' (as TensorFlow does). An input that the train block corrupts
// (`corrupt x with gaussian(0.5) clip(0, 1)`) is corrupted in the graph, by
// the counter-based RNG of the gaussian_noise layer, then clipped: layers
// read the noisy value, losses and metrics the clean input, so a denoising
// autoencoder learns to map noisy inputs to clean targets. All three entry
// points corrupt, each from its seed argument: train_step gets a fresh seed
// per step, evaluate and predict a fixed one per batch (the runtime's
// `evaluationSeed`), so validation sees the same noise every epoch and run,
// and predict, which also returns the noisy input as "x (noisy)", shows
// what evaluate saw.
//
//===----------------------------------------------------------------------===//

#include "aenet/Frontend/ModelToAenet.h"

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"

#include <set>

using namespace mlir;
/// The dialect; `aenet::` alone is the language front end.
namespace ir = mlir::aenet;
using D = mlir::aenet::AenetDialect;

namespace aenet {

std::vector<std::string> reportedNames(const ModelGraph &model) {
  std::vector<std::string> names = {"loss"};
  bool regularized = false;
  for (const LayerNode &layer : model.layers)
    regularized |= layer.spec.activityRegularizer.active() ||
                   layer.spec.kernelRegularizer.active();
  if (model.losses.size() > 1 || regularized)
    for (const LossInfo &loss : model.losses)
      names.push_back((loss.kind == LossKind::KLNormal
                           ? std::string("kl")
                           : model.values[loss.value].name) +
                      "_loss");
  for (const MetricInfo &metric : model.metrics)
    names.push_back(model.values[metric.value].name + "_" +
                    metricKindName(metric.kind));
  return names;
}

namespace {

/// Sub: the inference function of a sub-model (FrontendOptions::to).
enum class Mode { Train, Evaluate, Predict, Sub };

/// TensorFlow's padding of one image axis of extent |in| for a window |k| at
/// stride |s|, as (before, after): none for 'valid'; for 'same' a total of
/// max((ceil(in / s) - 1) * s + k - in, 0), the odd row after.
std::pair<int64_t, int64_t> axisPads(int64_t in, int64_t k, int64_t s,
                                     Padding padding) {
  if (padding == Padding::Valid)
    return {0, 0};
  int64_t total = std::max<int64_t>(((in + s - 1) / s - 1) * s + k - in, 0);
  return {total / 2, total - total / 2};
}

/// The `pads` attribute [top, left, bottom, right] of a window placed on an
/// image [C, H, W] of shape |image|.
DenseI64ArrayAttr imagePads(OpBuilder &b, const Shape &image,
                            const std::array<int64_t, 2> &window,
                            const std::array<int64_t, 2> &strides,
                            Padding padding) {
  auto [top, bottom] = axisPads(image.dims[1], window[0], strides[0], padding);
  auto [left, right] = axisPads(image.dims[2], window[1], strides[1], padding);
  return b.getDenseI64ArrayAttr({top, left, bottom, right});
}

/// The salt of `sample_normal` layer |index| when inference samples with
/// |seed|: splitmix64's finalizer of both, so that each seed keys other
/// draws of eps, the same in every run.
int64_t samplingSalt(uint64_t seed, int index) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return static_cast<int64_t>(z ^ (z >> 31));
}

class ModuleBuilder {
public:
  ModuleBuilder(MLIRContext &ctx, const SourceFile &file,
                const ModelGraph &model, const TrainPlan *plan,
                const FrontendOptions &options)
      : ctx_(ctx), file_(file), model_(model), plan_(plan), options_(options),
        b_(&ctx) {
    element_ = options.useF64 ? Type(b_.getF64Type()) : b_.getF32Type();
  }

  OwningOpRef<ModuleOp> build();

private:
  Location loc(uint32_t offset) {
    LineCol pos = file_.lineCol(offset);
    return FileLineColLoc::get(&ctx_, file_.path(), pos.line, pos.column);
  }
  RankedTensorType batched(const Shape &shape) {
    SmallVector<int64_t> dims = {options_.batch};
    dims.append(shape.dims.begin(), shape.dims.end());
    return RankedTensorType::get(dims, element_);
  }
  /// Reports an error at |offset| in the model file.
  void error(uint32_t offset, const Twine &message) {
    emitError(loc(offset)) << message;
    failed_ = true;
  }

  LogicalResult checkSupported();
  std::set<int> frozenLayers() const;
  /// Per layer: whether a sub-model's results need it (every layer when
  /// the module is the whole model).
  std::vector<bool> neededLayers() const;
  func::FuncOp buildFunction(ModuleOp module, StringRef name, Mode mode);
  /// Emits corruption |index| of the train block on |x|: Gaussian noise
  /// drawn from |seed|, then the clip if it has one.
  Value emitCorruption(const Corruption &c, int index, Value x, Value seed);
  /// Emits layer |index|; returns its result (null after an error).
  Value emitLayer(const LayerNode &layer, int index, ArrayRef<Value> operands,
                  ArrayRef<Value> params, Value seed, Mode mode,
                  SmallVectorImpl<Value> &regularizers);
  /// Emits the rnn, lstm or gru |layer| on |in| from zero initial states;
  /// its result is the whole sequence with return_sequences, else the last
  /// step's h.
  Value emitRecurrent(const LayerNode &layer, Value in,
                      ArrayRef<Value> params);
  /// The train block's optimizer (Adam with Keras's defaults without one).
  ir::OptimizerAttr optimizerAttr();

  MLIRContext &ctx_;
  const SourceFile &file_;
  const ModelGraph &model_;
  const TrainPlan *plan_;
  FrontendOptions options_;
  OpBuilder b_;
  Type element_;
  bool failed_ = false;
  /// Per value of the function being built: the lengths of its padded
  /// sequences, or null.
  std::vector<Value> lengths_;
  /// Per layer of the function being built: a stateful layer's state
  /// arguments (h, then an LSTM's c); and the final states to write back,
  /// by state name.
  std::vector<SmallVector<Value, 2>> layerStates_;
  SmallVector<std::pair<std::string, Value>> finalStates_;
};

LogicalResult ModuleBuilder::checkSupported() {
  for (const InputInfo &input : model_.inputs)
    if (!input.shape.isStatic())
      error(input.offset,
            "input '" + input.name +
                "' has a variable length, which only its training data "
                "fixes (aec train, eval and predict do); compiling it "
                "without data needs a fixed length such as f32[50, 6]");
  for (const LayerNode &layer : model_.layers) {
    switch (layer.spec.kind) {
    case LayerKind::Dense:
    case LayerKind::Conv2D:
    case LayerKind::Conv2DTranspose:
    case LayerKind::MaxPool:
    case LayerKind::Upsample:
    case LayerKind::Activation:
    case LayerKind::Flatten:
    case LayerKind::Reshape:
    case LayerKind::Dropout:
    case LayerKind::GaussianNoise:
    case LayerKind::RNN:
    case LayerKind::LSTM:
    case LayerKind::GRU:
    case LayerKind::SampleNormal:
      break;
    default:
      error(layer.offset, Twine("the compiler does not handle ") +
                              layerKindName(layer.spec.kind) +
                              " layers yet");
    }
    if (layer.spec.kernelRegularizer.l1 != 0)
      error(layer.offset, "kernel_regularizer with an l1 term is not "
                          "supported yet; use l2(f)");
    if (layer.spec.activityRegularizer.l2 != 0)
      error(layer.offset, "activity_regularizer with an l2 term is not "
                          "supported yet; use l1(f)");
  }
  return failure(failed_);
}

std::set<int> ModuleBuilder::frozenLayers() const {
  std::set<int> frozen;
  if (!plan_)
    return frozen;
  for (const std::string &name : plan_->frozen) {
    if (const BlockInfo *block = model_.findBlock(name))
      for (int i = block->firstLayer; i < block->endLayer; ++i)
        frozen.insert(i);
    else if (int layer = model_.findLayer(name); layer >= 0)
      frozen.insert(layer);
  }
  return frozen;
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

Value ModuleBuilder::emitCorruption(const Corruption &c, int index, Value x,
                                   Value seed) {
  Location l = loc(c.offset);
  // Layers salt their draws with their index + 1; corruptions count down
  // from -1, so that no draw of a step repeats another.
  Value noisy = ir::GaussianNoiseOp::create(b_, l, x, seed,
                                            b_.getF64FloatAttr(c.stddev),
                                            b_.getI64IntegerAttr(-1 - index));
  if (c.clip)
    noisy = ir::ClipOp::create(b_, l, noisy, b_.getF64FloatAttr(c.clipLow),
                               b_.getF64FloatAttr(c.clipHigh));
  return noisy;
}

/// Whether |kind| is one of the recurrent layers.
static bool isRecurrent(LayerKind kind) {
  return kind == LayerKind::RNN || kind == LayerKind::LSTM ||
         kind == LayerKind::GRU;
}

/// The dialect's spelling of activation |a|.
static ir::ActivationKind activationKind(Activation a) {
  return *ir::symbolizeActivationKind(activationName(a));
}

Value ModuleBuilder::emitLayer(const LayerNode &layer, int index,
                               ArrayRef<Value> operands,
                               ArrayRef<Value> params, Value seed, Mode mode,
                               SmallVectorImpl<Value> &regularizers) {
  Location l = loc(layer.offset);
  const LayerSpec &spec = layer.spec;
  Value in = operands.front();
  RankedTensorType outType = batched(model_.values[layer.result].shape);
  bool training = mode == Mode::Train;
  // Salts tell the random layers of one model apart.
  auto salt = b_.getI64IntegerAttr(index + 1);
  Value out;
  switch (spec.kind) {
  case LayerKind::Dense:
    out = ir::DenseOp::create(b_, l, outType, in, params[0],
                                 spec.useBias ? params[1] : Value());
    break;
  case LayerKind::Conv2D:
    out = ir::Conv2DOp::create(
        b_, l, outType, in, params[0], spec.useBias ? params[1] : Value(),
        b_.getDenseI64ArrayAttr(spec.strides),
        imagePads(b_, model_.values[layer.operands[0]].shape, spec.kernel,
                  spec.strides, spec.padding));
    break;
  case LayerKind::Conv2DTranspose:
    // The pads of the conv2d it transposes, which runs from this layer's
    // output back to its input.
    out = ir::Conv2DTransposeOp::create(
        b_, l, outType, in, params[0], spec.useBias ? params[1] : Value(),
        b_.getDenseI64ArrayAttr(spec.strides),
        imagePads(b_, model_.values[layer.result].shape, spec.kernel,
                  spec.strides, spec.padding));
    break;
  case LayerKind::MaxPool: {
    const std::array<int64_t, 2> &strides =
        spec.stridesGiven ? spec.strides : spec.pool;
    out = ir::MaxPool2DOp::create(
        b_, l, outType, in, b_.getDenseI64ArrayAttr(spec.pool),
        b_.getDenseI64ArrayAttr(strides),
        imagePads(b_, model_.values[layer.operands[0]].shape, spec.pool,
                  strides, spec.padding));
    break;
  }
  case LayerKind::Upsample:
    out = ir::Upsample2DOp::create(b_, l, outType, in,
                                   b_.getDenseI64ArrayAttr(spec.size));
    break;
  case LayerKind::Activation:
    out = in;
    break;
  case LayerKind::Flatten:
  case LayerKind::Reshape:
    out = ir::ReshapeOp::create(b_, l, outType, in);
    break;
  case LayerKind::Dropout:
    out = training && spec.rate > 0
              ? Value(ir::DropoutOp::create(b_, l, outType, in, seed,
                                               b_.getF64FloatAttr(spec.rate),
                                               salt))
              : in;
    break;
  case LayerKind::GaussianNoise:
    out = training && spec.stddev > 0
              ? Value(ir::GaussianNoiseOp::create(
                    b_, l, outType, in, seed, b_.getF64FloatAttr(spec.stddev),
                    salt))
              : in;
    break;
  case LayerKind::SampleNormal:
    // Inference takes the mean unless asked to sample: predict, evaluate
    // and the codes are deterministic, and evaluate's reconstruction loss
    // is that of mu. Asked, it draws as training does, keyed by the seed.
    if (training)
      out = ir::SampleNormalOp::create(b_, l, in, operands[1], seed, salt);
    else if (options_.sampleSeed)
      out = ir::SampleNormalOp::create(
          b_, l, in, operands[1], seed,
          b_.getI64IntegerAttr(samplingSalt(*options_.sampleSeed, index)));
    else
      out = in;
    break;
  case LayerKind::RNN:
  case LayerKind::LSTM:
  case LayerKind::GRU:
    // The activations are the cell's own, not applied after the layer.
    return emitRecurrent(layer, in, params);
  default:
    llvm_unreachable("unsupported layers are rejected up front");
  }
  // Dense and convolution kernels come first among the parameters.
  if (spec.kernelRegularizer.l2 > 0)
    regularizers.push_back(ir::L2WeightOp::create(
        b_, l, params[0],
        b_.getF64FloatAttr(spec.kernelRegularizer.l2)));
  if (spec.activation != Activation::Linear) {
    out = ir::ActivationOp::create(b_, l, activationKind(spec.activation),
                                   out);
  }
  if (spec.activityRegularizer.l1 > 0)
    regularizers.push_back(ir::L1ActivityOp::create(
        b_, l, out, b_.getF64FloatAttr(spec.activityRegularizer.l1)));
  return out;
}

Value ModuleBuilder::emitRecurrent(const LayerNode &layer, Value in,
                                   ArrayRef<Value> params) {
  Location l = loc(layer.offset);
  const LayerSpec &spec = layer.spec;
  auto stateType = RankedTensorType::get({options_.batch, spec.units},
                                         element_);
  // A stateful layer starts from its carried states, the others from zeros.
  const SmallVector<Value, 2> &carried =
      layerStates_[&layer - model_.layers.data()];
  Value h0, c0;
  if (carried.empty()) {
    h0 = c0 = arith::ConstantOp::create(
        b_, l, stateType, cast<TypedAttr>(b_.getZeroAttr(stateType)));
  } else {
    h0 = carried[0];
    c0 = carried.size() > 1 ? carried[1] : Value();
  }
  Value bias = spec.useBias ? params[2] : Value();
  Value lengths = lengths_[layer.operands[0]];
  ir::ActivationKind a = activationKind(spec.activation);
  ir::ActivationKind ra = activationKind(spec.recurrentActivation);
  Operation *op = nullptr;
  switch (spec.kind) {
  case LayerKind::RNN:
    op = ir::RnnOp::create(b_, l, a, in, h0, params[0], params[1], bias,
                           lengths);
    break;
  case LayerKind::LSTM:
    op = ir::LstmOp::create(b_, l, a, ra, in, h0, c0, params[0], params[1],
                            bias, lengths);
    break;
  case LayerKind::GRU:
    op = ir::GruOp::create(b_, l, a, ra, spec.resetAfter, in, h0, params[0],
                           params[1], bias, lengths);
    break;
  default:
    llvm_unreachable("not a recurrent layer");
  }
  // Results: the sequence, then the final h (then an LSTM's final c).
  if (!carried.empty()) {
    finalStates_.push_back({layer.name + ".h", op->getResult(1)});
    if (carried.size() > 1)
      finalStates_.push_back({layer.name + ".c", op->getResult(2)});
  }
  return op->getResult(spec.returnSequences ? 0 : 1);
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
      results.push_back(ir::MetricOp::create(b_, loc(metric.offset), *kind,
                                             data(metric.value),
                                             data(metric.target)));
    }
    std::vector<std::string> reported = reportedNames(model_);
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
    buildFunction(*module, "train_loss", Mode::Train);
    buildFunction(*module, "evaluate", Mode::Evaluate);
    buildFunction(*module, "predict", Mode::Predict);
  }
  if (failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> buildAenetModule(MLIRContext &ctx,
                                       const SourceFile &file,
                                       const ModelGraph &model,
                                       const TrainPlan *plan,
                                       const FrontendOptions &options) {
  ctx.loadDialect<ir::AenetDialect, func::FuncDialect>();
  return ModuleBuilder(ctx, file, model, plan, options).build();
}

} // namespace aenet
