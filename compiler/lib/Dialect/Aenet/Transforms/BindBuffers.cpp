//===- BindBuffers.cpp - Entry functions on runtime-owned buffers ---------===//
//
// Implements aenet-bind-buffers: the calling convention between compiled code
// and the runtime. Arguments become memrefs the runtime allocates once;
// updated parameters, optimizer states and the carried states of stateful
// layers are written back into their own buffers (one-shot bufferization then updates them in place), scalars are
// packed into one buffer, other results get output buffers (a data-parallel
// grad_step's gradients, marked `aenet.gradient`, among them).
//
// In a module whose gradients are summed over processes
// (`aenet.exchanged_gradients`), a gradient is written to its buffer as soon
// as it is computed, followed by
// a call `aenet_gradient_ready(i)` (i: its place among the gradients), so
// that on several processes the runtime can start summing it over them
// while the rest of the backward pass runs (GradientExchange.h). The call
// has unknown side effects: no later pass moves the write past it. The
// buffer is written by a memref.copy, never exposed as a tensor, so that no
// later value is computed in it.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::aenet {
#define GEN_PASS_DEF_AENETBINDBUFFERS
#include "aenet/Dialect/Aenet/Transforms/Passes.h.inc"
} // namespace mlir::aenet

using namespace mlir;
using D = mlir::aenet::AenetDialect;

namespace {

/// The runtime function compiled code tells that a gradient is final.
constexpr llvm::StringLiteral kGradientReady = "aenet_gradient_ready";

MemRefType bufferType(Type tensor) {
  auto t = cast<RankedTensorType>(tensor);
  return MemRefType::get(t.getShape(), t.getElementType());
}

/// The argument a result writes back to: the one with the same
/// `aenet.param`, `aenet.state` or `aenet.layer_state` name, or -1.
int tiedArgument(func::FuncOp func, unsigned result) {
  for (StringRef key : {D::getParamAttrName(), D::getStateAttrName(),
                        D::getLayerStateAttrName()}) {
    Attribute name = func.getResultAttr(result, key);
    if (!name)
      continue;
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (func.getArgAttr(i, key) == name)
        return i;
  }
  return -1;
}

LogicalResult bind(func::FuncOp func, bool reportGradients) {
  MLIRContext *ctx = func.getContext();
  OpBuilder b(ctx);
  FunctionType type = func.getFunctionType();
  Block &body = func.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());

  // Classify the results.
  SmallVector<int> tied(type.getNumResults(), -1);
  SmallVector<unsigned> scalars, outputs;
  SmallVector<Attribute> scalarNames, scalarFinishes;
  bool allMeans = true;
  for (unsigned r = 0; r < type.getNumResults(); ++r) {
    tied[r] = tiedArgument(func, r);
    if (tied[r] >= 0)
      continue;
    auto t = cast<RankedTensorType>(type.getResult(r));
    auto name = func.getResultAttrOfType<StringAttr>(r, D::getNameAttrName());
    if (t.getRank() == 0) {
      scalars.push_back(r);
      scalarNames.push_back(name ? name : b.getStringAttr("?"));
      auto finish =
          func.getResultAttrOfType<StringAttr>(r, D::getFinishAttrName());
      allMeans &= !finish;
      scalarFinishes.push_back(
          finish ? finish
                 : b.getStringAttr(
                       mlir::aenet::stringifyScalarFinish(
                           mlir::aenet::ScalarFinish::mean)));
    } else {
      outputs.push_back(r);
    }
  }

  // Arguments become memrefs read through to_tensor.
  b.setInsertionPointToStart(&body);
  for (BlockArgument arg : body.getArguments()) {
    Type tensor = arg.getType();
    arg.setType(bufferType(tensor));
    auto read = bufferization::ToTensorOp::create(b, arg.getLoc(), tensor, arg,
                                                  /*restrict=*/true,
                                                  /*writable=*/true);
    arg.replaceAllUsesExcept(read, read);
  }
  SmallVector<DictionaryAttr> argAttrs;
  func.getAllArgAttrs(argAttrs);

  // New output arguments: the scalars, then the other results.
  Location loc = ret.getLoc();
  Value scalarBuffer;
  if (!scalars.empty()) {
    Type element = getElementTypeOrSelf(type.getResult(scalars[0]));
    scalarBuffer = body.addArgument(
        MemRefType::get({static_cast<int64_t>(scalars.size())}, element), loc);
    SmallVector<NamedAttribute> attrs = {
        b.getNamedAttr(D::getScalarsAttrName(), b.getArrayAttr(scalarNames))};
    // Only a step with a scalar not finished by the mean says how each is.
    if (!allMeans)
      attrs.push_back(b.getNamedAttr(D::getScalarFinishesAttrName(),
                                     b.getArrayAttr(scalarFinishes)));
    argAttrs.push_back(b.getDictionaryAttr(attrs));
  }
  SmallVector<Value> outputBuffers;
  for (unsigned r : outputs) {
    outputBuffers.push_back(
        body.addArgument(bufferType(type.getResult(r)), loc));
    // A data-parallel grad_step's gradients keep their mark.
    if (Attribute param = func.getResultAttr(r, D::getGradientAttrName())) {
      argAttrs.push_back(b.getDictionaryAttr(
          {b.getNamedAttr(D::getGradientAttrName(), param)}));
      continue;
    }
    Attribute name = func.getResultAttr(r, D::getNameAttrName());
    argAttrs.push_back(b.getDictionaryAttr({b.getNamedAttr(
        D::getOutputAttrName(), name ? name : b.getStringAttr("?"))}));
  }

  // Write every result to its buffer.
  b.setInsertionPoint(ret);
  auto store = [&](Value tensor, Value buffer) {
    // An argument returned unchanged (a frozen parameter) is already there.
    if (auto read = tensor.getDefiningOp<bufferization::ToTensorOp>())
      if (read.getBuffer() == buffer)
        return;
    bufferization::MaterializeInDestinationOp::create(
        b, loc, Type(), tensor, buffer, /*restrict=*/true, /*writable=*/true);
  };
  for (unsigned r = 0; r < type.getNumResults(); ++r)
    if (tied[r] >= 0)
      store(ret.getOperand(r), body.getArgument(tied[r]));
  if (!scalars.empty()) {
    SmallVector<Value> elements;
    for (unsigned r : scalars)
      elements.push_back(
          tensor::ExtractOp::create(b, loc, ret.getOperand(r), ValueRange{}));
    Value packed = tensor::FromElementsOp::create(
        b, loc,
        RankedTensorType::get({static_cast<int64_t>(elements.size())},
                              elements[0].getType()),
        elements);
    store(packed, scalarBuffer);
  }
  int64_t ordinal = 0;
  for (auto [r, buffer] : llvm::zip(outputs, outputBuffers)) {
    Value value = ret.getOperand(r);
    if (!reportGradients || !func.getResultAttr(r, D::getGradientAttrName())) {
      store(value, buffer);
      continue;
    }
    // Right after the gradient is computed (anything else: at the end),
    // copied from a read-only view of its value. Not materialized in the
    // buffer: one-shot bufferization may then compute the gradient in the
    // buffer itself and, once the tensor is dead, reuse the buffer as
    // scratch for a later value of its shape (another layer's bias
    // gradient), overwriting a gradient the runtime is summing.
    OpBuilder::InsertionGuard guard(b);
    Operation *def = value.getDefiningOp();
    if (def && def->getBlock() == &body)
      b.setInsertionPointAfter(def);
    Value view = bufferization::ToBufferOp::create(
        b, loc, bufferType(value.getType()), value, /*read_only=*/true);
    memref::CopyOp::create(b, loc, view, buffer);
    Value index = arith::ConstantIntOp::create(b, loc, ordinal++, 64);
    func::CallOp::create(b, loc, kGradientReady, TypeRange{},
                         ValueRange{index});
  }
  func::ReturnOp::create(b, loc);
  ret.erase();

  SmallVector<Type> argTypes(body.getArgumentTypes());
  func.setFunctionType(b.getFunctionType(argTypes, {}));
  func.setAllArgAttrs(argAttrs);
  func.setAllResultAttrs(ArrayRef<DictionaryAttr>{});
  func->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  return success();
}

struct AenetBindBuffersPass
    : public mlir::aenet::impl::AenetBindBuffersBase<AenetBindBuffersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool report = module->hasAttr(D::getExchangedGradientsAttrName());
    // A declaration (an external helper) has no body to bind buffers in.
    SmallVector<func::FuncOp> funcs;
    bool gradients = false;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      funcs.push_back(func);
      for (unsigned r = 0; r < func.getNumResults(); ++r)
        gradients |= !!func.getResultAttr(r, D::getGradientAttrName());
    }
    if (report && gradients && !module.lookupSymbol(kGradientReady)) {
      OpBuilder b(module.getBodyRegion());
      auto ready = func::FuncOp::create(
          b, module.getLoc(), kGradientReady,
          b.getFunctionType({b.getI64Type()}, {}));
      ready.setPrivate();
    }
    for (func::FuncOp func : funcs)
      if (failed(bind(func, report)))
        return signalPassFailure();
  }
};

} // namespace
