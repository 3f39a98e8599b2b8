// RUN: aenet-opt %s -split-input-file -aenet-lower-to-linalg | FileCheck %s

// Tests that dense is a linalg.matmul into a zero-filled tensor followed by
// one generic that broadcasts the bias along the rows.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @dense
// CHECK-SAME: (%[[X:.*]]: tensor<8x4xf32>, %[[K:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<8x3xf32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<8x3xf32>)
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[X]], %[[K]] : tensor<8x4xf32>, tensor<4x3xf32>) outs(%[[FILL]] : tensor<8x3xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[MM]], %[[B]] : tensor<8x3xf32>, tensor<3xf32>)
// CHECK: arith.addf
// CHECK: return %[[Y]]
func.func @dense(%x: tensor<8x4xf32>, %k: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<8x3xf32> {
  %y = aenet.dense %x, %k, %b : (tensor<8x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<8x3xf32>
  return %y : tensor<8x3xf32>
}

// -----

// Tests that dense on a rank-3 input collapses it to a matrix, multiplies,
// and expands the result back; without a bias there is no generic.
// CHECK-LABEL: func.func @dense_rank3
// CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<2x5x4xf64> into tensor<10x4xf64>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[C]], %{{.*}} : tensor<10x4xf64>, tensor<4x3xf64>) outs(%{{.*}} : tensor<10x3xf64>)
// CHECK-NOT: linalg.generic
// CHECK: %[[R:.*]] = tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2]] output_shape [2, 5, 3] : tensor<10x3xf64> into tensor<2x5x3xf64>
// CHECK: return %[[R]]
func.func @dense_rank3(%x: tensor<2x5x4xf64>, %k: tensor<4x3xf64>) -> tensor<2x5x3xf64> {
  %y = aenet.dense %x, %k : (tensor<2x5x4xf64>, tensor<4x3xf64>) -> tensor<2x5x3xf64>
  return %y : tensor<2x5x3xf64>
}

// -----

// Tests that elementwise activations are one generic each, with sigmoid as
// 1 / (1 + exp(-x)), and that linear is no op at all.
// CHECK-LABEL: func.func @activations
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK: %[[RELU:.*]] = linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<4x3xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SIG:.*]] = linalg.generic
// CHECK: %[[NEG:.*]] = arith.negf
// CHECK: %[[EXP:.*]] = math.exp %[[NEG]]
// CHECK: %[[DEN:.*]] = arith.addf %{{.*}}, %[[EXP]]
// CHECK: arith.divf %{{.*}}, %[[DEN]]
// CHECK: %[[TANH:.*]] = linalg.generic
// CHECK: math.tanh
// CHECK: %[[ELU:.*]] = linalg.generic
// CHECK: %[[POS:.*]] = arith.cmpf ogt
// CHECK: %[[EM1:.*]] = math.expm1
// CHECK: arith.select %[[POS]], %{{.*}}, %[[EM1]]
// CHECK: %[[LEAKY:.*]] = linalg.generic
// CHECK: arith.constant 2.000000e-01 : f32
// CHECK: arith.select
// CHECK: %[[HARD:.*]] = linalg.generic
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: %[[RELU6:.*]] = linalg.generic
// CHECK: arith.constant 6.000000e+00 : f32
// CHECK: arith.minimumf
// CHECK: return %[[RELU]], %[[SIG]], %[[TANH]], %[[ELU]], %[[LEAKY]], %[[HARD]], %[[RELU6]], %[[X]]
func.func @activations(%x: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %0 = aenet.activation relu %x : tensor<4x3xf32>
  %1 = aenet.activation sigmoid %x : tensor<4x3xf32>
  %2 = aenet.activation tanh %x : tensor<4x3xf32>
  %3 = aenet.activation elu %x : tensor<4x3xf32>
  %4 = aenet.activation leaky_relu %x : tensor<4x3xf32>
  %5 = aenet.activation hard_sigmoid %x : tensor<4x3xf32>
  %6 = aenet.activation relu6 %x : tensor<4x3xf32>
  %7 = aenet.activation linear %x : tensor<4x3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// Tests that softmax reduces the row maximum (from -inf), sums exp(x - max)
// over the last axis, and divides in a broadcast generic.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<8x10xf32>)
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NINF]] : f32)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]] : tensor<8x10xf32>) outs(%[[INIT]] : tensor<8xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[MAX]] : tensor<8x10xf32>, tensor<8xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<8x10xf32>, tensor<8xf32>, tensor<8xf32>)
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: return %[[Y]]
func.func @softmax(%x: tensor<8x10xf32>) -> tensor<8x10xf32> {
  %y = aenet.activation softmax %x : tensor<8x10xf32>
  return %y : tensor<8x10xf32>
}

// -----

// Tests that reshape is one collapse_shape or expand_shape when the groups
// allow it, and a collapse to 1-D plus an expand otherwise.
// CHECK-LABEL: func.func @reshape
// CHECK: %[[A:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] : tensor<4x8x7x7xf32> into tensor<4x392xf32>
// CHECK: %[[B:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] output_shape [4, 28, 28, 1] : tensor<4x784xf32> into tensor<4x28x28x1xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : tensor<4x8x7x7xf32> into tensor<1568xf32>
// CHECK: %[[C:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1, 2]] output_shape [4, 7, 56] : tensor<1568xf32> into tensor<4x7x56xf32>
// CHECK: return %[[A]], %[[B]], %[[C]]
func.func @reshape(%x: tensor<4x8x7x7xf32>, %f: tensor<4x784xf32>) -> (tensor<4x392xf32>, tensor<4x28x28x1xf32>, tensor<4x7x56xf32>) {
  %a = aenet.reshape %x : tensor<4x8x7x7xf32> -> tensor<4x392xf32>
  %b = aenet.reshape %f : tensor<4x784xf32> -> tensor<4x28x28x1xf32>
  %c = aenet.reshape %x : tensor<4x8x7x7xf32> -> tensor<4x7x56xf32>
  return %a, %b, %c : tensor<4x392xf32>, tensor<4x28x28x1xf32>, tensor<4x7x56xf32>
}

// -----

// Tests that dropout hashes (seed ^ salt * 0x9E3779B97F4A7C15, row-major
// index) with the splitmix64 finalizer inside one generic, keeps elements
// whose top 24 bits (f32) reach rate * 2^24, and scales them by 1 / (1 -
// rate).
// CHECK-LABEL: func.func @dropout
// CHECK-SAME: (%[[X:.*]]: tensor<8x3xf32>, %[[SEED:.*]]: tensor<i64>)
// CHECK: %[[S:.*]] = tensor.extract %[[SEED]][] : tensor<i64>
// CHECK: %[[SALT:.*]] = arith.constant -7046029254386353131 : i64
// CHECK: %[[KEY:.*]] = arith.xori %[[S]], %[[SALT]] : i64
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<8x3xf32>)
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[ROW:.*]] = arith.muli %[[I]], %{{.*}} : index
// CHECK: %[[LIN:.*]] = arith.addi %[[J]], %[[ROW]] : index
// CHECK: %[[N:.*]] = arith.index_cast %[[LIN]] : index to i64
// CHECK: %[[SPREAD:.*]] = arith.muli %[[N]], %{{.*}} : i64
// CHECK: arith.xori %[[KEY]], %[[SPREAD]] : i64
// CHECK: arith.shrui %{{.*}}, %c30_i64
// CHECK: arith.muli %{{.*}}, %c-4658895280553007687_i64
// CHECK: arith.shrui %{{.*}}, %c27_i64
// CHECK: arith.muli %{{.*}}, %c-7723592293110705685_i64
// CHECK: arith.shrui %{{.*}}, %c31_i64
// CHECK: %[[BITS:.*]] = arith.shrui %{{.*}}, %c40_i64
// CHECK: %[[KEEP:.*]] = arith.cmpi uge, %[[BITS]], %c4194304_i64
// CHECK: %[[SCALED:.*]] = arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: arith.select %[[KEEP]], %[[SCALED]], %{{.*}} : f32
func.func @dropout(%x: tensor<8x3xf32>, %seed: tensor<i64>) -> tensor<8x3xf32> {
  %y = aenet.dropout %x, %seed {rate = 0.25 : f64, salt = 1 : i64} : tensor<8x3xf32>, tensor<i64>
  return %y : tensor<8x3xf32>
}

// -----

// Tests that dropout_grad builds the same mask as dropout: same key, same
// threshold (rate 0.5 of 2^53 for f64), same scale.
// CHECK-LABEL: func.func @dropout_grad
// CHECK: linalg.generic
// CHECK: arith.constant 11 : i64
// CHECK: arith.constant 4503599627370496 : i64
// CHECK: arith.cmpi uge
// CHECK: arith.constant 2.000000e+00 : f64
// CHECK: arith.select
// CHECK: linalg.generic
// CHECK: arith.constant 11 : i64
// CHECK: arith.constant 4503599627370496 : i64
// CHECK: arith.cmpi uge
// CHECK: arith.constant 2.000000e+00 : f64
// CHECK: arith.select
func.func @dropout_grad(%x: tensor<4x5xf64>, %dy: tensor<4x5xf64>, %seed: tensor<i64>) -> (tensor<4x5xf64>, tensor<4x5xf64>) {
  %y = aenet.dropout %x, %seed {rate = 0.5 : f64, salt = 0 : i64} : tensor<4x5xf64>, tensor<i64>
  %dx = aenet.dropout_grad %dy, %seed {rate = 0.5 : f64, salt = 0 : i64} : tensor<4x5xf64>, tensor<i64>
  return %y, %dx : tensor<4x5xf64>, tensor<4x5xf64>
}

// -----

// Tests that gaussian_noise draws two uniforms per element (counters 2i and
// 2i + 1), turns them normal by Box-Muller and scales them by the deviation
// it reads once from its operand.
// CHECK-LABEL: func.func @gaussian_noise
// CHECK-SAME: %[[STDDEV:[^:]*]]: tensor<f64>
// CHECK: %[[SD:.*]] = tensor.extract %[[STDDEV]][] : tensor<f64>
// CHECK: linalg.generic
// CHECK: %[[FIRST:.*]] = arith.shli
// CHECK: arith.ori %[[FIRST]]
// CHECK: arith.uitofp
// CHECK: arith.uitofp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.cos
// CHECK-NEXT: %[[Z:.*]] = arith.mulf %{{.*}}, %{{.*}} : f64
// CHECK-NEXT: %[[NOISE:.*]] = arith.mulf %[[Z]], %[[SD]] : f64
// CHECK-NEXT: arith.addf %{{.*}}, %[[NOISE]] : f64
func.func @gaussian_noise(%x: tensor<4x6xf64>, %seed: tensor<i64>, %stddev: tensor<f64>) -> tensor<4x6xf64> {
  %y = aenet.gaussian_noise %x, %seed, %stddev {salt = 2 : i64} : tensor<4x6xf64>, tensor<i64>, tensor<f64>
  return %y : tensor<4x6xf64>
}

// -----

// Tests that add and scale are elementwise generics, also on 0-d tensors.
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @add_scale
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[SCALAR]], #[[SCALAR]], #[[SCALAR]]], iterator_types = []}
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[SUM]] : tensor<f32>)
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: arith.mulf %{{.*}}, %[[HALF]]
func.func @add_scale(%a: tensor<f32>, %b: tensor<f32>) -> tensor<f32> {
  %s = aenet.add %a, %b : tensor<f32>
  %w = aenet.scale %s {factor = 5.000000e-01 : f64} : tensor<f32>
  return %w : tensor<f32>
}

// -----

// Tests that mse mean sums (p - t)^2 per sample, then over the batch, and
// multiplies by 1 / #elements.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[VEC:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @mse
// CHECK-SAME: (%[[P:.*]]: tensor<8x4xf32>, %[[T:.*]]: tensor<8x4xf32>)
// CHECK: %[[PER:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[P]], %[[T]] : tensor<8x4xf32>, tensor<8x4xf32>) outs(%{{.*}} : tensor<8xf32>)
// CHECK: %[[D:.*]] = arith.subf
// CHECK: %[[SQ:.*]] = arith.mulf %[[D]], %[[D]]
// CHECK: arith.addf %{{.*}}, %[[SQ]]
// CHECK: %[[TOT:.*]] = linalg.generic {indexing_maps = [#[[VEC]], #[[ALL]]], iterator_types = ["reduction"]}
// CHECK-SAME: ins(%[[PER]] : tensor<8xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK: %[[S:.*]] = tensor.extract %[[TOT]][] : tensor<f32>
// CHECK: %[[INV:.*]] = arith.constant 3.125000e-02 : f32
// CHECK: %[[L:.*]] = arith.mulf %[[S]], %[[INV]]
// CHECK: %[[R:.*]] = tensor.from_elements %[[L]] : tensor<f32>
// CHECK: return %[[R]]
func.func @mse(%p: tensor<8x4xf32>, %t: tensor<8x4xf32>) -> tensor<f32> {
  %l = aenet.loss mse mean %p, %t : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Tests that bce clips predictions to [1e-7, 1 - 1e-7] before the logs,
// that cce is -t log p scaled by 1 / #rows, and that a sum reduction scales
// by 1 / batch.
// CHECK-LABEL: func.func @bce_cce_sum
// CHECK: linalg.generic
// CHECK: %[[LO:.*]] = arith.constant 1.000000e-07 : f32
// CHECK: %[[C1:.*]] = arith.maximumf %{{.*}}, %[[LO]]
// CHECK: %[[HI:.*]] = arith.constant 0.99999988 : f32
// CHECK: %[[C2:.*]] = arith.minimumf %[[C1]], %[[HI]]
// CHECK: math.log %[[C2]]
// CHECK: math.log
// CHECK: arith.negf
// CHECK: arith.constant 0.0416666679 : f32
// CHECK: linalg.generic
// CHECK: arith.minimumf
// CHECK: math.log
// CHECK: arith.negf
// CHECK: arith.constant 1.250000e-01 : f32
// CHECK: linalg.generic
// CHECK: math.absf
// CHECK: arith.constant 1.250000e-01 : f32
func.func @bce_cce_sum(%p: tensor<8x3xf32>, %t: tensor<8x3xf32>) -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  %a = aenet.loss bce mean %p, %t : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<f32>
  %b = aenet.loss cce mean %p, %t : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<f32>
  %c = aenet.loss mae sum %p, %t : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<f32>
  return %a, %b, %c : tensor<f32>, tensor<f32>, tensor<f32>
}

// -----

// Tests that accuracy takes a first-maximum arg-max over the last axis of
// prediction and target in one reduction, then counts equal rows.
// CHECK-LABEL: func.func @accuracy
// CHECK: %[[R:.*]]:4 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: outs(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<8xf32>, tensor<8xi64>, tensor<8xf32>, tensor<8xi64>)
// CHECK: linalg.index 1
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf ogt
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[R]]#1, %[[R]]#3 : tensor<8xi64>, tensor<8xi64>)
// CHECK: arith.cmpi eq
// CHECK: arith.constant 1.250000e-01 : f32
func.func @accuracy(%p: tensor<8x10xf32>, %t: tensor<8x10xf32>) -> tensor<f32> {
  %a = aenet.metric accuracy %p, %t : tensor<8x10xf32>, tensor<8x10xf32> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// Tests that pixel_accuracy compares x >= 0.5 of prediction and target per
// element and that the mse metric is the mean mse loss.
// CHECK-LABEL: func.func @pixel_accuracy
// CHECK: linalg.generic
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[A:.*]] = arith.cmpf oge, %{{.*}}, %[[HALF]]
// CHECK: %[[B:.*]] = arith.cmpf oge, %{{.*}}, %[[HALF]]
// CHECK: arith.cmpi eq, %[[A]], %[[B]] : i1
// CHECK: arith.constant 0.0416666679 : f32
// CHECK: linalg.generic
// CHECK: arith.subf
// CHECK: arith.mulf
func.func @pixel_accuracy(%p: tensor<8x3xf32>, %t: tensor<8x3xf32>) -> (tensor<f32>, tensor<f32>) {
  %a = aenet.metric pixel_accuracy %p, %t : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<f32>
  %b = aenet.metric mse %p, %t : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<f32>
  return %a, %b : tensor<f32>, tensor<f32>
}

// -----

// Tests that the rmse metric is the batch's mean square error, without a
// root: the runtime takes the root of its mean over an epoch.
// CHECK-LABEL: func.func @rmse
// CHECK: linalg.generic
// CHECK: %[[D:.*]] = arith.subf
// CHECK: arith.mulf %[[D]], %[[D]]
// CHECK: arith.constant 0.0416666679 : f32
// CHECK-NOT: math.sqrt
// CHECK: return
func.func @rmse(%p: tensor<8x3xf32>, %t: tensor<8x3xf32>) -> tensor<f32> {
  %r = aenet.metric rmse %p, %t : tensor<8x3xf32>, tensor<8x3xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Tests that the mean_abs metric sums |x| over every element of the value
// alone and divides by their count (8 x 3), not by the batch.
// CHECK-LABEL: func.func @mean_abs
// CHECK-SAME: (%[[X:.*]]: tensor<8x3xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<8x3xf32>)
// CHECK: math.absf
// CHECK: arith.addf
// CHECK: arith.constant 0.0416666679 : f32
// CHECK: return
func.func @mean_abs(%x: tensor<8x3xf32>) -> tensor<f32> {
  %r = aenet.metric mean_abs %x : tensor<8x3xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Tests that the errors metric counts what accuracy does, a sequence's
// steps by their arg-max, and reports the positions that differ (4 samples
// of 5 steps: 20 less the hits) per sample, dividing once and not through
// the accuracy's share: the runtime sums it over the epoch.
// CHECK-LABEL: func.func @errors
// CHECK: %[[R:.*]]:4 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: linalg.index 2
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[R]]#1, %[[R]]#3 : tensor<4x5xi64>, tensor<4x5xi64>)
// CHECK: arith.cmpi eq
// CHECK: %[[HITS:.*]] = tensor.extract
// CHECK: %[[POSITIONS:.*]] = arith.constant 2.000000e+01 : f32
// CHECK: %[[WRONG:.*]] = arith.subf %[[POSITIONS]], %[[HITS]] : f32
// CHECK: %[[BATCH:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: %[[E:.*]] = arith.divf %[[WRONG]], %[[BATCH]] : f32
// CHECK: tensor.from_elements %[[E]]
func.func @errors(%p: tensor<4x5x7xf32>, %t: tensor<4x5x7xf32>) -> tensor<f32> {
  %e = aenet.metric errors %p, %t : tensor<4x5x7xf32>, tensor<4x5x7xf32> -> tensor<f32>
  return %e : tensor<f32>
}

// -----

// Tests that with one output unit errors compares at 0.5, as accuracy does
// there: 8 positions, one per sample.
// CHECK-LABEL: func.func @errors_one_unit
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: arith.cmpf oge, %{{.*}}, %[[HALF]]
// CHECK: %[[HITS:.*]] = tensor.extract
// CHECK: %[[POSITIONS:.*]] = arith.constant 8.000000e+00 : f32
// CHECK: %[[WRONG:.*]] = arith.subf %[[POSITIONS]], %[[HITS]] : f32
// CHECK: %[[BATCH:.*]] = arith.constant 8.000000e+00 : f32
// CHECK: arith.divf %[[WRONG]], %[[BATCH]] : f32
func.func @errors_one_unit(%p: tensor<8x1xf32>, %t: tensor<8x1xf32>) -> tensor<f32> {
  %e = aenet.metric errors %p, %t : tensor<8x1xf32>, tensor<8x1xf32> -> tensor<f32>
  return %e : tensor<f32>
}

// -----

// Tests that l1_activity sums |x| and scales by factor / batch, and that
// l2_weight sums w^2 and scales by the factor.
// CHECK-LABEL: func.func @regularizers
// CHECK: linalg.generic
// CHECK: math.absf
// CHECK: arith.constant 2.500000e-06 : f32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[W:[^:]*]]: f32
// CHECK: arith.mulf %[[W]], %[[W]]
// CHECK: arith.constant 9.99999974E-5 : f32
func.func @regularizers(%x: tensor<4x8xf32>, %w: tensor<16xf32>) -> (tensor<f32>, tensor<f32>) {
  %a = aenet.l1_activity %x {factor = 1.0e-05 : f64} : tensor<4x8xf32> -> tensor<f32>
  %b = aenet.l2_weight %w {factor = 1.0e-04 : f64} : tensor<16xf32> -> tensor<f32>
  return %a, %b : tensor<f32>, tensor<f32>
}

// -----

// Tests that dense's input gradient transposes the kernel into a plain
// matmul (a transposed B operand would vectorize into strided, mostly scalar
// code), that the kernel gradient is a matmul whose indexing_maps read the
// input transposed, and that the bias gradient reduces the rows.
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[AT:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @dense_grads
// CHECK-SAME: (%[[DY:.*]]: tensor<8x3xf32>, %[[K:.*]]: tensor<4x3xf32>, %[[X:.*]]: tensor<8x4xf32>)
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<4x3xf32>) outs(%{{.*}} : tensor<3x4xf32>) permutation = [1, 0]
// CHECK: %[[DX:.*]] = linalg.matmul ins(%[[DY]], %[[KT]] : tensor<8x3xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<8x4xf32>)
// CHECK: %[[DK:.*]] = linalg.matmul indexing_maps = [#[[AT]], #[[B]], #[[C]]] ins(%[[X]], %[[DY]] : tensor<8x4xf32>, tensor<8x3xf32>) outs(%{{.*}} : tensor<4x3xf32>)
// CHECK: %[[DB:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]]], iterator_types = ["reduction", "parallel"]}
// CHECK-SAME: ins(%[[DY]] : tensor<8x3xf32>)
// CHECK: arith.addf
// CHECK: return %[[DX]], %[[DK]], %[[DB]]
func.func @dense_grads(%dy: tensor<8x3xf32>, %k: tensor<4x3xf32>, %x: tensor<8x4xf32>) -> (tensor<8x4xf32>, tensor<4x3xf32>, tensor<3xf32>) {
  %dx = aenet.dense_grad_input %dy, %k : tensor<8x3xf32>, tensor<4x3xf32> -> tensor<8x4xf32>
  %dk = aenet.dense_grad_kernel %x, %dy : tensor<8x4xf32>, tensor<8x3xf32> -> tensor<4x3xf32>
  %db = aenet.dense_grad_bias %dy : tensor<8x3xf32> -> tensor<3xf32>
  return %dx, %dk, %db : tensor<8x4xf32>, tensor<4x3xf32>, tensor<3xf32>
}

// -----

// Tests that the gradients of dense on rank-3 tensors collapse them to
// matrices around the matmuls.
// CHECK-LABEL: func.func @dense_grads_rank3
// CHECK: %[[DY:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<2x5x3xf32> into tensor<10x3xf32>
// CHECK: %[[DX:.*]] = linalg.matmul ins(%[[DY]], %{{.*}} : tensor<10x3xf32>, tensor<3x4xf32>)
// CHECK: tensor.expand_shape %[[DX]] {{\[\[}}0, 1], [2]] output_shape [2, 5, 4]
// CHECK: %[[X:.*]] = tensor.collapse_shape %{{.*}} : tensor<2x5x4xf32> into tensor<10x4xf32>
// CHECK: %[[DY2:.*]] = tensor.collapse_shape %{{.*}} : tensor<2x5x3xf32> into tensor<10x3xf32>
// CHECK: linalg.matmul indexing_maps = {{.*}} ins(%[[X]], %[[DY2]] : tensor<10x4xf32>, tensor<10x3xf32>) outs(%{{.*}} : tensor<4x3xf32>)
func.func @dense_grads_rank3(%dy: tensor<2x5x3xf32>, %k: tensor<4x3xf32>, %x: tensor<2x5x4xf32>) -> (tensor<2x5x4xf32>, tensor<4x3xf32>) {
  %dx = aenet.dense_grad_input %dy, %k : tensor<2x5x3xf32>, tensor<4x3xf32> -> tensor<2x5x4xf32>
  %dk = aenet.dense_grad_kernel %x, %dy : tensor<2x5x4xf32>, tensor<2x5x3xf32> -> tensor<4x3xf32>
  return %dx, %dk : tensor<2x5x4xf32>, tensor<4x3xf32>
}

// -----

// Tests that activation gradients read only the output y: relu y > 0,
// sigmoid y (1 - y), tanh 1 - y^2, elu y + 1 below zero.
// CHECK-LABEL: func.func @activation_grads
// CHECK-SAME: (%[[Y:.*]]: tensor<4x3xf64>, %[[DY:.*]]: tensor<4x3xf64>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[Y]], %[[DY]] : tensor<4x3xf64>, tensor<4x3xf64>)
// CHECK: ^bb0(%[[Y0:.*]]: f64, %[[D0:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[P0:.*]] = arith.cmpf ogt, %[[Y0]]
// CHECK: arith.select %[[P0]], %[[D0]]
// CHECK: linalg.generic
// CHECK: ^bb0(%[[Y1:.*]]: f64, %[[D1:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[OM:.*]] = arith.subf %{{.*}}, %[[Y1]]
// CHECK: %[[YY:.*]] = arith.mulf %[[Y1]], %[[OM]]
// CHECK: arith.mulf %[[D1]], %[[YY]]
// CHECK: linalg.generic
// CHECK: ^bb0(%[[Y2:.*]]: f64, %[[D2:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[SQ:.*]] = arith.mulf %[[Y2]], %[[Y2]]
// CHECK: %[[OMS:.*]] = arith.subf %{{.*}}, %[[SQ]]
// CHECK: arith.mulf %[[D2]], %[[OMS]]
// CHECK: linalg.generic
// CHECK: ^bb0(%[[Y3:.*]]: f64, %[[D3:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[YP1:.*]] = arith.addf %[[Y3]]
// CHECK: arith.mulf %[[D3]], %[[YP1]]
// CHECK: arith.select
func.func @activation_grads(%y: tensor<4x3xf64>, %dy: tensor<4x3xf64>) -> (tensor<4x3xf64>, tensor<4x3xf64>, tensor<4x3xf64>, tensor<4x3xf64>) {
  %0 = aenet.activation_grad relu %y, %dy : tensor<4x3xf64>
  %1 = aenet.activation_grad sigmoid %y, %dy : tensor<4x3xf64>
  %2 = aenet.activation_grad tanh %y, %dy : tensor<4x3xf64>
  %3 = aenet.activation_grad elu %y, %dy : tensor<4x3xf64>
  return %0, %1, %2, %3 : tensor<4x3xf64>, tensor<4x3xf64>, tensor<4x3xf64>, tensor<4x3xf64>
}

// -----

// Tests that softmax's gradient reduces sum(dy y) per row and broadcasts it
// back: y (dy - sum).
// CHECK-LABEL: func.func @softmax_grad
// CHECK-SAME: (%[[Y:.*]]: tensor<8x10xf32>, %[[DY:.*]]: tensor<8x10xf32>)
// CHECK: %[[DOT:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: ins(%[[Y]], %[[DY]] : tensor<8x10xf32>, tensor<8x10xf32>) outs(%{{.*}} : tensor<8xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[Y]], %[[DY]], %[[DOT]] : tensor<8x10xf32>, tensor<8x10xf32>, tensor<8xf32>)
// CHECK: ^bb0(%[[YS:.*]]: f32, %[[DS:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[DIFF:.*]] = arith.subf %[[DS]], %[[S]]
// CHECK: arith.mulf %[[YS]], %[[DIFF]]
func.func @softmax_grad(%y: tensor<8x10xf32>, %dy: tensor<8x10xf32>) -> tensor<8x10xf32> {
  %dx = aenet.activation_grad softmax %y, %dy : tensor<8x10xf32>
  return %dx : tensor<8x10xf32>
}

// -----

// Tests that loss_grad scales the loss term's derivative by dL / #elements
// computed once outside the generic, and that bce's gradient is zero where
// the prediction is clipped.
// CHECK-LABEL: func.func @loss_grads
// CHECK-SAME: (%[[P:.*]]: tensor<8x3xf32>, %[[T:.*]]: tensor<8x3xf32>, %[[DL:.*]]: tensor<f32>)
// CHECK: %[[G:.*]] = tensor.extract %[[DL]][] : tensor<f32>
// CHECK: %[[SCALE:.*]] = arith.mulf %[[G]], %{{.*}} : f32
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[P]], %[[T]] : tensor<8x3xf32>, tensor<8x3xf32>)
// CHECK: %[[DIFF:.*]] = arith.subf
// CHECK: %[[TWICE:.*]] = arith.mulf %{{.*}}, %[[DIFF]]
// CHECK: arith.mulf %[[TWICE]], %[[SCALE]]
// CHECK: %[[G2:.*]] = tensor.extract %[[DL]][] : tensor<f32>
// CHECK: %[[SCALE2:.*]] = arith.mulf %[[G2]], %{{.*}} : f32
// CHECK: linalg.generic
// CHECK: %[[Q:.*]] = arith.divf
// CHECK: %[[ABOVE:.*]] = arith.cmpf oge
// CHECK: %[[BELOW:.*]] = arith.cmpf ole
// CHECK: %[[IN:.*]] = arith.andi %[[ABOVE]], %[[BELOW]] : i1
// CHECK: %[[M:.*]] = arith.select %[[IN]], %[[Q]], %{{.*}}
// CHECK: arith.mulf %[[M]], %[[SCALE2]]
func.func @loss_grads(%p: tensor<8x3xf32>, %t: tensor<8x3xf32>, %dl: tensor<f32>) -> (tensor<8x3xf32>, tensor<8x3xf32>) {
  %a = aenet.loss_grad mse mean %p, %t, %dl : tensor<8x3xf32>, tensor<8x3xf32>, tensor<f32>
  %b = aenet.loss_grad bce mean %p, %t, %dl : tensor<8x3xf32>, tensor<8x3xf32>, tensor<f32>
  return %a, %b : tensor<8x3xf32>, tensor<8x3xf32>
}

// -----

// Tests that the regularizer gradients are sign(x) * factor / batch * dL
// and 2 * factor * w * dL.
// CHECK-LABEL: func.func @regularizer_grads
// CHECK: tensor.extract
// CHECK: arith.constant 2.500000e-06 : f32
// CHECK: linalg.generic
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf olt
// CHECK: arith.select
// CHECK: arith.select
// CHECK: tensor.extract
// CHECK: arith.constant 2.000000e-04 : f32
// CHECK: linalg.generic
// CHECK: arith.mulf
func.func @regularizer_grads(%x: tensor<4x8xf32>, %w: tensor<16xf32>, %dl: tensor<f32>) -> (tensor<4x8xf32>, tensor<16xf32>) {
  %a = aenet.l1_activity_grad %x, %dl {factor = 1.0e-05 : f64} : tensor<4x8xf32>, tensor<f32>
  %b = aenet.l2_weight_grad %w, %dl {factor = 1.0e-04 : f64} : tensor<16xf32>, tensor<f32>
  return %a, %b : tensor<4x8xf32>, tensor<16xf32>
}

// -----

// Tests that SGD and momentum updates are one generic each, momentum with
// two results (parameter, velocity), and that both read the learning rate
// from its scalar operand (no constant).
// CHECK-LABEL: func.func @sgd_momentum
// CHECK-SAME: %[[LR:[^:]*]]: tensor<f32>)
// CHECK: %[[RATE:.*]] = tensor.extract %[[LR]][] : tensor<f32>
// CHECK: linalg.generic
// CHECK: arith.mulf %[[RATE]]
// CHECK: arith.subf
// CHECK: %[[M:.*]]:2 = linalg.generic
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<16xf32>, tensor<16xf32>)
// CHECK: %[[V:.*]] = arith.subf
// CHECK: %[[P:.*]] = arith.addf %{{.*}}, %[[V]]
// CHECK: linalg.yield %[[P]], %[[V]]
// CHECK: return %{{.*}}, %[[M]]#0, %[[M]]#1
func.func @sgd_momentum(%p: tensor<16xf32>, %g: tensor<16xf32>, %v: tensor<16xf32>, %lr: tensor<f32>) -> (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) {
  %0 = aenet.sgd_update %p, %g, %lr : (tensor<16xf32>, tensor<16xf32>, tensor<f32>) -> tensor<16xf32>
  %1, %2 = aenet.momentum_update %p, %g, %v, %lr {momentum = 0.9 : f64, nesterov = false} : (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<f32>) -> (tensor<16xf32>, tensor<16xf32>)
  return %0, %1, %2 : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
}

// -----

// Tests that Adam computes lr_t = lr sqrt(1 - b2^t) / (1 - b1^t) once from
// the step scalar and updates parameter and moments in one generic.
// CHECK-LABEL: func.func @adam
// CHECK-SAME: %[[STEP:[^:]*]]: tensor<f32>, %[[LR:[^:]*]]: tensor<f32>)
// CHECK: %[[T:.*]] = tensor.extract %[[STEP]][] : tensor<f32>
// CHECK: %[[B1T:.*]] = math.powf %{{.*}}, %[[T]] : f32
// CHECK: %[[D1:.*]] = arith.subf %{{.*}}, %[[B1T]]
// CHECK: %[[B2T:.*]] = math.powf %{{.*}}, %[[T]] : f32
// CHECK: %[[D2:.*]] = arith.subf %{{.*}}, %[[B2T]]
// CHECK: %[[SQ:.*]] = math.sqrt %[[D2]]
// CHECK: %[[RATE:.*]] = tensor.extract %[[LR]][] : tensor<f32>
// CHECK: %[[NUM:.*]] = arith.mulf %[[RATE]], %[[SQ]]
// CHECK: %[[LRT:.*]] = arith.divf %[[NUM]], %[[D1]]
// CHECK: %[[R:.*]]:3 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>)
// CHECK: %[[M:.*]] = arith.addf
// CHECK: %[[V:.*]] = arith.addf
// CHECK: %[[ROOT:.*]] = math.sqrt %[[V]]
// CHECK: %[[DEN:.*]] = arith.addf %[[ROOT]]
// CHECK: %[[STEPM:.*]] = arith.mulf %[[LRT]], %[[M]]
// CHECK: %[[UPD:.*]] = arith.divf %[[STEPM]], %[[DEN]]
// CHECK: %[[P:.*]] = arith.subf %{{.*}}, %[[UPD]]
// CHECK: linalg.yield %[[P]], %[[M]], %[[V]]
func.func @adam(%p: tensor<4x3xf32>, %g: tensor<4x3xf32>, %m: tensor<4x3xf32>, %v: tensor<4x3xf32>, %t: tensor<f32>, %lr: tensor<f32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %0, %1, %2 = aenet.adam_update %p, %g, %m, %v, %t, %lr {beta1 = 0.9 : f64, beta2 = 0.999 : f64, epsilon = 1.0e-7 : f64} : (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<f32>, tensor<f32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>)
  return %0, %1, %2 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// Tests that RMSProp with a momentum buffer yields three results, and
// Adagrad and Adadelta two and three, each from one generic.
// CHECK-LABEL: func.func @rmsprop_adagrad_adadelta
// CHECK: %[[R:.*]]:3 = linalg.generic
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: %[[A:.*]]:2 = linalg.generic
// CHECK: math.sqrt
// CHECK: %[[D:.*]]:3 = linalg.generic
// CHECK: math.sqrt
// CHECK: math.sqrt
// CHECK: return %[[R]]#0, %[[R]]#1, %[[R]]#2, %[[A]]#0, %[[A]]#1, %[[D]]#0, %[[D]]#1, %[[D]]#2
func.func @rmsprop_adagrad_adadelta(%p: tensor<4xf64>, %g: tensor<4xf64>, %s1: tensor<4xf64>, %s2: tensor<4xf64>, %lr: tensor<f64>) -> (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>) {
  %0, %1, %2 = aenet.rmsprop_update %p, %g, %s1, %s2, %lr {rho = 0.9 : f64, momentum = 0.5 : f64, epsilon = 1.0e-7 : f64} : (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<f64>) -> (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>)
  %3, %4 = aenet.adagrad_update %p, %g, %s1, %lr {epsilon = 1.0e-7 : f64} : (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<f64>) -> (tensor<4xf64>, tensor<4xf64>)
  %5, %6, %7 = aenet.adadelta_update %p, %g, %s1, %s2, %lr {rho = 0.95 : f64, epsilon = 1.0e-7 : f64} : (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<f64>) -> (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>)
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>
}

// -----

// Tests that clip_by_value clamps each element and that clip_by_norm reduces
// the squared norm, then scales by max_norm / norm only when norm exceeds it.
// CHECK-LABEL: func.func @clipping
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: %[[PER:.*]] = linalg.generic
// CHECK: arith.mulf
// CHECK: %[[TOT:.*]] = linalg.generic
// CHECK-SAME: ins(%[[PER]]
// CHECK: %[[SQ:.*]] = tensor.extract %[[TOT]][]
// CHECK: %[[NORM:.*]] = math.sqrt %[[SQ]]
// CHECK: %[[MAX:.*]] = arith.constant 5.000000e+00 : f32
// CHECK: %[[OVER:.*]] = arith.cmpf ogt, %[[NORM]], %[[MAX]]
// CHECK: %[[RATIO:.*]] = arith.divf %[[MAX]], %[[NORM]]
// CHECK: %[[F:.*]] = arith.select %[[OVER]], %[[RATIO]], %{{.*}}
// CHECK: linalg.generic
// CHECK: arith.mulf %{{.*}}, %[[F]]
func.func @clipping(%g: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %a = aenet.clip_by_value %g {limit = 0.5 : f64} : tensor<4x8xf32>
  %b = aenet.clip_by_norm %g {max_norm = 5.0 : f64} : tensor<4x8xf32>
  return %a, %b : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Tests that a whole train_step (dense, relu, dropout, sigmoid, mse, L1,
// their gradients, Adam) lowers with no aenet op left.
// CHECK-LABEL: func.func @train_step
// CHECK-NOT: aenet.
// CHECK-COUNT-2: linalg.matmul ins
// CHECK: linalg.matmul indexing_maps
// CHECK-NOT: aenet.
// CHECK: return
func.func @train_step(%x: tensor<8x4xf32>, %w: tensor<4x3xf32>, %b: tensor<3xf32>, %w2: tensor<3x4xf32>, %seed: tensor<i64>, %m: tensor<4x3xf32>, %v: tensor<4x3xf32>, %step: tensor<f32>, %lr: tensor<f32>) -> (tensor<f32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %0 = aenet.dense %x, %w, %b : (tensor<8x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<8x3xf32>
  %1 = aenet.activation relu %0 : tensor<8x3xf32>
  %2 = aenet.dropout %1, %seed {rate = 5.000000e-01 : f64, salt = 1 : i64} : tensor<8x3xf32>, tensor<i64>
  %3 = aenet.dense %2, %w2 : (tensor<8x3xf32>, tensor<3x4xf32>) -> tensor<8x4xf32>
  %4 = aenet.activation sigmoid %3 : tensor<8x4xf32>
  %5 = aenet.loss mse mean %4, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
  %6 = aenet.l1_activity %1 {factor = 1.000000e-05 : f64} : tensor<8x3xf32> -> tensor<f32>
  %7 = aenet.add %5, %6 : tensor<f32>
  %cst = arith.constant dense<1.000000e+00> : tensor<f32>
  %8 = aenet.l1_activity_grad %1, %cst {factor = 1.000000e-05 : f64} : tensor<8x3xf32>, tensor<f32>
  %9 = aenet.loss_grad mse mean %4, %x, %cst : tensor<8x4xf32>, tensor<8x4xf32>, tensor<f32>
  %10 = aenet.activation_grad sigmoid %4, %9 : tensor<8x4xf32>
  %11 = aenet.dense_grad_input %10, %w2 : tensor<8x4xf32>, tensor<3x4xf32> -> tensor<8x3xf32>
  %13 = aenet.dropout_grad %11, %seed {rate = 5.000000e-01 : f64, salt = 1 : i64} : tensor<8x3xf32>, tensor<i64>
  %14 = aenet.add %8, %13 : tensor<8x3xf32>
  %15 = aenet.activation_grad relu %1, %14 : tensor<8x3xf32>
  %16 = aenet.dense_grad_kernel %x, %15 : tensor<8x4xf32>, tensor<8x3xf32> -> tensor<4x3xf32>
  %p, %nm, %nv = aenet.adam_update %w, %16, %m, %v, %step, %lr {beta1 = 9.000000e-01 : f64, beta2 = 0.999 : f64, epsilon = 1.0e-7 : f64} : (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<f32>, tensor<f32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>)
  return %7, %p, %nm, %nv : tensor<f32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}
