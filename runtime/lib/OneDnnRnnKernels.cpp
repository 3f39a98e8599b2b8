//===- OneDnnRnnKernels.cpp - oneDNN kernels of the recurrent layers ------===//
//
// recurrent_forward and recurrent_backward: a SimpleRNN or GRU layer over
// whole sequences on oneDNN 2.6's vanilla RNN, GRU and linear-before-reset
// GRU primitives; an LSTM layer on aec's own cell (LstmCell.h: 1.7-2.5x
// faster than oneDNN's LSTM primitive on the bench's models, bench/NOTES.md)
// in the same sites, so that all cells keep one contract.
//
// Layouts. The caller's buffers are Keras's, which are oneDNN's (checked
// against Keras's equations: TOOLCHAIN.md §9): batch-first x and seq are
// `ntc`, the [N, H] states `ldnc` {1, 1, N, H}, the kernels `ldigo`
// {1, 1, C, G, H} in Keras's gate order, the biases `ldgo` {1, 1, G, H}, but
// for LbrGru's bias: Keras keeps the input and recurrent biases apart,
// [2, 3H], oneDNN adds their z and r parts, {1, 1, 4, H}; it and its
// gradient are converted on every call. The primitives read the other
// buffers in place, but run faster on layouts of their own for two kinds of
// operands, reordered on every call (kernels change at every training step):
// the kernels and their gradients, in the layouts the primitives choose
// (`any`: `ldigo` rows padded away from cache-set conflicts, 528 floats for
// G*H = 512, and `ldgoi` for the backward, which takes nothing else); and x
// and seq, which the backward reads time-major (`tnc`). For the char
// model's LSTM, the padded kernels make the forward and time-major x and seq
// the backward ~20% faster; the reorders cost ~2% (bench/NOTES.md; measured
// when that LSTM ran on the primitive).
//
// State. The forward builds, on its site's first call, the primitive, the
// workspace of forward_training (every step's gates, which the backward
// reads) and the LbrGru bias buffer, and keeps them in that site's entry of
// KernelSites. The backward is called with the forward's site number: on its
// first call it checks that the site holds a training forward of the same
// cell and shapes and adds its own part to the site's state (the backward
// primitive, the reordered kernels); the workspace is never keyed by shape,
// so two layers of one shape keep their own. oneDNN's backward adds to the
// weight and bias gradients, so they are zeroed first: the kernel
// overwrites them.
//
//===----------------------------------------------------------------------===//

#include "LstmCell.h"
#include "OneDnnSupport.h"

#include <omp.h>

#include <array>
#include <cstdio>
#include <cstring>

using namespace dnnl;
using namespace aenet::rt::dnnl_support;
using aenet::rt::KernelSites;
using aenet::rt::MemRef;
using aenet::rt::RecurrentCell;
namespace lstm = aenet::rt::lstm;

namespace {

using tag = memory::format_tag;

/// The cell and sizes of one layer: batch N, steps T, features C, units H.
struct Shape {
  RecurrentCell cell;
  int64_t n, t, c, h;

  bool operator==(const Shape &o) const {
    return cell == o.cell && n == o.n && t == o.t && c == o.c && h == o.h;
  }
  int64_t gates() const { return aenet::rt::recurrentGates(cell); }
  bool lstm() const { return cell == RecurrentCell::Lstm; }
  bool lbr() const { return cell == RecurrentCell::LbrGru; }
  /// The length of the caller's bias: LbrGru's is Keras's [2, 3H].
  int64_t kerasBias() const { return lbr() ? 6 * h : gates() * h; }
};

/// Whether |m| has |sizes| and the identity layout.
template <int Rank>
bool isDense(const MemRef<Rank> &m, const std::array<int64_t, Rank> &sizes) {
  int64_t stride = 1;
  for (int i = Rank - 1; i >= 0; --i) {
    if (m.sizes[i] != sizes[i] || (sizes[i] != 1 && m.strides[i] != stride))
      return false;
    stride *= sizes[i];
  }
  return true;
}

/// Whether |cell| is a number of AENET_ABI_RECURRENT_CELLS.
bool isCell(int64_t cell) {
  switch (static_cast<RecurrentCell>(cell)) {
#define AENET_ABI_RECURRENT_CELL_CASE(Name, number)                            \
  case RecurrentCell::Name:                                                    \
    return true;
    AENET_ABI_RECURRENT_CELLS(AENET_ABI_RECURRENT_CELL_CASE)
#undef AENET_ABI_RECURRENT_CELL_CASE
  }
  return false;
}

/// The forward's operands and results, as both kernels receive them.
struct Operands {
  MemRef<3> *x;
  MemRef<2> *h0, *c0, *kernel, *recurrent;
  MemRef<1> *bias;
  MemRef<3> *seq;
  MemRef<2> *hT, *cT;

  /// The layer these operands are of, when they are consistent and dense;
  /// aborts naming kernel |name| otherwise (the lowering guarantees them).
  Shape shape(int64_t cell, const char *name) const {
    if (!isCell(cell))
      contractBroken(name, "an unknown recurrent cell");
    Shape s{static_cast<RecurrentCell>(cell), x->sizes[0], x->sizes[1],
            x->sizes[2], h0->sizes[1]};
    int64_t gh = s.gates() * s.h;
    if (!isDense(*x, {s.n, s.t, s.c}) || !isDense(*h0, {s.n, s.h}) ||
        !isDense(*c0, {s.n, s.h}) || !isDense(*kernel, {s.c, gh}) ||
        !isDense(*recurrent, {s.h, gh}) || !isDense(*bias, {s.kerasBias()}) ||
        !isDense(*seq, {s.n, s.t, s.h}) || !isDense(*hT, {s.n, s.h}) ||
        !isDense(*cT, {s.n, s.h}))
      contractBroken(name, "operands of inconsistent shapes or not dense");
    return s;
  }
};

/// The operands of one primitive in oneDNN's terms, kernels in layout
/// |weights|; |c| is empty but for the LSTM. |kerasBias| is the caller's
/// bias: |bias| itself, or for LbrGru a vector of Keras's 6H floats.
struct Descs {
  memory::desc x, h, c, kernel, recurrent, bias, kerasBias, seq;

  Descs(const Shape &s, tag weights) {
    auto f32 = memory::data_type::f32;
    x = memory::desc({s.t, s.n, s.c}, f32, tag::ntc);
    h = memory::desc({1, 1, s.n, s.h}, f32, tag::ldnc);
    if (s.lstm())
      c = h;
    kernel = memory::desc({1, 1, s.c, s.gates(), s.h}, f32, weights);
    recurrent = memory::desc({1, 1, s.h, s.gates(), s.h}, f32, weights);
    bias = memory::desc({1, 1, s.lbr() ? 4 : s.gates(), s.h}, f32, tag::ldgo);
    kerasBias =
        s.lbr() ? memory::desc({s.kerasBias()}, f32, tag::a) : bias;
    seq = memory::desc({s.t, s.n, s.h}, f32, tag::ntc);
  }
};

/// The activation of a simple cell.
algorithm simpleActivation(RecurrentCell cell) {
  switch (cell) {
  case RecurrentCell::SimpleRelu:
    return algorithm::eltwise_relu; // alpha (the negative slope) 0
  case RecurrentCell::SimpleSigmoid:
    return algorithm::eltwise_logistic;
  default:
    return algorithm::eltwise_tanh;
  }
}

constexpr rnn_direction leftToRight = rnn_direction::unidirectional_left2right;

/// The forward op of |s| on operands |d|.
dnnl_rnn_desc_t forwardOp(const Shape &s, prop_kind prop, const Descs &d) {
  switch (s.cell) {
  case RecurrentCell::Lstm:
    return lstm_forward::desc(prop, leftToRight, d.x, d.h, d.c, d.kernel,
                              d.recurrent, d.bias, d.seq, d.h, d.c)
        .data;
  case RecurrentCell::Gru:
    return gru_forward::desc(prop, leftToRight, d.x, d.h, d.kernel,
                             d.recurrent, d.bias, d.seq, d.h)
        .data;
  case RecurrentCell::LbrGru:
    return lbr_gru_forward::desc(prop, leftToRight, d.x, d.h, d.kernel,
                                 d.recurrent, d.bias, d.seq, d.h)
        .data;
  default:
    return vanilla_rnn_forward::desc(prop, simpleActivation(s.cell),
                                     leftToRight, d.x, d.h, d.kernel,
                                     d.recurrent, d.bias, d.seq, d.h)
        .data;
  }
}

/// The backward op of |s| on operands |d| (whose kernels are also the
/// layouts of their gradients), reading the forward's x and seq as |x| and
/// |seq|.
dnnl_rnn_desc_t backwardOp(const Shape &s, const Descs &d,
                           const memory::desc &x, const memory::desc &seq) {
  const prop_kind bwd = prop_kind::backward;
  switch (s.cell) {
  case RecurrentCell::Lstm:
    return lstm_backward::desc(bwd, leftToRight, x, d.h, d.c, d.kernel,
                               d.recurrent, d.bias, seq, d.h, d.c, d.x, d.h,
                               d.c, d.kernel, d.recurrent, d.bias, d.seq, d.h,
                               d.c)
        .data;
  case RecurrentCell::Gru:
    return gru_backward::desc(bwd, leftToRight, x, d.h, d.kernel,
                              d.recurrent, d.bias, seq, d.h, d.x, d.h,
                              d.kernel, d.recurrent, d.bias, d.seq, d.h)
        .data;
  case RecurrentCell::LbrGru:
    return lbr_gru_backward::desc(bwd, leftToRight, x, d.h, d.kernel,
                                  d.recurrent, d.bias, seq, d.h, d.x, d.h,
                                  d.kernel, d.recurrent, d.bias, d.seq, d.h)
        .data;
  default:
    return vanilla_rnn_backward::desc(
               bwd, simpleActivation(s.cell), leftToRight, x, d.h,
               d.kernel, d.recurrent, d.bias, seq, d.h, d.x, d.h, d.kernel,
               d.recurrent, d.bias, d.seq, d.h)
        .data;
  }
}

/// The layout |pd| chose for its argument |arg|.
memory::desc argDesc(const primitive_desc &pd, int arg) {
  return pd.query_md(query::exec_arg_md, arg);
}

float *dataOf(const memory &m) {
  return static_cast<float *>(m.get_data_handle());
}

/// oneDNN's LBR-GRU bias {z, r, input h, recurrent h} from Keras's
/// [input; recurrent] (2, 3H): the z and r biases of both sides add.
void lbrBiasFromKeras(const float *keras, float *bias, int64_t h) {
  const float *input = keras, *recurrent = keras + 3 * h;
  for (int64_t i = 0; i < 2 * h; ++i)
    bias[i] = input[i] + recurrent[i];
  std::memcpy(bias + 2 * h, input + 2 * h, h * sizeof(float));
  std::memcpy(bias + 3 * h, recurrent + 2 * h, h * sizeof(float));
}

/// Keras's LBR-GRU bias gradient [2, 3H] from oneDNN's: both sides' z and r
/// biases get the gradient of their sum.
void lbrBiasGradToKeras(const float *grad, float *keras, int64_t h) {
  float *input = keras, *recurrent = keras + 3 * h;
  std::memcpy(input, grad, 2 * h * sizeof(float));
  std::memcpy(recurrent, grad, 2 * h * sizeof(float));
  std::memcpy(input + 2 * h, grad + 2 * h, h * sizeof(float));
  std::memcpy(recurrent + 2 * h, grad + 3 * h, h * sizeof(float));
}

/// The forward's operands and results as a kernel declares its first
/// buffers (in the ABI's order).
struct LayerBuffers {
  memory x, h0, c0, kernel, recurrent, bias, seq, hT, cT;

  LayerBuffers(KernelBuilder &b, const Descs &d)
      : x(b.buffer(d.x)), h0(b.buffer(d.h)), c0(b.buffer(d.h)),
        kernel(b.buffer(d.kernel)), recurrent(b.buffer(d.recurrent)),
        bias(b.buffer(d.kerasBias)), seq(b.buffer(d.seq)), hT(b.buffer(d.h)),
        cT(b.buffer(d.h)) {}
};

/// A site's recurrent layer: what its forward built, and the backward's part
/// once the backward has been called there.
struct RecurrentState : KernelState {
  Shape shape;
  bool training;
  /// The forward's primitive descriptor: the backward's hint.
  primitive_desc forward;
  /// forward_training's record of every step, which the backward reads.
  memory workspace;
  /// LbrGru's bias in oneDNN's layout (empty for the other cells).
  memory bias;
  std::unique_ptr<Kernel> backward;
};

lstm::Sizes lstmSizes(const Shape &s) { return {s.n, s.t, s.c, s.h}; }

lstm::ForwardArgs lstmForwardArgs(const LayerBuffers &l) {
  return {dataOf(l.x),      dataOf(l.h0),        dataOf(l.c0),
          dataOf(l.kernel), dataOf(l.recurrent), dataOf(l.bias),
          dataOf(l.seq),    dataOf(l.hT),        dataOf(l.cT)};
}

/// An LSTM forward site: aec's own cell (LstmCell.h) on the same buffers
/// and state as the primitives' sites, the workspace its own.
Kernel buildLstmForward(const Shape &s, bool training) {
  KernelBuilder b;
  Descs d(s, tag::ldigo);
  LayerBuffers caller(b, d);
  auto state = std::make_unique<RecurrentState>();
  state->shape = s;
  state->training = training;
  lstm::Sizes sizes = lstmSizes(s);
  int64_t floats = training ? lstm::workspaceFloats(sizes)
                            : lstm::inferenceScratchFloats(sizes);
  memory work =
      b.scratch(memory::desc({floats}, memory::data_type::f32, tag::a));
  if (training)
    state->workspace = work;
  b.addHost([caller, work, sizes, training] {
    lstm::forward(sizes, lstmForwardArgs(caller),
                  training ? dataOf(work) : nullptr,
                  training ? nullptr : dataOf(work));
  });
  Kernel k = b.finish();
  k.state = std::move(state);
  return k;
}

/// The kernel of a forward site: buffers x, h0, c0, kernel, recurrent, bias,
/// seq, hT, cT; the state above.
Kernel buildForward(const Shape &s, bool training) {
  if (s.lstm())
    return buildLstmForward(s, training);
  KernelBuilder b;
  Descs d(s, tag::ldigo), run(s, tag::any);
  LayerBuffers caller(b, d);

  auto state = std::make_unique<RecurrentState>();
  state->shape = s;
  state->training = training;
  dnnl_rnn_desc_t op = forwardOp(
      s, training ? prop_kind::forward_training : prop_kind::forward_inference,
      run);
  const primitive_desc &pd = state->forward =
      primitive_desc(&op, nullptr, cpuEngine(), nullptr);

  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC_LAYER, caller.x},
      {DNNL_ARG_SRC_ITER, caller.h0},
      {DNNL_ARG_WEIGHTS_LAYER,
       b.input(caller.kernel, argDesc(pd, DNNL_ARG_WEIGHTS_LAYER))},
      {DNNL_ARG_WEIGHTS_ITER,
       b.input(caller.recurrent, argDesc(pd, DNNL_ARG_WEIGHTS_ITER))},
      {DNNL_ARG_BIAS, caller.bias},
      {DNNL_ARG_DST_LAYER, caller.seq},
      {DNNL_ARG_DST_ITER, caller.hT}};
  if (s.lstm()) {
    args[DNNL_ARG_SRC_ITER_C] = caller.c0;
    args[DNNL_ARG_DST_ITER_C] = caller.cT;
  }
  if (s.lbr()) {
    memory converted = state->bias = b.scratch(d.bias);
    args[DNNL_ARG_BIAS] = converted;
    b.addHost([bias = caller.bias, converted, h = s.h] {
      lbrBiasFromKeras(dataOf(bias), dataOf(converted), h);
    });
  }
  if (training)
    args[DNNL_ARG_WORKSPACE] = state->workspace =
        b.scratch(pd.workspace_desc());
  b.add(primitive(pd), std::move(args));
  Kernel k = b.finish();
  k.state = std::move(state);
  return k;
}

/// The backward of an LSTM site: buffers as buildBackward's.
Kernel buildLstmBackward(RecurrentState &state) {
  const Shape &s = state.shape;
  KernelBuilder b;
  Descs d(s, tag::ldigo);
  LayerBuffers caller(b, d);
  memory dseq = b.buffer(d.seq), dhT = b.buffer(d.h), dcT = b.buffer(d.h);
  memory dx = b.buffer(d.x), dh0 = b.buffer(d.h), dc0 = b.buffer(d.h);
  memory dkernel = b.buffer(d.kernel), drecurrent = b.buffer(d.recurrent);
  memory dbias = b.buffer(d.kerasBias);
  lstm::Sizes sizes = lstmSizes(s);
  memory scratch = b.scratch(memory::desc(
      {lstm::backwardScratchFloats(sizes)}, memory::data_type::f32, tag::a));
  b.addHost([=, workspace = state.workspace] {
    lstm::backward(sizes, lstmForwardArgs(caller), dataOf(workspace),
                   {dataOf(dseq), dataOf(dhT), dataOf(dcT), dataOf(dx),
                    dataOf(dh0), dataOf(dc0), dataOf(dkernel),
                    dataOf(drecurrent), dataOf(dbias)},
                   dataOf(scratch));
  });
  return b.finish();
}

/// The backward's part of a training site |state|: buffers as the forward's,
/// then dseq, dhT, dcT, dx, dh0, dc0, dkernel, drecurrent, dbias.
Kernel buildBackward(RecurrentState &state) {
  const Shape &s = state.shape;
  if (s.lstm())
    return buildLstmBackward(state);
  KernelBuilder b;
  Descs d(s, tag::ldigo), run(s, tag::any);
  LayerBuffers caller(b, d);
  memory dseq = b.buffer(d.seq), dhT = b.buffer(d.h), dcT = b.buffer(d.h);
  memory dx = b.buffer(d.x), dh0 = b.buffer(d.h), dc0 = b.buffer(d.h);
  memory dkernel = b.buffer(d.kernel), drecurrent = b.buffer(d.recurrent);
  memory dbias = b.buffer(d.kerasBias);

  // The forward's x and seq time-major, which oneDNN 2.6's backward reads
  // faster (see above). Both or neither: with seq alone time-major, its
  // kernel gradient is wrong.
  memory::desc xByTime(d.x.dims(), memory::data_type::f32, tag::tnc);
  memory::desc seqByTime(d.seq.dims(), memory::data_type::f32, tag::tnc);
  dnnl_rnn_desc_t op = backwardOp(s, run, xByTime, seqByTime);
  primitive_desc pd(&op, nullptr, cpuEngine(), state.forward.get());

  memory biasIn = caller.bias, biasGrad = dbias;
  if (s.lbr()) {
    biasIn = state.bias;
    biasGrad = b.scratch(d.bias);
    b.addHost([bias = caller.bias, biasIn, h = s.h] {
      lbrBiasFromKeras(dataOf(bias), dataOf(biasIn), h);
    });
  }
  memory kernelGrad =
      b.output(dkernel, argDesc(pd, DNNL_ARG_DIFF_WEIGHTS_LAYER));
  memory recurrentGrad =
      b.output(drecurrent, argDesc(pd, DNNL_ARG_DIFF_WEIGHTS_ITER));
  // oneDNN adds to these: start them from zero.
  b.addHost([kernelGrad, recurrentGrad, biasGrad] {
    for (const memory &m : {kernelGrad, recurrentGrad, biasGrad})
      std::memset(m.get_data_handle(), 0, m.get_desc().get_size());
  });
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC_LAYER, b.input(caller.x, xByTime)},
      {DNNL_ARG_SRC_ITER, caller.h0},
      {DNNL_ARG_WEIGHTS_LAYER,
       b.input(caller.kernel, argDesc(pd, DNNL_ARG_WEIGHTS_LAYER))},
      {DNNL_ARG_WEIGHTS_ITER,
       b.input(caller.recurrent, argDesc(pd, DNNL_ARG_WEIGHTS_ITER))},
      {DNNL_ARG_BIAS, biasIn},
      {DNNL_ARG_DST_LAYER, b.input(caller.seq, seqByTime)},
      {DNNL_ARG_DST_ITER, caller.hT},
      {DNNL_ARG_DIFF_DST_LAYER, dseq},
      {DNNL_ARG_DIFF_DST_ITER, dhT},
      {DNNL_ARG_DIFF_SRC_LAYER, dx},
      {DNNL_ARG_DIFF_SRC_ITER, dh0},
      {DNNL_ARG_DIFF_WEIGHTS_LAYER, kernelGrad},
      {DNNL_ARG_DIFF_WEIGHTS_ITER, recurrentGrad},
      {DNNL_ARG_DIFF_BIAS, biasGrad},
      {DNNL_ARG_WORKSPACE, state.workspace}};
  if (s.lstm()) {
    args[DNNL_ARG_SRC_ITER_C] = caller.c0;
    args[DNNL_ARG_DST_ITER_C] = caller.cT;
    args[DNNL_ARG_DIFF_DST_ITER_C] = dcT;
    args[DNNL_ARG_DIFF_SRC_ITER_C] = dc0;
  }
  b.add(primitive(pd), std::move(args));
  if (s.lbr())
    b.addHost([biasGrad, dbias, h = s.h] {
      lbrBiasGradToKeras(dataOf(biasGrad), dataOf(dbias), h);
    });
  return b.finish();
}

/// The state of the recurrent layer at |site|, which must be a training
/// forward of shape |s|: the backward's precondition.
RecurrentState &trainingSite(KernelSites *sites, int64_t site,
                             const Shape &s) {
  Kernel *k = site >= 0 && site < sites->size() ? sites->kernel(site)
                                                : nullptr;
  auto *state = k ? dynamic_cast<RecurrentState *>(k->state.get()) : nullptr;
  if (!state || !state->training || !(state->shape == s)) {
    char what[160];
    std::snprintf(what, sizeof what,
                  "site %lld, which holds no training recurrent_forward of "
                  "the same cell and shapes",
                  static_cast<long long>(site));
    contractBroken("recurrent_backward", what);
  }
  if (!state->backward) {
    state->backward = std::make_unique<Kernel>(
        create("recurrent_backward", [&] { return buildBackward(*state); }));
    // The site owns the backward's memory too (KernelSites::ownedMemory).
    k->owned.insert(k->owned.end(), state->backward->owned.begin(),
                    state->backward->owned.end());
  }
  return *state;
}

/// The multiply-adds of one step's recurrent matrix product below which a
/// layer runs on one thread. oneDNN's RNN driver opens a parallel region
/// for every step, and with passive waiting (what aec chooses, see
/// compiler/tools/aec/aec.cpp) each wakes the sleeping threads: for an
/// LSTM(64) on a batch of 32 (0.5 M per step) over 600 steps that costs more
/// than the second thread gains (bench/NOTES.md: an epoch of 512 drives
/// takes 1.92 s on two threads, 1.16 s on one), while a char LSTM(128) on a
/// batch of 128 (8.4 M per step) gains from it.
constexpr int64_t kParallelStepMacs = 2'000'000;

/// Runs the recurrent primitives of |s| on one thread while in scope when
/// its steps are too small to share; restores the thread count after.
class StepThreads {
public:
  explicit StepThreads(const Shape &s) {
    // aec's own LSTM shares the batch's rows, not each step.
    if (s.lstm() || s.n * s.h * s.gates() * s.h >= kParallelStepMacs)
      return;
    saved_ = omp_get_max_threads();
    omp_set_num_threads(1);
  }
  ~StepThreads() {
    if (saved_ > 0)
      omp_set_num_threads(saved_);
  }
  StepThreads(const StepThreads &) = delete;
  StepThreads &operator=(const StepThreads &) = delete;

private:
  int saved_ = 0;
};

} // namespace

extern "C" {

void _mlir_ciface_aenet_dnnl_recurrent_forward(
    KernelSites *sites, int64_t site, MemRef<3> *x, MemRef<2> *h0,
    MemRef<2> *c0, MemRef<2> *kernel, MemRef<2> *recurrent, MemRef<1> *bias,
    MemRef<3> *seq, MemRef<2> *hT, MemRef<2> *cT, int64_t cell,
    int64_t training) {
  Operands ops{x, h0, c0, kernel, recurrent, bias, seq, hT, cT};
  Shape s = ops.shape(cell, "recurrent_forward");
  Kernel &k = atSite(sites, site, "recurrent_forward",
                     [&] { return buildForward(s, training != 0); });
  auto *state = dynamic_cast<RecurrentState *>(k.state.get());
  if (!state || !(state->shape == s) || state->training != (training != 0))
    contractBroken("recurrent_forward",
                   "a site built for another kernel, cell, shape or mode");
  StepThreads threads(s);
  k.run({x->data(), h0->data(), c0->data(), kernel->data(), recurrent->data(),
         bias->data(), seq->data(), hT->data(), cT->data()});
}

void _mlir_ciface_aenet_dnnl_recurrent_backward(
    KernelSites *sites, int64_t site, MemRef<3> *x, MemRef<2> *h0,
    MemRef<2> *c0, MemRef<2> *kernel, MemRef<2> *recurrent, MemRef<1> *bias,
    MemRef<3> *seq, MemRef<2> *hT, MemRef<2> *cT, MemRef<3> *dseq,
    MemRef<2> *dhT, MemRef<2> *dcT, MemRef<3> *dx, MemRef<2> *dh0,
    MemRef<2> *dc0, MemRef<2> *dkernel, MemRef<2> *drecurrent,
    MemRef<1> *dbias, int64_t cell) {
  const char *name = "recurrent_backward";
  Shape s = Operands{x, h0, c0, kernel, recurrent, bias, seq, hT, cT}.shape(
      cell, name);
  // The gradients have the shapes of what they are the gradients of.
  if (!(Operands{dx, dh0, dc0, dkernel, drecurrent, dbias, dseq, dhT, dcT}
            .shape(cell, name) == s))
    contractBroken(name, "gradients of other shapes than the forward's");
  RecurrentState &state = trainingSite(sites, site, s);
  StepThreads threads(s);
  state.backward->run({x->data(), h0->data(), c0->data(), kernel->data(),
                       recurrent->data(), bias->data(), seq->data(),
                       hT->data(), cT->data(), dseq->data(), dhT->data(),
                       dcT->data(), dx->data(), dh0->data(), dc0->data(),
                       dkernel->data(), drecurrent->data(), dbias->data()});
}

} // extern "C"
