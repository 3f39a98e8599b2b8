//===- Passes.h - Conversions out of the aenet dialect ----------*- C++ -*-===//
//
// Declares the conversion passes of Passes.td, their registration, and the
// pattern sets they are built from, so that a pipeline can reuse them.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_CONVERSION_PASSES_H
#define AENET_CONVERSION_PASSES_H

#include "aenet/Dialect/Aenet/IR/AenetDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class ConversionTarget;
class RewritePatternSet;

namespace aenet {

#define GEN_PASS_DECL
#include "aenet/Conversion/Passes.h.inc"

/// Adds the patterns that rewrite every aenet op into linalg, tensor, arith
/// and math ops on tensors.
void populateAenetToLinalgConversionPatterns(RewritePatternSet &patterns);

/// Marks the aenet dialect illegal and the dialects the patterns emit legal.
void configureAenetToLinalgTarget(ConversionTarget &target);

/// aenet-lower-to-onednn's ABI: the function attribute counting an entry
/// function's kernel call sites (i64), and the argument attribute (unit)
/// marking the `!llvm.ptr` argument that receives the runtime's table of
/// their state (aenet::rt::KernelSites, bound by CompiledModel::bind).
inline constexpr llvm::StringLiteral kKernelSitesAttrName =
    AenetDialect::getKernelSitesAttrName();

#define GEN_PASS_REGISTRATION
#include "aenet/Conversion/Passes.h.inc"

} // namespace aenet
} // namespace mlir

#endif // AENET_CONVERSION_PASSES_H
