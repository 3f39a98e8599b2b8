//===- AenetVariationalOps.td - Variational autoencoders ---*- tablegen -*-===//
//
// The two ops a variational autoencoder adds to a plain one, and their
// gradient ops: `sample_normal`, the reparameterized draw of the latent code
// from the encoder's mean and log-variance, and `kl_normal`, the KL
// divergence of that posterior from N(0, I). Their verifiers and gradient
// rules are in VariationalOps.cpp, their lowering in the AenetToLinalg
// folder's VariationalPatterns.cpp (the oneDNN backend leaves them to it).
//
//===----------------------------------------------------------------------===//

#ifndef AENET_VARIATIONAL_OPS
#define AENET_VARIATIONAL_OPS

def Aenet_SampleNormalOp : Aenet_DiffOp<"sample_normal",
    [AllTypesMatch<["mu", "logvar", "output"]>]> {
  let summary = "Reparameterized sample: mu + exp(logvar / 2) * eps.";
  let description = [{
    `eps` is standard normal noise drawn exactly as `aenet.gaussian_noise`
    draws it: a counter-based hash of (`seed`, `salt`, element index) made
    normal by Box-Muller. The gradient op recomputes `eps` from the same three
    numbers instead of storing it. `mu` gets the gradient unchanged, `logvar`
    `dz * exp(logvar / 2) * eps / 2`. The frontend emits it in training;
    inference uses `mu` unless asked to sample (`--sample`), when it emits
    the op with a salt that mixes in the seed asked for.

    ```mlir
    %z = aenet.sample_normal %mu, %logvar, %seed {salt = 4 : i64} : tensor<128x2xf32>, tensor<i64>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$mu, Aenet_FloatTensor:$logvar,
                   Aenet_Seed:$seed, I64Attr:$salt);
  let results = (outs Aenet_FloatTensor:$output);
  let assemblyFormat =
      "$mu `,` $logvar `,` $seed attr-dict `:` type($mu) `,` type($seed)";
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$mu, "::mlir::Value":$logvar,
                   "::mlir::Value":$seed, "::mlir::IntegerAttr":$salt), [{
      build($_builder, $_state, mu.getType(), mu, logvar, seed, salt);
    }]>];
}

def Aenet_SampleNormalGradOp : Aenet_Op<"sample_normal_grad", [Pure,
    AllTypesMatch<["output_grad", "logvar", "logvar_grad"]>]> {
  let summary = "Gradient of sample_normal w.r.t. logvar: "
                "dz * exp(logvar / 2) * eps / 2.";
  let description = [{
    Recomputes the forward op's `eps` from the same (`seed`, `salt`, index);
    `salt` must be that of the sample_normal it differentiates.

    ```mlir
    %dlv = aenet.sample_normal_grad %dz, %logvar, %seed {salt = 4 : i64} : tensor<128x2xf32>, tensor<i64>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$output_grad,
                   Aenet_FloatTensor:$logvar, Aenet_Seed:$seed,
                   I64Attr:$salt);
  let results = (outs Aenet_FloatTensor:$logvar_grad);
  let assemblyFormat = [{
    $output_grad `,` $logvar `,` $seed attr-dict `:` type($output_grad) `,`
    type($seed)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$output_grad, "::mlir::Value":$logvar,
                   "::mlir::Value":$seed, "::mlir::IntegerAttr":$salt), [{
      build($_builder, $_state, logvar.getType(), output_grad, logvar, seed,
            salt);
    }]>];
}

def Aenet_KlNormalOp : Aenet_DiffOp<"kl_normal",
    [AllTypesMatch<["mu", "logvar"]>]> {
  let summary = "KL divergence of N(mu, exp(logvar)) from N(0, I), "
                "as a scalar.";
  let description = [{
    Per sample `-1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j))` over every
    non-batch element, averaged over the batch (the first axis). A loss of two
    computed values rather than a prediction against a target: both get a
    gradient.

    ```mlir
    %kl = aenet.kl_normal %mu, %logvar : tensor<128x2xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$mu, Aenet_FloatTensor:$logvar);
  let results = (outs Aenet_Scalar:$loss);
  let assemblyFormat =
      "$mu `,` $logvar attr-dict `:` type($mu) `->` type($loss)";
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$mu, "::mlir::Value":$logvar), [{
      build($_builder, $_state, scalarTypeOf(mu.getType()), mu, logvar);
    }]>];
}

def Aenet_KlNormalGradOp : Aenet_Op<"kl_normal_grad", [Pure,
    AllTypesMatch<["mu", "logvar", "mu_grad", "logvar_grad"]>]> {
  let summary = "Gradients of kl_normal: mu / B * dL and "
                "(exp(logvar) - 1) / (2 B) * dL.";
  let description = [{
    `B` is the batch (the first axis); `loss_grad` the scalar gradient that
    reaches the KL term (its weight).

    ```mlir
    %dmu, %dlv = aenet.kl_normal_grad %mu, %logvar, %dl : tensor<128x2xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins Aenet_FloatTensor:$mu, Aenet_FloatTensor:$logvar,
                   Aenet_Scalar:$loss_grad);
  let results = (outs Aenet_FloatTensor:$mu_grad,
                 Aenet_FloatTensor:$logvar_grad);
  let assemblyFormat = [{
    $mu `,` $logvar `,` $loss_grad attr-dict `:` type($mu) `,`
    type($loss_grad)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$mu, "::mlir::Value":$logvar,
                   "::mlir::Value":$loss_grad), [{
      build($_builder, $_state, mu.getType(), mu.getType(), mu, logvar,
            loss_grad);
    }]>];
}

#endif // AENET_VARIATIONAL_OPS
