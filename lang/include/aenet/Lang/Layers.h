//===- Layers.h - Layer kinds, their options and shape rules ----*- C++ -*-===//
//
// What each layer of the language is: its kind, its options with Keras's
// defaults (`LayerSpec`), the signature that binds call arguments to options,
// and the rules that give its output shape and parameter tensors. Sema uses
// these to check a model; the compiler uses the same `LayerSpec` to build ops.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_LAYERS_H
#define AENET_LANG_LAYERS_H

#include "aenet/Runtime/Initializers.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aenet {

/// A shape without the batch dimension; -1 is an unknown (`?`) extent.
struct Shape {
  std::vector<int64_t> dims;

  Shape() = default;
  Shape(std::initializer_list<int64_t> d) : dims(d) {}
  explicit Shape(std::vector<int64_t> d) : dims(std::move(d)) {}

  size_t rank() const { return dims.size(); }
  bool isStatic() const;
  /// The product of the extents (only for static shapes).
  int64_t numElements() const;
  /// Keras's notation with the batch first: `(None, 16, 28, 28)`.
  std::string str() const;
  bool operator==(const Shape &o) const { return dims == o.dims; }
  bool operator!=(const Shape &o) const { return dims != o.dims; }
};

enum class LayerKind {
  Dense,
  Conv2D,
  Conv2DTranspose,
  MaxPool,
  Upsample,
  Flatten,
  Reshape,
  Dropout,
  GaussianNoise,
  Activation,
  SampleNormal,
  Concat,
  RNN,
  LSTM,
  GRU,
};

enum class Activation {
  Linear,
  Relu,
  Sigmoid,
  Tanh,
  Softmax,
  HardSigmoid,
  Relu6,
  LeakyRelu,
  Elu,
};

enum class Padding { Valid, Same };

/// l1 * sum|x| + l2 * sum x^2; both zero when absent.
struct Regularizer {
  double l1 = 0;
  double l2 = 0;
  bool active() const { return l1 != 0 || l2 != 0; }
};

/// Every option of every layer, with Keras's defaults. A layer reads the
/// fields that apply to it.
struct LayerSpec {
  LayerKind kind = LayerKind::Dense;
  int64_t units = 0; ///< dense/rnn units, conv filters
  std::array<int64_t, 2> kernel{1, 1};
  std::array<int64_t, 2> strides{1, 1};
  std::array<int64_t, 2> pool{2, 2};
  std::array<int64_t, 2> size{2, 2}; ///< upsample factors
  bool stridesGiven = false;         ///< maxpool: strides default to pool
  Padding padding = Padding::Valid;
  Activation activation = Activation::Linear;
  Activation recurrentActivation = Activation::Sigmoid;
  bool useBias = true;
  bool returnSequences = false;
  bool stateful = false;
  bool resetAfter = true;
  /// LSTM: the forget gate's bias starts at one (Keras's default).
  bool unitForgetBias = true;
  double rate = 0;   ///< dropout
  double stddev = 0; ///< gaussian_noise
  int64_t axis = -1; ///< concat
  std::vector<int64_t> targetShape;
  Regularizer kernelRegularizer;
  Regularizer activityRegularizer;
};

/// The most elements one tensor (a value of one sample, or a parameter) and
/// the parameters of one model may have: 2^40, about 10^12. Sema refuses
/// larger shapes, so sizes computed from a checked model (times a batch,
/// times 4 bytes) stay far from int64_t overflow.
constexpr int64_t kMaxElements = int64_t(1) << 40;

/// The product of |dims| ignoring unknown (-1) extents, or nothing when it
/// exceeds `kMaxElements` (checked without overflowing).
std::optional<int64_t> boundedProduct(const std::vector<int64_t> &dims);

/// A trainable tensor of a layer, e.g. `dense.kernel` of shape [784, 64]
/// initialized by glorot_uniform with fans 784 and 64.
struct ParamInfo {
  std::string name; ///< `kernel`, `bias`, `recurrent_kernel`
  std::vector<int64_t> shape;
  /// Keras's default for this tensor of this layer; the runtime fills the
  /// tensor with it before the first step.
  rt::InitializerSpec init;
  int64_t numElements() const;
};

/// The spelling of a kind in the language (`conv2d_transpose`).
const char *layerKindName(LayerKind kind);
/// Keras's class name (`Conv2DTranspose`), for the summary table.
const char *layerKerasName(LayerKind kind);
/// Keras's default name for an unnamed layer (`max_pooling2d`); Keras
/// numbers the second one `max_pooling2d_1`.
const char *layerDefaultName(LayerKind kind);
std::optional<LayerKind> parseLayerKind(const std::string &name);
std::vector<std::string> layerKindNames();

const char *activationName(Activation a);
std::optional<Activation> parseActivation(const std::string &name);
std::vector<std::string> activationNames();

/// True for layers whose first operand is the current value (all but
/// `sample_normal` and `concat`, which name their operands).
bool takesCurrentValue(LayerKind kind);

/// Whether a layer of |spec| maps each step of a `[T, F]` input to one step
/// of its output (recurrent layers returning sequences, per-step dense,
/// activations, dropout, noise): padded steps stay padded through it, and a
/// stateful model of such layers can run one step at a time.
bool keepsSteps(const LayerSpec &spec);

/// The pads [top, left, bottom, right] of a window |window| moved at
/// |strides| over an image [C, H, W] of shape |image|: TensorFlow's (so
/// Keras's) padding, none for 'valid'; for 'same' a total per axis of
/// max((ceil(in / s) - 1) * s + k - in, 0), the odd row after.
std::array<int64_t, 4> windowPads(const Shape &image,
                                  const std::array<int64_t, 2> &window,
                                  const std::array<int64_t, 2> &strides,
                                  Padding padding);

/// The output shape of |spec| applied to |operands|, or a message saying why
/// the shapes do not fit (naming the offending shapes).
struct ShapeResult {
  Shape shape;
  std::string error;
  bool ok() const { return error.empty(); }
};
ShapeResult inferShape(const LayerSpec &spec,
                       const std::vector<Shape> &operands);

/// The trainable tensors of |spec| given its (valid) operand shapes, in
/// Keras's order and layouts: dense kernel [in, units]; conv2d kernel
/// [filters, C, kh, kw]; conv2d_transpose kernel [C, filters, kh, kw];
/// recurrent kernels [in, g*units] and [units, g*units] with gates in Keras's
/// order (i, f, c, o for lstm; z, r, h for gru). Each with Keras's default
/// initializer: kernels glorot_uniform (fans from their layout), recurrent
/// kernels orthogonal, biases zeros but an LSTM's forget gate at one.
std::vector<ParamInfo> layerParams(const LayerSpec &spec,
                                   const std::vector<Shape> &operands);

/// The output extent of a window of |kernel| with |stride| over |in|.
int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride,
                     Padding padding);

} // namespace aenet

#endif // AENET_LANG_LAYERS_H
