// RUN: aenet-opt %s -split-input-file -verify-diagnostics

// Tests that sample_normal needs the batch first and a latent axis.
func.func @sample_rank(%mu: tensor<8xf32>, %seed: tensor<i64>) -> tensor<8xf32> {
  // expected-error @+1 {{expects mu and logvar of rank >= 2 (batch first), got 'tensor<8xf32>'}}
  %z = aenet.sample_normal %mu, %mu, %seed {salt = 1 : i64} : tensor<8xf32>, tensor<i64>
  return %z : tensor<8xf32>
}

// -----

// Tests that kl_normal needs mu and logvar of one type.
func.func @kl_types(%mu: tensor<8x2xf32>, %lv: tensor<8x3xf32>) -> tensor<f32> {
  // expected-error @+1 {{failed to verify that all of {mu, logvar} have same type}}
  %kl = "aenet.kl_normal"(%mu, %lv) : (tensor<8x2xf32>, tensor<8x3xf32>) -> tensor<f32>
  return %kl : tensor<f32>
}

// -----

// Tests that kl_normal's result has mu's element type.
func.func @kl_result(%mu: tensor<8x2xf32>) -> tensor<f64> {
  // expected-error @+1 {{expects a 'f32' scalar result, got 'tensor<f64>'}}
  %kl = aenet.kl_normal %mu, %mu : tensor<8x2xf32> -> tensor<f64>
  return %kl : tensor<f64>
}
