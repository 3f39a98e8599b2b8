//===- JobQueue.cpp - Jobs handed to the processes of a group -------------===//
//
// A request is one int64 (the status of the requester's previous job) on
// kRequestTag; the reply one int64 (the next job, or -1). Rank 0's server
// thread probes for requests with short sleeps instead of blocking in MPI,
// whose blocking calls spin and would take a core from rank 0's own run.
// While it serves, rank 0's main thread calls no MPI: its jobs train alone.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/JobQueue.h"

#include <algorithm>
#include <chrono>
#include <mpi.h>
#include <mutex>
#include <thread>

namespace aenet::rt {

namespace {
constexpr int kRequestTag = 0x6a6f62; // "job"
} // namespace

struct JobQueue::Shared {
  std::mutex mutex;
  int64_t count = 0;
  int64_t nextJob = 0;
  bool stopped = false;
  int worst = 0;
  std::thread server;

  /// Records |status| and hands out the next job, or -1.
  int64_t take(int status) {
    std::lock_guard<std::mutex> lock(mutex);
    worst = std::max(worst, status);
    if (status != 0)
      stopped = true;
    if (stopped || nextJob >= count)
      return -1;
    return nextJob++;
  }
};

JobQueue::JobQueue(const ProcessGroup &group, int64_t count)
    : group_(group), shared_(std::make_unique<Shared>()) {
  shared_->count = count;
  if (!group.isRoot() || !group.distributed())
    return;
  shared_->server = std::thread([this] {
    // Serves until every other process has been told there is no job left.
    int waiting = group_.size() - 1;
    while (waiting > 0) {
      int arrived = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &arrived,
                 &status);
      if (!arrived) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      int64_t previous = 0;
      MPI_Recv(&previous, 1, MPI_INT64_T, status.MPI_SOURCE, kRequestTag,
               MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      int64_t job = shared_->take(static_cast<int>(previous));
      MPI_Send(&job, 1, MPI_INT64_T, status.MPI_SOURCE, kRequestTag,
               MPI_COMM_WORLD);
      if (job < 0)
        --waiting;
    }
  });
}

JobQueue::~JobQueue() {
  if (shared_->server.joinable())
    shared_->server.join();
}

int64_t JobQueue::next(int status) {
  worst_ = std::max(worst_, status);
  if (group_.isRoot())
    return shared_->take(status);
  int64_t previous = status, job = -1;
  MPI_Send(&previous, 1, MPI_INT64_T, 0, kRequestTag, MPI_COMM_WORLD);
  MPI_Recv(&job, 1, MPI_INT64_T, 0, kRequestTag, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return job;
}

int JobQueue::finish() {
  if (shared_->server.joinable())
    shared_->server.join();
  int64_t worst = std::max(worst_, shared_->worst);
  return static_cast<int>(group_.max(worst));
}

} // namespace aenet::rt
