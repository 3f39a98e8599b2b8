//===- KernelTable.h - The kernels as the lowering sees them ---*- C++ -*-===//
//
// The lowering's side of the C ABI (runtime/include/aenet/Runtime/
// KernelAbi.h and OneDnnKernels.def): the kernels as an enum the patterns
// call instead of spelling names, each kernel's arguments as the table gives
// them (from which KernelCall.cpp builds the declaration's MLIR type and
// checks the operands of every call), and the dialect's ActivationKind tied
// to the runtime's numbering by static_asserts, so that a renumbered, added
// or removed case fails to build here.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_CONVERSION_AENETTOONEDNN_KERNELTABLE_H
#define AENET_LIB_CONVERSION_AENETTOONEDNN_KERNELTABLE_H

#include "aenet/Conversion/Passes.h"
#include "aenet/Dialect/Aenet/IR/AenetOps.h"
#include "aenet/Runtime/KernelAbi.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::aenet {

/// Every kernel of OneDnnKernels.def, by its row's name.
enum class DnnlKernel {
#define AENET_DNNL_KERNEL(name, ...) name,
#include "aenet/Runtime/OneDnnKernels.def"
#undef AENET_DNNL_KERNEL
};

/// One argument kind of the table.
struct KernelArg {
  enum Kind {
    /// The call site's state: the entry point's KernelSites (`!llvm.ptr`)
    /// and the site's number (i64), two operands the CallBuilder adds.
    Site,
    /// An f32 memref with the identity layout, of rank |rank|.
    Dense,
    /// An f32 memref in any strided layout, of rank |rank|.
    Strided,
    /// An i64 flag.
    I64,
  };
  Kind kind;
  int64_t rank;
};

/// The symbol compiled code calls (`aenet_dnnl_<name>`) and its arguments.
struct KernelSignature {
  llvm::StringRef symbol;
  llvm::ArrayRef<KernelArg> args;
};

/// The row of |kernel|.
KernelSignature signatureOf(DnnlKernel kernel);

// The dialect's activation kinds are the runtime's numbers: every row of
// the list is the ODS case of the same keyword, and the ODS enum has no
// case beyond the list's last.
#define AENET_ABI_ACTIVATION_CHECK(Name, keyword, number, onOneDnn)            \
  static_assert(static_cast<int64_t>(ActivationKind::keyword) == (number),     \
                "ActivationKind::" #keyword " is not the runtime's "           \
                "Activation::" #Name " (runtime/include/aenet/Runtime/"        \
                "KernelAbi.h)");
AENET_ABI_ACTIVATIONS(AENET_ABI_ACTIVATION_CHECK)
#undef AENET_ABI_ACTIVATION_CHECK
#define AENET_ABI_ACTIVATION_COUNT(Name, keyword, number, onOneDnn) +1
static_assert(getMaxEnumValForActivationKind() + 1 ==
                  0 AENET_ABI_ACTIVATIONS(AENET_ABI_ACTIVATION_COUNT),
              "ActivationKind has a case the runtime's Activation lacks "
              "(runtime/include/aenet/Runtime/KernelAbi.h)");
#undef AENET_ABI_ACTIVATION_COUNT

/// |kind| as the kernels' flag carries it.
inline int64_t abiActivation(ActivationKind kind) {
  return static_cast<int64_t>(kind);
}

/// Whether the runtime's oneDNN kernels run activation |kind|.
inline bool oneDnnRunsActivation(ActivationKind kind) {
  return ::aenet::rt::oneDnnRunsActivation(abiActivation(kind));
}

/// Whether activation |kind| can run as an eltwise post-op of the kernel
/// making its input (the activation flag of matmul_bias and conv2d_bias):
/// every kind oneDNN runs is an eltwise algorithm but softmax, which is a
/// primitive of its own over a whole row.
inline bool isEltwisePostOp(ActivationKind kind) {
  return oneDnnRunsActivation(kind) && kind != ActivationKind::softmax;
}

} // namespace mlir::aenet

#endif // AENET_LIB_CONVERSION_AENETTOONEDNN_KERNELTABLE_H
