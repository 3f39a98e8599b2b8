//===- Passes.td - Transformations of the aenet dialect ----*- tablegen -*-===//
//
// Passes that rewrite aenet IR into aenet IR.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_TRANSFORMS_PASSES
#define AENET_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def AenetAutodiff : Pass<"aenet-autodiff", "::mlir::ModuleOp"> {
  let summary = "Replaces the function to differentiate by train_step, which "
                "also returns the gradient of every trainable parameter.";
  let description = [{
    For the function marked `aenet.differentiate`, whose first result is the
    total loss, walks the ops backwards and asks each one, through
    `GradientOpInterface`, for the gradients of its operands; gradients of a
    value used twice are summed. The function is replaced by `train_step`:
    the same arguments, body and results, followed by the gradient of each
    trainable parameter (an argument with `aenet.param` and without
    `aenet.frozen`) that the loss depends on, marked `aenet.gradient` with the
    parameter's name. The function's `aenet.optimizer` is carried over for
    aenet-apply-optimizer, which turns the gradients into updates.

    Before:
    ```mlir
    func.func @train_loss(%x: tensor<8x4xf32> {aenet.input = "x"},
                          %w: tensor<4x4xf32> {aenet.param = "dense.kernel"})
        -> (tensor<f32> {aenet.name = "loss"})
        attributes {aenet.differentiate,
                    aenet.optimizer = #aenet.optimizer<sgd, lr = 1.000000e-02, momentum = 0.000000e+00, nesterov = false>} {
      %y = aenet.dense %x, %w : (tensor<8x4xf32>, tensor<4x4xf32>) -> tensor<8x4xf32>
      %l = aenet.loss mse mean %y, %x : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<f32>
      return %l : tensor<f32>
    }
    ```
    After:
    ```mlir
    func.func @train_step(%x: tensor<8x4xf32> {aenet.input = "x"},
                          %w: tensor<4x4xf32> {aenet.param = "dense.kernel"})
        -> (tensor<f32> {aenet.name = "loss"},
            tensor<4x4xf32> {aenet.gradient = "dense.kernel"})
        attributes {aenet.optimizer = #aenet.optimizer<sgd, ...>} {
      %y = aenet.dense %x, %w ...
      %l = aenet.loss mse mean %y, %x ...
      %one = arith.constant dense<1.0> : tensor<f32>
      %dy = aenet.loss_grad mse mean %y, %x, %one ...
      %dw = aenet.dense_grad_kernel %x, %dy ...
      return %l, %dw : tensor<f32>, tensor<4x4xf32>
    }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect"];
}

def AenetApplyOptimizer : Pass<"aenet-apply-optimizer", "::mlir::ModuleOp"> {
  let summary = "Replaces the gradients a function returns by the optimizer "
                "updates of their parameters, with the optimizer's state as "
                "new arguments and results.";
  let description = [{
    In every function with results marked `aenet.gradient`, reads the
    function's `#aenet.optimizer` (every hyperparameter is there: the
    compiler applies no defaults) and, for each trainable parameter, clips
    its gradient (`clip_value`, then `clip_norm`) and emits the update op of
    the optimizer's kind. The optimizer's state tensors of each parameter
    become arguments marked `aenet.state` (with the value they start from,
    `aenet.state_init`), followed by the step count (`aenet.step`) and the
    learning rate (`aenet.learning_rate`, marked with the attribute's rate):
    an argument, not a constant, so that one compiled program trains at any
    rate, the one its caller passes. The gradient results are replaced by the
    updated parameter (`aenet.param`) and states of each trainable parameter.
    A trainable parameter without a gradient is returned unchanged, with its
    states, as Keras does. The function's `aenet.optimizer` is removed: the
    updates and the learning-rate argument carry it.

    In a module marked `aenet.data_parallel`, whose steps the runtime runs
    one per core on slices of a batch, `train_step` is split instead: it
    becomes `grad_step`, which keeps returning its gradients (the runtime
    sums them over the slices), and a new `apply_step` takes each trainable
    parameter with its gradient (`aenet.gradient` arguments) and is rewritten
    as above.

    Before:
    ```mlir
    func.func @train_step(%w: tensor<4x4xf32> {aenet.param = "k"}, ...)
        -> (tensor<f32> {aenet.name = "loss"},
            tensor<4x4xf32> {aenet.gradient = "k"})
        attributes {aenet.optimizer = #aenet.optimizer<adam, lr = 1.000000e-03, beta1 = 9.000000e-01, beta2 = 9.990000e-01, epsilon = 1.000000e-07>} {
      ...
      return %l, %dw : tensor<f32>, tensor<4x4xf32>
    }
    ```
    After:
    ```mlir
    func.func @train_step(%w: tensor<4x4xf32> {aenet.param = "k"}, ...,
                          %m: tensor<4x4xf32> {aenet.state = "k/m", aenet.state_init = 0.0 : f64},
                          %v: tensor<4x4xf32> {aenet.state = "k/v", aenet.state_init = 0.0 : f64},
                          %t: tensor<f32> {aenet.step},
                          %lr: tensor<f32> {aenet.learning_rate = 1.000000e-03 : f64})
        -> (tensor<f32> {aenet.name = "loss"}, tensor<4x4xf32> {aenet.param = "k"},
            tensor<4x4xf32> {aenet.state = "k/m", ...}, tensor<4x4xf32> {aenet.state = "k/v", ...}) {
      ...
      %w1, %m1, %v1 = aenet.adam_update %w, %dw, %m, %v, %t, %lr {...} ...
      return %l, %w1, %m1, %v1 : ...
    }
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def AenetBindBuffers : Pass<"aenet-bind-buffers", "::mlir::ModuleOp"> {
  let summary = "Rewrites the entry functions to read and write buffers the "
                "runtime owns, updating parameters and optimizer state in "
                "place.";
  let description = [{
    Every tensor argument becomes a memref argument, read through
    `bufferization.to_tensor restrict writable`. A result tied to an argument
    by its `aenet.param` or `aenet.state` name is written back into that
    argument's buffer with `bufferization.materialize_in_destination`; 0-d
    results (losses, metrics) are packed into one new `aenet.scalars` memref,
    with their `aenet.finish` in `aenet.scalar_finishes` when one is not the
    mean (rmse: `"sqrt_mean"`, errors: `"total"`); any other result gets a
    new `aenet.output` memref argument. Functions return nothing and get a C
    interface, so the runtime binds each buffer by name once and calls the
    function per batch.

    In a module marked `aenet.exchanged_gradients`, grad_step's gradients
    (results marked `aenet.gradient`) are copied to their buffers as soon as
    each is computed, each followed by
    `func.call @aenet_gradient_ready(%i)`, its place among the gradients:
    the runtime's signal to start summing it over the processes of an
    mpirun job while the backward pass goes on.

    Before:
    ```mlir
    func.func @train_step(%x: tensor<8x4xf32> {aenet.input = "x"},
                          %w: tensor<4x4xf32> {aenet.param = "k"}, ...)
        -> (tensor<f32> {aenet.name = "loss"}, tensor<4x4xf32> {aenet.param = "k"})
    ```
    After:
    ```mlir
    func.func @train_step(%x: memref<8x4xf32> {aenet.input = "x"},
                          %w: memref<4x4xf32> {aenet.param = "k"}, ...,
                          %scalars: memref<1xf32> {aenet.scalars = ["loss"]})
        attributes {llvm.emit_c_interface} {
      %xt = bufferization.to_tensor %x restrict writable : memref<8x4xf32> to tensor<8x4xf32>
      ...
      bufferization.materialize_in_destination %w2 in restrict writable %w : (tensor<4x4xf32>, memref<4x4xf32>) -> ()
      return
    }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AenetVectorizeMatmuls : Pass<"aenet-vectorize-matmuls", "::mlir::ModuleOp"> {
  let summary = "Tiles every linalg.matmul on buffers into register blocks "
                "and vectorizes them into outer-product FMAs.";
  let description = [{
    Runs a transform-dialect schedule on each bufferized `linalg.matmul`:
    tile (M, N, K) by (8, 32, 1), or the largest powers of two below that
    divide the matmul's dimensions (784 columns take 16); vectorize the tile;
    fold subviews (MLIR's alias folds but the one that loops forever in
    LLVM 22, see foldAliasesAndCanonicalize) and hoist loop invariants so
    the accumulator block stays in registers across K; lower contractions to outer products. The lowering
    steps also run without matmuls, for the vector ops aenet-vectorize-convs
    made. Other linalg ops are left to loops and LLVM's vectorizer.

    Before:
    ```mlir
    linalg.matmul ins(%a, %b : memref<256x784xf32>, memref<784x64xf32>)
                  outs(%c : memref<256x64xf32>)
    ```
    After (sketch): `scf.for` over M by 8 and N by 32 around an `scf.for`
    over K whose body is 8 vector FMAs of `vector<32xf32>`, with the 8
    accumulator rows loaded before and stored after the K loop.
  }];
  let dependentDialects = ["::mlir::transform::TransformDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect"];
}

def AenetVectorizeConvs : Pass<"aenet-vectorize-convs", "::mlir::ModuleOp"> {
  let summary = "Tiles every linalg.conv_2d_nchw_fchw on tensors into rows "
                "and vectorizes them as 1-D convolutions.";
  let description = [{
    Runs a transform-dialect schedule on each `linalg.conv_2d_nchw_fchw` of
    static shape, before bufferization (the decomposition into 1-D
    convolutions works on tensors only): tile (N, F, OH, OW, C, KH) by
    (1, 8, 1, OW, 8, 1), or the largest divisors below that (the vectorizer
    takes only tiles that divide the op), and a whole output row when it
    has at most 32 columns; decompose each tile, whose window is one row, into
    `linalg.conv_1d_ncw_fcw`; vectorize that into one `vector.contract` per
    kernel column, over 8 channels into 8 filters. aenet-vectorize-matmuls
    later lowers the contractions to FMAs. Without it the convolutions run
    as scalar loops.

    Before:
    ```mlir
    %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>,
                                   strides = dense<1> : tensor<2xi64>}
        ins(%x, %k : tensor<128x16x16x16xf32>, tensor<8x16x3x3xf32>)
        outs(%init : tensor<128x8x14x14xf32>) -> tensor<128x8x14x14xf32>
    ```
    After (sketch): `scf.for` over N, OH, C by 8 and KH around vector reads
    of an input row [8 channels x 16 columns] and the kernel row, three
    `vector.contract` ops into a [14 columns x 8 filters] accumulator, and
    its write back into the output row.
  }];
  let dependentDialects = ["::mlir::transform::TransformDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AenetApproximateMath : Pass<"aenet-approximate-math"> {
  let summary = "Replaces f32 transcendental math ops (exp, log, tanh, ...) "
                "by polynomial approximations that vectorize.";
  let description = [{
    LLVM lowers `math.exp` to a scalar `expf` call, which stops the loop
    vectorizer; sigmoid, softmax, tanh and the cross-entropies all use it. The
    upstream polynomial approximations (within a few ulp for f32) are plain
    arithmetic and vectorize. f64 ops keep libm's precision, which gradient
    checks in f64 rely on.

    Before:
    ```mlir
    %e = math.exp %x : f32
    ```
    After: `arith` ops (range reduction, a polynomial, an exponent bit-cast).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def AenetParallelizeLoops : Pass<"aenet-parallelize-loops",
                                  "::mlir::func::FuncOp"> {
  let summary = "Splits the outermost parallel loop of each large bufferized "
                "linalg op, and each tile loop the vectorizers marked, into "
                "one chunk per core.";
  let description = [{
    A linalg op whose first loop is parallel and whose iteration space holds
    at least `min-iterations` points is lowered to `scf.for` loops here, and
    the outermost loop becomes an `scf.parallel` over `threads` chunks, each
    running a contiguous slice of the original loop. The `scf.for` tile loops
    that aenet-vectorize-matmuls and aenet-vectorize-convs mark with
    `aenet.parallel_iterations` (over rows of output tiles, or over the
    batch: disjoint writes) are split the same way when their op is large
    enough. `async-parallel-for` then runs the chunks
    on MLIR's async runtime. Smaller ops are left for
    `convert-linalg-to-loops`: a fork and join costs more than they do.

    Only parallel dimensions are split, and every output element is still
    reduced in the same order by one thread, so results are bit for bit the
    serial ones.

    In a module marked `aenet.data_parallel`, the runtime already runs each
    function but `apply_step` once per core on a slice of the batch: only
    `apply_step`'s loops are split.
    In a module marked `aenet.single_threaded` (an exported library, which
    has no async runtime to run chunks on), nothing is split.

    Before (`threads=2`):
    ```mlir
    linalg.generic {iterator_types = ["parallel", "parallel"]}
        ins(%a : memref<256x784xf32>) outs(%b : memref<256x784xf32>) {...}
    ```
    After:
    ```mlir
    scf.parallel (%c) = (%c0) to (%c2) step (%c1) {
      %lo = ... %c * 128 ...
      %hi = arith.minsi ..., %c256 : index
      scf.for %i = %lo to %hi step %c1 {
        scf.for %j = %c0 to %c784 step %c1 {...}
      }
    }
    ```
  }];
  let options = [
    Option<"minIterations", "min-iterations", "int64_t", /*default=*/"65536",
           "Iterations (points of the loop nest, reductions included) an op "
           "needs to be split across threads.">,
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Chunks per split loop; 0 takes the host's hardware threads (as "
           "the async runtime's pool does), 1 leaves every loop serial.">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect"];
}

#endif // AENET_TRANSFORMS_PASSES
