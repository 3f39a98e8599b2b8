//===- AenetToLinalg.cpp - The aenet-lower-to-linalg pass -----------------===//
//
// Puts the pattern families together (LayerPatterns, ConvPatterns,
// LossPatterns, GradientPatterns, OptimizerPatterns, RecurrentPatterns,
// VariationalPatterns) and runs them as a
// partial conversion in which every aenet op is illegal: the pass fails if
// any op is left.
//
//===----------------------------------------------------------------------===//

#include "aenet/Conversion/Passes.h"

#include "PatternUtils.h"

#include "aenet/Dialect/Aenet/IR/AenetDialect.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::aenet {
#define GEN_PASS_DEF_AENETLOWERTOLINALG
#include "aenet/Conversion/Passes.h.inc"
} // namespace mlir::aenet

using namespace mlir;
using namespace mlir::aenet;

void mlir::aenet::populateAenetToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  populateLayerPatterns(patterns);
  populateConvPatterns(patterns);
  populateLossPatterns(patterns);
  populateGradientPatterns(patterns);
  populateOptimizerPatterns(patterns);
  populateRecurrentPatterns(patterns);
  populateVariationalPatterns(patterns);
}

void mlir::aenet::configureAenetToLinalgTarget(ConversionTarget &target) {
  target.addIllegalDialect<AenetDialect>();
  target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                         math::MathDialect, scf::SCFDialect,
                         tensor::TensorDialect>();
}

namespace {

/// The lowerings size buffers and divisors from static types: reports every
/// aenet op with a dynamic dimension instead of leaving it unconverted.
LogicalResult checkStaticShapes(ModuleOp module) {
  bool ok = true;
  module.walk([&](Operation *op) {
    if (!isa<AenetDialect>(op->getDialect()))
      return;
    auto isDynamic = [](Type t) {
      auto shaped = dyn_cast<ShapedType>(t);
      return shaped && !shaped.hasStaticShape();
    };
    if (llvm::any_of(op->getOperandTypes(), isDynamic) ||
        llvm::any_of(op->getResultTypes(), isDynamic)) {
      op->emitOpError() << "cannot be lowered to linalg with dynamic shapes";
      ok = false;
    }
  });
  return success(ok);
}

struct AenetLowerToLinalgPass
    : public mlir::aenet::impl::AenetLowerToLinalgBase<AenetLowerToLinalgPass> {
  void runOnOperation() override {
    if (failed(checkStaticShapes(getOperation())))
      return signalPassFailure();
    ConversionTarget target(getContext());
    configureAenetToLinalgTarget(target);
    RewritePatternSet patterns(&getContext());
    populateAenetToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
