//===- OneDnnFusedActivationTest.cpp - Activations as post-ops -----------===//
//
// The lowering passes a layer's activation to matmul_bias, conv2d_bias and
// conv2d_thin_output_bias as their activation flag (an eltwise post-op, or
// for the thin kernel a pass on the result in place) instead of calling the
// activation kernel on their result. Each test runs both ways for every
// activation kind oneDNN runs as an eltwise algorithm (every kind of the
// ABI's list with oneDNN's flag but softmax) and requires the fused result
// to equal the unfused one within round-off: relative 1e-5, a few ulp of
// the pre-activation, which a post-op may sum in another order.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/OneDnnKernels.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <vector>

using namespace aenet::rt;

namespace {

/// Every activation the kernels take as their activation flag.
std::vector<Activation> eltwiseKinds() {
  std::vector<Activation> kinds;
#define AENET_ABI_ACTIVATION_KIND(Name, keyword, number, onOneDnn)             \
  if (onOneDnn && Activation::Name != Activation::Softmax)                     \
    kinds.push_back(Activation::Name);
  AENET_ABI_ACTIVATIONS(AENET_ABI_ACTIVATION_KIND)
#undef AENET_ABI_ACTIVATION_KIND
  return kinds;
}

const int64_t linear = static_cast<int64_t>(Activation::Linear);

/// |n| values uniform in [-|scale|, |scale|].
std::vector<float> uniform(size_t n, float scale, std::mt19937 &gen) {
  std::uniform_real_distribution<float> dist(-scale, scale);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(gen);
  return v;
}

MemRef<1> vectorRef(std::vector<float> &v) {
  return {v.data(), v.data(), 0, {static_cast<int64_t>(v.size())}, {1}};
}

MemRef<2> matrixRef(std::vector<float> &v, int64_t rows, int64_t cols) {
  return {v.data(), v.data(), 0, {rows, cols}, {cols, 1}};
}

/// An [N, C, H, W] image stored NHWC, the layout the lowering gives the
/// images these kernels write.
MemRef<4> nhwcRef(std::vector<float> &v, std::array<int64_t, 4> s) {
  int64_t c = s[1], h = s[2], w = s[3];
  return {v.data(), v.data(), 0, {s[0], c, h, w}, {c * h * w, 1, w * c, c}};
}

/// A [F, C, kh, kw] kernel, contiguous.
MemRef<4> kernelRef(std::vector<float> &v, std::array<int64_t, 4> s) {
  return {v.data(),
          v.data(),
          0,
          {s[0], s[1], s[2], s[3]},
          {s[1] * s[2] * s[3], s[2] * s[3], s[3], 1}};
}

void expectRoundOff(const std::vector<float> &unfused,
                    const std::vector<float> &fused, Activation kind) {
  ASSERT_EQ(unfused.size(), fused.size());
  for (size_t i = 0; i < fused.size(); ++i)
    ASSERT_NEAR(fused[i], unfused[i],
                1e-5 * std::max(1.0f, std::fabs(unfused[i])))
        << "activation " << static_cast<int64_t>(kind) << ", element " << i;
}

/// A convolution's operands: x, the kernel, the bias, and the two outputs.
struct Convolution {
  std::array<int64_t, 4> xShape, kShape, yShape;
  std::vector<float> x, k, bias, sum, unfused, fused;
  MemRef<4> xr, kr, sumr, unfusedr, fusedr;
  MemRef<1> br;

  Convolution(std::array<int64_t, 4> xs, std::array<int64_t, 4> ks,
              std::mt19937 &gen)
      : xShape(xs), kShape(ks), yShape{xs[0], ks[0], xs[2], xs[3]},
        x(uniform(xs[0] * xs[1] * xs[2] * xs[3], 1, gen)),
        k(uniform(ks[0] * ks[1] * ks[2] * ks[3], 0.5f, gen)),
        bias(uniform(ks[0], 0.5f, gen)), sum(size(yShape)),
        unfused(size(yShape)), fused(size(yShape)),
        xr(nhwcRef(x, xShape)), kr(kernelRef(k, kShape)),
        sumr(nhwcRef(sum, yShape)), unfusedr(nhwcRef(unfused, yShape)),
        fusedr(nhwcRef(fused, yShape)), br(vectorRef(bias)) {}

  static size_t size(std::array<int64_t, 4> s) {
    return s[0] * s[1] * s[2] * s[3];
  }
};

/// conv2d_bias or (|thin|) conv2d_thin_output_bias, 'same' 3x3 windows.
void convolve(bool thin, KernelSites &sites, int64_t site, Convolution &c,
              MemRef<4> &y, int64_t activation) {
  if (thin)
    _mlir_ciface_aenet_dnnl_conv2d_thin_output_bias(
        &sites, site, &c.xr, &c.kr, &c.br, &y, 1, 1, 1, 1, 1, 1, activation);
  else
    _mlir_ciface_aenet_dnnl_conv2d_bias(&sites, site, &c.xr, &c.kr, &c.br, &y,
                                        1, 1, 1, 1, 1, 1, activation);
}

/// The convolution with its activation fused against the plain one
/// followed by image_activation, for every kind.
void checkConvolution(bool thin, std::array<int64_t, 4> xShape,
                      std::array<int64_t, 4> kShape) {
  std::mt19937 gen(thin ? 23 : 29);
  for (Activation kind : eltwiseKinds()) {
    Convolution c(xShape, kShape, gen);
    int64_t flag = static_cast<int64_t>(kind);
    KernelSites sites(3);
    convolve(thin, sites, 0, c, c.sumr, linear);
    _mlir_ciface_aenet_dnnl_image_activation(&sites, 1, &c.sumr, &c.unfusedr,
                                             flag);
    convolve(thin, sites, 2, c, c.fusedr, flag);
    expectRoundOff(c.unfused, c.fused, kind);
  }
}

} // namespace

TEST(OneDnnFusedActivation, EveryKindHasAnEltwisePostOp) {
  // The kinds the lowering may fuse: if this list shrank, a kind would
  // silently lose its test below.
  EXPECT_EQ(eltwiseKinds().size(), 5u);
}

TEST(OneDnnFusedActivation, MatmulBiasEqualsMatmulThenActivation) {
  // Sizes that take oneDNN's blocked matmul with remainders; sums of
  // magnitude ~3 reach every activation's curved part and both signs.
  const int64_t m = 37, k = 96, n = 53;
  std::mt19937 gen(17);
  for (Activation kind : eltwiseKinds()) {
    std::vector<float> a = uniform(m * k, 1, gen), b = uniform(k * n, 1, gen);
    std::vector<float> bias = uniform(n, 1, gen);
    std::vector<float> sum(m * n), unfused(m * n), fused(m * n);
    MemRef<2> ar = matrixRef(a, m, k), br = matrixRef(b, k, n);
    MemRef<2> sumr = matrixRef(sum, m, n), unfusedr = matrixRef(unfused, m, n),
              fusedr = matrixRef(fused, m, n);
    MemRef<1> biasr = vectorRef(bias);
    int64_t flag = static_cast<int64_t>(kind);
    KernelSites sites(3);
    _mlir_ciface_aenet_dnnl_matmul_bias(&sites, 0, &ar, &br, &biasr, &sumr,
                                        linear);
    _mlir_ciface_aenet_dnnl_activation(&sites, 1, &sumr, &unfusedr, flag);
    _mlir_ciface_aenet_dnnl_matmul_bias(&sites, 2, &ar, &br, &biasr, &fusedr,
                                        flag);
    expectRoundOff(unfused, fused, kind);
  }
}

TEST(OneDnnFusedActivation, ConvolutionBiasEqualsConvolutionThenActivation) {
  checkConvolution(/*thin=*/false, {2, 8, 9, 7}, {16, 8, 3, 3});
}

TEST(OneDnnFusedActivation, ThinOutputConvolutionEqualsItThenActivation) {
  checkConvolution(/*thin=*/true, {2, 16, 9, 7}, {1, 16, 3, 3});
}
