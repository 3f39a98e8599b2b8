// RUN: not aenet-opt %s -aenet-vectorize-matmuls 2>&1 | FileCheck %s

// Tests that a matmul on tensors is an error: the pass runs after
// bufferization, on the buffers whose shapes pick the tiles.
// CHECK: error: aenet-vectorize-matmuls expects bufferized matmuls of static shape
func.func @matmul_tensors(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}
