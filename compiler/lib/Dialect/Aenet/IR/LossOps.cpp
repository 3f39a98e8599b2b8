//===- LossOps.cpp - Losses, metrics, regularizers: verifiers, gradients --===//
//
// Each loss and regularizer with its verifier and adjoint. Losses are
// differentiated w.r.t. the prediction only: targets are data. A loss whose
// target is itself computed by the model is refused by the adjoint rather
// than silently given a wrong gradient.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "VerifyUtils.h"

using namespace mlir;
using namespace mlir::aenet;

/// A scalar result must have the inputs' element type.
static LogicalResult verifyScalarOf(Operation *op, Value input, Value scalar) {
  if (getElementTypeOrSelf(input.getType()) !=
      getElementTypeOrSelf(scalar.getType()))
    return op->emitOpError() << "expects a " << getElementTypeOrSelf(input.getType())
                             << " scalar result, got " << scalar.getType();
  return success();
}

LogicalResult LossOp::verify() {
  if (failed(sameShape(*this, getPrediction(), getTarget(), "prediction",
                       "target")) ||
      failed(sameElementType(*this)))
    return failure();
  return verifyScalarOf(*this, getPrediction(), getLoss());
}

LogicalResult LossOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                     SmallVectorImpl<Value> &grads) {
  if (getTarget().getDefiningOp())
    return emitOpError() << "cannot differentiate w.r.t. a computed target; "
                            "a loss target must be an input of the model";
  grads.push_back(LossGradOp::create(b, getLoc(),
                                     getKind(), getReduction(),
                                     getPrediction(), getTarget(), dy[0]));
  grads.push_back(Value());
  return success();
}

LogicalResult MetricOp::verify() {
  bool alone = getKind() == MetricKind::mean_abs;
  if (alone != !getTarget())
    return emitOpError() << stringifyMetricKind(getKind())
                         << (alone ? " takes no target" : " needs a target");
  if (getTarget() && failed(sameShape(*this, getPrediction(), getTarget(),
                                      "prediction", "target")))
    return failure();
  if (failed(sameElementType(*this)))
    return failure();
  return verifyScalarOf(*this, getPrediction(), getValue());
}

LogicalResult L1ActivityOp::verify() {
  if (getFactor().convertToDouble() < 0)
    return emitOpError() << "expects a non-negative factor";
  return verifyScalarOf(*this, getInput(), getLoss());
}

LogicalResult L1ActivityOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                           SmallVectorImpl<Value> &grads) {
  grads.push_back(L1ActivityGradOp::create(b, getLoc(),
                                           getInput(), dy[0],
                                           getFactorAttr()));
  return success();
}

LogicalResult L2WeightOp::verify() {
  if (getFactor().convertToDouble() < 0)
    return emitOpError() << "expects a non-negative factor";
  return verifyScalarOf(*this, getInput(), getLoss());
}

LogicalResult L2WeightOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                         SmallVectorImpl<Value> &grads) {
  grads.push_back(L2WeightGradOp::create(b, getLoc(),
                                         getInput(), dy[0], getFactorAttr()));
  return success();
}
