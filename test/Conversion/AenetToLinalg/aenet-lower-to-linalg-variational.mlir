// RUN: aenet-opt %s -split-input-file -aenet-lower-to-linalg | FileCheck %s

// Tests that sample_normal is one elementwise generic over mu and logvar
// that draws gaussian_noise's normal (counters 2i and 2i + 1, Box-Muller)
// and adds exp(logvar / 2) times it to mu.
// CHECK-LABEL: func.func @sample_normal
// CHECK: %[[KEY:.*]] = arith.xori
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-NEXT: ^bb0(%[[MU:.*]]: f64, %[[LV:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[FIRST:.*]] = arith.shli
// CHECK: arith.ori %[[FIRST]]
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.cos
// CHECK-NEXT: %[[EPS:.*]] = arith.mulf %{{.*}}, %{{.*}} : f64
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK: %[[HALFLV:.*]] = arith.mulf %[[LV]], %[[HALF]]
// CHECK: %[[SIGMA:.*]] = math.exp %[[HALFLV]]
// CHECK: %[[NOISE:.*]] = arith.mulf %[[SIGMA]], %[[EPS]]
// CHECK: %[[Z:.*]] = arith.addf %[[MU]], %[[NOISE]]
// CHECK: linalg.yield %[[Z]]
func.func @sample_normal(%mu: tensor<4x2xf64>, %lv: tensor<4x2xf64>, %seed: tensor<i64>) -> tensor<4x2xf64> {
  %z = aenet.sample_normal %mu, %lv, %seed {salt = 3 : i64} : tensor<4x2xf64>, tensor<i64>
  return %z : tensor<4x2xf64>
}

// -----

// Tests that sample_normal_grad redraws the same normal and multiplies dz by
// exp(logvar / 2) * eps / 2.
// CHECK-LABEL: func.func @sample_normal_grad
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[DZ:.*]]: f32, %[[LV:.*]]: f32, %{{.*}}: f32):
// CHECK: math.cos
// CHECK: math.exp
// CHECK: %[[NOISE:.*]] = arith.mulf
// CHECK: %[[HALF:.*]] = arith.mulf %[[NOISE]], %{{.*}}
// CHECK: %[[G:.*]] = arith.mulf %[[DZ]], %[[HALF]]
// CHECK: linalg.yield %[[G]]
func.func @sample_normal_grad(%dz: tensor<4x2xf32>, %lv: tensor<4x2xf32>, %seed: tensor<i64>) -> tensor<4x2xf32> {
  %g = aenet.sample_normal_grad %dz, %lv, %seed {salt = 3 : i64} : tensor<4x2xf32>, tensor<i64>
  return %g : tensor<4x2xf32>
}

// -----

// Tests that kl_normal sums 1 + lv - mu^2 - exp(lv) per sample, then over
// the batch, and multiplies by -1/2 / batch (-1/8 for a batch of 4).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @kl_normal
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-NEXT: ^bb0(%[[MU:.*]]: f32, %[[LV:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[A:.*]] = arith.addf %{{.*}}, %[[LV]]
// CHECK: %[[SQ:.*]] = arith.mulf %[[MU]], %[[MU]]
// CHECK: %[[B:.*]] = arith.subf %[[A]], %[[SQ]]
// CHECK: %[[E:.*]] = math.exp %[[LV]]
// CHECK: %[[T:.*]] = arith.subf %[[B]], %[[E]]
// CHECK: arith.addf %[[ACC]], %[[T]]
// CHECK: iterator_types = ["reduction"]
// CHECK: %[[SCALE:.*]] = arith.constant -1.250000e-01 : f32
// CHECK: arith.mulf %{{.*}}, %[[SCALE]]
func.func @kl_normal(%mu: tensor<4x2xf32>, %lv: tensor<4x2xf32>) -> tensor<f32> {
  %kl = aenet.kl_normal %mu, %lv : tensor<4x2xf32> -> tensor<f32>
  return %kl : tensor<f32>
}

// -----

// Tests that kl_normal_grad is one generic with two results: mu * dL / B and
// (exp(lv) - 1) * dL / (2 B), the scalars made once outside it.
// CHECK-LABEL: func.func @kl_normal_grad
// CHECK: %[[DL:.*]] = tensor.extract
// CHECK: %[[INVB:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: %[[S:.*]] = arith.mulf %[[DL]], %[[INVB]]
// CHECK: %[[HS:.*]] = arith.mulf %[[S]], %{{.*}}
// CHECK: %[[R:.*]]:2 = linalg.generic
// CHECK-NEXT: ^bb0(%[[MU:.*]]: f32, %[[LV:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK: %[[DMU:.*]] = arith.mulf %[[MU]], %[[S]]
// CHECK: %[[E:.*]] = math.exp %[[LV]]
// CHECK: %[[EM1:.*]] = arith.subf %[[E]], %{{.*}}
// CHECK: %[[DLV:.*]] = arith.mulf %[[EM1]], %[[HS]]
// CHECK: linalg.yield %[[DMU]], %[[DLV]]
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @kl_normal_grad(%mu: tensor<4x2xf32>, %lv: tensor<4x2xf32>, %dl: tensor<f32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %a, %b = aenet.kl_normal_grad %mu, %lv, %dl : tensor<4x2xf32>, tensor<f32>
  return %a, %b : tensor<4x2xf32>, tensor<4x2xf32>
}
