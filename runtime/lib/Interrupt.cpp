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
#include <mutex>
#include <pthread.h>
#include <thread>

namespace aenet::rt {

namespace {

std::atomic<int> caughtSignal{0};
std::atomic<bool> guardAlive{false};

sigset_t interruptSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

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

void watch() {
  sigset_t set = interruptSignals();
  for (;;) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0)
      continue;
    int none = 0;
    if (guardAlive && caughtSignal.compare_exchange_strong(none, signal))
      continue;
    dieOf(signal);
  }
}

} // namespace

void watchInterrupts() {
  static std::once_flag started;
  std::call_once(started, [] {
    sigset_t set = interruptSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread(watch).detach();
  });
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
