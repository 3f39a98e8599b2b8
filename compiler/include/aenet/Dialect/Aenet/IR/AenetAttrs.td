//===- AenetAttrs.td - Attributes of the aenet dialect -----*- tablegen -*-===//
//
// The typed attributes of the dialect's ABI: what a parameter starts from
// (`#aenet.init`) and the optimizer of a train block (`#aenet.optimizer`).
// They replace dictionaries and strings that nobody verified, so a wrong
// field fails when the IR is built or parsed, not in the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_ATTRS
#define AENET_ATTRS

include "aenet/Dialect/Aenet/IR/AenetDialect.td"
include "aenet/Dialect/Aenet/IR/AenetEnums.td"
include "mlir/IR/AttrTypeBase.td"

class Aenet_Attr<string name, string attrMnemonic>
    : AttrDef<Aenet_Dialect, name> {
  let mnemonic = attrMnemonic;
}

def Aenet_InitializerAttr : Aenet_Attr<"Initializer", "init"> {
  let summary = "How a parameter's first values are set.";
  let description = [{
    Attached to a parameter argument as `aenet.init` by the frontend, from the
    language's layer definition; the runtime fills the parameter's buffer
    from it before the first step. The kinds, with the fields each takes:

    - `glorot_uniform, fan_in = I, fan_out = O`: uniform in
      `[-sqrt(6 / (I + O)), sqrt(6 / (I + O))]` (Keras's default kernel);
    - `orthogonal`: a random orthogonal matrix over the last axis (Keras's
      recurrent kernel);
    - `zeros`, `ones`;
    - `constant, value = V`: every element `V`;
    - `block_ones, index = K, blocks = G`: the parameter's last axis is `G`
      equal blocks (the gates of an LSTM); block `K` is ones, the others
      zeros (Keras's `unit_forget_bias`, with `K = 1` of `G = 4`).

    ```mlir
    func.func @f(%k: tensor<784x64xf32> {aenet.param = "dense.kernel",
                 aenet.init = #aenet.init<glorot_uniform, fan_in = 784, fan_out = 64>},
                 %b: tensor<256xf32> {aenet.param = "lstm.bias",
                 aenet.init = #aenet.init<block_ones, index = 1, blocks = 4>})
    ```
  }];
  let parameters = (ins "::mlir::aenet::InitializerKind":$kind,
                        DefaultValuedParameter<"int64_t", "0">:$fanIn,
                        DefaultValuedParameter<"int64_t", "0">:$fanOut,
                        DefaultValuedParameter<"::llvm::APFloat", "::llvm::APFloat(0.0)">:$value,
                        DefaultValuedParameter<"int64_t", "0">:$index,
                        DefaultValuedParameter<"int64_t", "0">:$blocks);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "::mlir::aenet::InitializerKind":$kind), [{
      return $_get($_ctxt, kind, 0, 0, ::llvm::APFloat(0.0), 0, 0);
    }]>];
  let extraClassDeclaration = [{
    /// `glorot_uniform` over |fanIn| inputs and |fanOut| outputs.
    static InitializerAttr getGlorotUniform(::mlir::MLIRContext *ctx,
                                            int64_t fanIn, int64_t fanOut);
    /// Every element |value|.
    static InitializerAttr getConstant(::mlir::MLIRContext *ctx, double value);
    /// Ones on block |index| of |blocks| along the last axis, zeros elsewhere.
    static InitializerAttr getBlockOnes(::mlir::MLIRContext *ctx,
                                        int64_t index, int64_t blocks);
  }];
}

def Aenet_OptimizerAttr : Aenet_Attr<"Optimizer", "optimizer"> {
  let summary = "An optimizer with every hyperparameter given.";
  let description = [{
    Attached as `aenet.optimizer` to the function marked
    `aenet.differentiate`; aenet-apply-optimizer emits its updates. The
    frontend builds it from the language's optimizer spec, where Keras's
    defaults are applied (the one place they are): the attribute holds
    every field its kind uses and the compiler has no defaults of its own.
    Fields by kind:

    - `sgd`: `lr`, `momentum`, `nesterov` (momentum 0: plain SGD);
    - `adam`: `lr`, `beta1`, `beta2`, `epsilon`;
    - `rmsprop`: `lr`, `rho`, `momentum`, `epsilon`;
    - `adagrad`: `lr`, `initial_accumulator`, `epsilon`;
    - `adadelta`: `lr`, `rho`, `epsilon`;

    and for any kind the optional gradient clipping `clip_norm` (per
    parameter L2 norm) and `clip_value` (per element), absent or 0 for none.

    ```mlir
    #aenet.optimizer<adam, lr = 1.000000e-03, beta1 = 9.000000e-01,
                     beta2 = 9.990000e-01, epsilon = 1.000000e-07,
                     clip_norm = 1.000000e+00>
    ```
  }];
  let parameters = (ins "::mlir::aenet::OptimizerKind":$kind,
                        "::llvm::APFloat":$lr,
                        "::llvm::APFloat":$momentum,
                        "bool":$nesterov,
                        "::llvm::APFloat":$beta1,
                        "::llvm::APFloat":$beta2,
                        "::llvm::APFloat":$epsilon,
                        "::llvm::APFloat":$rho,
                        "::llvm::APFloat":$initialAccumulator,
                        "::llvm::APFloat":$clipNorm,
                        "::llvm::APFloat":$clipValue);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Whether |kind| uses the hyperparameter spelt |field| (e.g. "beta1");
    /// the others must be 0 (false).
    static bool usesField(::mlir::aenet::OptimizerKind kind,
                          ::llvm::StringRef field);
    /// The names of the state tensors kept per parameter, in the order the
    /// update op takes them.
    ::llvm::SmallVector<::llvm::StringRef> getStateNames() const;
    /// The value state |name| starts from (Adagrad's accumulator starts at
    /// `initial_accumulator`, all others at 0).
    double getStateInit(::llvm::StringRef name) const;
    /// The same optimizer with the learning rate |lr|.
    OptimizerAttr withLearningRate(double lr) const;
  }];
}

#endif // AENET_ATTRS
