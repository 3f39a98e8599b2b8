// RUN: aenet-opt %s -aenet-parallelize-loops="threads=2 min-iterations=65536" \
// RUN:   | FileCheck %s

// Tests that in a module marked aenet.single_threaded (an exported library,
// which has no async runtime) an op large enough to split on two threads
// stays one linalg op, to run on the calling thread.
// CHECK: module attributes {aenet.single_threaded}
// CHECK-LABEL: func.func @large_elementwise
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
// CHECK-NOT: scf.parallel
module attributes {aenet.single_threaded} {
func.func @large_elementwise(%a: memref<256x784xf32>, %b: memref<256x784xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,
                                   affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<256x784xf32>) outs(%b : memref<256x784xf32>) {
  ^bb0(%x: f32, %y: f32):
    %r = arith.mulf %x, %x : f32
    linalg.yield %r : f32
  }
  return
}
}
