//===- OneDnnConvKernels.cpp - oneDNN kernels of the convolution ops ------===//
//
// conv2d: convolution forward, backward data, and backward weights with the
// bias gradient in the same pass. conv2d_transpose: deconvolution forward
// (its gradients are conv2d and conv2d_grad_kernel ops, so they run on the
// kernels above). maxpool2d: max pooling forward; its gradient runs the
// forward again for the workspace oneDNN's backward needs (the lowering
// calls maxpool2d_grad_disjoint instead for disjoint windows: one pass on
// the host, DisjointMaxPoolGrad.cpp). upsample2d: nearest resampling forward
// and backward. The `_thin_` convolutions are ThinConv.cpp's matrix
// products, which the lowering picks for one filter or one input channel.
// The caller's buffers are [N, C, H, W] images in any strided layout and
// [out, in, kh, kw] kernels; every kernel builds its primitives, reorders
// and scratch memory on its call site's first call.
//
// Layouts. A primitive on plain NCHW gets oneDNN's slow implementations:
// gemm-based convolution (im2col) and "simple_nchw" pooling. Every image
// primitive here runs on NHWC instead, which has JIT kernels for all of them,
// and the compiled code allocates the images these kernels write as NHWC
// (see compiler/lib/Conversion/AenetToOneDNN/KernelCall.cpp), so images pass
// from kernel to kernel without reorders; a buffer in another layout (a
// gradient from the loops, say) is reordered in. Kernels stay in oneDNN's
// preferred blocked layout (`any`), reordered on each call (a few KB).
// NHWC runs the same JIT kernels as the blocked layouts `any` picks
// without their reorders; NCHW is several times slower for convolutions and
// pooling (the measurements are in bench/NOTES.md). The slow one-filter and
// one-input-channel cases run as matrix products instead (ThinConv.cpp).
//
//===----------------------------------------------------------------------===//

#include "OneDnnConv.h"

#include <vector>

using namespace dnnl;
using namespace aenet::rt::dnnl_support;
using aenet::rt::KernelSites;
using aenet::rt::MemRef;

namespace {

using tag = memory::format_tag;

/// |d|'s shape in the layout the primitive prefers.
memory::desc anyLayout(const memory::desc &d) {
  return memory::desc(d.dims(), memory::data_type::f32, tag::any);
}

/// [N, C, H, W] with strides from |m|.
memory::desc image(const MemRef<4> &m) { return describe(m); }

/// The [F, C, kh, kw] weights of conv2d_transpose's kernel k [C, F, kh, kw]:
/// the same storage with the first two axes swapped.
memory::desc swappedKernel(const MemRef<4> &k) {
  return memory::desc({k.sizes[1], k.sizes[0], k.sizes[2], k.sizes[3]},
                      memory::data_type::f32,
                      {k.strides[1], k.strides[0], k.strides[2],
                       k.strides[3]});
}

convolution_forward::desc convForward(const memory::desc &x,
                                      const memory::desc &k,
                                      const memory::desc *bias,
                                      const memory::desc &y,
                                      const Placement &p) {
  if (bias)
    return convolution_forward::desc(
        prop_kind::forward_training, algorithm::convolution_direct, x, k,
        *bias, y, p.strides, p.padL, p.padR);
  return convolution_forward::desc(prop_kind::forward_training,
                                   algorithm::convolution_direct, x, k, y,
                                   p.strides, p.padL, p.padR);
}

/// conv2d (with a bias when |bias| is set) as a convolution primitive,
/// its result through |activation| as a post-op.
void conv2d(KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *k,
            MemRef<1> *bias, MemRef<4> *y, const Placement &p,
            int64_t activation) {
  Kernel &kernel = atSite(sites, site, "conv2d", [&] {
    KernelBuilder b;
    memory xm = b.buffer(image(*x)), km = b.buffer(image(*k));
    memory bm = bias ? b.buffer(describe(*bias)) : memory();
    memory ym = b.buffer(image(*y));
    memory::desc bd = bias ? describe(*bias) : memory::desc();
    convolution_forward::primitive_desc pd(
        convForward(nhwc(xm.get_desc()), anyLayout(km.get_desc()),
                    bias ? &bd : nullptr, nhwc(ym.get_desc()), p),
        activationPostOp("conv2d_bias", activation), cpuEngine());
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, b.input(xm, pd.src_desc())},
        {DNNL_ARG_WEIGHTS, b.input(km, pd.weights_desc())},
        {DNNL_ARG_DST, b.output(ym, pd.dst_desc())}};
    if (bias)
      args[DNNL_ARG_BIAS] = bm;
    b.add(convolution_forward(pd), std::move(args));
    return b.finish();
  });
  kernel.run(pointersOf(x, k, bias, y));
}

/// conv2d_grad_kernel (and the bias gradient when |db| is set) as a
/// backward-weights primitive.
void conv2dGradKernel(KernelSites *sites, int64_t site, MemRef<4> *x,
                      MemRef<4> *dy, MemRef<4> *dk, MemRef<1> *db,
                      const Placement &p) {
  Kernel &kernel = atSite(sites, site, "conv2d_grad_kernel", [&] {
    KernelBuilder b;
    memory xm = b.buffer(image(*x)), dym = b.buffer(image(*dy));
    memory dkm = b.buffer(image(*dk));
    memory dbm = db ? b.buffer(describe(*db)) : memory();
    memory::desc bd = db ? describe(*db) : memory::desc();
    memory::desc xd = nhwc(xm.get_desc()), dyd = nhwc(dym.get_desc()),
                 dkd = anyLayout(dkm.get_desc());
    convolution_forward::primitive_desc hint(
        convForward(xd, dkd, db ? &bd : nullptr, dyd, p), cpuEngine());
    auto desc = db ? convolution_backward_weights::desc(
                         algorithm::convolution_direct, xd, dkd, bd, dyd,
                         p.strides, p.padL, p.padR)
                   : convolution_backward_weights::desc(
                         algorithm::convolution_direct, xd, dkd, dyd,
                         p.strides, p.padL, p.padR);
    convolution_backward_weights::primitive_desc pd(desc, cpuEngine(), hint);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, b.input(xm, pd.src_desc())},
        {DNNL_ARG_DIFF_DST, b.input(dym, pd.diff_dst_desc())},
        {DNNL_ARG_DIFF_WEIGHTS, b.output(dkm, pd.diff_weights_desc())}};
    if (db)
      args[DNNL_ARG_DIFF_BIAS] = dbm;
    b.add(convolution_backward_weights(pd), std::move(args));
    return b.finish();
  });
  kernel.run(pointersOf(x, dy, dk, db));
}

/// conv2d_transpose (with a bias when |bias| is set): a deconvolution, whose
/// weights [F, C, kh, kw] are the kernel read with its first axes swapped.
void conv2dTranspose(KernelSites *sites, int64_t site, MemRef<4> *x,
                     MemRef<4> *k, MemRef<1> *bias, MemRef<4> *y,
                     const Placement &p) {
  Kernel &kernel = atSite(sites, site, "conv2d_transpose", [&] {
    KernelBuilder b;
    memory xm = b.buffer(image(*x)), km = b.buffer(swappedKernel(*k));
    memory bm = bias ? b.buffer(describe(*bias)) : memory();
    memory ym = b.buffer(image(*y));
    memory::desc xd = nhwc(xm.get_desc()), kd = anyLayout(km.get_desc()),
                 yd = nhwc(ym.get_desc());
    auto desc = bias ? deconvolution_forward::desc(
                           prop_kind::forward_training,
                           algorithm::deconvolution_direct, xd, kd,
                           describe(*bias), yd, p.strides, p.padL, p.padR)
                     : deconvolution_forward::desc(
                           prop_kind::forward_training,
                           algorithm::deconvolution_direct, xd, kd, yd,
                           p.strides, p.padL, p.padR);
    deconvolution_forward::primitive_desc pd(desc, cpuEngine());
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, b.input(xm, pd.src_desc())},
        {DNNL_ARG_WEIGHTS, b.input(km, pd.weights_desc())},
        {DNNL_ARG_DST, b.output(ym, pd.dst_desc())}};
    if (bias)
      args[DNNL_ARG_BIAS] = bm;
    b.add(deconvolution_forward(pd), std::move(args));
    return b.finish();
  });
  kernel.run(pointersOf(x, k, bias, y));
}

/// Max pooling of |x| into |y| (both in NHWC) with |window| at |p|.
pooling_forward::desc poolForward(prop_kind prop, const memory::desc &x,
                                  const memory::desc &y,
                                  const memory::dims &window,
                                  const Placement &p) {
  return pooling_forward::desc(prop, algorithm::pooling_max, x, y, p.strides,
                               window, p.padL, p.padR);
}

} // namespace

extern "C" {

void _mlir_ciface_aenet_dnnl_conv2d(KernelSites *sites, int64_t site,
                                    MemRef<4> *x, MemRef<4> *k, MemRef<4> *y,
                                    int64_t sh, int64_t sw, int64_t top,
                                    int64_t left, int64_t bottom,
                                    int64_t right) {
  conv2d(sites, site, x, k, nullptr, y,
         Placement(sh, sw, top, left, bottom, right),
         static_cast<int64_t>(aenet::rt::Activation::Linear));
}

void _mlir_ciface_aenet_dnnl_conv2d_bias(KernelSites *sites, int64_t site,
                                         MemRef<4> *x, MemRef<4> *k,
                                         MemRef<1> *bias, MemRef<4> *y,
                                         int64_t sh, int64_t sw, int64_t top,
                                         int64_t left, int64_t bottom,
                                         int64_t right, int64_t activation) {
  conv2d(sites, site, x, k, bias, y,
         Placement(sh, sw, top, left, bottom, right), activation);
}

void _mlir_ciface_aenet_dnnl_conv2d_grad_input(
    KernelSites *sites, int64_t site, MemRef<4> *dy, MemRef<4> *k,
    MemRef<4> *dx, int64_t sh, int64_t sw, int64_t top, int64_t left,
    int64_t bottom, int64_t right) {
  Placement p(sh, sw, top, left, bottom, right);
  Kernel &kernel = atSite(sites, site, "conv2d_grad_input", [&] {
    KernelBuilder b;
    memory dym = b.buffer(image(*dy)), km = b.buffer(image(*k));
    memory dxm = b.buffer(image(*dx));
    memory::desc dxd = nhwc(dxm.get_desc()), kd = anyLayout(km.get_desc()),
                 dyd = nhwc(dym.get_desc());
    convolution_forward::primitive_desc hint(
        convForward(dxd, kd, nullptr, dyd, p), cpuEngine());
    convolution_backward_data::primitive_desc pd(
        convolution_backward_data::desc(algorithm::convolution_direct, dxd,
                                        kd, dyd, p.strides, p.padL, p.padR),
        cpuEngine(), hint);
    b.add(convolution_backward_data(pd),
          {{DNNL_ARG_DIFF_DST, b.input(dym, pd.diff_dst_desc())},
           {DNNL_ARG_WEIGHTS, b.input(km, pd.weights_desc())},
           {DNNL_ARG_DIFF_SRC, b.output(dxm, pd.diff_src_desc())}});
    return b.finish();
  });
  kernel.run({dy->data(), k->data(), dx->data()});
}

void _mlir_ciface_aenet_dnnl_conv2d_grad_kernel(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *dy,
    MemRef<4> *dk, int64_t sh, int64_t sw, int64_t top, int64_t left,
    int64_t bottom, int64_t right) {
  conv2dGradKernel(sites, site, x, dy, dk, nullptr,
                   Placement(sh, sw, top, left, bottom, right));
}

void _mlir_ciface_aenet_dnnl_conv2d_grad_kernel_bias(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *dy,
    MemRef<4> *dk, MemRef<1> *db, int64_t sh, int64_t sw, int64_t top,
    int64_t left, int64_t bottom, int64_t right) {
  conv2dGradKernel(sites, site, x, dy, dk, db,
                   Placement(sh, sw, top, left, bottom, right));
}

void _mlir_ciface_aenet_dnnl_conv2d_transpose(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *k,
    MemRef<4> *y, int64_t sh, int64_t sw, int64_t top, int64_t left,
    int64_t bottom, int64_t right) {
  conv2dTranspose(sites, site, x, k, nullptr, y,
                  Placement(sh, sw, top, left, bottom, right));
}

void _mlir_ciface_aenet_dnnl_conv2d_transpose_bias(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *k,
    MemRef<1> *bias, MemRef<4> *y, int64_t sh, int64_t sw, int64_t top,
    int64_t left, int64_t bottom, int64_t right) {
  conv2dTranspose(sites, site, x, k, bias, y,
                  Placement(sh, sw, top, left, bottom, right));
}

void _mlir_ciface_aenet_dnnl_maxpool2d(KernelSites *sites, int64_t site,
                                       MemRef<4> *x, MemRef<4> *y, int64_t kh,
                                       int64_t kw, int64_t sh, int64_t sw,
                                       int64_t top, int64_t left,
                                       int64_t bottom, int64_t right) {
  Placement p(sh, sw, top, left, bottom, right);
  Kernel &kernel = atSite(sites, site, "maxpool2d", [&] {
    KernelBuilder b;
    memory xm = b.buffer(image(*x)), ym = b.buffer(image(*y));
    pooling_forward::primitive_desc pd(
        poolForward(prop_kind::forward_inference, nhwc(xm.get_desc()),
                    nhwc(ym.get_desc()), {kh, kw}, p),
        cpuEngine());
    b.add(pooling_forward(pd),
          {{DNNL_ARG_SRC, b.input(xm, pd.src_desc())},
           {DNNL_ARG_DST, b.output(ym, pd.dst_desc())}});
    return b.finish();
  });
  kernel.run({x->data(), y->data()});
}

void _mlir_ciface_aenet_dnnl_maxpool2d_grad(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *dy,
    MemRef<4> *dx, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
    int64_t top, int64_t left, int64_t bottom, int64_t right) {
  Placement p(sh, sw, top, left, bottom, right);
  Kernel &kernel = atSite(sites, site, "maxpool2d_grad", [&] {
    KernelBuilder b;
    memory xm = b.buffer(image(*x)), dym = b.buffer(image(*dy));
    memory dxm = b.buffer(image(*dx));
    memory::desc xd = nhwc(xm.get_desc()), yd = nhwc(dym.get_desc());
    // The backward routes dy through the forward's workspace (the argmax of
    // each window); oneDNN's forward keeps the first maximum in row-major
    // order, the rule of aenet.maxpool2d_grad (BackendAgreementTest checks
    // it on ties).
    pooling_forward::primitive_desc fpd(
        poolForward(prop_kind::forward_training, xd, yd, {kh, kw}, p),
        cpuEngine());
    pooling_backward::primitive_desc bpd(
        pooling_backward::desc(algorithm::pooling_max, xd, yd, p.strides,
                               {kh, kw}, p.padL, p.padR),
        cpuEngine(), fpd);
    memory workspace = b.scratch(fpd.workspace_desc());
    b.add(pooling_forward(fpd),
          {{DNNL_ARG_SRC, b.input(xm, fpd.src_desc())},
           {DNNL_ARG_DST, b.scratch(fpd.dst_desc())},
           {DNNL_ARG_WORKSPACE, workspace}});
    b.add(pooling_backward(bpd),
          {{DNNL_ARG_DIFF_DST, b.input(dym, bpd.diff_dst_desc())},
           {DNNL_ARG_WORKSPACE, workspace},
           {DNNL_ARG_DIFF_SRC, b.output(dxm, bpd.diff_src_desc())}});
    return b.finish();
  });
  kernel.run({x->data(), dy->data(), dx->data()});
}

void _mlir_ciface_aenet_dnnl_upsample2d(KernelSites *sites, int64_t site,
                                        MemRef<4> *x, MemRef<4> *y) {
  Kernel &kernel = atSite(sites, site, "upsample2d", [&] {
    KernelBuilder b;
    memory xm = b.buffer(image(*x)), ym = b.buffer(image(*y));
    resampling_forward::primitive_desc pd(
        resampling_forward::desc(prop_kind::forward_training,
                                 algorithm::resampling_nearest,
                                 nhwc(xm.get_desc()), nhwc(ym.get_desc())),
        cpuEngine());
    b.add(resampling_forward(pd),
          {{DNNL_ARG_SRC, b.input(xm, pd.src_desc())},
           {DNNL_ARG_DST, b.output(ym, pd.dst_desc())}});
    return b.finish();
  });
  kernel.run({x->data(), y->data()});
}

void _mlir_ciface_aenet_dnnl_upsample2d_grad(KernelSites *sites, int64_t site,
                                             MemRef<4> *dy, MemRef<4> *dx) {
  Kernel &kernel = atSite(sites, site, "upsample2d_grad", [&] {
    KernelBuilder b;
    memory dym = b.buffer(image(*dy)), dxm = b.buffer(image(*dx));
    memory::desc xd = nhwc(dxm.get_desc()), yd = nhwc(dym.get_desc());
    resampling_forward::primitive_desc hint(
        resampling_forward::desc(prop_kind::forward_training,
                                 algorithm::resampling_nearest, xd, yd),
        cpuEngine());
    resampling_backward::primitive_desc pd(
        resampling_backward::desc(algorithm::resampling_nearest, xd, yd),
        cpuEngine(), hint);
    b.add(resampling_backward(pd),
          {{DNNL_ARG_DIFF_DST, b.input(dym, pd.diff_dst_desc())},
           {DNNL_ARG_DIFF_SRC, b.output(dxm, pd.diff_src_desc())}});
    return b.finish();
  });
  kernel.run({dy->data(), dx->data()});
}

} // extern "C"
