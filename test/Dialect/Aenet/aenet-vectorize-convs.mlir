// RUN: aenet-opt %s -split-input-file -aenet-vectorize-convs -canonicalize | FileCheck %s

// Tests that a convolution on tensors becomes loops over the batch, the
// output rows, blocks of 7 output columns, blocks of 8 input channels and
// the kernel rows, around one vector contraction per kernel column: 7
// outputs of a row for 8 filters from 8 channels, read as the 9 input
// columns they cover [8 x 9] and written as one [8 x 7] tile.
// CHECK-LABEL: func.func @conv_rows
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C7:.*]] = arith.constant 7 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C14:.*]] = arith.constant 14 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C2]] step %[[C1]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C14]] step %[[C1]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C14]] step %[[C7]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C16]] step %[[C8]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C3]] step %[[C1]]
// CHECK: vector.transfer_read {{.*}} : tensor<1x8x9xf32>, vector<1x8x9xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<8x8x3xf32>, vector<8x8x3xf32>
// CHECK-COUNT-3: vector.contract {{.*}} : vector<1x7x8xf32>, vector<8x8xf32> into vector<1x7x8xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x8x7xf32>, tensor<1x8x7xf32>
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @conv_rows(%x: tensor<2x16x16x16xf32>, %k: tensor<8x16x3x3xf32>, %y: tensor<2x8x14x14xf32>) -> tensor<2x8x14x14xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %k : tensor<2x16x16x16xf32>, tensor<8x16x3x3xf32>) outs(%y : tensor<2x8x14x14xf32>) -> tensor<2x8x14x14xf32>
  return %r : tensor<2x8x14x14xf32>
}

// -----

// Tests the tile sizes of awkward extents: 12 filters by 4, 6 channels by 2,
// and 42 output columns (more than 8) by 7, each the largest candidate that
// divides the op.
// CHECK-LABEL: func.func @conv_divisors
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C7:.*]] = arith.constant 7 : index
// CHECK-DAG: %[[C12:.*]] = arith.constant 12 : index
// CHECK-DAG: %[[C42:.*]] = arith.constant 42 : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C12]] step %[[C4]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C42]] step %[[C7]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C6]] step %[[C2]]
// CHECK-COUNT-3: vector.contract {{.*}} : vector<1x7x2xf32>, vector<2x4xf32> into vector<1x7x4xf32>
func.func @conv_divisors(%x: tensor<1x6x3x44xf32>, %k: tensor<12x6x3x3xf32>, %y: tensor<1x12x1x42xf32>) -> tensor<1x12x1x42xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %k : tensor<1x6x3x44xf32>, tensor<12x6x3x3xf32>) outs(%y : tensor<1x12x1x42xf32>) -> tensor<1x12x1x42xf32>
  return %r : tensor<1x12x1x42xf32>
}

// -----

// Tests that a row of 13 outputs, which no candidate from 8 down to 2
// divides, is one tile of 13 columns, not 13 tiles of one: the only loop is
// over the kernel rows.
// CHECK-LABEL: func.func @conv_prime_row
// CHECK-NOT: arith.constant 13 : index
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK-NOT: arith.constant 13 : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C3]] step
// CHECK-NOT: scf.for
// CHECK-COUNT-3: vector.contract {{.*}} : vector<1x13x2xf32>, vector<2x2xf32> into vector<1x13x2xf32>
func.func @conv_prime_row(%x: tensor<1x2x3x15xf32>, %k: tensor<2x2x3x3xf32>, %y: tensor<1x2x1x13xf32>) -> tensor<1x2x1x13xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %k : tensor<1x2x3x15xf32>, tensor<2x2x3x3xf32>) outs(%y : tensor<1x2x1x13xf32>) -> tensor<1x2x1x13xf32>
  return %r : tensor<1x2x1x13xf32>
}

// -----

// Tests a strided and a dilated convolution (conv2d at stride 2, and the
// kernel gradient of one): at stride 2 each of the 3 outputs of a row is a
// contraction per kernel column; dilated, the kernel columns read the input
// row 2 columns apart.
// CHECK-LABEL: func.func @conv_strided_dilated
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK-COUNT-9: vector.contract {{.*}} : vector<1x1x4xf32>, vector<4x4xf32> into vector<1x1x4xf32>
// CHECK: vector.extract_strided_slice %{{.*}} {offsets = [0, 0, 0], sizes = [1, 3, 4], strides = [1, 1, 1]}
// CHECK: vector.extract_strided_slice %{{.*}} {offsets = [0, 2, 0], sizes = [1, 3, 4], strides = [1, 1, 1]}
// CHECK: vector.extract_strided_slice %{{.*}} {offsets = [0, 4, 0], sizes = [1, 3, 4], strides = [1, 1, 1]}
// CHECK-COUNT-3: vector.contract {{.*}} : vector<1x3x4xf32>, vector<4x4xf32> into vector<1x3x4xf32>
func.func @conv_strided_dilated(%x: tensor<1x4x7x7xf32>, %k: tensor<4x4x3x3xf32>, %y: tensor<1x4x3x3xf32>) -> (tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>) {
  %s = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %k : tensor<1x4x7x7xf32>, tensor<4x4x3x3xf32>) outs(%y : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %d = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %k : tensor<1x4x7x7xf32>, tensor<4x4x3x3xf32>) outs(%y : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %s, %d : tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>
}

// -----

// Tests that a convolution on buffers is left alone: the decomposition into
// 1-D convolutions works on tensors only.
// CHECK-LABEL: func.func @conv_buffers
// CHECK-NOT: vector.
// CHECK: linalg.conv_2d_nchw_fchw
func.func @conv_buffers(%x: memref<1x2x5x5xf32>, %k: memref<2x2x3x3xf32>, %y: memref<1x2x3x3xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %k : memref<1x2x5x5xf32>, memref<2x2x3x3xf32>) outs(%y : memref<1x2x3x3xf32>)
  return
}

// -----

// Tests that a convolution whose vectorized tile would unroll into too many
// multiply-adds (a kernel 40 columns wide: 40 columns x 8 outputs x 8
// filters x 8 channels = 20,480) stays a linalg op for the plain loops, so
// that compile time stays bounded, while a 3x3 one beside it is still
// vectorized.
// CHECK-LABEL: func.func @conv_wide_kernel
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins({{.*}} : tensor<1x8x30x71xf32>, tensor<8x8x3x40xf32>)
// CHECK-COUNT-3: vector.contract {{.*}} : vector<1x7x8xf32>, vector<8x8xf32> into vector<1x7x8xf32>
// CHECK-NOT: vector.contract
func.func @conv_wide_kernel(%x: tensor<1x8x30x71xf32>, %k: tensor<8x8x3x40xf32>, %y: tensor<1x8x28x32xf32>,
                            %x3: tensor<1x8x30x30xf32>, %k3: tensor<8x8x3x3xf32>, %y3: tensor<1x8x28x28xf32>) -> (tensor<1x8x28x32xf32>, tensor<1x8x28x28xf32>) {
  %wide = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %k : tensor<1x8x30x71xf32>, tensor<8x8x3x40xf32>) outs(%y : tensor<1x8x28x32xf32>) -> tensor<1x8x28x32xf32>
  %narrow = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x3, %k3 : tensor<1x8x30x30xf32>, tensor<8x8x3x3xf32>) outs(%y3 : tensor<1x8x28x28xf32>) -> tensor<1x8x28x28xf32>
  return %wide, %narrow : tensor<1x8x28x32xf32>, tensor<1x8x28x28xf32>
}
