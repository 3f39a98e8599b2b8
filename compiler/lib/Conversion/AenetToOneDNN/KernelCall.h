//===- KernelCall.h - Calls of the runtime's oneDNN kernels -----*- C++ -*-===//
//
// What every aenet-lower-to-onednn pattern is made of: operands read as
// buffers, fresh buffers for the results, integer flags, and the call of a
// kernel of the table (KernelTable.h), declared once per module with
// `llvm.emit_c_interface` and the type the table gives. Buffers are passed
// with their shape erased, so one declaration serves every shape. Each call
// is a site of its own: it gets the entry function's KernelSites argument
// (added on the function's first call) and the next site number. Also
// declares the per-family pattern sets AenetToOneDNN.cpp puts together.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_CONVERSION_AENETTOONEDNN_KERNELCALL_H
#define AENET_LIB_CONVERSION_AENETTOONEDNN_KERNELCALL_H

#include "KernelTable.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::aenet {

/// conv2d, conv2d_transpose, maxpool2d, upsample2d and their gradient ops.
void populateConvToOneDNNPatterns(RewritePatternSet &patterns);
/// rnn, lstm, gru and their gradient ops.
void populateRecurrentToOneDNNPatterns(RewritePatternSet &patterns);

/// Whether |v| is an f32 tensor of rank |rank| and static shape, the only
/// kind the kernels take.
bool isStaticF32(Value v, int64_t rank);

/// Whether image |v| [N, C, H, W] reaches a kernel stored as NHWC: a kernel
/// wrote it (`CallBuilder::imageOutput`), or it has one channel (then NCHW
/// is NHWC too, and `nhwcInput` reads it with the identity layout). The
/// pass rewrites ops in program order, so a producer that oneDNN runs has
/// been rewritten before its consumers ask.
bool isNhwcImage(Value v);

/// The activation op the kernel making |preActivation| can apply as its
/// post-op, so that the activation needs no pass and no buffer of its own:
/// the one use of |preActivation|, when that is an activation whose kind
/// `isEltwisePostOp`. Null when |preActivation| has another reader (it
/// would get the activated value; autodiff's activation_grad reads the
/// activation's output, not its input, so a training step has none), or
/// when the activation must stay a kernel of its own (softmax, or a kind
/// the loops run). A fusing pattern replaces the activation by its call's
/// result.
ActivationOp fusibleActivation(Value preActivation);

/// Builds one kernel call: buffers in, fresh buffers out, then the results
/// as tensors.
class CallBuilder {
public:
  CallBuilder(PatternRewriter &rewriter, Operation *op);

  /// |tensor| as a read-only buffer with the identity layout.
  Value input(Value tensor);
  /// |tensor| [d0, ..., dn] read as the matrix [d0 * ... * d(n-1), dn].
  Value matrixInput(Value tensor);
  /// |tensor| [N, C, H, W] as a read-only buffer in whatever layout it has
  /// (an `imageOutput`'s NHWC, or the identity), so no copy is made.
  Value imageInput(Value tensor);
  /// An image for which `isNhwcImage` holds, read so that it is NHWC.
  Value nhwcInput(Value tensor);
  /// A new buffer for a result of |type|; `result` makes it a tensor.
  Value output(RankedTensorType type);
  /// A new buffer for an image result [N, C, H, W] stored as NHWC: the
  /// layout oneDNN's convolution, pooling and resampling kernels run on, so
  /// images pass between them without reorders.
  Value imageOutput(RankedTensorType type);
  /// A new buffer for a result of |type|, passed as a matrix like
  /// `matrixInput`.
  Value matrixOutput(RankedTensorType type);
  /// The |i|-th output as a tensor; call after `call`.
  Value result(unsigned i = 0);

  /// The i64 constant |v|.
  Value flag(int64_t v);
  /// Calls |kernel| with |args|, its arguments after the call site's state,
  /// which the builder adds; buffers are cast to the table's types. An
  /// operand that does not fit the table is a bug in the pattern: fatal.
  void call(DnnlKernel kernel, ValueRange args);
  /// Calls |kernel| like `call`, but at the existing site |site| of the
  /// function instead of a new one: for a kernel that continues the work
  /// of an earlier call and uses its state (a recurrent layer's backward
  /// pass reads its forward pass's workspace).
  void callAtSite(DnnlKernel kernel, int64_t site, ValueRange args);

private:
  void callAt(DnnlKernel kernel, std::optional<int64_t> existing,
              ValueRange args);
  Value toBuffer(Value tensor, MemRefLayoutAttrInterface layout = {});
  Value newBuffer(RankedTensorType type);
  Value newNhwcBuffer(RankedTensorType type);
  IntegerAttr alignment();
  Value asMatrix(Value buffer);
  Type typeOf(const KernelArg &arg);
  Value castTo(Value operand, const KernelArg &arg, StringRef symbol);
  std::pair<Value, Value> site(std::optional<int64_t> existing);
  void declare(const KernelSignature &signature);

  PatternRewriter &r_;
  Operation *op_;
  Location loc_;
  ModuleOp module_;
  SmallVector<std::pair<Value, RankedTensorType>> outputs_;
};

} // namespace mlir::aenet

#endif // AENET_LIB_CONVERSION_AENETTOONEDNN_KERNELCALL_H
