//===- LossPatterns.cpp - Lowering of losses, metrics and regularizers ----===//
//
// A loss is `scale * sum f(p, t)` over every element: one reduction per
// sample, one over the batch, then a scalar multiply. The per-element term,
// its derivative (used by loss_grad in GradientPatterns.cpp) and the scale
// live here together. Keras's semantics:
//   mse  f = (p - t)^2            mae  f = |p - t|
//   bce  f = -(t ln p' + (1 - t) ln(1 - p'))     cce  f = -t ln p'
//   with p' = clip(p, 1e-7, 1 - 1e-7);
//   scale: `mean` 1 / #elements (cce: 1 / #elements-without-the-last-axis),
//          `sum` 1 / batch (the per-sample sums averaged over the batch).
// Metrics reduce the same way; accuracy compares per-row arg-maxes, and
// errors counts the rows accuracy does not.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::aenet;

/// Keras's epsilon: bce and cce clip predictions to [kEps, 1 - kEps].
static constexpr double kEps = 1e-7;

/// clip(p, kEps, 1 - kEps).
static Value createClip(const ScalarBuilder &s, Value p) {
  Value low = s.max(p, s.c(kEps));
  return s.min(low, s.c(1.0 - kEps));
}

Value mlir::aenet::createLossTerm(OpBuilder &b, Location loc, LossFunction kind,
                                  Value p, Value t) {
  ScalarBuilder s{b, loc, p.getType()};
  switch (kind) {
  case LossFunction::mse: {
    Value d = s.sub(p, t);
    return s.mul(d, d);
  }
  case LossFunction::mae:
    return math::AbsFOp::create(b, loc, s.sub(p, t));
  case LossFunction::bce: {
    Value pc = createClip(s, p);
    Value pos = s.mul(t, s.log(pc));
    Value notT = s.sub(s.c(1), t);
    Value notP = s.sub(s.c(1), pc);
    Value neg = s.mul(notT, s.log(notP));
    return s.neg(s.add(pos, neg));
  }
  case LossFunction::cce: {
    Value logP = s.log(createClip(s, p));
    return s.neg(s.mul(t, logP));
  }
  }
  llvm_unreachable("unknown loss kind");
}

Value mlir::aenet::createLossTermDerivative(OpBuilder &b, Location loc,
                                            LossFunction kind, Value p, Value t) {
  ScalarBuilder s{b, loc, p.getType()};
  // Where the clip is active its derivative, and so the gradient, is zero.
  auto unclipped = [&](Value g) {
    Value aboveLo = s.cmp(arith::CmpFPredicate::OGE, p, s.c(kEps));
    Value belowHi = s.cmp(arith::CmpFPredicate::OLE, p, s.c(1.0 - kEps));
    Value inside = arith::AndIOp::create(b, loc, aboveLo, belowHi);
    return s.select(inside, g, s.c(0));
  };
  switch (kind) {
  case LossFunction::mse: {
    Value d = s.sub(p, t);
    return s.mul(s.c(2), d);
  }
  case LossFunction::mae: {
    // sign(p - t), 0 where p == t.
    Value d = s.sub(p, t);
    Value zero = s.c(0);
    Value pos = s.cmp(arith::CmpFPredicate::OGT, d, zero);
    Value neg = s.cmp(arith::CmpFPredicate::OLT, d, zero);
    Value negOrZero = s.select(neg, s.c(-1), zero);
    return s.select(pos, s.c(1), negOrZero);
  }
  case LossFunction::bce: {
    // -t / p' + (1 - t) / (1 - p') = (p' - t) / (p' (1 - p')).
    Value pc = createClip(s, p);
    Value denom = s.mul(pc, s.sub(s.c(1), pc));
    Value numer = s.sub(pc, t);
    return unclipped(s.div(numer, denom));
  }
  case LossFunction::cce: {
    Value pc = createClip(s, p);
    return unclipped(s.neg(s.div(t, pc)));
  }
  }
  llvm_unreachable("unknown loss kind");
}

double mlir::aenet::getLossScale(LossFunction kind, LossReduction reduction,
                                 RankedTensorType type) {
  if (reduction == LossReduction::sum)
    return 1.0 / type.getDimSize(0);
  if (kind == LossFunction::cce)
    return 1.0 / getNumRows(type);
  return 1.0 / type.getNumElements();
}

/// scale * sum f(p, t) as a 0-d tensor.
static Value createLoss(OpBuilder &b, Location loc, LossFunction kind,
                        LossReduction reduction, Value p, Value t) {
  RankedTensorType type = getTensorType(p);
  Type e = type.getElementType();
  Value sum = createSum(b, loc, {p, t}, e,
                        [&](OpBuilder &nb, Location l, ValueRange args) {
                          return createLossTerm(nb, l, kind, args[0], args[1]);
                        });
  ScalarBuilder s{b, loc, e};
  Value loss = s.mul(sum, s.c(getLossScale(kind, reduction, type)));
  return createScalarTensor(b, loc, loss);
}

/// 1 where |same| holds, else 0, of type |type|.
static Value createIndicator(OpBuilder &b, Location loc, Value same,
                             Type type) {
  ScalarBuilder s{b, loc, type};
  Value zero = s.c(0);
  return s.select(same, s.c(1), zero);
}

/// The number of rows whose last-axis arg-max (first maximum on ties) is the
/// same in |p| and |t|, as a scalar of their element type.
static Value createArgmaxHits(OpBuilder &b, Location loc, Value p, Value t) {
  RankedTensorType type = getTensorType(p);
  Type e = type.getElementType();
  unsigned last = type.getRank() - 1;
  Value minusInf = createFloat(b, loc, e, -INFINITY);
  Value zero = createI64(b, loc, 0);
  SmallVector<Value> rows = createLastAxisReduction(
      b, loc, {p, t}, {}, {minusInf, zero, minusInf, zero},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        ScalarBuilder s{nb, l, e};
        Value i = arith::IndexCastOp::create(
            nb, l, nb.getI64Type(), linalg::IndexOp::create(nb, l, last));
        SmallVector<Value> next;
        for (unsigned k = 0; k < 2; ++k) {
          Value x = args[k], max = args[2 + 2 * k], arg = args[3 + 2 * k];
          Value greater = s.cmp(arith::CmpFPredicate::OGT, x, max);
          next.push_back(s.select(greater, x, max));
          next.push_back(s.select(greater, i, arg));
        }
        return next;
      });
  return createSum(b, loc, {rows[1], rows[3]}, e,
                   [&](OpBuilder &nb, Location l, ValueRange args) {
                     Value same = arith::CmpIOp::create(
                         nb, l, arith::CmpIPredicate::eq, args[0], args[1]);
                     return createIndicator(nb, l, same, e);
                   });
}

/// The number of elements on the same side of 0.5 (x >= 0.5 rounds to 1) in
/// |p| and |t|, as a scalar of their element type.
static Value createThresholdHits(OpBuilder &b, Location loc, Value p,
                                 Value t) {
  Type e = getTensorType(p).getElementType();
  return createSum(
      b, loc, {p, t}, e, [&](OpBuilder &nb, Location l, ValueRange args) {
        ScalarBuilder s{nb, l, e};
        Value half = s.c(0.5);
        Value pOne = s.cmp(arith::CmpFPredicate::OGE, args[0], half);
        Value tOne = s.cmp(arith::CmpFPredicate::OGE, args[1], half);
        Value same =
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, pOne, tOne);
        return createIndicator(nb, l, same, e);
      });
}

namespace {
/// The positions whose class accuracy and errors compare, and how many of
/// them agree in |p| and |t|.
struct ClassHits {
  Value hits;
  int64_t positions;
};
} // namespace

/// The positions of |p| and |t| as accuracy compares them: one per row of
/// the last axis (a sample's class, or a step's character), by arg-max; with
/// one output unit, where the arg-max is always 0, one per element at 0.5,
/// as Keras's "accuracy" does for such models (binary accuracy).
/// |thresholdOnly| compares every element at 0.5 (pixel_accuracy).
static ClassHits createClassHits(OpBuilder &b, Location loc, Value p, Value t,
                                 bool thresholdOnly) {
  RankedTensorType type = getTensorType(p);
  if (thresholdOnly || type.getShape().back() == 1)
    return {createThresholdHits(b, loc, p, t), type.getNumElements()};
  return {createArgmaxHits(b, loc, p, t), getNumRows(type)};
}

/// The share of the positions that agree.
static Value createAccuracy(OpBuilder &b, Location loc, Value p, Value t,
                            bool thresholdOnly) {
  ClassHits c = createClassHits(b, loc, p, t, thresholdOnly);
  ScalarBuilder s{b, loc, getTensorType(p).getElementType()};
  Value share = s.mul(c.hits, s.c(1.0 / c.positions));
  return createScalarTensor(b, loc, share);
}

/// The mean over the batch's samples of their positions that do not agree:
/// (1 - accuracy) * positions per sample, the same count over the batch.
/// Subtracting the whole number of hits from the whole number of positions,
/// then dividing once, keeps it exact when the batch divides it (always at
/// batch 1), where the complement of the rounded share would not be.
static Value createErrors(OpBuilder &b, Location loc, Value p, Value t) {
  ClassHits c = createClassHits(b, loc, p, t, /*thresholdOnly=*/false);
  RankedTensorType type = getTensorType(p);
  ScalarBuilder s{b, loc, type.getElementType()};
  Value wrong = s.sub(s.c(static_cast<double>(c.positions)), c.hits);
  Value perSample =
      s.div(wrong, s.c(static_cast<double>(type.getDimSize(0))));
  return createScalarTensor(b, loc, perSample);
}

/// The sum of |x| over all of its elements, as a scalar.
static Value createAbsSum(OpBuilder &b, Location loc, Value x) {
  return createSum(b, loc, x, getTensorType(x).getElementType(),
                   [](OpBuilder &b, Location l, ValueRange args) {
                     return math::AbsFOp::create(b, l, args[0]);
                   });
}

/// The mean of |p| over all of its elements.
static Value createMeanAbs(OpBuilder &b, Location loc, Value p) {
  RankedTensorType type = getTensorType(p);
  Value sum = createAbsSum(b, loc, p);
  ScalarBuilder s{b, loc, type.getElementType()};
  Value mean = s.mul(sum, s.c(1.0 / type.getNumElements()));
  return createScalarTensor(b, loc, mean);
}

namespace {

struct LossLowering : OpConversionPattern<LossOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    rewriter.replaceOp(op, createLoss(rewriter, op.getLoc(), op.getKind(),
                                      op.getReduction(),
                                      adaptor.getPrediction(),
                                      adaptor.getTarget()));
    return success();
  }
};

struct MetricLowering : OpConversionPattern<MetricOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MetricOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    Value p = adaptor.getPrediction(), t = adaptor.getTarget();
    Value value;
    switch (op.getKind()) {
    case MetricKind::accuracy:
      value = createAccuracy(rewriter, loc, p, t, /*thresholdOnly=*/false);
      break;
    case MetricKind::pixel_accuracy:
      value = createAccuracy(rewriter, loc, p, t, /*thresholdOnly=*/true);
      break;
    // A count per sample: the runtime sums it over the epoch's samples
    // (MetricOp::getFinish).
    case MetricKind::errors:
      value = createErrors(rewriter, loc, p, t);
      break;
    case MetricKind::mse:
    // rmse's batch value is the mean square: the runtime takes the root only
    // after averaging over the epoch (MetricOp::getFinish).
    case MetricKind::rmse:
      value = createLoss(rewriter, loc, LossFunction::mse, LossReduction::mean, p, t);
      break;
    case MetricKind::mae:
      value = createLoss(rewriter, loc, LossFunction::mae, LossReduction::mean, p, t);
      break;
    case MetricKind::bce:
      value = createLoss(rewriter, loc, LossFunction::bce, LossReduction::mean, p, t);
      break;
    case MetricKind::mean_abs:
      value = createMeanAbs(rewriter, loc, p);
      break;
    }
    rewriter.replaceOp(op, value);
    return success();
  }
};

struct L1ActivityLowering : OpConversionPattern<L1ActivityOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(L1ActivityOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(adaptor.getInput());
    Value sum = createAbsSum(rewriter, loc, adaptor.getInput());
    double factor = op.getFactor().convertToDouble() / type.getDimSize(0);
    ScalarBuilder s{rewriter, loc, type.getElementType()};
    Value loss = s.mul(sum, s.c(factor));
    rewriter.replaceOp(op, createScalarTensor(rewriter, loc, loss));
    return success();
  }
};

struct L2WeightLowering : OpConversionPattern<L2WeightOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(L2WeightOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    Type e = getTensorType(adaptor.getInput()).getElementType();
    Value sum = createSum(rewriter, loc, adaptor.getInput(), e,
                          [](OpBuilder &b, Location l, ValueRange args) {
                            return arith::MulFOp::create(b, l, args[0],
                                                         args[0]);
                          });
    ScalarBuilder s{rewriter, loc, e};
    Value loss = s.mul(sum, s.c(op.getFactor().convertToDouble()));
    rewriter.replaceOp(op, createScalarTensor(rewriter, loc, loss));
    return success();
  }
};

} // namespace

void mlir::aenet::populateLossPatterns(RewritePatternSet &patterns) {
  patterns.add<LossLowering, MetricLowering, L1ActivityLowering,
               L2WeightLowering>(patterns.getContext());
}
