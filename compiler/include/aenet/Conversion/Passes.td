//===- Passes.td - Conversions out of the aenet dialect ----*- tablegen -*-===//
//
// Passes that lower aenet ops into upstream dialects.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_CONVERSION_PASSES
#define AENET_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def AenetLowerToLinalg : Pass<"aenet-lower-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Rewrites every aenet op into linalg, tensor, arith and math "
                "ops on tensors.";
  let description = [{
    Each aenet op (layers, losses, metrics, regularizers, the gradient ops of
    aenet-autodiff and the optimizer updates) becomes destination-style
    tensor code for the f32 or f64 element type it has: matrix products are
    `linalg.matmul` (x^T through its `indexing_maps`, kernel^T through a
    `linalg.transpose` of the small kernel),
    elementwise and broadcast work is one `linalg.generic` per op, and
    reductions are `linalg.generic`s with reduction iterators into 0-d or
    row tensors. Dropout masks and Gaussian noise come from a counter-based
    hash of (seed, salt, element index) computed inside the generic, so the
    gradient recomputes the forward mask. No aenet op is left.

    Before:
    ```mlir
    %h = aenet.dense %x, %w, %b
        : (tensor<8x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<8x3xf32>
    %y = aenet.activation relu %h : tensor<8x3xf32>
    ```
    After:
    ```mlir
    %zero = arith.constant 0.000000e+00 : f32
    %e = tensor.empty() : tensor<8x3xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<8x3xf32>)
        -> tensor<8x3xf32>
    %mm = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x3xf32>)
                        outs(%z : tensor<8x3xf32>) -> tensor<8x3xf32>
    %h = linalg.generic {indexing_maps = [#id, #bias, #id], ...}
        ins(%mm, %b : tensor<8x3xf32>, tensor<3xf32>)
        outs(%e2 : tensor<8x3xf32>) {
    ^bb0(%a: f32, %c: f32, %out: f32):
      %s = arith.addf %a, %c : f32
      linalg.yield %s : f32
    } -> tensor<8x3xf32>
    %y = linalg.generic {...}
        ins(%h : tensor<8x3xf32>) outs(%e3 : tensor<8x3xf32>) {
    ^bb0(%a: f32, %out: f32):
      %r = arith.maximumf %a, %zero : f32
      linalg.yield %r : f32
    } -> tensor<8x3xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AenetLowerToOneDNN : Pass<"aenet-lower-to-onednn", "::mlir::ModuleOp"> {
  let summary = "Rewrites the aenet ops oneDNN implements into calls of the "
                "runtime's oneDNN kernels; the rest is left for "
                "aenet-lower-to-linalg.";
  let description = [{
    On f32 tensors of static shape: `dense` (with or without bias), its
    input and kernel gradients (matmul; transposes are strides of the
    operand, never copies); the activations oneDNN has (relu, leaky_relu,
    sigmoid, tanh, elu, softmax; eltwise and softmax primitives, on a tensor
    of any rank viewed as a matrix over its last axis) with their gradients
    from the output; `conv2d` and `conv2d_grad_input` (convolution forward
    and backward data), `conv2d_grad_kernel` with the `conv2d_grad_bias` of
    the same dy (backward weights computes both in one pass),
    `conv2d_transpose` (deconvolution forward; its gradients are conv2d ops),
    `maxpool2d` and `maxpool2d_grad` (max pooling; the gradient kernel runs
    the forward again for oneDNN's workspace), `upsample2d` and
    `upsample2d_grad` (nearest resampling). Where oneDNN's primitive is slow
    for the shapes, the pattern calls a specialised kernel instead:
    `conv2d_thin_output` (one filter), `conv2d_grad_kernel_thin_output` /
    `_thin_input` (one filter / one input channel), matrix products; and
    `maxpool2d_grad_disjoint` (windows that neither overlap nor pad), one
    pass on the host. Operands are read through
    `bufferization.to_buffer ... read_only`, results written into a fresh
    `memref.alloc` turned back into a tensor, so one-shot bufferization places
    the calls among the loop code. Kernels and their declarations' types come
    from the runtime's kernel table (OneDnnKernels.def). Each call is a site:
    its first operands are the function's `!llvm.ptr` argument marked
    `aenet.kernel_sites` (the runtime's per-site state, added here) and the
    site's number; the function's `aenet.kernel_sites` attribute counts them.
    A kernel builds its primitives on its site's first call and reuses them
    on every later call of that site.

    Left for aenet-lower-to-linalg: f64 models; losses, metrics,
    regularizers, dropout and noise, and the optimizer updates (elementwise
    or small reductions that the loops fuse with their neighbours, where a
    kernel call would add a pass over memory); `dense_grad_bias` and a
    `conv2d_grad_bias` without the kernel gradient of the same dy beside it,
    as conv2d_transpose's (oneDNN 2.6's reduction primitive has only a
    reference implementation, slower than the loops); activations oneDNN
    lacks (hard_sigmoid, relu6, ...).

    Before:
    ```mlir
    %y = aenet.dense %x, %k, %b : (tensor<256x784xf32>, tensor<784x64xf32>, tensor<64xf32>) -> tensor<256x64xf32>
    ```
    After:
    ```mlir
    %xb = bufferization.to_buffer %x read_only : tensor<256x784xf32> to memref<256x784xf32>
    ...
    %out = memref.alloc() : memref<256x64xf32>
    call @aenet_dnnl_matmul_bias(%sites, %c0, %xd, %kd, %bd, %od) : (!llvm.ptr, i64, memref<?x?xf32>, memref<?x?xf32>, memref<?xf32>, memref<?x?xf32>) -> ()
    %y = bufferization.to_tensor %out restrict writable : memref<256x64xf32> to tensor<256x64xf32>
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // AENET_CONVERSION_PASSES
