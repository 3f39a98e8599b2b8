//===- Passes.h - Transformations of the aenet dialect ----------*- C++ -*-===//
//
// Declares the passes of Passes.td and their registration.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_DIALECT_AENET_TRANSFORMS_PASSES_H
#define AENET_DIALECT_AENET_TRANSFORMS_PASSES_H

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::aenet {

#define GEN_PASS_DECL
#include "aenet/Dialect/Aenet/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "aenet/Dialect/Aenet/Transforms/Passes.h.inc"

} // namespace mlir::aenet

#endif // AENET_DIALECT_AENET_TRANSFORMS_PASSES_H
