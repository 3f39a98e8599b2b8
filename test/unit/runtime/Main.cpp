//===- Main.cpp - The runtime tests' main ---------------------------------===//
//
// Starts the interrupt watcher before any thread exists, as aec's main does,
// so that InterruptTest sees the process aec runs in. Death tests re-execute
// the binary ("threadsafe") instead of forking one thread without the
// watcher. SIGINT and SIGTERM start at their default actions whatever the
// shell running the tests chose (a script's background job ignores SIGINT),
// since the tests send both.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Interrupt.h"

#include <gtest/gtest.h>

#include <csignal>

int main(int argc, char **argv) {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  aenet::rt::watchInterrupts();
  // Before InitGoogleTest, so that --gtest_death_test_style still wins.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
