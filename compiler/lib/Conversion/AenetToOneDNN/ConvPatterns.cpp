//===- ConvPatterns.cpp - Convolution ops to oneDNN kernel calls ----------===//
//
// One pattern per convolution op, each a call of the kernel of the same name
// in runtime/include/aenet/Runtime/OneDnnKernels.def with the op's strides,
// pads (and window) as i64 flags. Where oneDNN's primitive is slow for the
// shapes, the pattern picks the runtime's specialised kernel instead, one
// decision each, visible in the IR:
//   - conv2d with one filter, and conv2d_grad_kernel with one filter or one
//     input channel: `_thin_output` / `_thin_input`, matrix products
//     (runtime/lib/ThinConv.cpp: oneDNN's direct convolution wastes 7 of
//     its 8 channel lanes there); they need the image (x, or dy for one
//     input channel) in NHWC;
//   - maxpool2d_grad of windows that neither overlap nor reach into padding
//     on NHWC images: `maxpool2d_grad_disjoint`, one pass on the host
//     (runtime/lib/DisjointMaxPoolGrad.cpp) instead of the forward again.
// conv2d_grad_kernel takes along the
// conv2d_grad_bias of the same dy, when there is one, since oneDNN's
// backward weights computes the bias gradient in the same pass (alone,
// oneDNN's reduction primitive has only a reference implementation, ~25x
// slower than the loops, so a lone conv2d_grad_bias stays for them).
// maxpool2d_grad passes the pooling's input but not its output: the generic
// kernel runs the forward again for oneDNN's workspace.
//
//===----------------------------------------------------------------------===//

#include "KernelCall.h"

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "mlir/IR/Dominance.h"

using namespace mlir;
using namespace mlir::aenet;

namespace {

bool areImages(ValueRange values) {
  return llvm::all_of(values, [](Value v) { return isStaticF32(v, 4); });
}

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// The flags of a window's placement: strides then pads [top, left,
/// bottom, right].
SmallVector<Value> placement(CallBuilder &c, ArrayRef<int64_t> strides,
                             ArrayRef<int64_t> pads) {
  SmallVector<Value> flags;
  for (int64_t v : strides)
    flags.push_back(c.flag(v));
  for (int64_t v : pads)
    flags.push_back(c.flag(v));
  return flags;
}

/// The kernel of |withBias| or |withoutBias| as |hasBias| says.
DnnlKernel pick(bool hasBias, DnnlKernel withBias, DnnlKernel withoutBias) {
  return hasBias ? withBias : withoutBias;
}

/// conv2d and conv2d_transpose: the same call shape, with or without bias.
/// |nhwcImage| reads the input as NHWC (the thin kernel's contract).
/// |kernelBias| takes an activation flag when |activationFlag| says so:
/// then the layer's activation, when nothing else reads the sum, is the
/// kernel's post-op instead of an image_activation pass and buffer.
template <typename Op>
LogicalResult rewriteConvolution(Op op, PatternRewriter &rewriter,
                                 DnnlKernel kernel, DnnlKernel kernelBias,
                                 bool nhwcImage = false,
                                 bool activationFlag = false) {
  CallBuilder c(rewriter, op);
  SmallVector<Value> args = {nhwcImage ? c.nhwcInput(op.getInput())
                                       : c.imageInput(op.getInput()),
                             c.input(op.getKernel())};
  if (op.getBias())
    args.push_back(c.input(op.getBias()));
  args.push_back(c.imageOutput(typeOf(op.getOutput())));
  args.append(placement(c, op.getStrides(), op.getPads()));
  ActivationOp activation;
  if (op.getBias() && activationFlag) {
    activation = fusibleActivation(op.getOutput());
    args.push_back(c.flag(abiActivation(
        activation ? activation.getKind() : ActivationKind::linear)));
  }
  c.call(pick(static_cast<bool>(op.getBias()), kernelBias, kernel), args);
  if (activation)
    rewriter.replaceOp(activation, c.result());
  rewriter.replaceOp(op, c.result());
  return success();
}

template <typename Op> bool areConvolutionOperands(Op op) {
  return areImages({op.getInput(), op.getKernel(), op.getOutput()}) &&
         (!op.getBias() || isStaticF32(op.getBias(), 1));
}

struct Conv2DToOneDNN : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (!areConvolutionOperands(op))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 images");
    // One filter [1, C, kh, kw] of an NHWC image: a matrix product.
    if (typeOf(op.getKernel()).getDimSize(0) == 1 &&
        isNhwcImage(op.getInput()))
      return rewriteConvolution(op, rewriter, DnnlKernel::conv2d_thin_output,
                                DnnlKernel::conv2d_thin_output_bias,
                                /*nhwcImage=*/true, /*activationFlag=*/true);
    return rewriteConvolution(op, rewriter, DnnlKernel::conv2d,
                              DnnlKernel::conv2d_bias, /*nhwcImage=*/false,
                              /*activationFlag=*/true);
  }
};

struct Conv2DTransposeToOneDNN : OpRewritePattern<Conv2DTransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DTransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!areConvolutionOperands(op))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 images");
    return rewriteConvolution(op, rewriter, DnnlKernel::conv2d_transpose,
                              DnnlKernel::conv2d_transpose_bias);
  }
};

struct Conv2DGradInputToOneDNN : OpRewritePattern<Conv2DGradInputOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DGradInputOp op,
                                PatternRewriter &rewriter) const override {
    if (!areImages({op.getOutputGrad(), op.getKernel(), op.getInputGrad()}))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 images");
    CallBuilder c(rewriter, op);
    SmallVector<Value> args = {c.imageInput(op.getOutputGrad()),
                               c.input(op.getKernel()),
                               c.imageOutput(typeOf(op.getInputGrad()))};
    args.append(placement(c, op.getStrides(), op.getPads()));
    c.call(DnnlKernel::conv2d_grad_input, args);
    rewriter.replaceOp(op, c.result());
    return success();
  }
};

struct Conv2DGradKernelToOneDNN : OpRewritePattern<Conv2DGradKernelOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DGradKernelOp op,
                                PatternRewriter &rewriter) const override {
    if (!areImages({op.getInput(), op.getOutputGrad(), op.getKernelGrad()}))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 images");
    Conv2DGradBiasOp biasGrad = findBiasGrad(op);
    // One call computes both: it goes where the earlier of the two was.
    OpBuilder::InsertionGuard guard(rewriter);
    if (biasGrad && biasGrad->isBeforeInBlock(op))
      rewriter.setInsertionPoint(biasGrad);
    CallBuilder c(rewriter, op);
    // One filter of an NHWC x, or one input channel (and several filters)
    // with an NHWC dy: matrix products.
    int64_t filters = typeOf(op.getKernelGrad()).getDimSize(0);
    int64_t channels = typeOf(op.getInput()).getDimSize(1);
    bool thinOutput = filters == 1 && isNhwcImage(op.getInput());
    bool thinInput = !thinOutput && channels == 1 && filters > 1 &&
                     isNhwcImage(op.getOutputGrad());
    SmallVector<Value> args = {
        thinOutput ? c.nhwcInput(op.getInput()) : c.imageInput(op.getInput()),
        thinInput ? c.nhwcInput(op.getOutputGrad())
                  : c.imageInput(op.getOutputGrad()),
        c.output(typeOf(op.getKernelGrad()))};
    if (biasGrad)
      args.push_back(c.output(typeOf(biasGrad.getBiasGrad())));
    args.append(placement(c, op.getStrides(), op.getPads()));
    bool bias = static_cast<bool>(biasGrad);
    if (thinOutput)
      c.call(pick(bias, DnnlKernel::conv2d_grad_kernel_thin_output_bias,
                  DnnlKernel::conv2d_grad_kernel_thin_output),
             args);
    else if (thinInput)
      c.call(pick(bias, DnnlKernel::conv2d_grad_kernel_thin_input_bias,
                  DnnlKernel::conv2d_grad_kernel_thin_input),
             args);
    else
      c.call(pick(bias, DnnlKernel::conv2d_grad_kernel_bias,
                  DnnlKernel::conv2d_grad_kernel),
             args);
    rewriter.replaceOp(op, c.result(0));
    if (biasGrad)
      rewriter.replaceOp(biasGrad, c.result(1));
    return success();
  }

private:
  /// A conv2d_grad_bias of the same dy, in the same block, that the call
  /// can replace: the input must be defined before the earlier of the two.
  static Conv2DGradBiasOp findBiasGrad(Conv2DGradKernelOp op) {
    for (Operation *user : op.getOutputGrad().getUsers()) {
      auto biasGrad = dyn_cast<Conv2DGradBiasOp>(user);
      if (!biasGrad || biasGrad->getBlock() != op->getBlock() ||
          !isStaticF32(biasGrad.getBiasGrad(), 1))
        continue;
      if (op->isBeforeInBlock(biasGrad) ||
          DominanceInfo(op->getParentOp())
              .properlyDominates(op.getInput(), biasGrad))
        return biasGrad;
    }
    return {};
  }
};

/// The flags of a pooling window: its extent, then its placement.
SmallVector<Value> poolingFlags(CallBuilder &c, ArrayRef<int64_t> window,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> pads) {
  SmallVector<Value> flags = {c.flag(window[0]), c.flag(window[1])};
  flags.append(placement(c, strides, pads));
  return flags;
}

struct MaxPool2DToOneDNN : OpRewritePattern<MaxPool2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPool2DOp op,
                                PatternRewriter &rewriter) const override {
    if (!areImages({op.getInput(), op.getOutput()}))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 images");
    CallBuilder c(rewriter, op);
    SmallVector<Value> args = {c.imageInput(op.getInput()),
                               c.imageOutput(typeOf(op.getOutput()))};
    args.append(
        poolingFlags(c, op.getWindow(), op.getStrides(), op.getPads()));
    c.call(DnnlKernel::maxpool2d, args);
    rewriter.replaceOp(op, c.result());
    return success();
  }
};

struct MaxPool2DGradToOneDNN : OpRewritePattern<MaxPool2DGradOp> {
  using OpRewritePattern::OpRewritePattern;

  /// Windows that neither overlap (the stride is the window) nor reach into
  /// padding, on NHWC x and dy (dx is the call's NHWC output): each input
  /// element belongs to at most one window.
  static bool isDisjoint(MaxPool2DGradOp op) {
    return op.getStrides() == op.getWindow() &&
           llvm::all_of(op.getPads(), [](int64_t p) { return p == 0; }) &&
           isNhwcImage(op.getInput()) && isNhwcImage(op.getOutputGrad());
  }

  LogicalResult matchAndRewrite(MaxPool2DGradOp op,
                                PatternRewriter &rewriter) const override {
    if (!areImages({op.getInput(), op.getOutputGrad()}))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 images");
    CallBuilder c(rewriter, op);
    ArrayRef<int64_t> window = op.getWindow();
    if (isDisjoint(op)) {
      SmallVector<Value> args = {c.nhwcInput(op.getInput()),
                                 c.nhwcInput(op.getOutputGrad()),
                                 c.imageOutput(typeOf(op.getInputGrad())),
                                 c.flag(window[0]), c.flag(window[1])};
      c.call(DnnlKernel::maxpool2d_grad_disjoint, args);
    } else {
      SmallVector<Value> args = {c.imageInput(op.getInput()),
                                 c.imageInput(op.getOutputGrad()),
                                 c.imageOutput(typeOf(op.getInputGrad()))};
      args.append(poolingFlags(c, window, op.getStrides(), op.getPads()));
      c.call(DnnlKernel::maxpool2d_grad, args);
    }
    rewriter.replaceOp(op, c.result());
    return success();
  }
};

struct Upsample2DToOneDNN : OpRewritePattern<Upsample2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Upsample2DOp op,
                                PatternRewriter &rewriter) const override {
    if (!areImages({op.getInput(), op.getOutput()}))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 images");
    CallBuilder c(rewriter, op);
    Value x = c.imageInput(op.getInput());
    Value y = c.imageOutput(typeOf(op.getOutput()));
    c.call(DnnlKernel::upsample2d, {x, y});
    rewriter.replaceOp(op, c.result());
    return success();
  }
};

struct Upsample2DGradToOneDNN : OpRewritePattern<Upsample2DGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Upsample2DGradOp op,
                                PatternRewriter &rewriter) const override {
    if (!areImages({op.getOutputGrad(), op.getInputGrad()}))
      return rewriter.notifyMatchFailure(op, "oneDNN takes f32 images");
    CallBuilder c(rewriter, op);
    Value dy = c.imageInput(op.getOutputGrad());
    Value dx = c.imageOutput(typeOf(op.getInputGrad()));
    c.call(DnnlKernel::upsample2d_grad, {dy, dx});
    rewriter.replaceOp(op, c.result());
    return success();
  }
};

} // namespace

void mlir::aenet::populateConvToOneDNNPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2DToOneDNN, Conv2DTransposeToOneDNN,
               Conv2DGradInputToOneDNN, Conv2DGradKernelToOneDNN,
               MaxPool2DToOneDNN, MaxPool2DGradToOneDNN, Upsample2DToOneDNN,
               Upsample2DGradToOneDNN>(patterns.getContext());
}
