//===- RecurrentAgreementTest.cpp - Recurrent ops on both backends --------===//
//
// The loops and oneDNN backends agree on rnn, lstm and gru: the loss and
// every gradient of one train_step (inputs, initial states, kernels, bias)
// to 1e-4, and both against the f64 reference (BackendCheck.h). The loss
// reads every result, so the oneDNN kernels' handling of the sequence's
// and the final states' gradients (the last step gets both) is covered.
// The cells oneDNN lacks (hard_sigmoid gates) run as loops on both and must
// agree too. Shapes as the gradient tests: N = 2, T = 4, C = 3, H = 5.
//
//===----------------------------------------------------------------------===//

#include "BackendCheck.h"

using namespace aenet::test;

namespace {

constexpr int64_t kN = 2, kT = 4, kC = 3, kH = 5;

int64_t count(const Shape &s) {
  int64_t n = 1;
  for (int64_t d : s)
    n *= d;
  return n;
}

/// |cell| with |attrs| (activations, reset_after), its gates and bias shape.
void checkCell(const std::string &cell, const std::string &attrs,
               int64_t gates, Shape biasShape, bool bias, uint64_t seed) {
  Random rng(seed);
  bool hasC = cell == "lstm";
  Shape xs = {kN, kT, kC}, state = {kN, kH}, ks = {kC, gates * kH},
        rs = {kH, gates * kH}, seqs = {kN, kT, kH};
  BackendCheck c;
  c.param("x", xs, rng.uniform(count(xs), -1, 1));
  c.param("h0", state, rng.uniform(count(state), -0.8, 0.8));
  if (hasC)
    c.param("c0", state, rng.uniform(count(state), -0.8, 0.8));
  c.param("k", ks, rng.uniform(count(ks), -0.6, 0.6));
  c.param("r", rs, rng.uniform(count(rs), -0.6, 0.6));
  if (bias)
    c.param("b", biasShape, rng.uniform(count(biasShape), -0.5, 0.5));
  c.input("ts", seqs, rng.uniform(count(seqs), -1, 1));
  c.input("th", state, rng.uniform(count(state), -1, 1));
  std::string operands = hasC ? "%x, %h0, %c0, %k, %r" : "%x, %h0, %k, %r";
  std::string types = f32Type(xs) + ", " + f32Type(state) + ", " +
                      (hasC ? f32Type(state) + ", " : "") + f32Type(ks) +
                      ", " + f32Type(rs);
  if (bias) {
    operands += " bias %b";
    types += ", " + f32Type(biasShape);
  }
  std::string results = f32Type(seqs) + ", " + f32Type(state) +
                        (hasC ? ", " + f32Type(state) : "");
  std::string names = hasC ? "%seq, %h, %c" : "%seq, %h";
  auto mse = [&](const std::string &out, const std::string &y,
                 const std::string &t, const Shape &shape) {
    return "  " + out + " = aenet.loss mse sum " + y + ", " + t + " : " +
           f32Type(shape) + ", " + f32Type(shape) + " -> tensor<f32>\n";
  };
  std::string body = "  " + names + " = aenet." + cell + " " + attrs + " " +
                     operands + " : (" + types + ") -> (" + results + ")\n" +
                     mse("%ls", "%seq", "%ts", seqs) +
                     mse("%lh", "%h", "%th", state);
  if (hasC)
    body += "  %lc = aenet.loss mse sum %c, %th : " + f32Type(state) + ", " +
            f32Type(state) + " -> tensor<f32>\n"
            "  %l2 = aenet.add %ls, %lh : tensor<f32>\n"
            "  %loss = aenet.add %l2, %lc : tensor<f32>\n";
  else
    body += "  %loss = aenet.add %ls, %lh : tensor<f32>\n";
  c.body(body);
  ASSERT_TRUE(c.compile());
  EXPECT_TRUE(c.checkAgreement());
  EXPECT_TRUE(c.checkGradients(/*finiteDifferences=*/false));
}

} // namespace

// Tests oneDNN's vanilla RNN with each activation it has.
TEST(RecurrentAgreement, Rnn) {
  for (const char *a : {"tanh", "relu", "sigmoid"}) {
    SCOPED_TRACE(a);
    checkCell("rnn", a, 1, {kH}, true, 31);
  }
}

// Tests a layer without bias: oneDNN gets zeros.
TEST(RecurrentAgreement, RnnWithoutBias) {
  checkCell("rnn", "tanh", 1, {kH}, false, 32);
}

TEST(RecurrentAgreement, Lstm) {
  checkCell("lstm", "tanh, sigmoid", 4, {4 * kH}, true, 33);
}

// Tests hard_sigmoid gates, which oneDNN cannot run: loops on both.
TEST(RecurrentAgreement, LstmHardSigmoid) {
  checkCell("lstm", "tanh, hard_sigmoid", 4, {4 * kH}, true, 34);
}

// Tests oneDNN's LBR-GRU as Keras's reset_after GRU, its [2, 3H] bias
// passed flat.
TEST(RecurrentAgreement, GruResetAfter) {
  checkCell("gru", "tanh, sigmoid reset_after", 3, {2, 3 * kH}, true, 35);
}

TEST(RecurrentAgreement, GruResetBefore) {
  checkCell("gru", "tanh, sigmoid", 3, {3 * kH}, true, 36);
}
