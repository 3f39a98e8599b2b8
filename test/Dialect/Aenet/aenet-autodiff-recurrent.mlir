// RUN: aenet-opt %s -aenet-autodiff | FileCheck %s

// Tests the backward graph of a many-to-one LSTM regressor: the dense
// head's gradient reaches the LSTM's final h only, so the gradient op gets
// zeros for the sequence and the final c; it returns the kernel, recurrent
// kernel and bias gradients of the parameters (the input and the initial
// states are data and constants: their gradients are not used).
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x4x3xf32> {aenet.input = "x"}
// CHECK-SAME: %[[K:[^:]*]]: tensor<3x20xf32> {aenet.param = "lstm.kernel"}
// CHECK-SAME: %[[R:[^:]*]]: tensor<5x20xf32> {aenet.param = "lstm.recurrent_kernel"}
// CHECK-SAME: %[[B:[^:]*]]: tensor<20xf32> {aenet.param = "lstm.bias"}
// CHECK-SAME: %[[DK:[^:]*]]: tensor<5x1xf32> {aenet.param = "dense.kernel"}
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<2x5xf32>
// CHECK: %[[SEQ:.*]], %[[H:.*]], %[[C:.*]] = aenet.lstm tanh, sigmoid %[[X]], %[[Z]], %[[Z]], %[[K]], %[[R]] bias %[[B]] :
// CHECK: %[[DY:.*]] = aenet.loss_grad mse mean
// CHECK: %[[DH:.*]] = aenet.dense_grad_input %[[DY]], %[[DK]]
// CHECK: %[[DKD:.*]] = aenet.dense_grad_kernel %[[H]], %[[DY]]
// CHECK: %[[DSEQ:.*]] = arith.constant dense<0.000000e+00> : tensor<2x4x5xf32>
// CHECK: %[[DC:.*]] = arith.constant dense<0.000000e+00> : tensor<2x5xf32>
// CHECK: %{{.*}}, %{{.*}}, %{{.*}}, %[[GK:.*]], %[[GR:.*]], %[[GB:.*]] = aenet.lstm_grad tanh, sigmoid %[[X]], %[[Z]], %[[Z]], %[[K]], %[[R]], %[[SEQ]], %[[H]], %[[C]], %[[DSEQ]], %[[DH]], %[[DC]] bias %[[B]] :
// CHECK: return %{{.*}}, %[[GK]], %[[GR]], %[[GB]], %[[DKD]] :
func.func @train_loss(%x: tensor<2x4x3xf32> {aenet.input = "x"},
                      %k: tensor<3x20xf32> {aenet.param = "lstm.kernel"},
                      %r: tensor<5x20xf32> {aenet.param = "lstm.recurrent_kernel"},
                      %b: tensor<20xf32> {aenet.param = "lstm.bias"},
                      %dk: tensor<5x1xf32> {aenet.param = "dense.kernel"},
                      %t: tensor<2x1xf32> {aenet.input = "t"})
    -> (tensor<f32> {aenet.name = "loss"})
    attributes {aenet.differentiate, aenet.optimizer = #aenet.optimizer<sgd, lr = 0.1, momentum = 0.0, nesterov = false>} {
  %zeros = arith.constant dense<0.0> : tensor<2x5xf32>
  %seq, %h, %c = aenet.lstm tanh, sigmoid %x, %zeros, %zeros, %k, %r bias %b : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<3x20xf32>, tensor<5x20xf32>, tensor<20xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
  %y = aenet.dense %h, %dk : (tensor<2x5xf32>, tensor<5x1xf32>) -> tensor<2x1xf32>
  %loss = aenet.loss mse mean %y, %t : tensor<2x1xf32>, tensor<2x1xf32> -> tensor<f32>
  return %loss : tensor<f32>
}
