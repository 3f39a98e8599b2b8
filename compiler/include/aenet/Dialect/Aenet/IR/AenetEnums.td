//===- AenetEnums.td - Enumerations of the aenet dialect ---*- tablegen -*-===//
//
// Activation, loss, metric, reduction, scalar finish, initializer and
// optimizer kinds, printed as bare keywords.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_ENUMS
#define AENET_ENUMS

include "mlir/IR/EnumAttr.td"

def Aenet_ActivationKind : I32EnumAttr<"ActivationKind", "activation function", [
    I32EnumAttrCase<"linear", 0>, I32EnumAttrCase<"relu", 1>,
    I32EnumAttrCase<"sigmoid", 2>, I32EnumAttrCase<"tanh", 3>,
    I32EnumAttrCase<"softmax", 4>, I32EnumAttrCase<"hard_sigmoid", 5>,
    I32EnumAttrCase<"relu6", 6>, I32EnumAttrCase<"leaky_relu", 7>,
    I32EnumAttrCase<"elu", 8>]> {
  let cppNamespace = "::mlir::aenet";
}

// LossFunction and LossReduction, not LossKind and Reduction: the language
// (::aenet) has enums of those names, which the frontend maps onto these, and
// one name should not mean two types across the two namespaces.
def Aenet_LossFunction : I32EnumAttr<"LossFunction", "loss function", [
    I32EnumAttrCase<"mse", 0>, I32EnumAttrCase<"mae", 1>,
    I32EnumAttrCase<"bce", 2>, I32EnumAttrCase<"cce", 3>]> {
  let cppNamespace = "::mlir::aenet";
}

def Aenet_MetricKind : I32EnumAttr<"MetricKind", "metric", [
    I32EnumAttrCase<"accuracy", 0>, I32EnumAttrCase<"pixel_accuracy", 1>,
    I32EnumAttrCase<"mse", 2>, I32EnumAttrCase<"mae", 3>,
    I32EnumAttrCase<"bce", 4>, I32EnumAttrCase<"rmse", 5>,
    I32EnumAttrCase<"errors", 6>, I32EnumAttrCase<"mean_abs", 7>]> {
  let cppNamespace = "::mlir::aenet";
}

// How the runtime turns a scalar's batch values into its value over an epoch
// or an evaluation pass: the mean over samples (the batch values weighted by
// their rows), or the square root of that mean for a scalar whose batch value
// is a mean square (rmse), since the mean of per-batch roots is not the root
// of the mean, or the sum over samples (the batch values weighted by their
// rows, not divided) for a scalar whose batch value is a count per sample
// (errors). Spelt in the `aenet.finish` ABI attribute.
def Aenet_ScalarFinish : I32EnumAttr<"ScalarFinish",
    "how a scalar's batch values make its epoch value", [
    I32EnumAttrCase<"mean", 0>, I32EnumAttrCase<"sqrt_mean", 1>,
    I32EnumAttrCase<"total", 2>]> {
  let cppNamespace = "::mlir::aenet";
}

def Aenet_LossReduction : I32EnumAttr<"LossReduction",
    "how a per-element loss becomes a scalar", [
    I32EnumAttrCase<"mean", 0>, I32EnumAttrCase<"sum", 1>]> {
  let cppNamespace = "::mlir::aenet";
}

def Aenet_InitializerKind : I32EnumAttr<"InitializerKind",
    "how a parameter's first values are drawn or set", [
    I32EnumAttrCase<"glorot_uniform", 0>, I32EnumAttrCase<"orthogonal", 1>,
    I32EnumAttrCase<"zeros", 2>, I32EnumAttrCase<"ones", 3>,
    I32EnumAttrCase<"constant", 4>, I32EnumAttrCase<"block_ones", 5>]> {
  let cppNamespace = "::mlir::aenet";
}

def Aenet_OptimizerKind : I32EnumAttr<"OptimizerKind", "optimizer", [
    I32EnumAttrCase<"sgd", 0>, I32EnumAttrCase<"adam", 1>,
    I32EnumAttrCase<"rmsprop", 2>, I32EnumAttrCase<"adagrad", 3>,
    I32EnumAttrCase<"adadelta", 4>]> {
  let cppNamespace = "::mlir::aenet";
}

#endif // AENET_ENUMS
