//===- AenetAttrs.h - Attributes of the aenet dialect -----------*- C++ -*-===//
//
// Declares the enums and the typed attributes generated from AenetEnums.td
// and AenetAttrs.td. AenetOps.h includes this header.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_DIALECT_AENET_IR_AENETATTRS_H
#define AENET_DIALECT_AENET_IR_AENETATTRS_H

#include "aenet/Dialect/Aenet/IR/AenetDialect.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "aenet/Dialect/Aenet/IR/AenetEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "aenet/Dialect/Aenet/IR/AenetAttrs.h.inc"

#endif // AENET_DIALECT_AENET_IR_AENETATTRS_H
