// RUN: aenet-opt %s -aenet-lower-to-linalg | FileCheck %s

// Tests the loops lowering of a SimpleRNN: x turned time-major once, the
// input projection of all steps as one matmul plus the bias, then an
// scf.for over the 4 steps carrying h and the time-major sequence, whose
// body accumulates h U into the step's projection (one matmul), applies the
// activation and writes the step; the sequence is turned batch-first again.
// CHECK-LABEL: func.func @rnn
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x3xf32>, %[[H0:.*]]: tensor<2x5xf32>, %[[K:.*]]: tensor<3x5xf32>, %[[R:.*]]: tensor<5x5xf32>, %[[B:.*]]: tensor<5xf32>)
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<2x4x3xf32>) outs(%{{.*}} : tensor<4x2x3xf32>) permutation = [1, 0, 2]
// CHECK: %[[XM:.*]] = tensor.collapse_shape %[[XT]] {{\[}}[0, 1], [2]] : tensor<4x2x3xf32> into tensor<8x3xf32>
// CHECK: %[[XW:.*]] = linalg.matmul ins(%[[XM]], %[[K]] : tensor<8x3xf32>, tensor<3x5xf32>)
// CHECK: %[[XB:.*]] = linalg.generic {{.*}} ins(%[[XW]], %[[B]] : tensor<8x5xf32>, tensor<5xf32>)
// CHECK: %[[STEPS:.*]] = tensor.expand_shape %[[XB]] {{\[}}[0, 1], [2]] output_shape [4, 2, 5]
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[T:.*]] = %{{.*}} to %c4 step %c1 iter_args(%[[H:.*]] = %[[H0]], %[[SEQ:.*]] = %{{.*}}) -> (tensor<2x5xf32>, tensor<4x2x5xf32>)
// CHECK:   %[[XS:.*]] = tensor.extract_slice %[[STEPS]][%[[T]], 0, 0] [1, 2, 5] [1, 1, 1] : tensor<4x2x5xf32> to tensor<2x5xf32>
// CHECK:   %[[Z:.*]] = linalg.matmul ins(%[[H]], %[[R]] : tensor<2x5xf32>, tensor<5x5xf32>) outs(%[[XS]] : tensor<2x5xf32>)
// CHECK:   %[[HN:.*]] = linalg.generic {{.*}} ins(%[[Z]] : tensor<2x5xf32>)
// CHECK:     math.tanh
// CHECK:   %[[SN:.*]] = tensor.insert_slice %[[HN]] into %[[SEQ]][%[[T]], 0, 0] [1, 2, 5] [1, 1, 1]
// CHECK:   scf.yield %[[HN]], %[[SN]]
// CHECK: %[[OUT:.*]] = linalg.transpose ins(%[[LOOP]]#1 : tensor<4x2x5xf32>) outs(%{{.*}} : tensor<2x4x5xf32>) permutation = [1, 0, 2]
// CHECK: return %[[OUT]], %[[LOOP]]#0
func.func @rnn(%x: tensor<2x4x3xf32>, %h0: tensor<2x5xf32>, %k: tensor<3x5xf32>, %r: tensor<5x5xf32>, %b: tensor<5xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>) {
  %s, %h = aenet.rnn tanh %x, %h0, %k, %r, %b : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>, tensor<5xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  return %s, %h : tensor<2x4x5xf32>, tensor<2x5xf32>
}
