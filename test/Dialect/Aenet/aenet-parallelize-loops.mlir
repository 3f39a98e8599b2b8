// RUN: aenet-opt %s -split-input-file \
// RUN:   -aenet-parallelize-loops="threads=2 min-iterations=65536" \
// RUN:   | FileCheck %s
// RUN: aenet-opt %s -split-input-file \
// RUN:   -aenet-parallelize-loops="threads=1 min-iterations=65536" \
// RUN:   | FileCheck %s --check-prefix=SERIAL

// Tests that an elementwise op of 256 x 784 = 200,704 iterations becomes an
// scf.parallel over 2 chunks of 128 rows each, around the serial loops of
// the op's body; with one thread it stays a linalg op.
// CHECK-LABEL: func.func @large_elementwise
// CHECK-NOT: linalg.generic
// CHECK: scf.parallel (%[[CHUNK:.*]]) = (%c0{{.*}}) to (%c2{{.*}}) step (%c1{{.*}})
// CHECK: %[[OFF:.*]] = arith.muli %[[CHUNK]], %c128{{.*}} : index
// CHECK: %[[LO:.*]] = arith.addi %{{.*}}, %[[OFF]] : index
// CHECK: %[[END:.*]] = arith.addi %[[LO]], %{{.*}} : index
// CHECK: %[[HI:.*]] = arith.minsi %[[END]], %{{.*}} : index
// CHECK: scf.for %[[I:.*]] = %[[LO]] to %[[HI]] step %{{.*}} {
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: memref.load %{{.*}}[%{{.*}}, %{{.*}}] : memref<256x784xf32>
// CHECK: arith.mulf
// CHECK: memref.store
// CHECK: scf.reduce
// SERIAL-LABEL: func.func @large_elementwise
// SERIAL-NOT: scf.parallel
// SERIAL: linalg.generic
func.func @large_elementwise(%a: memref<256x784xf32>, %b: memref<256x784xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,
                                   affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<256x784xf32>) outs(%b : memref<256x784xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Tests that an op below min-iterations (a bias vector of 784) stays a
// linalg op, left to convert-linalg-to-loops: a fork and join would cost
// more than the loop.
// CHECK-LABEL: func.func @small_elementwise
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
func.func @small_elementwise(%a: memref<784xf32>, %b: memref<784xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>,
                                   affine_map<(i) -> (i)>],
                  iterator_types = ["parallel"]}
      ins(%a : memref<784xf32>) outs(%b : memref<784xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Tests that a row reduction (a loss's per-sample sums) is split over its
// parallel rows only: each sum still runs over its whole row in one thread,
// in the serial order, inside the chunk's loop.
// CHECK-LABEL: func.func @row_sums
// CHECK: scf.parallel
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK: memref.load %{{.*}}[%{{.*}}] : memref<256xf32>
// CHECK: arith.addf
// CHECK: memref.store %{{.*}}, %{{.*}}[%{{.*}}] : memref<256xf32>
func.func @row_sums(%a: memref<256x784xf32>, %s: memref<256xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,
                                   affine_map<(i, j) -> (i)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<256x784xf32>) outs(%s : memref<256xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %t = arith.addf %acc, %x : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// Tests that an op whose outermost loop is a reduction (a bias gradient
// summing over the batch) stays serial however large: splitting its inner
// loop would fork once per row.
// CHECK-LABEL: func.func @column_sums
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
func.func @column_sums(%a: memref<256x784xf32>, %s: memref<784xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,
                                   affine_map<(i, j) -> (j)>],
                  iterator_types = ["reduction", "parallel"]}
      ins(%a : memref<256x784xf32>) outs(%s : memref<784xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %t = arith.addf %acc, %x : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// Tests that a tile loop marked by aenet-vectorize-matmuls is split when its
// matmul is large (an uneven 3 x 2 split of 5 row tiles: the last chunk's
// upper bound is clamped to 40), and only unmarked when it is small; the
// mark never outlives the pass.
// CHECK-LABEL: func.func @marked_loops
// CHECK-NOT: aenet.parallel_iterations
// CHECK: scf.parallel
// CHECK: arith.muli %{{.*}}, %[[SPAN:.*]] : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C8:.*]] {
// CHECK: memref.store %{{.*}}, %{{.*}}[%{{.*}}] : memref<40xf32>
// CHECK: scf.reduce
// CHECK-NOT: scf.parallel
// CHECK: scf.for
// CHECK: memref.store %{{.*}}, %{{.*}}[%{{.*}}] : memref<16xf32>
// CHECK-NOT: aenet.parallel_iterations
// SERIAL-LABEL: func.func @marked_loops
// SERIAL-NOT: scf.parallel
// SERIAL-NOT: aenet.parallel_iterations
func.func @marked_loops(%a: memref<40xf32>, %b: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c40 = arith.constant 40 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c40 step %c8 {
    memref.store %one, %a[%i] : memref<40xf32>
  } {aenet.parallel_iterations = 1000000 : i64}
  scf.for %i = %c0 to %c16 step %c8 {
    memref.store %one, %b[%i] : memref<16xf32>
  } {aenet.parallel_iterations = 1000 : i64}
  return
}

// -----

// Tests that in a data-parallel module, whose grad_step the runtime already
// runs once per core on slices of a batch, only apply_step's large ops are
// split.
// CHECK-LABEL: func.func @grad_step
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
// CHECK-LABEL: func.func @apply_step
// CHECK-NOT: linalg.generic
// CHECK: scf.parallel
// SERIAL-LABEL: func.func @grad_step
// SERIAL: linalg.generic
// SERIAL-LABEL: func.func @apply_step
// SERIAL: linalg.generic
module attributes {aenet.data_parallel} {
func.func @grad_step(%a: memref<256x784xf32>, %b: memref<256x784xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,
                                   affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<256x784xf32>) outs(%b : memref<256x784xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  }
  return
}
func.func @apply_step(%a: memref<256x784xf32>, %b: memref<256x784xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,
                                   affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<256x784xf32>) outs(%b : memref<256x784xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  }
  return
}
}
