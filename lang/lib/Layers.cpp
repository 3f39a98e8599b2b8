//===- Layers.cpp - Names of layer kinds and activations ------------------===//
//
// The spelling tables of the language and of Keras, and `Shape` printing.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Layers.h"

#include <algorithm>
#include <sstream>

namespace aenet {

namespace {
struct KindName {
  LayerKind kind;
  const char *name;  ///< the language's spelling
  const char *keras; ///< Keras's class name
  const char *base;  ///< Keras's default layer name (snake_case class name)
};
constexpr KindName kKinds[] = {
    {LayerKind::Dense, "dense", "Dense", "dense"},
    {LayerKind::Conv2D, "conv2d", "Conv2D", "conv2d"},
    {LayerKind::Conv2DTranspose, "conv2d_transpose", "Conv2DTranspose", "conv2d_transpose"},
    {LayerKind::MaxPool, "maxpool", "MaxPooling2D", "max_pooling2d"},
    {LayerKind::Upsample, "upsample", "UpSampling2D", "up_sampling2d"},
    {LayerKind::Flatten, "flatten", "Flatten", "flatten"},
    {LayerKind::Reshape, "reshape", "Reshape", "reshape"},
    {LayerKind::Dropout, "dropout", "Dropout", "dropout"},
    {LayerKind::GaussianNoise, "gaussian_noise", "GaussianNoise", "gaussian_noise"},
    {LayerKind::Activation, "activation", "Activation", "activation"},
    {LayerKind::SampleNormal, "sample_normal", "SampleNormal", "sample_normal"},
    {LayerKind::Concat, "concat", "Concatenate", "concatenate"},
    {LayerKind::RNN, "rnn", "SimpleRNN", "simple_rnn"},
    {LayerKind::LSTM, "lstm", "LSTM", "lstm"},
    {LayerKind::GRU, "gru", "GRU", "gru"},
};

struct ActivationName {
  Activation activation;
  const char *name;
};
constexpr ActivationName kActivations[] = {
    {Activation::Linear, "linear"},   {Activation::Relu, "relu"},
    {Activation::Sigmoid, "sigmoid"}, {Activation::Tanh, "tanh"},
    {Activation::Softmax, "softmax"}, {Activation::HardSigmoid, "hard_sigmoid"},
    {Activation::Relu6, "relu6"},     {Activation::LeakyRelu, "leaky_relu"},
    {Activation::Elu, "elu"},
};
} // namespace

bool Shape::isStatic() const {
  for (int64_t d : dims)
    if (d < 0)
      return false;
  return true;
}

int64_t Shape::numElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

std::string Shape::str() const {
  std::ostringstream os;
  os << "(None";
  for (int64_t d : dims) {
    os << ", ";
    if (d < 0)
      os << "None";
    else
      os << d;
  }
  os << ")";
  return os.str();
}

int64_t ParamInfo::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::optional<int64_t> boundedProduct(const std::vector<int64_t> &dims) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0)
      continue;
    if (d != 0 && n > kMaxElements / d)
      return std::nullopt;
    n *= d;
  }
  return n;
}

const char *layerKindName(LayerKind kind) {
  for (const KindName &k : kKinds)
    if (k.kind == kind)
      return k.name;
  return "?";
}

const char *layerDefaultName(LayerKind kind) {
  for (const KindName &k : kKinds)
    if (k.kind == kind)
      return k.base;
  return "?";
}

const char *layerKerasName(LayerKind kind) {
  for (const KindName &k : kKinds)
    if (k.kind == kind)
      return k.keras;
  return "?";
}

std::optional<LayerKind> parseLayerKind(const std::string &name) {
  for (const KindName &k : kKinds)
    if (name == k.name)
      return k.kind;
  return std::nullopt;
}

std::vector<std::string> layerKindNames() {
  std::vector<std::string> names;
  for (const KindName &k : kKinds)
    names.push_back(k.name);
  return names;
}

const char *activationName(Activation a) {
  for (const ActivationName &n : kActivations)
    if (n.activation == a)
      return n.name;
  return "?";
}

std::optional<Activation> parseActivation(const std::string &name) {
  for (const ActivationName &n : kActivations)
    if (name == n.name)
      return n.activation;
  return std::nullopt;
}

std::vector<std::string> activationNames() {
  std::vector<std::string> names;
  for (const ActivationName &n : kActivations)
    names.push_back(n.name);
  return names;
}

bool takesCurrentValue(LayerKind kind) {
  return kind != LayerKind::SampleNormal && kind != LayerKind::Concat;
}

std::array<int64_t, 4> windowPads(const Shape &image,
                                  const std::array<int64_t, 2> &window,
                                  const std::array<int64_t, 2> &strides,
                                  Padding padding) {
  std::array<int64_t, 4> pads = {0, 0, 0, 0};
  if (padding == Padding::Valid)
    return pads;
  for (int a = 0; a < 2; ++a) {
    int64_t in = image.dims[1 + a], k = window[a], s = strides[a];
    int64_t total = std::max<int64_t>(((in + s - 1) / s - 1) * s + k - in, 0);
    pads[a] = total / 2;
    pads[2 + a] = total - total / 2;
  }
  return pads;
}

bool keepsSteps(const LayerSpec &spec) {
  switch (spec.kind) {
  case LayerKind::RNN:
  case LayerKind::LSTM:
  case LayerKind::GRU:
    return spec.returnSequences;
  case LayerKind::Dense:
  case LayerKind::Activation:
  case LayerKind::Dropout:
  case LayerKind::GaussianNoise:
    return true;
  default:
    return false;
  }
}

} // namespace aenet
