//===- VariationalOps.cpp - sample_normal, kl_normal: verifiers, rules ----===//
//
// The verifiers and adjoints of the variational autoencoder's two ops
// (TOOLCHAIN.md §11 has the formulas, checked numerically). sample_normal's
// adjoint emits sample_normal_grad, which redraws the forward pass's eps from
// the same seed and salt, so nothing random is stored between the passes.
// kl_normal differentiates w.r.t. both of its operands: unlike a loss of a
// prediction against a target, both are computed by the encoder.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "VerifyUtils.h"

using namespace mlir;
using namespace mlir::aenet;

/// Fails unless |v| has the batch first and at least one latent axis.
static LogicalResult verifyLatent(Operation *op, Value v) {
  if (tensorType(v).getRank() < 2)
    return op->emitOpError()
           << "expects mu and logvar of rank >= 2 (batch first), got "
           << v.getType();
  return success();
}

LogicalResult SampleNormalOp::verify() { return verifyLatent(*this, getMu()); }

LogicalResult SampleNormalOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                             SmallVectorImpl<Value> &grads) {
  // z = mu + exp(logvar / 2) * eps: dz/dmu = 1.
  grads.push_back(dy[0]);
  grads.push_back(SampleNormalGradOp::create(b, getLoc(), dy[0], getLogvar(),
                                             getSeed(), getSaltAttr()));
  grads.push_back(Value()); // the seed
  return success();
}

LogicalResult KlNormalOp::verify() {
  if (failed(verifyLatent(*this, getMu())))
    return failure();
  if (getElementTypeOrSelf(getMu().getType()) !=
      getElementTypeOrSelf(getLoss().getType()))
    return emitOpError() << "expects a "
                         << getElementTypeOrSelf(getMu().getType())
                         << " scalar result, got " << getLoss().getType();
  return success();
}

LogicalResult KlNormalOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                         SmallVectorImpl<Value> &grads) {
  auto grad = KlNormalGradOp::create(b, getLoc(), getMu(), getLogvar(), dy[0]);
  grads.push_back(grad.getMuGrad());
  grads.push_back(grad.getLogvarGrad());
  return success();
}
