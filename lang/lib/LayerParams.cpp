//===- LayerParams.cpp - The trainable tensors of each layer --------------===//
//
// One rule per layer kind with parameters: each tensor's name suffix, its
// shape in Keras's order and layout (channels-first), and its initializer
// with Keras's defaults. The initializer is declared here, beside the shape
// whose layout decides the fans, so it travels with the parameter through
// the compiler to the runtime and nothing downstream guesses it from a name.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Layers.h"

namespace aenet {

using rt::InitializerKind;
using rt::InitializerSpec;

namespace {

InitializerSpec initializer(InitializerKind kind) {
  InitializerSpec s;
  s.kind = kind;
  return s;
}

/// Keras's glorot_uniform with the fans Keras computes for |shape|: a
/// matrix [in, out] has fan_in = in, fan_out = out; a convolution kernel
/// [out, in, kh, kw] (channels-first here) counts its receptive field,
/// fan_in = in * kh * kw and fan_out = out * kh * kw. conv2d_transpose's
/// kernel [C, F, kh, kw] is that of the conv2d it transposes (from F to C
/// channels); Keras computes its fans from its own layout (kh, kw, F, C) as
/// fan_in = F kh kw, fan_out = C kh kw: the same numbers this rule gives.
InitializerSpec glorotUniform(const std::vector<int64_t> &shape) {
  InitializerSpec s = initializer(InitializerKind::GlorotUniform);
  if (shape.size() == 2) {
    s.fanIn = shape[0];
    s.fanOut = shape[1];
    return s;
  }
  int64_t receptive = 1;
  for (size_t i = 2; i < shape.size(); ++i)
    receptive *= shape[i];
  s.fanIn = shape[1] * receptive;
  s.fanOut = shape[0] * receptive;
  return s;
}

/// An LSTM bias with Keras's unit_forget_bias: ones on the forget gate,
/// block 1 of the gates (i, f, c, o).
InitializerSpec forgetGateOnes() {
  InitializerSpec s = initializer(InitializerKind::BlockOnes);
  s.index = 1;
  s.blocks = 4;
  return s;
}

} // namespace

std::vector<ParamInfo> layerParams(const LayerSpec &spec,
                                   const std::vector<Shape> &operands) {
  std::vector<ParamInfo> params;
  const Shape &in = operands.front();
  int64_t u = spec.units;
  auto kernel = [&](std::vector<int64_t> shape) {
    InitializerSpec init = glorotUniform(shape);
    params.push_back({"kernel", std::move(shape), init});
  };
  auto bias = [&](std::vector<int64_t> shape,
                  InitializerSpec init = initializer(InitializerKind::Zeros)) {
    if (spec.useBias)
      params.push_back({"bias", std::move(shape), init});
  };
  switch (spec.kind) {
  case LayerKind::Dense:
    kernel({in.dims.back(), u});
    bias({u});
    break;
  case LayerKind::Conv2D:
    kernel({u, in.dims[0], spec.kernel[0], spec.kernel[1]});
    bias({u});
    break;
  case LayerKind::Conv2DTranspose:
    kernel({in.dims[0], u, spec.kernel[0], spec.kernel[1]});
    bias({u});
    break;
  case LayerKind::RNN:
  case LayerKind::LSTM:
  case LayerKind::GRU: {
    int64_t gates = spec.kind == LayerKind::LSTM  ? 4
                    : spec.kind == LayerKind::GRU ? 3
                                                  : 1;
    kernel({in.dims[1], gates * u});
    params.push_back({"recurrent_kernel",
                      {u, gates * u},
                      initializer(InitializerKind::Orthogonal)});
    if (spec.kind == LayerKind::GRU && spec.resetAfter)
      bias({2, gates * u});
    else if (spec.kind == LayerKind::LSTM && spec.unitForgetBias)
      // Keras's LSTM defaults to unit_forget_bias=True: a forget gate
      // starting open lets gradients through early in training.
      bias({gates * u}, forgetGateOnes());
    else
      bias({gates * u});
    break;
  }
  default:
    break;
  }
  return params;
}

} // namespace aenet
