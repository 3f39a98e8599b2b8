//===- LayerOps.cpp - Layer ops: verifiers and gradient rules -------------===//
//
// For each layer op, its verifier and its adjoint. The adjoints emit the
// gradient ops of GradientOps.cpp, so every lowering handles them like any
// other op.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "VerifyUtils.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::aenet;

//===----------------------------------------------------------------------===//
// dense
//===----------------------------------------------------------------------===//

LogicalResult DenseOp::verify() {
  auto in = tensorType(getInput());
  auto kernel = tensorType(getKernel());
  auto out = tensorType(getOutput());
  if (in.getRank() < 2)
    return emitOpError() << "expects an input of rank >= 2 (batch first), got "
                         << in;
  if (kernel.getRank() != 2 || kernel.getDimSize(0) != in.getShape().back())
    return emitOpError() << "expects a kernel [" << in.getShape().back()
                         << ", units] for input " << in << ", got " << kernel;
  int64_t units = kernel.getDimSize(1);
  if (getBias() && tensorType(getBias()).getShape() != ArrayRef<int64_t>{units})
    return emitOpError() << "expects a bias of " << units << " elements, got "
                         << getBias().getType();
  SmallVector<int64_t> expected(in.getShape());
  expected.back() = units;
  if (out.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError() << "expects a result of shape ["
                         << llvm::make_range(expected.begin(), expected.end())
                         << "], got " << out;
  return sameElementType(*this);
}

LogicalResult DenseOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                      SmallVectorImpl<Value> &grads) {
  Location loc = getLoc();
  Value dOut = dy[0];
  grads.push_back(DenseGradInputOp::create(b, loc, getInput().getType(), dOut,
                                           getKernel()));
  grads.push_back(DenseGradKernelOp::create(b, loc, getKernel().getType(),
                                            getInput(), dOut));
  if (getBias())
    grads.push_back(
        DenseGradBiasOp::create(b, loc, getBias().getType(), dOut));
  return success();
}

//===----------------------------------------------------------------------===//
// activation
//===----------------------------------------------------------------------===//

LogicalResult ActivationOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                           SmallVectorImpl<Value> &grads) {
  grads.push_back(ActivationGradOp::create(b, getLoc(), getKind(),
                                           getOutput(), dy[0]));
  return success();
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = tensorType(getInput());
  auto out = tensorType(getOutput());
  if (!in.hasStaticShape() || !out.hasStaticShape())
    return emitOpError() << "expects static shapes, got " << in << " and "
                         << out;
  if (in.getNumElements() != out.getNumElements())
    return emitOpError() << "cannot reshape " << in << " ("
                         << in.getNumElements() << " elements) into " << out
                         << " (" << out.getNumElements() << " elements)";
  if (in.getDimSize(0) != out.getDimSize(0))
    return emitOpError() << "must keep the batch dimension, got " << in
                         << " and " << out;
  return sameElementType(*this);
}

LogicalResult ReshapeOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                        SmallVectorImpl<Value> &grads) {
  grads.push_back(
      ReshapeOp::create(b, getLoc(), getInput().getType(), dy[0]));
  return success();
}

//===----------------------------------------------------------------------===//
// dropout and gaussian_noise
//===----------------------------------------------------------------------===//

LogicalResult DropoutOp::verify() {
  double rate = getRate().convertToDouble();
  if (!(rate >= 0 && rate < 1))
    return emitOpError() << "expects a rate in [0, 1), got " << rate;
  return success();
}

LogicalResult DropoutOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                        SmallVectorImpl<Value> &grads) {
  grads.push_back(DropoutGradOp::create(b, getLoc(), dy[0],
                                        getSeed(), getRateAttr(),
                                        getSaltAttr()));
  grads.push_back(Value()); // the seed
  return success();
}

LogicalResult GaussianNoiseOp::verify() {
  // A deviation known here must be one; an argument's is the runtime's to
  // check (the language refuses negative ones).
  DenseFPElementsAttr constant;
  if (matchPattern(getStddev(), m_Constant(&constant))) {
    double stddev = constant.getSplatValue<APFloat>().convertToDouble();
    if (!(stddev >= 0))
      return emitOpError() << "expects a non-negative stddev, got " << stddev;
  }
  return sameElementType(*this);
}

LogicalResult GaussianNoiseOp::buildGradients(OpBuilder &, ArrayRef<Value> dy,
                                              SmallVectorImpl<Value> &grads) {
  // Additive noise: the gradient passes through unchanged.
  grads.push_back(dy[0]);
  grads.push_back(Value()); // the seed
  grads.push_back(Value()); // the deviation
  return success();
}

//===----------------------------------------------------------------------===//
// add and scale
//===----------------------------------------------------------------------===//

LogicalResult AddOp::buildGradients(OpBuilder &, ArrayRef<Value> dy,
                                    SmallVectorImpl<Value> &grads) {
  grads.push_back(dy[0]);
  grads.push_back(dy[0]);
  return success();
}

LogicalResult ScaleOp::buildGradients(OpBuilder &b, ArrayRef<Value> dy,
                                      SmallVectorImpl<Value> &grads) {
  grads.push_back(
      ScaleOp::create(b, getLoc(), dy[0], getFactorAttr()));
  return success();
}
