//===- AenetOps.td - Operations of the aenet dialect -------*- tablegen -*-===//
//
// The type constraints and op classes every family shares, then one file per
// op family, as CIRCT splits FIRRTL's ops. Every tensor is ranked with an f32
// or f64 element type, the batch first; scalars (losses, seeds, step counts,
// learning rates) are 0-d tensors. All families generate into the one AenetOps.h.inc, so
// AenetOps.h stays the only header users include.
//
// Adding a family: a new Aenet<Family>Ops.td included below, its verifiers and
// gradient rules in lib/Dialect/Aenet/IR/<Family>Ops.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_OPS
#define AENET_OPS

include "aenet/Dialect/Aenet/IR/AenetDialect.td"
include "aenet/Dialect/Aenet/IR/AenetEnums.td"
include "aenet/Dialect/Aenet/IR/AenetInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Aenet_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Aenet_Scalar : 0DTensorOf<[AnyFloat]>;
def Aenet_Seed : 0DTensorOf<[I64]>;

/// An op the autodiff pass can differentiate: its gradient rule implements
/// `AenetGradientOpInterface` next to its verifier.
class Aenet_DiffOp<string mnemonic, list<Trait> traits = []>
    : Aenet_Op<mnemonic, traits # [Pure,
        DeclareOpInterfaceMethods<AenetGradientOpInterface>]>;

include "aenet/Dialect/Aenet/IR/AenetLayerOps.td"
include "aenet/Dialect/Aenet/IR/AenetConvOps.td"
include "aenet/Dialect/Aenet/IR/AenetRecurrentOps.td"
include "aenet/Dialect/Aenet/IR/AenetArithOps.td"
include "aenet/Dialect/Aenet/IR/AenetClipOps.td"
include "aenet/Dialect/Aenet/IR/AenetLossOps.td"
include "aenet/Dialect/Aenet/IR/AenetVariationalOps.td"
include "aenet/Dialect/Aenet/IR/AenetGradientOps.td"
include "aenet/Dialect/Aenet/IR/AenetOptimizerOps.td"

#endif // AENET_OPS
