// RUN: aenet-opt %s -split-input-file -aenet-vectorize-matmuls -canonicalize | FileCheck %s

// Tests that a bufferized matmul becomes 8 x 32 register blocks: loops over
// M by 8 and N by 32 around a loop over K carrying the 8 accumulator rows of
// vector<32xf32>, loaded before it and stored after it.
// CHECK-LABEL: func.func @matmul_blocks
// CHECK-NOT: linalg.matmul
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : index
// CHECK: scf.for %[[M:.*]] = %{{.*}} to %[[C16]] step %[[C8]]
// CHECK: scf.for %[[N:.*]] = %{{.*}} to %[[C64]] step %[[C32]]
// CHECK-COUNT-8: vector.load %{{.*}} : memref<16x64xf32>, vector<32xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C8]] step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<8x32xf32>)
// CHECK: vector.load %{{.*}} : memref<8x64xf32>, vector<32xf32>
// CHECK: scf.yield %{{.*}} : vector<8x32xf32>
// CHECK-COUNT-8: vector.store %{{.*}} : memref<16x64xf32>, vector<32xf32>
func.func @matmul_blocks(%a: memref<16x8xf32>, %b: memref<8x64xf32>, %c: memref<16x64xf32>) {
  linalg.matmul ins(%a, %b : memref<16x8xf32>, memref<8x64xf32>) outs(%c : memref<16x64xf32>)
  return
}

// -----

// Tests the tile sizes of extents 8 and 32 do not divide: 6 rows by 2, 784
// columns by 16.
// CHECK-LABEL: func.func @matmul_divisors
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C784:.*]] = arith.constant 784 : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C6]] step %[[C2]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C784]] step %[[C16]]
// CHECK: iter_args(%{{.*}} = %{{.*}}) -> (vector<2x16xf32>)
func.func @matmul_divisors(%a: memref<6x3xf32>, %b: memref<3x784xf32>, %c: memref<6x784xf32>) {
  linalg.matmul ins(%a, %b : memref<6x3xf32>, memref<3x784xf32>) outs(%c : memref<6x784xf32>)
  return
}

// -----

// Tests that a rank-reducing read of a reshaped buffer, the row a `valid`
// convolution reads from the reshaped model input, is lowered and does not
// send the alias folds into an endless loop (LLVM 22's fold of expand_shape
// into transfer_read fails after creating IR; the pass leaves it out). The
// read stays on the expand_shape. A hang here is a failure: see the timeout.
// RUN: timeout 60 aenet-opt %s -split-input-file -aenet-vectorize-matmuls -canonicalize | FileCheck %s --check-prefix=ROW
// ROW-LABEL: func.func @expand_shape_row
// ROW: %[[IMAGE:.*]] = memref.expand_shape %{{.*}} {{\[}}[0], [1, 2, 3]]
// ROW: %[[ROW:.*]] = vector.load %[[IMAGE]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<32x1x28x28xf32>, vector<28xf32>
// ROW: vector.broadcast %[[ROW]] : vector<28xf32> to vector<1x1x28xf32>
func.func @expand_shape_row(%x: memref<32x784xf32>, %i: index, %j: index) -> vector<1x1x28xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %image = memref.expand_shape %x [[0], [1, 2, 3]] output_shape [32, 1, 28, 28] : memref<32x784xf32> into memref<32x1x28x28xf32>
  %rows = memref.subview %image[%i, 0, %j, 0] [1, 1, 1, 28] [1, 1, 1, 1] : memref<32x1x28x28xf32> to memref<1x1x28xf32, strided<[784, 784, 1], offset: ?>>
  %row = vector.transfer_read %rows[%c0, %c0, %c0], %zero {in_bounds = [true, true, true]} : memref<1x1x28xf32, strided<[784, 784, 1], offset: ?>>, vector<1x1x28xf32>
  return %row : vector<1x1x28xf32>
}
