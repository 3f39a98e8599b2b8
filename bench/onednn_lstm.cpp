//===- onednn_lstm.cpp - oneDNN's LSTM primitive alone, timed -------------===//
//
// Times one forward_training + backward of oneDNN's LSTM primitive on random
// data, outside aec, to tell the primitive's cost from aec's around it.
// Kernels in the layouts oneDNN picks (`any`), as OneDnnRnnKernels.cpp does.
// bench/NOTES.md uses it to measure what the input width and the OpenMP wait
// policy are worth:
//
//   g++ -O2 -o /tmp/onednn_lstm bench/onednn_lstm.cpp -ldnnl
//   OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive /tmp/onednn_lstm T N C H REPS
//
//===----------------------------------------------------------------------===//

#include <oneapi/dnnl/dnnl.hpp>
#include <chrono>
#include <cstdio>
#include <vector>
using namespace dnnl;
using tag = memory::format_tag; using dt = memory::data_type;
int main(int argc, char **argv) {
  int T = atoi(argv[1]), N = atoi(argv[2]), C = atoi(argv[3]), H = atoi(argv[4]), reps = atoi(argv[5]);
  engine eng(engine::kind::cpu, 0); stream s(eng);
  auto md = [](memory::dims d, tag t) { return memory::desc(d, dt::f32, t); };
  auto src = md({T, N, C}, tag::tnc), srcIter = md({1, 1, N, H}, tag::ldnc), srcIterC = md({1,1,N,H}, tag::ldnc);
  auto wL = md({1, 1, C, 4, H}, tag::ldigo), wI = md({1, 1, H, 4, H}, tag::ldigo), b = md({1, 1, 4, H}, tag::ldgo);
  auto dst = md({T, N, H}, tag::tnc), dstIter = md({1,1,N,H}, tag::ldnc), dstIterC = md({1,1,N,H}, tag::ldnc);
  auto wLa = md({1, 1, C, 4, H}, tag::any), wIa = md({1, 1, H, 4, H}, tag::any);
  lstm_forward::desc fd(prop_kind::forward_training, rnn_direction::unidirectional_left2right, src, srcIter, srcIterC, wLa, wIa, b, dst, dstIter, dstIterC);
  lstm_forward::primitive_desc fpd(fd, eng);
  lstm_backward::desc bd(prop_kind::backward, rnn_direction::unidirectional_left2right, src, srcIter, srcIterC, wLa, wIa, b, dst, dstIter, dstIterC,
                         src, srcIter, srcIterC, wLa, wIa, b, dst, dstIter, dstIterC);
  lstm_backward::primitive_desc bpd(bd, eng, fpd);
  auto mk = [&](const memory::desc &d) { memory m(d, eng); float *p = (float*)m.get_data_handle(); for (size_t i = 0; i < d.get_size()/4; ++i) p[i] = 0.01f * (i % 7); return m; };
  memory mSrc = mk(src), mSI = mk(srcIter), mSC = mk(srcIterC), mWL = mk(fpd.weights_layer_desc()), mWI = mk(fpd.weights_iter_desc()), mB = mk(b), mD = mk(dst), mDI = mk(dstIter), mDC = mk(dstIterC);
  memory ws(fpd.workspace_desc(), eng);
  memory dSrc = mk(src), dSI = mk(srcIter), dSC = mk(srcIterC), dWL = mk(bpd.diff_weights_layer_desc()), dWI = mk(bpd.diff_weights_iter_desc()), dB = mk(b), dD = mk(dst), dDI = mk(dstIter), dDC = mk(dstIterC);
  lstm_forward f(fpd); lstm_backward bw(bpd);
  memory bWL = mk(bpd.weights_layer_desc()), bWI = mk(bpd.weights_iter_desc());
  auto run = [&] {
    f.execute(s, {{DNNL_ARG_SRC_LAYER, mSrc}, {DNNL_ARG_SRC_ITER, mSI}, {DNNL_ARG_SRC_ITER_C, mSC}, {DNNL_ARG_WEIGHTS_LAYER, mWL}, {DNNL_ARG_WEIGHTS_ITER, mWI}, {DNNL_ARG_BIAS, mB}, {DNNL_ARG_DST_LAYER, mD}, {DNNL_ARG_DST_ITER, mDI}, {DNNL_ARG_DST_ITER_C, mDC}, {DNNL_ARG_WORKSPACE, ws}});
    bw.execute(s, {{DNNL_ARG_SRC_LAYER, mSrc}, {DNNL_ARG_SRC_ITER, mSI}, {DNNL_ARG_SRC_ITER_C, mSC}, {DNNL_ARG_WEIGHTS_LAYER, bWL}, {DNNL_ARG_WEIGHTS_ITER, bWI}, {DNNL_ARG_BIAS, mB}, {DNNL_ARG_DST_LAYER, mD}, {DNNL_ARG_DST_ITER, mDI}, {DNNL_ARG_DST_ITER_C, mDC}, {DNNL_ARG_WORKSPACE, ws},
      {DNNL_ARG_DIFF_SRC_LAYER, dSrc}, {DNNL_ARG_DIFF_SRC_ITER, dSI}, {DNNL_ARG_DIFF_SRC_ITER_C, dSC}, {DNNL_ARG_DIFF_WEIGHTS_LAYER, dWL}, {DNNL_ARG_DIFF_WEIGHTS_ITER, dWI}, {DNNL_ARG_DIFF_BIAS, dB}, {DNNL_ARG_DIFF_DST_LAYER, dD}, {DNNL_ARG_DIFF_DST_ITER, dDI}, {DNNL_ARG_DIFF_DST_ITER_C, dDC}});
    s.wait(); };
  run(); run();
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i) run();
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / reps;
  printf("T=%d N=%d C=%d H=%d: %.2f ms fwd+bwd, %.0f samples/s\n", T, N, C, H, ms, N * 1000.0 / ms);
}
