//===- InterruptTest.cpp - Catching Ctrl-C --------------------------------===//
//
// Sends real signals to the test process, as a terminal's Ctrl-C or a kill
// does. The watcher thread takes them asynchronously, so the tests wait for
// the flag (at most 5 s) instead of checking it right after kill(). That no
// thread can run a handler is checked on the signal masks of the main
// thread, a new thread and OpenMP's workers: the property that keeps
// oneDNN's kernels safe. The binary's main starts the watcher first, as
// aec's does; the death tests run in a re-executed child ("threadsafe"
// style) so that the child has its watcher too.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Interrupt.h"

#include <gtest/gtest.h>

#include <omp.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <csignal>
#include <thread>
#include <vector>

using namespace aenet::rt;

namespace {

/// Waits up to 5 s for |guard| to see a signal.
bool waitForSignal(const InterruptGuard &guard) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!guard.interrupted() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return guard.interrupted();
}

/// Whether the calling thread has both SIGINT and SIGTERM blocked.
bool blocksInterrupts() {
  sigset_t mask;
  pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return sigismember(&mask, SIGINT) == 1 && sigismember(&mask, SIGTERM) == 1;
}

TEST(InterruptTest, SigintSetsTheFlag) {
  InterruptGuard guard;
  EXPECT_FALSE(guard.interrupted());
  ASSERT_EQ(kill(getpid(), SIGINT), 0);
  ASSERT_TRUE(waitForSignal(guard));
  EXPECT_EQ(guard.signalNumber(), SIGINT);
}

TEST(InterruptTest, SigtermIsCaughtToo) {
  InterruptGuard guard;
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  ASSERT_TRUE(waitForSignal(guard));
  EXPECT_EQ(guard.signalNumber(), SIGTERM);
}

TEST(InterruptTest, FlagStartsClearForEachGuard) {
  {
    InterruptGuard guard;
    ASSERT_EQ(kill(getpid(), SIGINT), 0);
    ASSERT_TRUE(waitForSignal(guard));
  }
  InterruptGuard next;
  EXPECT_FALSE(next.interrupted());
}

TEST(InterruptTest, NoThreadCanBeInterrupted) {
  InterruptGuard guard;
  EXPECT_TRUE(blocksInterrupts()) << "the main thread";
  bool spawned = false;
  std::thread([&] { spawned = blocksInterrupts(); }).join();
  EXPECT_TRUE(spawned) << "a thread started after the watcher";
  std::vector<int> workers(2, -1);
#pragma omp parallel num_threads(2)
  workers[omp_get_thread_num()] = blocksInterrupts();
  EXPECT_EQ(workers[0], 1) << "OpenMP's master";
  ASSERT_NE(workers[1], -1) << "OpenMP gave one thread (OMP_THREAD_LIMIT?)";
  EXPECT_EQ(workers[1], 1) << "an OpenMP worker";
  // Nothing is left to run on a computing thread's stack.
  struct sigaction action = {};
  sigaction(SIGINT, nullptr, &action);
  EXPECT_EQ(action.sa_handler, SIG_DFL);
  sigaction(SIGTERM, nullptr, &action);
  EXPECT_EQ(action.sa_handler, SIG_DFL);
}

TEST(InterruptTest, AChildProcessScopeUnblocksTheSignals) {
  {
    ChildProcessSignals scope;
    EXPECT_FALSE(blocksInterrupts());
  }
  EXPECT_TRUE(blocksInterrupts());
}

TEST(InterruptDeathTest, ASecondSignalEndsTheProcess) {
  EXPECT_EXIT(
      {
        InterruptGuard guard;
        kill(getpid(), SIGINT);
        if (!waitForSignal(guard))
          std::_Exit(2);
        // Tells the first signal's survival from the second's effect.
        std::fprintf(stderr, "caught the first\n");
        kill(getpid(), SIGINT);
        sleep(5);
        std::_Exit(0);
      },
      testing::KilledBySignal(SIGINT), "caught the first");
}

TEST(InterruptDeathTest, ASignalOutsideAGuardEndsTheProcess) {
  EXPECT_EXIT(
      {
        kill(getpid(), SIGTERM);
        sleep(5);
        std::_Exit(0);
      },
      testing::KilledBySignal(SIGTERM), "");
}

} // namespace
