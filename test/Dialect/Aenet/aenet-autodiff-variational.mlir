// RUN: aenet-opt %s -split-input-file -aenet-autodiff | FileCheck %s

// Tests the adjoints of a VAE's latent: sample_normal passes dz to mu
// unchanged and gives logvar a sample_normal_grad with the forward's seed and
// salt (eps is redrawn, not stored); kl_normal gives both mu and logvar a
// gradient from one kl_normal_grad, which the autodiff pass adds to the
// sample's. The seed gets none.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[MU:[^:]*]]: tensor<4x2xf32> {aenet.param = "mu"}
// CHECK-SAME: %[[LV:[^:]*]]: tensor<4x2xf32> {aenet.param = "lv"}
// CHECK-SAME: %[[SEED:[^:]*]]: tensor<i64> {aenet.seed}
// CHECK: %[[Z:.*]] = aenet.sample_normal %[[MU]], %[[LV]], %[[SEED]] {salt = 3 : i64}
// CHECK: aenet.kl_normal %[[MU]], %[[LV]]
// CHECK: %[[KMU:.*]], %[[KLV:.*]] = aenet.kl_normal_grad %[[MU]], %[[LV]], %{{.*}} : tensor<4x2xf32>, tensor<f32>
// CHECK: %[[DZ:.*]] = aenet.loss_grad mse sum %[[Z]]
// CHECK: %[[DLV:.*]] = aenet.sample_normal_grad %[[DZ]], %[[LV]], %[[SEED]] {salt = 3 : i64}
// CHECK: %[[GMU:.*]] = aenet.add %[[KMU]], %[[DZ]]
// CHECK: %[[GLV:.*]] = aenet.add %[[KLV]], %[[DLV]]
// CHECK: return %{{.*}}, %[[GMU]], %[[GLV]]
func.func @train_loss(%mu: tensor<4x2xf32> {aenet.param = "mu"},
                      %lv: tensor<4x2xf32> {aenet.param = "lv"},
                      %t: tensor<4x2xf32> {aenet.input = "t"},
                      %seed: tensor<i64> {aenet.seed})
    -> (tensor<f32> {aenet.name = "loss"})
    attributes {aenet.differentiate, aenet.optimizer = #aenet.optimizer<sgd, lr = 1.000000e-01, momentum = 0.000000e+00, nesterov = false>} {
  %z = aenet.sample_normal %mu, %lv, %seed {salt = 3 : i64} : tensor<4x2xf32>, tensor<i64>
  %r = aenet.loss mse sum %z, %t : tensor<4x2xf32>, tensor<4x2xf32> -> tensor<f32>
  %kl = aenet.kl_normal %mu, %lv : tensor<4x2xf32> -> tensor<f32>
  %l = aenet.add %r, %kl : tensor<f32>
  return %l : tensor<f32>
}
