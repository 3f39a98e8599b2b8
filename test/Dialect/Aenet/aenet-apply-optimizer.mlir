// RUN: aenet-opt %s -split-input-file -aenet-apply-optimizer | FileCheck %s

// Tests that each gradient result becomes the SGD update of its parameter,
// in the order of the parameters, with the hyperparameters of the attribute
// (which is then removed), that the step count is appended even without
// states, and that the learning rate is an argument after it, marked with
// the attribute's rate, which every update reads.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[K:[^:]*]]: tensor<4x4xf32> {aenet.param = "k"}
// CHECK-SAME: %[[B:[^:]*]]: tensor<4xf32> {aenet.param = "b"}
// CHECK-SAME: %{{.*}}: tensor<f32> {aenet.step}
// CHECK-SAME: %[[LR:[^:]*]]: tensor<f32> {aenet.learning_rate = 1.000000e-01 : f64}
// CHECK-SAME: -> (tensor<f32> {aenet.name = "loss"}, tensor<4x4xf32> {aenet.param = "k"}, tensor<4xf32> {aenet.param = "b"})
// CHECK-NOT: aenet.optimizer
// CHECK: %[[K2:.*]] = aenet.sgd_update %[[K]], %[[DK:[^ ,]*]], %[[LR]] :
// CHECK: %[[B2:.*]] = aenet.sgd_update %[[B]], %[[DB:[^ ,]*]], %[[LR]] :
// CHECK: return %{{.*}}, %[[K2]], %[[B2]] :
func.func @train_step(%k: tensor<4x4xf32> {aenet.param = "k"},
                      %b: tensor<4xf32> {aenet.param = "b"},
                      %l: tensor<f32>, %dk: tensor<4x4xf32>, %db: tensor<4xf32>)
    -> (tensor<f32> {aenet.name = "loss"}, tensor<4xf32> {aenet.gradient = "b"},
        tensor<4x4xf32> {aenet.gradient = "k"})
    attributes {aenet.optimizer = #aenet.optimizer<sgd, lr = 0.1, momentum = 0.0, nesterov = false>} {
  return %l, %db, %dk : tensor<f32>, tensor<4xf32>, tensor<4x4xf32>
}

// -----

// Tests that Adam keeps two named states per trainable parameter, starting
// at 0, passes the step to the update, returns the new states after the new
// parameter, and leaves a frozen parameter alone.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[F:[^:]*]]: tensor<4x3xf32> {aenet.frozen, aenet.param = "enc.kernel"}
// CHECK-SAME: %[[K:[^:]*]]: tensor<3x4xf32> {aenet.param = "dec.kernel"}
// CHECK-SAME: %[[DK:[^:]*]]: tensor<3x4xf32>
// CHECK-SAME: %[[M:[^:]*]]: tensor<3x4xf32> {aenet.state = "dec.kernel/m", aenet.state_init = 0.000000e+00 : f64}
// CHECK-SAME: %[[V:[^:]*]]: tensor<3x4xf32> {aenet.state = "dec.kernel/v", aenet.state_init = 0.000000e+00 : f64}
// CHECK-SAME: %[[T:[^:]*]]: tensor<f32> {aenet.step}
// CHECK-SAME: %[[LR:[^:]*]]: tensor<f32> {aenet.learning_rate = 5.000000e-02 : f64}
// CHECK-SAME: -> (tensor<f32> {aenet.name = "loss"}, tensor<3x4xf32> {aenet.param = "dec.kernel"},
// CHECK-SAME: tensor<3x4xf32> {aenet.state = "dec.kernel/m", aenet.state_init = 0.000000e+00 : f64},
// CHECK-SAME: tensor<3x4xf32> {aenet.state = "dec.kernel/v", aenet.state_init = 0.000000e+00 : f64})
// CHECK: %[[P:[^ ,]*]], %[[PM:[^ ,]*]], %[[PV:[^ ,]*]] = aenet.adam_update %[[K]], %[[DK]], %[[M]], %[[V]], %[[T]], %[[LR]] {beta1 = 8.000000e-01 : f64, beta2 = 0.98999999999999999 : f64, epsilon = 9.9999999999999995E-7 : f64}
// CHECK-NOT: adam_update
// CHECK: return %{{.*}}, %[[P]], %[[PM]], %[[PV]] :
func.func @train_step(%f: tensor<4x3xf32> {aenet.param = "enc.kernel", aenet.frozen},
                      %k: tensor<3x4xf32> {aenet.param = "dec.kernel"},
                      %l: tensor<f32>, %dk: tensor<3x4xf32>)
    -> (tensor<f32> {aenet.name = "loss"}, tensor<3x4xf32> {aenet.gradient = "dec.kernel"})
    attributes {aenet.optimizer = #aenet.optimizer<adam, lr = 0.05, beta1 = 0.8, beta2 = 0.99, epsilon = 1.0e-6>} {
  return %l, %dk : tensor<f32>, tensor<3x4xf32>
}

// -----

// Tests that clipping by value, then by norm, is applied before the update,
// and that Adagrad's accumulator starts at its initial value.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: {aenet.state = "k/accumulator", aenet.state_init = 2.000000e-01 : f64}
// CHECK: %[[CV:.*]] = aenet.clip_by_value %{{.*}} {limit = 5.000000e-01 : f64}
// CHECK: %[[CN:.*]] = aenet.clip_by_norm %[[CV]] {max_norm = 1.000000e+00 : f64}
// CHECK: aenet.adagrad_update %{{.*}}, %[[CN]]
func.func @train_step(%k: tensor<4x4xf32> {aenet.param = "k"},
                      %l: tensor<f32>, %dk: tensor<4x4xf32>)
    -> (tensor<f32> {aenet.name = "loss"}, tensor<4x4xf32> {aenet.gradient = "k"})
    attributes {aenet.optimizer = #aenet.optimizer<adagrad, lr = 0.01, initial_accumulator = 0.2, epsilon = 1.0e-7, clip_norm = 1.0, clip_value = 0.5>} {
  return %l, %dk : tensor<f32>, tensor<4x4xf32>
}

// -----

// Tests that a trainable parameter without a gradient (the loss does not
// reach it) is returned unchanged with its states, and that RMSProp with
// momentum keeps a second state.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[K:[^:]*]]: tensor<4xf32> {aenet.param = "k"}
// CHECK-SAME: %[[H:[^:]*]]: tensor<4xf32> {aenet.param = "head.bias"}
// CHECK-SAME: {aenet.state = "k/mean_square"
// CHECK-SAME: {aenet.state = "k/momentum"
// CHECK-SAME: %[[MS:[^:]*]]: tensor<4xf32> {aenet.state = "head.bias/mean_square"
// CHECK-SAME: %[[MO:[^:]*]]: tensor<4xf32> {aenet.state = "head.bias/momentum"
// CHECK: %[[U:[^ ,]*]], %[[UMS:[^ ,]*]], %[[UMO:[^ ,]*]] = aenet.rmsprop_update %[[K]]
// CHECK-NOT: rmsprop_update
// CHECK: return %{{.*}}, %[[U]], %[[UMS]], %[[UMO]], %[[H]], %[[MS]], %[[MO]] :
func.func @train_step(%k: tensor<4xf32> {aenet.param = "k"},
                      %h: tensor<4xf32> {aenet.param = "head.bias"},
                      %l: tensor<f32>, %g: tensor<4xf32>)
    -> (tensor<f32> {aenet.name = "loss"}, tensor<4xf32> {aenet.gradient = "k"})
    attributes {aenet.optimizer = #aenet.optimizer<rmsprop, lr = 0.001, rho = 0.9, momentum = 0.5, epsilon = 1.0e-7>} {
  return %l, %g : tensor<f32>, tensor<4xf32>
}
