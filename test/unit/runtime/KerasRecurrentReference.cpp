//===- KerasRecurrentReference.cpp - Keras's recurrent layers in double ---===//
//
// One sample and one step at a time, as Keras's cells write them (Keras 2
// recurrent.py / Keras 3 lstm.py, gru.py, simple_rnn.py), with the default
// activations: tanh, and sigmoid for the gates.
//
//===----------------------------------------------------------------------===//

#include "KerasRecurrentReference.h"

#include <cmath>

using aenet::rt::RecurrentCell;

namespace aenet::test {
namespace {

double sigmoid(double v) { return 1 / (1 + std::exp(-v)); }

/// out[j] = sum_k in[k] * m[k][j] over the columns [first, first + count)
/// of the row-major matrix |m| of |cols| columns.
std::vector<double> product(const double *in, int64_t rows,
                            const std::vector<double> &m, int64_t cols,
                            int64_t first, int64_t count) {
  std::vector<double> out(count, 0.0);
  for (int64_t k = 0; k < rows; ++k)
    for (int64_t j = 0; j < count; ++j)
      out[j] += in[k] * m[k * cols + first + j];
  return out;
}

double simpleActivation(RecurrentCell cell, double v) {
  switch (cell) {
  case RecurrentCell::SimpleRelu:
    return v > 0 ? v : 0;
  case RecurrentCell::SimpleSigmoid:
    return sigmoid(v);
  default:
    return std::tanh(v);
  }
}

} // namespace

RecurrentResult runKerasLayer(const RecurrentLayer &l) {
  const int64_t H = l.h, C = l.c, G = rt::recurrentGates(l.cell), GH = G * H;
  RecurrentResult r;
  r.seq.assign(l.n * l.t * H, 0.0);
  r.hT = l.h0;
  r.cT = l.c0;
  for (int64_t b = 0; b < l.n; ++b) {
    double *h = &r.hT[b * H], *c = &r.cT[b * H];
    for (int64_t t = 0; t < l.t; ++t) {
      const double *x = &l.x[(b * l.t + t) * C];
      std::vector<double> xw = product(x, C, l.kernel, GH, 0, GH);
      std::vector<double> next(H);
      switch (l.cell) {
      case RecurrentCell::Lstm: {
        // z = xW + hU + b; gates i, f, c~, o.
        std::vector<double> hu = product(h, H, l.recurrent, GH, 0, GH);
        for (int64_t j = 0; j < H; ++j) {
          auto z = [&](int64_t g) {
            return xw[g * H + j] + hu[g * H + j] + l.bias[g * H + j];
          };
          double i = sigmoid(z(0)), f = sigmoid(z(1));
          double candidate = std::tanh(z(2)), o = sigmoid(z(3));
          c[j] = f * c[j] + i * candidate;
          next[j] = o * std::tanh(c[j]);
        }
        break;
      }
      case RecurrentCell::Gru: {
        // reset_after=False: the reset gate scales h before U_h; one bias.
        std::vector<double> hu = product(h, H, l.recurrent, GH, 0, 2 * H);
        std::vector<double> z(H), rh(H);
        for (int64_t j = 0; j < H; ++j) {
          z[j] = sigmoid(xw[j] + hu[j] + l.bias[j]);
          rh[j] = sigmoid(xw[H + j] + hu[H + j] + l.bias[H + j]) * h[j];
        }
        std::vector<double> rhu = product(rh.data(), H, l.recurrent, GH,
                                          2 * H, H);
        for (int64_t j = 0; j < H; ++j) {
          double hh = std::tanh(xw[2 * H + j] + l.bias[2 * H + j] + rhu[j]);
          next[j] = z[j] * h[j] + (1 - z[j]) * hh;
        }
        break;
      }
      case RecurrentCell::LbrGru: {
        // reset_after=True: the reset gate scales hU_h + b_rec_h; input
        // and recurrent biases apart.
        const double *bIn = &l.bias[0], *bRec = &l.bias[GH];
        std::vector<double> hu = product(h, H, l.recurrent, GH, 0, GH);
        for (int64_t j = 0; j < H; ++j) {
          double z = sigmoid(xw[j] + bIn[j] + hu[j] + bRec[j]);
          double rr =
              sigmoid(xw[H + j] + bIn[H + j] + hu[H + j] + bRec[H + j]);
          double hh = std::tanh(xw[2 * H + j] + bIn[2 * H + j] +
                                rr * (hu[2 * H + j] + bRec[2 * H + j]));
          next[j] = z * h[j] + (1 - z) * hh;
        }
        break;
      }
      default: {
        std::vector<double> hu = product(h, H, l.recurrent, H, 0, H);
        for (int64_t j = 0; j < H; ++j)
          next[j] = simpleActivation(l.cell, xw[j] + hu[j] + l.bias[j]);
        break;
      }
      }
      for (int64_t j = 0; j < H; ++j)
        h[j] = r.seq[(b * l.t + t) * H + j] = next[j];
    }
  }
  return r;
}

} // namespace aenet::test
