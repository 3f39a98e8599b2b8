// RUN: aenet-opt %s -split-input-file -aenet-lower-to-linalg | FileCheck %s

// Tests that conv2d with a bias convolves the padded input into the bias
// broadcast over the image: one generic writes bias[c] everywhere, one
// generic gathers the input into a zero-bordered tensor (pads [1, 1, 1, 1]
// make 5x5 into 7x7), then linalg.conv_2d_nchw_fchw runs at stride 2.
// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5x5xf32>, %[[K:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[CHANNEL]], #[[ID]]]
// CHECK-SAME: ins(%[[B]] : tensor<4xf32>) outs(%{{.*}} : tensor<2x4x3x3xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = linalg.generic {indexing_maps = [#[[ID]]]
// CHECK-SAME: outs(%{{.*}} : tensor<2x3x7x7xf32>)
// CHECK: %[[ROW:.*]] = arith.subi %{{.*}}, %c1
// CHECK: %[[V:.*]] = tensor.extract %[[X]]
// CHECK: arith.select %{{.*}}, %[[V]], %[[ZERO]] : f32
// CHECK: %[[Y:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PAD]], %[[K]] : tensor<2x3x7x7xf32>, tensor<4x3x3x3xf32>) outs(%[[INIT]] : tensor<2x4x3x3xf32>)
// CHECK: return %[[Y]]
func.func @conv2d(%x: tensor<2x3x5x5xf32>, %k: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x3x3xf32> {
  %y = aenet.conv2d %x, %k, %b strides [2, 2] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x3x3xf32>
  return %y : tensor<2x4x3x3xf32>
}

// -----

// Tests that a 'valid' conv2d without a bias convolves the input itself into
// zeros, in f64.
// CHECK-LABEL: func.func @conv2d_valid
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5x6xf64>, %[[K:.*]]: tensor<4x3x3x2xf64>)
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f64) outs(%{{.*}} : tensor<2x4x3x5xf64>)
// CHECK-NOT: linalg.generic
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME: ins(%[[X]], %[[K]] : tensor<2x3x5x6xf64>, tensor<4x3x3x2xf64>) outs(%[[FILL]] : tensor<2x4x3x5xf64>)
func.func @conv2d_valid(%x: tensor<2x3x5x6xf64>, %k: tensor<4x3x3x2xf64>) -> tensor<2x4x3x5xf64> {
  %y = aenet.conv2d %x, %k strides [1, 1] pads [0, 0, 0, 0] : (tensor<2x3x5x6xf64>, tensor<4x3x3x2xf64>) -> tensor<2x4x3x5xf64>
  return %y : tensor<2x4x3x5xf64>
}

// -----

// Tests conv2d_grad_input at stride 2: dy is spread into a zero image of
// H + kh - 1 rows, dy[i] landing on row i * 2 + kh - 1 - top (a generic that
// keeps rows where (row - 1) rem 2 = 0), the kernel is rotated by 180
// degrees with its channel axes swapped, and a stride-1 convolution of the
// two gives dx.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ROT:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, -d2 + 2, -d3 + 2)>
// CHECK-LABEL: func.func @conv2d_grad_input
// CHECK-SAME: (%[[DY:.*]]: tensor<2x4x3x3xf32>, %[[K:.*]]: tensor<4x3x3x3xf32>)
// CHECK: %[[ZEROS:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x3x5x5xf32>)
// CHECK: %[[SPREAD:.*]] = linalg.generic {indexing_maps = [#[[ID]]]
// CHECK-SAME: outs(%{{.*}} : tensor<2x4x7x7xf32>)
// CHECK: arith.remsi
// CHECK: arith.divsi
// CHECK: tensor.extract %[[DY]]
// CHECK: %[[ROTATED:.*]] = linalg.generic {indexing_maps = [#[[ROT]], #[[ID]]]
// CHECK-SAME: ins(%[[K]] : tensor<4x3x3x3xf32>) outs(%{{.*}} : tensor<3x4x3x3xf32>)
// CHECK: %[[DX:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME: ins(%[[SPREAD]], %[[ROTATED]] : tensor<2x4x7x7xf32>, tensor<3x4x3x3xf32>) outs(%[[ZEROS]] : tensor<2x3x5x5xf32>)
// CHECK: return %[[DX]]
func.func @conv2d_grad_input(%dy: tensor<2x4x3x3xf32>, %k: tensor<4x3x3x3xf32>) -> tensor<2x3x5x5xf32> {
  %dx = aenet.conv2d_grad_input %dy, %k strides [2, 2] pads [1, 1, 1, 1] : tensor<2x4x3x3xf32>, tensor<4x3x3x3xf32> -> tensor<2x3x5x5xf32>
  return %dx : tensor<2x3x5x5xf32>
}

// -----

// Tests that conv2d_transpose is conv2d_grad_input into its bias: 'same' at
// stride 2 ([0, 0, 1, 1]) spreads the 3x3 input over 8x8 (H + kh - 1) and
// convolves at stride 1 into the broadcast bias.
// CHECK-LABEL: func.func @conv2d_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x3x3xf32>, %[[K:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[INIT:.*]] = linalg.generic
// CHECK-SAME: ins(%[[B]] : tensor<3xf32>) outs(%{{.*}} : tensor<2x3x6x6xf32>)
// CHECK: %[[SPREAD:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<2x4x8x8xf32>)
// CHECK: tensor.extract %[[X]]
// CHECK: %[[ROTATED:.*]] = linalg.generic
// CHECK-SAME: ins(%[[K]] : tensor<4x3x3x3xf32>) outs(%{{.*}} : tensor<3x4x3x3xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME: ins(%[[SPREAD]], %[[ROTATED]] : tensor<2x4x8x8xf32>, tensor<3x4x3x3xf32>) outs(%[[INIT]] : tensor<2x3x6x6xf32>)
func.func @conv2d_transpose(%x: tensor<2x4x3x3xf32>, %k: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<2x3x6x6xf32> {
  %y = aenet.conv2d_transpose %x, %k, %b strides [2, 2] pads [0, 0, 1, 1] : (tensor<2x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<2x3x6x6xf32>
  return %y : tensor<2x3x6x6xf32>
}

// -----

// Tests that conv2d_grad_kernel is a convolution of the padded input read
// as [C, N, H, W] by dy read as [F, N, Ho, Wo], at stride 1 and dilated by
// the strides, into [C, F, kh, kw] zeros, transposed back to [F, C, kh, kw]:
// dk[f, c, a, b] = sum over (n, i, j) of x[n, c, i * 2 + a, j * 2 + b] *
// dy[n, f, i, j].
// CHECK-LABEL: func.func @conv2d_grad_kernel
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5x5xf32>, %[[DY:.*]]: tensor<2x4x3x3xf32>)
// CHECK: %[[PAD:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<2x3x7x7xf32>)
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[PAD]] : tensor<2x3x7x7xf32>) outs(%{{.*}} : tensor<3x2x7x7xf32>) permutation = [1, 0, 2, 3]
// CHECK: %[[DYT:.*]] = linalg.transpose ins(%[[DY]] : tensor<2x4x3x3xf32>) outs(%{{.*}} : tensor<4x2x3x3xf32>) permutation = [1, 0, 2, 3]
// CHECK: %[[ZEROS:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<3x4x3x3xf32>)
// CHECK: %[[CF:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[XT]], %[[DYT]] : tensor<3x2x7x7xf32>, tensor<4x2x3x3xf32>) outs(%[[ZEROS]] : tensor<3x4x3x3xf32>)
// CHECK: %[[DK:.*]] = linalg.transpose ins(%[[CF]] : tensor<3x4x3x3xf32>) outs(%{{.*}} : tensor<4x3x3x3xf32>) permutation = [1, 0, 2, 3]
// CHECK: return %[[DK]]
func.func @conv2d_grad_kernel(%x: tensor<2x3x5x5xf32>, %dy: tensor<2x4x3x3xf32>) -> tensor<4x3x3x3xf32> {
  %dk = aenet.conv2d_grad_kernel %x, %dy strides [2, 2] pads [1, 1, 1, 1] : tensor<2x3x5x5xf32>, tensor<2x4x3x3xf32> -> tensor<4x3x3x3xf32>
  return %dk : tensor<4x3x3x3xf32>
}

// -----

// Tests that conv2d_grad_bias sums dy over every axis but the channels.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv2d_grad_bias
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CHANNEL]]], iterator_types = ["reduction", "parallel", "reduction", "reduction"]}
// CHECK-SAME: outs(%{{.*}} : tensor<4xf32>)
// CHECK: arith.addf
func.func @conv2d_grad_bias(%dy: tensor<2x4x3x3xf32>) -> tensor<4xf32> {
  %db = aenet.conv2d_grad_bias %dy : tensor<2x4x3x3xf32> -> tensor<4xf32>
  return %db : tensor<4xf32>
}

// -----

// Tests that maxpool2d pads with -inf (so padding never wins) and runs
// linalg.pooling_nchw_max, its window given by a [kh, kw] tensor, into -inf.
// CHECK-LABEL: func.func @maxpool2d
// CHECK: %[[LOW:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<2x3x7x7xf32>)
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[LOW]] : f32
// CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[LOW]] : f32) outs(%{{.*}} : tensor<2x3x3x3xf32>)
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PAD]], %[[WINDOW]] : tensor<2x3x7x7xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<2x3x3x3xf32>)
func.func @maxpool2d(%x: tensor<2x3x5x5xf32>) -> tensor<2x3x3x3xf32> {
  %y = aenet.maxpool2d %x window [3, 3] strides [2, 2] pads [1, 1, 1, 1] : tensor<2x3x5x5xf32> -> tensor<2x3x3x3xf32>
  return %y : tensor<2x3x3x3xf32>
}

// -----

// Tests maxpool2d_grad with overlapping 3x3 windows at stride 2. The first
// generic recomputes per window the row-major position a * 3 + b of the
// first element equal to the pooled maximum (the minimum position among the
// equal ones, starting from 9 = none). The second gathers per input element
// the dy of the ceil(3 / 2) = 2 candidate windows per axis, window row
// (h + 1) floordiv 2 - t (+ 1 for the border padded onto positions and dy),
// adding dy where the window's position is this element's.
// CHECK-DAG: #[[XMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[YMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[TAPS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, (d2 + 1) floordiv 2 - d4 + 1, (d3 + 1) floordiv 2 - d5 + 1)>
// CHECK-LABEL: func.func @maxpool2d_grad
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5x5xf32>, %[[Y:.*]]: tensor<2x3x3x3xf32>, %[[DY:.*]]: tensor<2x3x3x3xf32>)
// CHECK: %[[NONE:.*]] = linalg.fill ins(%c9_i64 : i64) outs(%{{.*}} : tensor<2x3x3x3xi64>)
// CHECK: %[[FIRST:.*]] = linalg.generic {indexing_maps = [#[[XMAP]], #[[YMAP]], #[[TAPS]], #[[YMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: outs(%[[NONE]] : tensor<2x3x3x3xi64>)
// CHECK: %[[EQ:.*]] = arith.cmpf oeq
// CHECK: %[[MIN:.*]] = arith.minsi
// CHECK: arith.select %[[EQ]], %[[MIN]], %{{.*}} : i64
// CHECK: %[[FIRSTP:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<2x3x4x4xi64>)
// CHECK: tensor.extract %[[FIRST]]
// CHECK: %[[DYP:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<2x3x4x4xf32>)
// CHECK: tensor.extract %[[DY]]
// CHECK: %[[DX:.*]] = linalg.generic {indexing_maps = [#[[WINDOW]], #[[WINDOW]], #[[TAPS]], #[[YMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[FIRSTP]], %[[DYP]], %{{.*}} : tensor<2x3x4x4xi64>, tensor<2x3x4x4xf32>, tensor<2x2xi64>)
// CHECK-SAME: outs(%{{.*}} : tensor<2x3x5x5xf32>)
// CHECK: arith.cmpi eq
// CHECK: %[[SUM:.*]] = arith.addf
// CHECK: arith.select %{{.*}}, %[[SUM]], %{{.*}} : f32
// CHECK: return %[[DX]]
func.func @maxpool2d_grad(%x: tensor<2x3x5x5xf32>, %y: tensor<2x3x3x3xf32>, %dy: tensor<2x3x3x3xf32>) -> tensor<2x3x5x5xf32> {
  %dx = aenet.maxpool2d_grad %x, %y, %dy window [3, 3] strides [2, 2] pads [1, 1, 1, 1] : tensor<2x3x5x5xf32>, tensor<2x3x3x3xf32>
  return %dx : tensor<2x3x5x5xf32>
}

// -----

// Tests that upsample2d is one generic reading x[n, c, h floordiv 2,
// w floordiv 3].
// CHECK-DAG: #[[NEAREST:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3 floordiv 3)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @upsample2d
// CHECK: linalg.generic {indexing_maps = [#[[NEAREST]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}} : tensor<2x3x4x5xf32>) outs(%{{.*}} : tensor<2x3x8x15xf32>)
func.func @upsample2d(%x: tensor<2x3x4x5xf32>) -> tensor<2x3x8x15xf32> {
  %y = aenet.upsample2d %x factors [2, 3] : tensor<2x3x4x5xf32> -> tensor<2x3x8x15xf32>
  return %y : tensor<2x3x8x15xf32>
}

// -----

// Tests that upsample2d_grad sums each 2x3 block of dy with
// linalg.pooling_nchw_sum at strides [2, 3] into zeros.
// CHECK-LABEL: func.func @upsample2d_grad
// CHECK-SAME: (%[[DY:.*]]: tensor<2x3x8x15xf32>)
// CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[ZEROS:.*]] = linalg.fill
// CHECK: linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 3]> : tensor<2xi64>}
// CHECK-SAME: ins(%[[DY]], %[[WINDOW]] : tensor<2x3x8x15xf32>, tensor<2x3xf32>) outs(%[[ZEROS]] : tensor<2x3x4x5xf32>)
func.func @upsample2d_grad(%dy: tensor<2x3x8x15xf32>) -> tensor<2x3x4x5xf32> {
  %dx = aenet.upsample2d_grad %dy factors [2, 3] : tensor<2x3x8x15xf32> -> tensor<2x3x4x5xf32>
  return %dx : tensor<2x3x4x5xf32>
}
