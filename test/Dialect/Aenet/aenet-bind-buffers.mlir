// RUN: aenet-opt %s -split-input-file -aenet-bind-buffers | FileCheck %s

// Tests that arguments become memrefs read through to_tensor, that updated
// parameters and states are written back into their own buffers, that losses
// are packed into one scalars buffer, and that the function gets a C
// interface and returns nothing.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[X:[^:]*]]: memref<8x4xf32> {aenet.input = "x"}
// CHECK-SAME: %[[K:[^:]*]]: memref<4x4xf32> {aenet.param = "k"}
// CHECK-SAME: %[[M:[^:]*]]: memref<4x4xf32> {aenet.state = "k/m"}
// CHECK-SAME: %[[S:[^:]*]]: memref<2xf32> {aenet.scalars = ["loss", "acc"]}
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: %[[XT:.*]] = bufferization.to_tensor %[[X]] restrict writable
// CHECK: %[[KT:.*]] = bufferization.to_tensor %[[K]] restrict writable
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[K]]
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[M]]
// CHECK: %[[PACKED:.*]] = tensor.from_elements %{{.*}}, %{{.*}} : tensor<2xf32>
// CHECK: bufferization.materialize_in_destination %[[PACKED]] in restrict writable %[[S]]
// CHECK-NEXT: return
func.func @train_step(%x: tensor<8x4xf32> {aenet.input = "x"},
                      %k: tensor<4x4xf32> {aenet.param = "k"},
                      %m: tensor<4x4xf32> {aenet.state = "k/m"})
    -> (tensor<f32> {aenet.name = "loss"}, tensor<f32> {aenet.name = "acc"},
        tensor<4x4xf32> {aenet.param = "k"}, tensor<4x4xf32> {aenet.state = "k/m"}) {
  %y = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
  %l = aenet.loss mse mean %y, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  %a = aenet.metric mse %y, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  %k2 = aenet.scale %k {factor = 0.5 : f64} : tensor<4x4xf32>
  %m2 = aenet.scale %m {factor = 0.5 : f64} : tensor<4x4xf32>
  return %l, %a, %k2, %m2 : tensor<f32>, tensor<f32>, tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// Tests that a parameter returned unchanged (frozen) is not copied onto
// itself, and that other results get named output buffers.
// CHECK-LABEL: func.func @predict
// CHECK-SAME: %[[K:[^:]*]]: memref<4x4xf32> {aenet.param = "k"}
// CHECK-SAME: %[[OUT:[^:]*]]: memref<8x4xf32> {aenet.output = "recon"}
// CHECK-NOT: materialize_in_destination %{{.*}} in restrict writable %[[K]]
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[OUT]]
func.func @predict(%x: tensor<8x4xf32> {aenet.input = "x"},
                   %k: tensor<4x4xf32> {aenet.param = "k"})
    -> (tensor<8x4xf32> {aenet.name = "recon"}, tensor<4x4xf32> {aenet.param = "k"}) {
  %y = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
  return %y, %k : tensor<8x4xf32>, tensor<4x4xf32>
}

// -----

// Tests that a scalar result with an `aenet.finish` (rmse: the root of the
// epoch's mean) gives the scalars buffer `aenet.scalar_finishes`, one per
// scalar in the order of their names, the others "mean".
// CHECK-LABEL: func.func @rmse_step
// CHECK-SAME: memref<3xf32> {aenet.scalar_finishes = ["mean", "sqrt_mean", "mean"], aenet.scalars = ["loss", "y_rmse", "y_mae"]}
func.func @rmse_step(%x: tensor<8x4xf32> {aenet.input = "x"})
    -> (tensor<f32> {aenet.name = "loss"},
        tensor<f32> {aenet.finish = "sqrt_mean", aenet.name = "y_rmse"},
        tensor<f32> {aenet.name = "y_mae"}) {
  %l = aenet.loss mse mean %x, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  %r = aenet.metric rmse %x, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  %a = aenet.metric mae %x, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  return %l, %r, %a : tensor<f32>, tensor<f32>, tensor<f32>
}

// -----

// Tests that a data-parallel grad_step's gradients get output buffers that
// keep the name of their parameter as `aenet.gradient`, after the scalars.
// CHECK-LABEL: func.func @grad_step
// CHECK-SAME: %{{[^:]*}}: memref<4x4xf32> {aenet.param = "k"}
// CHECK-SAME: %[[S:[^:]*]]: memref<1xf32> {aenet.scalars = ["loss"]}
// CHECK-SAME: %[[G:[^:]*]]: memref<4x4xf32> {aenet.gradient = "k"}
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[S]]
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[G]]
// CHECK-NOT: aenet_gradient_ready
func.func @grad_step(%x: tensor<8x4xf32> {aenet.input = "x"},
                     %k: tensor<4x4xf32> {aenet.param = "k"})
    -> (tensor<f32> {aenet.name = "loss"},
        tensor<4x4xf32> {aenet.gradient = "k"}) {
  %y = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
  %l = aenet.loss mse mean %y, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  %g = aenet.scale %k {factor = 0.5 : f64} : tensor<4x4xf32>
  return %l, %g : tensor<f32>, tensor<4x4xf32>
}

// -----

// Tests that in a module whose gradients are summed over processes each
// gradient is copied to its buffer (from a read-only view, so that
// bufferization computes no later value in the buffer) as soon as it is
// computed, followed by `aenet_gradient_ready` with its place among the
// gradients: here the second gradient (of "b") is computed first, as a
// backward pass finishes the last layer first.
// CHECK-LABEL: func.func private @aenet_gradient_ready(i64)
// CHECK-LABEL: func.func @grad_step
// CHECK-SAME: %{{[^:]*}}: memref<4x4xf32> {aenet.param = "k"}
// CHECK-SAME: %[[S:[^:]*]]: memref<1xf32> {aenet.scalars = ["loss"]}
// CHECK-SAME: %[[GK:[^:]*]]: memref<4x4xf32> {aenet.gradient = "k"}
// CHECK-SAME: %[[GB:[^:]*]]: memref<4xf32> {aenet.gradient = "b"}
// CHECK: %[[B:.*]] = aenet.scale %{{.*}} {factor = 2.000000e+00
// CHECK-NEXT: %[[BV:.*]] = bufferization.to_buffer %[[B]] read_only
// CHECK-NEXT: memref.copy %[[BV]], %[[GB]]
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-NEXT: call @aenet_gradient_ready(%[[ONE]]) : (i64) -> ()
// CHECK-NEXT: %[[K:.*]] = aenet.scale %{{.*}} {factor = 5.000000e-01
// CHECK-NEXT: %[[KV:.*]] = bufferization.to_buffer %[[K]] read_only
// CHECK-NEXT: memref.copy %[[KV]], %[[GK]]
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @aenet_gradient_ready(%[[ZERO]]) : (i64) -> ()
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[S]]
// CHECK-NOT: aenet_gradient_ready
// CHECK: return
module attributes {aenet.exchanged_gradients} {
func.func @grad_step(%x: tensor<8x4xf32> {aenet.input = "x"},
                     %k: tensor<4x4xf32> {aenet.param = "k"},
                     %b: tensor<4xf32> {aenet.param = "b"})
    -> (tensor<f32> {aenet.name = "loss"},
        tensor<4x4xf32> {aenet.gradient = "k"},
        tensor<4xf32> {aenet.gradient = "b"}) {
  %y = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
  %l = aenet.loss mse mean %y, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  %gb = aenet.scale %b {factor = 2.0 : f64} : tensor<4xf32>
  %gk = aenet.scale %k {factor = 5.0e-01 : f64} : tensor<4x4xf32>
  return %l, %gk, %gb : tensor<f32>, tensor<4x4xf32>, tensor<4xf32>
}
}
