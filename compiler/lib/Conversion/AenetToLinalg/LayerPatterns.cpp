//===- LayerPatterns.cpp - Lowering of the aenet layer ops ----------------===//
//
// dense becomes a `linalg.matmul` into a zero-filled tensor plus one generic
// broadcasting the bias; inputs of rank > 2 are collapsed to a matrix first
// and the result expanded back, so the matmul is always 2-D. Activations are
// one elementwise generic (softmax: a max and a sum over the last axis, then
// one broadcast generic); dropout and gaussian_noise are one generic around
// the counter-based RNG of Random.h; clip, add and scale are elementwise.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "Random.h"

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::aenet;

namespace {

struct DenseLowering : OpConversionPattern<DenseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DenseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType outType = getTensorType(op.getOutput());
    Type t = outType.getElementType();
    auto matrixType = RankedTensorType::get(
        {getNumRows(outType), outType.getShape().back()}, t);
    Value x = collapseToMatrix(rewriter, loc, adaptor.getInput());
    Value zero = createFilled(rewriter, loc, matrixType,
                              createFloat(rewriter, loc, t, 0.0));
    Value y = linalg::MatmulOp::create(rewriter, loc, TypeRange{matrixType},
                                       ValueRange{x, adaptor.getKernel()},
                                       ValueRange{zero})
                  ->getResult(0);
    if (Value bias = adaptor.getBias()) {
      AffineMap identity = rewriter.getMultiDimIdentityMap(2);
      AffineMap column = AffineMap::get(2, 0, rewriter.getAffineDimExpr(1));
      y = createGeneric(
              rewriter, loc, ValueRange{y, bias},
              createEmpty(rewriter, loc, matrixType),
              {identity, column, identity},
              {utils::IteratorType::parallel, utils::IteratorType::parallel},
              [](OpBuilder &b, Location l, ValueRange args) {
                return SmallVector<Value>{
                    arith::AddFOp::create(b, l, args[0], args[1])};
              })
              .getResult(0);
    }
    rewriter.replaceOp(op, createReshape(rewriter, loc, y, outType));
    return success();
  }
};

} // namespace

Value mlir::aenet::createActivation(OpBuilder &b, Location loc,
                                   ActivationKind kind,
                              Value x) {
  ScalarBuilder s{b, loc, x.getType()};
  auto clamp = [&](Value v, double lo, double hi) {
    Value low = s.max(v, s.c(lo));
    return s.min(low, s.c(hi));
  };
  switch (kind) {
  case ActivationKind::relu:
    return s.max(x, s.c(0));
  case ActivationKind::sigmoid: {
    Value e = s.exp(s.neg(x));
    Value denom = s.add(s.c(1), e);
    return s.div(s.c(1), denom);
  }
  case ActivationKind::tanh:
    return math::TanhOp::create(b, loc, x);
  case ActivationKind::hard_sigmoid: {
    Value scaled = s.mul(x, s.c(0.2));
    return clamp(s.add(scaled, s.c(0.5)), 0, 1);
  }
  case ActivationKind::relu6:
    return clamp(x, 0, 6);
  case ActivationKind::leaky_relu: {
    Value positive = s.cmp(arith::CmpFPredicate::OGT, x, s.c(0));
    Value leak = s.mul(x, s.c(0.2));
    return s.select(positive, x, leak);
  }
  case ActivationKind::elu: {
    Value positive = s.cmp(arith::CmpFPredicate::OGT, x, s.c(0));
    Value below = math::ExpM1Op::create(b, loc, x);
    return s.select(positive, x, below);
  }
  case ActivationKind::linear:
    return x;
  case ActivationKind::softmax:
    break;
  }
  llvm_unreachable("softmax is not a scalar activation");
}

namespace {

/// Softmax over the last axis, shifted by the row maximum so that exp never
/// overflows: y = exp(x - max) / sum(exp(x - max)).
static Value createSoftmax(OpBuilder &b, Location loc, Value x) {
  Type t = getTensorType(x).getElementType();
  Value max = createLastAxisReduction(
      b, loc, x, {}, createFloat(b, loc, t, -INFINITY),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        ScalarBuilder s{nb, l, t};
        return SmallVector<Value>{s.max(args[0], args[1])};
      })[0];
  Value sum = createLastAxisReduction(
      b, loc, x, max, createFloat(b, loc, t, 0.0),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        ScalarBuilder s{nb, l, t};
        Value e = s.exp(s.sub(args[0], args[1]));
        return SmallVector<Value>{s.add(args[2], e)};
      })[0];
  return createRowBroadcast(
      b, loc, x, {max, sum}, [&](OpBuilder &nb, Location l, ValueRange args) {
        ScalarBuilder s{nb, l, t};
        Value e = s.exp(s.sub(args[0], args[1]));
        return s.div(e, args[2]);
      });
}

struct ActivationLowering : OpConversionPattern<ActivationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ActivationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    ActivationKind kind = op.getKind();
    Value y;
    if (kind == ActivationKind::linear)
      y = x;
    else if (kind == ActivationKind::softmax)
      y = createSoftmax(rewriter, loc, x);
    else
      y = createElementwise(rewriter, loc, x, op.getType(),
                            [&](OpBuilder &b, Location l, ValueRange args) {
                              return createActivation(b, l, kind, args[0]);
                            });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    rewriter.replaceOp(op, createReshape(rewriter, op.getLoc(),
                                         adaptor.getInput(),
                                         getTensorType(op.getOutput())));
    return success();
  }
};

struct DropoutLowering : OpConversionPattern<DropoutOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    double rate = op.getRate().convertToDouble();
    // Rate 0 keeps everything and scales by 1.
    Value x = adaptor.getInput();
    rewriter.replaceOp(op, rate == 0 ? x
                                     : createDropout(rewriter, op.getLoc(), x,
                                                     adaptor.getSeed(), rate,
                                                     op.getSalt()));
    return success();
  }
};

struct GaussianNoiseLowering : OpConversionPattern<GaussianNoiseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GaussianNoiseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    rewriter.replaceOp(op, createGaussianNoise(
                               rewriter, op.getLoc(), adaptor.getInput(),
                               adaptor.getSeed(), adaptor.getStddev(),
                               op.getSalt()));
    return success();
  }
};

struct ClipLowering : OpConversionPattern<ClipOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    double lo = op.getMin().convertToDouble();
    double hi = op.getMax().convertToDouble();
    rewriter.replaceOp(
        op, createElementwise(rewriter, op.getLoc(), adaptor.getInput(),
                              op.getType(),
                              [&](OpBuilder &b, Location l, ValueRange args) {
                                ScalarBuilder s{b, l, args[0].getType()};
                                return s.min(s.max(args[0], s.c(lo)),
                                             s.c(hi));
                              }));
    return success();
  }
};

struct AddLowering : OpConversionPattern<AddOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    rewriter.replaceOp(
        op, createElementwise(rewriter, op.getLoc(),
                              {adaptor.getLhs(), adaptor.getRhs()},
                              op.getType(),
                              [](OpBuilder &b, Location l, ValueRange args) {
                                return arith::AddFOp::create(b, l, args[0],
                                                             args[1]);
                              }));
    return success();
  }
};

struct ScaleLowering : OpConversionPattern<ScaleOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ScaleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    double factor = op.getFactor().convertToDouble();
    rewriter.replaceOp(
        op, createElementwise(rewriter, op.getLoc(), adaptor.getInput(),
                              op.getType(),
                              [&](OpBuilder &b, Location l, ValueRange args) {
                                ScalarBuilder s{b, l, args[0].getType()};
                                return s.mul(args[0], s.c(factor));
                              }));
    return success();
  }
};

} // namespace

void mlir::aenet::populateLayerPatterns(RewritePatternSet &patterns) {
  patterns.add<DenseLowering, ActivationLowering, ReshapeLowering,
               DropoutLowering, GaussianNoiseLowering, ClipLowering,
               AddLowering, ScaleLowering>(patterns.getContext());
}
