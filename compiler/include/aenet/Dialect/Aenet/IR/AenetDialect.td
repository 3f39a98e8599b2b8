//===- AenetDialect.td - The aenet dialect -----------------*- tablegen -*-===//
//
// The dialect of neural network layers, losses, their gradients and optimizer
// updates, on tensors. `aec` builds it from a checked .aenet model; the
// autodiff pass adds the backward graph; lowerings turn it into linalg loops or
// oneDNN calls.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_DIALECT
#define AENET_DIALECT

include "mlir/IR/OpBase.td"

def Aenet_Dialect : Dialect {
  let name = "aenet";
  let summary = "Neural network layers, losses, gradients and optimizers.";
  let description = [{
    Ops work on ranked tensors of f32 or f64 whose first dimension is the
    batch. Layer ops carry Keras's semantics; each differentiable op implements
    `AenetGradientOpInterface`, which the `aenet-autodiff` pass uses to build
    the backward graph. Parameters are function arguments named by the
    `aenet.param` attribute so the runtime can bind, save and load them.
  }];
  let cppNamespace = "::mlir::aenet";
  let dependentDialects = ["::mlir::func::FuncDialect"];
  let useDefaultAttributePrinterParser = 1;
  // The `aenet.*` attributes of function arguments, results and functions
  // carry the ABI between compiled code and the runtime; the dialect checks
  // their types and places (AbiAttributes.cpp).
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Registers the attributes of AenetAttrs.td (AenetAttrs.cpp).
    void registerAttributes();

    /// The name of every ABI attribute, spelled once: readers and writers
    /// use these, never the string.
#define AENET_ABI_ATTR(NAME, SPELLING, PLACES) \
    static constexpr ::llvm::StringLiteral get##NAME##AttrName() { \
      return SPELLING; \
    }
#include "aenet/Dialect/Aenet/IR/AbiAttributes.def"
  }];
}

class Aenet_Op<string mnemonic, list<Trait> traits = []>
    : Op<Aenet_Dialect, mnemonic, traits>;

#endif // AENET_DIALECT
