// RUN: aenet-opt %s -split-input-file -aenet-autodiff | FileCheck %s

// Tests the backward graph of a convolutional network: conv2d's kernel
// and bias gradients but no input gradient (the input is data), maxpool2d's
// gradient recomputed from its input and output, upsample2d's block sums,
// and conv2d_transpose differentiated through conv ops: its input gradient
// is a conv2d of dy with the same kernel, strides and pads, its kernel
// gradient a conv2d_grad_kernel with dy as the image.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x1x8x8xf32> {aenet.input = "x"}
// CHECK-SAME: %[[K1:[^:]*]]: tensor<4x1x3x3xf32> {aenet.param = "enc.kernel"}
// CHECK-SAME: %[[B1:[^:]*]]: tensor<4xf32> {aenet.param = "enc.bias"}
// CHECK-SAME: %[[K2:[^:]*]]: tensor<4x1x3x3xf32> {aenet.param = "dec.kernel"}
// CHECK-SAME: %[[B2:[^:]*]]: tensor<1xf32> {aenet.param = "dec.bias"}
// CHECK-SAME: %[[BIG:[^:]*]]: tensor<2x1x16x16xf32> {aenet.input = "big"}
// CHECK: %[[C:.*]] = aenet.conv2d %[[X]], %[[K1]], %[[B1]] strides [1, 1] pads [1, 1, 1, 1]
// CHECK: %[[H:.*]] = aenet.activation relu %[[C]]
// CHECK: %[[P:.*]] = aenet.maxpool2d %[[H]] window [2, 2] strides [2, 2] pads [0, 0, 0, 0]
// CHECK: %[[U:.*]] = aenet.upsample2d %[[P]] factors [2, 2]
// CHECK: %[[T:.*]] = aenet.conv2d_transpose %[[U]], %[[K2]], %[[B2]] strides [2, 2] pads [0, 0, 1, 1]
// CHECK: %[[R:.*]] = aenet.activation sigmoid %[[T]]
// CHECK: %[[DR:.*]] = aenet.loss_grad mse mean %[[R]], %[[BIG]]
// CHECK: %[[DT:.*]] = aenet.activation_grad sigmoid %[[R]], %[[DR]]
// CHECK-DAG: %[[DU:.*]] = aenet.conv2d %[[DT]], %[[K2]] strides [2, 2] pads [0, 0, 1, 1] : (tensor<2x1x16x16xf32>, tensor<4x1x3x3xf32>) -> tensor<2x4x8x8xf32>
// CHECK-DAG: %[[DK2:.*]] = aenet.conv2d_grad_kernel %[[DT]], %[[U]] strides [2, 2] pads [0, 0, 1, 1] : tensor<2x1x16x16xf32>, tensor<2x4x8x8xf32> -> tensor<4x1x3x3xf32>
// CHECK-DAG: %[[DB2:.*]] = aenet.conv2d_grad_bias %[[DT]] : tensor<2x1x16x16xf32> -> tensor<1xf32>
// CHECK: %[[DP:.*]] = aenet.upsample2d_grad %[[DU]] factors [2, 2]
// CHECK: %[[DH:.*]] = aenet.maxpool2d_grad %[[H]], %[[P]], %[[DP]] window [2, 2] strides [2, 2] pads [0, 0, 0, 0]
// CHECK: %[[DC:.*]] = aenet.activation_grad relu %[[H]], %[[DH]]
// CHECK-NOT: aenet.conv2d_grad_input
// CHECK-DAG: %[[DK1:.*]] = aenet.conv2d_grad_kernel %[[X]], %[[DC]] strides [1, 1] pads [1, 1, 1, 1]
// CHECK-DAG: %[[DB1:.*]] = aenet.conv2d_grad_bias %[[DC]]
// CHECK: return %{{.*}}, %[[DK1]], %[[DB1]], %[[DK2]], %[[DB2]] :
func.func @train_loss(%x: tensor<2x1x8x8xf32> {aenet.input = "x"},
                      %k1: tensor<4x1x3x3xf32> {aenet.param = "enc.kernel"},
                      %b1: tensor<4xf32> {aenet.param = "enc.bias"},
                      %k2: tensor<4x1x3x3xf32> {aenet.param = "dec.kernel"},
                      %b2: tensor<1xf32> {aenet.param = "dec.bias"},
                      %big: tensor<2x1x16x16xf32> {aenet.input = "big"})
    -> (tensor<f32> {aenet.name = "loss"})
    attributes {aenet.differentiate, aenet.optimizer = #aenet.optimizer<sgd, lr = 1.000000e-01, momentum = 0.000000e+00, nesterov = false>} {
  %c = aenet.conv2d %x, %k1, %b1 strides [1, 1] pads [1, 1, 1, 1] : (tensor<2x1x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<2x4x8x8xf32>
  %h = aenet.activation relu %c : tensor<2x4x8x8xf32>
  %p = aenet.maxpool2d %h window [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<2x4x8x8xf32> -> tensor<2x4x4x4xf32>
  %u = aenet.upsample2d %p factors [2, 2] : tensor<2x4x4x4xf32> -> tensor<2x4x8x8xf32>
  %t = aenet.conv2d_transpose %u, %k2, %b2 strides [2, 2] pads [0, 0, 1, 1] : (tensor<2x4x8x8xf32>, tensor<4x1x3x3xf32>, tensor<1xf32>) -> tensor<2x1x16x16xf32>
  %r = aenet.activation sigmoid %t : tensor<2x1x16x16xf32>
  %l = aenet.loss mse mean %r, %big : tensor<2x1x16x16xf32>, tensor<2x1x16x16xf32> -> tensor<f32>
  return %l : tensor<f32>
}
