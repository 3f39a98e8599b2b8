//===- OneDnnKernels.h - oneDNN primitives behind a C ABI -------*- C++ -*-===//
//
// What compiled code calls on the oneDNN backend. Each kernel takes memref
// descriptors, the layout MLIR's C interface passes (`llvm.emit_c_interface`),
// plus integer flags, and runs a oneDNN primitive that is created once per
// shape and reused on every later call. Knows nothing of the language or of
// MLIR beyond that descriptor layout.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_ONEDNNKERNELS_H
#define AENET_RUNTIME_ONEDNNKERNELS_H

#include <cstdint>
#include <utility>
#include <vector>

namespace aenet::rt {

/// A ranked f32 memref descriptor: allocated and aligned pointers, offset,
/// sizes, strides (in elements).
template <int Rank> struct MemRef {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[Rank];
  int64_t strides[Rank];
  float *data() const { return aligned + offset; }
};

/// Activation kinds, numbered as the aenet dialect's ActivationKind.
enum class DnnlActivation : int64_t {
  Linear = 0,
  Relu = 1,
  Sigmoid = 2,
  Tanh = 3,
  Softmax = 4,
  HardSigmoid = 5,
  Relu6 = 6,
  LeakyRelu = 7,
  Elu = 8,
};

/// Whether oneDNN runs activation |kind| forward, and backward from the
/// output (the only form the dialect's activation_grad has).
bool dnnlSupportsActivation(int64_t kind);
bool dnnlSupportsActivationGrad(int64_t kind);

/// The C symbols of every kernel and their addresses, for the JIT.
std::vector<std::pair<const char *, void *>> oneDnnKernelSymbols();

/// Primitives created so far (for tests: a second call of one shape must
/// not add one).
int64_t oneDnnPrimitiveCount();

} // namespace aenet::rt

extern "C" {
/// c = op(a) * op(b), op transposing when the flag is set; a is [M, K] (or
/// [K, M] transposed), b is [K, N] (or [N, K]), c is [M, N].
void _mlir_ciface_aenet_dnnl_matmul(aenet::rt::MemRef<2> *a,
                                    aenet::rt::MemRef<2> *b,
                                    aenet::rt::MemRef<2> *c,
                                    int64_t transposeA, int64_t transposeB);
/// c = a * b + bias (bias [N] broadcast over rows).
void _mlir_ciface_aenet_dnnl_matmul_bias(aenet::rt::MemRef<2> *a,
                                         aenet::rt::MemRef<2> *b,
                                         aenet::rt::MemRef<1> *bias,
                                         aenet::rt::MemRef<2> *c);
/// y = activation(x), elementwise over all elements (softmax: over the last
/// axis of the [rows, columns] view).
void _mlir_ciface_aenet_dnnl_activation(aenet::rt::MemRef<2> *x,
                                        aenet::rt::MemRef<2> *y,
                                        int64_t kind);
/// dx from the activation's output y and dy.
void _mlir_ciface_aenet_dnnl_activation_grad(aenet::rt::MemRef<2> *y,
                                             aenet::rt::MemRef<2> *dy,
                                             aenet::rt::MemRef<2> *dx,
                                             int64_t kind);

/// y = activation(x) of images [N, C, H, W] (not softmax), run on NHWC:
/// buffers in another layout are reordered in and out.
void _mlir_ciface_aenet_dnnl_image_activation(aenet::rt::MemRef<4> *x,
                                              aenet::rt::MemRef<4> *y,
                                              int64_t kind);
/// dx from the output y and dy of an image activation, on NHWC.
void _mlir_ciface_aenet_dnnl_image_activation_grad(aenet::rt::MemRef<4> *y,
                                                   aenet::rt::MemRef<4> *dy,
                                                   aenet::rt::MemRef<4> *dx,
                                                   int64_t kind);

// The convolution kernels take [N, C, H, W] images in any strided layout
// (they run on NHWC; the compiled code passes them NHWC) and
// [out, in, kh, kw] kernels as the aenet ops do, with the window's placement as the ops give it: strides
// |sh|, |sw| and pads |top|, |left|, |bottom|, |right|.

/// y = conv2d(x, k) (+ bias): x [N, C, H, W], k [F, C, kh, kw], bias [F],
/// y [N, F, Ho, Wo].
void _mlir_ciface_aenet_dnnl_conv2d(aenet::rt::MemRef<4> *x,
                                    aenet::rt::MemRef<4> *k,
                                    aenet::rt::MemRef<4> *y, int64_t sh,
                                    int64_t sw, int64_t top, int64_t left,
                                    int64_t bottom, int64_t right);
void _mlir_ciface_aenet_dnnl_conv2d_bias(
    aenet::rt::MemRef<4> *x, aenet::rt::MemRef<4> *k,
    aenet::rt::MemRef<1> *bias, aenet::rt::MemRef<4> *y, int64_t sh,
    int64_t sw, int64_t top, int64_t left, int64_t bottom, int64_t right);
/// dx [N, C, H, W] of a conv2d from dy [N, F, Ho, Wo] and k [F, C, kh, kw].
void _mlir_ciface_aenet_dnnl_conv2d_grad_input(
    aenet::rt::MemRef<4> *dy, aenet::rt::MemRef<4> *k,
    aenet::rt::MemRef<4> *dx, int64_t sh, int64_t sw, int64_t top,
    int64_t left, int64_t bottom, int64_t right);
/// dk [F, C, kh, kw] of a conv2d from x [N, C, H, W] and dy [N, F, Ho, Wo];
/// with `_bias`, also db [F] (dy summed over N, Ho and Wo) in the same pass.
void _mlir_ciface_aenet_dnnl_conv2d_grad_kernel(
    aenet::rt::MemRef<4> *x, aenet::rt::MemRef<4> *dy,
    aenet::rt::MemRef<4> *dk, int64_t sh, int64_t sw, int64_t top,
    int64_t left, int64_t bottom, int64_t right);
void _mlir_ciface_aenet_dnnl_conv2d_grad_kernel_bias(
    aenet::rt::MemRef<4> *x, aenet::rt::MemRef<4> *dy,
    aenet::rt::MemRef<4> *dk, aenet::rt::MemRef<1> *db, int64_t sh,
    int64_t sw, int64_t top, int64_t left, int64_t bottom, int64_t right);
/// y = conv2d_transpose(x, k) (+ bias): x [N, C, H, W], k [C, F, kh, kw],
/// bias [F], y [N, F, Ho, Wo]; strides and pads are those of the conv2d it
/// transposes.
void _mlir_ciface_aenet_dnnl_conv2d_transpose(
    aenet::rt::MemRef<4> *x, aenet::rt::MemRef<4> *k,
    aenet::rt::MemRef<4> *y, int64_t sh, int64_t sw, int64_t top,
    int64_t left, int64_t bottom, int64_t right);
void _mlir_ciface_aenet_dnnl_conv2d_transpose_bias(
    aenet::rt::MemRef<4> *x, aenet::rt::MemRef<4> *k,
    aenet::rt::MemRef<1> *bias, aenet::rt::MemRef<4> *y, int64_t sh,
    int64_t sw, int64_t top, int64_t left, int64_t bottom, int64_t right);
/// y = the maximum of each |kh| x |kw| window of x; padding never wins.
void _mlir_ciface_aenet_dnnl_maxpool2d(aenet::rt::MemRef<4> *x,
                                       aenet::rt::MemRef<4> *y, int64_t kh,
                                       int64_t kw, int64_t sh, int64_t sw,
                                       int64_t top, int64_t left,
                                       int64_t bottom, int64_t right);
/// dx of maxpool2d from its input x and dy: each window's dy goes to the
/// window's first maximum in row-major order.
void _mlir_ciface_aenet_dnnl_maxpool2d_grad(
    aenet::rt::MemRef<4> *x, aenet::rt::MemRef<4> *dy,
    aenet::rt::MemRef<4> *dx, int64_t kh, int64_t kw, int64_t sh,
    int64_t sw, int64_t top, int64_t left, int64_t bottom, int64_t right);
/// y = x upsampled (nearest) by the integer factors the shapes give.
void _mlir_ciface_aenet_dnnl_upsample2d(aenet::rt::MemRef<4> *x,
                                        aenet::rt::MemRef<4> *y);
/// dx: dy summed over each factor-sized block.
void _mlir_ciface_aenet_dnnl_upsample2d_grad(aenet::rt::MemRef<4> *dy,
                                             aenet::rt::MemRef<4> *dx);
}

#endif // AENET_RUNTIME_ONEDNNKERNELS_H
