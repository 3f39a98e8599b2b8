//===- AenetOptimizerOps.td - Optimizer updates ------------*- tablegen -*-===//
//
// The elementwise updates of one parameter and its optimizer states, with
// Keras's formulas, and the gradient clipping applied before them, emitted
// once the gradients are known; their hyperparameters come from the
// function's optimizer attribute, except the learning rate, a scalar operand
// (the step function's `aenet.learning_rate` argument) so that one compiled
// program trains at any rate. Every result has the parameter's type, so the
// builders take none.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_OPTIMIZER_OPS
#define AENET_OPTIMIZER_OPS

class Aenet_UpdateOp<string mnemonic> : Aenet_Op<mnemonic, [Pure]> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Aenet_ClipByNormOp : Aenet_Op<"clip_by_norm", [Pure,
    AllTypesMatch<["grad", "result"]>]> {
  let summary = "Scales a gradient so its L2 norm is at most `max_norm`.";
  let description = [{
    Keras's `clipnorm`, per parameter: `g * max_norm / ||g||_2` when the norm
    exceeds `max_norm`, else `g` unchanged (also when the norm is 0).

    ```mlir
    %c = aenet.clip_by_norm %g {max_norm = 1.000000e+00 : f64} : tensor<784x64xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$grad, F64Attr:$max_norm);
  let results = (outs Aenet_FloatTensor:$result);
  let assemblyFormat = "$grad attr-dict `:` type($grad)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$grad, "double":$max_norm), [{
      build($_builder, $_state, grad.getType(), grad,
            $_builder.getF64FloatAttr(max_norm));
    }]>];
}

def Aenet_ClipByValueOp : Aenet_Op<"clip_by_value", [Pure,
    AllTypesMatch<["grad", "result"]>]> {
  let summary = "Clips each gradient element to [-limit, limit].";
  let description = [{
    Keras's `clipvalue`: `min(max(g, -limit), limit)` elementwise.

    ```mlir
    %c = aenet.clip_by_value %g {limit = 5.000000e-01 : f64} : tensor<784x64xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$grad, F64Attr:$limit);
  let results = (outs Aenet_FloatTensor:$result);
  let assemblyFormat = "$grad attr-dict `:` type($grad)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$grad, "double":$limit), [{
      build($_builder, $_state, grad.getType(), grad,
            $_builder.getF64FloatAttr(limit));
    }]>];
}

def Aenet_SgdUpdateOp : Aenet_UpdateOp<"sgd_update"> {
  let summary = "Plain SGD: p - lr * g.";
  let description = [{
    ```mlir
    %p1 = aenet.sgd_update %p, %g, %lr
        : (tensor<784x64xf32>, tensor<784x64xf32>, tensor<f32>) -> tensor<784x64xf32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$param, Aenet_FloatTensor:$grad,
                   Aenet_Scalar:$lr);
  let results = (outs Aenet_FloatTensor:$new_param);
  let builders = [
    OpBuilder<(ins "::mlir::Value":$param, "::mlir::Value":$grad,
                   "::mlir::Value":$lr), [{
      build($_builder, $_state, param.getType(), param, grad, lr);
    }]>];
}

def Aenet_MomentumUpdateOp : Aenet_UpdateOp<"momentum_update"> {
  let summary = "SGD with momentum (Keras): v = m v - lr g; p + v, or "
                "p + m v - lr g with Nesterov.";
  let description = [{
    `v' = momentum v - lr g`; the new parameter is `p + v'`, or with Nesterov
    `p + momentum v' - lr g`. Returns the new parameter and velocity.

    ```mlir
    %p1, %v1 = aenet.momentum_update %p, %g, %v, %lr {momentum = 9.000000e-01 : f64, nesterov = false}
        : (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<f32>) -> (tensor<64xf32>, tensor<64xf32>)
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$param, Aenet_FloatTensor:$grad,
                   Aenet_FloatTensor:$velocity, Aenet_Scalar:$lr,
                   F64Attr:$momentum, BoolAttr:$nesterov);
  let results = (outs Aenet_FloatTensor:$new_param,
                      Aenet_FloatTensor:$new_velocity);
  let builders = [
    OpBuilder<(ins "::mlir::Value":$param, "::mlir::Value":$grad,
                   "::mlir::Value":$velocity, "::mlir::Value":$lr,
                   "double":$momentum, "bool":$nesterov), [{
      ::mlir::Type t = param.getType();
      build($_builder, $_state, t, t, param, grad, velocity, lr,
            $_builder.getF64FloatAttr(momentum),
            $_builder.getBoolAttr(nesterov));
    }]>];
}

def Aenet_AdamUpdateOp : Aenet_UpdateOp<"adam_update"> {
  let summary = "Adam (Keras): bias-corrected step lr_t m / (sqrt(v) + eps).";
  let description = [{
    `step` is the 1-based step count t as a float scalar:
    `lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)`, `m' = beta1 m + (1 - beta1) g`,
    `v' = beta2 v + (1 - beta2) g^2`, `p' = p - lr_t m' / (sqrt(v') + eps)`.
    Returns the new parameter, `m'` and `v'`.

    ```mlir
    %p1, %m1, %v1 = aenet.adam_update %p, %g, %m, %v, %t, %lr
        {beta1 = 9.000000e-01 : f64, beta2 = 9.990000e-01 : f64, epsilon = 1.000000e-07 : f64}
        : (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<f32>, tensor<f32>)
        -> (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>)
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$param, Aenet_FloatTensor:$grad,
                   Aenet_FloatTensor:$m, Aenet_FloatTensor:$v,
                   Aenet_Scalar:$step, Aenet_Scalar:$lr, F64Attr:$beta1,
                   F64Attr:$beta2, F64Attr:$epsilon);
  let results = (outs Aenet_FloatTensor:$new_param, Aenet_FloatTensor:$new_m,
                      Aenet_FloatTensor:$new_v);
  let builders = [
    OpBuilder<(ins "::mlir::Value":$param, "::mlir::Value":$grad,
                   "::mlir::Value":$m, "::mlir::Value":$v, "::mlir::Value":$step,
                   "::mlir::Value":$lr, "double":$beta1, "double":$beta2,
                   "double":$epsilon), [{
      ::mlir::Type t = param.getType();
      build($_builder, $_state, t, t, t, param, grad, m, v, step, lr,
            $_builder.getF64FloatAttr(beta1),
            $_builder.getF64FloatAttr(beta2),
            $_builder.getF64FloatAttr(epsilon));
    }]>];
}

def Aenet_RmspropUpdateOp : Aenet_UpdateOp<"rmsprop_update"> {
  let summary = "RMSProp (Keras): ms = rho ms + (1 - rho) g^2; "
                "p - lr g / (sqrt(ms) + eps), with optional momentum.";
  let description = [{
    `ms' = rho ms + (1 - rho) g^2`, `step = lr g / (sqrt(ms') + eps)`; the new
    parameter is `p - step`, or with a `momentum_buffer` (momentum > 0)
    `buf' = momentum buf + step` and `p - buf'`. Returns the new parameter,
    `ms'` and, with momentum, `buf'`.

    ```mlir
    %p1, %ms1 = aenet.rmsprop_update %p, %g, %ms, %lr
        {epsilon = 1.000000e-07 : f64, momentum = 0.000000e+00 : f64, rho = 9.000000e-01 : f64}
        : (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<f32>) -> (tensor<64xf32>, tensor<64xf32>)
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$param, Aenet_FloatTensor:$grad,
                   Aenet_FloatTensor:$mean_square,
                   Optional<Aenet_FloatTensor>:$momentum_buffer,
                   Aenet_Scalar:$lr, F64Attr:$rho, F64Attr:$momentum,
                   F64Attr:$epsilon);
  let results = (outs Aenet_FloatTensor:$new_param,
                      Aenet_FloatTensor:$new_mean_square,
                      Optional<Aenet_FloatTensor>:$new_momentum_buffer);
  let builders = [
    OpBuilder<(ins "::mlir::Value":$param, "::mlir::Value":$grad,
                   "::mlir::Value":$mean_square, "::mlir::Value":$momentum_buffer,
                   "::mlir::Value":$lr, "double":$rho, "double":$momentum,
                   "double":$epsilon), [{
      // The momentum buffer's result exists iff the buffer does.
      ::mlir::Type t = param.getType();
      build($_builder, $_state, t, t, momentum_buffer ? t : ::mlir::Type(),
            param, grad, mean_square, momentum_buffer, lr,
            $_builder.getF64FloatAttr(rho),
            $_builder.getF64FloatAttr(momentum),
            $_builder.getF64FloatAttr(epsilon));
    }]>];
}

def Aenet_AdagradUpdateOp : Aenet_UpdateOp<"adagrad_update"> {
  let summary = "Adagrad (Keras): acc += g^2; p - lr g / (sqrt(acc) + eps).";
  let description = [{
    `acc' = acc + g^2`, `p' = p - lr g / (sqrt(acc') + eps)`. The
    accumulator starts at the optimizer's `initial_accumulator` (0.1 in
    Keras), which the runtime writes from `aenet.state_init`.

    ```mlir
    %p1, %a1 = aenet.adagrad_update %p, %g, %acc, %lr {epsilon = 1.000000e-07 : f64}
        : (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<f32>) -> (tensor<64xf32>, tensor<64xf32>)
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$param, Aenet_FloatTensor:$grad,
                   Aenet_FloatTensor:$accumulator, Aenet_Scalar:$lr,
                   F64Attr:$epsilon);
  let results = (outs Aenet_FloatTensor:$new_param,
                      Aenet_FloatTensor:$new_accumulator);
  let builders = [
    OpBuilder<(ins "::mlir::Value":$param, "::mlir::Value":$grad,
                   "::mlir::Value":$accumulator, "::mlir::Value":$lr,
                   "double":$epsilon), [{
      ::mlir::Type t = param.getType();
      build($_builder, $_state, t, t, param, grad, accumulator, lr,
            $_builder.getF64FloatAttr(epsilon));
    }]>];
}

def Aenet_AdadeltaUpdateOp : Aenet_UpdateOp<"adadelta_update"> {
  let summary = "Adadelta (Keras): step sqrt(ad + eps) / sqrt(ag + eps) g.";
  let description = [{
    `ag' = rho ag + (1 - rho) g^2`,
    `delta = sqrt(ad + eps) / sqrt(ag' + eps) g`,
    `ad' = rho ad + (1 - rho) delta^2`, `p' = p - lr delta`.

    ```mlir
    %p1, %ag1, %ad1 = aenet.adadelta_update %p, %g, %ag, %ad, %lr
        {epsilon = 1.000000e-07 : f64, rho = 9.500000e-01 : f64}
        : (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<f32>)
        -> (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>)
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$param, Aenet_FloatTensor:$grad,
                   Aenet_FloatTensor:$accum_grad,
                   Aenet_FloatTensor:$accum_delta, Aenet_Scalar:$lr,
                   F64Attr:$rho, F64Attr:$epsilon);
  let results = (outs Aenet_FloatTensor:$new_param,
                      Aenet_FloatTensor:$new_accum_grad,
                      Aenet_FloatTensor:$new_accum_delta);
  let builders = [
    OpBuilder<(ins "::mlir::Value":$param, "::mlir::Value":$grad,
                   "::mlir::Value":$accum_grad, "::mlir::Value":$accum_delta,
                   "::mlir::Value":$lr, "double":$rho, "double":$epsilon), [{
      ::mlir::Type t = param.getType();
      build($_builder, $_state, t, t, t, param, grad, accum_grad, accum_delta,
            lr, $_builder.getF64FloatAttr(rho),
            $_builder.getF64FloatAttr(epsilon));
    }]>];
}

#endif // AENET_OPTIMIZER_OPS
