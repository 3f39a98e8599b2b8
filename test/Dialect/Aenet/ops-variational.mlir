// RUN: aenet-opt %s -split-input-file | aenet-opt -split-input-file | FileCheck %s

// Tests that sample_normal and kl_normal print and parse back, with the
// types of logvar and the result derived from mu's.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[MU:.*]]: tensor<8x2xf32>, %[[LV:.*]]: tensor<8x2xf32>, %[[SEED:.*]]: tensor<i64>)
// CHECK: aenet.sample_normal %[[MU]], %[[LV]], %[[SEED]] {salt = 4 : i64} : tensor<8x2xf32>, tensor<i64>
// CHECK: aenet.kl_normal %[[MU]], %[[LV]] : tensor<8x2xf32> -> tensor<f32>
func.func @forward(%mu: tensor<8x2xf32>, %lv: tensor<8x2xf32>, %seed: tensor<i64>) -> (tensor<8x2xf32>, tensor<f32>) {
  %z = aenet.sample_normal %mu, %lv, %seed {salt = 4 : i64} : tensor<8x2xf32>, tensor<i64>
  %kl = aenet.kl_normal %mu, %lv : tensor<8x2xf32> -> tensor<f32>
  return %z, %kl : tensor<8x2xf32>, tensor<f32>
}

// -----

// Tests that the gradient ops print and parse back; kl_normal_grad has two
// results.
// CHECK-LABEL: func.func @gradients
// CHECK: aenet.sample_normal_grad %{{.*}}, %{{.*}}, %{{.*}} {salt = 4 : i64} : tensor<8x2xf64>, tensor<i64>
// CHECK: %{{.*}}, %{{.*}} = aenet.kl_normal_grad %{{.*}}, %{{.*}}, %{{.*}} : tensor<8x2xf64>, tensor<f64>
func.func @gradients(%dz: tensor<8x2xf64>, %mu: tensor<8x2xf64>, %lv: tensor<8x2xf64>, %seed: tensor<i64>, %dl: tensor<f64>) -> (tensor<8x2xf64>, tensor<8x2xf64>, tensor<8x2xf64>) {
  %dlv = aenet.sample_normal_grad %dz, %lv, %seed {salt = 4 : i64} : tensor<8x2xf64>, tensor<i64>
  %dmu2, %dlv2 = aenet.kl_normal_grad %mu, %lv, %dl : tensor<8x2xf64>, tensor<f64>
  return %dlv, %dmu2, %dlv2 : tensor<8x2xf64>, tensor<8x2xf64>, tensor<8x2xf64>
}
