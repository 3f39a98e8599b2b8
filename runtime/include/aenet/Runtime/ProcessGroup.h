//===- ProcessGroup.h - The processes of an mpirun job ----------*- C++ -*-===//
//
// `mpirun -np N aec train|sweep ...` starts N processes (ranks) that train
// one model together or share a sweep's runs. This is their view of each
// other through Open MPI: who they are, and the few collective operations
// training needs. A process started without mpirun is a group of one that
// never calls MPI, so a plain `aec train` starts no MPI runtime.
//
// MPI is started with MPI_THREAD_SERIALIZED at least: the gradient
// exchange's thread and a sweep's scheduler call MPI while the main thread
// computes, never at the same time as it (their owners wait for them before
// the main thread calls MPI again).
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_PROCESSGROUP_H
#define AENET_RUNTIME_PROCESSGROUP_H

#include <cstdint>
#include <string>
#include <vector>

namespace aenet::rt {

class ProcessGroup {
public:
  /// This process's group: MPI_COMM_WORLD when mpirun started it (MPI is
  /// started at the first call), else a group of one. Throws
  /// std::runtime_error when MPI cannot start or lacks thread support.
  static ProcessGroup &world();
  /// world(), if a call to it started MPI; else null.
  static const ProcessGroup *started();
  /// Whether mpirun (Open MPI's or another launcher setting PMI's or PMIx's
  /// variables) started this process.
  static bool launchedByMpirun();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool isRoot() const { return rank_ == 0; }
  /// More than one process.
  bool distributed() const { return size_ > 1; }

  /// Sums |count| values over the ranks, in place, every rank getting the
  /// sum. The order of the sum is MPI's, the same on every rank.
  void sum(double *values, size_t count) const;
  void sum(float *values, size_t count) const;
  /// The largest of every rank's |value|.
  int64_t max(int64_t value) const;
  /// Every rank's |value|, by rank.
  std::vector<uint64_t> gather(uint64_t value) const;
  /// Rank 0's |value| on every rank.
  void broadcast(int64_t &value) const;

  /// Records that every rank knows why the run stops (a check all of them
  /// made, a divergence or Ctrl-C they agreed on): the job can end with
  /// MPI_Finalize. A rank that stops alone must end it with MPI_Abort
  /// instead, or the others would wait for it forever.
  void stopTogether() const { stoppedTogether_ = true; }
  bool stoppedTogether() const { return stoppedTogether_; }
  /// Ends the job at the end of main with exit status |code|: MPI_Finalize
  /// after a success or a stop all ranks agreed on, else MPI_Abort, which
  /// ends every rank (mpirun reports it). Returns |code|.
  int end(int code) const;

private:
  ProcessGroup() = default;
  int rank_ = 0;
  int size_ = 1;
  bool started_ = false;
  mutable bool stoppedTogether_ = false;
};

/// A 64-bit hash of |bytes| bytes at |data|, continuing from |seed|: for
/// checking that the ranks hold the same data, model and parameters (not
/// for security).
uint64_t hashBytes(const void *data, size_t bytes, uint64_t seed = 0);

/// The rows of a batch of |rows| rows that rank |rank| of |ranks| runs:
/// [first, first + count), consecutive by rank, as equal as can be.
struct Shard {
  int64_t first = 0;
  int64_t count = 0;
};
Shard shardOf(int64_t rows, int rank, int ranks);
/// This process's shard of a batch of |rows| rows in |group|; all of them
/// when |group| is null (one process).
Shard shardOf(int64_t rows, const ProcessGroup *group);

} // namespace aenet::rt

#endif // AENET_RUNTIME_PROCESSGROUP_H
