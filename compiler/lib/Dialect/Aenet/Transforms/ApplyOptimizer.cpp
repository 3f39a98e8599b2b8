//===- ApplyOptimizer.cpp - Optimizer updates of the trainable parameters -===//
//
// Implements aenet-apply-optimizer: in every function returning gradients
// (results marked `aenet.gradient`, as aenet-autodiff makes train_step),
// replaces each gradient by the update of its parameter with the function's
// `#aenet.optimizer`, after clipping. The optimizer's state tensors, the
// step count and the learning rate become new arguments, the updated
// parameters and states new results. Every hyperparameter comes from the
// attribute: the compiler keeps no defaults of its own. The learning rate is
// an argument rather than a constant so that one compiled program trains at
// any rate (aec sweep over lr compiles once); `aenet.learning_rate` holds the
// attribute's value for callers without one of their own.
//
// In a data-parallel module (`aenet.data_parallel`), whose steps the runtime
// runs one per core on slices of a batch, train_step becomes two functions:
// grad_step keeps returning its gradients, which the runtime sums over the
// slices, and apply_step takes each trainable parameter with the gradient of
// the whole batch and updates it.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::aenet {
#define GEN_PASS_DEF_AENETAPPLYOPTIMIZER
#include "aenet/Dialect/Aenet/Transforms/Passes.h.inc"
} // namespace mlir::aenet

using namespace mlir;
using namespace mlir::aenet;

namespace {

double f64(const llvm::APFloat &value) { return value.convertToDouble(); }

/// Emits the update of one parameter; returns the new parameter followed by
/// the new states.
SmallVector<Value> buildUpdate(OpBuilder &b, Location loc, OptimizerAttr opt,
                               Value param, Value grad, ArrayRef<Value> states,
                               Value step, Value lr) {
  if (!opt.getClipValue().isZero())
    grad = ClipByValueOp::create(b, loc, grad, f64(opt.getClipValue()));
  if (!opt.getClipNorm().isZero())
    grad = ClipByNormOp::create(b, loc, grad, f64(opt.getClipNorm()));
  double momentum = f64(opt.getMomentum()), epsilon = f64(opt.getEpsilon()),
         rho = f64(opt.getRho());
  Operation *update = nullptr;
  switch (opt.getKind()) {
  case OptimizerKind::sgd:
    update = states.empty()
                 ? SgdUpdateOp::create(b, loc, param, grad, lr)
                 : MomentumUpdateOp::create(b, loc, param, grad, states[0], lr,
                                            momentum, opt.getNesterov());
    break;
  case OptimizerKind::adam:
    update = AdamUpdateOp::create(b, loc, param, grad, states[0], states[1],
                                  step, lr, f64(opt.getBeta1()),
                                  f64(opt.getBeta2()), epsilon);
    break;
  case OptimizerKind::rmsprop:
    update = RmspropUpdateOp::create(
        b, loc, param, grad, states[0], states.size() > 1 ? states[1] : Value(),
        lr, rho, momentum, epsilon);
    break;
  case OptimizerKind::adagrad:
    update = AdagradUpdateOp::create(b, loc, param, grad, states[0], lr,
                                     epsilon);
    break;
  case OptimizerKind::adadelta:
    update = AdadeltaUpdateOp::create(b, loc, param, grad, states[0],
                                      states[1], lr, rho, epsilon);
    break;
  }
  return SmallVector<Value>(update->getResults());
}

LogicalResult apply(func::FuncOp func) {
  using D = AenetDialect;
  auto opt = func->getAttrOfType<OptimizerAttr>(D::getOptimizerAttrName());
  if (!opt)
    return func.emitError() << "returns gradients but has no '"
                            << D::getOptimizerAttrName() << "'";
  MLIRContext *ctx = func.getContext();
  OpBuilder b(ctx);
  FunctionType type = func.getFunctionType();
  Block &body = func.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());

  // Which result holds the gradient of which parameter.
  llvm::StringMap<Value> gradOf;
  SmallVector<Value> results;
  SmallVector<DictionaryAttr> resultAttrs;
  SmallVector<Type> resultTypes;
  for (unsigned r = 0; r < type.getNumResults(); ++r) {
    if (auto name =
            func.getResultAttrOfType<StringAttr>(r, D::getGradientAttrName())) {
      gradOf[name.getValue()] = ret.getOperand(r);
      continue;
    }
    results.push_back(ret.getOperand(r));
    resultTypes.push_back(type.getResult(r));
    resultAttrs.push_back(func.getResultAttrDict(r)
                              ? func.getResultAttrDict(r)
                              : DictionaryAttr::get(ctx));
  }

  // The states of each trainable parameter, then the step count and the
  // learning rate, as new arguments; the updated parameters and states as
  // new results.
  SmallVector<unsigned> params;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    if (func.getArgAttr(i, D::getParamAttrName()) &&
        !func.getArgAttr(i, D::getFrozenAttrName()))
      params.push_back(i);
  for (auto &entry : gradOf)
    if (!llvm::any_of(params, [&](unsigned p) {
          return func.getArgAttr(p, D::getParamAttrName()) ==
                 b.getStringAttr(entry.getKey());
        }))
      return func.emitError() << "returns a gradient of '" << entry.getKey()
                              << "', which is not a trainable parameter";
  SmallVector<StringRef> stateNames = opt.getStateNames();
  Location loc = ret.getLoc();
  SmallVector<SmallVector<Value>> states;
  for (unsigned p : params) {
    StringRef name =
        func.getArgAttrOfType<StringAttr>(p, D::getParamAttrName()).getValue();
    states.emplace_back();
    for (StringRef state : stateNames) {
      DictionaryAttr attrs = b.getDictionaryAttr(
          {b.getNamedAttr(D::getStateAttrName(),
                          b.getStringAttr(name + "/" + state)),
           b.getNamedAttr(D::getStateInitAttrName(),
                          b.getF64FloatAttr(opt.getStateInit(state)))});
      unsigned index = func.getNumArguments();
      (void)func.insertArgument(index, type.getInput(p), attrs, loc);
      states.back().push_back(func.getArgument(index));
    }
  }
  // The step count and the learning rate, scalars of the parameters'
  // element type.
  Type scalar =
      RankedTensorType::get({}, getElementTypeOrSelf(type.getInput(params[0])));
  (void)func.insertArgument(func.getNumArguments(), scalar,
                            b.getDictionaryAttr(b.getNamedAttr(
                                D::getStepAttrName(), b.getUnitAttr())),
                            loc);
  Value stepCount = func.getArguments().back();
  (void)func.insertArgument(
      func.getNumArguments(), scalar,
      b.getDictionaryAttr(b.getNamedAttr(D::getLearningRateAttrName(),
                                         b.getF64FloatAttr(f64(opt.getLr())))),
      loc);
  Value learningRate = func.getArguments().back();

  b.setInsertionPoint(ret);
  for (auto [p, paramStates] : llvm::zip(params, states)) {
    Value param = func.getArgument(p);
    Attribute name = func.getArgAttr(p, D::getParamAttrName());
    resultTypes.push_back(param.getType());
    resultAttrs.push_back(
        b.getDictionaryAttr(b.getNamedAttr(D::getParamAttrName(), name)));
    for (Value state : paramStates) {
      resultTypes.push_back(state.getType());
      resultAttrs.push_back(
          func.getArgAttrDict(cast<BlockArgument>(state).getArgNumber()));
    }
    Value grad = gradOf.lookup(cast<StringAttr>(name).getValue());
    if (!grad) {
      // A parameter the loss does not depend on keeps its value and states,
      // as in Keras.
      results.push_back(param);
      results.append(paramStates.begin(), paramStates.end());
      continue;
    }
    SmallVector<Value> updated =
        buildUpdate(b, param.getLoc(), opt, param, grad, paramStates,
                    stepCount, learningRate);
    results.append(updated.begin(), updated.end());
  }
  func::ReturnOp::create(b, loc, results);
  ret.erase();
  func.setFunctionType(
      b.getFunctionType(body.getArgumentTypes(), resultTypes));
  func.setAllResultAttrs(resultAttrs);
  // The updates and the learning-rate argument now carry every
  // hyperparameter; the attribute would only follow the function down.
  func->removeAttr(D::getOptimizerAttrName());
  return success();
}

/// Splits |step| (a data-parallel module's train_step) into grad_step, the
/// step itself without its optimizer, and a new apply_step that takes every
/// trainable parameter of |step|, in its order, then the gradients, and
/// returns the gradients for apply() to turn into updates. A parameter the
/// loss does not reach has no gradient but keeps its optimizer states, as in
/// the unsplit train_step, so a checkpoint holds the same tensors whatever
/// the thread count.
func::FuncOp splitTrainStep(func::FuncOp step) {
  using D = AenetDialect;
  OpBuilder b(step.getContext());
  FunctionType type = step.getFunctionType();
  SmallVector<Type> params, grads;
  SmallVector<DictionaryAttr> paramAttrs, gradAttrs;
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    Attribute name = step.getArgAttr(i, D::getParamAttrName());
    if (!name || step.getArgAttr(i, D::getFrozenAttrName()))
      continue;
    params.push_back(type.getInput(i));
    paramAttrs.push_back(
        b.getDictionaryAttr(b.getNamedAttr(D::getParamAttrName(), name)));
  }
  for (unsigned r = 0; r < type.getNumResults(); ++r) {
    Attribute name = step.getResultAttr(r, D::getGradientAttrName());
    if (!name)
      continue;
    grads.push_back(type.getResult(r));
    gradAttrs.push_back(
        b.getDictionaryAttr(b.getNamedAttr(D::getGradientAttrName(), name)));
  }
  SmallVector<Type> argTypes(params);
  argTypes.append(grads);
  SmallVector<DictionaryAttr> argAttrs(paramAttrs);
  argAttrs.append(gradAttrs);
  b.setInsertionPointAfter(step);
  auto apply = func::FuncOp::create(b, step.getLoc(), "apply_step",
                                    b.getFunctionType(argTypes, grads));
  apply.setAllArgAttrs(argAttrs);
  apply.setAllResultAttrs(gradAttrs);
  apply->setAttr(D::getOptimizerAttrName(),
                 step->getAttr(D::getOptimizerAttrName()));
  Block *body = apply.addEntryBlock();
  b.setInsertionPointToEnd(body);
  func::ReturnOp::create(b, step.getLoc(),
                         body->getArguments().drop_front(params.size()));
  step.setName("grad_step");
  step->removeAttr(D::getOptimizerAttrName());
  return apply;
}

struct AenetApplyOptimizerPass
    : public mlir::aenet::impl::AenetApplyOptimizerBase<
          AenetApplyOptimizerPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Steps whose gradients the runtime sums (over slices or processes)
    // before the update.
    bool dataParallel =
        module->hasAttr(AenetDialect::getDataParallelAttrName()) ||
        module->hasAttr(AenetDialect::getExchangedGradientsAttrName());
    SmallVector<func::FuncOp> steps;
    for (auto func : module.getOps<func::FuncOp>())
      for (unsigned r = 0; r < func.getNumResults(); ++r)
        if (func.getResultAttr(r, AenetDialect::getGradientAttrName())) {
          steps.push_back(func);
          break;
        }
    for (func::FuncOp step : steps) {
      // Without an optimizer, apply() reports it.
      if (dataParallel && step.getName() == "train_step" &&
          step->getAttr(AenetDialect::getOptimizerAttrName()))
        step = splitTrainStep(step);
      if (failed(apply(step)))
        return signalPassFailure();
    }
  }
};

} // namespace
