// RUN: aenet-opt %s -split-input-file -aenet-lower-to-onednn | FileCheck %s

// Tests that conv2d with a bias becomes one call of the runtime's kernel on
// the operands' buffers (shapes erased; the image's strides too, so it is
// taken in whatever layout it has) and a fresh NHWC result buffer seen as
// NCHW, with the strides and then the pads [top, left, bottom, right] as i64
// flags.
// CHECK: func.func private @aenet_dnnl_conv2d_bias(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32>, memref<?xf32>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x6x5xf32>, %[[K:.*]]: tensor<4x3x3x2xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : i64
// CHECK: %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<2x3x6x5xf32> to memref<2x3x6x5xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[XD:.*]] = memref.cast %[[XB]] : memref<2x3x6x5xf32, strided<[?, ?, ?, ?], offset: ?>> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[KB:.*]] = bufferization.to_buffer %[[K]] read_only : tensor<4x3x3x2xf32> to memref<4x3x3x2xf32>
// CHECK: %[[KD:.*]] = memref.cast %[[KB]] : memref<4x3x3x2xf32> to memref<?x?x?x?xf32>
// CHECK: %[[BB:.*]] = bufferization.to_buffer %[[B]] read_only
// CHECK: %[[BD:.*]] = memref.cast %[[BB]] : memref<4xf32> to memref<?xf32>
// CHECK: %[[NHWC:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x5x4xf32>
// CHECK: %[[OUT:.*]] = memref.transpose %[[NHWC]] (d0, d1, d2, d3) -> (d0, d3, d1, d2) : memref<2x4x5x4xf32> to memref<2x4x4x5xf32, strided<[80, 1, 20, 4]>>
// CHECK: %[[OD:.*]] = memref.cast %[[OUT]] : memref<2x4x4x5xf32, strided<[80, 1, 20, 4]>> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: call @aenet_dnnl_conv2d_bias(%[[XD]], %[[KD]], %[[BD]], %[[OD]], %[[C2]], %[[C1]], %[[C1]], %[[C0]], %[[C2]], %[[C1]])
// CHECK: %[[Y:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<2x4x4x5xf32, strided<[80, 1, 20, 4]>> to tensor<2x4x4x5xf32>
// CHECK: return %[[Y]]
func.func @conv2d(%x: tensor<2x3x6x5xf32>, %k: tensor<4x3x3x2xf32>, %b: tensor<4xf32>) -> tensor<2x4x4x5xf32> {
  %y = aenet.conv2d %x, %k, %b strides [2, 1] pads [1, 0, 2, 1] : (tensor<2x3x6x5xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>) -> tensor<2x4x4x5xf32>
  return %y : tensor<2x4x4x5xf32>
}

// -----

// Tests that conv2d without a bias calls the kernel without one.
// CHECK-LABEL: func.func @conv2d_no_bias
// CHECK: call @aenet_dnnl_conv2d(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64) -> ()
// CHECK-NOT: aenet.conv2d
func.func @conv2d_no_bias(%x: tensor<2x3x5x5xf32>, %k: tensor<4x3x3x3xf32>) -> tensor<2x4x5x5xf32> {
  %y = aenet.conv2d %x, %k strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<2x4x5x5xf32>
  return %y : tensor<2x4x5x5xf32>
}

// -----

// Tests that conv2d_grad_input calls the backward-data kernel with dy, the
// kernel and a buffer of the input's shape.
// CHECK-LABEL: func.func @conv2d_grad_input
// CHECK-SAME: (%[[DY:.*]]: tensor<2x4x3x3xf32>, %[[K:.*]]: tensor<4x3x3x3xf32>)
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
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5x5xf32>, %[[DY:.*]]: tensor<2x4x3x3xf32>)
// CHECK: %[[DK:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x3x3x3xf32>
// CHECK: %[[DB:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
// CHECK: call @aenet_dnnl_conv2d_grad_kernel_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, {{.*}}) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32>, memref<?xf32>, i64, i64, i64, i64, i64, i64) -> ()
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
// CHECK: call @aenet_dnnl_conv2d_transpose_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[C2]], %[[C2]], %[[C0]], %[[C0]], %[[C1]], %[[C1]])
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
// CHECK: call @aenet_dnnl_maxpool2d(%{{.*}}, %{{.*}}, %[[C3]], %[[C3]], %[[C2]], %[[C2]], %[[C1]], %[[C0]], %[[C1]], %[[C1]])
func.func @maxpool2d(%x: tensor<2x3x5x6xf32>) -> tensor<2x3x3x3xf32> {
  %y = aenet.maxpool2d %x window [3, 3] strides [2, 2] pads [1, 0, 1, 1] : tensor<2x3x5x6xf32> -> tensor<2x3x3x3xf32>
  return %y : tensor<2x3x3x3xf32>
}

// -----

// Tests that maxpool2d_grad passes the pooling's input and dy, not its
// output: the kernel recomputes the forward for oneDNN's workspace.
// CHECK-LABEL: func.func @maxpool2d_grad
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4x6xf32>, %[[Y:.*]]: tensor<2x3x2x3xf32>, %[[DY:.*]]: tensor<2x3x2x3xf32>)
// CHECK-NOT: bufferization.to_buffer %[[Y]]
// CHECK: %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only
// CHECK: %[[XD:.*]] = memref.cast %[[XB]]
// CHECK: %[[DYB:.*]] = bufferization.to_buffer %[[DY]] read_only
// CHECK: %[[DYD:.*]] = memref.cast %[[DYB]]
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x6x3xf32>
// CHECK: %[[OT:.*]] = memref.transpose %[[OUT]]
// CHECK: %[[OD:.*]] = memref.cast %[[OT]]
// CHECK: call @aenet_dnnl_maxpool2d_grad(%[[XD]], %[[DYD]], %[[OD]],
func.func @maxpool2d_grad(%x: tensor<2x3x4x6xf32>, %y: tensor<2x3x2x3xf32>, %dy: tensor<2x3x2x3xf32>) -> tensor<2x3x4x6xf32> {
  %dx = aenet.maxpool2d_grad %x, %y, %dy window [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<2x3x4x6xf32>, tensor<2x3x2x3xf32>
  return %dx : tensor<2x3x4x6xf32>
}

// -----

// Tests that upsample2d and its gradient call the resampling kernels, which
// read the factors from the shapes.
// CHECK-LABEL: func.func @upsample2d
// CHECK: %[[UP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x9x3xf32>
// CHECK: call @aenet_dnnl_upsample2d(%{{.*}}, %{{.*}}) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> ()
// CHECK: %[[DOWN:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x2x3x3xf32>
// CHECK: call @aenet_dnnl_upsample2d_grad(%{{.*}}, %{{.*}}) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> ()
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
// CHECK: call @aenet_dnnl_activation(
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
// CHECK: call @aenet_dnnl_image_activation(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64) -> ()
// CHECK: call @aenet_dnnl_image_activation_grad(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64) -> ()
func.func @relu_image(%x: tensor<2x3x4x5xf32>, %dy: tensor<2x3x4x5xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>) {
  %y = aenet.activation relu %x : tensor<2x3x4x5xf32>
  %dx = aenet.activation_grad relu %y, %dy : tensor<2x3x4x5xf32>
  return %y, %dx : tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>
}

// -----

// Tests that f64 convolution ops stay for the loops lowering: the kernels
// take f32.
// CHECK-LABEL: func.func @f64_stays
// CHECK-NOT: call
// CHECK: aenet.conv2d
// CHECK: aenet.maxpool2d
func.func @f64_stays(%x: tensor<2x3x5x5xf64>, %k: tensor<4x3x3x3xf64>) -> tensor<2x4x2x2xf64> {
  %y = aenet.conv2d %x, %k strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf64>, tensor<4x3x3x3xf64>) -> tensor<2x4x5x5xf64>
  %p = aenet.maxpool2d %y window [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<2x4x5x5xf64> -> tensor<2x4x2x2xf64>
  return %p : tensor<2x4x2x2xf64>
}
