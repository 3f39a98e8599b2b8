//===- Autodiff.cpp - Reverse-mode differentiation and updates ------------===//
//
// Implements aenet-autodiff: clones the loss function into `train_step`,
// appends the backward graph built from each op's `GradientOpInterface`, and
// the optimizer update of every trainable parameter. Gradient rules live with
// the ops; this pass only orders them, sums fan-out, and wires the updates.
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

/// The optimizer of a train block, read from `aenet.optimizer`, with Keras's
/// defaults for whatever is absent.
struct Optimizer {
  std::string kind = "adam";
  double lr = 1e-3, momentum = 0, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7,
         rho = 0.9, initialAccumulator = 0.1, clipNorm = 0, clipValue = 0;
  bool nesterov = false;

  static FailureOr<Optimizer> read(func::FuncOp func);
  /// Names of the state tensors kept per parameter.
  SmallVector<StringRef> stateNames() const;
  /// The value a state starts from (Adagrad's accumulator starts at 0.1).
  double stateInit(StringRef name) const {
    return name == "accumulator" ? initialAccumulator : 0.0;
  }
};

FailureOr<Optimizer> Optimizer::read(func::FuncOp func) {
  Optimizer opt;
  auto dict = func->getAttrOfType<DictionaryAttr>("aenet.optimizer");
  if (!dict)
    return opt;
  for (NamedAttribute entry : dict) {
    StringRef key = entry.getName().strref();
    Attribute value = entry.getValue();
    if (key == "kind") {
      auto s = dyn_cast<StringAttr>(value);
      if (!s)
        return func.emitError("aenet.optimizer kind must be a string");
      opt.kind = s.str();
      if (opt.kind == "sgd")
        opt.lr = 0.01;
      if (opt.kind == "adadelta")
        opt.rho = 0.95;
      continue;
    }
    if (key == "nesterov") {
      auto b = dyn_cast<BoolAttr>(value);
      if (!b)
        return func.emitError("aenet.optimizer nesterov must be a bool");
      opt.nesterov = b.getValue();
      continue;
    }
    auto f = dyn_cast<FloatAttr>(value);
    if (!f)
      return func.emitError() << "aenet.optimizer " << key
                              << " must be a float";
    double v = f.getValueAsDouble();
    double *slot = llvm::StringSwitch<double *>(key)
                       .Case("lr", &opt.lr)
                       .Case("momentum", &opt.momentum)
                       .Case("beta1", &opt.beta1)
                       .Case("beta2", &opt.beta2)
                       .Case("epsilon", &opt.epsilon)
                       .Case("rho", &opt.rho)
                       .Case("initial_accumulator", &opt.initialAccumulator)
                       .Case("clip_norm", &opt.clipNorm)
                       .Case("clip_value", &opt.clipValue)
                       .Default(nullptr);
    if (!slot)
      return func.emitError() << "unknown aenet.optimizer key '" << key << "'";
    *slot = v;
  }
  // Keras's defaults per optimizer unless given explicitly.
  if (!llvm::is_contained(
          ArrayRef<StringRef>{"sgd", "adam", "rmsprop", "adagrad", "adadelta"},
          opt.kind))
    return func.emitError() << "unknown optimizer '" << opt.kind << "'";
  return opt;
}

SmallVector<StringRef> Optimizer::stateNames() const {
  if (kind == "sgd")
    return momentum > 0 ? SmallVector<StringRef>{"velocity"}
                        : SmallVector<StringRef>{};
  if (kind == "adam")
    return {"m", "v"};
  if (kind == "rmsprop")
    return momentum > 0 ? SmallVector<StringRef>{"mean_square", "momentum"}
                        : SmallVector<StringRef>{"mean_square"};
  if (kind == "adagrad")
    return {"accumulator"};
  return {"accum_grad", "accum_delta"};
}

/// Emits the update of one parameter; returns the new parameter followed by
/// the new states.
SmallVector<Value> buildUpdate(OpBuilder &b, Location loc,
                               const Optimizer &opt, Value param, Value grad,
                               ArrayRef<Value> states, Value step) {
  if (opt.clipValue > 0)
    grad = ClipByValueOp::create(b, loc, grad, opt.clipValue);
  if (opt.clipNorm > 0)
    grad = ClipByNormOp::create(b, loc, grad, opt.clipNorm);
  Operation *update = nullptr;
  if (opt.kind == "sgd" && opt.momentum == 0)
    update = SgdUpdateOp::create(b, loc, param, grad, opt.lr);
  else if (opt.kind == "sgd")
    update = MomentumUpdateOp::create(b, loc, param, grad, states[0], opt.lr,
                                      opt.momentum, opt.nesterov);
  else if (opt.kind == "adam")
    update = AdamUpdateOp::create(b, loc, param, grad, states[0], states[1],
                                  step, opt.lr, opt.beta1, opt.beta2,
                                  opt.epsilon);
  else if (opt.kind == "rmsprop")
    update = RmspropUpdateOp::create(
        b, loc, param, grad, states[0], states.size() > 1 ? states[1] : Value(),
        opt.lr, opt.rho, opt.momentum, opt.epsilon);
  else if (opt.kind == "adagrad")
    update = AdagradUpdateOp::create(b, loc, param, grad, states[0], opt.lr,
                                     opt.epsilon);
  else
    update = AdadeltaUpdateOp::create(b, loc, param, grad, states[0],
                                      states[1], opt.lr, opt.rho, opt.epsilon);
  return SmallVector<Value>(update->getResults());
}

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
  FailureOr<Optimizer> opt = Optimizer::read(loss_);
  if (failed(opt))
    return failure();
  auto module = loss_->getParentOfType<ModuleOp>();
  if (module.lookupSymbol("train_step"))
    return loss_.emitError("the module already has a train_step function");
  FunctionType type = loss_.getFunctionType();
  if (type.getNumResults() == 0 ||
      cast<RankedTensorType>(type.getResult(0)).getRank() != 0)
    return loss_.emitError("the first result of a differentiated function "
                           "must be the scalar total loss");

  // The new signature: the loss function's arguments, the states of each
  // trainable parameter, the step; its results, the updated parameters and
  // states.
  MLIRContext *ctx = loss_.getContext();
  Builder attrs(ctx);
  SmallVector<Type> argTypes(type.getInputs());
  SmallVector<Type> resultTypes(type.getResults());
  SmallVector<DictionaryAttr> argAttrs, resultAttrs;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    argAttrs.push_back(loss_.getArgAttrDict(i)
                           ? loss_.getArgAttrDict(i)
                           : DictionaryAttr::get(ctx));
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    resultAttrs.push_back(loss_.getResultAttrDict(i)
                              ? loss_.getResultAttrDict(i)
                              : DictionaryAttr::get(ctx));
  SmallVector<unsigned> params;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    if (loss_.getArgAttr(i, "aenet.param") &&
        !loss_.getArgAttr(i, "aenet.frozen"))
      params.push_back(i);
  SmallVector<StringRef> stateNames = opt->stateNames();
  for (unsigned p : params) {
    StringRef name =
        cast<StringAttr>(loss_.getArgAttr(p, "aenet.param")).getValue();
    for (StringRef state : stateNames) {
      argTypes.push_back(type.getInput(p));
      argAttrs.push_back(attrs.getDictionaryAttr(
          {attrs.getNamedAttr("aenet.state", attrs.getStringAttr(
                                                 name + "/" + state)),
           attrs.getNamedAttr("aenet.state_init",
                              attrs.getF64FloatAttr(opt->stateInit(state)))}));
    }
  }
  Type scalar = type.getResult(0);
  argTypes.push_back(scalar);
  argAttrs.push_back(attrs.getDictionaryAttr(
      {attrs.getNamedAttr("aenet.step", attrs.getUnitAttr())}));
  for (auto [index, p] : llvm::enumerate(params)) {
    resultTypes.push_back(type.getInput(p));
    resultAttrs.push_back(attrs.getDictionaryAttr(
        {attrs.getNamedAttr("aenet.param", loss_.getArgAttr(p, "aenet.param"))}));
    for (unsigned s = 0; s < stateNames.size(); ++s) {
      resultTypes.push_back(type.getInput(p));
      resultAttrs.push_back(
          argAttrs[type.getNumInputs() + index * stateNames.size() + s]);
    }
  }

  OpBuilder b(ctx);
  b.setInsertionPointAfter(loss_);
  auto step = func::FuncOp::create(b, loss_.getLoc(), "train_step",
                                   b.getFunctionType(argTypes, resultTypes));
  step.setAllArgAttrs(argAttrs);
  step.setAllResultAttrs(resultAttrs);
  for (StringRef keep : {"aenet.outputs"})
    if (Attribute a = loss_->getAttr(keep))
      step->setAttr(keep, a);
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
  for (unsigned p : params)
    active_.insert(body->getArgument(p));
  markActive(*body);

  // Backward.
  Value total = map.lookup(ret.getOperand(0));
  if (failed(backward(b, forward, total)))
    return step.erase(), failure();

  // Updates.
  SmallVector<Value> results;
  for (Value v : ret.getOperands())
    results.push_back(map.lookup(v));
  Value stepCount = body->getArguments().back();
  unsigned nextState = type.getNumInputs();
  for (unsigned p : params) {
    Value param = body->getArgument(p);
    SmallVector<Value> states;
    for (unsigned s = 0; s < stateNames.size(); ++s)
      states.push_back(body->getArgument(nextState++));
    Value grad = grads_.lookup(param);
    if (!grad) {
      // A parameter the loss does not depend on (e.g. a head without a
      // loss) keeps its value, as in Keras.
      results.push_back(param);
      results.append(states.begin(), states.end());
      continue;
    }
    SmallVector<Value> updated =
        buildUpdate(b, param.getLoc(), *opt, param, grad, states, stepCount);
    results.append(updated.begin(), updated.end());
  }
  func::ReturnOp::create(b, ret.getLoc(), results);

  // Gradient rules also give gradients nobody needs (e.g. w.r.t. the data);
  // drop them.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*body)))
    if (op.use_empty() && isPure(&op) &&
        !op.hasTrait<OpTrait::IsTerminator>())
      op.erase();
  return success();
}

struct AenetAutodiffPass
    : public mlir::aenet::impl::AenetAutodiffBase<AenetAutodiffPass> {
  void runOnOperation() override {
    SmallVector<func::FuncOp> targets;
    getOperation().walk([&](func::FuncOp f) {
      if (f->hasAttr("aenet.differentiate"))
        targets.push_back(f);
    });
    for (func::FuncOp f : targets)
      if (failed(Differentiator(f).run()))
        return signalPassFailure();
  }
};

} // namespace
