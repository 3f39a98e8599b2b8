//===- LayerEmission.cpp - The aenet ops of one layer ---------------------===//
//
// What the frontend supports, and the ops it emits for one layer (plus an
// activation op where the layer has one, and its activity regularizer) or
// one corruption of an input, inside the entry function ModelToAenet.cpp
// builds. Convolution layers get explicit pads computed here from Keras's
// 'same' and 'valid' (as TensorFlow does). Random layers draw from the
// counter-based RNG with the function's seed and a salt per layer (index +
// 1; corruptions count down from -1), so the backward pass redraws what the
// forward drew. dropout and gaussian_noise act in training only, and
// sample_normal too unless inference is asked to sample.
//
//===----------------------------------------------------------------------===//

#include "ModuleBuilder.h"

#include "aenet/Runtime/Random.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace aenet {
namespace frontend {

namespace {

/// The `pads` attribute [top, left, bottom, right] of a window placed on an
/// image [C, H, W] of shape |image| (windowPads).
DenseI64ArrayAttr imagePads(OpBuilder &b, const Shape &image,
                            const std::array<int64_t, 2> &window,
                            const std::array<int64_t, 2> &strides,
                            Padding padding) {
  return b.getDenseI64ArrayAttr(windowPads(image, window, strides, padding));
}

/// The salt of `sample_normal` layer |index| when inference samples with
/// |seed|: the seed mixed into a stream of its own, then the layer's index
/// into that, so that each seed keys other draws of eps, the same in every
/// run. (Mixing seed + k * index in one step would let seeds s and s + k
/// give two layers each other's draws.)
int64_t samplingSalt(uint64_t seed, int index) {
  constexpr uint64_t kSampleStream = 0x73616d706c65ull; // "sample"
  return static_cast<int64_t>(rt::mixSeed(
      rt::mixSeed(seed, kSampleStream), static_cast<uint64_t>(index)));
}

} // namespace

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

Value ModuleBuilder::emitCorruption(const Corruption &c, int index, Value x,
                                   Value seed) {
  Location l = loc(c.offset);
  // Layers salt their draws with their index + 1; corruptions count down
  // from -1, so that no draw of a step repeats another.
  Value noisy = ir::GaussianNoiseOp::create(b_, l, x, seed,
                                            corruptionStddevs_[index],
                                            b_.getI64IntegerAttr(-1 - index));
  if (c.clip)
    noisy = ir::ClipOp::create(b_, l, noisy, b_.getF64FloatAttr(c.clipLow),
                               b_.getF64FloatAttr(c.clipHigh));
  return noisy;
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
    // Drawn at any deviation, 0 too: the deviation is an argument.
    out = training ? Value(ir::GaussianNoiseOp::create(
                         b_, l, outType, in, seed, layerStddevs_[index], salt))
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

} // namespace frontend
} // namespace aenet
