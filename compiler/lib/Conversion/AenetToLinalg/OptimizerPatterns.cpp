//===- OptimizerPatterns.cpp - Lowering of optimizer updates and clipping -===//
//
// Each update is one elementwise `linalg.generic` reading the parameter, its
// gradient and its states and yielding the new parameter and states (one
// pass over memory per parameter). Hyperparameters are constants of the
// element type, except the learning rate, read once from its scalar operand
// outside the generic; so is what depends on the step (Adam's bias-corrected
// rate) or on the whole gradient (clip_by_norm's norm). Formulas are Keras
// 2's, as the op summaries state.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::aenet;

namespace {

/// Replaces |op| by one generic over |operands| (all of the parameter's
/// shape) whose body |update| yields one scalar per result of |op|.
template <typename Fn>
LogicalResult replaceWithUpdate(ConversionPatternRewriter &rewriter,
                                Operation *op, ValueRange operands,
                                Fn update) {
  if (failed(checkStaticShapes(op, rewriter)))
    return failure();
  auto body = [&](OpBuilder &b, Location l, ValueRange args) {
    return update(ScalarBuilder{b, l, args[0].getType()}, args);
  };
  rewriter.replaceOp(op, createElementwise(rewriter, op->getLoc(), operands,
                                           op->getResultTypes(), body));
  return success();
}

double toDouble(FloatAttr attr) { return attr.getValueAsDouble(); }

/// The learning rate of |op|, read from its scalar operand |rate| before
/// the update; null when |op| has a dynamic shape (reported).
Value readRate(ConversionPatternRewriter &rewriter, Operation *op,
               Value rate) {
  if (failed(checkStaticShapes(op, rewriter)))
    return Value();
  return extractScalar(rewriter, op->getLoc(), rate);
}

struct SgdUpdateLowering : OpConversionPattern<SgdUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SgdUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value lr = readRate(rewriter, op, adaptor.getLr());
    if (!lr)
      return failure();
    // p - lr g.
    return replaceWithUpdate(
        rewriter, op, {adaptor.getParam(), adaptor.getGrad()},
        [&](const ScalarBuilder &a, ValueRange x) -> SmallVector<Value> {
          return {a.sub(x[0], a.mul(lr, x[1]))};
        });
  }
};

struct MomentumUpdateLowering : OpConversionPattern<MomentumUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MomentumUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value lr = readRate(rewriter, op, adaptor.getLr());
    if (!lr)
      return failure();
    double momentum = toDouble(op.getMomentumAttr());
    bool nesterov = op.getNesterov();
    // v' = m v - lr g; p + v', or p + m v' - lr g with Nesterov.
    return replaceWithUpdate(
        rewriter, op,
        {adaptor.getParam(), adaptor.getGrad(), adaptor.getVelocity()},
        [&](const ScalarBuilder &a, ValueRange x) -> SmallVector<Value> {
          Value step = a.mul(lr, x[1]);
          Value v = a.sub(a.mul(a.c(momentum), x[2]), step);
          if (!nesterov)
            return {a.add(x[0], v), v};
          Value ahead = a.add(x[0], a.mul(a.c(momentum), v));
          return {a.sub(ahead, step), v};
        });
  }
};

struct AdamUpdateLowering : OpConversionPattern<AdamUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AdamUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    double beta1 = toDouble(op.getBeta1Attr());
    double beta2 = toDouble(op.getBeta2Attr());
    double epsilon = toDouble(op.getEpsilonAttr());
    // lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t), once per step.
    Location loc = op.getLoc();
    Value t = extractScalar(rewriter, loc, adaptor.getStep());
    ScalarBuilder s{rewriter, loc, t.getType()};
    auto oneMinusPow = [&](double base) {
      Value power = math::PowFOp::create(rewriter, loc, s.c(base), t);
      return s.sub(s.c(1), power);
    };
    Value correction1 = oneMinusPow(beta1);
    Value correction2 = s.sqrt(oneMinusPow(beta2));
    Value lr = extractScalar(rewriter, loc, adaptor.getLr());
    Value lrT = s.div(s.mul(lr, correction2), correction1);
    // m' = b1 m + (1 - b1) g; v' = b2 v + (1 - b2) g^2;
    // p' = p - lr_t m' / (sqrt(v') + eps).
    return replaceWithUpdate(
        rewriter, op,
        {adaptor.getParam(), adaptor.getGrad(), adaptor.getM(), adaptor.getV()},
        [&](const ScalarBuilder &a, ValueRange x) -> SmallVector<Value> {
          Value m = a.ema(beta1, x[2], x[1]);
          Value v = a.ema(beta2, x[3], a.mul(x[1], x[1]));
          Value root = a.sqrt(v);
          Value denom = a.add(root, a.c(epsilon));
          Value step = a.div(a.mul(lrT, m), denom);
          return {a.sub(x[0], step), m, v};
        });
  }
};

struct RmspropUpdateLowering : OpConversionPattern<RmspropUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RmspropUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value lr = readRate(rewriter, op, adaptor.getLr());
    if (!lr)
      return failure();
    double rho = toDouble(op.getRhoAttr());
    double momentum = toDouble(op.getMomentumAttr());
    double epsilon = toDouble(op.getEpsilonAttr());
    SmallVector<Value> operands = {adaptor.getParam(), adaptor.getGrad(),
                                   adaptor.getMeanSquare()};
    if (Value buffer = adaptor.getMomentumBuffer())
      operands.push_back(buffer);
    // ms' = rho ms + (1 - rho) g^2; step = lr g / (sqrt(ms') + eps);
    // p - step, or with momentum: buf' = momentum buf + step, p - buf'.
    return replaceWithUpdate(
        rewriter, op, operands,
        [&](const ScalarBuilder &a, ValueRange x) -> SmallVector<Value> {
          Value ms = a.ema(rho, x[2], a.mul(x[1], x[1]));
          Value root = a.sqrt(ms);
          Value denom = a.add(root, a.c(epsilon));
          Value step = a.div(a.mul(lr, x[1]), denom);
          if (x.size() == 3)
            return {a.sub(x[0], step), ms};
          Value buffer = a.add(a.mul(a.c(momentum), x[3]), step);
          return {a.sub(x[0], buffer), ms, buffer};
        });
  }
};

struct AdagradUpdateLowering : OpConversionPattern<AdagradUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AdagradUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value lr = readRate(rewriter, op, adaptor.getLr());
    if (!lr)
      return failure();
    double epsilon = toDouble(op.getEpsilonAttr());
    // acc' = acc + g^2; p - lr g / (sqrt(acc') + eps).
    return replaceWithUpdate(
        rewriter, op,
        {adaptor.getParam(), adaptor.getGrad(), adaptor.getAccumulator()},
        [&](const ScalarBuilder &a, ValueRange x) -> SmallVector<Value> {
          Value acc = a.add(x[2], a.mul(x[1], x[1]));
          Value root = a.sqrt(acc);
          Value denom = a.add(root, a.c(epsilon));
          Value step = a.div(a.mul(lr, x[1]), denom);
          return {a.sub(x[0], step), acc};
        });
  }
};

struct AdadeltaUpdateLowering : OpConversionPattern<AdadeltaUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AdadeltaUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value lr = readRate(rewriter, op, adaptor.getLr());
    if (!lr)
      return failure();
    double rho = toDouble(op.getRhoAttr());
    double epsilon = toDouble(op.getEpsilonAttr());
    // ag' = rho ag + (1 - rho) g^2;
    // delta = sqrt(ad + eps) / sqrt(ag' + eps) g;
    // ad' = rho ad + (1 - rho) delta^2; p - lr delta.
    return replaceWithUpdate(
        rewriter, op,
        {adaptor.getParam(), adaptor.getGrad(), adaptor.getAccumGrad(),
         adaptor.getAccumDelta()},
        [&](const ScalarBuilder &a, ValueRange x) -> SmallVector<Value> {
          Value ag = a.ema(rho, x[2], a.mul(x[1], x[1]));
          Value rmsDelta = a.sqrt(a.add(x[3], a.c(epsilon)));
          Value rmsGrad = a.sqrt(a.add(ag, a.c(epsilon)));
          Value delta = a.mul(a.div(rmsDelta, rmsGrad), x[1]);
          Value ad = a.ema(rho, x[3], a.mul(delta, delta));
          return {a.sub(x[0], a.mul(lr, delta)), ag, ad};
        });
  }
};

struct ClipByValueLowering : OpConversionPattern<ClipByValueOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ClipByValueOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    double limit = toDouble(op.getLimitAttr());
    return replaceWithUpdate(
        rewriter, op, adaptor.getGrad(),
        [&](const ScalarBuilder &a, ValueRange x) -> SmallVector<Value> {
          Value low = a.max(x[0], a.c(-limit));
          return {a.min(low, a.c(limit))};
        });
  }
};

struct ClipByNormLowering : OpConversionPattern<ClipByNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ClipByNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    Value g = adaptor.getGrad();
    Type t = getTensorType(g).getElementType();
    ScalarBuilder s{rewriter, loc, t};
    Value norm = s.sqrt(createSum(rewriter, loc, g, t,
                                  [](OpBuilder &b, Location l, ValueRange x) {
                                    return arith::MulFOp::create(b, l, x[0],
                                                                 x[0]);
                                  }));
    // g * max_norm / norm where norm > max_norm, else g (also for norm 0).
    Value maxNorm = s.c(toDouble(op.getMaxNormAttr()));
    Value over = s.cmp(arith::CmpFPredicate::OGT, norm, maxNorm);
    Value ratio = s.div(maxNorm, norm);
    Value factor = s.select(over, ratio, s.c(1));
    return replaceWithUpdate(
        rewriter, op, g,
        [&](const ScalarBuilder &a, ValueRange x) -> SmallVector<Value> {
          return {a.mul(x[0], factor)};
        });
  }
};

} // namespace

void mlir::aenet::populateOptimizerPatterns(RewritePatternSet &patterns) {
  patterns.add<SgdUpdateLowering, MomentumUpdateLowering, AdamUpdateLowering,
               RmspropUpdateLowering, AdagradUpdateLowering,
               AdadeltaUpdateLowering, ClipByValueLowering,
               ClipByNormLowering>(patterns.getContext());
}
