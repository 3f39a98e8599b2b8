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

/// Waits until no task that compiled code started on the async runtime is
/// still running. A task wakes the code awaiting it before it has returned
/// from compiled code (its coroutine's last instructions run after it
/// emplaces its token), so compiled code must not be freed before this.
void waitForAsyncTasks();

} // namespace aenet

#endif // AENET_PIPELINE_ASYNCRUNTIMESYMBOLS_H
