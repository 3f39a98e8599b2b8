// RUN: aenet-opt %s -split-input-file -aenet-autodiff | FileCheck %s

// Tests that a dense layer under an mse loss gets the kernel and bias
// gradients from the loss gradient and none w.r.t. the data, that they are
// returned after the loss marked with their parameter's name, that the
// optimizer moves to train_step, and that the loss function is replaced.
// CHECK-NOT: @train_loss
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[X:[^:]*]]: tensor<8x4xf32> {aenet.input = "x"}
// CHECK-SAME: %[[K:[^:]*]]: tensor<4x4xf32> {aenet.param = "dense.kernel"}
// CHECK-SAME: %[[B:[^:]*]]: tensor<4xf32> {aenet.param = "dense.bias"})
// CHECK-SAME: -> (tensor<f32> {aenet.name = "loss"}, tensor<4x4xf32> {aenet.gradient = "dense.kernel"}, tensor<4xf32> {aenet.gradient = "dense.bias"})
// CHECK-SAME: attributes {aenet.optimizer = #aenet.optimizer<sgd, lr = 1.000000e-01, momentum = 0.000000e+00, nesterov = false>}
// CHECK: %[[Y:.*]] = aenet.dense %[[X]], %[[K]], %[[B]]
// CHECK: %[[L:.*]] = aenet.loss mse mean %[[Y]], %[[X]]
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[DY:.*]] = aenet.loss_grad mse mean %[[Y]], %[[X]], %[[ONE]]
// CHECK-NOT: aenet.dense_grad_input
// CHECK-DAG: %[[DK:.*]] = aenet.dense_grad_kernel %[[X]], %[[DY]]
// CHECK-DAG: %[[DB:.*]] = aenet.dense_grad_bias %[[DY]]
// CHECK-NOT: _update
// CHECK: return %[[L]], %[[DK]], %[[DB]]
// CHECK-NOT: @train_loss
func.func @train_loss(%x: tensor<8x4xf32> {aenet.input = "x"},
                      %k: tensor<4x4xf32> {aenet.param = "dense.kernel"},
                      %b: tensor<4xf32> {aenet.param = "dense.bias"})
    -> (tensor<f32> {aenet.name = "loss"})
    attributes {aenet.differentiate, aenet.optimizer = #aenet.optimizer<sgd, lr = 1.000000e-01, momentum = 0.000000e+00, nesterov = false>} {
  %y = aenet.dense %x, %k, %b : (tensor<8x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<8x4xf32>
  %l = aenet.loss mse mean %y, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Tests that the gradients of a value used twice are summed, and that a
// weighted loss scales its gradient.
// CHECK-LABEL: func.func @train_step
// CHECK: %[[H:.*]] = aenet.activation tanh
// CHECK: %[[ONE:.*]] = arith.constant
// CHECK-DAG: %[[W:.*]] = aenet.scale %[[ONE]] {factor = 5.000000e-01 : f64}
// CHECK-DAG: %[[DREG:.*]] = aenet.l1_activity_grad %[[H]], %[[ONE]]
// CHECK: %[[DP:.*]] = aenet.loss_grad cce mean %{{.*}}, %{{.*}}, %[[W]]
// CHECK: %[[DH:.*]] = aenet.dense_grad_input
// CHECK: %[[SUM:.*]] = aenet.add %[[DREG]], %[[DH]] : tensor<8x3xf32>
// CHECK: aenet.activation_grad tanh %[[H]], %[[SUM]]
func.func @train_loss(%x: tensor<8x4xf32> {aenet.input = "x"},
                      %t: tensor<8x2xf32> {aenet.input = "t"},
                      %k1: tensor<4x3xf32> {aenet.param = "a.kernel"},
                      %k2: tensor<3x2xf32> {aenet.param = "b.kernel"})
    -> (tensor<f32> {aenet.name = "loss"})
    attributes {aenet.differentiate, aenet.optimizer = #aenet.optimizer<sgd, lr = 1.000000e-01, momentum = 0.000000e+00, nesterov = false>} {
  %h0 = aenet.dense %x, %k1 : (tensor<8x4xf32>, tensor<4x3xf32>) -> tensor<8x3xf32>
  %h = aenet.activation tanh %h0 : tensor<8x3xf32>
  %p0 = aenet.dense %h, %k2 : (tensor<8x3xf32>, tensor<3x2xf32>) -> tensor<8x2xf32>
  %p = aenet.activation softmax %p0 : tensor<8x2xf32>
  %l = aenet.loss cce mean %p, %t : tensor<8x2xf32>, tensor<8x2xf32> -> tensor<f32>
  %lw = aenet.scale %l {factor = 0.5 : f64} : tensor<f32>
  %r = aenet.l1_activity %h {factor = 1.0e-3 : f64} : tensor<8x3xf32> -> tensor<f32>
  %total = aenet.add %lw, %r : tensor<f32>
  return %total : tensor<f32>
}

// -----

// Tests that a frozen parameter gets no gradient, while a trainable one
// after it does.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: {aenet.frozen, aenet.param = "enc.kernel"}
// CHECK-SAME: -> (tensor<f32> {aenet.name = "loss"}, tensor<3x4xf32> {aenet.gradient = "dec.kernel"})
// CHECK-NOT: aenet.dense_grad_kernel %{{.*}} -> tensor<4x3xf32>
// CHECK: %[[DK:.*]] = aenet.dense_grad_kernel %{{.*}} -> tensor<3x4xf32>
// CHECK: return %{{.*}}, %[[DK]] :
func.func @train_loss(%x: tensor<8x4xf32> {aenet.input = "x"},
                      %f: tensor<4x3xf32> {aenet.param = "enc.kernel", aenet.frozen},
                      %k: tensor<3x4xf32> {aenet.param = "dec.kernel"})
    -> (tensor<f32> {aenet.name = "loss"})
    attributes {aenet.differentiate} {
  %h = aenet.dense %x, %f : (tensor<8x4xf32>, tensor<4x3xf32>) -> tensor<8x3xf32>
  %y = aenet.dense %h, %k : (tensor<8x3xf32>, tensor<3x4xf32>) -> tensor<8x4xf32>
  %l = aenet.loss mse mean %y, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Tests that dropout's gradient reuses the forward op's seed and salt.
// CHECK-LABEL: func.func @train_step
// CHECK: aenet.dropout %{{.*}}, %[[S:[^ ]*]] {rate = 2.500000e-01 : f64, salt = 7 : i64}
// CHECK: aenet.dropout_grad %{{.*}}, %[[S]] {rate = 2.500000e-01 : f64, salt = 7 : i64}
func.func @train_loss(%x: tensor<8x4xf32> {aenet.input = "x"},
                      %k: tensor<4x4xf32> {aenet.param = "k"},
                      %seed: tensor<i64> {aenet.seed})
    -> (tensor<f32> {aenet.name = "loss"})
    attributes {aenet.differentiate} {
  %y = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
  %d = aenet.dropout %y, %seed {rate = 0.25 : f64, salt = 7 : i64} : tensor<8x4xf32>, tensor<i64>
  %l = aenet.loss bce mean %d, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}
