//===- KernelCall.cpp - Calls of the runtime's oneDNN kernels -------------===//
//
// Operands are read through `bufferization.to_buffer ... read_only` (those
// computed by loop code are first materialized in a buffer of their own, see
// toBuffer) and results written into a fresh `memref.alloc` turned back into
// a tensor (`restrict writable`), so one-shot bufferization places the calls
// among the loop code without copies. Images written by kernels are NHWC
// buffers seen as [N, C, H, W] through `memref.transpose`; image operands
// are read with a fully dynamic strided layout, so they arrive in the layout
// their producer chose, and loop code reads the NHWC ones through their
// strides.
// Every call's declaration and operand types come from the kernel table
// (runtime/include/aenet/Runtime/OneDnnKernels.def). See KernelCall.h.
//
//===----------------------------------------------------------------------===//

#include "KernelCall.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"

#include "llvm/Support/ErrorHandling.h"

using namespace mlir;
using namespace mlir::aenet;

namespace {
// The argument list of every row, as KernelArgs.
#define AENET_SITE KernelArg{KernelArg::Site, 0}
#define AENET_DENSE(rank) KernelArg{KernelArg::Dense, rank}
#define AENET_STRIDED(rank) KernelArg{KernelArg::Strided, rank}
#define AENET_I64 KernelArg{KernelArg::I64, 0}
#define AENET_DNNL_KERNEL(name, ...)                                           \
  const KernelArg name##Args[] = {__VA_ARGS__};
#include "aenet/Runtime/OneDnnKernels.def"
#undef AENET_DNNL_KERNEL
#undef AENET_I64
#undef AENET_STRIDED
#undef AENET_DENSE
#undef AENET_SITE
} // namespace

KernelSignature mlir::aenet::signatureOf(DnnlKernel kernel) {
  switch (kernel) {
#define AENET_DNNL_KERNEL(name, ...)                                           \
  case DnnlKernel::name:                                                       \
    return {"aenet_dnnl_" #name, name##Args};
#include "aenet/Runtime/OneDnnKernels.def"
#undef AENET_DNNL_KERNEL
  }
  llvm_unreachable("every kernel has a row in OneDnnKernels.def");
}

/// A strided layout with every stride and the offset dynamic.
static MemRefLayoutAttrInterface dynamicStrides(MLIRContext *ctx,
                                                int64_t rank) {
  return StridedLayoutAttr::get(
      ctx, ShapedType::kDynamic,
      SmallVector<int64_t>(rank, ShapedType::kDynamic));
}

bool mlir::aenet::isStaticF32(Value v, int64_t rank) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.getRank() == rank && t.hasStaticShape() &&
         t.getElementType().isF32();
}

/// Whether |v| is the tensor of an `imageOutput`: an NHWC buffer seen as
/// [N, C, H, W].
static bool writtenAsNhwc(Value v) {
  auto toTensor = v.getDefiningOp<bufferization::ToTensorOp>();
  if (!toTensor)
    return false;
  auto transpose = toTensor.getBuffer().getDefiningOp<memref::TransposeOp>();
  return transpose && transpose.getIn().getDefiningOp<memref::AllocOp>() &&
         transpose.getPermutation() ==
             AffineMap::getPermutationMap(ArrayRef<unsigned>{0, 3, 1, 2},
                                          v.getContext());
}

bool mlir::aenet::isNhwcImage(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  return type.getDimSize(1) == 1 || writtenAsNhwc(v);
}

ActivationOp mlir::aenet::fusibleActivation(Value preActivation) {
  if (!preActivation.hasOneUse())
    return {};
  auto activation = dyn_cast<ActivationOp>(*preActivation.getUsers().begin());
  if (!activation || !isEltwisePostOp(activation.getKind()) ||
      activation.getType() != preActivation.getType())
    return {};
  return activation;
}

CallBuilder::CallBuilder(PatternRewriter &rewriter, Operation *op)
    : r_(rewriter), op_(op), loc_(op->getLoc()),
      module_(op->getParentOfType<ModuleOp>()) {}

Value CallBuilder::input(Value tensor) { return toBuffer(tensor); }

Value CallBuilder::imageInput(Value tensor) {
  return toBuffer(tensor, dynamicStrides(r_.getContext(), 4));
}

Value CallBuilder::nhwcInput(Value tensor) {
  assert(isNhwcImage(tensor) && "read as NHWC only what is NHWC");
  // One channel from elsewhere: the identity layout is NHWC, and makes the
  // buffer contiguous (a copy only if its producer's is not).
  return writtenAsNhwc(tensor) ? imageInput(tensor) : input(tensor);
}

Value CallBuilder::matrixInput(Value tensor) {
  return asMatrix(toBuffer(tensor));
}

Value CallBuilder::output(RankedTensorType type) { return newBuffer(type); }

Value CallBuilder::imageOutput(RankedTensorType type) {
  return newNhwcBuffer(type);
}

Value CallBuilder::matrixOutput(RankedTensorType type) {
  return asMatrix(newBuffer(type));
}

Value CallBuilder::result(unsigned i) {
  auto [buffer, type] = outputs_[i];
  return bufferization::ToTensorOp::create(r_, loc_, type, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}

Value CallBuilder::flag(int64_t v) {
  return arith::ConstantIntOp::create(r_, loc_, r_.getI64Type(), v);
}

void CallBuilder::call(DnnlKernel kernel, ValueRange args) {
  callAt(kernel, std::nullopt, args);
}

void CallBuilder::callAtSite(DnnlKernel kernel, int64_t site,
                             ValueRange args) {
  callAt(kernel, site, args);
}

void CallBuilder::callAt(DnnlKernel kernel, std::optional<int64_t> existing,
                         ValueRange args) {
  KernelSignature signature = signatureOf(kernel);
  declare(signature);
  SmallVector<Value> operands;
  size_t next = 0;
  for (const KernelArg &arg : signature.args) {
    if (arg.kind == KernelArg::Site) {
      auto [table, index] = site(existing);
      operands.append({table, index});
      continue;
    }
    if (next == args.size())
      llvm::report_fatal_error(Twine("aenet-lower-to-onednn: too few "
                                     "operands for ") +
                               signature.symbol);
    operands.push_back(castTo(args[next++], arg, signature.symbol));
  }
  if (next != args.size())
    llvm::report_fatal_error(Twine("aenet-lower-to-onednn: too many "
                                   "operands for ") +
                             signature.symbol);
  func::CallOp::create(r_, loc_, signature.symbol, TypeRange{}, operands);
}

Value CallBuilder::toBuffer(Value tensor, MemRefLayoutAttrInterface layout) {
  auto type = cast<RankedTensorType>(tensor.getType());
  // A tensor computed by loop code (a corrupted input, a dropout) has no
  // buffer before bufferization, which sees no use of it after to_buffer:
  // a later generic sharing its `tensor.empty` could then overwrite it while
  // a gradient kernel still reads it. It gets a buffer of its own, which
  // bufferization lets the producer write directly where it can. Arguments
  // and kernel results (to_tensor of a buffer) are read in place.
  if (!isa<BlockArgument>(tensor) &&
      !tensor.getDefiningOp<bufferization::ToTensorOp>()) {
    Value buffer = memref::AllocOp::create(
        r_, loc_, MemRefType::get(type.getShape(), type.getElementType()),
        alignment());
    bufferization::MaterializeInDestinationOp::create(
        r_, loc_, Type(), tensor, buffer, /*restrict=*/true,
        /*writable=*/true);
    if (!layout)
      return buffer;
    return memref::CastOp::create(
        r_, loc_,
        MemRefType::get(type.getShape(), type.getElementType(), layout),
        buffer);
  }
  return bufferization::ToBufferOp::create(
      r_, loc_,
      MemRefType::get(type.getShape(), type.getElementType(), layout),
      tensor, /*read_only=*/true);
}

Value CallBuilder::newBuffer(RankedTensorType type) {
  Value buffer = memref::AllocOp::create(
      r_, loc_, MemRefType::get(type.getShape(), type.getElementType()),
      alignment());
  outputs_.push_back({buffer, type});
  return buffer;
}

/// 64 bytes: oneDNN's AVX kernels use aligned vector loads and stores on
/// the buffers they are given (malloc's 16 bytes crash them).
IntegerAttr CallBuilder::alignment() { return r_.getI64IntegerAttr(64); }

Value CallBuilder::newNhwcBuffer(RankedTensorType type) {
  ArrayRef<int64_t> s = type.getShape();
  Value nhwc = memref::AllocOp::create(
      r_, loc_,
      MemRefType::get({s[0], s[2], s[3], s[1]}, type.getElementType()),
      alignment());
  // [N, C, H, W] is axes (0, 3, 1, 2) of the NHWC buffer.
  auto permutation = AffineMapAttr::get(AffineMap::getPermutationMap(
      ArrayRef<unsigned>{0, 3, 1, 2}, r_.getContext()));
  Value image = memref::TransposeOp::create(r_, loc_, nhwc, permutation);
  outputs_.push_back({image, type});
  return image;
}

/// The leading axes of |buffer| collapsed into one (the buffer itself when
/// it is a matrix already).
Value CallBuilder::asMatrix(Value buffer) {
  int64_t rank = cast<MemRefType>(buffer.getType()).getRank();
  if (rank == 2)
    return buffer;
  SmallVector<ReassociationIndices> groups(2);
  for (int64_t i = 0; i + 1 < rank; ++i)
    groups[0].push_back(i);
  groups[1].push_back(rank - 1);
  return memref::CollapseShapeOp::create(r_, loc_, buffer, groups);
}

/// The MLIR type of a non-site argument: buffers with their shape erased,
/// and their strides too unless the table wants the identity layout.
Type CallBuilder::typeOf(const KernelArg &arg) {
  if (arg.kind == KernelArg::I64)
    return r_.getI64Type();
  SmallVector<int64_t> dims(arg.rank, ShapedType::kDynamic);
  MemRefLayoutAttrInterface layout;
  if (arg.kind == KernelArg::Strided)
    layout = dynamicStrides(r_.getContext(), arg.rank);
  return MemRefType::get(dims, r_.getF32Type(), layout);
}

/// |operand| checked against |arg| and cast to its type.
Value CallBuilder::castTo(Value operand, const KernelArg &arg,
                          StringRef symbol) {
  Type want = typeOf(arg);
  if (arg.kind == KernelArg::I64) {
    if (operand.getType() != want)
      llvm::report_fatal_error(Twine("aenet-lower-to-onednn: ") + symbol +
                               " takes an i64 flag here");
    return operand;
  }
  auto type = dyn_cast<MemRefType>(operand.getType());
  if (!type || type.getRank() != arg.rank || !type.getElementType().isF32() ||
      (arg.kind == KernelArg::Dense && !type.getLayout().isIdentity()))
    llvm::report_fatal_error(Twine("aenet-lower-to-onednn: ") + symbol +
                             " takes an f32 memref of rank " +
                             Twine(arg.rank) +
                             (arg.kind == KernelArg::Dense
                                  ? " with the identity layout here"
                                  : " here"));
  return memref::CastOp::create(r_, loc_, want, operand);
}

/// The entry function's KernelSites argument (added on its first call
/// site) and this call's site number: |existing|, or the next of the
/// function's count.
std::pair<Value, Value> CallBuilder::site(std::optional<int64_t> existing) {
  auto func = op_->getParentOfType<func::FuncOp>();
  if (!func)
    llvm::report_fatal_error("aenet-lower-to-onednn: a kernel call outside "
                             "a function");
  Value table;
  for (BlockArgument arg : func.getArguments())
    if (func.getArgAttr(arg.getArgNumber(), kKernelSitesAttrName))
      table = arg;
  int64_t index = 0;
  if (auto count = func->getAttrOfType<IntegerAttr>(kKernelSitesAttrName))
    index = count.getInt();
  if (existing) {
    if (!table || *existing >= index)
      llvm::report_fatal_error("aenet-lower-to-onednn: a call at a site the "
                               "function does not have");
    return {table, flag(*existing)};
  }
  r_.modifyOpInPlace(func, [&] {
    if (!table) {
      unsigned at = func.getNumArguments();
      NamedAttribute marker =
          r_.getNamedAttr(kKernelSitesAttrName, r_.getUnitAttr());
      if (failed(func.insertArgument(
              at, LLVM::LLVMPointerType::get(r_.getContext()),
              r_.getDictionaryAttr({marker}), func.getLoc())))
        llvm::report_fatal_error("aenet-lower-to-onednn: cannot add the "
                                 "kernel sites argument");
      table = func.getArgument(at);
    }
    func->setAttr(kKernelSitesAttrName, r_.getI64IntegerAttr(index + 1));
  });
  return {table, flag(index)};
}

void CallBuilder::declare(const KernelSignature &signature) {
  if (module_.lookupSymbol(signature.symbol))
    return;
  SmallVector<Type> types;
  for (const KernelArg &arg : signature.args) {
    if (arg.kind == KernelArg::Site)
      types.append({LLVM::LLVMPointerType::get(r_.getContext()),
                    r_.getI64Type()});
    else
      types.push_back(typeOf(arg));
  }
  OpBuilder::InsertionGuard guard(r_);
  r_.setInsertionPointToStart(module_.getBody());
  auto decl = func::FuncOp::create(r_, loc_, signature.symbol,
                                   r_.getFunctionType(types, {}));
  decl.setPrivate();
  decl->setAttr("llvm.emit_c_interface", r_.getUnitAttr());
}
