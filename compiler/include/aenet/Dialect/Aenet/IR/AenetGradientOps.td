//===- AenetGradientOps.td - Gradients of layers -----------*- tablegen -*-===//
//
// The adjoints that the gradient rules of the layer and loss families
// (LayerOps.cpp, LossOps.cpp) emit for aenet-autodiff. Ops whose result has
// an operand's type get a builder without result types. The convolution
// family keeps its gradient ops in AenetConvOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_GRADIENT_OPS
#define AENET_GRADIENT_OPS

def Aenet_DenseGradInputOp : Aenet_Op<"dense_grad_input", [Pure]> {
  let summary = "Gradient of dense w.r.t. its input: dy * kernel^T.";
  let description = [{
    For a dense from `[..., I]` to `[..., U]` with `kernel` `[I, U]`:
    `dx[..., i] = sum_u dy[..., u] k[i, u]`.

    ```mlir
    %dx = aenet.dense_grad_input %dy, %k : tensor<256x64xf32>, tensor<784x64xf32> -> tensor<256x784xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$output_grad,
                   Aenet_FloatTensor:$kernel);
  let results = (outs Aenet_FloatTensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `,` $kernel attr-dict `:` type($output_grad) `,` type($kernel)
    `->` type($input_grad)
  }];
  let hasVerifier = 1;
}

def Aenet_DenseGradKernelOp : Aenet_Op<"dense_grad_kernel", [Pure]> {
  let summary = "Gradient of dense w.r.t. its kernel: x^T * dy.";
  let description = [{
    `dk[i, u] = sum x[..., i] dy[..., u]` over every leading (batch) index:
    the kernel is shared by all samples.

    ```mlir
    %dk = aenet.dense_grad_kernel %x, %dy : tensor<256x784xf32>, tensor<256x64xf32> -> tensor<784x64xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input,
                   Aenet_FloatTensor:$output_grad);
  let results = (outs Aenet_FloatTensor:$kernel_grad);
  let assemblyFormat = [{
    $input `,` $output_grad attr-dict `:` type($input) `,` type($output_grad)
    `->` type($kernel_grad)
  }];
  let hasVerifier = 1;
}

def Aenet_DenseGradBiasOp : Aenet_Op<"dense_grad_bias", [Pure]> {
  let summary = "Gradient of dense w.r.t. its bias: dy summed over all but "
                "the last axis.";
  let description = [{
    `db[u] = sum dy[..., u]`: the bias is added to every sample.

    ```mlir
    %db = aenet.dense_grad_bias %dy : tensor<256x64xf32> -> tensor<64xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$output_grad);
  let results = (outs Aenet_FloatTensor:$bias_grad);
  let assemblyFormat = [{
    $output_grad attr-dict `:` type($output_grad) `->` type($bias_grad)
  }];
  let hasVerifier = 1;
}

def Aenet_ActivationGradOp : Aenet_Op<"activation_grad", [Pure,
    AllTypesMatch<["output", "output_grad", "input_grad"]>]> {
  let summary = "Gradient of an activation, from its output and dy.";
  let description = [{
    Every activation's derivative can be written with its output `y`, so the
    input need not be kept: relu `y > 0`, sigmoid `y (1 - y)`, tanh `1 - y^2`,
    softmax `y (dy - sum(dy y))`, elu `y > 0 ? 1 : y + 1`, ...

    ```mlir
    %dx = aenet.activation_grad sigmoid %y, %dy : tensor<256x64xf32>
    ```
  }];
  let arguments = (ins Aenet_ActivationKind:$kind, Aenet_FloatTensor:$output,
                   Aenet_FloatTensor:$output_grad);
  let results = (outs Aenet_FloatTensor:$input_grad);
  let assemblyFormat = "$kind $output `,` $output_grad attr-dict `:` type($output)";
  let builders = [
    OpBuilder<(ins "::mlir::aenet::ActivationKind":$kind, "::mlir::Value":$output,
                   "::mlir::Value":$output_grad), [{
      build($_builder, $_state, output.getType(), kind, output, output_grad);
    }]>];
}

def Aenet_DropoutGradOp : Aenet_Op<"dropout_grad", [Pure,
    AllTypesMatch<["output_grad", "input_grad"]>]> {
  let summary = "Gradient of dropout: dy through the same mask and scale.";
  let description = [{
    Recomputes the forward op's mask from the same (`seed`, `salt`, index)
    hash rather than storing it: `dx = mask * dy / (1 - rate)`. `rate` and
    `salt` must be those of the dropout it differentiates.

    ```mlir
    %dx = aenet.dropout_grad %dy, %seed {rate = 0.5 : f64, salt = 1 : i64} : tensor<256x64xf32>, tensor<i64>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$output_grad, Aenet_Seed:$seed,
                   F64Attr:$rate, I64Attr:$salt);
  let results = (outs Aenet_FloatTensor:$input_grad);
  let assemblyFormat =
      "$output_grad `,` $seed attr-dict `:` type($output_grad) `,` type($seed)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$output_grad, "::mlir::Value":$seed,
                   "::mlir::FloatAttr":$rate, "::mlir::IntegerAttr":$salt), [{
      build($_builder, $_state, output_grad.getType(), output_grad, seed, rate, salt);
    }]>];
}

def Aenet_LossGradOp : Aenet_Op<"loss_grad", [Pure,
    AllTypesMatch<["prediction", "prediction_grad"]>]> {
  let summary = "Gradient of a loss w.r.t. its prediction, scaled by dL.";
  let description = [{
    The derivative of `aenet.loss` with the same `kind` and `reduction`
    w.r.t. `prediction`, times the scalar `loss_grad` (the loss term's
    weight): e.g. mse mean gives `2 (p - t) / (features * batch) * dL`. The
    target gets no gradient.

    ```mlir
    %dp = aenet.loss_grad mse mean %p, %t, %dl : tensor<256x784xf32>, tensor<256x784xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_LossFunction:$kind, Aenet_LossReduction:$reduction,
                   Aenet_FloatTensor:$prediction, Aenet_FloatTensor:$target,
                   Aenet_Scalar:$loss_grad);
  let results = (outs Aenet_FloatTensor:$prediction_grad);
  let assemblyFormat = [{
    $kind $reduction $prediction `,` $target `,` $loss_grad attr-dict `:`
    type($prediction) `,` type($target) `,` type($loss_grad)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::aenet::LossFunction":$kind,
                   "::mlir::aenet::LossReduction":$reduction,
                   "::mlir::Value":$prediction, "::mlir::Value":$target,
                   "::mlir::Value":$loss_grad), [{
      build($_builder, $_state, prediction.getType(), kind, reduction, prediction, target, loss_grad);
    }]>];
}

def Aenet_L1ActivityGradOp : Aenet_Op<"l1_activity_grad", [Pure,
    AllTypesMatch<["input", "input_grad"]>]> {
  let summary = "Gradient of l1_activity: factor * sign(x) / batch * dL.";
  let description = [{
    The subgradient of `aenet.l1_activity`: `sign(0)` is 0, as in
    TensorFlow.

    ```mlir
    %dx = aenet.l1_activity_grad %code, %dl {factor = 1.0e-05 : f64} : tensor<256x32xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_Scalar:$loss_grad,
                   F64Attr:$factor);
  let results = (outs Aenet_FloatTensor:$input_grad);
  let assemblyFormat = [{
    $input `,` $loss_grad attr-dict `:` type($input) `,` type($loss_grad)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$loss_grad,
                   "::mlir::FloatAttr":$factor), [{
      build($_builder, $_state, input.getType(), input, loss_grad, factor);
    }]>];
}

def Aenet_L2WeightGradOp : Aenet_Op<"l2_weight_grad", [Pure,
    AllTypesMatch<["input", "input_grad"]>]> {
  let summary = "Gradient of l2_weight: 2 * factor * w * dL.";
  let description = [{
    ```mlir
    %dw = aenet.l2_weight_grad %kernel, %dl {factor = 1.0e-04 : f64} : tensor<784x64xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_Scalar:$loss_grad,
                   F64Attr:$factor);
  let results = (outs Aenet_FloatTensor:$input_grad);
  let assemblyFormat = [{
    $input `,` $loss_grad attr-dict `:` type($input) `,` type($loss_grad)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$loss_grad,
                   "::mlir::FloatAttr":$factor), [{
      build($_builder, $_state, input.getType(), input, loss_grad, factor);
    }]>];
}

#endif // AENET_GRADIENT_OPS
