//===- AenetToOneDNN.cpp - aenet ops to oneDNN kernel calls ---------------===//
//
// Implements aenet-lower-to-onednn: one pattern per op, each turning the op
// into a call of a runtime kernel (runtime/include/aenet/Runtime/
// OneDnnKernels.def) on buffers. Ops or shapes a kernel does not cover fail
// to match and stay for aenet-lower-to-linalg, so the two lowerings compose.
// Ops are rewritten in program order, so a pattern that chooses a kernel by
// its operands' layout (ConvPatterns.cpp) sees their producers rewritten,
// and the dense and conv2d patterns with a bias reach the activation after
// them before its own pattern does: they take it along as their kernel's
// post-op when nothing else reads the sum (fusibleActivation).
// This file holds the pass and the dense and activation patterns; the
// convolution ops' patterns are in ConvPatterns.cpp.
//
//===----------------------------------------------------------------------===//

#include "aenet/Conversion/Passes.h"

#include "KernelCall.h"

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::aenet {
#define GEN_PASS_DEF_AENETLOWERTOONEDNN
#include "aenet/Conversion/Passes.h.inc"
} // namespace mlir::aenet

using namespace mlir;
using namespace mlir::aenet;

namespace {

bool isF32Matrix(Value v) { return isStaticF32(v, 2); }

/// Activations run on any f32 tensor of rank 2 or more, read as the matrix
/// of its last axis (softmax's axis) against all others.
bool isActivationOperand(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.getRank() >= 2 && isStaticF32(v, t.getRank());
}

/// Elementwise activations of images run on the images' own layout (NHWC
/// between oneDNN's image kernels), not as a matrix, which would need the
/// identity layout and so a copy. Softmax is over the last axis: a matrix.
bool isImageActivation(RankedTensorType type, ActivationKind kind) {
  return type.getRank() == 4 && kind != ActivationKind::softmax;
}

struct DenseToOneDNN : OpRewritePattern<DenseOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DenseOp op,
                                PatternRewriter &rewriter) const override {
    if (!isF32Matrix(op.getInput()) || !isF32Matrix(op.getOutput()))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 matrices");
    CallBuilder c(rewriter, op);
    Value x = c.input(op.getInput()), k = c.input(op.getKernel());
    Value y = c.output(cast<RankedTensorType>(op.getType()));
    if (!op.getBias()) {
      c.call(DnnlKernel::matmul, {x, k, y, c.flag(0), c.flag(0)});
      rewriter.replaceOp(op, c.result());
      return success();
    }
    // The layer's activation, when nothing else reads the sum, is the
    // matmul's post-op: no pass over the sum, no buffer for it.
    ActivationOp activation = fusibleActivation(op.getOutput());
    ActivationKind kind =
        activation ? activation.getKind() : ActivationKind::linear;
    c.call(DnnlKernel::matmul_bias,
           {x, k, c.input(op.getBias()), y, c.flag(abiActivation(kind))});
    if (activation)
      rewriter.replaceOp(activation, c.result());
    rewriter.replaceOp(op, c.result());
    return success();
  }
};

struct DenseGradInputToOneDNN : OpRewritePattern<DenseGradInputOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DenseGradInputOp op,
                                PatternRewriter &rewriter) const override {
    if (!isF32Matrix(op.getOutputGrad()) || !isF32Matrix(op.getInputGrad()))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 matrices");
    CallBuilder c(rewriter, op);
    // dx = dy * kernel^T: the kernel is read transposed through strides.
    Value dy = c.input(op.getOutputGrad()), k = c.input(op.getKernel());
    Value dx = c.output(cast<RankedTensorType>(op.getType()));
    c.call(DnnlKernel::matmul, {dy, k, dx, c.flag(0), c.flag(1)});
    rewriter.replaceOp(op, c.result());
    return success();
  }
};

struct DenseGradKernelToOneDNN : OpRewritePattern<DenseGradKernelOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DenseGradKernelOp op,
                                PatternRewriter &rewriter) const override {
    if (!isF32Matrix(op.getInput()) || !isF32Matrix(op.getOutputGrad()))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 matrices");
    CallBuilder c(rewriter, op);
    // dkernel = x^T * dy.
    Value x = c.input(op.getInput()), dy = c.input(op.getOutputGrad());
    Value dk = c.output(cast<RankedTensorType>(op.getType()));
    c.call(DnnlKernel::matmul, {x, dy, dk, c.flag(1), c.flag(0)});
    rewriter.replaceOp(op, c.result());
    return success();
  }
};

struct ActivationToOneDNN : OpRewritePattern<ActivationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationOp op,
                                PatternRewriter &rewriter) const override {
    if (!isActivationOperand(op.getInput()) ||
        !oneDnnRunsActivation(op.getKind()))
      return rewriter.notifyMatchFailure(op, "no oneDNN kernel");
    CallBuilder c(rewriter, op);
    auto type = cast<RankedTensorType>(op.getType());
    Value kind = c.flag(abiActivation(op.getKind()));
    if (isImageActivation(type, op.getKind()))
      c.call(DnnlKernel::image_activation,
             {c.imageInput(op.getInput()), c.imageOutput(type), kind});
    else
      c.call(DnnlKernel::activation, {c.matrixInput(op.getInput()),
                                      c.matrixOutput(type), kind});
    rewriter.replaceOp(op, c.result());
    return success();
  }
};

struct ActivationGradToOneDNN : OpRewritePattern<ActivationGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationGradOp op,
                                PatternRewriter &rewriter) const override {
    if (!isActivationOperand(op.getOutput()) ||
        !oneDnnRunsActivation(op.getKind()))
      return rewriter.notifyMatchFailure(op, "no oneDNN kernel");
    CallBuilder c(rewriter, op);
    auto type = cast<RankedTensorType>(op.getType());
    Value kind = c.flag(abiActivation(op.getKind()));
    if (isImageActivation(type, op.getKind()))
      c.call(DnnlKernel::image_activation_grad,
             {c.imageInput(op.getOutput()), c.imageInput(op.getOutputGrad()),
              c.imageOutput(type), kind});
    else
      c.call(DnnlKernel::activation_grad,
             {c.matrixInput(op.getOutput()), c.matrixInput(op.getOutputGrad()),
              c.matrixOutput(type), kind});
    rewriter.replaceOp(op, c.result());
    return success();
  }
};

struct AenetLowerToOneDNNPass
    : public mlir::aenet::impl::AenetLowerToOneDNNBase<AenetLowerToOneDNNPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DenseToOneDNN, DenseGradInputToOneDNN,
                 DenseGradKernelToOneDNN, ActivationToOneDNN,
                 ActivationGradToOneDNN>(&getContext());
    populateConvToOneDNNPatterns(patterns);
    populateRecurrentToOneDNNPatterns(patterns);
    // Only the matched ops are rewritten; nothing else is touched. Top-down:
    // producers before their consumers, which read their layout.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    config.setUseTopDownTraversal(true);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      return signalPassFailure();
  }
};

} // namespace
