// RUN: aenet-opt %s -split-input-file -aenet-lower-to-onednn | FileCheck %s

// Tests that conv2d with a bias becomes one call of the runtime's kernel on
// the operands' buffers (shapes erased; the image's strides too, so it is
// taken in whatever layout it has) and a fresh NHWC result buffer seen as
// NCHW, with the strides and then the pads [top, left, bottom, right] as i64
// flags, then the activation flag: linear (0), no activation follows. The
// call is the function's kernel call site 0: its first operands are the
// function's new kernel-sites argument and the site's number.
// CHECK: func.func private @aenet_dnnl_conv2d_bias(!llvm.ptr, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32>, memref<?xf32>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x6x5xf32>, %[[K:.*]]: tensor<4x3x3x2xf32>, %[[B:.*]]: tensor<4xf32>, %[[SITES:.*]]: !llvm.ptr {aenet.kernel_sites})
// CHECK-SAME: attributes {aenet.kernel_sites = 1 : i64}
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : i64
// CHECK: %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<2x3x6x5xf32> to memref<2x3x6x5xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[KB:.*]] = bufferization.to_buffer %[[K]] read_only : tensor<4x3x3x2xf32> to memref<4x3x3x2xf32>
// CHECK: %[[BB:.*]] = bufferization.to_buffer %[[B]] read_only
// CHECK: %[[NHWC:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x5x4xf32>
// CHECK: %[[OUT:.*]] = memref.transpose %[[NHWC]] (d0, d1, d2, d3) -> (d0, d3, d1, d2) : memref<2x4x5x4xf32> to memref<2x4x4x5xf32, strided<[80, 1, 20, 4]>>
// CHECK: %[[XD:.*]] = memref.cast %[[XB]] : memref<2x3x6x5xf32, strided<[?, ?, ?, ?], offset: ?>> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[KD:.*]] = memref.cast %[[KB]] : memref<4x3x3x2xf32> to memref<?x?x?x?xf32>
// CHECK: %[[BD:.*]] = memref.cast %[[BB]] : memref<4xf32> to memref<?xf32>
// CHECK: %[[OD:.*]] = memref.cast %[[OUT]] : memref<2x4x4x5xf32, strided<[80, 1, 20, 4]>> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: call @aenet_dnnl_conv2d_bias(%[[SITES]], %[[C0]], %[[XD]], %[[KD]], %[[BD]], %[[OD]], %[[C2]], %[[C1]], %[[C1]], %[[C0]], %[[C2]], %[[C1]], %[[C0]])
// CHECK: %[[Y:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<2x4x4x5xf32, strided<[80, 1, 20, 4]>> to tensor<2x4x4x5xf32>
// CHECK: return %[[Y]]
func.func @conv2d(%x: tensor<2x3x6x5xf32>, %k: tensor<4x3x3x2xf32>, %b: tensor<4xf32>) -> tensor<2x4x4x5xf32> {
  %y = aenet.conv2d %x, %k, %b strides [2, 1] pads [1, 0, 2, 1] : (tensor<2x3x6x5xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>) -> tensor<2x4x4x5xf32>
  return %y : tensor<2x4x4x5xf32>
}

// -----

// Tests that conv2d without a bias calls the kernel without one.
// CHECK-LABEL: func.func @conv2d_no_bias
// CHECK: call @aenet_dnnl_conv2d(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64) -> ()
// CHECK-NOT: aenet.conv2d
func.func @conv2d_no_bias(%x: tensor<2x3x5x5xf32>, %k: tensor<4x3x3x3xf32>) -> tensor<2x4x5x5xf32> {
  %y = aenet.conv2d %x, %k strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<2x4x5x5xf32>
  return %y : tensor<2x4x5x5xf32>
}

// -----

// Tests that conv2d_grad_input calls the backward-data kernel with dy, the
// kernel and a buffer of the input's shape.
// CHECK-LABEL: func.func @conv2d_grad_input
// CHECK-SAME: (%[[DY:.*]]: tensor<2x4x3x3xf32>, %[[K:.*]]: tensor<4x3x3x3xf32>, %{{.*}}: !llvm.ptr {aenet.kernel_sites})
// CHECK: bufferization.to_buffer %[[DY]] read_only
// CHECK: bufferization.to_buffer %[[K]] read_only
// CHECK: %[[NHWC:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x5x5x3xf32>
// CHECK: %[[OUT:.*]] = memref.transpose %[[NHWC]]
// CHECK: call @aenet_dnnl_conv2d_grad_input(
// CHECK: bufferization.to_tensor %[[OUT]]
func.func @conv2d_grad_input(%dy: tensor<2x4x3x3xf32>, %k: tensor<4x3x3x3xf32>) -> tensor<2x3x5x5xf32> {
  %dx = aenet.conv2d_grad_input %dy, %k strides [2, 2] pads [1, 1, 1, 1] : tensor<2x4x3x3xf32>, tensor<4x3x3x3xf32> -> tensor<2x3x5x5xf32>
  return %dx : tensor<2x3x5x5xf32>
}

// -----

// Tests that conv2d_grad_kernel takes along the conv2d_grad_bias of the same
// dy: one call writes both gradients, placed where the earlier op (here the
// bias gradient) was.
// CHECK-LABEL: func.func @conv2d_grad_kernel_bias
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5x5xf32>, %[[DY:.*]]: tensor<2x4x3x3xf32>, %{{.*}}: !llvm.ptr {aenet.kernel_sites})
// CHECK: %[[DK:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x3x3x3xf32>
// CHECK: %[[DB:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
// CHECK: call @aenet_dnnl_conv2d_grad_kernel_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, {{.*}}) : (!llvm.ptr, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32>, memref<?xf32>, i64, i64, i64, i64, i64, i64) -> ()
// CHECK: %[[K:.*]] = bufferization.to_tensor %[[DK]]
// CHECK: %[[B:.*]] = bufferization.to_tensor %[[DB]]
// CHECK-NOT: aenet.conv2d_grad
// CHECK: return %[[B]], %[[K]]
func.func @conv2d_grad_kernel_bias(%x: tensor<2x3x5x5xf32>, %dy: tensor<2x4x3x3xf32>) -> (tensor<4xf32>, tensor<4x3x3x3xf32>) {
  %db = aenet.conv2d_grad_bias %dy : tensor<2x4x3x3xf32> -> tensor<4xf32>
  %dk = aenet.conv2d_grad_kernel %x, %dy strides [2, 2] pads [1, 1, 1, 1] : tensor<2x3x5x5xf32>, tensor<2x4x3x3xf32> -> tensor<4x3x3x3xf32>
  return %db, %dk : tensor<4xf32>, tensor<4x3x3x3xf32>
}

// -----

// Tests that a conv2d_grad_kernel alone calls the kernel-only variant, and
// that a conv2d_grad_bias of another dy stays for the loops lowering.
// CHECK-LABEL: func.func @conv2d_grad_kernel_alone
// CHECK: call @aenet_dnnl_conv2d_grad_kernel(
// CHECK: aenet.conv2d_grad_bias
func.func @conv2d_grad_kernel_alone(%x: tensor<2x3x5x5xf32>, %dy: tensor<2x4x3x3xf32>, %dz: tensor<2x4x3x3xf32>) -> (tensor<4x3x3x3xf32>, tensor<4xf32>) {
  %dk = aenet.conv2d_grad_kernel %x, %dy strides [2, 2] pads [1, 1, 1, 1] : tensor<2x3x5x5xf32>, tensor<2x4x3x3xf32> -> tensor<4x3x3x3xf32>
  %db = aenet.conv2d_grad_bias %dz : tensor<2x4x3x3xf32> -> tensor<4xf32>
  return %dk, %db : tensor<4x3x3x3xf32>, tensor<4xf32>
}

// -----

// Tests that conv2d_transpose with a bias calls the deconvolution kernel
// with the placement of the conv2d it transposes.
// CHECK-LABEL: func.func @conv2d_transpose
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : i64
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x6x8x3xf32>
// CHECK: call @aenet_dnnl_conv2d_transpose_bias(%{{.*}}, %[[C0]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[C2]], %[[C2]], %[[C0]], %[[C0]], %[[C1]], %[[C1]])
func.func @conv2d_transpose(%x: tensor<2x4x3x4xf32>, %k: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<2x3x6x8xf32> {
  %y = aenet.conv2d_transpose %x, %k, %b strides [2, 2] pads [0, 0, 1, 1] : (tensor<2x4x3x4xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<2x3x6x8xf32>
  return %y : tensor<2x3x6x8xf32>
}

// -----

// Tests that maxpool2d passes the window, then the strides and the pads.
// CHECK-LABEL: func.func @maxpool2d
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : i64
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x3x3x3xf32>
// CHECK: memref.transpose %[[OUT]] (d0, d1, d2, d3) -> (d0, d3, d1, d2)
// CHECK: call @aenet_dnnl_maxpool2d(%{{.*}}, %[[C0]], %{{.*}}, %{{.*}}, %[[C3]], %[[C3]], %[[C2]], %[[C2]], %[[C1]], %[[C0]], %[[C1]], %[[C1]])
func.func @maxpool2d(%x: tensor<2x3x5x6xf32>) -> tensor<2x3x3x3xf32> {
  %y = aenet.maxpool2d %x window [3, 3] strides [2, 2] pads [1, 0, 1, 1] : tensor<2x3x5x6xf32> -> tensor<2x3x3x3xf32>
  return %y : tensor<2x3x3x3xf32>
}

// -----

// Tests that maxpool2d_grad passes the pooling's input and dy, not its
// output: the kernel recomputes the forward for oneDNN's workspace. The
// windows are disjoint, but x and dy (arguments of three channels) are not
// known to be NHWC, so the disjoint kernel is not called.
// CHECK-LABEL: func.func @maxpool2d_grad
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4x6xf32>, %[[Y:.*]]: tensor<2x3x2x3xf32>, %[[DY:.*]]: tensor<2x3x2x3xf32>, %[[SITES:.*]]: !llvm.ptr {aenet.kernel_sites})
// CHECK-NOT: bufferization.to_buffer %[[Y]]
// CHECK: %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only
// CHECK: %[[DYB:.*]] = bufferization.to_buffer %[[DY]] read_only
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x6x3xf32>
// CHECK: %[[OT:.*]] = memref.transpose %[[OUT]]
// CHECK: %[[XD:.*]] = memref.cast %[[XB]]
// CHECK: %[[DYD:.*]] = memref.cast %[[DYB]]
// CHECK: %[[OD:.*]] = memref.cast %[[OT]]
// CHECK: call @aenet_dnnl_maxpool2d_grad(%[[SITES]], %{{.*}}, %[[XD]], %[[DYD]], %[[OD]],
func.func @maxpool2d_grad(%x: tensor<2x3x4x6xf32>, %y: tensor<2x3x2x3xf32>, %dy: tensor<2x3x2x3xf32>) -> tensor<2x3x4x6xf32> {
  %dx = aenet.maxpool2d_grad %x, %y, %dy window [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<2x3x4x6xf32>, tensor<2x3x2x3xf32>
  return %dx : tensor<2x3x4x6xf32>
}

// -----

// Tests that upsample2d and its gradient call the resampling kernels, which
// read the factors from the shapes.
// CHECK-LABEL: func.func @upsample2d
// CHECK: %[[UP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x9x3xf32>
// CHECK: call @aenet_dnnl_upsample2d(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> ()
// CHECK: %[[DOWN:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x2x3x3xf32>
// CHECK: call @aenet_dnnl_upsample2d_grad(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> ()
func.func @upsample2d(%x: tensor<2x3x2x3xf32>, %dy: tensor<2x3x4x9xf32>) -> (tensor<2x3x4x9xf32>, tensor<2x3x2x3xf32>) {
  %y = aenet.upsample2d %x factors [2, 3] : tensor<2x3x2x3xf32> -> tensor<2x3x4x9xf32>
  %dx = aenet.upsample2d_grad %dy factors [2, 3] : tensor<2x3x4x9xf32> -> tensor<2x3x2x3xf32>
  return %y, %dx : tensor<2x3x4x9xf32>, tensor<2x3x2x3xf32>
}

// -----

// Tests that a softmax of an image, and its gradient, are read as matrices
// over the last axis (softmax's axis): the leading axes collapse.
// CHECK-LABEL: func.func @softmax_image
// CHECK: %[[XB:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<2x3x4x5xf32> to memref<2x3x4x5xf32>
// CHECK: %[[XM:.*]] = memref.collapse_shape %[[XB]] {{\[\[}}0, 1, 2], [3]] : memref<2x3x4x5xf32> into memref<24x5xf32>
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x3x4x5xf32>
// CHECK: %[[OM:.*]] = memref.collapse_shape %[[OUT]] {{\[\[}}0, 1, 2], [3]]
// CHECK: call @aenet_dnnl_activation(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, memref<?x?xf32>, memref<?x?xf32>, i64) -> ()
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable : memref<2x3x4x5xf32> to tensor<2x3x4x5xf32>
// CHECK: call @aenet_dnnl_activation_grad(
func.func @softmax_image(%x: tensor<2x3x4x5xf32>, %dy: tensor<2x3x4x5xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>) {
  %y = aenet.activation softmax %x : tensor<2x3x4x5xf32>
  %dx = aenet.activation_grad softmax %y, %dy : tensor<2x3x4x5xf32>
  return %y, %dx : tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>
}

// -----

// Tests that an elementwise activation of an image, and its gradient, run on
// the images' own layouts (no collapse, which would need the identity
// layout) and write NHWC images, like the convolution kernels.
// CHECK-LABEL: func.func @relu_image
// CHECK: %[[XB:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<2x3x4x5xf32> to memref<2x3x4x5xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK-NOT: memref.collapse_shape
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x5x3xf32>
// CHECK: call @aenet_dnnl_image_activation(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64) -> ()
// CHECK: call @aenet_dnnl_image_activation_grad(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64) -> ()
func.func @relu_image(%x: tensor<2x3x4x5xf32>, %dy: tensor<2x3x4x5xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>) {
  %y = aenet.activation relu %x : tensor<2x3x4x5xf32>
  %dx = aenet.activation_grad relu %y, %dy : tensor<2x3x4x5xf32>
  return %y, %dx : tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>
}

// -----

// Tests that f64 convolution ops stay for the loops lowering: the kernels
// take f32.
// CHECK-LABEL: func.func @f64_stays
// CHECK-NOT: llvm.ptr
// CHECK-NOT: call
// CHECK: aenet.conv2d
// CHECK: aenet.maxpool2d
func.func @f64_stays(%x: tensor<2x3x5x5xf64>, %k: tensor<4x3x3x3xf64>) -> tensor<2x4x2x2xf64> {
  %y = aenet.conv2d %x, %k strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf64>, tensor<4x3x3x3xf64>) -> tensor<2x4x5x5xf64>
  %p = aenet.maxpool2d %y window [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<2x4x5x5xf64> -> tensor<2x4x2x2xf64>
  return %p : tensor<2x4x2x2xf64>
}

// -----

// Tests that each kernel call is a site of its own, numbered in program
// order, even where two calls have the same kernel and shapes: the two
// relus each get their own state from the runtime.
// CHECK-LABEL: func.func @sites
// CHECK-SAME: %[[SITES:[a-z0-9_]+]]: !llvm.ptr {aenet.kernel_sites}) -> tensor<2x3x4x5xf32> attributes {aenet.kernel_sites = 3 : i64}
// CHECK-DAG: %[[S0:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[S1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[S2:.*]] = arith.constant 2 : i64
// CHECK: call @aenet_dnnl_image_activation(%[[SITES]], %[[S0]],
// CHECK: call @aenet_dnnl_image_activation(%[[SITES]], %[[S1]],
// CHECK: call @aenet_dnnl_maxpool2d(%[[SITES]], %[[S2]],
func.func @sites(%x: tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xf32> {
  %a = aenet.activation relu %x : tensor<2x3x4x5xf32>
  %b = aenet.activation relu %a : tensor<2x3x4x5xf32>
  %c = aenet.maxpool2d %b window [1, 1] strides [1, 1] pads [0, 0, 0, 0] : tensor<2x3x4x5xf32> -> tensor<2x3x4x5xf32>
  return %c : tensor<2x3x4x5xf32>
}

// -----

// Tests that conv2d with one filter of an image a kernel wrote (so NHWC)
// calls the thin kernel, a matrix product; with several filters, or with
// one filter of an image of unknown layout, the convolution.
// CHECK-LABEL: func.func @thin_output
// CHECK: call @aenet_dnnl_image_activation(
// CHECK: call @aenet_dnnl_conv2d_thin_output_bias(
// CHECK: call @aenet_dnnl_conv2d_bias(
// CHECK: call @aenet_dnnl_conv2d(
func.func @thin_output(%x: tensor<2x3x5x5xf32>, %k1: tensor<1x3x3x3xf32>, %k4: tensor<4x3x3x3xf32>, %b: tensor<1xf32>, %b4: tensor<4xf32>) -> (tensor<2x1x5x5xf32>, tensor<2x4x5x5xf32>, tensor<2x1x5x5xf32>) {
  %a = aenet.activation relu %x : tensor<2x3x5x5xf32>
  %y = aenet.conv2d %a, %k1, %b strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf32>, tensor<1x3x3x3xf32>, tensor<1xf32>) -> tensor<2x1x5x5xf32>
  %z = aenet.conv2d %a, %k4, %b4 strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x5x5xf32>
  %w = aenet.conv2d %x, %k1 strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf32>, tensor<1x3x3x3xf32>) -> tensor<2x1x5x5xf32>
  return %y, %z, %w : tensor<2x1x5x5xf32>, tensor<2x4x5x5xf32>, tensor<2x1x5x5xf32>
}

// -----

// Tests that an image of one channel counts as NHWC whatever its producer:
// it is read with the identity layout (NCHW and NHWC at once), and conv2d
// of one filter calls the thin kernel.
// CHECK-LABEL: func.func @thin_output_one_channel
// CHECK: %[[XB:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<2x1x5x5xf32> to memref<2x1x5x5xf32>
// CHECK: %[[XD:.*]] = memref.cast %[[XB]] : memref<2x1x5x5xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: call @aenet_dnnl_conv2d_thin_output(%{{.*}}, %{{.*}}, %[[XD]],
func.func @thin_output_one_channel(%x: tensor<2x1x5x5xf32>, %k: tensor<1x1x3x3xf32>) -> tensor<2x1x5x5xf32> {
  %y = aenet.conv2d %x, %k strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x1x5x5xf32>, tensor<1x1x3x3xf32>) -> tensor<2x1x5x5xf32>
  return %y : tensor<2x1x5x5xf32>
}

// -----

// Tests the kernel gradient's choice: one filter of an NHWC x (with the
// bias gradient taken along) calls `_thin_output_bias`; one input channel
// with an NHWC dy `_thin_input`; one input channel with a dy of unknown
// layout, backward weights.
// CHECK-LABEL: func.func @thin_grad_kernel
// CHECK: call @aenet_dnnl_conv2d_grad_kernel_thin_output_bias(
// CHECK: call @aenet_dnnl_image_activation(
// CHECK: call @aenet_dnnl_conv2d_grad_kernel_thin_input(
// CHECK: call @aenet_dnnl_conv2d_grad_kernel(
func.func @thin_grad_kernel(%x: tensor<2x1x5x5xf32>, %dy1: tensor<2x1x5x5xf32>, %dy4: tensor<2x4x5x5xf32>) -> (tensor<1x1x3x3xf32>, tensor<1xf32>, tensor<4x1x3x3xf32>, tensor<4x1x3x3xf32>) {
  %dk1 = aenet.conv2d_grad_kernel %x, %dy1 strides [1, 1] pads [1, 1, 1, 1] : tensor<2x1x5x5xf32>, tensor<2x1x5x5xf32> -> tensor<1x1x3x3xf32>
  %db1 = aenet.conv2d_grad_bias %dy1 : tensor<2x1x5x5xf32> -> tensor<1xf32>
  %g = aenet.activation relu %dy4 : tensor<2x4x5x5xf32>
  %dk4 = aenet.conv2d_grad_kernel %x, %g strides [1, 1] pads [1, 1, 1, 1] : tensor<2x1x5x5xf32>, tensor<2x4x5x5xf32> -> tensor<4x1x3x3xf32>
  %dk5 = aenet.conv2d_grad_kernel %x, %dy4 strides [1, 1] pads [1, 1, 1, 1] : tensor<2x1x5x5xf32>, tensor<2x4x5x5xf32> -> tensor<4x1x3x3xf32>
  return %dk1, %db1, %dk4, %dk5 : tensor<1x1x3x3xf32>, tensor<1xf32>, tensor<4x1x3x3xf32>, tensor<4x1x3x3xf32>
}

// -----

// Tests that maxpool2d_grad of disjoint windows (stride = window, no pads)
// on NHWC images calls the one-pass kernel with the window only; with
// overlapping windows, oneDNN's.
// CHECK-LABEL: func.func @disjoint_maxpool_grad
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : i64
// CHECK: call @aenet_dnnl_maxpool2d_grad_disjoint(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[C2]], %[[C2]]) : (!llvm.ptr, i64, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64) -> ()
// CHECK: call @aenet_dnnl_maxpool2d_grad(
func.func @disjoint_maxpool_grad(%x: tensor<2x3x4x6xf32>, %y: tensor<2x3x2x3xf32>, %dy: tensor<2x3x2x3xf32>, %z: tensor<2x3x3x5xf32>, %dz: tensor<2x3x3x5xf32>) -> (tensor<2x3x4x6xf32>, tensor<2x3x4x6xf32>) {
  %a = aenet.activation relu %x : tensor<2x3x4x6xf32>
  %g = aenet.activation relu %dy : tensor<2x3x2x3xf32>
  %dx = aenet.maxpool2d_grad %a, %y, %g window [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<2x3x4x6xf32>, tensor<2x3x2x3xf32>
  %h = aenet.activation relu %dz : tensor<2x3x3x5xf32>
  %dx2 = aenet.maxpool2d_grad %a, %z, %h window [2, 2] strides [1, 1] pads [0, 0, 0, 0] : tensor<2x3x4x6xf32>, tensor<2x3x3x5xf32>
  return %dx, %dx2 : tensor<2x3x4x6xf32>, tensor<2x3x4x6xf32>
}

// -----

// Tests that an operand computed by loop code (here a corrupted input: noise
// then clip, which stay for aenet-lower-to-linalg) is materialized in a
// buffer of its own before the kernel reads it: read through to_buffer,
// bufferization could reuse its buffer for later loop code while a gradient
// kernel still reads it. Arguments are still read in place.
// CHECK-LABEL: func.func @computed_operand
// CHECK-SAME: (%[[X:.*]]: tensor<4x6xf32>, %[[SEED:.*]]: tensor<i64>, %[[SD:.*]]: tensor<f32>, %[[K:.*]]: tensor<6x3xf32>
// CHECK: %[[N:.*]] = aenet.gaussian_noise %[[X]], %[[SEED]], %[[SD]]
// CHECK: %[[C:.*]] = aenet.clip %[[N]]
// CHECK: %[[CB:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x6xf32>
// CHECK: bufferization.materialize_in_destination %[[C]] in restrict writable %[[CB]] : (tensor<4x6xf32>, memref<4x6xf32>) -> ()
// CHECK: %[[KB:.*]] = bufferization.to_buffer %[[K]] read_only
// CHECK: %[[CD:.*]] = memref.cast %[[CB]] : memref<4x6xf32> to memref<?x?xf32>
// CHECK: call @aenet_dnnl_matmul(%{{.*}}, %{{.*}}, %[[CD]],
func.func @computed_operand(%x: tensor<4x6xf32>, %seed: tensor<i64>, %stddev: tensor<f32>, %k: tensor<6x3xf32>) -> tensor<4x3xf32> {
  %n = aenet.gaussian_noise %x, %seed, %stddev {salt = -1 : i64} : tensor<4x6xf32>, tensor<i64>, tensor<f32>
  %c = aenet.clip %n {min = 0.0 : f64, max = 1.0 : f64} : tensor<4x6xf32>
  %y = aenet.dense %c, %k : (tensor<4x6xf32>, tensor<6x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}
