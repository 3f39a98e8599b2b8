//===- AenetLossOps.td - Losses, metrics and regularizers --*- tablegen -*-===//
//
// The ops that turn tensors into scalars: losses of a prediction against a
// target, metrics (not differentiable), and the L1 activity and L2 weight
// regularizers. Each result is the 0-d tensor of the input's element type, so
// the builders derive it. Their rules are in LossOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LOSS_OPS
#define AENET_LOSS_OPS

def Aenet_LossOp : Aenet_DiffOp<"loss"> {
  let summary = "A loss of a prediction against its target, as a scalar.";
  let description = [{
    `mse`, `mae`, `bce` are averaged over the features of a sample (`mean`) or
    summed (`sum`); `cce` is `-sum(t log p)` over the last axis (targets
    one-hot, class labels are fed that way) and averaged over other non-batch
    axes. The per-sample values are averaged over the batch, as Keras does.
    `bce` and `cce` clip predictions to [1e-7, 1 - 1e-7] like Keras.

    ```mlir
    %l = aenet.loss mse mean %recon, %x : tensor<256x784xf32>, tensor<256x784xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_LossFunction:$kind, Aenet_LossReduction:$reduction,
                   Aenet_FloatTensor:$prediction, Aenet_FloatTensor:$target);
  let results = (outs Aenet_Scalar:$loss);
  let assemblyFormat = [{
    $kind $reduction $prediction `,` $target attr-dict `:` type($prediction)
    `,` type($target) `->` type($loss)
  }];
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::aenet::LossFunction":$kind,
                   "::mlir::aenet::LossReduction":$reduction,
                   "::mlir::Value":$prediction, "::mlir::Value":$target), [{
      build($_builder, $_state, scalarTypeOf(prediction.getType()), kind,
            reduction, prediction, target);
    }]>];
}

def Aenet_MetricOp : Aenet_Op<"metric", [Pure]> {
  let summary = "A metric of a prediction, against its target or alone.";
  let description = [{
    `accuracy`: the share of samples whose arg-max matches the target's;
    `pixel_accuracy`: the share of elements equal after rounding at 0.5;
    `mse`, `mae`, `bce`: as the losses with `mean` reduction; `rmse`: the
    batch's mean squared error, whose epoch value is the square root of its
    mean over the epoch (`getFinish()`, which the frontend writes into the
    result's `aenet.finish`); `errors`: the number of positions per sample
    whose class `accuracy` does not count as predicted (the complement of
    `accuracy` times the positions per sample), whose epoch value is its sum
    over the epoch's samples; `mean_abs`, which has no target: the mean of
    `|x|` over the batch's elements (a code's mean activation, which an L1
    activity penalty drives down). Not differentiable.

    ```mlir
    %a = aenet.metric accuracy %pred, %digit : tensor<256x10xf32>, tensor<256x10xf32> -> tensor<f32>
    %m = aenet.metric mean_abs %code : tensor<256x32xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_MetricKind:$kind, Aenet_FloatTensor:$prediction,
                   Optional<Aenet_FloatTensor>:$target);
  let results = (outs Aenet_Scalar:$value);
  let assemblyFormat = [{
    $kind $prediction (`,` $target^)? attr-dict `:` type($prediction)
    (`,` type($target)^)? `->` type($value)
  }];
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::aenet::MetricKind":$kind,
                   "::mlir::Value":$prediction, "::mlir::Value":$target), [{
      build($_builder, $_state, scalarTypeOf(prediction.getType()), kind,
            prediction, target);
    }]>];
  let extraClassDeclaration = [{
    /// How the runtime makes the epoch value from the batch values.
    ::mlir::aenet::ScalarFinish getFinish() {
      switch (getKind()) {
      case ::mlir::aenet::MetricKind::rmse:
        return ::mlir::aenet::ScalarFinish::sqrt_mean;
      case ::mlir::aenet::MetricKind::errors:
        return ::mlir::aenet::ScalarFinish::total;
      default:
        return ::mlir::aenet::ScalarFinish::mean;
      }
    }
  }];
}

def Aenet_L1ActivityOp : Aenet_DiffOp<"l1_activity"> {
  let summary = "L1 activity regularization: factor * sum|x| / batch.";
  let description = [{
    Keras divides activity regularization by the batch size.

    ```mlir
    %r = aenet.l1_activity %code {factor = 1.0e-05 : f64} : tensor<256x32xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, F64Attr:$factor);
  let results = (outs Aenet_Scalar:$loss);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($loss)";
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::FloatAttr":$factor), [{
      build($_builder, $_state, scalarTypeOf(input.getType()), input, factor);
    }]>];
}

def Aenet_L2WeightOp : Aenet_DiffOp<"l2_weight"> {
  let summary = "L2 weight regularization: factor * sum w^2.";
  let description = [{
    Keras's `l2` kernel regularizer: the sum of the squared weights, not
    divided by the batch (unlike activity regularization).

    ```mlir
    %r = aenet.l2_weight %kernel {factor = 1.0e-04 : f64} : tensor<784x64xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, F64Attr:$factor);
  let results = (outs Aenet_Scalar:$loss);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($loss)";
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::FloatAttr":$factor), [{
      build($_builder, $_state, scalarTypeOf(input.getType()), input, factor);
    }]>];
}

#endif // AENET_LOSS_OPS
