//===- ClipOps.cpp - clip and clip_grad: verifiers and gradient rule ------===//
//
// The bounds of both ops are checked the same way; clip's adjoint is
// clip_grad, which reads the forward input (not the output: an output equal
// to a bound cannot tell a clipped element from one that was exactly there).
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "VerifyUtils.h"

using namespace mlir;
using namespace mlir::aenet;

/// Fails unless [|min|, |max|] is a range: ordered, neither bound NaN.
static LogicalResult verifyBounds(Operation *op, APFloat min, APFloat max) {
  double lo = min.convertToDouble(), hi = max.convertToDouble();
  if (!(lo <= hi))
    return op->emitOpError() << "expects min <= max, got min = " << lo
                             << " and max = " << hi;
  return success();
}

LogicalResult ClipOp::verify() {
  return verifyBounds(*this, getMin(), getMax());
}

LogicalResult ClipOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                     SmallVectorImpl<Value> &grads) {
  grads.push_back(ClipGradOp::create(b, getLoc(), getInput(), dy[0],
                                     getMinAttr(), getMaxAttr()));
  return success();
}

LogicalResult ClipGradOp::verify() {
  return verifyBounds(*this, getMin(), getMax());
}
