// RUN: aenet-opt %s -split-input-file -aenet-apply-optimizer | FileCheck %s

// Tests that in a data-parallel module train_step becomes grad_step, which
// keeps its loss and gradients and loses the optimizer, and apply_step,
// which takes each gradient's parameter and the gradient, clips it, and
// returns the update with the Adam states, step count and learning rate
// after them.
// CHECK-LABEL: func.func @grad_step
// CHECK-SAME: -> (tensor<f32> {aenet.name = "loss"}, tensor<4xf32> {aenet.gradient = "b"}, tensor<4x4xf32> {aenet.gradient = "k"})
// CHECK-NOT: aenet.optimizer
// CHECK-NOT: _update
// CHECK: return
// CHECK-LABEL: func.func @apply_step
// CHECK-SAME: %[[K:[^:]*]]: tensor<4x4xf32> {aenet.param = "k"}
// CHECK-SAME: %[[B:[^:]*]]: tensor<4xf32> {aenet.param = "b"}
// CHECK-SAME: %[[DB:[^:]*]]: tensor<4xf32> {aenet.gradient = "b"}
// CHECK-SAME: %[[DK:[^:]*]]: tensor<4x4xf32> {aenet.gradient = "k"}
// CHECK-SAME: %[[KM:[^:]*]]: tensor<4x4xf32> {aenet.state = "k/m", aenet.state_init = 0.000000e+00 : f64}
// CHECK-SAME: %[[KV:[^:]*]]: tensor<4x4xf32> {aenet.state = "k/v", aenet.state_init = 0.000000e+00 : f64}
// CHECK-SAME: %[[BM:[^:]*]]: tensor<4xf32> {aenet.state = "b/m", aenet.state_init = 0.000000e+00 : f64}
// CHECK-SAME: %[[BV:[^:]*]]: tensor<4xf32> {aenet.state = "b/v", aenet.state_init = 0.000000e+00 : f64}
// CHECK-SAME: %[[T:[^:]*]]: tensor<f32> {aenet.step}
// CHECK-SAME: %[[LR:[^:]*]]: tensor<f32> {aenet.learning_rate = 5.000000e-02 : f64}
// CHECK-SAME: -> (tensor<4x4xf32> {aenet.param = "k"}, tensor<4x4xf32> {aenet.state = "k/m", aenet.state_init = 0.000000e+00 : f64}, tensor<4x4xf32> {aenet.state = "k/v", aenet.state_init = 0.000000e+00 : f64}, tensor<4xf32> {aenet.param = "b"},
// CHECK-NOT: aenet.optimizer
// CHECK: %[[CK:.*]] = aenet.clip_by_value %[[DK]] {limit = 5.000000e-01 : f64}
// CHECK: %[[K2:[^ ,]*]], %[[KM2:[^ ,]*]], %[[KV2:[^ ,]*]] = aenet.adam_update %[[K]], %[[CK]], %[[KM]], %[[KV]], %[[T]], %[[LR]]
// CHECK: %[[CB:.*]] = aenet.clip_by_value %[[DB]] {limit = 5.000000e-01 : f64}
// CHECK: %[[B2:[^ ,]*]], %[[BM2:[^ ,]*]], %[[BV2:[^ ,]*]] = aenet.adam_update %[[B]], %[[CB]], %[[BM]], %[[BV]], %[[T]], %[[LR]]
// CHECK: return %[[K2]], %[[KM2]], %[[KV2]], %[[B2]], %[[BM2]], %[[BV2]] :
// CHECK-NOT: func.func @train_step
module attributes {aenet.data_parallel} {
func.func @train_step(%k: tensor<4x4xf32> {aenet.param = "k"},
                      %b: tensor<4xf32> {aenet.param = "b"},
                      %l: tensor<f32>, %dk: tensor<4x4xf32>, %db: tensor<4xf32>)
    -> (tensor<f32> {aenet.name = "loss"}, tensor<4xf32> {aenet.gradient = "b"},
        tensor<4x4xf32> {aenet.gradient = "k"})
    attributes {aenet.optimizer = #aenet.optimizer<adam, lr = 0.05, beta1 = 0.8, beta2 = 0.99, epsilon = 1.0e-6, clip_value = 0.5>} {
  return %l, %db, %dk : tensor<f32>, tensor<4xf32>, tensor<4x4xf32>
}
}

// -----

// Tests that a frozen parameter is not an argument of apply_step, and that
// a trainable one the loss does not reach (no gradient) is, with its
// velocity state, returned unchanged as the unsplit train_step does, so
// that a checkpoint holds the same tensors split or not.
// CHECK-LABEL: func.func @apply_step
// CHECK-SAME: (%[[K:[^:]*]]: tensor<3x4xf32> {aenet.param = "dec.kernel"}, %[[H:[^:]*]]: tensor<4x2xf32> {aenet.param = "head.kernel"}, %[[DK:[^:]*]]: tensor<3x4xf32> {aenet.gradient = "dec.kernel"},
// CHECK-SAME: %[[KM:[^:]*]]: tensor<3x4xf32> {aenet.state = "dec.kernel/velocity", aenet.state_init = 0.000000e+00 : f64}, %[[HM:[^:]*]]: tensor<4x2xf32> {aenet.state = "head.kernel/velocity", aenet.state_init = 0.000000e+00 : f64}, %[[T:[^:]*]]: tensor<f32> {aenet.step}, %[[LR:[^:]*]]: tensor<f32> {aenet.learning_rate = 1.000000e-01 : f64})
// CHECK: %[[K2:[^ ,]*]], %[[KM2:[^ ,]*]] = aenet.momentum_update %[[K]], %[[DK]], %[[KM]], %[[LR]]
// CHECK: return %[[K2]], %[[KM2]], %[[H]], %[[HM]] :
module attributes {aenet.data_parallel} {
func.func @train_step(%f: tensor<4x3xf32> {aenet.param = "enc.kernel", aenet.frozen},
                      %k: tensor<3x4xf32> {aenet.param = "dec.kernel"},
                      %h: tensor<4x2xf32> {aenet.param = "head.kernel"},
                      %l: tensor<f32>, %dk: tensor<3x4xf32>)
    -> (tensor<f32> {aenet.name = "loss"}, tensor<3x4xf32> {aenet.gradient = "dec.kernel"})
    attributes {aenet.optimizer = #aenet.optimizer<sgd, lr = 0.1, momentum = 0.9, nesterov = false>} {
  return %l, %dk : tensor<f32>, tensor<3x4xf32>
}
}

// -----

// Tests that without the module attribute train_step is updated in place.
// CHECK-LABEL: func.func @train_step
// CHECK: aenet.sgd_update
// CHECK-NOT: func.func @apply_step
module {
func.func @train_step(%k: tensor<3x4xf32> {aenet.param = "dec.kernel"},
                      %l: tensor<f32>, %dk: tensor<3x4xf32>)
    -> (tensor<f32> {aenet.name = "loss"}, tensor<3x4xf32> {aenet.gradient = "dec.kernel"})
    attributes {aenet.optimizer = #aenet.optimizer<sgd, lr = 0.1, momentum = 0.0, nesterov = false>} {
  return %l, %dk : tensor<f32>, tensor<3x4xf32>
}
}

// -----

// Tests that a module whose gradients are summed over processes
// (`aenet.exchanged_gradients`, without `aenet.data_parallel`: one slice per
// process) splits train_step the same way.
// CHECK-LABEL: func.func @grad_step
// CHECK-SAME: -> (tensor<f32> {aenet.name = "loss"}, tensor<4xf32> {aenet.gradient = "b"})
// CHECK-LABEL: func.func @apply_step
// CHECK: aenet.sgd_update
// CHECK-NOT: func.func @train_step
module attributes {aenet.exchanged_gradients} {
func.func @train_step(%b: tensor<4xf32> {aenet.param = "b"},
                      %l: tensor<f32>, %db: tensor<4xf32>)
    -> (tensor<f32> {aenet.name = "loss"}, tensor<4xf32> {aenet.gradient = "b"})
    attributes {aenet.optimizer = #aenet.optimizer<sgd, lr = 0.1, momentum = 0.0, nesterov = false>} {
  return %l, %db : tensor<f32>, tensor<4xf32>
}
}
