//===- OneDnnKernelsTest.cpp - The oneDNN kernels against naive loops -----===//
//
// Each kernel is called as compiled code calls it (a table of call sites'
// state, the site's number, memref descriptors) and compared with a direct
// computation in double precision, or the specialised kernels the lowering
// picks with the general ones. Tolerances are relative 1e-5: oneDNN's f32
// kernels reorder sums (blocked accumulation), so results differ from a
// sequential sum by a few ulp per term. Also checks that state belongs to
// one call site: built once per site, never shared by two.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/OneDnnKernels.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <set>
#include <vector>

using namespace aenet::rt;

namespace {

/// A row-major [rows, cols] matrix with its descriptor.
struct Matrix {
  std::vector<float> data;
  MemRef<2> ref;
  Matrix(int64_t rows, int64_t cols, std::mt19937 &gen)
      : data(rows * cols) {
    std::uniform_real_distribution<float> dist(-1, 1);
    for (float &v : data)
      v = dist(gen);
    ref = {data.data(), data.data(), 0, {rows, cols}, {cols, 1}};
  }
  double at(int64_t r, int64_t c) const { return data[r * ref.sizes[1] + c]; }
};

void expectNear(double expected, double actual) {
  EXPECT_NEAR(actual, expected, 1e-5 * std::max(1.0, std::fabs(expected)));
}

/// c = op(a) op(b) computed directly.
void checkMatmul(bool ta, bool tb) {
  std::mt19937 gen(7);
  const int64_t m = 5, k = 7, n = 3;
  Matrix a(ta ? k : m, ta ? m : k, gen), b(tb ? n : k, tb ? k : n, gen);
  Matrix c(m, n, gen);
  KernelSites sites(1);
  _mlir_ciface_aenet_dnnl_matmul(&sites, 0, &a.ref, &b.ref, &c.ref, ta, tb);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t p = 0; p < k; ++p)
        sum += (ta ? a.at(p, i) : a.at(i, p)) * (tb ? b.at(j, p) : b.at(p, j));
      expectNear(sum, c.at(i, j));
    }
}

} // namespace

TEST(OneDnnKernels, MatmulReadsTransposedOperandsThroughStrides) {
  checkMatmul(false, false);
  checkMatmul(true, false);
  checkMatmul(false, true);
  checkMatmul(true, true);
}

TEST(OneDnnKernels, MatmulWithBiasBroadcastsOverRows) {
  std::mt19937 gen(3);
  Matrix a(4, 6, gen), b(6, 5, gen), c(4, 5, gen);
  std::vector<float> bias = {0.5f, -1.f, 2.f, 0.f, 3.f};
  MemRef<1> biasRef = {bias.data(), bias.data(), 0, {5}, {1}};
  KernelSites sites(1);
  _mlir_ciface_aenet_dnnl_matmul_bias(&sites, 0, &a.ref, &b.ref, &biasRef,
                                      &c.ref,
                                      static_cast<int64_t>(Activation::Linear));
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 5; ++j) {
      double sum = bias[j];
      for (int64_t p = 0; p < 6; ++p)
        sum += a.at(i, p) * b.at(p, j);
      expectNear(sum, c.at(i, j));
    }
}

TEST(OneDnnKernels, ActivationsAndTheirGradientsFromTheOutput) {
  struct Case {
    Activation kind;
    double (*f)(double);
    double (*df)(double y); // derivative in terms of the output
  };
  const Case cases[] = {
      {Activation::Relu, [](double x) { return x > 0 ? x : 0; },
       [](double y) { return y > 0 ? 1.0 : 0.0; }},
      {Activation::LeakyRelu, [](double x) { return x > 0 ? x : 0.2 * x; },
       [](double y) { return y > 0 ? 1.0 : 0.2; }},
      {Activation::Sigmoid, [](double x) { return 1 / (1 + std::exp(-x)); },
       [](double y) { return y * (1 - y); }},
      {Activation::Tanh, [](double x) { return std::tanh(x); },
       [](double y) { return 1 - y * y; }},
      {Activation::Elu,
       [](double x) { return x > 0 ? x : std::exp(x) - 1; },
       [](double y) { return y > 0 ? 1.0 : y + 1; }},
  };
  std::mt19937 gen(11);
  for (const Case &c : cases) {
    Matrix x(3, 4, gen), y(3, 4, gen), dy(3, 4, gen), dx(3, 4, gen);
    int64_t kind = static_cast<int64_t>(c.kind);
    ASSERT_TRUE(oneDnnRunsActivation(kind));
    KernelSites sites(2);
    _mlir_ciface_aenet_dnnl_activation(&sites, 0, &x.ref, &y.ref, kind);
    _mlir_ciface_aenet_dnnl_activation_grad(&sites, 1, &y.ref, &dy.ref,
                                            &dx.ref, kind);
    for (int64_t i = 0; i < 12; ++i) {
      double expected = c.f(x.data[i]);
      expectNear(expected, y.data[i]);
      expectNear(c.df(expected) * dy.data[i], dx.data[i]);
    }
  }
}

TEST(OneDnnKernels, SoftmaxOverRowsAndItsGradient) {
  std::mt19937 gen(5);
  Matrix x(2, 4, gen), y(2, 4, gen), dy(2, 4, gen), dx(2, 4, gen);
  const int64_t kind = static_cast<int64_t>(Activation::Softmax);
  KernelSites sites(2);
  _mlir_ciface_aenet_dnnl_activation(&sites, 0, &x.ref, &y.ref, kind);
  _mlir_ciface_aenet_dnnl_activation_grad(&sites, 1, &y.ref, &dy.ref, &dx.ref,
                                          kind);
  for (int64_t r = 0; r < 2; ++r) {
    double total = 0, dot = 0;
    for (int64_t j = 0; j < 4; ++j)
      total += std::exp(x.at(r, j));
    for (int64_t j = 0; j < 4; ++j) {
      double p = std::exp(x.at(r, j)) / total;
      expectNear(p, y.at(r, j));
      dot += dy.at(r, j) * p;
    }
    for (int64_t j = 0; j < 4; ++j) {
      double p = std::exp(x.at(r, j)) / total;
      expectNear(p * (dy.at(r, j) - dot), dx.at(r, j));
    }
  }
}

TEST(OneDnnKernels, KernelsAreBuiltOncePerSite) {
  std::mt19937 gen(1);
  Matrix a(8, 9, gen), b(9, 10, gen), c(8, 10, gen);
  KernelSites sites(2);
  _mlir_ciface_aenet_dnnl_matmul(&sites, 0, &a.ref, &b.ref, &c.ref, 0, 0);
  int64_t built = oneDnnKernelsBuilt();
  for (int i = 0; i < 3; ++i)
    _mlir_ciface_aenet_dnnl_matmul(&sites, 0, &a.ref, &b.ref, &c.ref, 0, 0);
  EXPECT_EQ(oneDnnKernelsBuilt(), built);
  Matrix d(8, 10, gen);
  _mlir_ciface_aenet_dnnl_matmul(&sites, 0, &a.ref, &b.ref, &d.ref, 0, 0);
  EXPECT_EQ(oneDnnKernelsBuilt(), built) << "same site, other buffers";
  _mlir_ciface_aenet_dnnl_matmul(&sites, 1, &a.ref, &b.ref, &d.ref, 0, 0);
  EXPECT_EQ(oneDnnKernelsBuilt(), built + 1) << "same shape, another site";
  EXPECT_NE(sites.kernel(0), sites.kernel(1));
}

namespace {

/// An [N, C, H, W] image of |sizes| stored NHWC (or NCHW), filled from
/// |gen|.
struct Image {
  std::vector<float> data;
  MemRef<4> ref;
  Image(std::array<int64_t, 4> s, bool nhwc, std::mt19937 &gen)
      : data(s[0] * s[1] * s[2] * s[3]) {
    std::uniform_real_distribution<float> dist(-1, 1);
    for (float &v : data)
      v = dist(gen);
    int64_t c = s[1], h = s[2], w = s[3];
    ref = {data.data(), data.data(), 0, {s[0], c, h, w},
           {c * h * w, nhwc ? 1 : h * w, nhwc ? w * c : w, nhwc ? c : 1}};
  }
};

} // namespace

TEST(OneDnnKernels, TwoSitesOfOneShapeOwnDistinctMemory) {
  // A 3x3 convolution 8 -> 8 reorders its kernel into oneDNN's blocked
  // layout (memory the kernel owns); max pooling's gradient keeps the
  // forward's workspace. Two sites of the same shapes each get their own.
  std::mt19937 gen(2);
  Image x({2, 8, 6, 6}, true, gen), k({8, 8, 3, 3}, false, gen);
  Image y({2, 8, 6, 6}, true, gen), dx({2, 8, 6, 6}, true, gen);
  KernelSites sites(4);
  for (int64_t site : {0, 1})
    _mlir_ciface_aenet_dnnl_conv2d(&sites, site, &x.ref, &k.ref, &y.ref, 1, 1,
                                   1, 1, 1, 1);
  for (int64_t site : {2, 3})
    _mlir_ciface_aenet_dnnl_maxpool2d_grad(&sites, site, &x.ref, &y.ref,
                                           &dx.ref, 3, 3, 1, 1, 1, 1, 1, 1);
  std::set<const void *> seen;
  for (int64_t site = 0; site < sites.size(); ++site) {
    std::vector<const void *> owned = sites.ownedMemory(site);
    EXPECT_FALSE(owned.empty()) << "site " << site;
    for (const void *p : owned)
      EXPECT_TRUE(seen.insert(p).second) << "site " << site << " shares " << p;
  }
}

TEST(OneDnnKernels, ThinOutputConvolutionMatchesTheConvolution) {
  // One filter of an NHWC image, strided and padded unevenly, with a bias.
  std::mt19937 gen(4);
  Image x({2, 5, 7, 6}, true, gen), k({1, 5, 3, 2}, false, gen);
  Image y({2, 1, 4, 6}, true, gen), thin({2, 1, 4, 6}, true, gen);
  std::vector<float> b = {0.25f};
  MemRef<1> br = {b.data(), b.data(), 0, {1}, {1}};
  KernelSites sites(2);
  const int64_t linear = static_cast<int64_t>(Activation::Linear);
  _mlir_ciface_aenet_dnnl_conv2d_bias(&sites, 0, &x.ref, &k.ref, &br, &y.ref,
                                      2, 1, 1, 0, 1, 1, linear);
  _mlir_ciface_aenet_dnnl_conv2d_thin_output_bias(
      &sites, 1, &x.ref, &k.ref, &br, &thin.ref, 2, 1, 1, 0, 1, 1, linear);
  for (size_t i = 0; i < y.data.size(); ++i)
    expectNear(y.data[i], thin.data[i]);
}

TEST(OneDnnKernels, ThinKernelGradientsMatchBackwardWeights) {
  std::mt19937 gen(6);
  // One filter: x [2, 4, 6, 6] NHWC, dy [2, 1, 6, 6]; one input channel:
  // x [2, 1, 6, 6], dy [2, 3, 6, 6] NHWC. 'same' 3x3 windows, with db.
  struct Case {
    std::array<int64_t, 4> x, dy, dk;
    bool thinInput;
  };
  for (const Case &c : {Case{{2, 4, 6, 6}, {2, 1, 6, 6}, {1, 4, 3, 3}, false},
                        Case{{2, 1, 6, 6}, {2, 3, 6, 6}, {3, 1, 3, 3}, true}}) {
    Image x(c.x, true, gen), dy(c.dy, true, gen);
    Image dk(c.dk, false, gen), thin(c.dk, false, gen);
    std::vector<float> db(c.dk[0]), thinDb(c.dk[0]);
    MemRef<1> dbr = {db.data(), db.data(), 0, {c.dk[0]}, {1}};
    MemRef<1> thinDbr = {thinDb.data(), thinDb.data(), 0, {c.dk[0]}, {1}};
    KernelSites sites(2);
    _mlir_ciface_aenet_dnnl_conv2d_grad_kernel_bias(
        &sites, 0, &x.ref, &dy.ref, &dk.ref, &dbr, 1, 1, 1, 1, 1, 1);
    if (c.thinInput)
      _mlir_ciface_aenet_dnnl_conv2d_grad_kernel_thin_input_bias(
          &sites, 1, &x.ref, &dy.ref, &thin.ref, &thinDbr, 1, 1, 1, 1, 1, 1);
    else
      _mlir_ciface_aenet_dnnl_conv2d_grad_kernel_thin_output_bias(
          &sites, 1, &x.ref, &dy.ref, &thin.ref, &thinDbr, 1, 1, 1, 1, 1, 1);
    for (size_t i = 0; i < dk.data.size(); ++i)
      expectNear(dk.data[i], thin.data[i]);
    for (size_t i = 0; i < db.size(); ++i)
      expectNear(db[i], thinDb[i]);
  }
}

TEST(OneDnnKernels, DisjointMaxPoolGradientEqualsOneDnnsBitForBit) {
  // 2x2 windows at stride 2 on a 7x7 image: the last row and column belong
  // to no window. Ties (repeated values) go to the first maximum in both.
  std::mt19937 gen(8);
  Image x({2, 3, 7, 7}, true, gen), dy({2, 3, 3, 3}, true, gen);
  for (size_t i = 0; i < x.data.size(); i += 3)
    x.data[i] = 0.5f;
  Image dx({2, 3, 7, 7}, true, gen), disjoint({2, 3, 7, 7}, true, gen);
  KernelSites sites(2);
  _mlir_ciface_aenet_dnnl_maxpool2d_grad(&sites, 0, &x.ref, &dy.ref, &dx.ref,
                                         2, 2, 2, 2, 0, 0, 0, 0);
  _mlir_ciface_aenet_dnnl_maxpool2d_grad_disjoint(&sites, 1, &x.ref, &dy.ref,
                                                  &disjoint.ref, 2, 2);
  EXPECT_EQ(dx.data, disjoint.data);
}
