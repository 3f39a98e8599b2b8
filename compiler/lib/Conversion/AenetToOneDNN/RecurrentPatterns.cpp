//===- RecurrentPatterns.cpp - Recurrent ops to oneDNN kernel calls -------===//
//
// rnn, lstm and gru become calls of recurrent_forward, their gradient ops
// calls of recurrent_backward (runtime/lib/OneDnnRnnKernels.cpp), for the
// cells oneDNN's primitives run: vanilla RNN with tanh, relu or sigmoid;
// LSTM and GRU only with Keras's default activations (tanh, sigmoid gates),
// which oneDNN hard-codes. A GRU with reset_after is oneDNN's LBR-GRU. Other
// layers (hard_sigmoid gates, or masked padded steps, which oneDNN's
// primitives cannot skip) fail to match and stay for the loops lowering,
// visibly in `aec compile --emit=onednn`.
//
// The backward kernel needs its forward call's workspace, which lives in
// that call site's state: a forward op whose results a gradient op of the
// same layer reads runs forward_training, and the gradient op's call is
// made at the forward call's site. The gradient pattern finds that site
// through the IR: its sequence operand is the tensor of a buffer the
// forward call wrote, and the call's site number is its constant operand.
// A gradient op whose forward op stayed for the loops lowering stays too.
//
//===----------------------------------------------------------------------===//

#include "KernelCall.h"

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <optional>

using namespace mlir;
using namespace mlir::aenet;
using ::aenet::rt::RecurrentCell;

namespace {

constexpr StringLiteral kForwardSymbol = "aenet_dnnl_recurrent_forward";

/// The oneDNN cell of a layer, if oneDNN runs it.
std::optional<RecurrentCell> cellOf(RnnOp op) {
  switch (op.getActivation()) {
  case ActivationKind::tanh:
    return RecurrentCell::SimpleTanh;
  case ActivationKind::relu:
    return RecurrentCell::SimpleRelu;
  case ActivationKind::sigmoid:
    return RecurrentCell::SimpleSigmoid;
  default:
    return std::nullopt;
  }
}
bool defaultActivations(ActivationKind a, ActivationKind ra) {
  return a == ActivationKind::tanh && ra == ActivationKind::sigmoid;
}
std::optional<RecurrentCell> cellOf(LstmOp op) {
  if (!defaultActivations(op.getActivation(), op.getRecurrentActivation()))
    return std::nullopt;
  return RecurrentCell::Lstm;
}
std::optional<RecurrentCell> cellOf(GruOp op) {
  if (!defaultActivations(op.getActivation(), op.getRecurrentActivation()))
    return std::nullopt;
  return op.getResetAfter() ? RecurrentCell::LbrGru : RecurrentCell::Gru;
}

/// The operands both kernels read, as tensors of the kernels' shapes.
struct Operands {
  Value x, h0, c0, kernel, recurrent, bias;
};

/// A recurrent op's operands as the kernels take them: c0 is h0 when the
/// cell has none (the kernels do not read it), a missing bias is zeros
/// (oneDNN requires one), a GRU's [2, 3H] bias is passed flat.
Operands kernelOperands(PatternRewriter &r, Location loc, Value x, Value h0,
                        Value c0, Value kernel, Value recurrent, Value bias,
                        RankedTensorType biasType) {
  if (!bias)
    bias = arith::ConstantOp::create(r, loc, biasType,
                                     cast<TypedAttr>(r.getZeroAttr(biasType)));
  if (biasType.getRank() == 2) {
    auto flat = RankedTensorType::get({biasType.getNumElements()},
                                      biasType.getElementType());
    bias = tensor::CollapseShapeOp::create(r, loc, flat, bias,
                                           ArrayRef<ReassociationIndices>{
                                               {0, 1}});
  }
  return {x, h0, c0 ? c0 : h0, kernel, recurrent, bias};
}

/// The bias type of a layer: its bias's, or what it would have.
RankedTensorType biasTypeOf(Value recurrent, int64_t gates, bool twoRows) {
  auto r = cast<RankedTensorType>(recurrent.getType());
  int64_t units = r.getDimSize(0);
  if (twoRows)
    return RankedTensorType::get({2, gates * units}, r.getElementType());
  return RankedTensorType::get({gates * units}, r.getElementType());
}

bool allStaticF32(Operation *op) {
  for (Value v : op->getOperands()) {
    auto t = cast<RankedTensorType>(v.getType());
    if (!isStaticF32(v, t.getRank()))
      return false;
  }
  return true;
}

/// Whether a gradient op of |forward|'s layer reads its results: then the
/// forward pass must keep its workspace.
bool feedsGradient(Operation *forward) {
  for (Operation *user : forward->getResult(0).getUsers())
    if (isa<RnnGradOp, LstmGradOp, GruGradOp>(user))
      return true;
  return false;
}

/// Replaces the forward op |op| by a recurrent_forward call.
LogicalResult rewriteForward(Operation *op, PatternRewriter &r,
                             RecurrentCell cell, const Operands &in,
                             bool hasCellState) {
  CallBuilder c(r, op);
  auto sequence = cast<RankedTensorType>(op->getResult(0).getType());
  auto state = cast<RankedTensorType>(op->getResult(1).getType());
  c.call(DnnlKernel::recurrent_forward,
         {c.input(in.x), c.input(in.h0), c.input(in.c0), c.input(in.kernel),
          c.input(in.recurrent), c.input(in.bias), c.output(sequence),
          c.output(state), c.output(state),
          c.flag(static_cast<int64_t>(cell)), c.flag(feedsGradient(op))});
  SmallVector<Value> results = {c.result(0), c.result(1)};
  if (hasCellState)
    results.push_back(c.result(2));
  r.replaceOp(op, results);
  return success();
}

/// The site of the recurrent_forward call that wrote |sequence|, if a call
/// did.
std::optional<int64_t> forwardSite(Value sequence) {
  auto toTensor = sequence.getDefiningOp<bufferization::ToTensorOp>();
  if (!toTensor)
    return std::nullopt;
  SmallVector<Value> buffers = {toTensor.getBuffer()};
  while (!buffers.empty()) {
    Value buffer = buffers.pop_back_val();
    for (Operation *user : buffer.getUsers()) {
      if (auto cast = dyn_cast<memref::CastOp>(user)) {
        buffers.push_back(cast.getResult());
        continue;
      }
      auto call = dyn_cast<func::CallOp>(user);
      if (!call || call.getCallee() != kForwardSymbol)
        continue;
      // Operands: the sites table, the site number, then the buffers.
      IntegerAttr site;
      if (matchPattern(call.getOperand(1), m_Constant(&site)))
        return site.getInt();
    }
  }
  return std::nullopt;
}

/// Replaces the gradient op |op| by a recurrent_backward call at |site|,
/// the site of its forward call, whose results |sequence|, |finalH|,
/// |finalC| are.
LogicalResult rewriteBackward(Operation *op, PatternRewriter &r,
                              RecurrentCell cell, int64_t site,
                              const Operands &in, Value sequence, Value finalH,
                              Value finalC, Value sequenceGrad,
                              Value finalHGrad, Value finalCGrad,
                              RankedTensorType biasType) {
  Location loc = op->getLoc();
  bool hasCellState = static_cast<bool>(finalC);
  CallBuilder c(r, op);
  auto type = [](Value v) { return cast<RankedTensorType>(v.getType()); };
  auto flatBias = cast<RankedTensorType>(in.bias.getType());
  c.callAtSite(
      DnnlKernel::recurrent_backward, site,
      {c.input(in.x), c.input(in.h0), c.input(in.c0), c.input(in.kernel),
       c.input(in.recurrent), c.input(in.bias), c.input(sequence),
       c.input(finalH), c.input(hasCellState ? finalC : finalH),
       c.input(sequenceGrad), c.input(finalHGrad),
       c.input(hasCellState ? finalCGrad : finalHGrad), c.output(type(in.x)),
       c.output(type(in.h0)), c.output(type(in.h0)), c.output(type(in.kernel)),
       c.output(type(in.recurrent)), c.output(flatBias),
       c.flag(static_cast<int64_t>(cell))});
  SmallVector<Value> results = {c.result(0), c.result(1)};
  if (hasCellState)
    results.push_back(c.result(2));
  results.append({c.result(3), c.result(4)});
  Value bias = c.result(5);
  if (biasType.getRank() == 2)
    bias = tensor::ExpandShapeOp::create(r, loc, biasType, bias,
                                         ArrayRef<ReassociationIndices>{
                                             {0, 1}});
  results.push_back(bias);
  r.replaceOp(op, results);
  return success();
}

struct RnnToOneDNN : OpRewritePattern<RnnOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RnnOp op,
                                PatternRewriter &r) const override {
    if (op.getLengths())
      return r.notifyMatchFailure(op, "oneDNN's cells do not mask steps");
    std::optional<RecurrentCell> cell = cellOf(op);
    if (!cell || !allStaticF32(op))
      return r.notifyMatchFailure(op, "oneDNN has no such f32 cell");
    Operands in = kernelOperands(
        r, op.getLoc(), op.getInput(), op.getInitialH(), {}, op.getKernel(),
        op.getRecurrentKernel(), op.getBias(),
        biasTypeOf(op.getRecurrentKernel(), 1, false));
    return rewriteForward(op, r, *cell, in, false);
  }
};

struct LstmToOneDNN : OpRewritePattern<LstmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LstmOp op,
                                PatternRewriter &r) const override {
    if (op.getLengths())
      return r.notifyMatchFailure(op, "oneDNN's cells do not mask steps");
    std::optional<RecurrentCell> cell = cellOf(op);
    if (!cell || !allStaticF32(op))
      return r.notifyMatchFailure(op, "oneDNN has no such f32 cell");
    Operands in = kernelOperands(
        r, op.getLoc(), op.getInput(), op.getInitialH(), op.getInitialC(),
        op.getKernel(), op.getRecurrentKernel(), op.getBias(),
        biasTypeOf(op.getRecurrentKernel(), 4, false));
    return rewriteForward(op, r, *cell, in, true);
  }
};

struct GruToOneDNN : OpRewritePattern<GruOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GruOp op,
                                PatternRewriter &r) const override {
    if (op.getLengths())
      return r.notifyMatchFailure(op, "oneDNN's cells do not mask steps");
    std::optional<RecurrentCell> cell = cellOf(op);
    if (!cell || !allStaticF32(op))
      return r.notifyMatchFailure(op, "oneDNN has no such f32 cell");
    Operands in = kernelOperands(
        r, op.getLoc(), op.getInput(), op.getInitialH(), {}, op.getKernel(),
        op.getRecurrentKernel(), op.getBias(),
        biasTypeOf(op.getRecurrentKernel(), 3, op.getResetAfter()));
    return rewriteForward(op, r, *cell, in, false);
  }
};

struct RnnGradToOneDNN : OpRewritePattern<RnnGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RnnGradOp op,
                                PatternRewriter &r) const override {
    std::optional<int64_t> site = forwardSite(op.getSequence());
    if (!site)
      return r.notifyMatchFailure(op, "its forward op runs as loops");
    auto biasType = cast<RankedTensorType>(op.getBiasGrad().getType());
    Operands in = kernelOperands(
        r, op.getLoc(), op.getInput(), op.getInitialH(), {}, op.getKernel(),
        op.getRecurrentKernel(), op.getBias(), biasType);
    // The forward call chose the cell; the activation decides it again.
    RecurrentCell cell = op.getActivation() == ActivationKind::relu
                             ? RecurrentCell::SimpleRelu
                         : op.getActivation() == ActivationKind::sigmoid
                             ? RecurrentCell::SimpleSigmoid
                             : RecurrentCell::SimpleTanh;
    return rewriteBackward(op, r, cell, *site, in, op.getSequence(), op.getFinalH(),
                           {}, op.getSequenceGrad(), op.getFinalHGrad(), {},
                           biasType);
  }
};

struct LstmGradToOneDNN : OpRewritePattern<LstmGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LstmGradOp op,
                                PatternRewriter &r) const override {
    std::optional<int64_t> site = forwardSite(op.getSequence());
    if (!site)
      return r.notifyMatchFailure(op, "its forward op runs as loops");
    auto biasType = cast<RankedTensorType>(op.getBiasGrad().getType());
    Operands in = kernelOperands(
        r, op.getLoc(), op.getInput(), op.getInitialH(), op.getInitialC(),
        op.getKernel(), op.getRecurrentKernel(), op.getBias(), biasType);
    return rewriteBackward(op, r, RecurrentCell::Lstm, *site, in, op.getSequence(),
                           op.getFinalH(), op.getFinalC(),
                           op.getSequenceGrad(), op.getFinalHGrad(),
                           op.getFinalCGrad(), biasType);
  }
};

struct GruGradToOneDNN : OpRewritePattern<GruGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GruGradOp op,
                                PatternRewriter &r) const override {
    std::optional<int64_t> site = forwardSite(op.getSequence());
    if (!site)
      return r.notifyMatchFailure(op, "its forward op runs as loops");
    auto biasType = cast<RankedTensorType>(op.getBiasGrad().getType());
    Operands in = kernelOperands(
        r, op.getLoc(), op.getInput(), op.getInitialH(), {}, op.getKernel(),
        op.getRecurrentKernel(), op.getBias(), biasType);
    RecurrentCell cell =
        op.getResetAfter() ? RecurrentCell::LbrGru : RecurrentCell::Gru;
    return rewriteBackward(op, r, cell, *site, in, op.getSequence(), op.getFinalH(),
                           {}, op.getSequenceGrad(), op.getFinalHGrad(), {},
                           biasType);
  }
};

} // namespace

void mlir::aenet::populateRecurrentToOneDNNPatterns(
    RewritePatternSet &patterns) {
  patterns.add<RnnToOneDNN, LstmToOneDNN, GruToOneDNN, RnnGradToOneDNN,
               LstmGradToOneDNN, GruGradToOneDNN>(patterns.getContext());
}
