//===- DisjointMaxPoolGrad.cpp - Max pooling gradient of disjoint windows -===//
//
// oneDNN's max pooling backward reads the argmax of each window from a
// workspace that only its forward_training writes, and the compiled code's
// forward pass (shared with evaluation) runs forward_inference, so the
// gradient ran the forward again, a quarter of conv_ae's training step
// (bench/NOTES.md). When the windows
// neither overlap nor touch padding (a window's stride equals its extent,
// maxpool(2x2)'s case), each input element belongs to at most one window
// and the gradient is one pass over x and dy: dy goes to the first maximum
// of its window in row-major order (aenet.maxpool2d_grad's rule, oneDNN's
// too), 0 to the rest and to rows and columns no window reads, in a fifth of
// the time. The lowering calls this kernel
// (`aenet_dnnl_maxpool2d_grad_disjoint`) where the windows and layouts
// allow; other windows keep oneDNN's primitives (maxpool2d_grad).
//
//===----------------------------------------------------------------------===//

#include "OneDnnConv.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace aenet::rt::dnnl_support {

bool isDisjointMaxPool(const MemRef<4> &x, const MemRef<4> &dy,
                       const MemRef<4> &dx, int64_t kh, int64_t kw,
                       const Placement &p) {
  bool unpadded = p.padL[0] == 0 && p.padL[1] == 0 && p.padR[0] == 0 &&
                  p.padR[1] == 0;
  return p.strides[0] == kh && p.strides[1] == kw && unpadded &&
         isNhwc(x) && isNhwc(dy) && isNhwc(dx);
}

Kernel disjointMaxPoolGrad(const MemRef<4> &x, const MemRef<4> &dy,
                           const MemRef<4> &dx, int64_t kh, int64_t kw) {
  KernelBuilder b;
  dnnl::memory xm = b.buffer(describe(x)), dym = b.buffer(describe(dy));
  dnnl::memory dxm = b.buffer(describe(dx));
  int64_t n = x.sizes[0], channels = x.sizes[1], h = x.sizes[2];
  int64_t w = x.sizes[3];
  int64_t oh = dy.sizes[2], ow = dy.sizes[3];
  int32_t taps = static_cast<int32_t>(kh * kw);
  // Where each tap of a window is, from the window's first element.
  std::vector<int64_t> offsets(taps);
  for (int64_t t = 0; t < taps; ++t)
    offsets[t] = ((t / kw) * w + t % kw) * channels;
  b.addHost([=] {
    const float *__restrict in =
        static_cast<const float *>(xm.get_data_handle());
    const float *grad = static_cast<const float *>(dym.get_data_handle());
    float *__restrict out = static_cast<float *>(dxm.get_data_handle());
    // Locals, not the closure's members, which stores could alias: the
    // channel loops need known trip counts to vectorize.
    const int64_t c = channels;
    // Rows below the last window and columns right of it get no gradient.
#pragma omp parallel for collapse(2) schedule(static)
    for (int64_t i = 0; i < n; ++i)
      for (int64_t y = 0; y < h; ++y) {
        float *row = out + (i * h + y) * w * c;
        if (y >= oh * kh)
          std::fill(row, row + w * c, 0.f);
        else
          std::fill(row + ow * kw * c, row + w * c, 0.f);
      }
    // Per window, channels innermost (contiguous in NHWC): the running
    // maximum and its tap for every channel, then dy or 0 to each tap.
#pragma omp parallel
    {
      std::vector<float> maxima(c);
      std::vector<int32_t> argmax(c);
      // Unaliased and branch-free, so that the channel loops vectorize.
      float *__restrict max = maxima.data();
      int32_t *__restrict best = argmax.data();
#pragma omp for collapse(2) schedule(static)
      for (int64_t i = 0; i < n; ++i)
        for (int64_t oy = 0; oy < oh; ++oy)
          for (int64_t ox = 0; ox < ow; ++ox) {
            const float *__restrict g = grad + ((i * oh + oy) * ow + ox) * c;
            int64_t corner = ((i * h + oy * kh) * w + ox * kw) * c;
            for (int64_t ch = 0; ch < c; ++ch) {
              max[ch] = in[corner + ch];
              best[ch] = 0;
            }
            for (int32_t t = 1; t < taps; ++t) {
              const float *__restrict v = in + corner + offsets[t];
              for (int64_t ch = 0; ch < c; ++ch) {
                int32_t above = -static_cast<int32_t>(v[ch] > max[ch]);
                max[ch] = std::max(max[ch], v[ch]);
                best[ch] = (best[ch] & ~above) | (t & above);
              }
            }
            for (int32_t t = 0; t < taps; ++t) {
              float *__restrict d = out + corner + offsets[t];
              for (int64_t ch = 0; ch < c; ++ch) {
                // dy's bits where this tap is the maximum, else +0.
                uint32_t bits;
                std::memcpy(&bits, &g[ch], sizeof bits);
                bits &= -static_cast<uint32_t>(best[ch] == t);
                std::memcpy(&d[ch], &bits, sizeof bits);
              }
            }
          }
    }
  });
  return b.finish();
}

} // namespace aenet::rt::dnnl_support

extern "C" void _mlir_ciface_aenet_dnnl_maxpool2d_grad_disjoint(
    aenet::rt::KernelSites *sites, int64_t site, aenet::rt::MemRef<4> *x,
    aenet::rt::MemRef<4> *dy, aenet::rt::MemRef<4> *dx, int64_t kh,
    int64_t kw) {
  using namespace aenet::rt::dnnl_support;
  const char *name = "maxpool2d_grad_disjoint";
  Kernel &kernel = atSite(sites, site, name, [&] {
    if (!isDisjointMaxPool(*x, *dy, *dx, kh, kw, Placement(kh, kw, 0, 0, 0, 0)))
      contractBroken(name, "images not in NHWC");
    return disjointMaxPoolGrad(*x, *dy, *dx, kh, kw);
  });
  kernel.run({x->data(), dy->data(), dx->data()});
}
