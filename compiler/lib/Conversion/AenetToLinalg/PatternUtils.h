//===- PatternUtils.h - IR builders shared by the lowerings -----*- C++ -*-===//
//
// The few shapes of tensor code every aenet lowering is made of: elementwise
// `linalg.generic`s, reductions over the last axis and their broadcasts back,
// full sums into a scalar, reshapes to and from matrices, and constants of a
// tensor's element type. The lowering patterns only supply the scalar bodies,
// so that all of them produce the same, fusion-friendly IR. Also declares the
// per-family pattern sets that AenetToLinalg.cpp puts together.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_CONVERSION_AENETTOLINALG_PATTERNUTILS_H
#define AENET_LIB_CONVERSION_AENETTOLINALG_PATTERNUTILS_H

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::aenet {

//===----------------------------------------------------------------------===//
// Pattern sets, one per op family
//===----------------------------------------------------------------------===//

/// dense, activation, reshape, dropout, gaussian_noise, add, scale.
void populateLayerPatterns(RewritePatternSet &patterns);
/// conv2d, conv2d_transpose, maxpool2d, upsample2d and their gradient ops.
void populateConvPatterns(RewritePatternSet &patterns);
/// loss, metric, l1_activity, l2_weight.
void populateLossPatterns(RewritePatternSet &patterns);
/// dense_grad_*, activation_grad, dropout_grad, loss_grad, l1/l2 grads.
void populateGradientPatterns(RewritePatternSet &patterns);
/// The *_update ops, clip_by_norm, clip_by_value.
void populateOptimizerPatterns(RewritePatternSet &patterns);
/// rnn, lstm, gru and their gradient ops.
void populateRecurrentPatterns(RewritePatternSet &patterns);
/// sample_normal, kl_normal and their gradient ops.
void populateVariationalPatterns(RewritePatternSet &patterns);

//===----------------------------------------------------------------------===//
// Activations (defined in LayerPatterns.cpp and GradientPatterns.cpp, beside
// the activation op's and activation_grad's lowerings)
//===----------------------------------------------------------------------===//

/// The activation |kind| (not softmax) of the scalar |x|; linear is |x|.
Value createActivation(OpBuilder &b, Location loc, ActivationKind kind,
                       Value x);
/// The derivative of activation |kind| (not softmax) times |dy|, from the
/// activation's output |y|; linear passes |dy|.
Value createActivationGrad(OpBuilder &b, Location loc, ActivationKind kind,
                           Value y, Value dy);

//===----------------------------------------------------------------------===//
// Losses (defined in LossPatterns.cpp, next to the loss lowering, so that the
// loss and its gradient cannot drift apart)
//===----------------------------------------------------------------------===//

/// The per-element term f(p, t) of loss |kind|; the loss is the sum of the
/// terms times `getLossScale`.
Value createLossTerm(OpBuilder &b, Location loc, LossFunction kind, Value p,
                     Value t);
/// df/dp of `createLossTerm`, zero where bce/cce clip the prediction.
Value createLossTermDerivative(OpBuilder &b, Location loc, LossFunction kind,
                               Value p, Value t);
/// 1 / (the number of terms averaged) for a prediction of type |type|.
double getLossScale(LossFunction kind, LossReduction reduction, RankedTensorType type);

//===----------------------------------------------------------------------===//
// Types and constants
//===----------------------------------------------------------------------===//

/// The scalar body of a generic: gets the scalars of the inputs (and, for
/// reductions, the accumulators) and returns one value per result.
using ScalarFn =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;
using MultiScalarFn =
    llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>;

inline RankedTensorType getTensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Fails the match of |op| unless every operand and result has a static
/// shape; the lowerings size buffers and divisors from the types.
LogicalResult checkStaticShapes(Operation *op, PatternRewriter &rewriter);

/// An `arith.constant` of |value| with float type |type|.
Value createFloat(OpBuilder &b, Location loc, Type type, double value);
/// An `arith.constant` of |value| of type i64.
Value createI64(OpBuilder &b, Location loc, uint64_t value);

/// `tensor.empty` of |type| (static shape).
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type);
/// `tensor.empty` of |type| filled with |value| by `linalg.fill`.
Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value);

/// `tensor.extract` of the only element of a 0-d tensor.
Value extractScalar(OpBuilder &b, Location loc, Value tensor);
/// `tensor.from_elements` making a 0-d tensor of |scalar|.
Value createScalarTensor(OpBuilder &b, Location loc, Value scalar);

/// Float arithmetic of one element type, for generic bodies and scalar code.
/// Nested calls such as `add(mul(a, b), c(1))` leave the order of the
/// created ops to the C++ compiler; the lowerings bind intermediate values to
/// names so that the emitted IR is the same with every compiler.
struct ScalarBuilder {
  OpBuilder &b;
  Location loc;
  Type type;

  Value c(double v) const { return createFloat(b, loc, type, v); }
  Value add(Value l, Value r) const;
  Value sub(Value l, Value r) const;
  Value mul(Value l, Value r) const;
  Value div(Value l, Value r) const;
  Value max(Value l, Value r) const;
  Value min(Value l, Value r) const;
  Value neg(Value v) const;
  Value sqrt(Value v) const;
  Value exp(Value v) const;
  Value log(Value v) const;
  Value cmp(arith::CmpFPredicate pred, Value l, Value r) const;
  Value select(Value cond, Value t, Value f) const;
  /// rho * acc + (1 - rho) * v: one step of an exponential moving average.
  Value ema(double rho, Value acc, Value v) const;
};

//===----------------------------------------------------------------------===//
// Generics
//===----------------------------------------------------------------------===//

/// A `linalg.generic` whose region yields what |body| returns for the block
/// arguments (input scalars, then output scalars).
linalg::GenericOp createGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                                ValueRange outputs, ArrayRef<AffineMap> maps,
                                ArrayRef<utils::IteratorType> iterators,
                                MultiScalarFn body);

/// One `linalg.generic` over |resultTypes|' common shape; every input has
/// that shape, or is 0-d and broadcast. |body| gets the input scalars only.
SmallVector<Value> createElementwise(OpBuilder &b, Location loc,
                                     ValueRange inputs, TypeRange resultTypes,
                                     MultiScalarFn body);
Value createElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                        Type resultType, ScalarFn body);

/// Reduces the last axis of |inputs| (all [..., C]) into tensors [...] that
/// start at |inits| (one scalar per result); |rows| ([...]) are read
/// broadcast along the last axis. |combine| gets the input scalars, the row
/// scalars, then the accumulators, and returns the new accumulators.
SmallVector<Value> createLastAxisReduction(OpBuilder &b, Location loc,
                                           ValueRange inputs, ValueRange rows,
                                           ValueRange inits,
                                           MultiScalarFn combine);

/// An elementwise generic over |inputs| ([..., C]) that also reads |rows|
/// ([...]) broadcast along the last axis. |body| gets the input scalars then
/// the row scalars.
Value createRowBroadcast(OpBuilder &b, Location loc, ValueRange inputs,
                         ValueRange rows, ScalarFn body);

/// The sum over every element of |inputs| (one shape) of |summand|, as a
/// scalar of type |type|. Sums each first-axis slice, then the slices, which
/// keeps f32 rounding error per sample rather than per batch.
Value createSum(OpBuilder &b, Location loc, ValueRange inputs, Type type,
                ScalarFn summand);

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

/// |v| with the static shape of |type|, in row-major order: a single
/// `tensor.collapse_shape` or `tensor.expand_shape` when one suffices,
/// otherwise a collapse to 1-D followed by an expand.
Value createReshape(OpBuilder &b, Location loc, Value v, RankedTensorType type);

/// Collapses [d0, ..., dn-2, dn-1] to [d0 * ... * dn-2, dn-1] (no-op for a
/// matrix).
Value collapseToMatrix(OpBuilder &b, Location loc, Value v);

/// The product of all dimensions but the last.
int64_t getNumRows(RankedTensorType type);

} // namespace mlir::aenet

#endif // AENET_LIB_CONVERSION_AENETTOLINALG_PATTERNUTILS_H
