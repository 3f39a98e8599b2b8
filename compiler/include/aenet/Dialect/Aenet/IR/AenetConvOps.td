//===- AenetConvOps.td - Convolution family ----------------*- tablegen -*-===//
//
// The image family on NCHW tensors: conv2d, conv2d_transpose, maxpool2d and
// upsample2d, with the gradient ops their rules (ConvOps.cpp) emit. The family
// keeps its gradient ops beside it, since they share its layout and padding
// conventions; this file is the worked example of adding an op family.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_CONV_OPS
#define AENET_CONV_OPS

//===----------------------------------------------------------------------===//
// Convolution layers
//===----------------------------------------------------------------------===//
//
// Images are NCHW: [batch, channels, height, width]. Padding is explicit:
// `pads` = [top, left, bottom, right], each in [0, window - 1] (a larger pad
// would add outputs that see nothing but padding). The frontend turns Keras's
// 'valid' into zeros and 'same', as TensorFlow does, into
//   total = max((ceil(H / s) - 1) * s + k - H, 0),
//   top = total / 2 (rounded down), bottom = total - top
// (likewise left/right with W), so an odd total pads one more row at the
// bottom. An output extent is then floor((H + top + bottom - k) / s) + 1.

def Aenet_Pair : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>;
def Aenet_Pads : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<4>]>;

def Aenet_Conv2DOp : Aenet_DiffOp<"conv2d"> {
  let summary = "Two-dimensional convolution (cross-correlation) of NCHW images.";
  let description = [{
    `input` is `[N, C, H, W]`, `kernel` is `[F, C, kh, kw]` (Keras's filters
    first, channels-first), the optional `bias` is `[F]`; the result is
    `[N, F, Ho, Wo]` with
    `y[n, f, i, j] = b[f] + sum_{c, a, b} xp[n, c, i*sh + a, j*sw + b] k[f, c, a, b]`,
    where `xp` is the input padded with zeros by `pads` = [top, left, bottom,
    right] and `Ho = floor((H + top + bottom - kh) / sh) + 1`. The
    activation is a separate op.

    ```mlir
    %y = aenet.conv2d %x, %k, %b strides [1, 1] pads [1, 1, 1, 1]
        : (tensor<128x1x28x28xf32>, tensor<16x1x3x3xf32>, tensor<16xf32>) -> tensor<128x16x28x28xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_FloatTensor:$kernel,
                   Optional<Aenet_FloatTensor>:$bias, Aenet_Pair:$strides,
                   Aenet_Pads:$pads);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $kernel (`,` $bias^)? `strides` $strides `pads` $pads attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Aenet_Conv2DTransposeOp : Aenet_DiffOp<"conv2d_transpose"> {
  let summary = "Transposed convolution: the adjoint of conv2d w.r.t. its input.";
  let description = [{
    `input` is `[N, C, H, W]`, `kernel` is `[C, F, kh, kw]` (Keras's
    Conv2DTranspose layout, channels-first), the optional `bias` is `[F]`;
    the result `[N, F, Ho, Wo]` is what `conv2d_grad_input` gives for a
    conv2d from `[N, F, Ho, Wo]` to `[N, C, H, W]` with the same kernel,
    `strides` and `pads`, plus the bias:
    `y[n, f, i*sh + a - top, j*sw + b - left] += x[n, c, i, j] k[c, f, a, b]`.
    So `pads` are those of that forward conv2d and `Ho` is any extent with
    `floor((Ho + top + bottom - kh) / sh) + 1 = H`. Keras's sizes: 'same'
    gives `Ho = H * sh` and pads total `max(kh - sh, 0)` (top = total / 2),
    'valid' gives `Ho = (H - 1) * sh + max(kh, sh)` and no pads; rows that
    no window reaches get only the bias.

    ```mlir
    %y = aenet.conv2d_transpose %x, %k, %b strides [2, 2] pads [0, 0, 1, 1]
        : (tensor<128x128x7x7xf32>, tensor<128x64x3x3xf32>, tensor<64xf32>) -> tensor<128x64x14x14xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_FloatTensor:$kernel,
                   Optional<Aenet_FloatTensor>:$bias, Aenet_Pair:$strides,
                   Aenet_Pads:$pads);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $kernel (`,` $bias^)? `strides` $strides `pads` $pads attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Aenet_MaxPool2DOp : Aenet_DiffOp<"maxpool2d"> {
  let summary = "Maximum over each window of an NCHW image, per channel.";
  let description = [{
    `input` is `[N, C, H, W]`; the result `[N, C, Ho, Wo]` holds the maximum
    of each `window` placed every `strides` on the input padded by `pads`
    ([top, left, bottom, right]). Padding never wins: it acts as -inf, as in
    TensorFlow's 'same' pooling.

    ```mlir
    %y = aenet.maxpool2d %x window [2, 2] strides [2, 2] pads [0, 0, 0, 0]
        : tensor<128x16x28x28xf32> -> tensor<128x16x14x14xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_Pair:$window,
                   Aenet_Pair:$strides, Aenet_Pads:$pads);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat = [{
    $input `window` $window `strides` $strides `pads` $pads attr-dict `:`
    type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Aenet_Upsample2DOp : Aenet_DiffOp<"upsample2d"> {
  let summary = "Nearest-neighbour upsampling of NCHW images by integer factors.";
  let description = [{
    Keras's UpSampling2D (nearest): `y[n, c, i, j] = x[n, c, i floordiv fh,
    j floordiv fw]`, so the result is `[N, C, H * fh, W * fw]`.

    ```mlir
    %y = aenet.upsample2d %x factors [2, 2] : tensor<128x8x7x7xf32> -> tensor<128x8x14x14xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_Pair:$factors);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat = [{
    $input `factors` $factors attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Aenet_Conv2DGradInputOp : Aenet_Op<"conv2d_grad_input", [Pure]> {
  let summary = "Gradient of conv2d w.r.t. its input.";
  let description = [{
    For a conv2d from `[N, C, H, W]` to `[N, F, Ho, Wo]` with `kernel`
    `[F, C, kh, kw]`, `strides` and `pads`: scatters each `dy[n, f, i, j]`
    back through the kernel,
    `dx[n, c, i*sh + a - top, j*sw + b - left] += dy[n, f, i, j] k[f, c, a, b]`
    (terms landing in the padding are dropped). Equivalently, the full
    correlation of `dy` (dilated by the strides) with the kernel rotated by
    180 degrees and its two channel axes swapped. The result type gives
    `H` and `W`.

    ```mlir
    %dx = aenet.conv2d_grad_input %dy, %k strides [1, 1] pads [1, 1, 1, 1]
        : tensor<128x16x28x28xf32>, tensor<16x8x3x3xf32> -> tensor<128x8x28x28xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$output_grad,
                   Aenet_FloatTensor:$kernel, Aenet_Pair:$strides,
                   Aenet_Pads:$pads);
  let results = (outs Aenet_FloatTensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `,` $kernel `strides` $strides `pads` $pads attr-dict `:`
    type($output_grad) `,` type($kernel) `->` type($input_grad)
  }];
  let hasVerifier = 1;
}

def Aenet_Conv2DGradKernelOp : Aenet_Op<"conv2d_grad_kernel", [Pure]> {
  let summary = "Gradient of conv2d w.r.t. its kernel.";
  let description = [{
    The correlation of the padded input with `dy`, summed over the batch:
    `dk[f, c, a, b] = sum_{n, i, j} xp[n, c, i*sh + a, j*sw + b] dy[n, f, i, j]`.
    The result type gives `kh` and `kw`.

    ```mlir
    %dk = aenet.conv2d_grad_kernel %x, %dy strides [1, 1] pads [1, 1, 1, 1]
        : tensor<128x8x28x28xf32>, tensor<128x16x28x28xf32> -> tensor<16x8x3x3xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_FloatTensor:$output_grad,
                   Aenet_Pair:$strides, Aenet_Pads:$pads);
  let results = (outs Aenet_FloatTensor:$kernel_grad);
  let assemblyFormat = [{
    $input `,` $output_grad `strides` $strides `pads` $pads attr-dict `:`
    type($input) `,` type($output_grad) `->` type($kernel_grad)
  }];
  let hasVerifier = 1;
}

def Aenet_Conv2DGradBiasOp : Aenet_Op<"conv2d_grad_bias", [Pure]> {
  let summary = "Gradient of a convolution's bias: dy summed over N, H and W.";
  let description = [{
    `db[f] = sum_{n, i, j} dy[n, f, i, j]`: the bias is added at every
    output position, so its gradient gathers all of them.

    ```mlir
    %db = aenet.conv2d_grad_bias %dy : tensor<128x16x28x28xf32> -> tensor<16xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$output_grad);
  let results = (outs Aenet_FloatTensor:$bias_grad);
  let assemblyFormat = [{
    $output_grad attr-dict `:` type($output_grad) `->` type($bias_grad)
  }];
  let hasVerifier = 1;
}

def Aenet_MaxPool2DGradOp : Aenet_Op<"maxpool2d_grad", [Pure,
    AllTypesMatch<["input", "input_grad"]>,
    AllTypesMatch<["output", "output_grad"]>]> {
  let summary = "Gradient of maxpool2d: each dy goes to its window's first maximum.";
  let description = [{
    Recomputes, for every window, which input element the forward pass
    picked, from the `input` and the pooled `output` (no argmax is stored):
    the first element of the window, in row-major order (top row first, left
    to right), that equals the window's maximum. That element gets the
    window's `dy`; on ties the others get nothing, as in TensorFlow and
    PyTorch. An element that is the maximum of several overlapping windows
    gets the sum of their `dy`.

    ```mlir
    %dx = aenet.maxpool2d_grad %x, %y, %dy window [2, 2] strides [2, 2] pads [0, 0, 0, 0]
        : tensor<128x16x28x28xf32>, tensor<128x16x14x14xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$input, Aenet_FloatTensor:$output,
                   Aenet_FloatTensor:$output_grad, Aenet_Pair:$window,
                   Aenet_Pair:$strides, Aenet_Pads:$pads);
  let results = (outs Aenet_FloatTensor:$input_grad);
  let assemblyFormat = [{
    $input `,` $output `,` $output_grad `window` $window `strides` $strides
    `pads` $pads attr-dict `:` type($input) `,` type($output)
  }];
  let hasVerifier = 1;
}

def Aenet_Upsample2DGradOp : Aenet_Op<"upsample2d_grad", [Pure]> {
  let summary = "Gradient of upsample2d: dy summed over each fh x fw block.";
  let description = [{
    Each input element was copied into an `fh x fw` block of the output, so
    its gradient is the sum of that block:
    `dx[n, c, i, j] = sum_{a < fh, b < fw} dy[n, c, i*fh + a, j*fw + b]`.

    ```mlir
    %dx = aenet.upsample2d_grad %dy factors [2, 2] : tensor<128x8x14x14xf32> -> tensor<128x8x7x7xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$output_grad, Aenet_Pair:$factors);
  let results = (outs Aenet_FloatTensor:$input_grad);
  let assemblyFormat = [{
    $output_grad `factors` $factors attr-dict `:` type($output_grad) `->`
    type($input_grad)
  }];
  let hasVerifier = 1;
}

#endif // AENET_CONV_OPS
