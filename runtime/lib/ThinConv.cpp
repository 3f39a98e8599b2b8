//===- ThinConv.cpp - Convolutions with one filter or one input channel --===//
//
// oneDNN's direct convolutions work on blocks of 8 channels. With a single
// output channel (an autoencoder's last layer, 16 or 64 channels to 1) the
// forward and the kernel gradient throw 7 of 8 lanes away; with a single
// input channel (the first layer) the kernel gradient does. The same sums
// as matrix products (oneDNN's matmul) of the image's pixels and the
// kernel's taps, with each tap's shifted copy of a one-channel image made on
// the host, are 2-10 times faster (bench/NOTES.md). Backward data has no
// such problem and stays a convolution primitive.
//
// Tap-major matrices [kh*kw, pixels] keep the host loops contiguous along
// image rows. The host loops run on oneDNN's OpenMP threads. The lowering
// calls these kernels by name (`aenet_dnnl_conv2d_thin_output`,
// `..._grad_kernel_thin_output`, `..._grad_kernel_thin_input`) where the
// shapes and layouts allow; they are defined at the end of this file.
//
//===----------------------------------------------------------------------===//

#include "OneDnnConv.h"

#include <vector>

using namespace dnnl;

namespace aenet::rt::dnnl_support {

namespace {

using Table = std::vector<int64_t>;

/// Where a window's taps land along one axis.
struct Axis {
  int64_t inputs, outputs, taps, stride, pad;

  /// [o * taps + t]: the input position output o reads through tap t, or
  /// -1 in the padding.
  Table reads() const {
    Table table(outputs * taps);
    for (int64_t o = 0; o < outputs; ++o)
      for (int64_t t = 0; t < taps; ++t) {
        int64_t i = o * stride - pad + t;
        table[o * taps + t] = i >= 0 && i < inputs ? i : -1;
      }
    return table;
  }
  /// [i * taps + t]: the output position that reads input i through tap
  /// t, or -1 when none does.
  Table readBy() const {
    Table table(inputs * taps, -1);
    for (int64_t o = 0; o < outputs; ++o)
      for (int64_t t = 0; t < taps; ++t) {
        int64_t i = o * stride - pad + t;
        if (i >= 0 && i < inputs)
          table[i * taps + t] = o;
      }
    return table;
  }
};

/// A one-channel image [N, 1, rows, cols] in any strides.
struct Plane {
  int64_t n, rows, cols, batchStride, rowStride, colStride;

  static Plane of(const MemRef<4> &m) {
    return {m.sizes[0], m.sizes[2], m.sizes[3],
            m.strides[0], m.strides[2], m.strides[3]};
  }
};

/// For each tap (ty, tx): the plane |from| read through the position maps
/// |rowMap| [r * kh + ty] and |colMap| [c * kw + tx] onto a grid of
/// |rows| x |cols| (0 where a map gives -1), written tap-major into |to|
/// [kh * kw, N * rows * cols].
void tapCopies(const float *from, const Plane &p, int64_t rows, int64_t cols,
               int64_t kh, int64_t kw, const Table &rowMap,
               const Table &colMap, float *to) {
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t t = 0; t < kh * kw; ++t)
    for (int64_t n = 0; n < p.n; ++n) {
      int64_t ty = t / kw, tx = t % kw;
      float *out = to + (t * p.n + n) * rows * cols;
      for (int64_t r = 0; r < rows; ++r, out += cols) {
        int64_t sr = rowMap[r * kh + ty];
        if (sr < 0) {
          std::fill(out, out + cols, 0.f);
          continue;
        }
        const float *src = from + n * p.batchStride + sr * p.rowStride;
        for (int64_t c = 0; c < cols; ++c) {
          int64_t sc = colMap[c * kw + tx];
          out[c] = sc >= 0 ? src[sc * p.colStride] : 0.f;
        }
      }
    }
}

/// [F, C, kh, kw] stored contiguously: the matrix [F * C, kh * kw].
bool isContiguousKernel(const MemRef<4> &k) {
  return k.strides[3] == 1 && k.strides[2] == k.sizes[3] &&
         k.strides[1] == k.sizes[2] * k.sizes[3] &&
         k.strides[0] == k.sizes[1] * k.strides[1];
}

/// The transposed pixel matrix [C, N*H*W] of an NHWC image.
memory::desc pixelsByChannel(const MemRef<4> &x) {
  int64_t c = x.sizes[1];
  return memory::desc({c, x.sizes[0] * x.sizes[2] * x.sizes[3]},
                      memory::data_type::f32, {1, c});
}

memory::desc rowMajor(int64_t rows, int64_t cols) {
  return memory::desc({rows, cols}, memory::data_type::f32,
                      memory::format_tag::ab);
}

/// A tap-major matrix [taps, pixels] read as its transpose [pixels, taps].
memory::desc transposedTapMajor(int64_t taps, int64_t pixels) {
  return memory::desc({pixels, taps}, memory::data_type::f32, {1, pixels});
}

float *dataOf(const memory &m) {
  return static_cast<float *>(m.get_data_handle());
}

Axis rowAxis(const MemRef<4> &x, const MemRef<4> &k, const MemRef<4> &y,
             const Placement &p) {
  return {x.sizes[2], y.sizes[2], k.sizes[2], p.strides[0], p.padL[0]};
}

Axis colAxis(const MemRef<4> &x, const MemRef<4> &k, const MemRef<4> &y,
             const Placement &p) {
  return {x.sizes[3], y.sizes[3], k.sizes[3], p.strides[1], p.padL[1]};
}

} // namespace

bool isNhwc(const MemRef<4> &x) {
  int64_t c = x.sizes[1], w = x.sizes[3];
  return (c == 1 || x.strides[1] == 1) && x.strides[3] == c &&
         x.strides[2] == w * c && x.strides[0] == x.sizes[2] * w * c;
}

bool isOneFilterConv(const MemRef<4> &x, const MemRef<4> &k) {
  return k.sizes[0] == 1 && isNhwc(x) && isContiguousKernel(k);
}

bool isOneChannelConvGradKernel(const MemRef<4> &x, const MemRef<4> &dy,
                                const MemRef<4> &dk) {
  return x.sizes[1] == 1 && dk.sizes[0] > 1 && isNhwc(dy) &&
         isContiguousKernel(dk);
}

Kernel oneFilterConv(const MemRef<4> &x, const MemRef<4> &k,
                     const MemRef<1> *bias, const MemRef<4> &y,
                     const Placement &p, int64_t activation) {
  Axis rows = rowAxis(x, k, y, p), cols = colAxis(x, k, y, p);
  int64_t c = x.sizes[1], taps = rows.taps * cols.taps;
  int64_t pixels = x.sizes[0] * rows.inputs * cols.inputs;
  KernelBuilder b;
  memory xm = b.buffer(pixelsByChannel(x));
  // The kernel [1, C, kh, kw] as [taps, C].
  memory km = b.buffer(
      memory::desc({taps, c}, memory::data_type::f32, {1, taps}));
  memory bm = bias ? b.buffer(describe(*bias)) : memory();
  memory ym = b.buffer(describe(y));
  // products[t][pixel]: the pixel's channels times tap t's weights.
  memory products = b.scratch(rowMajor(taps, pixels));
  matmul::primitive_desc pd(
      matmul::desc(km.get_desc(), xm.get_desc(), products.get_desc()),
      cpuEngine());
  b.add(matmul(pd), {{DNNL_ARG_SRC, km},
                     {DNNL_ARG_WEIGHTS, xm},
                     {DNNL_ARG_DST, products}});
  // y[n, oy, ox] = bias + the sum over taps t of the product of the pixel
  // that tap reads.
  Table rowReads = rows.reads(), colReads = cols.reads();
  Plane output = Plane::of(y);
  Axis rowGeometry = rows, colGeometry = cols;
  bool hasBias = bias != nullptr;
  b.addHost([=] {
    const float *prod = dataOf(products);
    float *dst = dataOf(ym);
    float b0 = hasBias ? dataOf(bm)[0] : 0.f;
    // Locals, not the closure's members, which stores could alias: the
    // column loops need known trip counts to vectorize.
    const Plane out = output;
    const Axis rows = rowGeometry, cols = colGeometry;
#pragma omp parallel
    {
      std::vector<float> line(out.cols);
#pragma omp for collapse(2) schedule(static)
      for (int64_t n = 0; n < out.n; ++n)
        for (int64_t oy = 0; oy < out.rows; ++oy) {
          std::fill(line.begin(), line.end(), b0);
          for (int64_t ty = 0; ty < rows.taps; ++ty) {
            int64_t iy = rowReads[oy * rows.taps + ty];
            if (iy < 0)
              continue;
            for (int64_t tx = 0; tx < cols.taps; ++tx) {
              const float *src = prod + (ty * cols.taps + tx) * pixels +
                                 (n * rows.inputs + iy) * cols.inputs;
              for (int64_t ox = 0; ox < out.cols; ++ox) {
                int64_t ix = colReads[ox * cols.taps + tx];
                if (ix >= 0)
                  line[ox] += src[ix];
              }
            }
          }
          float *row = dst + n * out.batchStride + oy * out.rowStride;
          for (int64_t ox = 0; ox < out.cols; ++ox)
            row[ox * out.colStride] = line[ox];
        }
    }
  });
  // The activation on y in place, while it is in cache: the output is one
  // channel, so the pass is 1/C of the products' and needs no buffer of
  // its own.
  if (static_cast<aenet::rt::Activation>(activation) !=
      aenet::rt::Activation::Linear) {
    Eltwise e;
    if (!eltwiseFor(activation, e))
      contractBroken("conv2d_thin_output_bias",
                     "an activation with no eltwise algorithm");
    eltwise_forward::primitive_desc pd(
        eltwise_forward::desc(prop_kind::forward_training, e.forward,
                              ym.get_desc(), e.alpha, e.beta),
        cpuEngine());
    b.add(eltwise_forward(pd), {{DNNL_ARG_SRC, ym}, {DNNL_ARG_DST, ym}});
  }
  return b.finish();
}

Kernel oneFilterConvGradKernel(const MemRef<4> &x, const MemRef<4> &dy,
                               const MemRef<4> &dk, const MemRef<1> *db,
                               const Placement &p) {
  Axis rows = rowAxis(x, dk, dy, p), cols = colAxis(x, dk, dy, p);
  int64_t taps = rows.taps * cols.taps;
  int64_t pixels = x.sizes[0] * rows.inputs * cols.inputs;
  KernelBuilder b;
  memory xm = b.buffer(pixelsByChannel(x));
  memory dym = b.buffer(describe(dy));
  memory dkm = b.buffer(rowMajor(x.sizes[1], taps));
  memory dbm = db ? b.buffer(describe(*db)) : memory();
  // spread[t][(n, iy, ix)]: dy of the output pixel that read input pixel
  // (iy, ix) through tap t, or 0.
  memory spread = b.scratch(rowMajor(taps, pixels));
  Table rowReadBy = rows.readBy(), colReadBy = cols.readBy();
  Plane grad = Plane::of(dy);
  bool hasBias = db != nullptr;
  b.addHost([=] {
    const float *g = dataOf(dym);
    tapCopies(g, grad, rows.inputs, cols.inputs, rows.taps, cols.taps,
              rowReadBy, colReadBy, dataOf(spread));
    if (hasBias) {
      double sum = 0;
      for (int64_t n = 0; n < grad.n; ++n)
        for (int64_t oy = 0; oy < grad.rows; ++oy)
          for (int64_t ox = 0; ox < grad.cols; ++ox)
            sum += g[n * grad.batchStride + oy * grad.rowStride +
                     ox * grad.colStride];
      dataOf(dbm)[0] = static_cast<float>(sum);
    }
  });
  // dk [C, taps] = x^T [C, pixels] * spread^T [pixels, taps].
  memory spreadT(transposedTapMajor(taps, pixels), cpuEngine(),
                 spread.get_data_handle());
  matmul::primitive_desc pd(
      matmul::desc(xm.get_desc(), spreadT.get_desc(), dkm.get_desc()),
      cpuEngine());
  b.add(matmul(pd), {{DNNL_ARG_SRC, xm},
                     {DNNL_ARG_WEIGHTS, spreadT},
                     {DNNL_ARG_DST, dkm}});
  return b.finish();
}

Kernel oneChannelConvGradKernel(const MemRef<4> &x, const MemRef<4> &dy,
                                const MemRef<4> &dk, const MemRef<1> *db,
                                const Placement &p) {
  Axis rows = rowAxis(x, dk, dy, p), cols = colAxis(x, dk, dy, p);
  int64_t filters = dk.sizes[0], taps = rows.taps * cols.taps;
  int64_t pixels = dy.sizes[0] * rows.outputs * cols.outputs;
  KernelBuilder b;
  memory xm = b.buffer(describe(x));
  memory dym = b.buffer(pixelsByChannel(dy));
  memory dkm = b.buffer(rowMajor(filters, taps));
  memory dbm = db ? b.buffer(describe(*db)) : memory();
  // patches[t][(n, oy, ox)]: the input pixel output (oy, ox) reads through
  // tap t, or 0 in the padding.
  memory patches = b.scratch(rowMajor(taps, pixels));
  Table rowReads = rows.reads(), colReads = cols.reads();
  Plane image = Plane::of(x);
  b.addHost([=] {
    tapCopies(dataOf(xm), image, rows.outputs, cols.outputs, rows.taps,
              cols.taps, rowReads, colReads, dataOf(patches));
  });
  // dk [F, taps] = dy^T [F, pixels] * patches^T [pixels, taps].
  memory patchesT(transposedTapMajor(taps, pixels), cpuEngine(),
                  patches.get_data_handle());
  matmul::primitive_desc pd(
      matmul::desc(dym.get_desc(), patchesT.get_desc(), dkm.get_desc()),
      cpuEngine());
  b.add(matmul(pd), {{DNNL_ARG_SRC, dym},
                     {DNNL_ARG_WEIGHTS, patchesT},
                     {DNNL_ARG_DST, dkm}});
  if (db) {
    int64_t dbStride = db->strides[0];
    // db[f] = the sum of dy's channel f: dy's pixel rows [pixels, F] added.
    b.addHost([=] {
      const float *g = dataOf(dym);
      std::vector<double> sums(filters, 0.0);
      for (int64_t m = 0; m < pixels; ++m, g += filters)
        for (int64_t f = 0; f < filters; ++f)
          sums[f] += g[f];
      float *out = dataOf(dbm);
      for (int64_t f = 0; f < filters; ++f)
        out[f * dbStride] = static_cast<float>(sums[f]);
    });
  }
  return b.finish();
}

} // namespace aenet::rt::dnnl_support

using namespace aenet::rt::dnnl_support;
using aenet::rt::KernelSites;
using aenet::rt::MemRef;

namespace {

/// conv2d with one filter (and a bias when |bias| is set).
void thinOutput(KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *k,
                MemRef<1> *bias, MemRef<4> *y, const Placement &p,
                int64_t activation) {
  const char *name = "conv2d_thin_output";
  Kernel &kernel = atSite(sites, site, name, [&] {
    if (!isOneFilterConv(*x, *k))
      contractBroken(name, "more than one filter or an image not in NHWC");
    return oneFilterConv(*x, *k, bias, *y, p, activation);
  });
  kernel.run(pointersOf(x, k, bias, y));
}

/// conv2d_grad_kernel (and db when |db| is set) of one filter.
void gradKernelThinOutput(KernelSites *sites, int64_t site, MemRef<4> *x,
                          MemRef<4> *dy, MemRef<4> *dk, MemRef<1> *db,
                          const Placement &p) {
  const char *name = "conv2d_grad_kernel_thin_output";
  Kernel &kernel = atSite(sites, site, name, [&] {
    if (!isOneFilterConv(*x, *dk))
      contractBroken(name, "more than one filter or an image not in NHWC");
    return oneFilterConvGradKernel(*x, *dy, *dk, db, p);
  });
  kernel.run(pointersOf(x, dy, dk, db));
}

/// conv2d_grad_kernel (and db when |db| is set) of one input channel.
void gradKernelThinInput(KernelSites *sites, int64_t site, MemRef<4> *x,
                         MemRef<4> *dy, MemRef<4> *dk, MemRef<1> *db,
                         const Placement &p) {
  const char *name = "conv2d_grad_kernel_thin_input";
  Kernel &kernel = atSite(sites, site, name, [&] {
    if (!isOneChannelConvGradKernel(*x, *dy, *dk))
      contractBroken(name, "more than one input channel, one filter, or a "
                           "gradient not in NHWC");
    return oneChannelConvGradKernel(*x, *dy, *dk, db, p);
  });
  kernel.run(pointersOf(x, dy, dk, db));
}

} // namespace

extern "C" {

void _mlir_ciface_aenet_dnnl_conv2d_thin_output(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *k,
    MemRef<4> *y, int64_t sh, int64_t sw, int64_t top, int64_t left,
    int64_t bottom, int64_t right) {
  thinOutput(sites, site, x, k, nullptr, y,
             Placement(sh, sw, top, left, bottom, right),
             static_cast<int64_t>(aenet::rt::Activation::Linear));
}

void _mlir_ciface_aenet_dnnl_conv2d_thin_output_bias(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *k,
    MemRef<1> *bias, MemRef<4> *y, int64_t sh, int64_t sw, int64_t top,
    int64_t left, int64_t bottom, int64_t right, int64_t activation) {
  thinOutput(sites, site, x, k, bias, y,
             Placement(sh, sw, top, left, bottom, right), activation);
}

void _mlir_ciface_aenet_dnnl_conv2d_grad_kernel_thin_output(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *dy,
    MemRef<4> *dk, int64_t sh, int64_t sw, int64_t top, int64_t left,
    int64_t bottom, int64_t right) {
  gradKernelThinOutput(sites, site, x, dy, dk, nullptr,
                       Placement(sh, sw, top, left, bottom, right));
}

void _mlir_ciface_aenet_dnnl_conv2d_grad_kernel_thin_output_bias(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *dy,
    MemRef<4> *dk, MemRef<1> *db, int64_t sh, int64_t sw, int64_t top,
    int64_t left, int64_t bottom, int64_t right) {
  gradKernelThinOutput(sites, site, x, dy, dk, db,
                       Placement(sh, sw, top, left, bottom, right));
}

void _mlir_ciface_aenet_dnnl_conv2d_grad_kernel_thin_input(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *dy,
    MemRef<4> *dk, int64_t sh, int64_t sw, int64_t top, int64_t left,
    int64_t bottom, int64_t right) {
  gradKernelThinInput(sites, site, x, dy, dk, nullptr,
                      Placement(sh, sw, top, left, bottom, right));
}

void _mlir_ciface_aenet_dnnl_conv2d_grad_kernel_thin_input_bias(
    KernelSites *sites, int64_t site, MemRef<4> *x, MemRef<4> *dy,
    MemRef<4> *dk, MemRef<1> *db, int64_t sh, int64_t sw, int64_t top,
    int64_t left, int64_t bottom, int64_t right) {
  gradKernelThinInput(sites, site, x, dy, dk, db,
                      Placement(sh, sw, top, left, bottom, right));
}

} // extern "C"
