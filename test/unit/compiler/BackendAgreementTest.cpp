//===- BackendAgreementTest.cpp - The loops and oneDNN backends agree -----===//
//
// For every op the oneDNN backend lowers (dense, each activation, conv2d,
// conv2d_transpose, maxpool2d, upsample2d) and for a small convolutional
// autoencoder: one f32 train_step on each backend from the same values
// gives the same loss and gradients to 1e-4, and the oneDNN backend's
// gradients match the f64 loops reference and finite differences of its own
// forward pass (BackendCheck.h). The shapes repeat those of the f64 gradient
// tests (odd, rectangular, asymmetric pads, unread edges, overlapping
// windows) and add channel counts of 8 and 16, where oneDNN switches to
// blocked layouts. maxpool2d's tie-breaking, where finite differences say
// nothing, is checked directly.
//
//===----------------------------------------------------------------------===//

#include "BackendCheck.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <tuple>

using namespace aenet::test;

namespace {

std::string type(const Shape &s) { return f32Type(s); }

int64_t count(const Shape &s) {
  return std::accumulate(s.begin(), s.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

/// The loss line comparing |y| of |shape| with the input `%t`.
std::string mseLine(const std::string &y, const Shape &shape) {
  return "  %loss = aenet.loss mse sum " + y + ", %t : " + type(shape) + ", " +
         type(shape) + " -> tensor<f32>";
}

/// The body of a test of one image op under mse against `%t`: |op| gives the
/// op's line for the name of its input, writing `%y` of shape |ys|. With
/// |betweenTanh| the op reads tanh(%x) and the loss tanh(%y), so that on the
/// oneDNN backend the op reads its input and dy in the NHWC layout oneDNN's
/// kernels write (a parameter and the loss gradient have the identity
/// layout); otherwise it reads %x.
std::string imageOpBody(
    const Shape &xs, const Shape &ys, bool betweenTanh,
    const std::function<std::string(const std::string &)> &op) {
  if (!betweenTanh)
    return op("%x") + mseLine("%y", ys);
  return "  %a = aenet.activation tanh %x : " + type(xs) + "\n" + op("%a") +
         "  %z = aenet.activation tanh %y : " + type(ys) + "\n" +
         mseLine("%z", ys);
}

/// Both checks on a compiled |c|.
void expectAgreement(BackendCheck &c) {
  ASSERT_TRUE(c.compile());
  EXPECT_TRUE(c.checkAgreement());
  EXPECT_TRUE(c.checkGradients());
}

/// Strides [sh, sw] and pads [top, left, bottom, right].
struct Placement {
  int64_t sh, sw, top, left, bottom, right;
  std::string attrs() const {
    return "strides [" + std::to_string(sh) + ", " + std::to_string(sw) +
           "] pads [" + std::to_string(top) + ", " + std::to_string(left) +
           ", " + std::to_string(bottom) + ", " + std::to_string(right) + "]";
  }
  /// The extent of a window count along height (d = 0) or width (1).
  int64_t out(int64_t in, int64_t window, int d) const {
    int64_t pads = d == 0 ? top + bottom : left + right;
    return (in + pads - window) / (d == 0 ? sh : sw) + 1;
  }
};

/// |n| distinct values, a shuffled lattice of spacing 0.025 centred on 0:
/// every maximum is 0.025 from its runner-up, well beyond the step of the
/// finite differences.
std::vector<double> distinct(int64_t n, Random &rng) {
  std::vector<double> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = 0.025 * (i - n / 2);
  for (int64_t i = n - 1; i > 0; --i)
    std::swap(v[i], v[static_cast<int64_t>(rng.uniform() * (i + 1))]);
  return v;
}

//===----------------------------------------------------------------------===//
// dense and activations
//===----------------------------------------------------------------------===//

void checkDense(bool bias) {
  Random rng(21);
  BackendCheck c;
  c.param("x", {4, 6}, rng.uniform(24, -1, 1));
  c.param("k", {6, 5}, rng.uniform(30, -1, 1));
  if (bias)
    c.param("b", {5}, rng.uniform(5, -1, 1));
  c.input("t", {4, 5}, rng.uniform(20, -1, 1));
  std::string operands = bias ? "%x, %k, %b" : "%x, %k";
  std::string types = "tensor<4x6xf32>, tensor<6x5xf32>" +
                      std::string(bias ? ", tensor<5xf32>" : "");
  c.body("  %y = aenet.dense " + operands + " : (" + types +
         ") -> tensor<4x5xf32>\n" + mseLine("%y", {4, 5}));
  expectAgreement(c);
}

// Tests dense with a bias: matmul with bias forward, matmuls reading the
// kernel and the input transposed backward.
TEST(BackendAgreement, DenseWithBias) { checkDense(true); }

// Tests dense without a bias.
TEST(BackendAgreement, DenseWithoutBias) { checkDense(false); }

/// Checks activation |kind| on a parameter of |shape| in [|lo|, |hi|), away
/// from |kinks|.
void checkActivation(const std::string &kind, const Shape &shape, double lo,
                     double hi, std::initializer_list<double> kinks) {
  Random rng(22);
  BackendCheck c;
  // 0.2 from a kink: beyond the finite differences' step even at |x| = 6.
  c.param("x", shape,
          rng.uniform(count(shape), lo, hi, kinks, /*margin=*/0.2));
  c.input("t", shape, rng.uniform(count(shape), -1, 1));
  c.body("  %y = aenet.activation " + kind + " %x : " + type(shape) + "\n" +
         mseLine("%y", shape));
  expectAgreement(c);
}

// Tests every activation on a matrix: the ones oneDNN has (relu,
// leaky_relu, sigmoid, tanh, elu, softmax) as eltwise and softmax
// primitives, the others on the loops on both backends.
TEST(BackendAgreement, Activations) {
  for (const char *kind : {"relu", "leaky_relu", "elu"}) {
    SCOPED_TRACE(kind);
    checkActivation(kind, {3, 5}, -3, 3, {0});
  }
  for (const char *kind : {"linear", "sigmoid", "tanh", "softmax"}) {
    SCOPED_TRACE(kind);
    checkActivation(kind, {3, 5}, -3, 3, {});
  }
  SCOPED_TRACE("hard_sigmoid");
  checkActivation("hard_sigmoid", {3, 5}, -4, 4, {-2.5, 2.5});
  SCOPED_TRACE("relu6");
  checkActivation("relu6", {3, 5}, -1, 8, {0, 6});
}

// Tests activations on images: softmax as matrices over the last axis, the
// others on the images' own layouts.
TEST(BackendAgreement, ActivationsOnImages) {
  for (const char *kind : {"relu", "tanh", "sigmoid", "softmax"}) {
    SCOPED_TRACE(kind);
    checkActivation(kind, {2, 3, 4, 5}, -3, 3, {0});
  }
}

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

/// Checks conv2d of a parameter image [2, c, h, w] with a kernel
/// [f, c, kh, kw] (and a bias) at |p|: forward, backward data, backward
/// weights (with the bias gradient); |betweenTanh| as in imageOpBody.
void checkConv2D(int64_t c, int64_t f, int64_t h, int64_t w, int64_t kh,
                 int64_t kw, const Placement &p, bool bias, uint64_t seed,
                 bool betweenTanh = false) {
  Random rng(seed);
  Shape xs = {2, c, h, w}, ks = {f, c, kh, kw};
  Shape ys = {2, f, p.out(h, kh, 0), p.out(w, kw, 1)};
  BackendCheck check;
  check.param("x", xs, rng.uniform(count(xs), -1, 1));
  // Keeps sum |k| of order 1, so that y and the loss are too.
  double range = 1.0 / std::sqrt(double(c * kh * kw));
  check.param("k", ks, rng.uniform(count(ks), -range, range));
  if (bias)
    check.param("b", {f}, rng.uniform(f, -1, 1));
  check.input("t", ys, rng.uniform(count(ys), -1, 1));
  std::string operands = bias ? ", %k, %b" : ", %k";
  std::string types = type(xs) + ", " + type(ks) +
                      (bias ? ", " + type({f}) : std::string());
  check.body(imageOpBody(xs, ys, betweenTanh, [&](const std::string &in) {
    return "  %y = aenet.conv2d " + in + operands + " " + p.attrs() + " : (" +
           types + ") -> " + type(ys) + "\n";
  }));
  expectAgreement(check);
}

// Tests a 3x3 'same' convolution at stride 1 with bias.
TEST(BackendAgreement, Conv2DSameStride1) {
  checkConv2D(3, 4, 5, 6, 3, 3, {1, 1, 1, 1, 1, 1}, true, 1);
}

// Tests TensorFlow's asymmetric 'same' at stride 2 with a 3x2 kernel.
TEST(BackendAgreement, Conv2DSameStride2Asymmetric) {
  checkConv2D(3, 4, 6, 8, 3, 2, {2, 2, 0, 0, 1, 0}, true, 2);
}

// Tests 'valid' at stride 2 with unread last rows, without a bias.
TEST(BackendAgreement, Conv2DValidStride2UnreadEdge) {
  checkConv2D(3, 4, 6, 7, 3, 3, {2, 2, 0, 0, 0, 0}, false, 3);
}

// Tests a 1x1 convolution.
TEST(BackendAgreement, Conv2DPointwise) {
  checkConv2D(3, 4, 3, 4, 1, 1, {1, 1, 0, 0, 0, 0}, true, 4);
}

// Tests the channel counts of examples/conv_ae.aenet (16 to 8, 1 to 16,
// 16 to 1), where oneDNN computes on blocked layouts that pad the channels
// to a multiple of 8.
TEST(BackendAgreement, Conv2DBlockedChannels) {
  checkConv2D(16, 8, 5, 4, 3, 3, {1, 1, 1, 1, 1, 1}, true, 5);
  checkConv2D(1, 16, 6, 5, 3, 3, {1, 1, 1, 1, 1, 1}, true, 6);
  checkConv2D(16, 1, 4, 6, 3, 3, {1, 1, 1, 1, 1, 1}, true, 7);
}

// Tests conv2d with one filter between oneDNN kernels, which the oneDNN
// backend runs as a matrix product by the taps (runtime/lib/ThinConv.cpp):
// 'same' at stride 1, TensorFlow's asymmetric 'same' at stride 2 with a 3x2
// kernel, and 'valid' at stride 2 with unread edges, without a bias.
TEST(BackendAgreement, Conv2DOneFilter) {
  checkConv2D(5, 1, 7, 6, 3, 3, {1, 1, 1, 1, 1, 1}, true, 8, true);
  checkConv2D(3, 1, 6, 8, 3, 2, {2, 2, 0, 0, 1, 0}, true, 9, true);
  checkConv2D(4, 1, 6, 7, 3, 3, {2, 2, 0, 0, 0, 0}, false, 10, true);
}

// Tests the kernel gradient of conv2d from one input channel with dy from a
// oneDNN kernel, which the oneDNN backend runs as a matrix product by the
// image's patches (runtime/lib/ThinConv.cpp), at the same placements.
TEST(BackendAgreement, Conv2DOneInputChannel) {
  checkConv2D(1, 5, 7, 6, 3, 3, {1, 1, 1, 1, 1, 1}, true, 11, true);
  checkConv2D(1, 3, 6, 8, 3, 2, {2, 2, 0, 0, 1, 0}, true, 12, true);
  checkConv2D(1, 4, 6, 7, 3, 3, {2, 2, 0, 0, 0, 0}, false, 13, true);
}

//===----------------------------------------------------------------------===//
// conv2d_transpose
//===----------------------------------------------------------------------===//

/// Checks conv2d_transpose of a parameter image [2, c, h, w] with a kernel
/// [c, f, kh, kw] and a bias into [2, f, ho, wo] at |p|. Its gradients are
/// conv2d and conv2d_grad_kernel ops.
void checkConv2DTranspose(int64_t c, int64_t f, int64_t h, int64_t w,
                          int64_t kh, int64_t kw, const Placement &p,
                          int64_t ho, int64_t wo, uint64_t seed) {
  Random rng(seed);
  Shape xs = {2, c, h, w}, ks = {c, f, kh, kw}, ys = {2, f, ho, wo};
  BackendCheck check;
  check.param("x", xs, rng.uniform(count(xs), -1, 1));
  double range = 1.0 / std::sqrt(double(c * kh * kw));
  check.param("k", ks, rng.uniform(count(ks), -range, range));
  check.param("b", {f}, rng.uniform(f, -1, 1));
  check.input("t", ys, rng.uniform(count(ys), -1, 1));
  check.body("  %y = aenet.conv2d_transpose %x, %k, %b " + p.attrs() + " : (" +
             type(xs) + ", " + type(ks) + ", " + type({f}) + ") -> " +
             type(ys) + "\n" + mseLine("%y", ys));
  expectAgreement(check);
}

// Tests Keras's 'same' transposed convolution at stride 2.
TEST(BackendAgreement, Conv2DTransposeSameStride2) {
  checkConv2DTranspose(4, 3, 3, 4, 3, 3, {2, 2, 0, 0, 1, 1}, 6, 8, 8);
}

// Tests 'same' at stride 1, the adjoint of a 'same' conv2d.
TEST(BackendAgreement, Conv2DTransposeSameStride1) {
  checkConv2DTranspose(4, 3, 4, 3, 3, 3, {1, 1, 1, 1, 1, 1}, 4, 3, 9);
}

// Tests 'valid' with a kernel smaller than the stride: rows no window
// reaches get only the bias.
TEST(BackendAgreement, Conv2DTransposeValidGaps) {
  checkConv2DTranspose(4, 3, 2, 3, 2, 2, {3, 3, 0, 0, 0, 0}, 6, 9, 10);
}

// Tests blocked channel counts (8 to 16).
TEST(BackendAgreement, Conv2DTransposeBlockedChannels) {
  checkConv2DTranspose(8, 16, 3, 4, 3, 3, {2, 2, 0, 0, 1, 1}, 6, 8, 11);
}

//===----------------------------------------------------------------------===//
// maxpool2d and upsample2d
//===----------------------------------------------------------------------===//

/// Checks maxpool2d of a parameter image [2, c, h, w] with a kh x kw window
/// at |p|; distinct values keep every maximum unique. |betweenTanh| as in
/// imageOpBody: in NHWC, disjoint windows take the host gradient.
void checkMaxPool(int64_t c, int64_t h, int64_t w, int64_t kh, int64_t kw,
                  const Placement &p, uint64_t seed,
                  bool betweenTanh = false) {
  Random rng(seed);
  Shape xs = {2, c, h, w}, ys = {2, c, p.out(h, kh, 0), p.out(w, kw, 1)};
  BackendCheck check;
  check.param("x", xs, distinct(count(xs), rng));
  check.input("t", ys, rng.uniform(count(ys), -1, 1));
  check.body(imageOpBody(xs, ys, betweenTanh, [&](const std::string &in) {
    return "  %y = aenet.maxpool2d " + in + " window [" + std::to_string(kh) +
           ", " + std::to_string(kw) + "] " + p.attrs() + " : " + type(xs) +
           " -> " + type(ys) + "\n";
  }));
  expectAgreement(check);
}

// Tests 2x2 pooling at stride 2.
TEST(BackendAgreement, MaxPoolTwoByTwo) {
  checkMaxPool(3, 4, 6, 2, 2, {2, 2, 0, 0, 0, 0}, 12);
}

// Tests 'valid' pooling of odd extents: the last row and column get no
// gradient.
TEST(BackendAgreement, MaxPoolValidOddExtent) {
  checkMaxPool(3, 5, 7, 2, 2, {2, 2, 0, 0, 0, 0}, 13);
}

// Tests overlapping 3x3 windows at stride 2 with asymmetric 'same' pads.
TEST(BackendAgreement, MaxPoolOverlappingSame) {
  checkMaxPool(3, 5, 6, 3, 3, {2, 2, 1, 0, 1, 1}, 14);
}

// Tests a 3x2 window at stride 1, and 16 channels.
TEST(BackendAgreement, MaxPoolStride1) {
  checkMaxPool(3, 4, 5, 3, 2, {1, 1, 0, 0, 0, 0}, 15);
  checkMaxPool(16, 4, 4, 2, 2, {2, 2, 0, 0, 0, 0}, 16);
}

// Tests the host gradient of disjoint windows (between oneDNN kernels): 2x2
// at stride 2 with 16 channels, 'valid' 2x2 of odd extents (the last row and
// column get no gradient), and 3x2 windows at stride 3x2.
TEST(BackendAgreement, MaxPoolDisjointWindows) {
  checkMaxPool(16, 4, 6, 2, 2, {2, 2, 0, 0, 0, 0}, 24, true);
  checkMaxPool(3, 5, 7, 2, 2, {2, 2, 0, 0, 0, 0}, 25, true);
  checkMaxPool(2, 6, 5, 3, 2, {3, 2, 0, 0, 0, 0}, 26, true);
}

// Tests that oneDNN's max pooling breaks ties as aenet.maxpool2d_grad
// documents: the whole dy goes to the window's first maximum in row-major
// order. The image of ConvGradientTest's tie test, then one of 16 channels
// that is mostly zeros (relu outputs), where every window of zeros ties.
TEST(BackendAgreement, MaxPoolTiesGoToTheFirstMaximum) {
  {
    BackendCheck c;
    c.param("x", {1, 1, 4, 4},
            {0, 0, 1, 3, //
             2, 2, 3, 1, //
             5, 5, 0, 4, //
             5, 5, 1, 0});
    c.input("t", {1, 1, 2, 2}, {1, 2, 3, 5});
    c.body(R"(  %y = aenet.maxpool2d %x window [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  %loss = aenet.loss mse sum %y, %t : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32> -> tensor<f32>)");
    ASSERT_TRUE(c.compile());
    std::vector<double> g = c.oneDnnGradient("x");
    // y = [2, 3, 5, 4]; dy = 2 (y - t) = [2, 2, 4, -2].
    std::vector<double> expected = {0, 0, 0, 2,  //
                                    2, 0, 0, 0,  //
                                    4, 0, 0, -2, //
                                    0, 0, 0, 0};
    EXPECT_EQ(g, expected);
  }
  Random rng(17);
  Shape xs = {2, 16, 6, 6}, ys = {2, 16, 3, 3};
  std::vector<double> x = rng.uniform(count(xs), -1, 1);
  for (double &v : x)
    v = std::max(v, 0.0) > 0.6 ? v : 0.0;
  BackendCheck c;
  c.param("x", xs, x);
  c.input("t", ys, rng.uniform(count(ys), -1, 1));
  c.body("  %y = aenet.maxpool2d %x window [3, 3] strides [2, 2] pads [1, 1, "
         "0, 0] : " +
         type(xs) + " -> " + type(ys) + "\n" + mseLine("%y", ys));
  ASSERT_TRUE(c.compile());
  EXPECT_TRUE(c.checkAgreement());
}

// Tests ties in the host gradient of disjoint windows: values drawn from
// three levels tie within most 2x2 windows of 16 channels; tanh (one to
// one, so the ties stay) before and after puts x and dy in NHWC, and its
// nonzero slope makes the tied position that gets dy visible in x's
// gradient.
TEST(BackendAgreement, MaxPoolDisjointTies) {
  Random rng(27);
  Shape xs = {2, 16, 6, 6}, ys = {2, 16, 3, 3};
  std::vector<double> x = rng.uniform(count(xs), 0, 3);
  for (double &v : x)
    v = std::floor(v) * 0.5 - 0.5;
  BackendCheck c;
  c.param("x", xs, x);
  c.input("t", ys, rng.uniform(count(ys), -1, 1));
  c.body(imageOpBody(xs, ys, true, [&](const std::string &in) {
    return "  %y = aenet.maxpool2d " + in +
           " window [2, 2] strides [2, 2] pads [0, 0, 0, 0] : " + type(xs) +
           " -> " + type(ys) + "\n";
  }));
  ASSERT_TRUE(c.compile());
  EXPECT_TRUE(c.checkAgreement());
}

// Tests nearest upsampling by 2x3 and by 2x2 with 8 channels.
TEST(BackendAgreement, Upsample) {
  for (auto [c, fh, fw] : {std::tuple<int64_t, int64_t, int64_t>{3, 2, 3},
                           {8, 2, 2}}) {
    Random rng(18);
    Shape xs = {2, c, 3, 2}, ys = {2, c, 3 * fh, 2 * fw};
    BackendCheck check;
    check.param("x", xs, rng.uniform(count(xs), -1, 1));
    check.input("t", ys, rng.uniform(count(ys), -1, 1));
    check.body("  %y = aenet.upsample2d %x factors [" + std::to_string(fh) +
               ", " + std::to_string(fw) + "] : " + type(xs) + " -> " +
               type(ys) + "\n" + mseLine("%y", ys));
    expectAgreement(check);
  }
}

//===----------------------------------------------------------------------===//
// A chain
//===----------------------------------------------------------------------===//

// Tests a small version of examples/conv_ae.aenet: conv2d + relu, maxpool,
// conv2d + relu, maxpool, conv2d + relu, upsample, conv2d_transpose at
// stride 2 + tanh, conv2d + sigmoid, under mse against the input. Relu makes
// zero-filled pooling windows, so tie-breaking matters here too. Only the
// agreements: finite differences in f32 would cross relu and pooling kinks.
TEST(BackendAgreement, ConvAutoencoder) {
  Random rng(19);
  BackendCheck c;
  c.input("x", {4, 1, 8, 8}, rng.uniform(256, 0, 1));
  c.param("k1", {16, 1, 3, 3}, rng.uniform(144, -0.5, 0.5));
  c.param("b1", {16}, rng.uniform(16, -0.1, 0.1));
  c.param("k2", {8, 16, 3, 3}, rng.uniform(1152, -0.15, 0.15));
  c.param("b2", {8}, rng.uniform(8, -0.1, 0.1));
  c.param("k3", {8, 8, 3, 3}, rng.uniform(576, -0.2, 0.2));
  c.param("b3", {8}, rng.uniform(8, -0.1, 0.1));
  c.param("k4", {8, 16, 3, 3}, rng.uniform(1152, -0.2, 0.2));
  c.param("b4", {16}, rng.uniform(16, -0.1, 0.1));
  c.param("k5", {1, 16, 3, 3}, rng.uniform(144, -0.15, 0.15));
  c.param("b5", {1}, {0.1});
  c.body(R"(  %a0 = aenet.conv2d %x, %k1, %b1 strides [1, 1] pads [1, 1, 1, 1] : (tensor<4x1x8x8xf32>, tensor<16x1x3x3xf32>, tensor<16xf32>) -> tensor<4x16x8x8xf32>
  %a1 = aenet.activation relu %a0 : tensor<4x16x8x8xf32>
  %p1 = aenet.maxpool2d %a1 window [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<4x16x8x8xf32> -> tensor<4x16x4x4xf32>
  %a2 = aenet.conv2d %p1, %k2, %b2 strides [1, 1] pads [1, 1, 1, 1] : (tensor<4x16x4x4xf32>, tensor<8x16x3x3xf32>, tensor<8xf32>) -> tensor<4x8x4x4xf32>
  %a3 = aenet.activation relu %a2 : tensor<4x8x4x4xf32>
  %p2 = aenet.maxpool2d %a3 window [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<4x8x4x4xf32> -> tensor<4x8x2x2xf32>
  %a4 = aenet.conv2d %p2, %k3, %b3 strides [1, 1] pads [1, 1, 1, 1] : (tensor<4x8x2x2xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<4x8x2x2xf32>
  %a5 = aenet.activation relu %a4 : tensor<4x8x2x2xf32>
  %u1 = aenet.upsample2d %a5 factors [2, 2] : tensor<4x8x2x2xf32> -> tensor<4x8x4x4xf32>
  %a6 = aenet.conv2d_transpose %u1, %k4, %b4 strides [2, 2] pads [0, 0, 1, 1] : (tensor<4x8x4x4xf32>, tensor<8x16x3x3xf32>, tensor<16xf32>) -> tensor<4x16x8x8xf32>
  %a7 = aenet.activation tanh %a6 : tensor<4x16x8x8xf32>
  %a8 = aenet.conv2d %a7, %k5, %b5 strides [1, 1] pads [1, 1, 1, 1] : (tensor<4x16x8x8xf32>, tensor<1x16x3x3xf32>, tensor<1xf32>) -> tensor<4x1x8x8xf32>
  %r = aenet.activation sigmoid %a8 : tensor<4x1x8x8xf32>
  %loss = aenet.loss mse sum %r, %x : tensor<4x1x8x8xf32>, tensor<4x1x8x8xf32> -> tensor<f32>)");
  ASSERT_TRUE(c.compile());
  EXPECT_TRUE(c.checkAgreement());
  EXPECT_TRUE(c.checkGradients(/*finiteDifferences=*/false));
}

// Tests a softmax over the last axis of an image a convolution wrote: on the
// oneDNN backend the image is NHWC and the softmax kernel reads a matrix of
// the identity layout, so the compiled code copies between the two layouts
// (memrefCopy), forward and backward.
TEST(BackendAgreement, SoftmaxOfConvolution) {
  Random rng(23);
  BackendCheck c;
  c.param("x", {2, 3, 4, 5}, rng.uniform(120, -1, 1));
  c.param("k", {6, 3, 3, 3}, rng.uniform(162, -0.3, 0.3));
  c.input("t", {2, 6, 4, 5}, rng.uniform(240, -1, 1));
  c.body(R"(  %y = aenet.conv2d %x, %k strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x4x5xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x4x5xf32>
  %s = aenet.activation softmax %y : tensor<2x6x4x5xf32>
)" + mseLine("%s", {2, 6, 4, 5}));
  expectAgreement(c);
}

} // namespace
