//===- Interrupt.cpp - Stopping a training run cleanly --------------------===//
//
// The watcher thread is the only one with SIGINT and SIGTERM in its sigwait()
// set; every other thread has them blocked, so the kernel leaves them pending
// for the watcher and never interrupts a computing thread.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Interrupt.h"

#include <atomic>
#include <cassert>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <pthread.h>

namespace aenet::rt {

namespace {

std::atomic<int> caughtSignal{0};
std::atomic<bool> guardAlive{false};
/// The signals the watcher takes: SIGINT and SIGTERM unless the process was
/// started with them ignored. Written once, before the watcher starts.
sigset_t routedSignals;

/// Ends the process as the signal's default action would have.
[[noreturn]] void dieOf(int signal) {
  struct sigaction action = {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  sigaction(signal, &action, nullptr);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, signal);
  pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
  raise(signal);
  // SIGINT and SIGTERM terminate by default; only a changed disposition
  // racing this thread could get here.
  std::_Exit(128 + signal);
}

void *watch(void *) {
  for (;;) {
    int signal = 0;
    // sigwait fails only for a set of invalid signals.
    if (int error = sigwait(&routedSignals, &signal)) {
      std::fprintf(stderr, "aec: internal error: sigwait: %s\n",
                   std::strerror(error));
      std::abort();
    }
    int none = 0;
    if (guardAlive && caughtSignal.compare_exchange_strong(none, signal))
      continue;
    dieOf(signal);
  }
}

bool startsIgnored(int signal) {
  struct sigaction action = {};
  sigaction(signal, nullptr, &action);
  return action.sa_handler == SIG_IGN;
}

} // namespace

void watchInterrupts() {
  static std::once_flag started;
  std::call_once(started, [] {
    sigemptyset(&routedSignals);
    for (int signal : {SIGINT, SIGTERM})
      if (!startsIgnored(signal))
        sigaddset(&routedSignals, signal);
    if (sigisemptyset(&routedSignals))
      return;
    pthread_sigmask(SIG_BLOCK, &routedSignals, nullptr);
    pthread_t watcher;
    if (int error = pthread_create(&watcher, nullptr, watch, nullptr)) {
      // Without a watcher the signals keep their default action rather
      // than wait forever in the blocked set.
      pthread_sigmask(SIG_UNBLOCK, &routedSignals, nullptr);
      sigemptyset(&routedSignals);
      std::fprintf(stderr,
                   "aec: warning: no thread to catch Ctrl-C (%s); it will "
                   "stop the process without saving\n",
                   std::strerror(error));
      return;
    }
    pthread_detach(watcher);
  });
}

ChildProcessSignals::ChildProcessSignals() {
  assert(!guardAlive && "a child process inside an InterruptGuard");
  pthread_sigmask(SIG_UNBLOCK, &routedSignals, nullptr);
}

ChildProcessSignals::~ChildProcessSignals() {
  pthread_sigmask(SIG_BLOCK, &routedSignals, nullptr);
}

InterruptGuard::InterruptGuard() {
  watchInterrupts();
  caughtSignal = 0;
  [[maybe_unused]] bool wasAlive = guardAlive.exchange(true);
  assert(!wasAlive && "only one InterruptGuard may be alive at a time");
}

InterruptGuard::~InterruptGuard() { guardAlive = false; }

bool InterruptGuard::interrupted() const { return caughtSignal != 0; }

int InterruptGuard::signalNumber() const { return caughtSignal; }

} // namespace aenet::rt
