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
