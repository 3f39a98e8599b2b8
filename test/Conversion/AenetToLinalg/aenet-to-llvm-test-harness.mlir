// RUN: aenet-opt %s --aenet-to-llvm='backend=loops test-harness=true' | %run_main | FileCheck %s
// RUN: not aenet-opt %s --aenet-to-llvm=backend=loops 2>&1 | FileCheck %s --check-prefix=ENTRY

// Tests why the aenet-to-llvm pipeline has a test-harness option: this
// module's @main calls @loss on tensors, as the runner tests' do. With the
// option the pipeline keeps @loss a tensor function and bufferizes the call;
// without it aenet-bind-buffers makes @loss a buffer entry point, which the
// call no longer matches: an error, not a crash (the declaration of
// printMemrefF64, which has no body, is left alone).

func.func private @printMemrefF64(tensor<*xf64> {bufferization.access = "read"})

func.func @loss(%p: tensor<2x3xf64>, %t: tensor<2x3xf64>) -> tensor<f64> {
  %l = aenet.loss mse mean %p, %t : tensor<2x3xf64>, tensor<2x3xf64> -> tensor<f64>
  return %l : tensor<f64>
}

func.func @main() {
  %p = arith.constant dense<[[0.2, 0.7, 0.1], [0.9, 1.0, 0.0]]> : tensor<2x3xf64>
  %t = arith.constant dense<[[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]> : tensor<2x3xf64>
  %l = call @loss(%p, %t) : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<f64>
  %u = tensor.cast %l : tensor<f64> to tensor<*xf64>
  call @printMemrefF64(%u) : (tensor<*xf64>) -> ()
  return
}

// (0.04 + 0.09 + 0.01 + 0.01 + 1 + 0) / 6
// CHECK: Unranked Memref base@ = {{.*}} rank = 0
// CHECK-NEXT: [0.191667]

// ENTRY: aenet-to-llvm-test-harness.mlir:21:8: error: 'func.call' op incorrect number of operands for callee
