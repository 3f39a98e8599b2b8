// RUN: aenet-opt %s -split-input-file -aenet-lower-to-linalg | FileCheck %s

// Tests the loops lowering of a SimpleRNN: x read time-major once into the
// matrix [T * N, C] (row t * N + n is sample n's step t), the input
// projection of all steps as one matmul plus the bias, then an scf.for over
// the 4 steps carrying h and the time-major sequence, whose body
// accumulates h U into the step's rows of the projection (one matmul),
// applies the activation and writes the step's rows; the sequence is read
// back batch-first.
// CHECK-DAG: #[[TIME_MAJOR:.*]] = affine_map<(d0, d1) -> (d0 mod 2, d0 floordiv 2, d1)>
// CHECK-DAG: #[[BATCH_FIRST:.*]] = affine_map<(d0, d1, d2) -> (d1 * 2 + d0, d2)>
// CHECK-LABEL: func.func @rnn
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x3xf32>, %[[H0:.*]]: tensor<2x5xf32>, %[[K:.*]]: tensor<3x5xf32>, %[[R:.*]]: tensor<5x5xf32>, %[[B:.*]]: tensor<5xf32>)
// CHECK: %[[XT:.*]] = linalg.generic {indexing_maps = [#[[TIME_MAJOR]], {{.*}}]{{.*}} ins(%[[X]] : tensor<2x4x3xf32>) outs(%{{.*}} : tensor<8x3xf32>)
// CHECK: %[[XW:.*]] = linalg.matmul ins(%[[XT]], %[[K]] : tensor<8x3xf32>, tensor<3x5xf32>)
// CHECK: %[[XB:.*]] = linalg.generic {{.*}} ins(%[[XW]], %[[B]] : tensor<8x5xf32>, tensor<5xf32>)
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[T:.*]] = %{{.*}} to %c4 step %c1 iter_args(%[[H:.*]] = %[[H0]], %[[SEQ:.*]] = %{{.*}}) -> (tensor<2x5xf32>, tensor<8x5xf32>)
// CHECK:   %[[ROW:.*]] = arith.muli %[[T]], %c2
// CHECK:   %[[XS:.*]] = tensor.extract_slice %[[XB]][%[[ROW]], 0] [2, 5] [1, 1] : tensor<8x5xf32> to tensor<2x5xf32>
// CHECK:   %[[Z:.*]] = linalg.matmul ins(%[[H]], %[[R]] : tensor<2x5xf32>, tensor<5x5xf32>) outs(%[[XS]] : tensor<2x5xf32>)
// CHECK:   %[[HN:.*]] = linalg.generic {{.*}} ins(%[[Z]] : tensor<2x5xf32>)
// CHECK:     math.tanh
// CHECK:   %[[SN:.*]] = tensor.insert_slice %[[HN]] into %[[SEQ]][%{{.*}}, 0] [2, 5] [1, 1]
// CHECK:   scf.yield %[[HN]], %[[SN]]
// CHECK: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[BATCH_FIRST]], {{.*}}]{{.*}} ins(%[[LOOP]]#1 : tensor<8x5xf32>) outs(%{{.*}} : tensor<2x4x5xf32>)
// CHECK: return %[[OUT]], %[[LOOP]]#0
func.func @rnn(%x: tensor<2x4x3xf32>, %h0: tensor<2x5xf32>, %k: tensor<3x5xf32>, %r: tensor<5x5xf32>, %b: tensor<5xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>) {
  %s, %h = aenet.rnn tanh %x, %h0, %k, %r bias %b : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>, tensor<5xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  return %s, %h : tensor<2x4x5xf32>, tensor<2x5xf32>
}

// -----

// Tests masking: each step's new h is selected against the old one by
// comparing the sample's length (repeated along its row) with the step
// number, so a padded step keeps the state.
// CHECK-LABEL: func.func @masked
// CHECK-SAME: %[[LEN:[^:]*]]: tensor<2xf32>
// CHECK: %[[LROWS:.*]] = linalg.generic {{.*}} ins(%[[LEN]] : tensor<2xf32>) outs(%{{.*}} : tensor<2x5xf32>)
// CHECK: scf.for %[[T:.*]] = {{.*}} iter_args(%[[H:[^ ]*]] = %{{.*}},
// CHECK:   %[[NEW:.*]] = linalg.generic {{.*}}
// CHECK:     math.tanh
// CHECK:   %[[STEP:.*]] = arith.index_castui %[[T]] : index to i64
// CHECK:   %[[AT:.*]] = arith.uitofp %[[STEP]] : i64 to f32
// CHECK:   linalg.generic {{.*}} ins(%[[LROWS]], %[[NEW]], %[[H]] : tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
// CHECK:     %[[REAL:.*]] = arith.cmpf ogt, %{{.*}}, %[[AT]] : f32
// CHECK:     arith.select %[[REAL]]
func.func @masked(%x: tensor<2x4x3xf32>, %h0: tensor<2x5xf32>, %k: tensor<3x5xf32>, %r: tensor<5x5xf32>, %len: tensor<2xf32>) -> tensor<2x5xf32> {
  %s, %h = aenet.rnn tanh %x, %h0, %k, %r lengths %len : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>, tensor<2xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  return %h : tensor<2x5xf32>
}
