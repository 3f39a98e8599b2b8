//===- ProcessGroupTest.cpp - Shards, hashes and jobs of a process group --===//
//
// Without mpirun, a process is a group of one that calls no MPI: its sums,
// gathers and job queue are checked here; the same code on several
// processes runs in test/e2e/mpi-*.test.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/JobQueue.h"
#include "aenet/Runtime/ProcessGroup.h"
#include "aenet/Runtime/SplitStep.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace aenet::rt;

TEST(ProcessGroupTest, ShardsCoverABatchInOrder) {
  for (int64_t rows : {1, 5, 251, 256, 1000})
    for (int ranks : {1, 2, 3, 7, 64}) {
      int64_t next = 0;
      std::vector<int64_t> counts;
      for (int r = 0; r < ranks; ++r) {
        Shard shard = shardOf(rows, r, ranks);
        EXPECT_EQ(shard.first, next) << rows << " rows, rank " << r;
        next += shard.count;
        counts.push_back(shard.count);
      }
      EXPECT_EQ(next, rows);
      // The sizes a split step gives its slices: equal, the larger first.
      EXPECT_EQ(counts, sliceRows(rows, ranks));
    }
  EXPECT_EQ(shardOf(256, 2, 3).first, 171);
  EXPECT_EQ(shardOf(256, 2, 3).count, 85);
}

TEST(ProcessGroupTest, HashSeesEveryByte) {
  std::vector<float> values(1001, 0.5f);
  uint64_t base = hashBytes(values.data(), values.size() * 4);
  EXPECT_EQ(hashBytes(values.data(), values.size() * 4), base);
  // The last float is in the tail after the 8-byte words.
  for (size_t i : {size_t(0), size_t(500), size_t(1000)}) {
    std::vector<float> changed = values;
    uint32_t bits;
    std::memcpy(&bits, &changed[i], 4);
    bits ^= 1;
    std::memcpy(&changed[i], &bits, 4);
    EXPECT_NE(hashBytes(changed.data(), changed.size() * 4), base) << i;
  }
  // The length and the seed count too.
  EXPECT_NE(hashBytes(values.data(), 1000 * 4), base);
  EXPECT_NE(hashBytes(values.data(), values.size() * 4, 1), base);
  EXPECT_NE(hashBytes(nullptr, 0), hashBytes(nullptr, 0, 7));
}

TEST(ProcessGroupTest, AloneTheGroupIsOneProcess) {
  ASSERT_FALSE(ProcessGroup::launchedByMpirun());
  const ProcessGroup &group = ProcessGroup::world();
  EXPECT_EQ(group.size(), 1);
  EXPECT_EQ(group.rank(), 0);
  EXPECT_TRUE(group.isRoot());
  EXPECT_FALSE(group.distributed());
  EXPECT_EQ(ProcessGroup::started(), nullptr);
  double values[2] = {1.5, -2};
  group.sum(values, 2);
  EXPECT_EQ(values[0], 1.5);
  EXPECT_EQ(group.max(4), 4);
  EXPECT_EQ(group.gather(9), std::vector<uint64_t>{9});
  EXPECT_EQ(group.end(3), 3);
}

TEST(ProcessGroupTest, JobsAreHandedOutInOrderUntilOneFails) {
  const ProcessGroup &group = ProcessGroup::world();
  {
    JobQueue queue(group, 3);
    std::vector<int64_t> taken;
    for (int64_t job; (job = queue.next(0)) >= 0;)
      taken.push_back(job);
    EXPECT_EQ(taken, (std::vector<int64_t>{0, 1, 2}));
    EXPECT_EQ(queue.finish(), 0);
  }
  {
    JobQueue queue(group, 5);
    EXPECT_EQ(queue.next(0), 0);
    EXPECT_EQ(queue.next(0), 1);
    // Job 1 was interrupted: none is handed out after it.
    EXPECT_EQ(queue.next(130), -1);
    EXPECT_EQ(queue.next(0), -1);
    EXPECT_EQ(queue.finish(), 130);
  }
}
