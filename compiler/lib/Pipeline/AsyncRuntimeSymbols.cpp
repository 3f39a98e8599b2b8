//===- AsyncRuntimeSymbols.cpp - MLIR's async runtime for the JIT ---------===//
//
// The table of MLIR's async runtime functions (mlir/ExecutionEngine/
// AsyncRuntime.h) that compiled code calls once aenet-parallelize-loops has
// split a loop across threads.
//
//===----------------------------------------------------------------------===//

#include "aenet/Pipeline/AsyncRuntimeSymbols.h"

#include "mlir/ExecutionEngine/AsyncRuntime.h"

using namespace mlir::runtime;

namespace aenet {

std::vector<std::pair<const char *, void *>> asyncRuntimeSymbols() {
  std::vector<std::pair<const char *, void *>> symbols;
  auto add = [&](const char *name, auto *function) {
    symbols.emplace_back(name, reinterpret_cast<void *>(function));
  };
#define AENET_ASYNC_SYMBOL(name) add(#name, &name)
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAddRef);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeDropRef);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeCreateToken);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeCreateValue);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeCreateGroup);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAddTokenToGroup);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeEmplaceToken);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeEmplaceValue);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeSetTokenError);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeSetValueError);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeIsTokenError);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeIsValueError);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeIsGroupError);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAwaitToken);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAwaitValue);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAwaitAllInGroup);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeExecute);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeGetValueStorage);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAwaitTokenAndExecute);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAwaitValueAndExecute);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAwaitAllInGroupAndExecute);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimGetNumWorkerThreads);
#undef AENET_ASYNC_SYMBOL
  return symbols;
}

} // namespace aenet
