//===- ConvPatterns.cpp - Lowering of the convolution ops -----------------===//
//
// conv2d pads its input and runs `linalg.conv_2d_nchw_fchw` into the bias
// broadcast over the image (zeros without a bias). conv2d_grad_input, and
// conv2d_transpose which is the same map, use the standard identity: dy is
// spread into a zero image with stride-1 gaps and kh - 1 - top rows before
// it, then correlated at stride 1 with the kernel rotated by 180 degrees and
// its channel axes swapped. conv2d_grad_kernel is a convolution too, of the
// padded input by dy with the batch and channel axes swapped, dilated by the
// strides; conv2d_grad_bias one reduction generic.
//
// maxpool2d is `linalg.pooling_nchw_max` on the input padded with -inf. Its
// gradient is two generics: the first recomputes, per window, the row-major
// position of the first input element equal to the pooled maximum; the
// second gathers, per input element, the dy of every window that picked it.
// upsample2d reads x[h floordiv fh, w floordiv fw]; its gradient is
// `linalg.pooling_nchw_sum` with window = strides = factors.
//
// Images are padded (and dy spread) by one generic over the padded image
// that gathers its source element with `tensor.extract`, not by tensor.pad
// or an insert_slice: those bufferize to a memref.copy into a strided
// subview (eliminate-empty-tensors also moves producers into such subviews),
// which lowers to a call of `memrefCopy` from libmlir_c_runner_utils, an
// element-by-element copy through the strides.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::aenet;

using utils::IteratorType;

namespace {

/// The four parallel loops of an elementwise generic on images.
SmallVector<IteratorType> imageLoops() {
  return SmallVector<IteratorType>(4, IteratorType::parallel);
}

/// The `index` constant |v|, for index arithmetic in generic bodies.
Value createIndexConstant(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// |x| [N, C, H, W] placed in a tensor of |shape| filled with |fill|: element
/// (h, w) lands at (offsets[0] + h * steps[0], offsets[1] + w * steps[1]).
/// |x| itself when that is the identity. One generic over the result reads
/// its source element with `tensor.extract` (a gather), so that nothing is
/// copied into a strided subview after bufferization.
Value placeImage(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> shape,
                 Value fill, ArrayRef<int64_t> offsets,
                 ArrayRef<int64_t> steps) {
  RankedTensorType type = getTensorType(x);
  if (type.getShape() == shape)
    return x;
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return createGeneric(
             b, loc, ValueRange{}, createEmpty(b, loc, resultType),
             {b.getMultiDimIdentityMap(4)}, imageLoops(),
             [&](OpBuilder &nb, Location l, ValueRange) {
               auto constant = [&](int64_t v) {
                 return createIndexConstant(nb, l, v);
               };
               // The source row (column) of result row (column) |p| and
               // whether there is one.
               auto source = [&](int d) -> std::pair<Value, Value> {
                 Value p = linalg::IndexOp::create(nb, l, 2 + d);
                 Value rel = arith::SubIOp::create(nb, l, p,
                                                   constant(offsets[d]));
                 Value at = rel;
                 Value inside = arith::CmpIOp::create(
                     nb, l, arith::CmpIPredicate::sge, rel, constant(0));
                 if (steps[d] != 1) {
                   Value phase = arith::RemSIOp::create(nb, l, rel,
                                                        constant(steps[d]));
                   Value onGrid = arith::CmpIOp::create(
                       nb, l, arith::CmpIPredicate::eq, phase, constant(0));
                   inside = arith::AndIOp::create(nb, l, inside, onGrid);
                   at = arith::DivSIOp::create(nb, l, rel, constant(steps[d]));
                 }
                 Value below = arith::CmpIOp::create(
                     nb, l, arith::CmpIPredicate::slt, at,
                     constant(type.getDimSize(2 + d)));
                 inside = arith::AndIOp::create(nb, l, inside, below);
                 Value clamped =
                     arith::SelectOp::create(nb, l, inside, at, constant(0));
                 return {inside, clamped};
               };
               auto [rowInside, row] = source(0);
               auto [colInside, col] = source(1);
               Value inside =
                   arith::AndIOp::create(nb, l, rowInside, colInside);
               Value n = linalg::IndexOp::create(nb, l, 0);
               Value c = linalg::IndexOp::create(nb, l, 1);
               Value v = tensor::ExtractOp::create(nb, l, x,
                                                   ValueRange{n, c, row, col});
               return SmallVector<Value>{
                   arith::SelectOp::create(nb, l, inside, v, fill)};
             })
      .getResult(0);
}

/// |x| padded by |pads| ([top, left, bottom, right]) with |value|.
Value padImage(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> pads,
               Value value) {
  SmallVector<int64_t> shape(getTensorType(x).getShape());
  shape[2] += pads[0] + pads[2];
  shape[3] += pads[1] + pads[3];
  return placeImage(b, loc, x, shape, value, {pads[0], pads[1]}, {1, 1});
}

/// A tensor of |type| [N, C, H, W] whose element at i is |x| at |map|(i):
/// one copying generic (a broadcast, a permutation, a gather).
Value copyThroughMap(OpBuilder &b, Location loc, Value x,
                     RankedTensorType type, AffineMap map) {
  return createGeneric(b, loc, x, createEmpty(b, loc, type),
                       {map, b.getMultiDimIdentityMap(4)}, imageLoops(),
                       [](OpBuilder &, Location, ValueRange args) {
                         return SmallVector<Value>{args[0]};
                       })
      .getResult(0);
}

/// |x| with its axes permuted: result axis i is |x|'s axis |permutation|[i].
Value transposeImage(OpBuilder &b, Location loc, Value x,
                     ArrayRef<int64_t> permutation) {
  RankedTensorType type = getTensorType(x);
  SmallVector<int64_t> shape;
  for (int64_t axis : permutation)
    shape.push_back(type.getDimSize(axis));
  Value init = createEmpty(
      b, loc, RankedTensorType::get(shape, type.getElementType()));
  return linalg::TransposeOp::create(b, loc, x, init, permutation)
      ->getResult(0);
}

/// The strides or dilations attribute of a linalg convolution or pooling op.
DenseIntElementsAttr pairAttr(OpBuilder &b, ArrayRef<int64_t> values) {
  return b.getI64TensorAttr(values);
}

/// A tensor of |type| holding bias[c] at every (n, c, h, w), or zeros.
Value createBiasInit(OpBuilder &b, Location loc, RankedTensorType type,
                     Value bias) {
  Type t = type.getElementType();
  if (!bias)
    return createFilled(b, loc, type, createFloat(b, loc, t, 0.0));
  return copyThroughMap(b, loc, bias, type,
                        AffineMap::get(4, 0, b.getAffineDimExpr(1)));
}

/// conv2d without its bias: |x| padded by |pads|, correlated with |kernel|
/// [F, C, kh, kw] at |strides|, accumulated into |init|.
Value createConv(OpBuilder &b, Location loc, Value x, Value kernel,
                 Value init, ArrayRef<int64_t> strides,
                 ArrayRef<int64_t> pads) {
  Type t = getTensorType(x).getElementType();
  Value padded = padImage(b, loc, x, pads, createFloat(b, loc, t, 0.0));
  return linalg::Conv2DNchwFchwOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{padded, kernel},
             ValueRange{init}, pairAttr(b, strides), pairAttr(b, {1, 1}))
      ->getResult(0);
}

/// conv2d_grad_input: |dy| [N, F, Ho, Wo] back through |kernel|
/// [F, C, kh, kw] onto an image [N, C, H, W] accumulated into |init|.
/// dx[h] = sum_a spread[h + a] rotated[a], where spread holds dy[i] at row
/// i * sh + kh - 1 - top and rotated[a] = k[kh - 1 - a]: then
/// h + a = i * sh + kh - 1 - top means h = i * sh + (kh - 1 - a) - top,
/// the rows conv2d read for dy[i] through kernel row kh - 1 - a.
Value createConvGradInput(OpBuilder &b, Location loc, Value dy, Value kernel,
                          Value init, ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> pads) {
  RankedTensorType dyType = getTensorType(dy);
  RankedTensorType kType = getTensorType(kernel);
  RankedTensorType inType = cast<RankedTensorType>(init.getType());
  Type t = dyType.getElementType();
  int64_t kh = kType.getDimSize(2), kw = kType.getDimSize(3);
  SmallVector<int64_t> spreadShape = {
      dyType.getDimSize(0), dyType.getDimSize(1),
      inType.getDimSize(2) + kh - 1, inType.getDimSize(3) + kw - 1};
  Value spread = placeImage(b, loc, dy, spreadShape,
                            createFloat(b, loc, t, 0.0),
                            {kh - 1 - pads[0], kw - 1 - pads[1]}, strides);

  MLIRContext *ctx = b.getContext();
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx), d3 = getAffineDimExpr(3, ctx);
  AffineMap rotation =
      AffineMap::get(4, 0, {d1, d0, kh - 1 - d2, kw - 1 - d3}, ctx);
  auto rotatedType = RankedTensorType::get(
      {kType.getDimSize(1), kType.getDimSize(0), kh, kw}, t);
  Value rotated = copyThroughMap(b, loc, kernel, rotatedType, rotation);
  return linalg::Conv2DNchwFchwOp::create(
             b, loc, TypeRange{inType}, ValueRange{spread, rotated},
             ValueRange{init}, pairAttr(b, {1, 1}), pairAttr(b, {1, 1}))
      ->getResult(0);
}

struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    Value init = createBiasInit(rewriter, loc, getTensorType(op.getOutput()),
                                adaptor.getBias());
    rewriter.replaceOp(op, createConv(rewriter, loc, adaptor.getInput(),
                                      adaptor.getKernel(), init,
                                      op.getStrides(), op.getPads()));
    return success();
  }
};

struct Conv2DTransposeLowering : OpConversionPattern<Conv2DTransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    Value init = createBiasInit(rewriter, loc, getTensorType(op.getOutput()),
                                adaptor.getBias());
    rewriter.replaceOp(
        op, createConvGradInput(rewriter, loc, adaptor.getInput(),
                                adaptor.getKernel(), init, op.getStrides(),
                                op.getPads()));
    return success();
  }
};

struct Conv2DGradInputLowering : OpConversionPattern<Conv2DGradInputOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DGradInputOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    Value init = createBiasInit(rewriter, loc,
                                getTensorType(op.getInputGrad()), Value());
    rewriter.replaceOp(
        op, createConvGradInput(rewriter, loc, adaptor.getOutputGrad(),
                                adaptor.getKernel(), init, op.getStrides(),
                                op.getPads()));
    return success();
  }
};

struct Conv2DGradKernelLowering : OpConversionPattern<Conv2DGradKernelOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DGradKernelOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getKernelGrad());
    Type t = type.getElementType();
    Value x = padImage(rewriter, loc, adaptor.getInput(), op.getPads(),
                       createFloat(rewriter, loc, t, 0.0));
    // dk[f, c, a, b] = sum over (n, i, j) of
    //   x[n, c, a + i * sh, b + j * sw] * dy[n, f, i, j],
    // a convolution of x read as [C, N, H, W] (channels as the batch, images
    // as the channels) by dy read as [F, N, Ho, Wo] at stride 1 and
    // dilation (sh, sw), into [C, F, kh, kw]: a named convolution
    // aenet-vectorize-convs vectorizes, where a generic would stay scalar.
    Value xByChannel = transposeImage(rewriter, loc, x, {1, 0, 2, 3});
    Value dyByFilter =
        transposeImage(rewriter, loc, adaptor.getOutputGrad(), {1, 0, 2, 3});
    ArrayRef<int64_t> k = type.getShape();
    auto byChannelType = RankedTensorType::get({k[1], k[0], k[2], k[3]}, t);
    Value zero = createFilled(rewriter, loc, byChannelType,
                              createFloat(rewriter, loc, t, 0.0));
    Value byChannel =
        linalg::Conv2DNchwFchwOp::create(
            rewriter, loc, TypeRange{byChannelType},
            ValueRange{xByChannel, dyByFilter}, ValueRange{zero},
            pairAttr(rewriter, {1, 1}), pairAttr(rewriter, op.getStrides()))
            ->getResult(0);
    rewriter.replaceOp(op,
                       transposeImage(rewriter, loc, byChannel, {1, 0, 2, 3}));
    return success();
  }
};

struct Conv2DGradBiasLowering : OpConversionPattern<Conv2DGradBiasOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DGradBiasOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getBiasGrad());
    Type t = type.getElementType();
    Value zero = createFilled(rewriter, loc, type,
                              createFloat(rewriter, loc, t, 0.0));
    AffineMap channel = AffineMap::get(4, 0, rewriter.getAffineDimExpr(1));
    auto generic = createGeneric(
        rewriter, loc, adaptor.getOutputGrad(), zero,
        {rewriter.getMultiDimIdentityMap(4), channel},
        {IteratorType::reduction, IteratorType::parallel,
         IteratorType::reduction, IteratorType::reduction},
        [&](OpBuilder &b, Location l, ValueRange args) {
          return SmallVector<Value>{arith::AddFOp::create(b, l, args[1],
                                                          args[0])};
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct MaxPool2DLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getOutput());
    Type t = type.getElementType();
    Value lowest = createFloat(rewriter, loc, t, -INFINITY);
    Value x = padImage(rewriter, loc, adaptor.getInput(), op.getPads(), lowest);
    ArrayRef<int64_t> window = op.getWindow();
    Value shape = createEmpty(rewriter, loc,
                              RankedTensorType::get(window, t));
    Value init = createFilled(rewriter, loc, type, lowest);
    rewriter.replaceOp(op, linalg::PoolingNchwMaxOp::create(
                               rewriter, loc, TypeRange{type},
                               ValueRange{x, shape}, ValueRange{init},
                               pairAttr(rewriter, op.getStrides()),
                               pairAttr(rewriter, {1, 1}))
                               ->getResult(0));
    return success();
  }
};

struct MaxPool2DGradLowering : OpConversionPattern<MaxPool2DGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    Value first = createFirstMaxima(rewriter, loc, op, adaptor);
    rewriter.replaceOp(op, createGather(rewriter, loc, op, adaptor, first));
    return success();
  }

private:
  /// [N, C, Ho, Wo] of i64: the row-major position a * kw + b in its window
  /// of the first input element equal to the window's maximum (kh * kw if
  /// none is, which only NaNs cause).
  static Value createFirstMaxima(OpBuilder &b, Location loc,
                                 MaxPool2DGradOp op, OpAdaptor adaptor) {
    RankedTensorType outType = getTensorType(op.getOutput());
    Type t = outType.getElementType();
    ArrayRef<int64_t> window = op.getWindow(), s = op.getStrides();
    int64_t kh = window[0], kw = window[1];
    Value x = padImage(b, loc, adaptor.getInput(), op.getPads(),
                       createFloat(b, loc, t, -INFINITY));
    // Loops (n, c, i, j, a, b); the [kh, kw] operand only gives a and b
    // their extents, as in linalg's pooling ops.
    MLIRContext *ctx = b.getContext();
    SmallVector<AffineExpr> d;
    for (unsigned i = 0; i < 6; ++i)
      d.push_back(getAffineDimExpr(i, ctx));
    AffineMap xMap = AffineMap::get(
        6, 0, {d[0], d[1], d[2] * s[0] + d[4], d[3] * s[1] + d[5]}, ctx);
    AffineMap outMap = AffineMap::get(6, 0, {d[0], d[1], d[2], d[3]}, ctx);
    AffineMap windowMap = AffineMap::get(6, 0, {d[4], d[5]}, ctx);
    Value extents =
        createEmpty(b, loc, RankedTensorType::get(window, b.getI64Type()));
    auto positionType = RankedTensorType::get(outType.getShape(),
                                              b.getI64Type());
    Value none = createFilled(b, loc, positionType,
                              createI64(b, loc, kh * kw));
    SmallVector<IteratorType> loops(4, IteratorType::parallel);
    loops.append(2, IteratorType::reduction);
    return createGeneric(
               b, loc, ValueRange{x, adaptor.getOutput(), extents}, none,
               {xMap, outMap, windowMap, outMap}, loops,
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 Value row = linalg::IndexOp::create(nb, l, 4);
                 Value col = linalg::IndexOp::create(nb, l, 5);
                 Value rowStart = arith::MulIOp::create(
                     nb, l, row, createIndexConstant(nb, l, kw));
                 Value at = arith::AddIOp::create(nb, l, rowStart, col);
                 Value position = arith::IndexCastOp::create(
                     nb, l, nb.getI64Type(), at);
                 Value isMax = arith::CmpFOp::create(
                     nb, l, arith::CmpFPredicate::OEQ, args[0], args[1]);
                 Value earlier =
                     arith::MinSIOp::create(nb, l, args[3], position);
                 return SmallVector<Value>{
                     arith::SelectOp::create(nb, l, isMax, earlier, args[3])};
               })
        .getResult(0);
  }

  /// dx[n, c, h, w]: the sum of dy over the windows whose first maximum is
  /// (h, w). Input row h + top lies in the windows i = (h + top) floordiv
  /// sh - t for t in [0, ceil(kh / sh)), at window row (h + top) mod sh +
  /// t * sh when that is below kh. |first| and dy are padded (with -1 and 0)
  /// so that every such i is in bounds.
  static Value createGather(OpBuilder &b, Location loc, MaxPool2DGradOp op,
                            OpAdaptor adaptor, Value first) {
    RankedTensorType inType = getTensorType(op.getInput());
    RankedTensorType outType = getTensorType(op.getOutput());
    Type t = inType.getElementType();
    ArrayRef<int64_t> window = op.getWindow(), s = op.getStrides(),
                      pads = op.getPads();
    int64_t kh = window[0], kw = window[1];
    int64_t th = (kh + s[0] - 1) / s[0], tw = (kw + s[1] - 1) / s[1];
    auto below = [&](int d) {
      int64_t last = (inType.getDimSize(2 + d) - 1 + pads[d]) / s[d];
      return std::max<int64_t>(0, last + 1 - outType.getDimSize(2 + d));
    };
    SmallVector<int64_t> windowPads = {th - 1, tw - 1, below(0), below(1)};
    Value firstPadded = padImage(b, loc, first, windowPads,
                                 createI64(b, loc, -1));
    Value dyPadded = padImage(b, loc, adaptor.getOutputGrad(), windowPads,
                              createFloat(b, loc, t, 0.0));

    MLIRContext *ctx = b.getContext();
    SmallVector<AffineExpr> d;
    for (unsigned i = 0; i < 6; ++i)
      d.push_back(getAffineDimExpr(i, ctx));
    // Loops (n, c, h, w, t, u).
    AffineMap windowOf = AffineMap::get(
        6, 0,
        {d[0], d[1], (d[2] + pads[0]).floorDiv(s[0]) - d[4] + (th - 1),
         (d[3] + pads[1]).floorDiv(s[1]) - d[5] + (tw - 1)},
        ctx);
    AffineMap candidates = AffineMap::get(6, 0, {d[4], d[5]}, ctx);
    AffineMap outMap = AffineMap::get(6, 0, {d[0], d[1], d[2], d[3]}, ctx);
    Value extents = createEmpty(
        b, loc, RankedTensorType::get({th, tw}, b.getI64Type()));
    Value zero = createFilled(b, loc, inType, createFloat(b, loc, t, 0.0));
    SmallVector<IteratorType> loops(4, IteratorType::parallel);
    loops.append(2, IteratorType::reduction);
    return createGeneric(
               b, loc, ValueRange{firstPadded, dyPadded, extents}, zero,
               {windowOf, windowOf, candidates, outMap}, loops,
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 // The row (column) of this element in candidate window t:
                 // (h + top) mod sh + t * sh.
                 auto offsetIn = [&](unsigned pixel, unsigned candidate,
                                     int d) {
                   Value p = linalg::IndexOp::create(nb, l, pixel);
                   Value c = linalg::IndexOp::create(nb, l, candidate);
                   Value shifted = arith::AddIOp::create(
                       nb, l, p, createIndexConstant(nb, l, pads[d]));
                   Value phase = arith::RemUIOp::create(
                       nb, l, shifted, createIndexConstant(nb, l, s[d]));
                   Value skip = arith::MulIOp::create(
                       nb, l, c, createIndexConstant(nb, l, s[d]));
                   return Value(arith::AddIOp::create(nb, l, phase, skip));
                 };
                 Value row = offsetIn(2, 4, 0);
                 Value col = offsetIn(3, 5, 1);
                 Value rowIn = arith::CmpIOp::create(
                     nb, l, arith::CmpIPredicate::ult, row,
                     createIndexConstant(nb, l, kh));
                 Value colIn = arith::CmpIOp::create(
                     nb, l, arith::CmpIPredicate::ult, col,
                     createIndexConstant(nb, l, kw));
                 Value rowStart = arith::MulIOp::create(
                     nb, l, row, createIndexConstant(nb, l, kw));
                 Value at = arith::AddIOp::create(nb, l, rowStart, col);
                 Value position = arith::IndexCastOp::create(
                     nb, l, nb.getI64Type(), at);
                 Value picked = arith::CmpIOp::create(
                     nb, l, arith::CmpIPredicate::eq, args[0], position);
                 Value inside = arith::AndIOp::create(nb, l, rowIn, colIn);
                 Value routed = arith::AndIOp::create(nb, l, inside, picked);
                 ScalarBuilder sb{nb, l, t};
                 Value sum = sb.add(args[3], args[1]);
                 return SmallVector<Value>{sb.select(routed, sum, args[3])};
               })
        .getResult(0);
  }
};

struct Upsample2DLowering : OpConversionPattern<Upsample2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Upsample2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    ArrayRef<int64_t> f = op.getFactors();
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr d2 = getAffineDimExpr(2, ctx), d3 = getAffineDimExpr(3, ctx);
    AffineMap nearest = AffineMap::get(
        4, 0,
        {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx), d2.floorDiv(f[0]),
         d3.floorDiv(f[1])},
        ctx);
    rewriter.replaceOp(op, copyThroughMap(rewriter, loc, adaptor.getInput(),
                                          getTensorType(op.getOutput()),
                                          nearest));
    return success();
  }
};

struct Upsample2DGradLowering : OpConversionPattern<Upsample2DGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Upsample2DGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getInputGrad());
    Type t = type.getElementType();
    ArrayRef<int64_t> f = op.getFactors();
    Value shape = createEmpty(rewriter, loc, RankedTensorType::get(f, t));
    Value zero = createFilled(rewriter, loc, type,
                              createFloat(rewriter, loc, t, 0.0));
    rewriter.replaceOp(op, linalg::PoolingNchwSumOp::create(
                               rewriter, loc, TypeRange{type},
                               ValueRange{adaptor.getOutputGrad(), shape},
                               ValueRange{zero}, pairAttr(rewriter, f),
                               pairAttr(rewriter, {1, 1}))
                               ->getResult(0));
    return success();
  }
};

} // namespace

void mlir::aenet::populateConvPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering, Conv2DTransposeLowering,
               Conv2DGradInputLowering, Conv2DGradKernelLowering,
               Conv2DGradBiasLowering, MaxPool2DLowering,
               MaxPool2DGradLowering, Upsample2DLowering,
               Upsample2DGradLowering>(patterns.getContext());
}
