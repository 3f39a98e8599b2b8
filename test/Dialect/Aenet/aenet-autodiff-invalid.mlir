// RUN: aenet-opt %s -split-input-file -aenet-autodiff -verify-diagnostics

// Tests that a loss whose target is computed by the model is refused.
func.func @train_loss(%x: tensor<8x4xf32> {aenet.input = "x"},
                      %k: tensor<4x4xf32> {aenet.param = "k"})
    -> (tensor<f32> {aenet.name = "loss"})
    attributes {aenet.differentiate} {
  %y = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
  %z = aenet.activation relu %y : tensor<8x4xf32>
  // expected-error @+1 {{cannot differentiate w.r.t. a computed target}}
  %l = aenet.loss mse mean %z, %y : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Tests that the first result must be the scalar total loss.
// expected-error @+1 {{the first result of a differentiated function must be the scalar total loss}}
func.func @train_loss(%x: tensor<8x4xf32> {aenet.input = "x"},
                      %k: tensor<4x4xf32> {aenet.param = "k"})
    -> tensor<8x4xf32> attributes {aenet.differentiate} {
  %y = aenet.dense %x, %k : (tensor<8x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

// Tests that a loss whose target is a trainable parameter is refused: the
// loss has no gradient w.r.t. its target, which must not be dropped silently.
func.func @train_loss(%p: tensor<8x4xf32> {aenet.param = "p"},
                      %q: tensor<8x4xf32> {aenet.param = "q"})
    -> (tensor<f32> {aenet.name = "loss"})
    attributes {aenet.differentiate} {
  // expected-error @+1 {{has no gradient w.r.t. operand #1, which depends on a trainable parameter}}
  %l = aenet.loss mse mean %p, %q : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}
