//===- OptimizerTest.cpp - Optimizer updates against a C++ reference -----===//
//
// Runs three train_steps (step counts 1, 2, 3) of a dense layer under
// `mse sum` with each optimizer and compares the parameters and every
// optimizer state after each step with a plain C++ implementation of Keras
// 2's update formulas (the ones AenetOps.td states). The gradient of
// L = (1/B) sum (x k + b - t)^2 is computed here in closed form,
// dL/dk = x^T dy and dL/db = sum_rows dy with dy = 2 (x k + b - t) / B, so
// the reference is independent of the compiler; it changes from step to
// step, so state carried between steps is exercised.
//
//===----------------------------------------------------------------------===//

#include "GradientCheck.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <sstream>

using namespace aenet::test;

namespace {

using Tensor = std::vector<double>;

constexpr int64_t kBatch = 4, kIn = 3, kOut = 2;

/// The data, fixed for every test.
struct Data {
  Tensor x, t;
  Tensor k0, b0; ///< initial parameters
  Data() {
    Random rng(41);
    x = rng.uniform(kBatch * kIn, -1, 1);
    t = rng.uniform(kBatch * kOut, -1, 1);
    k0 = rng.uniform(kIn * kOut, -1, 1);
    b0 = rng.uniform(kOut, -1, 1);
  }
};

/// One parameter of the reference with its states by name ("m", "v", ...).
struct RefParam {
  Tensor p;
  std::map<std::string, Tensor> s;
};

/// The loss and the gradients (dk, db) at (k, b), in closed form.
double lossAndGradient(const Data &d, const Tensor &k, const Tensor &b,
                       Tensor &dk, Tensor &db) {
  dk.assign(kIn * kOut, 0.0);
  db.assign(kOut, 0.0);
  double loss = 0;
  for (int64_t r = 0; r < kBatch; ++r)
    for (int64_t u = 0; u < kOut; ++u) {
      double y = b[u];
      for (int64_t i = 0; i < kIn; ++i)
        y += d.x[r * kIn + i] * k[i * kOut + u];
      double e = y - d.t[r * kOut + u];
      loss += e * e / kBatch;
      double dy = 2 * e / kBatch;
      db[u] += dy;
      for (int64_t i = 0; i < kIn; ++i)
        dk[i * kOut + u] += d.x[r * kIn + i] * dy;
    }
  return loss;
}

/// Updates one parameter |q| with gradient |g| at step count |step|.
using Update = std::function<void(RefParam &q, const Tensor &g, double step)>;

/// Gradient clipping before the update, as Keras's `clipvalue` and
/// `clipnorm` (the norm is per tensor).
struct Clip {
  double value = 0, norm = 0;
  Tensor operator()(Tensor g) const {
    if (value > 0)
      for (double &v : g)
        v = std::min(value, std::max(-value, v));
    if (norm > 0) {
      double n = 0;
      for (double v : g)
        n += v * v;
      n = std::sqrt(n);
      if (n > norm)
        for (double &v : g)
          v *= norm / n;
    }
    return g;
  }
};

::testing::AssertionResult near(const std::string &what, const Tensor &actual,
                                const Tensor &expected) {
  // Both sides evaluate the same formulas in f64 and differ only in the
  // order of operations and FMA contraction (a few ulp per operation),
  // compounded over three steps: 1e-10 relative to the element or to the
  // tensor's largest element leaves a wide margin, while a wrong formula or
  // hyperparameter is off by far more.
  if (actual.size() != expected.size())
    return ::testing::AssertionFailure() << what << ": wrong size";
  double scale = 0;
  for (double e : expected)
    scale = std::max(scale, std::abs(e));
  for (size_t i = 0; i < actual.size(); ++i)
    if (!(std::abs(actual[i] - expected[i]) <=
          1e-10 * std::max(std::abs(expected[i]), scale)))
      return ::testing::AssertionFailure()
             << what << "[" << i << "]: " << actual[i] << ", expected "
             << expected[i];
  return ::testing::AssertionSuccess();
}

/// Compiles the dense + mse model with |optimizer| (an #aenet.optimizer),
/// expects the states |stateInits| (name -> initial value) per parameter,
/// and compares three train_steps with |update| after |clip|.
void checkOptimizer(const std::string &optimizer,
                    const std::map<std::string, double> &stateInits,
                    const Update &update, Clip clip = {}) {
  Data d;
  GradientCheck c;
  c.input("x", {kBatch, kIn}, d.x);
  c.param("k", {kIn, kOut}, d.k0);
  c.param("b", {kOut}, d.b0);
  c.input("t", {kBatch, kOut}, d.t);
  c.optimizer(optimizer);
  c.body(R"(
  %y = aenet.dense %x, %k, %b : (tensor<4x3xf64>, tensor<3x2xf64>, tensor<2xf64>) -> tensor<4x2xf64>
  %loss = aenet.loss mse sum %y, %t : tensor<4x2xf64>, tensor<4x2xf64> -> tensor<f64>)");
  ASSERT_TRUE(c.compile());

  std::vector<std::string> expectedNames;
  std::map<std::string, RefParam> ref = {{"k", {d.k0, {}}},
                                         {"b", {d.b0, {}}}};
  for (auto &[param, q] : ref)
    for (auto &[name, init] : stateInits) {
      q.s[name] = Tensor(q.p.size(), init);
      expectedNames.push_back(param + "/" + name);
    }
  std::vector<std::string> names = c.stateNames();
  std::sort(names.begin(), names.end());
  std::sort(expectedNames.begin(), expectedNames.end());
  ASSERT_EQ(names, expectedNames);

  c.resetTraining();
  for (int step = 1; step <= 3; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    Tensor dk, db;
    double loss = lossAndGradient(d, ref["k"].p, ref["b"].p, dk, db);
    EXPECT_NEAR(c.trainStep(step), loss, 1e-12 * loss);
    update(ref["k"], clip(dk), step);
    update(ref["b"], clip(db), step);
    for (auto &[param, q] : ref) {
      EXPECT_TRUE(near(param, c.trained(param), q.p));
      for (auto &[name, s] : q.s)
        EXPECT_TRUE(near(param + "/" + name, c.state(param + "/" + name), s));
    }
  }
}

// Keras 2's updates. g is the (clipped) gradient, t the 1-based step.

Update sgd(double lr) {
  return [=](RefParam &q, const Tensor &g, double) {
    for (size_t i = 0; i < g.size(); ++i)
      q.p[i] -= lr * g[i];
  };
}

Update momentum(double lr, double m, bool nesterov) {
  return [=](RefParam &q, const Tensor &g, double) {
    Tensor &v = q.s["velocity"];
    for (size_t i = 0; i < g.size(); ++i) {
      v[i] = m * v[i] - lr * g[i];
      q.p[i] += nesterov ? m * v[i] - lr * g[i] : v[i];
    }
  };
}

Update adam(double lr, double beta1, double beta2, double eps) {
  return [=](RefParam &q, const Tensor &g, double t) {
    double lrT = lr * std::sqrt(1 - std::pow(beta2, t)) /
                 (1 - std::pow(beta1, t));
    Tensor &m = q.s["m"], &v = q.s["v"];
    for (size_t i = 0; i < g.size(); ++i) {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      q.p[i] -= lrT * m[i] / (std::sqrt(v[i]) + eps);
    }
  };
}

Update rmsprop(double lr, double rho, double momentum, double eps) {
  return [=](RefParam &q, const Tensor &g, double) {
    Tensor &ms = q.s["mean_square"];
    for (size_t i = 0; i < g.size(); ++i) {
      ms[i] = rho * ms[i] + (1 - rho) * g[i] * g[i];
      double step = lr * g[i] / (std::sqrt(ms[i]) + eps);
      if (momentum == 0) {
        q.p[i] -= step;
      } else {
        double &buf = q.s["momentum"][i];
        buf = momentum * buf + step;
        q.p[i] -= buf;
      }
    }
  };
}

Update adagrad(double lr, double eps) {
  return [=](RefParam &q, const Tensor &g, double) {
    Tensor &acc = q.s["accumulator"];
    for (size_t i = 0; i < g.size(); ++i) {
      acc[i] += g[i] * g[i];
      q.p[i] -= lr * g[i] / (std::sqrt(acc[i]) + eps);
    }
  };
}

Update adadelta(double lr, double rho, double eps) {
  return [=](RefParam &q, const Tensor &g, double) {
    Tensor &ag = q.s["accum_grad"], &ad = q.s["accum_delta"];
    for (size_t i = 0; i < g.size(); ++i) {
      ag[i] = rho * ag[i] + (1 - rho) * g[i] * g[i];
      double delta = std::sqrt(ad[i] + eps) / std::sqrt(ag[i] + eps) * g[i];
      ad[i] = rho * ad[i] + (1 - rho) * delta * delta;
      q.p[i] -= lr * delta;
    }
  };
}

/// |v| as an MLIR f64 attribute that parses back to the same double.
std::string f64Attr(double v) {
  std::ostringstream os;
  os.precision(17);
  os << std::scientific << v;
  return os.str();
}

/// Plain SGD at lr 0.1, without its closing '>' so that clipping can follow.
const std::string kSgd =
    "#aenet.optimizer<sgd, lr = 0.1, momentum = 0.0, nesterov = false";

} // namespace

TEST(Optimizer, Sgd) {
  checkOptimizer(kSgd + ">", {}, sgd(0.1));
}

TEST(Optimizer, SgdMomentum) {
  checkOptimizer("#aenet.optimizer<sgd, lr = 0.1, momentum = 0.9, "
                 "nesterov = false>",
                 {{"velocity", 0.0}}, momentum(0.1, 0.9, false));
}

TEST(Optimizer, SgdNesterov) {
  checkOptimizer("#aenet.optimizer<sgd, lr = 0.1, momentum = 0.9, "
                 "nesterov = true>",
                 {{"velocity", 0.0}}, momentum(0.1, 0.9, true));
}

// Tests Adam with hyperparameters other than the defaults, so none can be
// hard-coded; the bias correction depends on the step slot.
TEST(Optimizer, Adam) {
  checkOptimizer("#aenet.optimizer<adam, lr = 0.05, beta1 = 0.8, beta2 = 0.95, "
                 "epsilon = 1.0e-4>",
                 {{"m", 0.0}, {"v", 0.0}}, adam(0.05, 0.8, 0.95, 1e-4));
}

TEST(Optimizer, Rmsprop) {
  checkOptimizer("#aenet.optimizer<rmsprop, lr = 0.01, rho = 0.8, "
                 "momentum = 0.0, epsilon = 1.0e-4>",
                 {{"mean_square", 0.0}}, rmsprop(0.01, 0.8, 0, 1e-4));
}

TEST(Optimizer, RmspropMomentum) {
  checkOptimizer("#aenet.optimizer<rmsprop, lr = 0.01, rho = 0.8, "
                 "momentum = 0.5, epsilon = 1.0e-4>",
                 {{"mean_square", 0.0}, {"momentum", 0.0}},
                 rmsprop(0.01, 0.8, 0.5, 1e-4));
}

// Tests Adagrad; its accumulator starts at the attribute's
// initial_accumulator (not Keras's 0.1, so that it cannot be hard-coded).
TEST(Optimizer, Adagrad) {
  checkOptimizer("#aenet.optimizer<adagrad, lr = 0.1, initial_accumulator = "
                 "0.25, epsilon = 1.0e-4>",
                 {{"accumulator", 0.25}}, adagrad(0.1, 1e-4));
}

// Tests Adadelta at a rate other than Keras's 1.0, so that the rate counts.
TEST(Optimizer, Adadelta) {
  checkOptimizer("#aenet.optimizer<adadelta, lr = 0.5, rho = 0.9, "
                 "epsilon = 1.0e-4>",
                 {{"accum_grad", 0.0}, {"accum_delta", 0.0}},
                 adadelta(0.5, 0.9, 1e-4));
}

// Tests clip_value: the limit is half the largest first-step gradient
// element, so some elements are clipped and others (checked) are not.
TEST(Optimizer, ClipByValue) {
  Data d;
  Tensor dk, db;
  lossAndGradient(d, d.k0, d.b0, dk, db);
  Tensor all = dk;
  all.insert(all.end(), db.begin(), db.end());
  double largest = 0, smallest = INFINITY;
  for (double v : all) {
    largest = std::max(largest, std::abs(v));
    smallest = std::min(smallest, std::abs(v));
  }
  Clip clip;
  clip.value = largest / 2;
  ASSERT_LT(smallest, clip.value);
  checkOptimizer(kSgd + ", clip_value = " +
                     f64Attr(clip.value) + ">",
                 {}, sgd(0.1), clip);
}

// Tests clip_norm: the limit lies between the first-step gradient norms of
// the kernel and the bias, so one tensor is scaled and the other is not;
// the norm is per tensor.
TEST(Optimizer, ClipByNorm) {
  Data d;
  Tensor dk, db;
  lossAndGradient(d, d.k0, d.b0, dk, db);
  auto norm = [](const Tensor &g) {
    double n = 0;
    for (double v : g)
      n += v * v;
    return std::sqrt(n);
  };
  double nk = norm(dk), nb = norm(db);
  ASSERT_GT(std::max(nk, nb), 1.5 * std::min(nk, nb));
  Clip clip;
  clip.norm = std::sqrt(nk * nb);
  checkOptimizer(kSgd + ", clip_norm = " +
                     f64Attr(clip.norm) + ">",
                 {}, sgd(0.1), clip);
}

// Tests clip_value and clip_norm together: like Keras 2 (tf.keras's
// OptimizerV2._transform_gradients), by value first, then by norm. The
// limits are chosen so that both are active and the other order would give
// another first update (checked).
TEST(Optimizer, ClipByValueThenNorm) {
  Data d;
  Tensor dk, db;
  lossAndGradient(d, d.k0, d.b0, dk, db);
  double largest = 0;
  for (const Tensor *g : {&dk, &db})
    for (double v : *g)
      largest = std::max(largest, std::abs(v));
  Clip byValue;
  byValue.value = largest / 2;
  Clip clip = byValue;
  clip.norm = INFINITY;
  for (const Tensor *g : {&dk, &db}) {
    Tensor clipped = byValue(*g);
    double n = 0;
    for (double v : clipped)
      n += v * v;
    clip.norm = std::min(clip.norm, 0.5 * std::sqrt(n));
  }
  Clip byNorm;
  byNorm.norm = clip.norm;
  EXPECT_NE(clip(dk), byValue(byNorm(dk)));
  checkOptimizer(kSgd + ", clip_value = " +
                     f64Attr(clip.value) +
                     ", clip_norm = " + f64Attr(clip.norm) + ">",
                 {}, sgd(0.1), clip);
}
