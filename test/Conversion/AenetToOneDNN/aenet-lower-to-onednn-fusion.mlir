// RUN: aenet-opt %s -split-input-file -aenet-lower-to-onednn | FileCheck %s

// Tests that a dense layer's activation whose input nothing else reads is
// the matmul's post-op: one matmul_bias call with the activation flag (relu
// is 1), whose result buffer replaces the activation's; no activation call.
// CHECK: func.func private @aenet_dnnl_matmul_bias(!llvm.ptr, i64, memref<?x?xf32>, memref<?x?xf32>, memref<?xf32>, memref<?x?xf32>, i64) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @dense_relu
// CHECK-DAG: %[[RELU:.*]] = arith.constant 1 : i64
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x3xf32>
// CHECK: call @aenet_dnnl_matmul_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[RELU]])
// CHECK: %[[Y:.*]] = bufferization.to_tensor %[[OUT]] restrict writable
// CHECK-NOT: {{aenet.activation|call @aenet_dnnl_activation}}
// CHECK: return %[[Y]]
func.func @dense_relu(%x: tensor<4x6xf32>, %k: tensor<6x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %h = aenet.dense %x, %k, %b : (tensor<4x6xf32>, tensor<6x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %y = aenet.activation relu %h : tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Tests that every eltwise kind fuses with its own number: sigmoid 2, tanh
// 3, leaky_relu 7, elu 8.
// CHECK-LABEL: func.func @dense_kinds
// CHECK-DAG: %[[SIGMOID:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[TANH:.*]] = arith.constant 3 : i64
// CHECK-DAG: %[[LEAKY:.*]] = arith.constant 7 : i64
// CHECK-DAG: %[[ELU:.*]] = arith.constant 8 : i64
// CHECK: call @aenet_dnnl_matmul_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[SIGMOID]])
// CHECK: call @aenet_dnnl_matmul_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[TANH]])
// CHECK: call @aenet_dnnl_matmul_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[LEAKY]])
// CHECK: call @aenet_dnnl_matmul_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ELU]])
// CHECK-NOT: {{aenet.activation|call @aenet_dnnl_activation}}
func.func @dense_kinds(%x: tensor<4x3xf32>, %k: tensor<3x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %h1 = aenet.dense %x, %k, %b : (tensor<4x3xf32>, tensor<3x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %y1 = aenet.activation sigmoid %h1 : tensor<4x3xf32>
  %h2 = aenet.dense %y1, %k, %b : (tensor<4x3xf32>, tensor<3x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %y2 = aenet.activation tanh %h2 : tensor<4x3xf32>
  %h3 = aenet.dense %y2, %k, %b : (tensor<4x3xf32>, tensor<3x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %y3 = aenet.activation leaky_relu %h3 : tensor<4x3xf32>
  %h4 = aenet.dense %y3, %k, %b : (tensor<4x3xf32>, tensor<3x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %y4 = aenet.activation elu %h4 : tensor<4x3xf32>
  return %y4 : tensor<4x3xf32>
}

// -----

// Tests that a pre-activation read twice is left alone: its other reader
// (here the return) needs the value before the activation, so the matmul
// runs without one (linear, 0) and the activation is a call of its own.
// CHECK-LABEL: func.func @dense_read_twice
// CHECK-DAG: %[[LINEAR:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[SIGMOID:.*]] = arith.constant 2 : i64
// CHECK: %[[H:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x3xf32>
// CHECK: call @aenet_dnnl_matmul_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[LINEAR]])
// CHECK: %[[HT:.*]] = bufferization.to_tensor %[[H]]
// CHECK: call @aenet_dnnl_activation(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[SIGMOID]])
// CHECK: %[[YT:.*]] = bufferization.to_tensor
// CHECK: return %[[HT]], %[[YT]]
func.func @dense_read_twice(%x: tensor<4x6xf32>, %k: tensor<6x3xf32>, %b: tensor<3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %h = aenet.dense %x, %k, %b : (tensor<4x6xf32>, tensor<6x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %y = aenet.activation sigmoid %h : tensor<4x3xf32>
  return %h, %y : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// Tests that softmax, a primitive of its own over whole rows and no eltwise
// algorithm, stays a call of the activation kernel (kind 4) after a plain
// matmul_bias; so does an activation oneDNN lacks (hard_sigmoid), which
// stays an aenet op for the loops.
// CHECK-LABEL: func.func @dense_unfusable
// CHECK-DAG: %[[LINEAR:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[SOFTMAX:.*]] = arith.constant 4 : i64
// CHECK: call @aenet_dnnl_matmul_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[LINEAR]])
// CHECK: call @aenet_dnnl_activation(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[SOFTMAX]])
// CHECK: call @aenet_dnnl_matmul_bias(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[LINEAR]])
// CHECK: aenet.activation hard_sigmoid
func.func @dense_unfusable(%x: tensor<4x3xf32>, %k: tensor<3x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %h1 = aenet.dense %x, %k, %b : (tensor<4x3xf32>, tensor<3x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %y1 = aenet.activation softmax %h1 : tensor<4x3xf32>
  %h2 = aenet.dense %y1, %k, %b : (tensor<4x3xf32>, tensor<3x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %y2 = aenet.activation hard_sigmoid %h2 : tensor<4x3xf32>
  return %y2 : tensor<4x3xf32>
}

// -----

// Tests that a dense layer without a bias keeps its activation call: only
// matmul_bias takes an activation.
// CHECK-LABEL: func.func @dense_no_bias
// CHECK: call @aenet_dnnl_matmul(
// CHECK: call @aenet_dnnl_activation(
func.func @dense_no_bias(%x: tensor<4x6xf32>, %k: tensor<6x3xf32>) -> tensor<4x3xf32> {
  %h = aenet.dense %x, %k : (tensor<4x6xf32>, tensor<6x3xf32>) -> tensor<4x3xf32>
  %y = aenet.activation tanh %h : tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Tests that conv2d with a bias takes its image activation as its last flag
// and writes the activated NHWC image; the thin kernel (one filter of an
// NHWC image) does too. No image_activation call is left.
// CHECK-LABEL: func.func @conv_activations
// CHECK-DAG: %[[RELU:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[SIGMOID:.*]] = arith.constant 2 : i64
// CHECK: %[[NHWC:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x5x5x4xf32>
// CHECK: call @aenet_dnnl_conv2d_bias({{.*}}, %[[RELU]])
// CHECK: call @aenet_dnnl_conv2d_thin_output_bias({{.*}}, %[[SIGMOID]])
// CHECK-NOT: {{aenet.activation|call @aenet_dnnl_image_activation}}
func.func @conv_activations(%x: tensor<2x3x5x5xf32>, %k4: tensor<4x3x3x3xf32>, %b4: tensor<4xf32>, %k1: tensor<1x4x3x3xf32>, %b1: tensor<1xf32>) -> tensor<2x1x5x5xf32> {
  %h = aenet.conv2d %x, %k4, %b4 strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x5x5xf32>
  %a = aenet.activation relu %h : tensor<2x4x5x5xf32>
  %r = aenet.conv2d %a, %k1, %b1 strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x4x5x5xf32>, tensor<1x4x3x3xf32>, tensor<1xf32>) -> tensor<2x1x5x5xf32>
  %y = aenet.activation sigmoid %r : tensor<2x1x5x5xf32>
  return %y : tensor<2x1x5x5xf32>
}

// -----

// Tests that convolutions whose kernel takes no activation keep the image
// activation call: conv2d without a bias, and conv2d_transpose; so does a
// conv2d whose pre-activation is read twice.
// CHECK-LABEL: func.func @conv_unfused
// CHECK-DAG: %[[LINEAR:.*]] = arith.constant 0 : i64
// CHECK: call @aenet_dnnl_conv2d(
// CHECK: call @aenet_dnnl_image_activation(
// CHECK: call @aenet_dnnl_conv2d_transpose_bias(
// CHECK: call @aenet_dnnl_image_activation(
// CHECK: call @aenet_dnnl_conv2d_bias({{.*}}, %[[LINEAR]])
// CHECK: call @aenet_dnnl_image_activation(
func.func @conv_unfused(%x: tensor<2x3x5x5xf32>, %k: tensor<3x3x3x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3x5x5xf32>, tensor<2x3x5x5xf32>) {
  %h1 = aenet.conv2d %x, %k strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf32>, tensor<3x3x3x3xf32>) -> tensor<2x3x5x5xf32>
  %a1 = aenet.activation relu %h1 : tensor<2x3x5x5xf32>
  %h2 = aenet.conv2d_transpose %a1, %k, %b strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf32>, tensor<3x3x3x3xf32>, tensor<3xf32>) -> tensor<2x3x5x5xf32>
  %a2 = aenet.activation tanh %h2 : tensor<2x3x5x5xf32>
  %h3 = aenet.conv2d %a2, %k, %b strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x3x5x5xf32>, tensor<3x3x3x3xf32>, tensor<3xf32>) -> tensor<2x3x5x5xf32>
  %a3 = aenet.activation elu %h3 : tensor<2x3x5x5xf32>
  return %h3, %a3 : tensor<2x3x5x5xf32>, tensor<2x3x5x5xf32>
}
