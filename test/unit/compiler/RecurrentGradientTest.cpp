//===- RecurrentGradientTest.cpp - Gradients of the recurrent ops ---------===//
//
// Finite-difference checks, through the JIT-compiled train_step (the loops
// backend, in f64), of aenet.rnn, aenet.lstm and aenet.gru: every operand is
// a parameter (input, initial states, kernel, recurrent kernel, bias), and
// the loss reads every result (the sequence, the final h and an LSTM's final
// c), so backpropagation through time is checked for each gradient the ops
// have. The forward values are compared with an independent reference of
// Keras's equations written here (keras/layers/recurrent.py: LSTM gates
// i, f, c, o; GRU z, r, h with and without reset_after; h = z h_prev +
// (1 - z) hh), so that forward and gradient cannot be consistently wrong.
// Shapes are small and all different (N = 2, T = 4, C = 3, H = 5) so that a
// swapped axis shows.
//
//===----------------------------------------------------------------------===//

#include "GradientCheck.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <utility>

using namespace aenet::test;

namespace {

constexpr int64_t kN = 2, kT = 4, kC = 3, kH = 5;

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double hardSigmoid(double x) { return std::clamp(0.2 * x + 0.5, 0.0, 1.0); }

/// A scalar activation by its dialect keyword.
std::function<double(double)> activation(const std::string &name) {
  if (name == "tanh")
    return [](double x) { return std::tanh(x); };
  if (name == "sigmoid")
    return sigmoid;
  if (name == "hard_sigmoid")
    return hardSigmoid;
  if (name == "relu")
    return [](double x) { return std::max(x, 0.0); };
  return [](double x) { return x; };
}

/// The layer under test: cell kind, activations and options.
struct Layer {
  explicit Layer(std::string cell) : cell(std::move(cell)) {}

  std::string cell; ///< rnn, lstm or gru
  std::string activation = "tanh";
  std::string recurrentActivation = "sigmoid";
  bool resetAfter = true;
  bool bias = true;
  /// Per-sample lengths that mask padded steps (none: all kN steps).
  std::vector<double> lengths;

  int64_t gates() const {
    return cell == "lstm" ? 4 : cell == "gru" ? 3 : 1;
  }
  bool hasCell() const { return cell == "lstm"; }
  Shape biasShape() const {
    if (cell == "gru" && resetAfter)
      return {2, 3 * kH};
    return {gates() * kH};
  }
};

/// Row-major values of a parameter set.
struct Values {
  std::vector<double> x, h0, c0, kernel, recurrent, bias;
};

/// The forward results by Keras's equations.
struct Results {
  std::vector<double> sequence, finalH, finalC;
};

/// x [N, T, C] at (n, t, c), a [rows, cols] matrix at (r, c).
double at3(const std::vector<double> &v, int64_t n, int64_t t, int64_t c) {
  return v[(n * kT + t) * kC + c];
}

Results reference(const Layer &layer, const Values &v) {
  auto a = activation(layer.activation);
  auto ra = activation(layer.recurrentActivation);
  int64_t g = layer.gates(), gh = g * kH;
  Results r;
  r.sequence.assign(kN * kT * kH, 0);
  std::vector<double> h = v.h0, c = v.c0;
  for (int64_t t = 0; t < kT; ++t) {
    std::vector<double> hNew(kN * kH), cNew(kN * kH);
    for (int64_t n = 0; n < kN; ++n) {
      // xw[j] = x_t W[:, j] + input bias; hu[j] = h U[:, j] (+ recurrent
      // bias of a reset_after GRU).
      std::vector<double> xw(gh, 0), hu(gh, 0);
      for (int64_t j = 0; j < gh; ++j) {
        for (int64_t i = 0; i < kC; ++i)
          xw[j] += at3(v.x, n, t, i) * v.kernel[i * gh + j];
        for (int64_t i = 0; i < kH; ++i)
          hu[j] += h[n * kH + i] * v.recurrent[i * gh + j];
        if (layer.bias) {
          xw[j] += v.bias[j];
          if (layer.cell == "gru" && layer.resetAfter)
            hu[j] += v.bias[gh + j];
        }
      }
      // A padded step (Keras's masking) keeps the states.
      bool padded = !layer.lengths.empty() && t >= layer.lengths[n];
      for (int64_t u = 0; u < kH; ++u) {
        double hPrev = h[n * kH + u];
        double out = 0;
        if (padded) {
          hNew[n * kH + u] = hPrev;
          cNew[n * kH + u] = c[n * kH + u];
          r.sequence[(n * kT + t) * kH + u] = hPrev;
          continue;
        }
        if (layer.cell == "rnn") {
          out = a(xw[u] + hu[u]);
        } else if (layer.cell == "lstm") {
          double i = ra(xw[u] + hu[u]);
          double f = ra(xw[kH + u] + hu[kH + u]);
          double cand = a(xw[2 * kH + u] + hu[2 * kH + u]);
          double o = ra(xw[3 * kH + u] + hu[3 * kH + u]);
          cNew[n * kH + u] = f * c[n * kH + u] + i * cand;
          out = o * a(cNew[n * kH + u]);
        } else {
          double z = ra(xw[u] + hu[u]);
          double rg = ra(xw[kH + u] + hu[kH + u]);
          double hh;
          if (layer.resetAfter) {
            hh = a(xw[2 * kH + u] + rg * hu[2 * kH + u]);
          } else {
            // (r * h_prev) U_h, over the whole previous state.
            double q = 0;
            for (int64_t i = 0; i < kH; ++i) {
              double ri = ra(xw[kH + i] + hu[kH + i]);
              q += ri * h[n * kH + i] * v.recurrent[i * gh + 2 * kH + u];
            }
            hh = a(xw[2 * kH + u] + q);
          }
          out = z * hPrev + (1 - z) * hh;
        }
        hNew[n * kH + u] = out;
        r.sequence[(n * kT + t) * kH + u] = out;
      }
    }
    h = hNew;
    if (layer.hasCell())
      c = cNew;
  }
  r.finalH = h;
  r.finalC = c;
  return r;
}

double mseSum(const std::vector<double> &y, const std::vector<double> &t) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i)
    s += (y[i] - t[i]) * (y[i] - t[i]);
  return s / kN;
}

/// Checks |layer|'s forward values and every gradient, with random values
/// from |seed| scaled so that the gates are neither saturated nor linear.
void checkLayer(const Layer &layer, uint64_t seed) {
  Random rng(seed);
  int64_t gh = layer.gates() * kH;
  Shape xs = {kN, kT, kC}, state = {kN, kH}, ks = {kC, gh}, rs = {kH, gh},
        seqs = {kN, kT, kH};
  // Kinks of relu at 0 and of hard_sigmoid at +-2.5 would spoil finite
  // differences; the values keep the pre-activations away from them.
  Values v{rng.uniform(kN * kT * kC, -1, 1),
           rng.uniform(kN * kH, -0.8, 0.8),
           layer.hasCell() ? rng.uniform(kN * kH, -0.8, 0.8)
                           : std::vector<double>(kN * kH, 0.0),
           rng.uniform(kC * gh, -0.6, 0.6),
           rng.uniform(kH * gh, -0.6, 0.6),
           {}};
  int64_t biasCount = 1;
  for (int64_t d : layer.biasShape())
    biasCount *= d;
  if (layer.bias)
    v.bias = rng.uniform(biasCount, -0.5, 0.5);
  Results expected = reference(layer, v);

  GradientCheck c;
  c.param("x", xs, v.x);
  c.param("h0", state, v.h0);
  if (layer.hasCell())
    c.param("c0", state, v.c0);
  c.param("k", ks, v.kernel);
  c.param("r", rs, v.recurrent);
  if (layer.bias)
    c.param("b", layer.biasShape(), v.bias);
  if (!layer.lengths.empty())
    c.input("len", {kN}, layer.lengths);
  c.input("ts", seqs, rng.uniform(kN * kT * kH, -1, 1));
  c.input("th", state, rng.uniform(kN * kH, -1, 1));
  if (layer.hasCell())
    c.input("tc", state, rng.uniform(kN * kH, -1, 1));

  std::string attrs = layer.activation;
  if (layer.cell != "rnn")
    attrs += ", " + layer.recurrentActivation;
  if (layer.cell == "gru" && layer.resetAfter)
    attrs += " reset_after";
  std::string operands = "%x, %h0";
  std::string types = f64Type(xs) + ", " + f64Type(state);
  if (layer.hasCell()) {
    operands += ", %c0";
    types += ", " + f64Type(state);
  }
  operands += ", %k, %r";
  types += ", " + f64Type(ks) + ", " + f64Type(rs);
  if (layer.bias) {
    operands += " bias %b";
    types += ", " + f64Type(layer.biasShape());
  }
  if (!layer.lengths.empty()) {
    operands += " lengths %len";
    types += ", " + f64Type({kN});
  }
  std::string results = f64Type(seqs) + ", " + f64Type(state);
  std::string names = "%seq, %h";
  if (layer.hasCell()) {
    results += ", " + f64Type(state);
    names += ", %c";
  }
  std::string body = "  " + names + " = aenet." + layer.cell + " " + attrs +
                     " " + operands + " : (" + types + ") -> (" + results +
                     ")\n";
  auto mse = [&](const std::string &out, const std::string &y,
                 const std::string &t, const Shape &shape) {
    return "  " + out + " = aenet.loss mse sum " + y + ", " + t + " : " +
           f64Type(shape) + ", " + f64Type(shape) + " -> tensor<f64>\n";
  };
  body += mse("%ls", "%seq", "%ts", seqs) + mse("%lh", "%h", "%th", state);
  if (layer.hasCell()) {
    body += mse("%lc", "%c", "%tc", state);
    body += "  %l2 = aenet.add %ls, %lh : tensor<f64>\n"
            "  %loss = aenet.add %l2, %lc : tensor<f64>\n";
  } else {
    body += "  %loss = aenet.add %ls, %lh : tensor<f64>\n";
  }
  c.body(body);
  ASSERT_TRUE(c.compile());
  double loss = mseSum(expected.sequence, c.values("ts")) +
                mseSum(expected.finalH, c.values("th"));
  if (layer.hasCell())
    loss += mseSum(expected.finalC, c.values("tc"));
  EXPECT_NEAR(c.evaluate(), loss, 1e-10 * std::max(1.0, loss));
  EXPECT_TRUE(c.checkGradients());
}

} // namespace

TEST(Rnn, Tanh) { checkLayer(Layer("rnn"), 1); }

TEST(Rnn, ReluWithoutBias) {
  Layer layer("rnn");
  layer.activation = "relu";
  layer.bias = false;
  checkLayer(layer, 2);
}

TEST(Lstm, Keras) { checkLayer(Layer("lstm"), 3); }

// Keras 2's hard_sigmoid gates (clip(0.2 x + 0.5, 0, 1)), which the oneDNN
// primitives cannot run.
TEST(Lstm, HardSigmoidGates) {
  Layer layer("lstm");
  layer.recurrentActivation = "hard_sigmoid";
  checkLayer(layer, 4);
}

TEST(Lstm, WithoutBias) {
  Layer layer("lstm");
  layer.bias = false;
  checkLayer(layer, 5);
}

TEST(Gru, ResetAfter) { checkLayer(Layer("gru"), 6); }

TEST(Gru, ResetBefore) {
  Layer layer("gru");
  layer.resetAfter = false;
  checkLayer(layer, 7);
}

TEST(Gru, ResetAfterHardSigmoidWithoutBias) {
  Layer layer("gru");
  layer.recurrentActivation = "hard_sigmoid";
  layer.bias = false;
  checkLayer(layer, 8);
}

// Tests masking (a batch of sequences padded to T = 4 whose real lengths are
// 4 and 2): the second sample's padded steps keep its states and repeat its
// last h, as Keras's masking does, so the loss and every gradient are those
// of the sequences run one by one at their own lengths (the reference runs
// each sample to its own length).
TEST(Rnn, MaskedPaddedSteps) {
  Layer layer("rnn");
  layer.lengths = {4, 2};
  checkLayer(layer, 9);
}

TEST(Lstm, MaskedPaddedSteps) {
  Layer layer("lstm");
  layer.lengths = {1, 3};
  checkLayer(layer, 10);
}

TEST(Gru, MaskedPaddedSteps) {
  Layer layer("gru");
  layer.lengths = {2, 4};
  checkLayer(layer, 11);
}

TEST(Gru, ResetBeforeMaskedPaddedSteps) {
  Layer layer("gru");
  layer.resetAfter = false;
  layer.lengths = {3, 1};
  checkLayer(layer, 12);
}
