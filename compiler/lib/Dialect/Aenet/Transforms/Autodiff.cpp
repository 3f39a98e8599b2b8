//===- Autodiff.cpp - Reverse-mode differentiation ------------------------===//
//
// Implements aenet-autodiff: replaces the function marked
// `aenet.differentiate` by `train_step`, its clone followed by the backward
// graph built from each op's `GradientOpInterface`, returning the gradient of
// every trainable parameter as an extra result marked `aenet.gradient`.
// Gradient rules live with the ops; this pass only orders them and sums
// fan-out. What to do with the gradients is aenet-apply-optimizer's job.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::aenet {
#define GEN_PASS_DEF_AENETAUTODIFF
#include "aenet/Dialect/Aenet/Transforms/Passes.h.inc"
} // namespace mlir::aenet

using namespace mlir;
using namespace mlir::aenet;

namespace {

class Differentiator {
public:
  explicit Differentiator(func::FuncOp loss) : loss_(loss) {}
  LogicalResult run();

private:
  /// Values that depend on a trainable parameter.
  void markActive(Block &body);
  LogicalResult backward(OpBuilder &b, ArrayRef<Operation *> forward,
                         Value total);
  void accumulate(OpBuilder &b, Value value, Value grad);

  func::FuncOp loss_;
  llvm::DenseSet<Value> active_;
  DenseMap<Value, Value> grads_;
};

void Differentiator::markActive(Block &body) {
  for (Operation &op : body)
    if (llvm::any_of(op.getOperands(),
                     [&](Value v) { return active_.contains(v); }))
      for (Value r : op.getResults())
        active_.insert(r);
}

void Differentiator::accumulate(OpBuilder &b, Value value, Value grad) {
  auto [it, inserted] = grads_.try_emplace(value, grad);
  if (!inserted)
    it->second = AddOp::create(b, grad.getLoc(), it->second, grad);
}

LogicalResult Differentiator::backward(OpBuilder &b,
                                       ArrayRef<Operation *> forward,
                                       Value total) {
  Type scalar = total.getType();
  Value one = arith::ConstantOp::create(
      b, total.getLoc(),
      DenseElementsAttr::get(cast<ShapedType>(scalar),
                             b.getFloatAttr(getElementTypeOrSelf(scalar), 1.0)
                                 .getValue()));
  grads_[total] = one;
  for (Operation *op : llvm::reverse(forward)) {
    SmallVector<Value> resultGrads;
    bool any = false;
    for (Value r : op->getResults()) {
      resultGrads.push_back(grads_.lookup(r));
      any |= static_cast<bool>(resultGrads.back());
    }
    bool feedsActive = llvm::any_of(
        op->getOperands(), [&](Value v) { return active_.contains(v); });
    if (!any || !feedsActive)
      continue;
    auto rule = dyn_cast<GradientOpInterface>(op);
    if (!rule)
      return op->emitOpError() << "has no gradient rule, but the loss depends "
                                  "on it through a trainable parameter";
    SmallVector<Value> operandGrads;
    if (failed(rule.buildGradients(b, resultGrads, operandGrads)))
      return failure();
    assert(operandGrads.size() == op->getNumOperands() &&
           "a gradient rule must give one value per operand");
    for (unsigned i = 0; i < op->getNumOperands(); ++i) {
      Value operand = op->getOperand(i);
      if (!active_.contains(operand))
        continue;
      // A rule gives no gradient for an operand it does not differentiate
      // (a loss target, a seed). If that operand depends on a trainable
      // parameter (e.g. a loss whose target is a parameter), skipping it
      // would silently drop part of the gradient.
      if (!operandGrads[i])
        return op->emitOpError()
               << "has no gradient w.r.t. operand #" << i
               << ", which depends on a trainable parameter";
      accumulate(b, operand, operandGrads[i]);
    }
  }
  return success();
}

LogicalResult Differentiator::run() {
  if (!loss_.getBody().hasOneBlock())
    return loss_.emitError("aenet-autodiff expects a single-block function");
  auto module = loss_->getParentOfType<ModuleOp>();
  if (module.lookupSymbol("train_step"))
    return loss_.emitError("the module already has a train_step function");
  FunctionType type = loss_.getFunctionType();
  if (type.getNumResults() == 0 ||
      cast<RankedTensorType>(type.getResult(0)).getRank() != 0)
    return loss_.emitError("the first result of a differentiated function "
                           "must be the scalar total loss");

  // train_step starts as a copy of the loss function: same arguments, same
  // results, the function attributes but aenet.differentiate.
  MLIRContext *ctx = loss_.getContext();
  OpBuilder b(ctx);
  b.setInsertionPointAfter(loss_);
  auto step = func::FuncOp::create(b, loss_.getLoc(), "train_step", type);
  if (ArrayAttr args = loss_.getAllArgAttrs())
    step.setAllArgAttrs(args);
  if (ArrayAttr results = loss_.getAllResultAttrs())
    step.setAllResultAttrs(results);
  if (Attribute opt = loss_->getAttr(AenetDialect::getOptimizerAttrName()))
    step->setAttr(AenetDialect::getOptimizerAttrName(), opt);
  Block *body = step.addEntryBlock();

  // Forward: the loss function's body.
  IRMapping map;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    map.map(loss_.getArgument(i), body->getArgument(i));
  b.setInsertionPointToEnd(body);
  SmallVector<Operation *> forward;
  auto ret = cast<func::ReturnOp>(loss_.getBody().front().getTerminator());
  for (Operation &op : loss_.getBody().front().without_terminator())
    forward.push_back(b.clone(op, map));
  SmallVector<unsigned> params;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    if (loss_.getArgAttr(i, AenetDialect::getParamAttrName()) &&
        !loss_.getArgAttr(i, AenetDialect::getFrozenAttrName()))
      params.push_back(i);
  for (unsigned p : params)
    active_.insert(body->getArgument(p));
  markActive(*body);

  // Backward.
  Value total = map.lookup(ret.getOperand(0));
  if (failed(backward(b, forward, total)))
    return step.erase(), failure();

  // The loss function's results, then one gradient per trainable parameter
  // the loss depends on (a parameter it does not reach, e.g. of a head
  // without a loss, has none: the optimizer leaves it as it is).
  SmallVector<Value> results;
  for (Value v : ret.getOperands())
    results.push_back(map.lookup(v));
  for (unsigned p : params) {
    Value grad = grads_.lookup(body->getArgument(p));
    if (!grad)
      continue;
    results.push_back(grad);
    Attribute name = loss_.getArgAttr(p, AenetDialect::getParamAttrName());
    (void)step.insertResult(
        step.getNumResults(), grad.getType(),
        b.getDictionaryAttr(
            b.getNamedAttr(AenetDialect::getGradientAttrName(), name)));
  }
  func::ReturnOp::create(b, ret.getLoc(), results);

  // Gradient rules also give gradients nobody needs (e.g. w.r.t. the data);
  // drop them.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*body)))
    if (op.use_empty() && isPure(&op) &&
        !op.hasTrait<OpTrait::IsTerminator>())
      op.erase();
  // train_step computes everything the loss function did.
  loss_.erase();
  return success();
}

struct AenetAutodiffPass
    : public mlir::aenet::impl::AenetAutodiffBase<AenetAutodiffPass> {
  void runOnOperation() override {
    SmallVector<func::FuncOp> targets;
    getOperation().walk([&](func::FuncOp f) {
      if (f->hasAttr(AenetDialect::getDifferentiateAttrName()))
        targets.push_back(f);
    });
    for (func::FuncOp f : targets)
      if (failed(Differentiator(f).run()))
        return signalPassFailure();
  }
};

} // namespace
