//===- AsyncRuntimeSymbols.h - MLIR's async runtime for the JIT -*- C++ -*-===//
//
// The loops aenet-parallelize-loops splits run on MLIR's async runtime
// (libmlir_async_runtime); the JIT resolves its functions from this table.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_PIPELINE_ASYNCRUNTIMESYMBOLS_H
#define AENET_PIPELINE_ASYNCRUNTIMESYMBOLS_H

#include <utility>
#include <vector>

namespace aenet {

/// The name and address of each function of MLIR's async runtime that
/// convert-async-to-llvm calls.
///
/// Linked into the process rather than loaded through ExecutionEngine's
/// sharedLibPaths: that loader calls the library's
/// `__mlir_execution_engine_destroy` when an engine is destroyed, which
/// resets the one process-wide runtime under every other engine still
/// running (aec holds several compiled programs at once).
std::vector<std::pair<const char *, void *>> asyncRuntimeSymbols();

} // namespace aenet

#endif // AENET_PIPELINE_ASYNCRUNTIMESYMBOLS_H
