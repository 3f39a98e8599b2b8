// RUN: aenet-opt %s -split-input-file | aenet-opt -split-input-file | FileCheck %s

// Tests that the layer ops print and parse back.
// CHECK-LABEL: func.func @layers
func.func @layers(%x: tensor<8x4xf32>, %k: tensor<4x3xf32>, %b: tensor<3xf32>, %seed: tensor<i64>, %stddev: tensor<f32>) -> tensor<8x3xf32> {
  // CHECK: %[[H:.*]] = aenet.dense %{{.*}}, %{{.*}}, %{{.*}} : (tensor<8x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<8x3xf32>
  %h = aenet.dense %x, %k, %b : (tensor<8x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<8x3xf32>
  // CHECK: %[[N:.*]] = aenet.dense %{{.*}}, %{{.*}} : (tensor<8x4xf32>, tensor<4x3xf32>) -> tensor<8x3xf32>
  %n = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<4x3xf32>) -> tensor<8x3xf32>
  // CHECK: aenet.activation leaky_relu %[[H]] : tensor<8x3xf32>
  %a = aenet.activation leaky_relu %h : tensor<8x3xf32>
  // CHECK: aenet.dropout %{{.*}}, %{{.*}} {rate = 5.000000e-01 : f64, salt = 3 : i64} : tensor<8x3xf32>, tensor<i64>
  %d = aenet.dropout %a, %seed {rate = 0.5 : f64, salt = 3 : i64} : tensor<8x3xf32>, tensor<i64>
  // CHECK: aenet.gaussian_noise %{{.*}}, %{{.*}}, %{{.*}} {salt = 4 : i64} : tensor<8x3xf32>, tensor<i64>, tensor<f32>
  %g = aenet.gaussian_noise %d, %seed, %stddev {salt = 4 : i64} : tensor<8x3xf32>, tensor<i64>, tensor<f32>
  // CHECK: aenet.reshape %{{.*}} : tensor<8x3xf32> -> tensor<8x3x1xf32>
  %r = aenet.reshape %g : tensor<8x3xf32> -> tensor<8x3x1xf32>
  // CHECK: aenet.add
  %s = aenet.add %g, %n : tensor<8x3xf32>
  // CHECK: aenet.scale %{{.*}} {factor = 2.000000e+00 : f64} : tensor<8x3xf32>
  %t = aenet.scale %s {factor = 2.0 : f64} : tensor<8x3xf32>
  return %t : tensor<8x3xf32>
}

// -----

// Tests that losses, metrics and regularizers print and parse back, in f64.
// CHECK-LABEL: func.func @losses
func.func @losses(%p: tensor<8x10xf64>, %t: tensor<8x10xf64>, %w: tensor<4x3xf64>) -> (tensor<f64>, tensor<f64>, tensor<f64>, tensor<f64>, tensor<f64>) {
  // CHECK: aenet.loss bce sum %{{.*}}, %{{.*}} : tensor<8x10xf64>, tensor<8x10xf64> -> tensor<f64>
  %l = aenet.loss bce sum %p, %t : tensor<8x10xf64>, tensor<8x10xf64> -> tensor<f64>
  // CHECK: aenet.metric accuracy %{{.*}}, %{{.*}} : tensor<8x10xf64>, tensor<8x10xf64> -> tensor<f64>
  %m = aenet.metric accuracy %p, %t : tensor<8x10xf64>, tensor<8x10xf64> -> tensor<f64>
  // CHECK: aenet.metric mean_abs %{{.*}} : tensor<8x10xf64> -> tensor<f64>
  %c = aenet.metric mean_abs %p : tensor<8x10xf64> -> tensor<f64>
  // CHECK: aenet.l1_activity %{{.*}} {factor = 1.000000e-05 : f64} : tensor<8x10xf64> -> tensor<f64>
  %a = aenet.l1_activity %p {factor = 1.0e-5 : f64} : tensor<8x10xf64> -> tensor<f64>
  // CHECK: aenet.l2_weight %{{.*}} {factor = 1.000000e-04 : f64} : tensor<4x3xf64> -> tensor<f64>
  %r = aenet.l2_weight %w {factor = 1.0e-4 : f64} : tensor<4x3xf64> -> tensor<f64>
  return %l, %m, %c, %a, %r : tensor<f64>, tensor<f64>, tensor<f64>, tensor<f64>, tensor<f64>
}

// -----

// Tests that the gradient ops print and parse back.
// CHECK-LABEL: func.func @gradients
func.func @gradients(%x: tensor<8x4xf32>, %k: tensor<4x3xf32>, %dy: tensor<8x3xf32>, %y: tensor<8x3xf32>, %seed: tensor<i64>, %dl: tensor<f32>) {
  // CHECK: aenet.dense_grad_input %{{.*}}, %{{.*}} : tensor<8x3xf32>, tensor<4x3xf32> -> tensor<8x4xf32>
  %dx = aenet.dense_grad_input %dy, %k : tensor<8x3xf32>, tensor<4x3xf32> -> tensor<8x4xf32>
  // CHECK: aenet.dense_grad_kernel %{{.*}}, %{{.*}} : tensor<8x4xf32>, tensor<8x3xf32> -> tensor<4x3xf32>
  %dk = aenet.dense_grad_kernel %x, %dy : tensor<8x4xf32>, tensor<8x3xf32> -> tensor<4x3xf32>
  // CHECK: aenet.dense_grad_bias %{{.*}} : tensor<8x3xf32> -> tensor<3xf32>
  %db = aenet.dense_grad_bias %dy : tensor<8x3xf32> -> tensor<3xf32>
  // CHECK: aenet.activation_grad softmax %{{.*}}, %{{.*}} : tensor<8x3xf32>
  %da = aenet.activation_grad softmax %y, %dy : tensor<8x3xf32>
  // CHECK: aenet.dropout_grad %{{.*}}, %{{.*}} {rate = 2.500000e-01 : f64, salt = 1 : i64} : tensor<8x3xf32>, tensor<i64>
  %dd = aenet.dropout_grad %dy, %seed {rate = 0.25 : f64, salt = 1 : i64} : tensor<8x3xf32>, tensor<i64>
  // CHECK: aenet.loss_grad cce mean %{{.*}}, %{{.*}}, %{{.*}} : tensor<8x3xf32>, tensor<8x3xf32>, tensor<f32>
  %dp = aenet.loss_grad cce mean %y, %dy, %dl : tensor<8x3xf32>, tensor<8x3xf32>, tensor<f32>
  // CHECK: aenet.l1_activity_grad %{{.*}}, %{{.*}} {factor = 1.000000e-05 : f64} : tensor<8x3xf32>, tensor<f32>
  %d1 = aenet.l1_activity_grad %y, %dl {factor = 1.0e-5 : f64} : tensor<8x3xf32>, tensor<f32>
  // CHECK: aenet.l2_weight_grad %{{.*}}, %{{.*}} {factor = 1.000000e-04 : f64} : tensor<4x3xf32>, tensor<f32>
  %d2 = aenet.l2_weight_grad %k, %dl {factor = 1.0e-4 : f64} : tensor<4x3xf32>, tensor<f32>
  return
}

// -----

// Tests that the optimizer updates and clipping print and parse back.
// CHECK-LABEL: func.func @updates
func.func @updates(%p: tensor<4xf32>, %g: tensor<4xf32>, %s1: tensor<4xf32>, %s2: tensor<4xf32>, %t: tensor<f32>, %lr: tensor<f32>) {
  // CHECK: aenet.clip_by_norm %{{.*}} {max_norm = 1.000000e+00 : f64} : tensor<4xf32>
  %c = aenet.clip_by_norm %g {max_norm = 1.0 : f64} : tensor<4xf32>
  // CHECK: aenet.clip_by_value %{{.*}} {limit = 5.000000e-01 : f64} : tensor<4xf32>
  %v = aenet.clip_by_value %c {limit = 0.5 : f64} : tensor<4xf32>
  // CHECK: aenet.sgd_update %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %a = aenet.sgd_update %p, %v, %lr : (tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  // CHECK: aenet.momentum_update {{.*}} nesterov = true
  %b:2 = aenet.momentum_update %p, %g, %s1, %lr {momentum = 0.9 : f64, nesterov = true} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>)
  // CHECK: aenet.adam_update
  %d:3 = aenet.adam_update %p, %g, %s1, %s2, %t, %lr {beta1 = 0.9 : f64, beta2 = 0.999 : f64, epsilon = 1.0e-7 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  // CHECK: aenet.rmsprop_update
  %e:3 = aenet.rmsprop_update %p, %g, %s1, %s2, %lr {rho = 0.9 : f64, momentum = 0.5 : f64, epsilon = 1.0e-7 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  // CHECK: aenet.adagrad_update
  %f:2 = aenet.adagrad_update %p, %g, %s1, %lr {epsilon = 1.0e-7 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>)
  // CHECK: aenet.adadelta_update
  %h:3 = aenet.adadelta_update %p, %g, %s1, %s2, %lr {rho = 0.95 : f64, epsilon = 1.0e-7 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

// Tests that clip and its gradient print and parse back.
// CHECK-LABEL: func.func @clip
func.func @clip(%x: tensor<8x3xf32>, %dy: tensor<8x3xf32>) -> (tensor<8x3xf32>, tensor<8x3xf32>) {
  // CHECK: aenet.clip %{{.*}} {max = 1.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<8x3xf32>
  %y = aenet.clip %x {min = 0.0 : f64, max = 1.0 : f64} : tensor<8x3xf32>
  // CHECK: aenet.clip_grad %{{.*}}, %{{.*}} {max = 1.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<8x3xf32>
  %dx = aenet.clip_grad %x, %dy {min = 0.0 : f64, max = 1.0 : f64} : tensor<8x3xf32>
  return %y, %dx : tensor<8x3xf32>, tensor<8x3xf32>
}

// -----

// Tests that every kind of #aenet.init prints and parses back on parameter
// arguments, with only the fields that kind takes.
// CHECK-LABEL: func.func @initializers
// CHECK-SAME: aenet.init = #aenet.init<glorot_uniform, fan_in = 4, fan_out = 3>
// CHECK-SAME: aenet.init = #aenet.init<orthogonal>
// CHECK-SAME: aenet.init = #aenet.init<zeros>
// CHECK-SAME: aenet.init = #aenet.init<ones>
// CHECK-SAME: aenet.init = #aenet.init<constant, value = 5.000000e-01>
// CHECK-SAME: aenet.init = #aenet.init<block_ones, index = 1, blocks = 4>
func.func @initializers(
    %k: tensor<4x3xf32> {aenet.param = "d.kernel", aenet.init = #aenet.init<glorot_uniform, fan_in = 4, fan_out = 3>},
    %r: tensor<3x3xf32> {aenet.param = "r.kernel", aenet.init = #aenet.init<orthogonal>},
    %b: tensor<3xf32> {aenet.param = "d.bias", aenet.init = #aenet.init<zeros>},
    %g: tensor<3xf32> {aenet.param = "n.gamma", aenet.init = #aenet.init<ones>},
    %c: tensor<3xf32> {aenet.param = "c.bias", aenet.init = #aenet.init<constant, value = 0.5>},
    %f: tensor<12xf32> {aenet.param = "lstm.bias", aenet.init = #aenet.init<block_ones, index = 1, blocks = 4>}) {
  return
}

// -----

// Tests that every kind of #aenet.optimizer prints and parses back with the
// fields of its kind, and clipping only when given.
// CHECK-LABEL: func.func @sgd
// CHECK-SAME: aenet.optimizer = #aenet.optimizer<sgd, lr = 1.000000e-02, momentum = 9.000000e-01, nesterov = true, clip_norm = 1.000000e+00>
func.func @sgd() attributes {aenet.differentiate, aenet.optimizer = #aenet.optimizer<sgd, lr = 0.01, momentum = 0.9, nesterov = true, clip_norm = 1.0>} {
  return
}
// CHECK-LABEL: func.func @adam
// CHECK-SAME: #aenet.optimizer<adam, lr = 1.000000e-03, beta1 = 9.000000e-01, beta2 = 0.99899999999999999, epsilon = 9.9999999999999995E-8>
func.func @adam() attributes {aenet.optimizer = #aenet.optimizer<adam, epsilon = 1.0e-7, lr = 0.001, beta1 = 0.9, beta2 = 0.999>} {
  return
}
// CHECK-LABEL: func.func @rmsprop
// CHECK-SAME: #aenet.optimizer<rmsprop, lr = 1.000000e-03, momentum = 0.000000e+00, epsilon = 9.9999999999999995E-8, rho = 9.000000e-01, clip_value = 5.000000e-01>
func.func @rmsprop() attributes {aenet.optimizer = #aenet.optimizer<rmsprop, lr = 0.001, rho = 0.9, momentum = 0.0, epsilon = 1.0e-7, clip_value = 0.5>} {
  return
}
// CHECK-LABEL: func.func @adagrad
// CHECK-SAME: #aenet.optimizer<adagrad, lr = 1.000000e-03, epsilon = 9.9999999999999995E-8, initial_accumulator = 1.000000e-01>
func.func @adagrad() attributes {aenet.optimizer = #aenet.optimizer<adagrad, lr = 0.001, initial_accumulator = 0.1, epsilon = 1.0e-7>} {
  return
}
// CHECK-LABEL: func.func @adadelta
// CHECK-SAME: #aenet.optimizer<adadelta, lr = 1.000000e-03, epsilon = 9.9999999999999995E-8, rho = 0.94999999999999996>
func.func @adadelta() attributes {aenet.optimizer = #aenet.optimizer<adadelta, lr = 0.001, rho = 0.95, epsilon = 1.0e-7>} {
  return
}
