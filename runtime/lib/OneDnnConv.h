//===- OneDnnConv.h - Shared by the convolution kernels ---------*- C++ -*-===//
//
// Private to the runtime: the placement of a window on an image, and the
// kernels of convolutions with one filter or one input channel and of the
// max pooling gradient of disjoint windows, which run partly on the host.
// The lowering chooses those kernels (their own C functions); the predicates
// here check, when a site builds its kernel, that the operands keep the
// contract the choice relied on.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_ONEDNNCONV_H
#define AENET_RUNTIME_ONEDNNCONV_H

#include "OneDnnSupport.h"

#include <vector>

namespace aenet::rt::dnnl_support {

/// Where a window is placed on an image.
struct Placement {
  dnnl::memory::dims strides, padL, padR;

  Placement(int64_t sh, int64_t sw, int64_t top, int64_t left, int64_t bottom,
            int64_t right)
      : strides{sh, sw}, padL{top, left}, padR{bottom, right} {}
};

/// The data of the caller's buffers in order, leaving out absent (null) ones:
/// what Kernel::run takes for a kernel with an optional bias.
template <typename... Buffers>
std::vector<float *> pointersOf(const Buffers *...buffers) {
  std::vector<float *> pointers;
  (..., (buffers ? pointers.push_back(buffers->data()) : void()));
  return pointers;
}

// Convolutions with one filter or one input channel (ThinConv.cpp), where
// oneDNN's direct convolution wastes 7 of its 8 channel lanes.

/// Whether conv2d of |x| by kernel |k| (and its kernel gradient) can run as
/// a one-filter convolution: |k| is [1, C, kh, kw] and contiguous, |x| is
/// NHWC.
bool isOneFilterConv(const MemRef<4> &x, const MemRef<4> &k);

/// Whether conv2d_grad_kernel of |x| [N, 1, H, W] and |dy| into |dk| can run
/// as a one-channel kernel gradient: |dy| is NHWC, |dk| contiguous.
bool isOneChannelConvGradKernel(const MemRef<4> &x, const MemRef<4> &dy,
                                const MemRef<4> &dk);

/// y = activation(conv2d(x, k) (+ bias)) for a one-filter |k|: one matrix
/// product of the kernel's taps [kh*kw, C] by the image's pixels [C,
/// N*H*W], then each output pixel's taps summed on the host, then
/// |activation| (an Activation; Linear for none) on y in place. Buffers in
/// the order x, k, (bias,) y.
Kernel oneFilterConv(const MemRef<4> &x, const MemRef<4> &k,
                     const MemRef<1> *bias, const MemRef<4> &y,
                     const Placement &p, int64_t activation);

/// dk (and db) of a one-filter conv2d: dy spread over the taps of the input
/// pixels it came from [kh*kw, N*H*W] on the host, then one matrix product
/// of x^T [C, N*H*W] by it. Buffers in the order x, dy, dk (, db).
Kernel oneFilterConvGradKernel(const MemRef<4> &x, const MemRef<4> &dy,
                               const MemRef<4> &dk, const MemRef<1> *db,
                               const Placement &p);

/// dk (and db) of a conv2d of a one-channel |x|: x's patches [kh*kw,
/// N*Ho*Wo] copied on the host, then one matrix product of dy^T [F,
/// N*Ho*Wo] by them. Buffers in the order x, dy, dk (, db).
Kernel oneChannelConvGradKernel(const MemRef<4> &x, const MemRef<4> &dy,
                                const MemRef<4> &dk, const MemRef<1> *db,
                                const Placement &p);

/// Whether |x| [N, C, H, W] is stored NHWC (or has one channel).
bool isNhwc(const MemRef<4> &x);

/// Whether maxpool2d_grad with a |kh| x |kw| window at |p| has windows that
/// neither overlap nor reach into padding, on NHWC x, dy and dx.
bool isDisjointMaxPool(const MemRef<4> &x, const MemRef<4> &dy,
                       const MemRef<4> &dx, int64_t kh, int64_t kw,
                       const Placement &p);

/// dx of such a max pooling, in one pass over x and dy on the host
/// (DisjointMaxPoolGrad.cpp). Buffers in the order x, dy, dx.
Kernel disjointMaxPoolGrad(const MemRef<4> &x, const MemRef<4> &dy,
                           const MemRef<4> &dx, int64_t kh, int64_t kw);

} // namespace aenet::rt::dnnl_support

#endif // AENET_RUNTIME_ONEDNNCONV_H
