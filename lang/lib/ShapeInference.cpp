//===- ShapeInference.cpp - Output shapes of layers ----------------------===//
//
// One rule per layer kind, following Keras (channels-first). A rule returns
// the output shape or an error that quotes the shapes involved; Sema prefixes
// the layer's name and position.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Layers.h"

#include <sstream>

namespace aenet {

int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride,
                     Padding padding) {
  if (padding == Padding::Same)
    return (in + stride - 1) / stride;
  return in < kernel ? 0 : (in - kernel) / stride + 1;
}

namespace {

ShapeResult fail(std::string message) { return {Shape(), std::move(message)}; }

/// Extent arithmetic capped just above `kMaxElements`: operands are at most
/// that (Sema bounds every option and every value's size), so the result
/// cannot overflow, and a capped result is refused by Sema's size check.
int64_t cap(__int128 x) {
  return x > kMaxElements ? kMaxElements + 1 : static_cast<int64_t>(x);
}
int64_t mulExtents(int64_t a, int64_t b) { return cap(__int128(a) * b); }
int64_t addExtents(int64_t a, int64_t b) { return cap(__int128(a) + b); }

std::string sizeStr(const std::array<int64_t, 2> &s) {
  return std::to_string(s[0]) + "x" + std::to_string(s[1]);
}

/// Images must be [C, H, W] with every extent known.
std::string checkImage(const char *layer, const Shape &in) {
  if (in.rank() != 3 || !in.isStatic())
    return std::string(layer) +
           " expects an image shaped (None, channels, height, width), got " +
           in.str();
  return {};
}

ShapeResult inferWindowed(const char *layer, const Shape &in, int64_t channels,
                          const std::array<int64_t, 2> &window,
                          const std::array<int64_t, 2> &strides,
                          Padding padding) {
  if (std::string e = checkImage(layer, in); !e.empty())
    return fail(e);
  int64_t h = windowOutput(in.dims[1], window[0], strides[0], padding);
  int64_t w = windowOutput(in.dims[2], window[1], strides[1], padding);
  if (h <= 0 || w <= 0)
    return fail(std::string(layer) + " window " + sizeStr(window) +
                " does not fit input " + in.str() + " with 'valid' padding");
  return {Shape{channels, h, w}, {}};
}

ShapeResult inferRecurrent(const LayerSpec &spec, const Shape &in) {
  if (in.rank() != 2 || in.dims[1] < 0)
    return fail(std::string(layerKindName(spec.kind)) +
                " expects a sequence shaped (None, steps, features), got " +
                in.str());
  if (spec.returnSequences)
    return {Shape{in.dims[0], spec.units}, {}};
  return {Shape{spec.units}, {}};
}

ShapeResult inferReshape(const LayerSpec &spec, const Shape &in) {
  Shape target(spec.targetShape);
  if (!in.isStatic())
    return fail("reshape needs a fully known input shape, got " + in.str());
  int64_t known = 1, unknownAt = -1;
  for (size_t i = 0; i < target.rank(); ++i) {
    if (target.dims[i] == -1)
      unknownAt = static_cast<int64_t>(i);
    else
      known = mulExtents(known, target.dims[i]);
  }
  if (unknownAt >= 0) {
    if (known == 0 || in.numElements() % known != 0)
      return fail("cannot reshape " + in.str() + " (" +
                  std::to_string(in.numElements()) + " elements) into " +
                  target.str());
    target.dims[unknownAt] = in.numElements() / known;
  }
  if (boundedProduct(target.dims) != in.numElements())
    return fail("cannot reshape " + in.str() + " (" +
                std::to_string(in.numElements()) + " elements) into " +
                target.str() + " (" +
                (known > kMaxElements ? "more than " +
                                            std::to_string(kMaxElements)
                                      : std::to_string(known)) +
                " elements)");
  return {target, {}};
}

ShapeResult inferConcat(const LayerSpec &spec,
                        const std::vector<Shape> &operands) {
  const Shape &first = operands.front();
  int64_t rank = static_cast<int64_t>(first.rank());
  int64_t axis = spec.axis < 0 ? spec.axis + rank : spec.axis;
  if (axis < 0 || axis >= rank)
    return fail("concat axis " + std::to_string(spec.axis) +
                " is out of range for " + first.str());
  Shape out = first;
  for (size_t i = 1; i < operands.size(); ++i) {
    const Shape &s = operands[i];
    bool fits = s.rank() == first.rank();
    for (int64_t d = 0; fits && d < rank; ++d)
      fits = d == axis || s.dims[d] == first.dims[d];
    if (!fits)
      return fail("cannot concatenate " + first.str() + " and " + s.str() +
                  " along axis " + std::to_string(spec.axis));
    out.dims[axis] = out.dims[axis] < 0 || s.dims[axis] < 0
                         ? -1
                         : addExtents(out.dims[axis], s.dims[axis]);
  }
  return {out, {}};
}

} // namespace

ShapeResult inferShape(const LayerSpec &spec,
                       const std::vector<Shape> &operands) {
  if (operands.empty())
    return fail(std::string(layerKindName(spec.kind)) + " has no input");
  const Shape &in = operands.front();
  switch (spec.kind) {
  case LayerKind::Dense: {
    if (in.rank() == 0 || in.dims.back() < 0)
      return fail("dense needs a known last dimension, got " + in.str());
    Shape out = in;
    out.dims.back() = spec.units;
    return {out, {}};
  }
  case LayerKind::Conv2D:
    return inferWindowed("conv2d", in, spec.units, spec.kernel, spec.strides,
                         spec.padding);
  case LayerKind::Conv2DTranspose: {
    if (std::string e = checkImage("conv2d_transpose", in); !e.empty())
      return fail(e);
    auto grow = [&](int64_t x, int d) {
      return spec.padding == Padding::Same
                 ? mulExtents(x, spec.strides[d])
                 : addExtents(mulExtents(x - 1, spec.strides[d]),
                              std::max(spec.kernel[d], spec.strides[d]));
    };
    return {Shape{spec.units, grow(in.dims[1], 0), grow(in.dims[2], 1)}, {}};
  }
  case LayerKind::MaxPool:
    return inferWindowed("maxpool", in, in.rank() == 3 ? in.dims[0] : 0,
                         spec.pool, spec.stridesGiven ? spec.strides : spec.pool,
                         spec.padding);
  case LayerKind::Upsample:
    if (std::string e = checkImage("upsample", in); !e.empty())
      return fail(e);
    return {Shape{in.dims[0], mulExtents(in.dims[1], spec.size[0]),
                  mulExtents(in.dims[2], spec.size[1])},
            {}};
  case LayerKind::Flatten:
    if (!in.isStatic())
      return fail("flatten needs a fully known input shape, got " + in.str());
    return {Shape{in.numElements()}, {}};
  case LayerKind::Reshape:
    return inferReshape(spec, in);
  case LayerKind::Dropout:
  case LayerKind::GaussianNoise:
  case LayerKind::Activation:
    return {in, {}};
  case LayerKind::SampleNormal:
    if (operands.size() != 2)
      return fail("sample_normal takes two values, mu and logvar");
    if (operands[0] != operands[1])
      return fail("sample_normal needs mu and logvar of one shape, got " +
                  operands[0].str() + " and " + operands[1].str());
    return {in, {}};
  case LayerKind::Concat:
    return inferConcat(spec, operands);
  case LayerKind::RNN:
  case LayerKind::LSTM:
  case LayerKind::GRU:
    return inferRecurrent(spec, in);
  }
  return fail("unknown layer kind");
}

} // namespace aenet
