//===- VariationalPatterns.cpp - Lowering of the VAE ops ------------------===//
//
// sample_normal, kl_normal and their gradient ops as elementwise generics
// and one sum (TOOLCHAIN.md §11):
//   sample_normal       z   = mu + exp(lv / 2) * eps
//   sample_normal_grad  dlv = dz * exp(lv / 2) * eps / 2
//   kl_normal           L   = -1/2 sum (1 + lv - mu^2 - exp(lv)) / B
//   kl_normal_grad      dmu = mu * dL / B,  dlv = (exp(lv) - 1) / 2 * dL / B
// eps is Random.h's standard normal of (seed, salt, element index), the one
// gaussian_noise draws, so the gradient redraws exactly the forward's eps.
// The oneDNN backend has no kernel for these and leaves them to these
// patterns.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "Random.h"

using namespace mlir;
using namespace mlir::aenet;

namespace {

/// exp(lv / 2) * eps at the current element of a generic over |shape|.
Value createScaledEps(OpBuilder &b, Location loc, Value key,
                      ArrayRef<int64_t> shape, Value logvar) {
  ScalarBuilder s{b, loc, logvar.getType()};
  Value index = createLinearIndex(b, loc, shape);
  Value eps = createStandardNormal(b, loc, key, index, logvar.getType());
  Value sigma = s.exp(s.mul(logvar, s.c(0.5)));
  return s.mul(sigma, eps);
}

/// z = mu + exp(lv / 2) * eps, one generic over the latent.
struct SampleNormalLowering : OpConversionPattern<SampleNormalOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SampleNormalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getOutput());
    Value key = createRandomKey(rewriter, loc, adaptor.getSeed(), op.getSalt());
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, loc, {adaptor.getMu(), adaptor.getLogvar()}, type,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value noise =
                      createScaledEps(b, l, key, type.getShape(), args[1]);
                  return ScalarBuilder{b, l, args[0].getType()}.add(args[0],
                                                                    noise);
                }));
    return success();
  }
};

/// dlv = dz * exp(lv / 2) * eps / 2, eps redrawn as the forward drew it.
struct SampleNormalGradLowering : OpConversionPattern<SampleNormalGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SampleNormalGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getLogvarGrad());
    Value key = createRandomKey(rewriter, loc, adaptor.getSeed(), op.getSalt());
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, loc, {adaptor.getOutputGrad(), adaptor.getLogvar()},
                type, [&](OpBuilder &b, Location l, ValueRange args) {
                  ScalarBuilder s{b, l, args[0].getType()};
                  Value noise =
                      createScaledEps(b, l, key, type.getShape(), args[1]);
                  Value half = s.mul(noise, s.c(0.5));
                  return s.mul(args[0], half);
                }));
    return success();
  }
};

/// The KL term: one sum over every element, scaled by -1 / (2 B).
struct KlNormalLowering : OpConversionPattern<KlNormalOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(KlNormalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(adaptor.getMu());
    Type e = type.getElementType();
    Value sum = createSum(
        rewriter, loc, {adaptor.getMu(), adaptor.getLogvar()}, e,
        [](OpBuilder &b, Location l, ValueRange args) {
          ScalarBuilder s{b, l, args[0].getType()};
          Value onePlus = s.add(s.c(1), args[1]);
          Value squared = s.mul(args[0], args[0]);
          Value rest = s.sub(onePlus, squared);
          return s.sub(rest, s.exp(args[1]));
        });
    ScalarBuilder s{rewriter, loc, e};
    Value loss = s.mul(sum, s.c(-0.5 / type.getDimSize(0)));
    rewriter.replaceOp(op, createScalarTensor(rewriter, loc, loss));
    return success();
  }
};

/// Both gradients of the KL term from one generic of two results.
struct KlNormalGradLowering : OpConversionPattern<KlNormalGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(KlNormalGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(adaptor.getMu());
    ScalarBuilder s{rewriter, loc, type.getElementType()};
    Value dl = extractScalar(rewriter, loc, adaptor.getLossGrad());
    Value scale = s.mul(dl, s.c(1.0 / type.getDimSize(0)));
    Value halfScale = s.mul(scale, s.c(0.5));
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, loc, {adaptor.getMu(), adaptor.getLogvar()},
                TypeRange{type, type},
                [&](OpBuilder &b, Location l, ValueRange args) {
                  ScalarBuilder sb{b, l, args[0].getType()};
                  Value dmu = sb.mul(args[0], scale);
                  Value excess = sb.sub(sb.exp(args[1]), sb.c(1));
                  Value dlv = sb.mul(excess, halfScale);
                  return SmallVector<Value>{dmu, dlv};
                }));
    return success();
  }
};

} // namespace

void mlir::aenet::populateVariationalPatterns(RewritePatternSet &patterns) {
  patterns.add<SampleNormalLowering, SampleNormalGradLowering,
               KlNormalLowering, KlNormalGradLowering>(patterns.getContext());
}
