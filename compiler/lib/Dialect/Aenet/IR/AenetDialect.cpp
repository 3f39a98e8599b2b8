//===- AenetDialect.cpp - The aenet dialect -------------------------------===//
//
// Registers the ops and pulls in the generated dialect, enum and interface
// definitions.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetDialect.h"
#include "aenet/Dialect/Aenet/IR/AenetOps.h"

using namespace mlir;
using namespace mlir::aenet;

#include "aenet/Dialect/Aenet/IR/AenetOpsDialect.cpp.inc"
#include "aenet/Dialect/Aenet/IR/AenetEnums.cpp.inc"
#include "aenet/Dialect/Aenet/IR/AenetInterfaces.cpp.inc"

void AenetDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "aenet/Dialect/Aenet/IR/AenetOps.cpp.inc"
      >();
  registerAttributes();
}
