//===- AenetArithOps.td - Sums and constant factors --------*- tablegen -*-===//
//
// `aenet.add` and `aenet.scale`: the arithmetic that combines losses into the
// total (weights, sums) and that the autodiff pass uses to accumulate the
// gradients of a value with several uses. They serve both the loss family and
// the gradients, so they belong to neither: a family of their own.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_ARITH_OPS
#define AENET_ARITH_OPS

def Aenet_AddOp : Aenet_DiffOp<"add", [Commutative,
    AllTypesMatch<["lhs", "rhs", "result"]>]> {
  let summary = "Elementwise sum.";
  let description = [{
    Sums the weighted loss terms and regularizers into the total loss, and
    accumulates the gradients of a value used more than once. Both uses are
    plain arithmetic on tensors of one type, which is why the op is neither a
    loss nor a gradient op; its own rule passes `dL` to both operands.

    ```mlir
    %t = aenet.add %a, %b : tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$lhs, Aenet_FloatTensor:$rhs);
  let results = (outs Aenet_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$lhs, "::mlir::Value":$rhs), [{
      build($_builder, $_state, lhs.getType(), lhs, rhs);
    }]>];
}

def Aenet_ScaleOp : Aenet_DiffOp<"scale", [AllTypesMatch<["input", "output"]>]> {
  let summary = "Multiplies every element by a constant factor.";
  let description = [{
    Weights a loss term (`loss pred: cce(digit) weight 0.5`); its rule scales
    the incoming gradient by the same factor.

    ```mlir
    %w = aenet.scale %l {factor = 5.000000e-01 : f64} : tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, F64Attr:$factor);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::FloatAttr":$factor), [{
      build($_builder, $_state, input.getType(), input, factor);
    }]>];
}

#endif // AENET_ARITH_OPS
