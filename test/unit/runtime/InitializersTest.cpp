//===- InitializersTest.cpp - Keras's initializers of parameters ----------===//
//
// Each initializer against what Keras's defines: Glorot's bounds for the
// fans given and the same draws as the plain Glorot fill; orthogonal
// matrices whose rows or columns are orthonormal for square, tall and wide
// shapes (Q^T Q = I within 1e-5, the float rounding of unit vectors), with
// the same draws for the same seed; and an LSTM bias whose forget block is
// exactly ones. Initializers that draw nothing must leave the generator
// where it was, so that adding a bias does not shift the draws of the
// kernels after it.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Initializers.h"
#include "aenet/Runtime/Random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace aenet::rt;

namespace {

InitializerSpec spec(InitializerKind kind) {
  InitializerSpec s;
  s.kind = kind;
  return s;
}

std::vector<float> filled(const InitializerSpec &s,
                          const std::vector<int64_t> &shape, uint64_t seed) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<float> w(n, -7.0f);
  Rng rng(seed);
  initialize(s, w.data(), shape, rng);
  return w;
}

/// The largest |(M^T M - I)(i, j)| over the columns of the row-major
/// |rows| x |cols| matrix |m|, or over its rows when |byRows|.
double orthonormalityError(const std::vector<float> &m, int64_t rows,
                           int64_t cols, bool byRows) {
  int64_t count = byRows ? rows : cols, length = byRows ? cols : rows;
  auto at = [&](int64_t vector, int64_t i) {
    return double(byRows ? m[vector * cols + i] : m[i * cols + vector]);
  };
  double worst = 0;
  for (int64_t a = 0; a < count; ++a)
    for (int64_t b = 0; b < count; ++b) {
      double dot = 0;
      for (int64_t i = 0; i < length; ++i)
        dot += at(a, i) * at(b, i);
      worst = std::max(worst, std::fabs(dot - (a == b ? 1.0 : 0.0)));
    }
  return worst;
}

TEST(InitializersTest, GlorotUniformSpansTheLimitOfItsFans) {
  // A 3x3 convolution from 8 to 16 channels: fans 8*9 and 16*9. The draws
  // fill [-limit, limit] (RandomTest checks the moments of glorotUniform).
  InitializerSpec s = spec(InitializerKind::GlorotUniform);
  s.fanIn = 72;
  s.fanOut = 144;
  double limit = std::sqrt(6.0 / (72 + 144)), largest = 0;
  for (float x : filled(s, {16, 8, 3, 3}, 2024))
    largest = std::max(largest, std::fabs(double(x)));
  EXPECT_LE(largest, limit * (1 + 1e-6));
  EXPECT_GT(largest, 0.99 * limit);
}

TEST(InitializersTest, GlorotUniformDrawsAsGlorotDoes) {
  // The same stream as the plain Glorot fill: runs initialized before
  // initializers travelled with parameters repeat bit for bit.
  InitializerSpec s = spec(InitializerKind::GlorotUniform);
  s.fanIn = 784;
  s.fanOut = 64;
  std::vector<float> expected(784 * 64);
  Rng rng(1);
  glorotUniform(expected.data(), 784 * 64, 784, 64, rng);
  EXPECT_EQ(filled(s, {784, 64}, 1), expected);
}

TEST(InitializersTest, OrthogonalSquareTallAndWide) {
  InitializerSpec s = spec(InitializerKind::Orthogonal);
  // Square: both rows and columns orthonormal.
  std::vector<float> square = filled(s, {64, 64}, 3);
  EXPECT_LT(orthonormalityError(square, 64, 64, false), 1e-5);
  EXPECT_LT(orthonormalityError(square, 64, 64, true), 1e-5);
  // Tall (rows > cols): orthonormal columns.
  std::vector<float> tall = filled(s, {96, 32}, 4);
  EXPECT_LT(orthonormalityError(tall, 96, 32, false), 1e-5);
  // Wide, an LSTM's recurrent kernel [units, 4 units]: orthonormal rows.
  std::vector<float> wide = filled(s, {32, 128}, 5);
  EXPECT_LT(orthonormalityError(wide, 32, 128, true), 1e-5);
  // Leading dimensions count as rows: [2, 3, 6] is a 6x6 matrix.
  std::vector<float> folded = filled(s, {2, 3, 6}, 6);
  EXPECT_LT(orthonormalityError(folded, 6, 6, false), 1e-5);
}

TEST(InitializersTest, OrthogonalIsRandomButDeterministicForASeed) {
  InitializerSpec s = spec(InitializerKind::Orthogonal);
  EXPECT_EQ(filled(s, {16, 48}, 9), filled(s, {16, 48}, 9));
  EXPECT_NE(filled(s, {16, 48}, 9), filled(s, {16, 48}, 10));
  // Not the identity or a permutation: a random rotation spreads each row
  // over many columns.
  std::vector<float> w = filled(s, {16, 16}, 9);
  int large = 0;
  for (float x : w)
    large += std::fabs(x) > 0.05;
  EXPECT_GT(large, 16 * 8);
}

TEST(InitializersTest, OrthogonalMatchesTheSignConvention) {
  // Q * sign(diag R) makes R's diagonal positive, so each column of a tall
  // result has a positive dot product with the normal column it came from:
  // column j of A is Q times column j of R, whose entry j is positive.
  Rng draws(12);
  std::vector<double> a(8 * 3);
  for (double &x : a)
    x = draws.normal();
  std::vector<float> q(8 * 3);
  Rng rng(12);
  orthogonal(q.data(), 8, 3, rng);
  for (int64_t j = 0; j < 3; ++j) {
    double dot = 0;
    for (int64_t i = 0; i < 8; ++i)
      dot += a[i * 3 + j] * q[i * 3 + j];
    EXPECT_GT(dot, 0) << "column " << j;
  }
}

TEST(InitializersTest, BlockOnesSetsTheForgetBlockOfAnLstmBias) {
  // Gates i, f, c, o of 5 units each: elements 5..9 are the forget gate.
  InitializerSpec s = spec(InitializerKind::BlockOnes);
  s.index = 1;
  s.blocks = 4;
  std::vector<float> b = filled(s, {20}, 1);
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(b[i], i >= 5 && i < 10 ? 1.0f : 0.0f) << "element " << i;
  // Blocks are along the last axis of every row: [2, 6] in 3 blocks, the
  // last one ones.
  s.index = 2;
  s.blocks = 3;
  EXPECT_EQ(filled(s, {2, 6}, 1),
            (std::vector<float>{0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1}));
}

TEST(InitializersTest, ConstantsFillEveryElementAndDrawNothing) {
  InitializerSpec c = spec(InitializerKind::Constant);
  c.value = 0.25;
  for (auto [s, expected] :
       {std::pair{spec(InitializerKind::Zeros), 0.0f},
        std::pair{spec(InitializerKind::Ones), 1.0f}, std::pair{c, 0.25f}}) {
    std::vector<float> w(6, -7.0f);
    Rng rng(3), untouched(3);
    initialize(s, w.data(), {2, 3}, rng);
    for (float x : w)
      EXPECT_EQ(x, expected) << initializerName(s.kind);
    EXPECT_EQ(rng.next(), untouched.next()) << initializerName(s.kind);
  }
}

TEST(InitializersTest, NamesRoundTrip) {
  for (InitializerKind k :
       {InitializerKind::Zeros, InitializerKind::Ones,
        InitializerKind::Constant, InitializerKind::GlorotUniform,
        InitializerKind::Orthogonal, InitializerKind::BlockOnes})
    EXPECT_EQ(parseInitializerKind(initializerName(k)), k);
  EXPECT_EQ(parseInitializerKind("he_normal"), std::nullopt);
}

} // namespace
