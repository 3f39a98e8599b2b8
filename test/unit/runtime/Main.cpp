//===- Main.cpp - The runtime tests' main ---------------------------------===//
//
// Starts the interrupt watcher before any thread exists, as aec's main does,
// so that InterruptTest sees the process aec runs in. Death tests re-execute
// the binary ("threadsafe") instead of forking one thread without the watcher.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Interrupt.h"

#include <gtest/gtest.h>

int main(int argc, char **argv) {
  aenet::rt::watchInterrupts();
  testing::InitGoogleTest(&argc, argv);
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  return RUN_ALL_TESTS();
}
