// RUN: aenet-opt %s -split-input-file -aenet-apply-optimizer -verify-diagnostics

// Tests that gradients without an optimizer are refused: the compiler has
// no default optimizer of its own.
// expected-error @+1 {{returns gradients but has no 'aenet.optimizer'}}
func.func @train_step(%k: tensor<4xf32> {aenet.param = "k"}, %l: tensor<f32>,
                      %g: tensor<4xf32>)
    -> (tensor<f32>, tensor<4xf32> {aenet.gradient = "k"}) {
  return %l, %g : tensor<f32>, tensor<4xf32>
}

// -----

// Tests that a gradient of something that is not a trainable parameter is
// refused rather than dropped.
// expected-error @+1 {{returns a gradient of 'enc.kernel', which is not a trainable parameter}}
func.func @train_step(%k: tensor<4xf32> {aenet.param = "enc.kernel", aenet.frozen},
                      %l: tensor<f32>, %g: tensor<4xf32>)
    -> (tensor<f32>, tensor<4xf32> {aenet.gradient = "enc.kernel"})
    attributes {aenet.optimizer = #aenet.optimizer<sgd, lr = 0.1, momentum = 0.0, nesterov = false>} {
  return %l, %g : tensor<f32>, tensor<4xf32>
}
