//===- OptimizerOps.cpp - Verifiers of the optimizer updates --------------===//
//
// An update reads a parameter, its gradient and its state, all of one type,
// and scalars of its element type (the learning rate, Adam's step), and
// returns new values of the parameter's type.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "VerifyUtils.h"

using namespace mlir;
using namespace mlir::aenet;

/// Every operand and result other than 0-d scalars has the parameter's type,
/// the scalars its element type; rates are in range.
static LogicalResult verifyUpdate(Operation *op, Value param,
                                  ArrayRef<StringRef> fractions = {}) {
  Type type = param.getType();
  Type element = tensorType(param).getElementType();
  for (Value v : op->getOperands()) {
    if (tensorType(v).getRank() != 0 && v.getType() != type)
      return op->emitOpError() << "expects every tensor of type " << type
                               << ", got " << v.getType();
    if (tensorType(v).getRank() == 0 && tensorType(v).getElementType() != element)
      return op->emitOpError() << "expects scalars of " << element << ", got "
                               << v.getType();
  }
  for (Value v : op->getResults())
    if (v.getType() != type)
      return op->emitOpError() << "expects every result of type " << type
                               << ", got " << v.getType();
  for (StringRef name : fractions) {
    double v = op->getAttrOfType<FloatAttr>(name).getValueAsDouble();
    if (!(v >= 0 && v < 1))
      return op->emitOpError() << "expects " << name << " in [0, 1), got " << v;
  }
  return success();
}

LogicalResult SgdUpdateOp::verify() { return verifyUpdate(*this, getParam()); }

LogicalResult MomentumUpdateOp::verify() {
  return verifyUpdate(*this, getParam(), {"momentum"});
}

LogicalResult AdamUpdateOp::verify() {
  return verifyUpdate(*this, getParam(), {"beta1", "beta2"});
}

LogicalResult RmspropUpdateOp::verify() {
  if (static_cast<bool>(getMomentumBuffer()) !=
      static_cast<bool>(getNewMomentumBuffer()))
    return emitOpError() << "expects a momentum buffer operand and result "
                            "together";
  if (getMomentumBuffer() && getMomentum().convertToDouble() == 0)
    return emitOpError() << "has a momentum buffer but zero momentum";
  return verifyUpdate(*this, getParam(), {"rho", "momentum"});
}

LogicalResult AdagradUpdateOp::verify() {
  return verifyUpdate(*this, getParam());
}

LogicalResult AdadeltaUpdateOp::verify() {
  return verifyUpdate(*this, getParam(), {"rho"});
}
