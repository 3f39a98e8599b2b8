//===- GradientPatterns.cpp - Lowering of the gradient ops ----------------===//
//
// The ops aenet-autodiff emits. dense's input and kernel gradients stay
// `linalg.matmul`s so that a later stage can match every matmul the same way:
// x^T * dy reads x as (k, m) through the matmul's `indexing_maps`, while
// dy * kernel^T first transposes the (small) kernel with `linalg.transpose`,
// because a transposed B operand vectorizes into strided, mostly scalar code.
// Activation gradients use only the activation's output; dropout_grad
// recomputes the forward mask from the same seed and salt; clip_grad masks
// dy with the forward input's bounds test; loss_grad uses the loss term
// derivative of LossPatterns.cpp.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "Random.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::aenet;

/// A zero-filled [rows, cols] tensor of element type |t|.
static Value createZeroMatrix(OpBuilder &b, Location loc, int64_t rows,
                              int64_t cols, Type t) {
  return createFilled(b, loc, RankedTensorType::get({rows, cols}, t),
                      createFloat(b, loc, t, 0.0));
}

/// A scalar |factor| times the 0-d tensor |scalar|, computed once outside
/// any generic.
static Value createScaledScalar(OpBuilder &b, Location loc, Value scalar,
                                double factor) {
  Value v = extractScalar(b, loc, scalar);
  ScalarBuilder s{b, loc, v.getType()};
  return s.mul(v, s.c(factor));
}

Value mlir::aenet::createActivationGrad(OpBuilder &b, Location loc,
                                       ActivationKind kind, Value y,
                                       Value dy) {
  ScalarBuilder s{b, loc, y.getType()};
  auto positive = [&] { return s.cmp(arith::CmpFPredicate::OGT, y, s.c(0)); };
  auto between = [&](double lo, double hi) {
    Value above = s.cmp(arith::CmpFPredicate::OGT, y, s.c(lo));
    Value below = s.cmp(arith::CmpFPredicate::OLT, y, s.c(hi));
    return arith::AndIOp::create(b, loc, above, below);
  };
  switch (kind) {
  case ActivationKind::relu: {
    Value pass = positive();
    return s.select(pass, dy, s.c(0));
  }
  case ActivationKind::sigmoid: {
    Value slope = s.mul(y, s.sub(s.c(1), y));
    return s.mul(dy, slope);
  }
  case ActivationKind::tanh: {
    Value square = s.mul(y, y);
    Value slope = s.sub(s.c(1), square);
    return s.mul(dy, slope);
  }
  case ActivationKind::hard_sigmoid: {
    Value pass = between(0, 1);
    Value scaled = s.mul(dy, s.c(0.2));
    return s.select(pass, scaled, s.c(0));
  }
  case ActivationKind::relu6: {
    Value pass = between(0, 6);
    return s.select(pass, dy, s.c(0));
  }
  case ActivationKind::leaky_relu: {
    Value pass = positive();
    Value leak = s.mul(dy, s.c(0.2));
    return s.select(pass, dy, leak);
  }
  case ActivationKind::elu: {
    // For x <= 0, y = exp(x) - 1, so the derivative exp(x) is y + 1.
    Value pass = positive();
    Value slope = s.add(y, s.c(1));
    return s.select(pass, dy, s.mul(dy, slope));
  }
  case ActivationKind::linear:
    return dy;
  case ActivationKind::softmax:
    break;
  }
  llvm_unreachable("softmax has no scalar gradient");
}

/// Softmax's gradient over the last axis: y (dy - sum(dy y)).
static Value createSoftmaxGrad(OpBuilder &b, Location loc, Value y, Value dy) {
  Type t = getTensorType(y).getElementType();
  Value dot = createLastAxisReduction(
      b, loc, {y, dy}, {}, createFloat(b, loc, t, 0.0),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        ScalarBuilder s{nb, l, t};
        Value prod = s.mul(args[0], args[1]);
        return SmallVector<Value>{s.add(args[2], prod)};
      })[0];
  return createRowBroadcast(
      b, loc, {y, dy}, dot, [&](OpBuilder &nb, Location l, ValueRange args) {
        ScalarBuilder s{nb, l, t};
        return s.mul(args[0], s.sub(args[1], args[2]));
      });
}

namespace {

struct DenseGradInputLowering : OpConversionPattern<DenseGradInputOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DenseGradInputOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getInputGrad());
    // dx[m, i] = sum_u dy[m, u] * kernel[i, u]. The kernel is transposed
    // first (it is small: [I, U]) so the product is a plain matmul; with the
    // transpose inside the matmul, the vectorized kernel reads the kernel
    // with strides and runs mostly scalar.
    Value dy = collapseToMatrix(rewriter, loc, adaptor.getOutputGrad());
    auto kernelType = getTensorType(adaptor.getKernel());
    auto transposedType = RankedTensorType::get(
        {kernelType.getDimSize(1), kernelType.getDimSize(0)},
        kernelType.getElementType());
    Value transposed =
        linalg::TransposeOp::create(rewriter, loc, adaptor.getKernel(),
                                    createEmpty(rewriter, loc, transposedType),
                                    ArrayRef<int64_t>{1, 0})
            ->getResult(0);
    Value zero = createZeroMatrix(rewriter, loc, getNumRows(type),
                                  type.getShape().back(),
                                  type.getElementType());
    Value dx = linalg::MatmulOp::create(rewriter, loc,
                                        TypeRange{zero.getType()},
                                        ValueRange{dy, transposed},
                                        ValueRange{zero})
                   ->getResult(0);
    rewriter.replaceOp(op, createReshape(rewriter, loc, dx, type));
    return success();
  }
};

struct DenseGradKernelLowering : OpConversionPattern<DenseGradKernelOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DenseGradKernelOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getKernelGrad());
    // dk[i, u] = sum_m x[m, i] * dy[m, u].
    Value x = collapseToMatrix(rewriter, loc, adaptor.getInput());
    Value dy = collapseToMatrix(rewriter, loc, adaptor.getOutputGrad());
    Value zero = createZeroMatrix(rewriter, loc, type.getDimSize(0),
                                  type.getDimSize(1), type.getElementType());
    rewriter.replaceOp(op, linalg::MatmulTransposeAOp::create(
                               rewriter, loc, TypeRange{type},
                               ValueRange{x, dy}, ValueRange{zero})
                               ->getResult(0));
    return success();
  }
};

struct DenseGradBiasLowering : OpConversionPattern<DenseGradBiasOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DenseGradBiasOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getBiasGrad());
    // db[u] = sum_m dy[m, u].
    Value dy = collapseToMatrix(rewriter, loc, adaptor.getOutputGrad());
    Value zero = createFilled(
        rewriter, loc, type,
        createFloat(rewriter, loc, type.getElementType(), 0.0));
    AffineMap column = AffineMap::get(2, 0, rewriter.getAffineDimExpr(1));
    auto generic = createGeneric(
        rewriter, loc, dy, zero,
        {rewriter.getMultiDimIdentityMap(2), column},
        {utils::IteratorType::reduction, utils::IteratorType::parallel},
        [](OpBuilder &b, Location l, ValueRange args) {
          return SmallVector<Value>{
              arith::AddFOp::create(b, l, args[1], args[0])};
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ActivationGradLowering : OpConversionPattern<ActivationGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ActivationGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    Value y = adaptor.getOutput(), dy = adaptor.getOutputGrad();
    ActivationKind kind = op.getKind();
    Value dx;
    if (kind == ActivationKind::linear)
      dx = dy;
    else if (kind == ActivationKind::softmax)
      dx = createSoftmaxGrad(rewriter, loc, y, dy);
    else
      dx = createElementwise(rewriter, loc, {y, dy}, y.getType(),
                             [&](OpBuilder &b, Location l, ValueRange args) {
                               return createActivationGrad(b, l, kind, args[0],
                                                           args[1]);
                             });
    rewriter.replaceOp(op, dx);
    return success();
  }
};

struct DropoutGradLowering : OpConversionPattern<DropoutGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DropoutGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    double rate = op.getRate().convertToDouble();
    Value dy = adaptor.getOutputGrad();
    // The same mask and scale as the forward op: dropout is linear in x.
    rewriter.replaceOp(op, rate == 0 ? dy
                                     : createDropout(rewriter, op.getLoc(), dy,
                                                     adaptor.getSeed(), rate,
                                                     op.getSalt()));
    return success();
  }
};

struct ClipGradLowering : OpConversionPattern<ClipGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ClipGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    double lo = op.getMin().convertToDouble();
    double hi = op.getMax().convertToDouble();
    // dy where lo <= x <= hi (ordered compares: a NaN input passes nothing).
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, op.getLoc(),
                {adaptor.getInput(), adaptor.getOutputGrad()}, op.getType(),
                [&](OpBuilder &b, Location l, ValueRange args) {
                  ScalarBuilder s{b, l, args[0].getType()};
                  Value inside = arith::AndIOp::create(
                      b, l, s.cmp(arith::CmpFPredicate::OGE, args[0], s.c(lo)),
                      s.cmp(arith::CmpFPredicate::OLE, args[0], s.c(hi)));
                  return s.select(inside, args[1], s.c(0));
                }));
    return success();
  }
};

struct LossGradLowering : OpConversionPattern<LossGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LossGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getPrediction());
    LossFunction kind = op.getKind();
    Value scale = createScaledScalar(
        rewriter, loc, adaptor.getLossGrad(),
        getLossScale(kind, op.getReduction(), type));
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, loc, {adaptor.getPrediction(), adaptor.getTarget()},
                type, [&](OpBuilder &b, Location l, ValueRange args) {
                  Value d =
                      createLossTermDerivative(b, l, kind, args[0], args[1]);
                  return arith::MulFOp::create(b, l, d, scale);
                }));
    return success();
  }
};

struct L1ActivityGradLowering : OpConversionPattern<L1ActivityGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(L1ActivityGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType type = getTensorType(op.getInput());
    double factor = op.getFactor().convertToDouble() / type.getDimSize(0);
    Value scale =
        createScaledScalar(rewriter, loc, adaptor.getLossGrad(), factor);
    // scale * sign(x), with sign(0) = 0.
    Value negScale = arith::NegFOp::create(rewriter, loc, scale);
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, loc, adaptor.getInput(), type,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  ScalarBuilder s{b, l, args[0].getType()};
                  Value zero = s.c(0);
                  Value pos = s.cmp(arith::CmpFPredicate::OGT, args[0], zero);
                  Value neg = s.cmp(arith::CmpFPredicate::OLT, args[0], zero);
                  Value negOrZero = s.select(neg, negScale, zero);
                  return s.select(pos, scale, negOrZero);
                }));
    return success();
  }
};

struct L2WeightGradLowering : OpConversionPattern<L2WeightGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(L2WeightGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    Value scale = createScaledScalar(rewriter, loc, adaptor.getLossGrad(),
                                     2 * op.getFactor().convertToDouble());
    rewriter.replaceOp(
        op, createElementwise(rewriter, loc, adaptor.getInput(),
                              op.getInput().getType(),
                              [&](OpBuilder &b, Location l, ValueRange args) {
                                return arith::MulFOp::create(b, l, args[0],
                                                             scale);
                              }));
    return success();
  }
};

} // namespace

void mlir::aenet::populateGradientPatterns(RewritePatternSet &patterns) {
  patterns.add<DenseGradInputLowering, DenseGradKernelLowering,
               DenseGradBiasLowering, ActivationGradLowering,
               DropoutGradLowering, ClipGradLowering, LossGradLowering,
               L1ActivityGradLowering, L2WeightGradLowering>(
      patterns.getContext());
}
