//===- Interrupt.h - Stopping a training run cleanly ------------*- C++ -*-===//
//
// Ctrl-C during training should stop after the current batch, save a
// checkpoint and the pictures, and exit, instead of killing the process with
// its work unsaved. An InterruptGuard marks the span in which the first
// SIGINT or SIGTERM only sets a flag that the host loop polls; a second one,
// or one outside any guard, gets the default action, so a user can always
// force-quit.
//
// No thread ever runs a SIGINT or SIGTERM handler: watchInterrupts() blocks
// both signals in every thread and one watcher thread takes them with
// sigwait(). A handler would be unsafe here: oneDNN 2.6's generated GEMM
// kernels point rsp into a heap buffer while they run (oneDNN issue #4845,
// fixed in 3.x), and the kernel writes a handler's signal frame below rsp,
// corrupting the heap. A signal the process was started with ignored (as a
// shell does for `aec train ... &` in a script) stays ignored.
//
// Threads inherit the blocked mask, and so would child processes: code that
// starts one does it inside a ChildProcessSignals scope.
//
// There is one flag per process, so only one guard may be alive at a time.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_INTERRUPT_H
#define AENET_RUNTIME_INTERRUPT_H

namespace aenet::rt {

/// Blocks SIGINT and SIGTERM in the calling thread, and so in every thread it
/// creates from now on, and starts the thread that waits for them. Call it
/// first in main, before any other thread exists: a thread started earlier
/// (say, an OpenMP worker) keeps the signals unblocked and may be picked to
/// receive one, which then gets the default action. Later calls do nothing.
void watchInterrupts();

/// While alive, the calling thread takes SIGINT and SIGTERM again (their
/// default action: the end of the process), so that a child process started
/// in the scope (gnuplot) gets them as it would from a shell, and a Ctrl-C
/// ends both. Only for a thread that runs no oneDNN kernel in the scope, and
/// outside any InterruptGuard.
class ChildProcessSignals {
public:
  ChildProcessSignals();
  ~ChildProcessSignals();
  ChildProcessSignals(const ChildProcessSignals &) = delete;
  ChildProcessSignals &operator=(const ChildProcessSignals &) = delete;
};

/// Catches the first SIGINT or SIGTERM while alive.
class InterruptGuard {
public:
  /// Clears the flag; starts the watcher if watchInterrupts() was not called.
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard &) = delete;
  InterruptGuard &operator=(const InterruptGuard &) = delete;

  /// Whether SIGINT or SIGTERM arrived since the guard was created.
  bool interrupted() const;
  /// The signal that arrived first, or 0.
  int signalNumber() const;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_INTERRUPT_H
