//===- KernelCall.cpp - Calls of the runtime's oneDNN kernels -------------===//
//
// Operands are read through `bufferization.to_buffer ... read_only` and
// results written into a fresh `memref.alloc` turned back into a tensor
// (`restrict writable`), so one-shot bufferization places the calls among
// the loop code without copies. Images written by kernels are NHWC buffers
// seen as [N, C, H, W] through `memref.transpose`; image operands are read
// with a fully dynamic strided layout, so they arrive in the layout their
// producer chose, and loop code reads the NHWC ones through their strides.
// See KernelCall.h.
//
//===----------------------------------------------------------------------===//

#include "KernelCall.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::aenet;

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

CallBuilder::CallBuilder(PatternRewriter &rewriter, Operation *op)
    : r_(rewriter), loc_(op->getLoc()),
      module_(op->getParentOfType<ModuleOp>()) {}

Value CallBuilder::input(Value tensor) { return erase(toBuffer(tensor)); }

Value CallBuilder::imageInput(Value tensor) {
  return erase(toBuffer(tensor, dynamicStrides(r_.getContext(), 4)));
}

Value CallBuilder::matrixInput(Value tensor) {
  return erase(asMatrix(toBuffer(tensor)));
}

Value CallBuilder::output(RankedTensorType type) {
  return erase(newBuffer(type));
}

Value CallBuilder::imageOutput(RankedTensorType type) {
  return erase(newNhwcBuffer(type));
}

Value CallBuilder::matrixOutput(RankedTensorType type) {
  return erase(asMatrix(newBuffer(type)));
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

void CallBuilder::call(StringRef name, ValueRange args) {
  declare(name, args.getTypes());
  func::CallOp::create(r_, loc_, name, TypeRange{}, args);
}

Value CallBuilder::toBuffer(Value tensor, MemRefLayoutAttrInterface layout) {
  auto type = cast<RankedTensorType>(tensor.getType());
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

/// The memref with its static shape erased, and its strides too unless it
/// has the identity layout.
Value CallBuilder::erase(Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  SmallVector<int64_t> dims(type.getRank(), ShapedType::kDynamic);
  MemRefLayoutAttrInterface layout;
  if (!type.getLayout().isIdentity())
    layout = dynamicStrides(r_.getContext(), type.getRank());
  return memref::CastOp::create(
      r_, loc_, MemRefType::get(dims, type.getElementType(), layout), buffer);
}

void CallBuilder::declare(StringRef name, TypeRange types) {
  if (module_.lookupSymbol(name))
    return;
  OpBuilder::InsertionGuard guard(r_);
  r_.setInsertionPointToStart(module_.getBody());
  auto decl =
      func::FuncOp::create(r_, loc_, name, r_.getFunctionType(types, {}));
  decl.setPrivate();
  decl->setAttr("llvm.emit_c_interface", r_.getUnitAttr());
}
