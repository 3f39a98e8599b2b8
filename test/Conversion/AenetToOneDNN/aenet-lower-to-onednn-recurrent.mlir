// RUN: aenet-opt %s -split-input-file -aenet-autodiff -aenet-lower-to-onednn | FileCheck %s

// Tests that an LSTM whose gradient op reads it runs forward_training
// (cell 3, training 1) at site 0, and that its gradient op calls
// recurrent_backward at that same site, where the forward's workspace is;
// it is the function's only site.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[SITES:[^:]*]]: !llvm.ptr {aenet.kernel_sites}
// CHECK-SAME: attributes {aenet.kernel_sites = 1 : i64
// CHECK-DAG: %[[S0:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[LSTM:.*]] = arith.constant 3 : i64
// CHECK-DAG: %[[TRAIN:.*]] = arith.constant 1 : i64
// CHECK: call @aenet_dnnl_recurrent_forward(%[[SITES]], %[[S0]], {{.*}}, %[[LSTM]], %[[TRAIN]])
// CHECK: call @aenet_dnnl_recurrent_backward(%[[SITES]], %[[S0]],
// CHECK-NOT: aenet.lstm
func.func @train_loss(%x: tensor<2x4x3xf32> {aenet.input = "x"},
                      %k: tensor<3x20xf32> {aenet.param = "lstm.kernel"},
                      %r: tensor<5x20xf32> {aenet.param = "lstm.recurrent_kernel"},
                      %b: tensor<20xf32> {aenet.param = "lstm.bias"},
                      %t: tensor<2x5xf32> {aenet.input = "t"})
    -> (tensor<f32> {aenet.name = "loss"})
    attributes {aenet.differentiate, aenet.optimizer = #aenet.optimizer<sgd, lr = 0.1, momentum = 0.0, nesterov = false>} {
  %zeros = arith.constant dense<0.0> : tensor<2x5xf32>
  %seq, %h, %c = aenet.lstm tanh, sigmoid %x, %zeros, %zeros, %k, %r bias %b : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<3x20xf32>, tensor<5x20xf32>, tensor<20xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
  %loss = aenet.loss mse mean %h, %t : tensor<2x5xf32>, tensor<2x5xf32> -> tensor<f32>
  return %loss : tensor<f32>
}

// -----

// Tests that a GRU (reset_after: oneDNN's LBR-GRU, cell 5) that no gradient
// op reads runs forward_inference (training 0), and that an LSTM with
// hard_sigmoid gates, which oneDNN cannot run, stays for the loops
// lowering.
// CHECK-LABEL: func.func @evaluate
// CHECK-DAG: %[[LBR:.*]] = arith.constant 5 : i64
// CHECK-DAG: %[[INFER:.*]] = arith.constant 0 : i64
// CHECK: call @aenet_dnnl_recurrent_forward({{.*}}, %[[LBR]], %[[INFER]])
// CHECK: aenet.lstm tanh, hard_sigmoid
func.func @evaluate(%x: tensor<2x4x3xf32>, %k: tensor<3x15xf32>, %r: tensor<5x15xf32>, %b: tensor<2x15xf32>, %k4: tensor<5x20xf32>, %r4: tensor<5x20xf32>) -> tensor<2x5xf32> {
  %zeros = arith.constant dense<0.0> : tensor<2x5xf32>
  %seq, %h = aenet.gru tanh, sigmoid reset_after %x, %zeros, %k, %r bias %b : (tensor<2x4x3xf32>, tensor<2x5xf32>, tensor<3x15xf32>, tensor<5x15xf32>, tensor<2x15xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>)
  %s2, %h2, %c2 = aenet.lstm tanh, hard_sigmoid %seq, %zeros, %zeros, %k4, %r4 : (tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<5x20xf32>, tensor<5x20xf32>) -> (tensor<2x4x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
  return %h2 : tensor<2x5xf32>
}
