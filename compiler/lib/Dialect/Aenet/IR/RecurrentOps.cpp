//===- RecurrentOps.cpp - Recurrent ops: verifiers and gradient rules -----===//
//
// The rnn, lstm and gru ops and their gradient ops share one shape contract
// (AenetRecurrentOps.td), checked here once for all six. Each forward op's
// adjoint is its gradient op: backpropagation through time cannot be split
// into per-step ops without unrolling the sequence, so the whole reverse
// sweep is one op that each backend lowers as a loop.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "VerifyUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::aenet;

namespace {

/// The operands and results of a recurrent op or its gradient op that the
/// shape contract relates; null where the variant has none.
struct RecurrentValues {
  Value input, initialH, initialC, kernel, recurrentKernel, bias;
  /// The forward results (of the op, or the gradient op's operands).
  Value sequence, finalH, finalC;
  /// A gradient op's gradients of the forward results.
  Value sequenceGrad, finalHGrad, finalCGrad;
  /// The optional per-sample lengths [N] that mask padded steps.
  Value lengths;
  int64_t gates = 1;
  bool resetAfter = false;
};

RecurrentValues valuesOf(RnnOp op) {
  RecurrentValues v;
  v.input = op.getInput();
  v.initialH = op.getInitialH();
  v.kernel = op.getKernel();
  v.recurrentKernel = op.getRecurrentKernel();
  v.bias = op.getBias();
  v.lengths = op.getLengths();
  v.sequence = op.getSequence();
  v.finalH = op.getFinalH();
  return v;
}
RecurrentValues valuesOf(LstmOp op) {
  RecurrentValues v;
  v.input = op.getInput();
  v.initialH = op.getInitialH();
  v.initialC = op.getInitialC();
  v.kernel = op.getKernel();
  v.recurrentKernel = op.getRecurrentKernel();
  v.bias = op.getBias();
  v.lengths = op.getLengths();
  v.sequence = op.getSequence();
  v.finalH = op.getFinalH();
  v.finalC = op.getFinalC();
  v.gates = 4;
  return v;
}
RecurrentValues valuesOf(GruOp op) {
  RecurrentValues v;
  v.input = op.getInput();
  v.initialH = op.getInitialH();
  v.kernel = op.getKernel();
  v.recurrentKernel = op.getRecurrentKernel();
  v.bias = op.getBias();
  v.lengths = op.getLengths();
  v.sequence = op.getSequence();
  v.finalH = op.getFinalH();
  v.gates = 3;
  v.resetAfter = op.getResetAfter();
  return v;
}
/// A gradient op's values: its forward op's, and the result gradients.
template <typename GradOp>
RecurrentValues gradValues(GradOp op, int64_t gates, bool resetAfter) {
  RecurrentValues v;
  v.input = op.getInput();
  v.initialH = op.getInitialH();
  v.kernel = op.getKernel();
  v.recurrentKernel = op.getRecurrentKernel();
  v.bias = op.getBias();
  v.lengths = op.getLengths();
  v.sequence = op.getSequence();
  v.finalH = op.getFinalH();
  v.sequenceGrad = op.getSequenceGrad();
  v.finalHGrad = op.getFinalHGrad();
  v.gates = gates;
  v.resetAfter = resetAfter;
  return v;
}
RecurrentValues valuesOf(RnnGradOp op) { return gradValues(op, 1, false); }
RecurrentValues valuesOf(LstmGradOp op) {
  RecurrentValues v = gradValues(op, 4, false);
  v.initialC = op.getInitialC();
  v.finalC = op.getFinalC();
  v.finalCGrad = op.getFinalCGrad();
  return v;
}
RecurrentValues valuesOf(GruGradOp op) {
  return gradValues(op, 3, op.getResetAfter());
}

/// The shape the bias of |v| has (or would have): [G*H], or [2, 3H] for a
/// GRU with reset_after.
SmallVector<int64_t> biasShape(const RecurrentValues &v, int64_t units) {
  if (v.resetAfter)
    return {2, v.gates * units};
  return {v.gates * units};
}

LogicalResult expectShape(Operation *op, Value v, StringRef name,
                          ArrayRef<int64_t> shape) {
  if (tensorType(v).getShape() == shape)
    return success();
  return op->emitOpError() << "expects " << name << " of shape ["
                           << llvm::make_range(shape.begin(), shape.end())
                           << "], got " << v.getType();
}

/// Checks |v| against the family's conventions; sets |units|.
LogicalResult verifyRecurrent(Operation *op, const RecurrentValues &v,
                              int64_t &units) {
  auto in = tensorType(v.input);
  if (in.getRank() != 3 || !in.hasStaticShape())
    return op->emitOpError()
           << "expects a static input [batch, steps, features], got " << in;
  auto rk = tensorType(v.recurrentKernel);
  if (rk.getRank() != 2 || rk.getDimSize(1) != v.gates * rk.getDimSize(0))
    return op->emitOpError() << "expects a recurrent kernel [units, "
                             << v.gates << " * units], got " << rk;
  units = rk.getDimSize(0);
  int64_t n = in.getDimSize(0), t = in.getDimSize(1), c = in.getDimSize(2);
  SmallVector<int64_t> state = {n, units};
  if (failed(expectShape(op, v.kernel, "a kernel", {c, v.gates * units})) ||
      failed(expectShape(op, v.initialH, "an initial h", state)) ||
      (v.initialC &&
       failed(expectShape(op, v.initialC, "an initial c", state))) ||
      (v.bias && failed(expectShape(op, v.bias, "a bias", biasShape(v, units)))) ||
      failed(expectShape(op, v.sequence, "a sequence", {n, t, units})) ||
      failed(expectShape(op, v.finalH, "a final h", state)) ||
      (v.finalC && failed(expectShape(op, v.finalC, "a final c", state))) ||
      (v.lengths && failed(expectShape(op, v.lengths, "lengths", {n}))))
    return failure();
  for (Value operand : op->getOperands())
    if (!isa<FloatType>(getElementTypeOrSelf(operand.getType())))
      return op->emitOpError() << "expects float tensors";
  return sameElementType(op);
}

/// |grad|, or zeros of |like|'s type when no gradient reached |like|.
Value orZeros(OpBuilder &b, Location loc, Value grad, Value like) {
  if (grad)
    return grad;
  auto type = cast<RankedTensorType>(like.getType());
  return arith::ConstantOp::create(b, loc, type,
                                   cast<TypedAttr>(b.getZeroAttr(type)));
}

/// The result types of a gradient op: one per differentiated operand of the
/// forward op, then the bias gradient in the shape its bias has or would
/// have.
SmallVector<Type> gradResultTypes(const RecurrentValues &v) {
  SmallVector<Type> types = {v.input.getType(), v.initialH.getType()};
  if (v.initialC)
    types.push_back(v.initialC.getType());
  types.append({v.kernel.getType(), v.recurrentKernel.getType()});
  auto rk = tensorType(v.recurrentKernel);
  types.push_back(RankedTensorType::get(biasShape(v, rk.getDimSize(0)),
                                        rk.getElementType()));
  return types;
}

/// Appends the gradients of the forward op's operands (in its operand order)
/// from the results of its gradient op |grad|: the bias gradient only if the
/// forward op has a bias; none for lengths, which are data.
void appendOperandGrads(Operation *grad, bool hasBias, bool hasLengths,
                        SmallVectorImpl<Value> &grads) {
  ValueRange results = grad->getResults();
  for (Value r : results.drop_back())
    grads.push_back(r);
  if (hasBias)
    grads.push_back(results.back());
  if (hasLengths)
    grads.push_back(Value());
}


/// Checks a gradient op: its forward values, the gradients of the forward
/// results in their shapes, and its result types.
LogicalResult verifyGrad(Operation *op, const RecurrentValues &v) {
  int64_t units;
  if (failed(verifyRecurrent(op, v, units)) ||
      failed(sameShape(op, v.sequence, v.sequenceGrad, "a sequence",
                       "its gradient")) ||
      failed(sameShape(op, v.finalH, v.finalHGrad, "a final h",
                       "its gradient")) ||
      (v.finalC && failed(sameShape(op, v.finalC, v.finalCGrad, "a final c",
                                    "its gradient"))))
    return failure();
  if (op->getResultTypes() != TypeRange(gradResultTypes(v)))
    return op->emitOpError("expects one gradient per differentiated operand, "
                           "in its type, then the bias gradient");
  return success();
}

LogicalResult verifyForward(Operation *op, const RecurrentValues &v) {
  int64_t units;
  return verifyRecurrent(op, v, units);
}

} // namespace

//===----------------------------------------------------------------------===//
// rnn
//===----------------------------------------------------------------------===//

LogicalResult RnnOp::verify() { return verifyForward(*this, valuesOf(*this)); }
LogicalResult RnnGradOp::verify() { return verifyGrad(*this, valuesOf(*this)); }

LogicalResult RnnOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                    SmallVectorImpl<Value> &grads) {
  Location loc = getLoc();
  Value dSequence = orZeros(b, loc, dy[0], getSequence());
  Value dFinalH = orZeros(b, loc, dy[1], getFinalH());
  auto grad = RnnGradOp::create(
      b, loc, gradResultTypes(valuesOf(*this)), getInput(), getInitialH(),
      getKernel(), getRecurrentKernel(), getSequence(), getFinalH(), dSequence,
      dFinalH, getBias(), getLengths(), getActivation());
  appendOperandGrads(grad, static_cast<bool>(getBias()),
                     static_cast<bool>(getLengths()), grads);
  return success();
}

//===----------------------------------------------------------------------===//
// lstm
//===----------------------------------------------------------------------===//

LogicalResult LstmOp::verify() { return verifyForward(*this, valuesOf(*this)); }
LogicalResult LstmGradOp::verify() {
  return verifyGrad(*this, valuesOf(*this));
}

LogicalResult LstmOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                     SmallVectorImpl<Value> &grads) {
  Location loc = getLoc();
  Value dSequence = orZeros(b, loc, dy[0], getSequence());
  Value dFinalH = orZeros(b, loc, dy[1], getFinalH());
  Value dFinalC = orZeros(b, loc, dy[2], getFinalC());
  auto grad = LstmGradOp::create(
      b, loc, gradResultTypes(valuesOf(*this)), getInput(), getInitialH(),
      getInitialC(), getKernel(), getRecurrentKernel(), getSequence(),
      getFinalH(), getFinalC(), dSequence, dFinalH, dFinalC, getBias(),
      getLengths(), getActivation(), getRecurrentActivation());
  appendOperandGrads(grad, static_cast<bool>(getBias()),
                     static_cast<bool>(getLengths()), grads);
  return success();
}

//===----------------------------------------------------------------------===//
// gru
//===----------------------------------------------------------------------===//

LogicalResult GruOp::verify() { return verifyForward(*this, valuesOf(*this)); }
LogicalResult GruGradOp::verify() { return verifyGrad(*this, valuesOf(*this)); }

LogicalResult GruOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                    SmallVectorImpl<Value> &grads) {
  Location loc = getLoc();
  Value dSequence = orZeros(b, loc, dy[0], getSequence());
  Value dFinalH = orZeros(b, loc, dy[1], getFinalH());
  auto grad = GruGradOp::create(
      b, loc, gradResultTypes(valuesOf(*this)), getInput(), getInitialH(),
      getKernel(), getRecurrentKernel(), getSequence(), getFinalH(), dSequence,
      dFinalH, getBias(), getLengths(), getActivation(),
      getRecurrentActivation(), getResetAfter());
  appendOperandGrads(grad, static_cast<bool>(getBias()),
                     static_cast<bool>(getLengths()), grads);
  return success();
}
