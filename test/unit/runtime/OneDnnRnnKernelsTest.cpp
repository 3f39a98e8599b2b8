//===- OneDnnRnnKernelsTest.cpp - The recurrent kernels against Keras -----===//
//
// recurrent_forward and recurrent_backward called as compiled code calls
// them, for every cell, at small odd sizes (N = 3, T = 4, C = 5, H = 6) with
// non-zero initial states: the forward against Keras's equations in double
// (KerasRecurrentReference.cpp), and every gradient against central finite
// differences of that reference for the loss L = sum(dseq * seq) +
// sum(dhT * hT) + sum(dcT * cT), whose gradients with respect to the
// layer's outputs are the random dseq, dhT and dcT the backward is given.
// Tolerances are 1e-5 (relative above 1): the kernels run in f32. Also: the
// backward overwrites its gradients (a second call gives the same bits),
// two sites of one shape keep their own workspaces, inference computes what
// training does, and a backward at a site without a training forward of
// its shapes aborts.
//
//===----------------------------------------------------------------------===//

#include "KerasRecurrentReference.h"

#include "aenet/Runtime/OneDnnKernels.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace aenet::rt;
using aenet::test::RecurrentLayer;
using aenet::test::RecurrentResult;
using aenet::test::runKerasLayer;

namespace {

/// A dense f32 buffer of |Rank| with its descriptor; NaN until written, so
/// that a gradient added to instead of written shows.
template <int Rank> struct Tensor {
  std::vector<float> data;
  MemRef<Rank> ref;

  Tensor(std::array<int64_t, Rank> sizes, const std::vector<double> &values)
      : data(values.begin(), values.end()) {
    ref.allocated = ref.aligned = data.data();
    ref.offset = 0;
    int64_t stride = 1;
    for (int i = Rank - 1; i >= 0; --i) {
      ref.sizes[i] = sizes[i];
      ref.strides[i] = stride;
      stride *= sizes[i];
    }
    EXPECT_EQ(stride, static_cast<int64_t>(data.size()));
  }
  explicit Tensor(std::array<int64_t, Rank> sizes)
      : Tensor(sizes, std::vector<double>(count(sizes), std::nan(""))) {}
  Tensor(const Tensor &) = delete;

  static int64_t count(std::array<int64_t, Rank> sizes) {
    int64_t n = 1;
    for (int64_t s : sizes)
      n *= s;
    return n;
  }
};

/// |count| values in [-scale, scale], each exactly an f32, so that the
/// kernels and the reference read the same numbers.
std::vector<double> draw(int64_t count, float scale, std::mt19937 &gen) {
  std::uniform_real_distribution<float> dist(-scale, scale);
  std::vector<double> v(count);
  for (double &e : v)
    e = dist(gen);
  return v;
}

/// A layer of |cell| with |units| (the test's 6 unless given) and random
/// inputs, states and parameters drawn from |seed|.
RecurrentLayer randomLayer(RecurrentCell cell, uint32_t seed,
                           int64_t units = 6) {
  std::mt19937 gen(seed);
  RecurrentLayer l{cell, 3, 4, 5, units, {}, {}, {}, {}, {}, {}};
  int64_t gh = recurrentGates(cell) * l.h;
  l.x = draw(l.n * l.t * l.c, 1, gen);
  l.h0 = draw(l.n * l.h, 0.5, gen);
  l.c0 = draw(l.n * l.h, 0.5, gen);
  l.kernel = draw(l.c * gh, 0.6, gen);
  l.recurrent = draw(l.h * gh, 0.6, gen);
  l.bias = draw(cell == RecurrentCell::LbrGru ? 2 * gh : gh, 0.5, gen);
  return l;
}

/// The gradients of the loss with respect to the layer's outputs.
struct Cotangents {
  std::vector<double> seq, hT, cT;
};

Cotangents randomCotangents(const RecurrentLayer &l, uint32_t seed) {
  std::mt19937 gen(seed);
  return {draw(l.n * l.t * l.h, 1, gen), draw(l.n * l.h, 1, gen),
          draw(l.n * l.h, 1, gen)};
}

double dot(const std::vector<double> &a, const std::vector<double> &b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i)
    sum += a[i] * b[i];
  return sum;
}

/// L of the reference; only the LSTM has a final c among its outputs.
double loss(const RecurrentLayer &l, const Cotangents &d) {
  RecurrentResult r = runKerasLayer(l);
  double sum = dot(d.seq, r.seq) + dot(d.hT, r.hT);
  return l.cell == RecurrentCell::Lstm ? sum + dot(d.cT, r.cT) : sum;
}

/// dL/d(l.*field) by central differences of the reference.
std::vector<double> numericGradient(RecurrentLayer l,
                                    std::vector<double> RecurrentLayer::*field,
                                    const Cotangents &d) {
  const double eps = 1e-6;
  std::vector<double> &values = l.*field, grad(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    double v = values[i];
    values[i] = v + eps;
    double up = loss(l, d);
    values[i] = v - eps;
    double down = loss(l, d);
    values[i] = v;
    grad[i] = (up - down) / (2 * eps);
  }
  return grad;
}

/// The buffers of one layer's kernel calls.
struct KernelCall {
  Tensor<3> x;
  Tensor<2> h0, c0, kernel, recurrent;
  Tensor<1> bias;
  Tensor<3> seq;
  Tensor<2> hT, cT;
  Tensor<3> dseq;
  Tensor<2> dhT, dcT;
  Tensor<3> dx;
  Tensor<2> dh0, dc0, dkernel, drecurrent;
  Tensor<1> dbias;
  int64_t cell;

  KernelCall(const RecurrentLayer &l, const Cotangents &d)
      : x({l.n, l.t, l.c}, l.x), h0({l.n, l.h}, l.h0), c0({l.n, l.h}, l.c0),
        kernel({l.c, gates(l) * l.h}, l.kernel),
        recurrent({l.h, gates(l) * l.h}, l.recurrent),
        bias({static_cast<int64_t>(l.bias.size())}, l.bias),
        seq({l.n, l.t, l.h}), hT({l.n, l.h}), cT({l.n, l.h}),
        dseq({l.n, l.t, l.h}, d.seq), dhT({l.n, l.h}, d.hT),
        dcT({l.n, l.h}, d.cT), dx({l.n, l.t, l.c}), dh0({l.n, l.h}),
        dc0({l.n, l.h}), dkernel({l.c, gates(l) * l.h}),
        drecurrent({l.h, gates(l) * l.h}),
        dbias({static_cast<int64_t>(l.bias.size())}),
        cell(static_cast<int64_t>(l.cell)) {}

  static int64_t gates(const RecurrentLayer &l) {
    return recurrentGates(l.cell);
  }

  void forward(KernelSites &sites, int64_t site, bool training) {
    _mlir_ciface_aenet_dnnl_recurrent_forward(
        &sites, site, &x.ref, &h0.ref, &c0.ref, &kernel.ref, &recurrent.ref,
        &bias.ref, &seq.ref, &hT.ref, &cT.ref, cell, training);
  }

  void backward(KernelSites &sites, int64_t site) {
    _mlir_ciface_aenet_dnnl_recurrent_backward(
        &sites, site, &x.ref, &h0.ref, &c0.ref, &kernel.ref, &recurrent.ref,
        &bias.ref, &seq.ref, &hT.ref, &cT.ref, &dseq.ref, &dhT.ref, &dcT.ref,
        &dx.ref, &dh0.ref, &dc0.ref, &dkernel.ref, &drecurrent.ref,
        &dbias.ref, cell);
  }

  /// Every gradient the backward wrote (dc0 only for the LSTM).
  std::vector<std::vector<float>> gradients() const {
    std::vector<std::vector<float>> all = {dx.data, dh0.data, dkernel.data,
                                           drecurrent.data, dbias.data};
    if (cell == static_cast<int64_t>(RecurrentCell::Lstm))
      all.push_back(dc0.data);
    return all;
  }
};

/// Whether no kernel has written to |t| (it holds the NaNs it was made
/// with).
template <int Rank> bool untouched(const Tensor<Rank> &t) {
  for (float v : t.data)
    if (!std::isnan(v))
      return false;
  return true;
}

/// Checks |actual| against |expected| within 1e-5 (relative above 1),
/// reporting the worst element of |what|.
void expectClose(const char *what, const std::vector<double> &expected,
                 const std::vector<float> &actual) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  double worst = 0;
  size_t at = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    double error = std::fabs(actual[i] - expected[i]) /
                   std::max(1.0, std::fabs(expected[i]));
    if (!(error <= worst)) { // NaN counts as the worst
      worst = error;
      at = i;
    }
  }
  EXPECT_LE(worst, 1e-5) << what << "[" << at << "] is " << actual[at]
                         << ", expected " << expected[at];
}

/// Checks every gradient |call|'s backward wrote against central finite
/// differences of the reference; dc0 only for the LSTM (others leave it).
void expectGradientsMatch(const RecurrentLayer &layer, const Cotangents &d,
                          const KernelCall &call) {
  expectClose("dx", numericGradient(layer, &RecurrentLayer::x, d),
              call.dx.data);
  expectClose("dh0", numericGradient(layer, &RecurrentLayer::h0, d),
              call.dh0.data);
  expectClose("dkernel", numericGradient(layer, &RecurrentLayer::kernel, d),
              call.dkernel.data);
  expectClose("drecurrent_kernel",
              numericGradient(layer, &RecurrentLayer::recurrent, d),
              call.drecurrent.data);
  expectClose("dbias", numericGradient(layer, &RecurrentLayer::bias, d),
              call.dbias.data);
  if (layer.cell == RecurrentCell::Lstm) {
    expectClose("dc0", numericGradient(layer, &RecurrentLayer::c0, d),
                call.dc0.data);
  } else {
    EXPECT_TRUE(untouched(call.dc0)) << "dc0 written";
  }
}

} // namespace

namespace aenet::rt {
/// The cell's name in test names and failure messages.
void PrintTo(RecurrentCell cell, std::ostream *os) {
  switch (cell) {
#define AENET_ABI_RECURRENT_CELL_CASE(Name, number)                            \
  case RecurrentCell::Name:                                                    \
    *os << #Name;                                                              \
    return;
    AENET_ABI_RECURRENT_CELLS(AENET_ABI_RECURRENT_CELL_CASE)
#undef AENET_ABI_RECURRENT_CELL_CASE
  }
  *os << "cell " << static_cast<int64_t>(cell);
}
} // namespace aenet::rt

namespace {

class RecurrentKernels : public ::testing::TestWithParam<RecurrentCell> {};

TEST_P(RecurrentKernels, ForwardFollowsKerasEquations) {
  RecurrentLayer layer = randomLayer(GetParam(), 1);
  Cotangents d = randomCotangents(layer, 2);
  RecurrentResult expected = runKerasLayer(layer);
  KernelSites sites(2);
  KernelCall training(layer, d), inference(layer, d);
  training.forward(sites, 0, true);
  inference.forward(sites, 1, false);
  for (KernelCall *call : {&training, &inference}) {
    expectClose("seq", expected.seq, call->seq.data);
    expectClose("hT", expected.hT, call->hT.data);
    // The lowering may pass any buffer as another cell's cT: untouched.
    if (GetParam() == RecurrentCell::Lstm) {
      expectClose("cT", expected.cT, call->cT.data);
    } else {
      EXPECT_TRUE(untouched(call->cT)) << "cT written";
    }
  }
  if (GetParam() == RecurrentCell::Lstm) {
    // aec's own cell projects the inputs of all steps in one product when
    // training and step by step otherwise: sums may round apart.
    for (const auto &[name, a, b] :
         {std::tuple("seq", &training.seq.data, &inference.seq.data),
          std::tuple("hT", &training.hT.data, &inference.hT.data),
          std::tuple("cT", &training.cT.data, &inference.cT.data)})
      expectClose(name, std::vector<double>(a->begin(), a->end()), *b);
    return;
  }
  // The same primitive but for the workspace: the same numbers.
  EXPECT_EQ(training.seq.data, inference.seq.data);
  EXPECT_EQ(training.hT.data, inference.hT.data);
}

TEST_P(RecurrentKernels, GradientsMatchFiniteDifferences) {
  RecurrentLayer layer = randomLayer(GetParam(), 3);
  Cotangents d = randomCotangents(layer, 4);
  KernelSites sites(1);
  KernelCall call(layer, d);
  call.forward(sites, 0, true);
  call.backward(sites, 0);
  expectGradientsMatch(layer, d, call);
}

TEST_P(RecurrentKernels, BackwardOverwritesItsGradients) {
  RecurrentLayer layer = randomLayer(GetParam(), 5);
  KernelSites sites(1);
  KernelCall call(layer, randomCotangents(layer, 6));
  call.forward(sites, 0, true);
  call.backward(sites, 0);
  std::vector<std::vector<float>> first = call.gradients();
  int64_t built = oneDnnKernelsBuilt();
  call.backward(sites, 0);
  EXPECT_EQ(call.gradients(), first);
  EXPECT_EQ(oneDnnKernelsBuilt(), built) << "the backward was built again";
}

TEST_P(RecurrentKernels, SitesOfOneShapeKeepTheirOwnWorkspaces) {
  // Forward A at site 0, forward B (other values, same shapes) at site 1,
  // then the backwards: each site's gradients are those of its own forward,
  // as a table holding that layer alone computes them.
  RecurrentLayer a = randomLayer(GetParam(), 7), b = randomLayer(GetParam(), 8);
  Cotangents da = randomCotangents(a, 9), db = randomCotangents(b, 10);
  KernelSites both(2);
  KernelCall callA(a, da), callB(b, db);
  callA.forward(both, 0, true);
  callB.forward(both, 1, true);
  callA.backward(both, 0);
  callB.backward(both, 1);
  for (const auto &[layer, d, call] :
       {std::tuple(&a, &da, &callA), std::tuple(&b, &db, &callB)}) {
    KernelSites alone(1);
    KernelCall solo(*layer, *d);
    solo.forward(alone, 0, true);
    solo.backward(alone, 0);
    EXPECT_EQ(call->gradients(), solo.gradients());
  }
  std::set<const void *> seen;
  for (int64_t site : {0, 1})
    for (const void *p : both.ownedMemory(site))
      EXPECT_TRUE(seen.insert(p).second) << "site " << site << " shares " << p;
}

INSTANTIATE_TEST_SUITE_P(
    Cells, RecurrentKernels,
    ::testing::Values(RecurrentCell::SimpleTanh, RecurrentCell::SimpleRelu,
                      RecurrentCell::SimpleSigmoid, RecurrentCell::Lstm,
                      RecurrentCell::Gru, RecurrentCell::LbrGru),
    [](const ::testing::TestParamInfo<RecurrentCell> &info) {
      return ::testing::PrintToString(info.param);
    });

/// An LSTM's inputs as aec's own cell tells them apart (LstmCell.h): at
/// most 16 features, more, or every row one-hot; and batches that the
/// threads share unevenly or that one thread takes alone.
struct LstmInputs {
  const char *name;
  int64_t n, c;
  bool oneHot;
};

void PrintTo(const LstmInputs &in, std::ostream *os) { *os << in.name; }

class LstmKernels : public ::testing::TestWithParam<LstmInputs> {};

RecurrentLayer lstmLayer(const LstmInputs &in, uint32_t seed) {
  RecurrentLayer l = randomLayer(RecurrentCell::Lstm, seed);
  std::mt19937 gen(seed + 100);
  l.n = in.n;
  l.c = in.c;
  l.x = draw(l.n * l.t * l.c, 1, gen);
  if (in.oneHot)
    for (int64_t r = 0; r < l.n * l.t; ++r) {
      int64_t hot = gen() % l.c;
      for (int64_t k = 0; k < l.c; ++k)
        l.x[r * l.c + k] = k == hot ? 1 : 0;
    }
  l.h0 = draw(l.n * l.h, 0.5, gen);
  l.c0 = draw(l.n * l.h, 0.5, gen);
  l.kernel = draw(l.c * 4 * l.h, 0.6, gen);
  return l;
}

TEST_P(LstmKernels, ForwardAndGradientsFollowKeras) {
  RecurrentLayer layer = lstmLayer(GetParam(), 21);
  Cotangents d = randomCotangents(layer, 22);
  RecurrentResult expected = runKerasLayer(layer);
  KernelSites sites(2);
  KernelCall training(layer, d), inference(layer, d);
  training.forward(sites, 0, true);
  inference.forward(sites, 1, false);
  for (KernelCall *call : {&training, &inference}) {
    expectClose("seq", expected.seq, call->seq.data);
    expectClose("hT", expected.hT, call->hT.data);
    expectClose("cT", expected.cT, call->cT.data);
  }
  training.backward(sites, 0);
  expectGradientsMatch(layer, d, training);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, LstmKernels,
    ::testing::Values(LstmInputs{"Narrow", 5, 3, false},
                      LstmInputs{"Wide", 5, 20, false},
                      LstmInputs{"OneHot", 5, 7, true},
                      LstmInputs{"WideOneHot", 5, 20, true},
                      LstmInputs{"OneRow", 1, 20, false}),
    [](const ::testing::TestParamInfo<LstmInputs> &info) {
      return std::string(info.param.name);
    });

TEST(RecurrentKernelsDeathTest, BackwardNeedsATrainingForwardAtItsSite) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // Site 0 holds an inference forward, site 1 nothing, site 2 the training
  // forward of a wider layer.
  RecurrentLayer layer = randomLayer(RecurrentCell::Lstm, 11);
  RecurrentLayer wider = randomLayer(RecurrentCell::Lstm, 11, 7);
  KernelSites sites(3);
  KernelCall call(layer, randomCotangents(layer, 12));
  KernelCall other(wider, randomCotangents(wider, 12));
  call.forward(sites, 0, false);
  other.forward(sites, 2, true);
  for (int64_t site : {0, 1, 2})
    EXPECT_DEATH(call.backward(sites, site),
                 "recurrent_backward called on site " + std::to_string(site) +
                     ", which holds no training recurrent_forward of the "
                     "same cell and shapes");
}

} // namespace
