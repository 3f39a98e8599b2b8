//===- AsyncRuntimeSymbols.cpp - MLIR's async runtime for the JIT ---------===//
//
// The table of MLIR's async runtime functions (mlir/ExecutionEngine/
// AsyncRuntime.h) that compiled code calls once aenet-parallelize-loops has
// split a loop across threads.
//
//===----------------------------------------------------------------------===//

#include "aenet/Pipeline/AsyncRuntimeSymbols.h"

#include "mlir/ExecutionEngine/AsyncRuntime.h"

#include <atomic>
#include <thread>

using namespace mlir::runtime;

namespace aenet {

namespace {

/// Tasks started and not yet returned from compiled code.
std::atomic<int64_t> tasksRunning{0};

struct CountedTask {
  CoroHandle handle;
  CoroResume resume;
};

/// mlirAsyncRuntimeExecute, counting the task until its resume function has
/// returned: the runtime's own count (its group) drops before that.
void executeCounted(CoroHandle handle, CoroResume resume) {
  tasksRunning.fetch_add(1, std::memory_order_relaxed);
  mlirAsyncRuntimeExecute(new CountedTask{handle, resume}, [](void *task) {
    auto *counted = static_cast<CountedTask *>(task);
    counted->resume(counted->handle);
    delete counted;
    tasksRunning.fetch_sub(1, std::memory_order_release);
  });
}

} // namespace

void waitForAsyncTasks() {
  while (tasksRunning.load(std::memory_order_acquire) != 0)
    std::this_thread::yield();
}

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
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeGetValueStorage);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAwaitTokenAndExecute);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAwaitValueAndExecute);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimeAwaitAllInGroupAndExecute);
  AENET_ASYNC_SYMBOL(mlirAsyncRuntimGetNumWorkerThreads);
#undef AENET_ASYNC_SYMBOL
  add("mlirAsyncRuntimeExecute", &executeCounted);
  return symbols;
}

} // namespace aenet
