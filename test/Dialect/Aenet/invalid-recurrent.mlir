// RUN: aenet-opt %s -split-input-file -verify-diagnostics

// Tests that a recurrent kernel must be [units, gates * units].
func.func @recurrent_kernel(%x: tensor<2x4x3xf32>, %h0: tensor<2x5xf32>, %k: tensor<3x20xf32>, %r: tensor<5x15xf32>) {
  // expected-error @+1 {{expects a recurrent kernel [units, 4 * units], got 'tensor<5x15xf32>'}}
  %s, %h, %c = aenet.lstm tanh, sigmoid %x, %h0, %h0, %k, %r : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<3x20xf32>, tensor<5x15xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
  return
}

// -----

// Tests that the kernel reads the input's features.
func.func @kernel(%x: tensor<2x4x3xf32>, %h0: tensor<2x5xf32>, %k: tensor<4x5xf32>, %r: tensor<5x5xf32>) {
  // expected-error @+1 {{expects a kernel of shape [3, 5], got 'tensor<4x5xf32>'}}
  %s, %h = aenet.rnn tanh %x, %h0, %k, %r : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<4x5xf32>, tensor<5x5xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  return
}

// -----

// Tests that the input is [batch, steps, features].
func.func @input_rank(%x: tensor<2x3xf32>, %h0: tensor<2x5xf32>, %k: tensor<3x5xf32>, %r: tensor<5x5xf32>) {
  // expected-error @+1 {{expects a static input [batch, steps, features], got 'tensor<2x3xf32>'}}
  %s, %h = aenet.rnn tanh %x, %h0, %k, %r : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  return
}

// -----

// Tests that a GRU with reset_after has two bias rows.
func.func @gru_bias(%x: tensor<2x4x3xf32>, %h0: tensor<2x5xf32>, %k: tensor<3x15xf32>, %r: tensor<5x15xf32>, %b: tensor<15xf32>) {
  // expected-error @+1 {{expects a bias of shape [2, 15], got 'tensor<15xf32>'}}
  %s, %h = aenet.gru tanh, sigmoid reset_after %x, %h0, %k, %r bias %b : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x15xf32>, tensor<5x15xf32>, tensor<15xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  return
}

// -----

// Tests that the initial state is [batch, units].
func.func @initial_state(%x: tensor<2x4x3xf32>, %h0: tensor<3x5xf32>, %k: tensor<3x5xf32>, %r: tensor<5x5xf32>) {
  // expected-error @+1 {{expects an initial h of shape [2, 5], got 'tensor<3x5xf32>'}}
  %s, %h = aenet.rnn tanh %x, %h0, %k, %r : (tensor<2x4x3xf32>, tensor<3x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>) -> (tensor<2x4x5xf32>, tensor<3x5xf32>)
  return
}

// -----

// Tests that the sequence result has one h per step.
func.func @sequence(%x: tensor<2x4x3xf32>, %h0: tensor<2x5xf32>, %k: tensor<3x5xf32>, %r: tensor<5x5xf32>) {
  // expected-error @+1 {{expects a sequence of shape [2, 4, 5], got 'tensor<2x3x5xf32>'}}
  %s, %h = aenet.rnn tanh %x, %h0, %k, %r : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>) -> (tensor<2x3x5xf32>, tensor<2x5xf32>)
  return
}

// -----

// Tests that a gradient op's gradients have their values' shapes.
func.func @grad_shape(%x: tensor<2x4x3xf32>, %h: tensor<2x5xf32>, %seq: tensor<2x4x5xf32>, %dseq: tensor<2x3x5xf32>, %k: tensor<3x5xf32>, %r: tensor<5x5xf32>) {
  // expected-error @+1 {{expects a sequence and its gradient of one shape, got 'tensor<2x4x5xf32>' and 'tensor<2x3x5xf32>'}}
  %dx, %dh0, %dk, %dr, %db = aenet.rnn_grad tanh %x, %h, %k, %r, %seq, %h, %dseq, %h : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>, tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x3x5xf32>, tensor<2x5xf32>) -> (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>, tensor<5xf32>)
  return
}

// -----

// Tests that a gradient op's results are the operands' gradients, then the
// bias gradient in the bias's shape.
func.func @grad_results(%x: tensor<2x4x3xf32>, %h: tensor<2x5xf32>, %seq: tensor<2x4x5xf32>, %k: tensor<3x5xf32>, %r: tensor<5x5xf32>) {
  // expected-error @+1 {{expects one gradient per differentiated operand, in its type, then the bias gradient}}
  %dx, %dh0, %dk, %dr, %db = aenet.rnn_grad tanh %x, %h, %k, %r, %seq, %h, %seq, %h : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>, tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x4x5xf32>, tensor<2x5xf32>) -> (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>, tensor<4xf32>)
  return
}
