//===- RecurrentPatterns.cpp - Loops lowering of the recurrent family -----===//
//
// One pattern per op of the recurrent family: each reads its operands into
// a CellOperands and leaves the loops to RecurrentCells.cpp, where the
// three cells' forward and backward steps are written once for the forward
// ops and the gradient ops (which recompute their forward pass).
//
//===----------------------------------------------------------------------===//

#include "RecurrentCells.h"

using namespace mlir;
using namespace mlir::aenet;

namespace {

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

struct RnnLowering : OpConversionPattern<RnnOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RnnOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    CellOperands c = cellOperands(
        adaptor.getInput(), adaptor.getInitialH(), {}, adaptor.getKernel(),
        adaptor.getRecurrentKernel(), adaptor.getBias(), adaptor.getLengths(),
        op.getActivation(),
        ActivationKind::sigmoid, false);
    rewriter.replaceOp(op, lowerForward(rewriter, op.getLoc(), Cell::Rnn, c));
    return success();
  }
};

struct LstmLowering : OpConversionPattern<LstmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LstmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    CellOperands c = cellOperands(
        adaptor.getInput(), adaptor.getInitialH(), adaptor.getInitialC(),
        adaptor.getKernel(), adaptor.getRecurrentKernel(), adaptor.getBias(),
        adaptor.getLengths(), op.getActivation(), op.getRecurrentActivation(),
        false);
    rewriter.replaceOp(op, lowerForward(rewriter, op.getLoc(), Cell::Lstm, c));
    return success();
  }
};

struct GruLowering : OpConversionPattern<GruOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GruOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    CellOperands c = cellOperands(
        adaptor.getInput(), adaptor.getInitialH(), {}, adaptor.getKernel(),
        adaptor.getRecurrentKernel(), adaptor.getBias(), adaptor.getLengths(),
        op.getActivation(),
        op.getRecurrentActivation(), op.getResetAfter());
    rewriter.replaceOp(op, lowerForward(rewriter, op.getLoc(), Cell::Gru, c));
    return success();
  }
};

struct RnnGradLowering : OpConversionPattern<RnnGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RnnGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    CellOperands c = cellOperands(
        adaptor.getInput(), adaptor.getInitialH(), {}, adaptor.getKernel(),
        adaptor.getRecurrentKernel(), adaptor.getBias(), adaptor.getLengths(),
        op.getActivation(),
        ActivationKind::sigmoid, false);
    rewriter.replaceOp(op, lowerBackward(rewriter, op.getLoc(), Cell::Rnn, c,
                                         adaptor.getSequenceGrad(),
                                         adaptor.getFinalHGrad(), {},
                                         getTensorType(op.getBiasGrad())));
    return success();
  }
};

struct LstmGradLowering : OpConversionPattern<LstmGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LstmGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    CellOperands c = cellOperands(
        adaptor.getInput(), adaptor.getInitialH(), adaptor.getInitialC(),
        adaptor.getKernel(), adaptor.getRecurrentKernel(), adaptor.getBias(),
        adaptor.getLengths(), op.getActivation(), op.getRecurrentActivation(),
        false);
    rewriter.replaceOp(op, lowerBackward(rewriter, op.getLoc(), Cell::Lstm, c,
                                         adaptor.getSequenceGrad(),
                                         adaptor.getFinalHGrad(),
                                         adaptor.getFinalCGrad(),
                                         getTensorType(op.getBiasGrad())));
    return success();
  }
};

struct GruGradLowering : OpConversionPattern<GruGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GruGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkStaticShapes(op, rewriter)))
      return failure();
    CellOperands c = cellOperands(
        adaptor.getInput(), adaptor.getInitialH(), {}, adaptor.getKernel(),
        adaptor.getRecurrentKernel(), adaptor.getBias(), adaptor.getLengths(),
        op.getActivation(),
        op.getRecurrentActivation(), op.getResetAfter());
    rewriter.replaceOp(op, lowerBackward(rewriter, op.getLoc(), Cell::Gru, c,
                                         adaptor.getSequenceGrad(),
                                         adaptor.getFinalHGrad(), {},
                                         getTensorType(op.getBiasGrad())));
    return success();
  }
};

} // namespace

void mlir::aenet::populateRecurrentPatterns(RewritePatternSet &patterns) {
  patterns.add<RnnLowering, LstmLowering, GruLowering, RnnGradLowering,
               LstmGradLowering, GruGradLowering>(patterns.getContext());
}
