//===- ProcessGroup.cpp - The processes of an mpirun job ------------------===//
//
// See ProcessGroup.h. Every MPI call of the runtime is here or in
// GradientExchange.cpp and the sweep's scheduler; an MPI error aborts the
// job (MPI_ERRORS_ARE_FATAL), which mpirun reports and which ends every
// rank, so no rank waits forever for one that failed.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/ProcessGroup.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mpi.h>
#include <stdexcept>

namespace aenet::rt {

bool ProcessGroup::launchedByMpirun() {
  for (const char *name :
       {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
    if (std::getenv(name))
      return true;
  return false;
}

namespace {
const ProcessGroup *startedGroup = nullptr;
} // namespace

const ProcessGroup *ProcessGroup::started() { return startedGroup; }

ProcessGroup &ProcessGroup::world() {
  static ProcessGroup group = [] {
    ProcessGroup g;
    if (!launchedByMpirun())
      return g;
    int provided = 0;
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided) !=
        MPI_SUCCESS)
      throw std::runtime_error("MPI_Init_thread failed");
    g.started_ = true;
    if (provided < MPI_THREAD_SERIALIZED)
      throw std::runtime_error(
          "this MPI library gives no thread support (MPI_THREAD_SERIALIZED "
          "or better), which the gradient exchange needs");
    MPI_Comm_rank(MPI_COMM_WORLD, &g.rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &g.size_);
    return g;
  }();
  if (group.started_)
    startedGroup = &group;
  return group;
}

int ProcessGroup::end(int code) const {
  if (!started_)
    return code;
  if (distributed() && code != 0 && code != 130 && !stoppedTogether_)
    MPI_Abort(MPI_COMM_WORLD, code);
  MPI_Finalize();
  return code;
}

void ProcessGroup::sum(double *values, size_t count) const {
  if (distributed())
    MPI_Allreduce(MPI_IN_PLACE, values, static_cast<int>(count), MPI_DOUBLE,
                  MPI_SUM, MPI_COMM_WORLD);
}

void ProcessGroup::sum(float *values, size_t count) const {
  if (distributed())
    MPI_Allreduce(MPI_IN_PLACE, values, static_cast<int>(count), MPI_FLOAT,
                  MPI_SUM, MPI_COMM_WORLD);
}

int64_t ProcessGroup::max(int64_t value) const {
  if (distributed())
    MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT64_T, MPI_MAX,
                  MPI_COMM_WORLD);
  return value;
}

std::vector<uint64_t> ProcessGroup::gather(uint64_t value) const {
  std::vector<uint64_t> all(static_cast<size_t>(size_), value);
  if (distributed())
    MPI_Allgather(&value, 1, MPI_UINT64_T, all.data(), 1, MPI_UINT64_T,
                  MPI_COMM_WORLD);
  return all;
}

void ProcessGroup::broadcast(int64_t &value) const {
  if (distributed())
    MPI_Bcast(&value, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
}

uint64_t hashBytes(const void *data, size_t bytes, uint64_t seed) {
  // 64-bit words through a multiply-xorshift mix (as in splitmix64): a few
  // GB/s, so hashing a data set at start costs a fraction of an epoch.
  const unsigned char *p = static_cast<const unsigned char *>(data);
  uint64_t h = seed ^ (0x9e3779b97f4a7c15ull * (bytes + 1));
  auto mix = [&](uint64_t word) {
    h ^= word;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
  };
  size_t i = 0;
  for (; i + 8 <= bytes; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    mix(word);
  }
  uint64_t tail = 0;
  if (bytes > i)
    std::memcpy(&tail, p + i, bytes - i);
  mix(tail);
  h ^= h >> 29;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 32);
}

Shard shardOf(int64_t rows, int rank, int ranks) {
  int64_t base = rows / ranks, extra = rows % ranks;
  Shard shard;
  shard.count = base + (rank < extra ? 1 : 0);
  shard.first = rank * base + std::min<int64_t>(rank, extra);
  return shard;
}

Shard shardOf(int64_t rows, const ProcessGroup *group) {
  return group ? shardOf(rows, group->rank(), group->size()) : Shard{0, rows};
}

} // namespace aenet::rt
