//===- AvailableMemoryTest.cpp - How much memory a run may still use ------===//
//
// The driver refuses runs whose estimate exceeds what this reports, so it
// must report something plausible on Linux, and its byte counts must read
// well in that refusal.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/AvailableMemory.h"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace aenet::rt;

namespace {

// Neither zero nor more than the machine's physical memory.
TEST(AvailableMemoryTest, BetweenZeroAndPhysicalMemory) {
  int64_t available = availableMemoryBytes();
  int64_t physical =
      int64_t(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE);
  EXPECT_GT(available, 0);
  EXPECT_LE(available, physical);
}

TEST(AvailableMemoryTest, FormatsInPowersOfAThousand) {
  EXPECT_EQ(formatBytes(0), "0 bytes");
  EXPECT_EQ(formatBytes(999), "999 bytes");
  EXPECT_EQ(formatBytes(1500), "1.5 kB");
  EXPECT_EQ(formatBytes(3.4e6), "3.4 MB");
  EXPECT_EQ(formatBytes(12e9), "12.0 GB");
  EXPECT_EQ(formatBytes(1.26e12), "1.3 TB");
  // A model of absurd size still prints as a number of exabytes.
  EXPECT_EQ(formatBytes(5e21), "5000.0 EB");
}

} // namespace
