//===- AenetLayerOps.td - Layer operations -----------------*- tablegen -*-===//
//
// The forward layers that are not convolutions: dense, activations, reshape,
// and the random layers (dropout, Gaussian noise). Their gradient ops are in
// AenetGradientOps.td; their rules in LayerOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LAYER_OPS
#define AENET_LAYER_OPS

def Aenet_DenseOp : Aenet_DiffOp<"dense"> {
  let summary = "Fully connected layer on the last axis: x * kernel + bias.";
  let description = [{
    `input` is `[..., I]`, `kernel` is `[I, U]`, the optional `bias` is `[U]`;
    the result is `[..., U]`. The activation is a separate op.

    ```mlir
    %h = aenet.dense %x, %kernel, %bias
        : (tensor<256x784xf32>, tensor<784x64xf32>, tensor<64xf32>) -> tensor<256x64xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_FloatTensor:$kernel,
                   Optional<Aenet_FloatTensor>:$bias);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $kernel (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Aenet_ActivationOp : Aenet_DiffOp<"activation",
    [AllTypesMatch<["input", "output"]>]> {
  let summary = "Elementwise activation (softmax: over the last axis).";
  let description = [{
    Keras's activations. `leaky_relu` has slope 0.2 below zero, `elu` alpha 1,
    `hard_sigmoid` is `clip(0.2 x + 0.5, 0, 1)`.

    ```mlir
    %y = aenet.activation relu %x : tensor<256x64xf32>
    ```
  }];
  let arguments = (ins Aenet_ActivationKind:$kind, Aenet_FloatTensor:$input);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat = "$kind $input attr-dict `:` type($input)";
  let builders = [
    OpBuilder<(ins "::mlir::aenet::ActivationKind":$kind, "::mlir::Value":$input), [{
      build($_builder, $_state, input.getType(), kind, input);
    }]>];
}

def Aenet_ReshapeOp : Aenet_DiffOp<"reshape"> {
  let summary = "Reinterprets a tensor with another shape of the same size.";
  let description = [{
    Used for `flatten` and `reshape` layers. Row-major order is kept.

    ```mlir
    %f = aenet.reshape %x : tensor<256x8x7x7xf32> -> tensor<256x392xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Aenet_DropoutOp : Aenet_DiffOp<"dropout",
    [AllTypesMatch<["input", "output"]>]> {
  let summary = "Zeroes elements with probability `rate`, scales the rest.";
  let description = [{
    Inverted dropout as in Keras: kept elements are divided by `1 - rate`.
    The mask is a counter-based hash of (`seed`, `salt`, element index), so the
    gradient recomputes the same mask instead of storing it; `salt` tells the
    dropout layers of one model apart.

    ```mlir
    %y = aenet.dropout %x, %seed {rate = 0.5 : f64, salt = 1 : i64} : tensor<256x64xf32>, tensor<i64>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_Seed:$seed,
                   F64Attr:$rate, I64Attr:$salt);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat =
      "$input `,` $seed attr-dict `:` type($input) `,` type($seed)";
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$seed,
                   "::mlir::FloatAttr":$rate, "::mlir::IntegerAttr":$salt), [{
      build($_builder, $_state, input.getType(), input, seed, rate, salt);
    }]>];
}

def Aenet_GaussianNoiseOp : Aenet_DiffOp<"gaussian_noise",
    [AllTypesMatch<["input", "output"]>]> {
  let summary = "Adds zero-mean Gaussian noise of deviation `stddev`.";
  let description = [{
    The noise is a counter-based hash of (`seed`, `salt`, index) turned normal
    by Box-Muller; its gradient is the identity. The deviation is a scalar
    operand, not an attribute, so that one compiled program trains at any
    deviation (the frontend passes it in as an `aenet.hyperparameter`
    argument, and `aec sweep` over noise levels compiles once).

    ```mlir
    %y = aenet.gaussian_noise %x, %seed, %stddev {salt = 2 : i64}
        : tensor<256x784xf32>, tensor<i64>, tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_Seed:$seed,
                   Aenet_Scalar:$stddev, I64Attr:$salt);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $seed `,` $stddev attr-dict `:` type($input) `,` type($seed)
    `,` type($stddev)
  }];
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$seed,
                   "::mlir::Value":$stddev, "::mlir::IntegerAttr":$salt), [{
      build($_builder, $_state, input.getType(), input, seed, stddev, salt);
    }]>];
}

#endif // AENET_LAYER_OPS
