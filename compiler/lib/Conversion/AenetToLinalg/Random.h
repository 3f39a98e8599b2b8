//===- Random.h - Counter-based random numbers as IR ------------*- C++ -*-===//
//
// Dropout masks and Gaussian noise are not drawn from a stateful generator:
// each element's random bits are a hash of (seed, salt, element index),
// computed inside the generic that uses them. Nothing is stored between the
// forward and backward pass; dropout_grad recomputes the forward mask from
// the same three numbers. The definition, all arithmetic on uint64 modulo
// 2^64, for the 0-d i64 seed `s`, the op's `salt` `c` and counter `n`:
//
//   key(s, c)     = s ^ (c * 0x9E3779B97F4A7C15)
//   hash(s, c, n) = mix(key(s, c) ^ (n * 0xD1B54A32D192ED03))
//   mix(z)        : z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
//                   z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
//                   z =  z ^ (z >> 31)          (the splitmix64 finalizer)
//   bits(h)       = h >> (64 - p), p = 24 for f32 and 53 for f64
//   uniform(h)    = bits(h) * 2^-p                      (in [0, 1))
//
// With `i` the row-major linear index of an element:
//   dropout keeps `i` iff uniform(hash(s, c, i)) >= rate, i.e. iff
//     bits(hash(s, c, i)) >= ceil(rate * 2^p), and scales kept elements by
//     1 / (1 - rate);
//   gaussian noise (and sample_normal's eps) at `i` is Box-Muller on
//     u1 = uniform(hash(s, c, 2i)), u2 = uniform(hash(s, c, 2i + 1)):
//     z = sqrt(-2 ln(1 - u1)) * cos(2 pi u2)   (1 - u1 is in (0, 1]).
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_CONVERSION_AENETTOLINALG_RANDOM_H
#define AENET_LIB_CONVERSION_AENETTOLINALG_RANDOM_H

#include "mlir/IR/Builders.h"

namespace mlir::aenet {

/// key(seed, salt), from the 0-d i64 tensor |seed|; built outside generics.
Value createRandomKey(OpBuilder &b, Location loc, Value seed, int64_t salt);

/// The row-major linear index (i64) of the current element of the enclosing
/// `linalg.generic`, whose iteration space is |shape|.
Value createLinearIndex(OpBuilder &b, Location loc, ArrayRef<int64_t> shape);

/// hash(key, counter) for i64 |key| and |counter|.
Value createHash(OpBuilder &b, Location loc, Value key, Value counter);

/// The number of random bits |p| behind a uniform of float type |type|.
unsigned getUniformBits(Type type);

/// uniform(hash) of float type |type|, in [0, 1).
Value createUniform(OpBuilder &b, Location loc, Value hash, Type type);

/// The standard normal of float type |type| at element |index| (i64) for
/// |key|: Box-Muller on the uniforms of hash(key, 2 index) and
/// hash(key, 2 index + 1). Gaussian noise and sample_normal draw with it, so
/// both are the same function of (seed, salt, index).
Value createStandardNormal(OpBuilder &b, Location loc, Value key, Value index,
                           Type type);

/// |input| with dropout applied: a generic that keeps each element with
/// probability 1 - |rate| and scales it by 1 / (1 - |rate|).
Value createDropout(OpBuilder &b, Location loc, Value input, Value seed,
                    double rate, int64_t salt);

/// |input| plus |stddev| (a 0-d tensor, read once) times standard normal
/// noise, in one generic.
Value createGaussianNoise(OpBuilder &b, Location loc, Value input, Value seed,
                          Value stddev, int64_t salt);

} // namespace mlir::aenet

#endif // AENET_LIB_CONVERSION_AENETTOLINALG_RANDOM_H
