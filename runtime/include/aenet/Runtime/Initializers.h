//===- Initializers.h - Keras's initial values of parameters ----*- C++ -*-===//
//
// How a parameter tensor gets its first values. The language's layer
// definitions say which initializer each parameter of a layer takes (Keras's
// defaults: kernels glorot_uniform, recurrent kernels orthogonal, biases
// zeros, an LSTM's bias with its forget gate at one); the compiler carries
// that choice to the runtime as an `InitializerSpec` per parameter buffer, and
// `initialize` fills the buffer. Nothing here looks at a parameter's name.
//
// The specs are plain data so that the compiler's view of a compiled model
// (CompiledModel.h) can hold them without linking this library.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_INITIALIZERS_H
#define AENET_RUNTIME_INITIALIZERS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aenet::rt {

class Rng;

/// Keras's initializers that the language's layers use.
enum class InitializerKind {
  Zeros,
  Ones,
  Constant,      ///< every element `value`
  GlorotUniform, ///< U(-l, l), l = sqrt(6 / (fanIn + fanOut))
  Orthogonal,    ///< a random (semi-)orthogonal matrix, Keras's gain of 1
  /// The last axis is `blocks` equal blocks; block `index` is ones, the
  /// others zeros: an LSTM's bias with unit_forget_bias is block 1 (f) of
  /// its four gates (i, f, c, o).
  BlockOnes,
};

/// One parameter's initializer, the fields of `#aenet.init`. The fans are
/// those of the layer's kernel layout, which only the layer definition
/// knows. Fields a kind does not use are zero.
struct InitializerSpec {
  InitializerKind kind = InitializerKind::Zeros;
  double value = 0;   ///< Constant: the value
  int64_t fanIn = 0;  ///< GlorotUniform
  int64_t fanOut = 0; ///< GlorotUniform
  int64_t index = 0;  ///< BlockOnes: the block of ones
  int64_t blocks = 0; ///< BlockOnes: how many blocks the last axis holds
  bool operator==(const InitializerSpec &o) const {
    return kind == o.kind && value == o.value && fanIn == o.fanIn &&
           fanOut == o.fanOut && index == o.index && blocks == o.blocks;
  }
};

/// The spelling of |kind|, Keras's where Keras has one (`glorot_uniform`)
/// and `#aenet.init`'s: `block_ones`, ...
const char *initializerName(InitializerKind kind);
/// The kind spelled |name|, or nothing.
std::optional<InitializerKind> parseInitializerKind(const std::string &name);

/// Fills the tensor of |shape| at |data| as |spec| says. Only GlorotUniform
/// and Orthogonal draw from |rng| (uniforms and normals respectively); the
/// others leave it untouched, so a model's draws depend only on the order
/// of its random parameters. Orthogonal treats the tensor as a matrix of
/// prod(shape[:-1]) rows and shape[-1] columns, as Keras does.
void initialize(const InitializerSpec &spec, float *data,
                const std::vector<int64_t> &shape, Rng &rng);

/// Keras's Orthogonal(gain=1): draws a normal matrix of max(rows, cols) x
/// min(rows, cols), takes Q of its QR decomposition with the columns' signs
/// flipped where R's diagonal is negative, and transposes it when rows <
/// cols, so the rows or the columns of the result are orthonormal.
void orthogonal(float *w, int64_t rows, int64_t cols, Rng &rng);

} // namespace aenet::rt

#endif // AENET_RUNTIME_INITIALIZERS_H
