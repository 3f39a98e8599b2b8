// RUN: aenet-opt %s -split-input-file -verify-diagnostics

// Tests that a dense kernel must match the input's last dimension.
func.func @dense_kernel(%x: tensor<8x4xf32>, %k: tensor<5x3xf32>) -> tensor<8x3xf32> {
  // expected-error @+1 {{expects a kernel [4, units] for input 'tensor<8x4xf32>', got 'tensor<5x3xf32>'}}
  %h = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<5x3xf32>) -> tensor<8x3xf32>
  return %h : tensor<8x3xf32>
}

// -----

// Tests that a dense bias must have one element per unit.
func.func @dense_bias(%x: tensor<8x4xf32>, %k: tensor<4x3xf32>, %b: tensor<4xf32>) -> tensor<8x3xf32> {
  // expected-error @+1 {{expects a bias of 3 elements, got 'tensor<4xf32>'}}
  %h = aenet.dense %x, %k, %b : (tensor<8x4xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<8x3xf32>
  return %h : tensor<8x3xf32>
}

// -----

// Tests that a dense result must have the units as its last dimension.
func.func @dense_result(%x: tensor<8x4xf32>, %k: tensor<4x3xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{expects a result of shape [8, 3], got 'tensor<8x4xf32>'}}
  %h = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<4x3xf32>) -> tensor<8x4xf32>
  return %h : tensor<8x4xf32>
}

// -----

// Tests that dense rejects mixed element types.
func.func @dense_types(%x: tensor<8x4xf32>, %k: tensor<4x3xf64>) -> tensor<8x3xf32> {
  // expected-error @+1 {{mixes element types 'f32' and 'f64'}}
  %h = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<4x3xf64>) -> tensor<8x3xf32>
  return %h : tensor<8x3xf32>
}

// -----

// Tests that reshape keeps the number of elements.
func.func @reshape(%x: tensor<8x6xf32>) -> tensor<8x5xf32> {
  // expected-error @+1 {{cannot reshape 'tensor<8x6xf32>' (48 elements) into 'tensor<8x5xf32>' (40 elements)}}
  %r = aenet.reshape %x : tensor<8x6xf32> -> tensor<8x5xf32>
  return %r : tensor<8x5xf32>
}

// -----

// Tests that reshape keeps the batch dimension.
func.func @reshape_batch(%x: tensor<8x6xf32>) -> tensor<16x3xf32> {
  // expected-error @+1 {{must keep the batch dimension}}
  %r = aenet.reshape %x : tensor<8x6xf32> -> tensor<16x3xf32>
  return %r : tensor<16x3xf32>
}

// -----

// Tests that a dropout rate must be below 1.
func.func @dropout(%x: tensor<8x6xf32>, %s: tensor<i64>) -> tensor<8x6xf32> {
  // expected-error @+1 {{expects a rate in [0, 1), got 1}}
  %r = aenet.dropout %x, %s {rate = 1.0 : f64, salt = 1 : i64} : tensor<8x6xf32>, tensor<i64>
  return %r : tensor<8x6xf32>
}

// -----

// Tests that noise needs a non-negative deviation where it is a constant.
func.func @noise(%x: tensor<8x6xf32>, %s: tensor<i64>) -> tensor<8x6xf32> {
  %d = arith.constant dense<-1.0> : tensor<f32>
  // expected-error @+1 {{expects a non-negative stddev, got -1}}
  %r = aenet.gaussian_noise %x, %s, %d {salt = 1 : i64} : tensor<8x6xf32>, tensor<i64>, tensor<f32>
  return %r : tensor<8x6xf32>
}

// -----

// Tests that noise's deviation has the element type of its input.
func.func @noise_type(%x: tensor<8x6xf32>, %s: tensor<i64>, %d: tensor<f64>) -> tensor<8x6xf32> {
  // expected-error @+1 {{mixes element types 'f32' and 'f64'}}
  %r = aenet.gaussian_noise %x, %s, %d {salt = 1 : i64} : tensor<8x6xf32>, tensor<i64>, tensor<f64>
  return %r : tensor<8x6xf32>
}

// -----

// Tests that a loss compares tensors of one shape.
func.func @loss(%p: tensor<8x6xf32>, %t: tensor<8x5xf32>) -> tensor<f32> {
  // expected-error @+1 {{expects prediction and target of one shape, got 'tensor<8x6xf32>' and 'tensor<8x5xf32>'}}
  %l = aenet.loss mse mean %p, %t : tensor<8x6xf32>, tensor<8x5xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Tests that a loss result has the inputs' element type.
func.func @loss_type(%p: tensor<8x6xf32>, %t: tensor<8x6xf32>) -> tensor<f64> {
  // expected-error @+1 {{mixes element types 'f32' and 'f64'}}
  %l = aenet.loss mse mean %p, %t : tensor<8x6xf32>, tensor<8x6xf32> -> tensor<f64>
  return %l : tensor<f64>
}

// -----

// Tests that a metric compares tensors of one shape.
func.func @metric(%p: tensor<8x6xf32>, %t: tensor<8x5xf32>) -> tensor<f32> {
  // expected-error @+1 {{expects prediction and target of one shape}}
  %l = aenet.metric accuracy %p, %t : tensor<8x6xf32>, tensor<8x5xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Tests that a metric against a target has one.
func.func @metric_without_target(%p: tensor<8x6xf32>) -> tensor<f32> {
  // expected-error @+1 {{mse needs a target}}
  %l = aenet.metric mse %p : tensor<8x6xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Tests that mean_abs, a metric of the value alone, takes no target.
func.func @mean_abs_target(%p: tensor<8x6xf32>, %t: tensor<8x6xf32>) -> tensor<f32> {
  // expected-error @+1 {{mean_abs takes no target}}
  %l = aenet.metric mean_abs %p, %t : tensor<8x6xf32>, tensor<8x6xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Tests that regularization factors are non-negative.
func.func @l2(%w: tensor<4x3xf32>) -> tensor<f32> {
  // expected-error @+1 {{expects a non-negative factor}}
  %r = aenet.l2_weight %w {factor = -1.0 : f64} : tensor<4x3xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Tests that dense_grad_input checks its shapes.
func.func @grad_input(%dy: tensor<8x3xf32>, %k: tensor<4x3xf32>) -> tensor<8x5xf32> {
  // expected-error @+1 {{expects dy [..., U], kernel [I, U] and result [..., I]}}
  %dx = aenet.dense_grad_input %dy, %k : tensor<8x3xf32>, tensor<4x3xf32> -> tensor<8x5xf32>
  return %dx : tensor<8x5xf32>
}

// -----

// Tests that dense_grad_kernel checks its shapes.
func.func @grad_kernel(%x: tensor<8x4xf32>, %dy: tensor<7x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{expects x [..., I], dy [..., U] and result [I, U]}}
  %dk = aenet.dense_grad_kernel %x, %dy : tensor<8x4xf32>, tensor<7x3xf32> -> tensor<4x3xf32>
  return %dk : tensor<4x3xf32>
}

// -----

// Tests that dense_grad_bias has one element per unit.
func.func @grad_bias(%dy: tensor<8x3xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects dy [..., U] and result [U]}}
  %db = aenet.dense_grad_bias %dy : tensor<8x3xf32> -> tensor<4xf32>
  return %db : tensor<4xf32>
}

// -----

// Tests that an update keeps the parameter's type everywhere.
func.func @update_types(%p: tensor<4xf32>, %g: tensor<5xf32>, %lr: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects every tensor of type 'tensor<4xf32>', got 'tensor<5xf32>'}}
  %a = aenet.sgd_update %p, %g, %lr : (tensor<4xf32>, tensor<5xf32>, tensor<f32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// Tests that the learning rate is a scalar of the parameter's element type.
func.func @update_lr(%p: tensor<4xf32>, %g: tensor<4xf32>, %lr: tensor<f64>) -> tensor<4xf32> {
  // expected-error @+1 {{expects scalars of 'f32', got 'tensor<f64>'}}
  %a = aenet.sgd_update %p, %g, %lr : (tensor<4xf32>, tensor<4xf32>, tensor<f64>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// Tests that Adam's betas are in [0, 1).
func.func @adam_beta(%p: tensor<4xf32>, %g: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>, %t: tensor<f32>, %lr: tensor<f32>) {
  // expected-error @+1 {{expects beta2 in [0, 1), got 1}}
  %d:3 = aenet.adam_update %p, %g, %m, %v, %t, %lr {beta1 = 0.9 : f64, beta2 = 1.0 : f64, epsilon = 1.0e-7 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

// Tests that RMSProp's momentum buffer comes with a non-zero momentum.
func.func @rmsprop(%p: tensor<4xf32>, %g: tensor<4xf32>, %s: tensor<4xf32>, %m: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{has a momentum buffer but zero momentum}}
  %e:3 = aenet.rmsprop_update %p, %g, %s, %m, %lr {rho = 0.9 : f64, momentum = 0.0 : f64, epsilon = 1.0e-7 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

// Tests that clip's bounds must be ordered.
func.func @clip_bounds(%x: tensor<8x6xf32>) -> tensor<8x6xf32> {
  // expected-error @+1 {{expects min <= max, got min = 1.000000e+00 and max = 0.000000e+00}}
  %r = aenet.clip %x {min = 1.0 : f64, max = 0.0 : f64} : tensor<8x6xf32>
  return %r : tensor<8x6xf32>
}

// -----

// Tests that a NaN bound is refused: no element would compare within it.
func.func @clip_grad_nan(%x: tensor<4xf32>, %dy: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects min <= max, got min = 0.000000e+00 and max = nan}}
  %r = aenet.clip_grad %x, %dy {min = 0.0 : f64, max = 0x7FF8000000000000 : f64} : tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// Tests that clip_grad's input and incoming gradient have one type.
func.func @clip_grad_types(%x: tensor<4xf32>, %dy: tensor<5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{all of {input, output_grad, input_grad} have same type}}
  %r = "aenet.clip_grad"(%x, %dy) {min = 0.0 : f64, max = 1.0 : f64} : (tensor<4xf32>, tensor<5xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
