//===- LayerGradientTest.cpp - Gradients of the layer ops -----------------===//
//
// Finite-difference checks, through the JIT-compiled train_step, of dense,
// every activation, reshape, add, scale, dropout, gaussian_noise and clip,
// and of a two-layer chain. The op's input is itself a parameter wherever
// the gradient w.r.t. the input is under test. A loss `mse sum` against random
// targets on top makes the incoming gradient differ per element (a uniform
// one would hide, e.g., a wrong softmax gradient, which sums to zero over a
// row). Where the forward value has a simple closed form, evaluate's loss is
// also compared with a plain C++ computation, so that forward and gradient
// cannot be consistently wrong.
//
//===----------------------------------------------------------------------===//

#include "GradientCheck.h"

#include <algorithm>
#include <cmath>
#include <functional>

using namespace aenet::test;

namespace {

/// (1 / |batch|) sum (y - t)^2: Keras's mse with `sum` reduction.
double mseSum(const std::vector<double> &y, const std::vector<double> &t,
              int64_t batch) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i)
    s += (y[i] - t[i]) * (y[i] - t[i]);
  return s / batch;
}

/// Forward values must agree with a C++ computation up to f64 rounding.
void expectLoss(GradientCheck &c, double reference) {
  EXPECT_NEAR(c.evaluate(), reference, 1e-12 * std::max(1.0, reference));
}

/// y = x * k + b for a row-major x [rows, in], k [in, out], b [out] or none.
std::vector<double> dense(const std::vector<double> &x,
                          const std::vector<double> &k,
                          const std::vector<double> &b, int64_t rows,
                          int64_t in, int64_t out) {
  std::vector<double> y(rows * out);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t u = 0; u < out; ++u) {
      double s = b.empty() ? 0 : b[u];
      for (int64_t i = 0; i < in; ++i)
        s += x[r * in + i] * k[i * out + u];
      y[r * out + u] = s;
    }
  return y;
}

/// Checks `activation |kind|` on a [3, 5] parameter in [|lo|, |hi|) away
/// from |kinks|, under an mse against random targets; |reference| computes
/// the activation of a whole [3, 5] tensor in C++.
void checkActivation(
    const std::string &kind, double lo, double hi,
    std::initializer_list<double> kinks,
    const std::function<std::vector<double>(std::vector<double>)> &reference) {
  Random rng(11);
  std::vector<double> x = rng.uniform(15, lo, hi, kinks);
  // Every piece between the kinks must be tested (e.g. relu6 above 6).
  std::vector<double> bounds = {lo};
  bounds.insert(bounds.end(), kinks.begin(), kinks.end());
  bounds.push_back(hi);
  for (size_t i = 0; i + 1 < bounds.size(); ++i)
    EXPECT_TRUE(std::any_of(x.begin(), x.end(), [&](double v) {
      return v > bounds[i] && v < bounds[i + 1];
    })) << "no value in (" << bounds[i] << ", " << bounds[i + 1] << ")";
  GradientCheck c;
  c.param("x", {3, 5}, x);
  c.input("t", {3, 5}, rng.uniform(15, -1, 1));
  c.body("  %y = aenet.activation " + kind + R"( %x : tensor<3x5xf64>
  %loss = aenet.loss mse sum %y, %t : tensor<3x5xf64>, tensor<3x5xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  expectLoss(c, mseSum(reference(c.values("x")), c.values("t"), 3));
  EXPECT_TRUE(c.checkGradients());
}

/// Applies |f| to every element.
std::function<std::vector<double>(std::vector<double>)>
elementwise(double (*f)(double)) {
  return [f](std::vector<double> x) {
    for (double &v : x)
      v = f(v);
    return x;
  };
}

/// Softmax over the last axis of |x| with rows of |n| elements.
std::vector<double> softmax(std::vector<double> x, int64_t n) {
  for (size_t r = 0; r < x.size(); r += n) {
    double sum = 0;
    for (int64_t i = 0; i < n; ++i)
      sum += std::exp(x[r + i]);
    for (int64_t i = 0; i < n; ++i)
      x[r + i] = std::exp(x[r + i]) / sum;
  }
  return x;
}

} // namespace

//===----------------------------------------------------------------------===//
// dense
//===----------------------------------------------------------------------===//

// Tests dense's kernel, bias and input gradients (the input is a parameter,
// so dense_grad_input is used); the shapes are not square, so a transposed
// operand cannot go unnoticed.
TEST(Dense, KernelBiasAndInput) {
  Random rng(1);
  GradientCheck c;
  c.param("x", {3, 4}, rng.uniform(12, -1, 1));
  c.param("k", {4, 5}, rng.uniform(20, -1, 1));
  c.param("b", {5}, rng.uniform(5, -1, 1));
  c.input("t", {3, 5}, rng.uniform(15, -1, 1));
  c.body(R"(
  %y = aenet.dense %x, %k, %b : (tensor<3x4xf64>, tensor<4x5xf64>, tensor<5xf64>) -> tensor<3x5xf64>
  %loss = aenet.loss mse sum %y, %t : tensor<3x5xf64>, tensor<3x5xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  expectLoss(c, mseSum(dense(c.values("x"), c.values("k"), c.values("b"), 3,
                             4, 5),
                       c.values("t"), 3));
  EXPECT_TRUE(c.checkGradients());
}

// Tests dense on a rank-3 input [2, 3, 4]: the lowering collapses it to a
// [6, 4] matrix and the gradients (input, kernel, bias) sum over both
// leading axes.
TEST(Dense, Rank3Input) {
  Random rng(2);
  GradientCheck c;
  c.param("x", {2, 3, 4}, rng.uniform(24, -1, 1));
  c.param("k", {4, 5}, rng.uniform(20, -1, 1));
  c.param("b", {5}, rng.uniform(5, -1, 1));
  c.input("t", {2, 3, 5}, rng.uniform(30, -1, 1));
  c.body(R"(
  %y = aenet.dense %x, %k, %b : (tensor<2x3x4xf64>, tensor<4x5xf64>, tensor<5xf64>) -> tensor<2x3x5xf64>
  %loss = aenet.loss mse sum %y, %t : tensor<2x3x5xf64>, tensor<2x3x5xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  expectLoss(c, mseSum(dense(c.values("x"), c.values("k"), c.values("b"), 6,
                             4, 5),
                       c.values("t"), 2));
  EXPECT_TRUE(c.checkGradients());
}

//===----------------------------------------------------------------------===//
// activation
//===----------------------------------------------------------------------===//

// Tests that linear passes the gradient through unchanged.
TEST(Activation, Linear) {
  checkActivation("linear", -3, 3, {}, [](std::vector<double> x) { return x; });
}

// Tests relu on both sides of 0 (kept 0.05 away from the kink).
TEST(Activation, Relu) {
  checkActivation("relu", -3, 3, {0}, elementwise([](double v) {
                    return std::max(v, 0.0);
                  }));
}

TEST(Activation, Sigmoid) {
  checkActivation("sigmoid", -4, 4, {}, elementwise([](double v) {
                    return 1 / (1 + std::exp(-v));
                  }));
}

TEST(Activation, Tanh) {
  checkActivation("tanh", -3, 3, {}, elementwise([](double v) {
                    return std::tanh(v);
                  }));
}

// Tests softmax over the last axis; the targets make dy differ within a row,
// which the gradient y (dy - sum(dy y)) needs to be non-zero.
TEST(Activation, Softmax) {
  checkActivation("softmax", -3, 3, {},
                  [](std::vector<double> x) { return softmax(x, 5); });
}

// Tests softmax over the last axis of a rank-3 tensor [2, 3, 4].
TEST(Activation, SoftmaxRank3) {
  Random rng(12);
  GradientCheck c;
  c.param("x", {2, 3, 4}, rng.uniform(24, -3, 3));
  c.input("t", {2, 3, 4}, rng.uniform(24, 0, 1));
  c.body(R"(
  %y = aenet.activation softmax %x : tensor<2x3x4xf64>
  %loss = aenet.loss mse sum %y, %t : tensor<2x3x4xf64>, tensor<2x3x4xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  expectLoss(c, mseSum(softmax(c.values("x"), 4), c.values("t"), 2));
  EXPECT_TRUE(c.checkGradients());
}

// Tests hard_sigmoid, clip(0.2 x + 0.5, 0, 1), in its linear part and in
// both flat parts (away from the bends at -2.5 and 2.5).
TEST(Activation, HardSigmoid) {
  checkActivation("hard_sigmoid", -4, 4, {-2.5, 2.5},
                  elementwise([](double v) {
                    return std::min(1.0, std::max(0.0, 0.2 * v + 0.5));
                  }));
}

// Tests relu6 below 0, between 0 and 6, and above 6.
TEST(Activation, Relu6) {
  checkActivation("relu6", -3, 9, {0, 6}, elementwise([](double v) {
                    return std::min(6.0, std::max(0.0, v));
                  }));
}

// Tests leaky_relu with Keras's slope 0.2 below zero.
TEST(Activation, LeakyRelu) {
  checkActivation("leaky_relu", -3, 3, {0}, elementwise([](double v) {
                    return v > 0 ? v : 0.2 * v;
                  }));
}

// Tests elu (alpha 1): exp(x) - 1 below zero, whose derivative the gradient
// rule reads from the output as y + 1.
TEST(Activation, Elu) {
  checkActivation("elu", -3, 3, {0}, elementwise([](double v) {
                    return v > 0 ? v : std::expm1(v);
                  }));
}

//===----------------------------------------------------------------------===//
// reshape, add, scale
//===----------------------------------------------------------------------===//

// Tests reshape's gradient through a rank-lowering reshape and a same-rank
// reshape that no single collapse or expand maps (it goes through 1-D);
// row-major order must be kept both ways.
TEST(Reshape, ChangesRankAndShape) {
  Random rng(3);
  GradientCheck c;
  c.param("x", {3, 2, 6}, rng.uniform(36, -1, 1));
  c.input("t", {3, 4, 3}, rng.uniform(36, -1, 1));
  c.body(R"(
  %f = aenet.reshape %x : tensor<3x2x6xf64> -> tensor<3x12xf64>
  %y = aenet.reshape %f : tensor<3x12xf64> -> tensor<3x4x3xf64>
  %a = aenet.activation tanh %y : tensor<3x4x3xf64>
  %loss = aenet.loss mse sum %a, %t : tensor<3x4x3xf64>, tensor<3x4x3xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  std::vector<double> a = c.values("x");
  for (double &v : a)
    v = std::tanh(v);
  expectLoss(c, mseSum(a, c.values("t"), 3));
  EXPECT_TRUE(c.checkGradients());
}

// Tests add and fan-out: %x feeds both dense and add, %k both dense and
// l2_weight, so each gets the sum of two gradients; the total loss is an
// add of two scalars.
TEST(Add, FanOut) {
  Random rng(4);
  GradientCheck c;
  c.param("x", {3, 4}, rng.uniform(12, -1, 1));
  c.param("k", {4, 4}, rng.uniform(16, -1, 1));
  c.input("t", {3, 4}, rng.uniform(12, -1, 1));
  c.body(R"(
  %h = aenet.dense %x, %k : (tensor<3x4xf64>, tensor<4x4xf64>) -> tensor<3x4xf64>
  %y = aenet.add %h, %x : tensor<3x4xf64>
  %l1 = aenet.loss mse sum %y, %t : tensor<3x4xf64>, tensor<3x4xf64> -> tensor<f64>
  %l2 = aenet.l2_weight %k {factor = 0.5 : f64} : tensor<4x4xf64> -> tensor<f64>
  %loss = aenet.add %l1, %l2 : tensor<f64>)");
  ASSERT_TRUE(c.compile());
  std::vector<double> y = dense(c.values("x"), c.values("k"), {}, 3, 4, 4);
  for (size_t i = 0; i < y.size(); ++i)
    y[i] += c.values("x")[i];
  double l2 = 0;
  for (double v : c.values("k"))
    l2 += 0.5 * v * v;
  expectLoss(c, mseSum(y, c.values("t"), 3) + l2);
  EXPECT_TRUE(c.checkGradients());
}

// Tests one value used as both operands of one op: the rule gives two
// gradients for the same value, which must be summed.
TEST(Add, SameOperandTwice) {
  Random rng(9);
  GradientCheck c;
  c.param("x", {3, 4}, rng.uniform(12, -1, 1));
  c.input("t", {3, 4}, rng.uniform(12, -1, 1));
  c.body(R"(
  %y = aenet.add %x, %x : tensor<3x4xf64>
  %loss = aenet.loss mse sum %y, %t : tensor<3x4xf64>, tensor<3x4xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  std::vector<double> y = c.values("x");
  for (double &v : y)
    v *= 2;
  expectLoss(c, mseSum(y, c.values("t"), 3));
  EXPECT_TRUE(c.checkGradients());
}

// Tests scale on a tensor (negative factor) and on the scalar loss.
TEST(Scale, TensorAndLoss) {
  Random rng(5);
  GradientCheck c;
  c.param("x", {3, 4}, rng.uniform(12, -1, 1));
  c.input("t", {3, 4}, rng.uniform(12, -1, 1));
  c.body(R"(
  %y = aenet.scale %x {factor = -1.5 : f64} : tensor<3x4xf64>
  %l = aenet.loss mse sum %y, %t : tensor<3x4xf64>, tensor<3x4xf64> -> tensor<f64>
  %loss = aenet.scale %l {factor = 0.75 : f64} : tensor<f64>)");
  ASSERT_TRUE(c.compile());
  std::vector<double> y = c.values("x");
  for (double &v : y)
    v *= -1.5;
  expectLoss(c, 0.75 * mseSum(y, c.values("t"), 3));
  EXPECT_TRUE(c.checkGradients());
}

//===----------------------------------------------------------------------===//
// dropout and gaussian_noise
//===----------------------------------------------------------------------===//

// Tests dropout with a fixed seed: train_step and evaluate get the same seed
// and must draw the same mask (checkGradients compares their losses and the
// gradients, which depend on the mask). The analytic gradient is exactly 0
// where an element was dropped; from that mask the forward value, with kept
// elements scaled by 1 / (1 - rate), is recomputed in C++. Another seed must
// give another mask.
TEST(Dropout, SameMaskInTrainStepAndEvaluate) {
  Random rng(6);
  const double rate = 0.4;
  GradientCheck c;
  c.param("x", {4, 6}, rng.uniform(24, -1, 1, {0}));
  c.input("t", {4, 6}, rng.uniform(24, -1, 1));
  c.seed(1234);
  c.body(R"(
  %d = aenet.dropout %x, %seed {rate = 0.4 : f64, salt = 3 : i64} : tensor<4x6xf64>, tensor<i64>
  %loss = aenet.loss mse sum %d, %t : tensor<4x6xf64>, tensor<4x6xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  EXPECT_TRUE(c.checkGradients());

  auto maskOf = [&] {
    std::vector<bool> kept;
    for (double g : c.analyticGradient("x"))
      kept.push_back(g != 0);
    return kept;
  };
  std::vector<bool> kept = maskOf();
  int dropped = std::count(kept.begin(), kept.end(), false);
  EXPECT_GT(dropped, 0);
  EXPECT_LT(dropped, 24);
  std::vector<double> y = c.values("x");
  for (size_t i = 0; i < y.size(); ++i)
    y[i] = kept[i] ? y[i] / (1 - rate) : 0.0;
  expectLoss(c, mseSum(y, c.values("t"), 4));

  c.seed(1235);
  EXPECT_NE(maskOf(), kept);
}

// Tests gaussian_noise with a fixed seed: its gradient is the identity, but
// tanh after it makes the gradient depend on the noise drawn, so train_step
// and evaluate must draw the same. The loss must differ from the noiseless
// one.
TEST(GaussianNoise, SameNoiseInTrainStepAndEvaluate) {
  Random rng(7);
  GradientCheck c;
  c.param("x", {4, 6}, rng.uniform(24, -1, 1));
  c.input("t", {4, 6}, rng.uniform(24, -1, 1));
  c.hyperparameter("stddev", 0.5);
  c.seed(99);
  c.body(R"(
  %n = aenet.gaussian_noise %x, %seed, %stddev {salt = 4 : i64} : tensor<4x6xf64>, tensor<i64>, tensor<f64>
  %y = aenet.activation tanh %n : tensor<4x6xf64>
  %loss = aenet.loss mse sum %y, %t : tensor<4x6xf64>, tensor<4x6xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  std::vector<double> y = c.values("x");
  for (double &v : y)
    v = std::tanh(v);
  EXPECT_GT(std::abs(c.evaluate() - mseSum(y, c.values("t"), 4)), 1e-3);
  EXPECT_TRUE(c.checkGradients());
}

//===----------------------------------------------------------------------===//
// clip
//===----------------------------------------------------------------------===//

// Tests clip on values below, inside and above [-0.5, 0.5] (none at a bound,
// where the derivative jumps): the forward value against std::clamp, the
// gradient against finite differences, and exactly 0 outside the bounds.
TEST(Clip, PassesTheGradientOnlyWithinBounds) {
  Random rng(12);
  GradientCheck c;
  c.param("x", {3, 5}, rng.uniform(15, -1, 1, {-0.5, 0.5}));
  c.input("t", {3, 5}, rng.uniform(15, -1, 1));
  c.body(R"(
  %y = aenet.clip %x {min = -5.000000e-01 : f64, max = 5.000000e-01 : f64} : tensor<3x5xf64>
  %loss = aenet.loss mse sum %y, %t : tensor<3x5xf64>, tensor<3x5xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  std::vector<double> x = c.values("x"), y = x;
  int below = 0, above = 0;
  for (double &v : y) {
    below += v < -0.5;
    above += v > 0.5;
    v = std::clamp(v, -0.5, 0.5);
  }
  ASSERT_GT(below, 0);
  ASSERT_GT(above, 0);
  ASSERT_LT(below + above, 15);
  expectLoss(c, mseSum(y, c.values("t"), 3));
  EXPECT_TRUE(c.checkGradients());
  std::vector<double> g = c.analyticGradient("x");
  for (size_t i = 0; i < x.size(); ++i)
    if (std::abs(x[i]) > 0.5)
      EXPECT_EQ(g[i], 0.0) << "at x = " << x[i];
}

//===----------------------------------------------------------------------===//
// A chain
//===----------------------------------------------------------------------===//

// Tests a two-layer network end to end: dense, tanh, dense, sigmoid, bce.
TEST(Chain, DenseTanhDenseSigmoidBce) {
  Random rng(8);
  GradientCheck c;
  c.input("x", {4, 3}, rng.uniform(12, -1, 1));
  c.param("k1", {3, 5}, rng.uniform(15, -1, 1));
  c.param("b1", {5}, rng.uniform(5, -0.5, 0.5));
  c.param("k2", {5, 2}, rng.uniform(10, -1, 1));
  c.param("b2", {2}, rng.uniform(2, -0.5, 0.5));
  std::vector<double> t = rng.uniform(8, 0, 1);
  for (double &v : t)
    v = v < 0.5 ? 0.0 : 1.0;
  c.input("t", {4, 2}, t);
  c.body(R"(
  %h0 = aenet.dense %x, %k1, %b1 : (tensor<4x3xf64>, tensor<3x5xf64>, tensor<5xf64>) -> tensor<4x5xf64>
  %h = aenet.activation tanh %h0 : tensor<4x5xf64>
  %o0 = aenet.dense %h, %k2, %b2 : (tensor<4x5xf64>, tensor<5x2xf64>, tensor<2xf64>) -> tensor<4x2xf64>
  %o = aenet.activation sigmoid %o0 : tensor<4x2xf64>
  %loss = aenet.loss bce mean %o, %t : tensor<4x2xf64>, tensor<4x2xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  std::vector<double> h =
      dense(c.values("x"), c.values("k1"), c.values("b1"), 4, 3, 5);
  for (double &v : h)
    v = std::tanh(v);
  std::vector<double> o = dense(h, c.values("k2"), c.values("b2"), 4, 5, 2);
  double bce = 0;
  for (size_t i = 0; i < o.size(); ++i) {
    double p = 1 / (1 + std::exp(-o[i]));
    bce -= t[i] * std::log(p) + (1 - t[i]) * std::log(1 - p);
  }
  expectLoss(c, bce / 8);
  EXPECT_TRUE(c.checkGradients());
}
