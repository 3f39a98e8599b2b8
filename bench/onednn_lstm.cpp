//===- onednn_lstm.cpp - oneDNN's LSTM primitive alone, timed -------------===//
//
// Times one forward_training + backward of oneDNN's LSTM primitive, outside
// aec, to tell the primitive's cost from aec's around it. Kernels in the
// layouts oneDNN picks (`any`), as OneDnnRnnKernels.cpp does. bench/NOTES.md
// uses it to measure what the input width and the OpenMP wait policy are
// worth:
//
//   g++ -O2 -o /tmp/onednn_lstm bench/onednn_lstm.cpp -ldnnl
//   OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive /tmp/onednn_lstm T N C H REPS
//
//===----------------------------------------------------------------------===//

#include <oneapi/dnnl/dnnl.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace dnnl;
using tag = memory::format_tag;

namespace {

memory::desc describe(memory::dims dims, tag layout) {
  return memory::desc(dims, memory::data_type::f32, layout);
}

/// A buffer of |d| filled with small values (the timing does not depend on
/// them, only NaNs would).
memory filled(const memory::desc &d, const engine &cpu) {
  memory m(d, cpu);
  float *p = static_cast<float *>(m.get_data_handle());
  for (size_t i = 0; i < d.get_size() / sizeof(float); ++i)
    p[i] = 0.01f * static_cast<float>(i % 7);
  return m;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s T N C H REPS\n", argv[0]);
    return 2;
  }
  const memory::dim t = std::atol(argv[1]), n = std::atol(argv[2]),
                    c = std::atol(argv[3]), h = std::atol(argv[4]);
  const int reps = std::atoi(argv[5]);
  if (t < 1 || n < 1 || c < 1 || h < 1 || reps < 1) {
    std::fprintf(stderr, "T, N, C, H and REPS must be positive\n");
    return 2;
  }
  engine cpu(engine::kind::cpu, 0);
  stream s(cpu);
  auto x = describe({t, n, c}, tag::tnc), seq = describe({t, n, h}, tag::tnc);
  auto state = describe({1, 1, n, h}, tag::ldnc);
  auto kernel = describe({1, 1, c, 4, h}, tag::any);
  auto recurrent = describe({1, 1, h, 4, h}, tag::any);
  auto bias = describe({1, 1, 4, h}, tag::ldgo);
  const auto left2right = rnn_direction::unidirectional_left2right;
  lstm_forward::primitive_desc fpd(
      lstm_forward::desc(prop_kind::forward_training, left2right, x, state,
                         state, kernel, recurrent, bias, seq, state, state),
      cpu);
  lstm_backward::primitive_desc bpd(
      lstm_backward::desc(prop_kind::backward, left2right, x, state, state,
                          kernel, recurrent, bias, seq, state, state, x,
                          state, state, kernel, recurrent, bias, seq, state,
                          state),
      cpu, fpd);

  memory mx = filled(x, cpu), mh0 = filled(state, cpu),
         mc0 = filled(state, cpu), mb = filled(bias, cpu),
         mseq = filled(seq, cpu), mhT = filled(state, cpu),
         mcT = filled(state, cpu);
  memory fk = filled(fpd.weights_layer_desc(), cpu),
         fr = filled(fpd.weights_iter_desc(), cpu),
         bk = filled(bpd.weights_layer_desc(), cpu),
         br = filled(bpd.weights_iter_desc(), cpu);
  memory workspace(fpd.workspace_desc(), cpu);
  memory dx = filled(x, cpu), dh0 = filled(state, cpu),
         dc0 = filled(state, cpu), db = filled(bias, cpu),
         dseq = filled(seq, cpu), dhT = filled(state, cpu),
         dcT = filled(state, cpu),
         dk = filled(bpd.diff_weights_layer_desc(), cpu),
         dr = filled(bpd.diff_weights_iter_desc(), cpu);
  lstm_forward forward(fpd);
  lstm_backward backward(bpd);
  auto step = [&] {
    forward.execute(s, {{DNNL_ARG_SRC_LAYER, mx},
                        {DNNL_ARG_SRC_ITER, mh0},
                        {DNNL_ARG_SRC_ITER_C, mc0},
                        {DNNL_ARG_WEIGHTS_LAYER, fk},
                        {DNNL_ARG_WEIGHTS_ITER, fr},
                        {DNNL_ARG_BIAS, mb},
                        {DNNL_ARG_DST_LAYER, mseq},
                        {DNNL_ARG_DST_ITER, mhT},
                        {DNNL_ARG_DST_ITER_C, mcT},
                        {DNNL_ARG_WORKSPACE, workspace}});
    backward.execute(s, {{DNNL_ARG_SRC_LAYER, mx},
                         {DNNL_ARG_SRC_ITER, mh0},
                         {DNNL_ARG_SRC_ITER_C, mc0},
                         {DNNL_ARG_WEIGHTS_LAYER, bk},
                         {DNNL_ARG_WEIGHTS_ITER, br},
                         {DNNL_ARG_BIAS, mb},
                         {DNNL_ARG_DST_LAYER, mseq},
                         {DNNL_ARG_DST_ITER, mhT},
                         {DNNL_ARG_DST_ITER_C, mcT},
                         {DNNL_ARG_WORKSPACE, workspace},
                         {DNNL_ARG_DIFF_SRC_LAYER, dx},
                         {DNNL_ARG_DIFF_SRC_ITER, dh0},
                         {DNNL_ARG_DIFF_SRC_ITER_C, dc0},
                         {DNNL_ARG_DIFF_WEIGHTS_LAYER, dk},
                         {DNNL_ARG_DIFF_WEIGHTS_ITER, dr},
                         {DNNL_ARG_DIFF_BIAS, db},
                         {DNNL_ARG_DIFF_DST_LAYER, dseq},
                         {DNNL_ARG_DIFF_DST_ITER, dhT},
                         {DNNL_ARG_DIFF_DST_ITER_C, dcT}});
    s.wait();
  };
  // Two warm-up batches: the first creates oneDNN's JIT kernels.
  step();
  step();
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i)
    step();
  double ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - start)
                  .count() /
              reps;
  std::printf("T=%ld N=%ld C=%ld H=%ld: %.2f ms forward + backward, %.0f "
              "samples/s\n",
              static_cast<long>(t), static_cast<long>(n),
              static_cast<long>(c), static_cast<long>(h), ms,
              static_cast<double>(n) * 1000.0 / ms);
}
