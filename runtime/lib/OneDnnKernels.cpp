//===- OneDnnKernels.cpp - oneDNN primitives behind a C ABI ---------------===//
//
// The dense and activation kernels, and the JIT's symbol map, built from
// the kernel table OneDnnKernels.def (the convolution kernels are in
// OneDnnConvKernels.cpp, the per-site state in OneDnnSupport.h). Descriptors
// carry the caller's strides, so transposed operands are read in place,
// never copied.
// oneDNN reports failures as exceptions; compiled code cannot take them, so
// a failure prints what failed and aborts.
//
//===----------------------------------------------------------------------===//

#include "OneDnnSupport.h"

#include <cstdio>
#include <cstdlib>

using namespace dnnl;
using namespace aenet::rt::dnnl_support;
using aenet::rt::KernelSites;
using aenet::rt::MemRef;

namespace {

/// A kernel of one primitive reading and writing the caller's buffers in
/// place, declared in the order of |args|.
Kernel single(primitive prim,
              const std::vector<std::pair<int, memory::desc>> &args) {
  KernelBuilder b;
  std::unordered_map<int, memory> map;
  for (const auto &[arg, desc] : args)
    map.emplace(arg, b.buffer(desc));
  b.add(std::move(prim), std::move(map));
  return b.finish();
}

/// A matrix read transposed: the [rows, columns] view of |m|'s storage
/// swapped.
memory::desc transposed(const MemRef<2> &m) {
  return memory::desc({m.sizes[1], m.sizes[0]}, memory::data_type::f32,
                      {m.strides[1], m.strides[0]});
}

[[noreturn]] void unsupported(const char *what, int64_t kind) {
  std::fprintf(stderr,
               "aec: internal error: no oneDNN %s for activation kind %lld\n",
               what, static_cast<long long>(kind));
  std::abort();
}

/// y = activation(x) for the caller's buffers |x| and |y|, run on layout
/// |run| (a caller's buffer in another layout is reordered).
Kernel eltwiseForward(const Eltwise &e, const memory::desc &x,
                      const memory::desc &y, const memory::desc &run) {
  KernelBuilder b;
  memory xm = b.buffer(x), ym = b.buffer(y);
  eltwise_forward::primitive_desc pd(
      eltwise_forward::desc(prop_kind::forward_training, e.forward, run,
                            e.alpha, e.beta),
      cpuEngine());
  b.add(eltwise_forward(pd), {{DNNL_ARG_SRC, b.input(xm, pd.src_desc())},
                              {DNNL_ARG_DST, b.output(ym, pd.dst_desc())}});
  return b.finish();
}

/// dx from the activation's output |y| and |dy|, run on layout |run|.
Kernel eltwiseBackward(const Eltwise &e, const memory::desc &y,
                       const memory::desc &dy, const memory::desc &dx,
                       const memory::desc &run) {
  KernelBuilder b;
  memory ym = b.buffer(y), dym = b.buffer(dy), dxm = b.buffer(dx);
  eltwise_forward::primitive_desc hint(
      eltwise_forward::desc(prop_kind::forward_training, e.backward, run,
                            e.alpha, e.beta),
      cpuEngine());
  eltwise_backward::primitive_desc pd(
      eltwise_backward::desc(e.backward, run, run, e.alpha, e.beta),
      cpuEngine(), hint);
  b.add(eltwise_backward(pd),
        {{DNNL_ARG_DST, b.input(ym, pd.dst_desc())},
         {DNNL_ARG_DIFF_DST, b.input(dym, pd.diff_dst_desc())},
         {DNNL_ARG_DIFF_SRC, b.output(dxm, pd.diff_src_desc())}});
  return b.finish();
}

} // namespace

namespace aenet::rt {

std::vector<std::pair<const char *, void *>> oneDnnKernelSymbols() {
  // Every row of the table: a row without a kernel fails to link.
#define AENET_DNNL_KERNEL(name, ...)                                           \
  {"_mlir_ciface_aenet_dnnl_" #name,                                           \
   reinterpret_cast<void *>(&_mlir_ciface_aenet_dnnl_##name)},
  return {
#include "aenet/Runtime/OneDnnKernels.def"
  };
#undef AENET_DNNL_KERNEL
}

} // namespace aenet::rt

extern "C" {

void _mlir_ciface_aenet_dnnl_matmul(KernelSites *sites, int64_t site,
                                    MemRef<2> *a, MemRef<2> *b, MemRef<2> *c,
                                    int64_t transposeA, int64_t transposeB) {
  Kernel &k = atSite(sites, site, "matmul", [&] {
    memory::desc ad = transposeA ? transposed(*a) : describe(*a);
    memory::desc bd = transposeB ? transposed(*b) : describe(*b);
    memory::desc cd = describe(*c);
    matmul::primitive_desc pd(matmul::desc(ad, bd, cd), cpuEngine());
    return single(matmul(pd), {{DNNL_ARG_SRC, ad},
                               {DNNL_ARG_WEIGHTS, bd},
                               {DNNL_ARG_DST, cd}});
  });
  k.run({a->data(), b->data(), c->data()});
}

void _mlir_ciface_aenet_dnnl_matmul_bias(KernelSites *sites, int64_t site,
                                         MemRef<2> *a, MemRef<2> *b,
                                         MemRef<1> *bias, MemRef<2> *c,
                                         int64_t activation) {
  Kernel &k = atSite(sites, site, "matmul_bias", [&] {
    memory::desc ad = describe(*a), bd = describe(*b), cd = describe(*c);
    memory::desc biasd({1, bias->sizes[0]}, memory::data_type::f32,
                       {bias->sizes[0] * bias->strides[0], bias->strides[0]});
    matmul::primitive_desc pd(matmul::desc(ad, bd, biasd, cd),
                              activationPostOp("matmul_bias", activation),
                              cpuEngine());
    return single(matmul(pd), {{DNNL_ARG_SRC, ad},
                               {DNNL_ARG_WEIGHTS, bd},
                               {DNNL_ARG_BIAS, biasd},
                               {DNNL_ARG_DST, cd}});
  });
  k.run({a->data(), b->data(), bias->data(), c->data()});
}

void _mlir_ciface_aenet_dnnl_activation(KernelSites *sites, int64_t site,
                                        MemRef<2> *x, MemRef<2> *y,
                                        int64_t kind) {
  Kernel &k = atSite(sites, site, "activation", [&] {
    memory::desc xd = describe(*x), yd = describe(*y);
    if (static_cast<aenet::rt::Activation>(kind) ==
        aenet::rt::Activation::Softmax) {
      softmax_forward::primitive_desc pd(
          softmax_forward::desc(prop_kind::forward_training, xd, 1),
          cpuEngine());
      return single(softmax_forward(pd),
                    {{DNNL_ARG_SRC, xd}, {DNNL_ARG_DST, yd}});
    }
    Eltwise e;
    if (!eltwiseFor(kind, e))
      unsupported("activation", kind);
    return eltwiseForward(e, xd, yd, xd);
  });
  k.run({x->data(), y->data()});
}

void _mlir_ciface_aenet_dnnl_activation_grad(KernelSites *sites, int64_t site,
                                             MemRef<2> *y, MemRef<2> *dy,
                                             MemRef<2> *dx, int64_t kind) {
  Kernel &k = atSite(sites, site, "activation_grad", [&] {
    memory::desc yd = describe(*y), dyd = describe(*dy), dxd = describe(*dx);
    if (static_cast<aenet::rt::Activation>(kind) ==
        aenet::rt::Activation::Softmax) {
      softmax_forward::primitive_desc hint(
          softmax_forward::desc(prop_kind::forward_training, yd, 1),
          cpuEngine());
      softmax_backward::primitive_desc pd(softmax_backward::desc(dyd, yd, 1),
                                          cpuEngine(), hint);
      return single(softmax_backward(pd),
                    {{DNNL_ARG_DST, yd},
                     {DNNL_ARG_DIFF_DST, dyd},
                     {DNNL_ARG_DIFF_SRC, dxd}});
    }
    Eltwise e;
    if (!eltwiseFor(kind, e))
      unsupported("activation gradient", kind);
    return eltwiseBackward(e, yd, dyd, dxd, yd);
  });
  k.run({y->data(), dy->data(), dx->data()});
}

void _mlir_ciface_aenet_dnnl_image_activation(KernelSites *sites,
                                              int64_t site, MemRef<4> *x,
                                              MemRef<4> *y, int64_t kind) {
  Kernel &k = atSite(sites, site, "image_activation", [&] {
    Eltwise e;
    if (!eltwiseFor(kind, e))
      unsupported("image activation", kind);
    memory::desc xd = describe(*x);
    return eltwiseForward(e, xd, describe(*y), nhwc(xd));
  });
  k.run({x->data(), y->data()});
}

void _mlir_ciface_aenet_dnnl_image_activation_grad(KernelSites *sites,
                                                   int64_t site, MemRef<4> *y,
                                                   MemRef<4> *dy,
                                                   MemRef<4> *dx,
                                                   int64_t kind) {
  Kernel &k = atSite(sites, site, "image_activation_grad", [&] {
    Eltwise e;
    if (!eltwiseFor(kind, e))
      unsupported("image activation gradient", kind);
    memory::desc yd = describe(*y);
    return eltwiseBackward(e, yd, describe(*dy), describe(*dx), nhwc(yd));
  });
  k.run({y->data(), dy->data(), dx->data()});
}

} // extern "C"
