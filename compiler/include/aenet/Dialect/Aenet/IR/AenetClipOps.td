//===- AenetClipOps.td - Clamping and its gradient ---------*- tablegen -*-===//
//
// `aenet.clip` bounds every element to [`min`, `max`]; `aenet.clip_grad` is its
// adjoint. The frontend clips a corrupted input after its Gaussian noise
// (`corrupt x with gaussian(0.5) clip(0, 1)`), so that the noisy images the
// layers read stay in the range of the clean ones. That use never needs the
// gradient (inputs are not trained), but any other use of the op may, so the
// rule is here rather than the autodiff refusing the op.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_CLIP_OPS
#define AENET_CLIP_OPS

def Aenet_ClipOp : Aenet_DiffOp<"clip", [AllTypesMatch<["input", "output"]>]> {
  let summary = "Clamps every element to [`min`, `max`].";
  let description = [{
    `y = min(max(x, min), max)` elementwise, as `tf.clip_by_value`; NaN stays
    NaN. `min` must not exceed `max`. Its rule passes the gradient where
    `min <= x <= max` and zeroes it elsewhere (`aenet.clip_grad`).

    ```mlir
    %y = aenet.clip %x {min = 0.0 : f64, max = 1.0 : f64} : tensor<8x784xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, F64Attr:$min, F64Attr:$max);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::FloatAttr":$min,
                   "::mlir::FloatAttr":$max), [{
      build($_builder, $_state, input.getType(), input, min, max);
    }]>];
}

def Aenet_ClipGradOp : Aenet_Op<"clip_grad", [Pure,
    AllTypesMatch<["input", "output_grad", "input_grad"]>]> {
  let summary = "Gradient of clip: dy where the input was within bounds.";
  let description = [{
    `dx = (min <= x <= max) ? dy : 0` for the forward op's `input` `x`; the
    bounds are inclusive, as TensorFlow's gradient of `clip_by_value`. `min`
    and `max` must be those of the clip it differentiates.

    ```mlir
    %dx = aenet.clip_grad %x, %dy {min = 0.0 : f64, max = 1.0 : f64} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_FloatTensor:$output_grad,
                   F64Attr:$min, F64Attr:$max);
  let results = (outs Aenet_FloatTensor:$input_grad);
  let assemblyFormat =
      "$input `,` $output_grad attr-dict `:` type($input_grad)";
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$output_grad,
                   "::mlir::FloatAttr":$min, "::mlir::FloatAttr":$max), [{
      build($_builder, $_state, input.getType(), input, output_grad, min, max);
    }]>];
}

#endif // AENET_CLIP_OPS
