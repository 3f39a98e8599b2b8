// RUN: aenet-opt %s -split-input-file | aenet-opt -split-input-file | FileCheck %s

// Tests that the three recurrent layers print and parse back, with their
// activations, reset_after, and with and without a bias.
// CHECK-LABEL: func.func @layers
func.func @layers(%x: tensor<2x4x3xf32>, %h0: tensor<2x5xf32>, %k1: tensor<3x5xf32>, %r1: tensor<5x5xf32>, %b1: tensor<5xf32>, %k4: tensor<3x20xf32>, %r4: tensor<5x20xf32>, %k3: tensor<3x15xf32>, %r3: tensor<5x15xf32>, %b3: tensor<2x15xf32>, %b3b: tensor<15xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>) {
  // CHECK: %{{.*}}, %{{.*}} = aenet.rnn relu %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} bias %{{.*}} : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>, tensor<5xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  %s, %h = aenet.rnn relu %x, %h0, %k1, %r1 bias %b1 : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>, tensor<5xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  // CHECK: aenet.lstm tanh, hard_sigmoid %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<3x20xf32>, tensor<5x20xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
  %ls, %lh, %lc = aenet.lstm tanh, hard_sigmoid %x, %h0, %h0, %k4, %r4 : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<3x20xf32>, tensor<5x20xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
  // CHECK: aenet.gru tanh, sigmoid reset_after %{{.*}} : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x15xf32>, tensor<5x15xf32>, tensor<2x15xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  %gs, %gh = aenet.gru tanh, sigmoid reset_after %x, %h0, %k3, %r3 bias %b3 : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x15xf32>, tensor<5x15xf32>, tensor<2x15xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  // CHECK: aenet.gru tanh, sigmoid %{{.*}} : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x15xf32>, tensor<5x15xf32>, tensor<15xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  %bs, %bh = aenet.gru tanh, sigmoid %x, %h0, %k3, %r3 bias %b3b : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x15xf32>, tensor<5x15xf32>, tensor<15xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  return %s, %h, %lc, %gh, %bh : tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>
}

// -----

// Tests that the gradient ops print and parse back, in f64: an LSTM's with
// its c operands and results, a bias and lengths, a GRU's bias gradient
// [2, 3H] without a bias.
// CHECK-LABEL: func.func @gradients
func.func @gradients(%x: tensor<2x4x3xf64>, %h: tensor<2x5xf64>, %len: tensor<2xf64>, %seq: tensor<2x4x5xf64>, %k4: tensor<3x20xf64>, %r4: tensor<5x20xf64>, %b4: tensor<20xf64>, %k3: tensor<3x15xf64>, %r3: tensor<5x15xf64>) -> (tensor<20xf64>, tensor<2x15xf64>) {
  // CHECK: aenet.lstm_grad tanh, sigmoid {{.*}} bias %{{.*}} lengths %{{.*}} : {{.*}} -> (tensor<2x4x3xf64>, tensor<2x5xf64>, tensor<2x5xf64>, tensor<3x20xf64>, tensor<5x20xf64>, tensor<20xf64>)
  %dx, %dh0, %dc0, %dk, %dr, %db = aenet.lstm_grad tanh, sigmoid %x, %h, %h, %k4, %r4, %seq, %h, %h, %seq, %h, %h bias %b4 lengths %len : (tensor<2x4x3xf64>, tensor<2x5xf64>, tensor<2x5xf64>, tensor<3x20xf64>, tensor<5x20xf64>, tensor<2x4x5xf64>, tensor<2x5xf64>, tensor<2x5xf64>, tensor<2x4x5xf64>, tensor<2x5xf64>, tensor<2x5xf64>, tensor<20xf64>, tensor<2xf64>) -> (tensor<2x4x3xf64>, tensor<2x5xf64>, tensor<2x5xf64>, tensor<3x20xf64>, tensor<5x20xf64>, tensor<20xf64>)
  // CHECK: aenet.gru_grad tanh, sigmoid reset_after {{.*}} -> (tensor<2x4x3xf64>, tensor<2x5xf64>, tensor<3x15xf64>, tensor<5x15xf64>, tensor<2x15xf64>)
  %gx, %gh0, %gk, %gr, %gb = aenet.gru_grad tanh, sigmoid reset_after %x, %h, %k3, %r3, %seq, %h, %seq, %h : (tensor<2x4x3xf64>, tensor<2x5xf64>, tensor<3x15xf64>, tensor<5x15xf64>, tensor<2x4x5xf64>, tensor<2x5xf64>, tensor<2x4x5xf64>, tensor<2x5xf64>) -> (tensor<2x4x3xf64>, tensor<2x5xf64>, tensor<3x15xf64>, tensor<5x15xf64>, tensor<2x15xf64>)
  return %db, %gb : tensor<20xf64>, tensor<2x15xf64>
}
