//===- JobQueue.h - Jobs handed to the processes of a group -----*- C++ -*-===//
//
// `mpirun -np N aec sweep ...`: the sweep's runs are jobs 0..count-1, and
// each process takes the next one when it finishes one (dynamic
// scheduling), so runs of different lengths keep every process busy. Rank
// 0 hands them out on a thread of its own while it runs jobs too; a job's
// exit status comes back with its process's next request, and one that is
// not 0 stops the handing out (the jobs running finish).
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_JOBQUEUE_H
#define AENET_RUNTIME_JOBQUEUE_H

#include "aenet/Runtime/ProcessGroup.h"

#include <cstdint>
#include <memory>

namespace aenet::rt {

class JobQueue {
public:
  /// Jobs 0..|count|-1 for the processes of |group| (all of them construct
  /// one, with the same count).
  JobQueue(const ProcessGroup &group, int64_t count);
  ~JobQueue();
  JobQueue(const JobQueue &) = delete;
  JobQueue &operator=(const JobQueue &) = delete;

  /// The next job for this process, or -1 when there is none left or a job
  /// failed; |status| is the exit status of this process's previous job (0
  /// before the first).
  int64_t next(int status);
  /// After next() returned -1, on every process: the largest exit status of
  /// any job of any process, the same everywhere.
  int finish();

private:
  struct Shared;
  const ProcessGroup &group_;
  std::unique_ptr<Shared> shared_;
  int worst_ = 0;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_JOBQUEUE_H
