//===- OneDnnKernels.h - oneDNN primitives behind a C ABI -------*- C++ -*-===//
//
// What compiled code calls on the oneDNN backend: one C function per row of
// OneDnnKernels.def, declared here from that table. Each kernel takes its
// call site's state (KernelSites, KernelAbi.h), memref descriptors, the
// layout MLIR's C interface passes (`llvm.emit_c_interface`), and integer
// flags; it builds its oneDNN primitives on the site's first call and
// reuses them on every later call of that site. Knows nothing of the
// language or of MLIR beyond that descriptor layout.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_ONEDNNKERNELS_H
#define AENET_RUNTIME_ONEDNNKERNELS_H

#include "aenet/Runtime/KernelAbi.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace aenet::rt {

/// The C symbols of every kernel of OneDnnKernels.def and their addresses,
/// for the JIT.
std::vector<std::pair<const char *, void *>> oneDnnKernelSymbols();

/// Kernels built so far, at any site (for tests: a second call of one site
/// must not build another).
int64_t oneDnnKernelsBuilt();

} // namespace aenet::rt

extern "C" {
#define AENET_SITE ::aenet::rt::KernelSites *, int64_t
#define AENET_DENSE(rank) ::aenet::rt::MemRef<rank> *
#define AENET_STRIDED(rank) ::aenet::rt::MemRef<rank> *
#define AENET_I64 int64_t
#define AENET_DNNL_KERNEL(name, ...)                                           \
  void _mlir_ciface_aenet_dnnl_##name(__VA_ARGS__);
#include "aenet/Runtime/OneDnnKernels.def"
#undef AENET_DNNL_KERNEL
#undef AENET_I64
#undef AENET_STRIDED
#undef AENET_DENSE
#undef AENET_SITE
}

#endif // AENET_RUNTIME_ONEDNNKERNELS_H
