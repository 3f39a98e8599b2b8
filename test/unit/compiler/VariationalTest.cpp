//===- VariationalTest.cpp - sample_normal and kl_normal, numerically -----===//
//
// The variational autoencoder's ops through the JIT: kl_normal's value
// against TOOLCHAIN.md §11's closed form computed in C++ and its gradients
// against both finite differences and the closed-form gradients;
// sample_normal's gradients against finite differences (which only agree if
// the backward pass redraws the forward pass's eps), its draws against
// gaussian_noise's (the same counter-based normals); and a small VAE on
// both backends (oneDNN runs the dense layers, the loops backend the VAE
// ops), which must agree with each other, the f64 reference and finite
// differences.
//
//===----------------------------------------------------------------------===//

#include "BackendCheck.h"
#include "GradientCheck.h"

#include <cmath>

using namespace aenet::test;

namespace {

/// -1/2 sum (1 + lv - mu^2 - exp(lv)) / |batch|.
double klNormal(const std::vector<double> &mu, const std::vector<double> &lv,
                int64_t batch) {
  double s = 0;
  for (size_t i = 0; i < mu.size(); ++i)
    s += 1 + lv[i] - mu[i] * mu[i] - std::exp(lv[i]);
  return -0.5 * s / batch;
}

/// Checks kl_normal of parameters mu and logvar of |shape|.
void checkKlNormal(const Shape &shape, uint64_t seed) {
  Random rng(seed);
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  GradientCheck c;
  c.param("mu", shape, rng.uniform(n, -2, 2));
  c.param("lv", shape, rng.uniform(n, -2, 1));
  c.body("  %loss = aenet.kl_normal %mu, %lv : " + f64Type(shape) +
         " -> tensor<f64>");
  ASSERT_TRUE(c.compile());
  std::vector<double> mu = c.values("mu"), lv = c.values("lv");
  double reference = klNormal(mu, lv, shape[0]);
  EXPECT_NEAR(c.evaluate(), reference, 1e-12 * std::abs(reference));
  EXPECT_TRUE(c.checkGradients());
  // dKL/dmu = mu / B, dKL/dlv = (exp(lv) - 1) / (2 B).
  std::vector<double> dmu = c.analyticGradient("mu");
  std::vector<double> dlv = c.analyticGradient("lv");
  for (size_t i = 0; i < mu.size(); ++i) {
    EXPECT_NEAR(dmu[i], mu[i] / shape[0], 1e-12) << "at " << i;
    EXPECT_NEAR(dlv[i], (std::exp(lv[i]) - 1) / (2 * shape[0]), 1e-12)
        << "at " << i;
  }
}

/// The loss of sample_normal (|op| "sample") or gaussian_noise of deviation
/// exp(|lv| / 2) (|op| "noise") on mu, both with salt |salt|, under mse
/// against t, with seed |seed|.
double drawnLoss(const std::string &op, double lv, int64_t salt,
                 int64_t seed) {
  Random rng(5);
  GradientCheck c;
  c.param("mu", {4, 6}, rng.uniform(24, -1, 1));
  c.input("t", {4, 6}, rng.uniform(24, -1, 1));
  c.input("lv", {4, 6}, std::vector<double>(24, lv));
  if (op == "noise")
    c.hyperparameter("stddev", std::exp(lv / 2));
  c.seed(seed);
  std::string attrs = "salt = " + std::to_string(salt) + " : i64";
  c.body((op == "sample"
              ? "  %z = aenet.sample_normal %mu, %lv, %seed {" + attrs +
                    "} : tensor<4x6xf64>, tensor<i64>\n"
              : "  %z = aenet.gaussian_noise %mu, %seed, %stddev {" + attrs +
                    "} : tensor<4x6xf64>, tensor<i64>, tensor<f64>\n") +
         "  %loss = aenet.loss mse sum %z, %t : tensor<4x6xf64>, "
         "tensor<4x6xf64> -> tensor<f64>");
  if (!c.compile()) {
    ADD_FAILURE() << "does not compile:\n" << c.moduleText();
    return NAN;
  }
  return c.evaluate();
}

} // namespace

// Tests kl_normal on a [3, 2] latent: value, finite differences, closed form.
TEST(KlNormal, MatchesClosedForm) { checkKlNormal({3, 2}, 41); }

// Tests kl_normal on a [2, 3, 2] latent: summed over every non-batch element.
TEST(KlNormal, SumsEveryLatentAxis) { checkKlNormal({2, 3, 2}, 42); }

// Tests sample_normal's gradients w.r.t. mu and logvar against finite
// differences of evaluate with the same seed: tanh after the sample makes
// both depend on eps, so they agree only if the backward pass redraws the
// forward pass's eps. The noise must change the loss.
TEST(SampleNormal, GradientsRedrawTheForwardEps) {
  Random rng(43);
  GradientCheck c;
  c.param("mu", {4, 3}, rng.uniform(12, -1, 1));
  c.param("lv", {4, 3}, rng.uniform(12, -2, 0.5));
  c.input("t", {4, 3}, rng.uniform(12, -1, 1));
  c.seed(77);
  c.body(R"(
  %z = aenet.sample_normal %mu, %lv, %seed {salt = 3 : i64} : tensor<4x3xf64>, tensor<i64>
  %y = aenet.activation tanh %z : tensor<4x3xf64>
  %loss = aenet.loss mse sum %y, %t : tensor<4x3xf64>, tensor<4x3xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());
  std::vector<double> y = c.values("mu"), t = c.values("t");
  double noiseless = 0;
  for (size_t i = 0; i < y.size(); ++i)
    noiseless += std::pow(std::tanh(y[i]) - t[i], 2) / 4;
  EXPECT_GT(std::abs(c.evaluate() - noiseless), 1e-3);
  EXPECT_TRUE(c.checkGradients());
}

// Tests that sample_normal with logvar 2 ln(s) draws exactly what
// gaussian_noise of deviation s draws with the same seed and salt (one
// counter-based generator for both), and that another salt or seed draws
// other numbers.
TEST(SampleNormal, DrawsGaussianNoiseNormals) {
  const double lv = 2 * std::log(0.3);
  double sample = drawnLoss("sample", lv, 6, 1234);
  EXPECT_NEAR(sample, drawnLoss("noise", lv, 6, 1234), 1e-9 * sample);
  EXPECT_GT(std::abs(sample - drawnLoss("sample", lv, 7, 1234)), 1e-3);
  EXPECT_GT(std::abs(sample - drawnLoss("sample", lv, 6, 1235)), 1e-3);
}

// Tests a small VAE (tanh encoder, mu and logvar heads, sample, sigmoid
// decoder, bce sum + kl) on both backends: one train_step from the same
// values and seed gives the same loss and gradients.
TEST(VaeAgreement, DenseVae) {
  Random rng(44);
  BackendCheck c;
  c.input("x", {4, 6}, rng.uniform(24, 0.05, 0.95));
  c.param("k1", {6, 5}, rng.uniform(30, -0.8, 0.8));
  c.param("km", {5, 2}, rng.uniform(10, -0.8, 0.8));
  c.param("kv", {5, 2}, rng.uniform(10, -0.8, 0.8));
  c.param("kd", {2, 6}, rng.uniform(12, -0.8, 0.8));
  c.seed(2026);
  c.body(R"(
  %h = aenet.dense %x, %k1 : (tensor<4x6xf32>, tensor<6x5xf32>) -> tensor<4x5xf32>
  %a = aenet.activation tanh %h : tensor<4x5xf32>
  %mu = aenet.dense %a, %km : (tensor<4x5xf32>, tensor<5x2xf32>) -> tensor<4x2xf32>
  %lv = aenet.dense %a, %kv : (tensor<4x5xf32>, tensor<5x2xf32>) -> tensor<4x2xf32>
  %z = aenet.sample_normal %mu, %lv, %seed {salt = 4 : i64} : tensor<4x2xf32>, tensor<i64>
  %r = aenet.dense %z, %kd : (tensor<4x2xf32>, tensor<2x6xf32>) -> tensor<4x6xf32>
  %p = aenet.activation sigmoid %r : tensor<4x6xf32>
  %recon = aenet.loss bce sum %p, %x : tensor<4x6xf32>, tensor<4x6xf32> -> tensor<f32>
  %kl = aenet.kl_normal %mu, %lv : tensor<4x2xf32> -> tensor<f32>
  %loss = aenet.add %recon, %kl : tensor<f32>)");
  ASSERT_TRUE(c.compile());
  EXPECT_TRUE(c.checkAgreement());
  EXPECT_TRUE(c.checkGradients());
}
