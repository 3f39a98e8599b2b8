//===- GradientExchange.h - Gradients summed over the ranks -----*- C++ -*-===//
//
// Data-parallel training on several processes (`mpirun -np N aec train`):
// each rank computes the gradients of its share of a batch, and before the
// update every rank needs their sum. As PyTorch's DistributedDataParallel
// does, the gradients are grouped into buckets of about kBucketBytes, in the
// order the backward pass finishes them (the last layer's first), and a
// bucket's allreduce starts as soon as its last gradient is final, on a
// thread of its own, so that communication overlaps the rest of the
// backward pass.
//
// Compiled code says when a gradient is final: a data-parallel grad_step
// calls `aenet_gradient_ready(i)` right after writing its i-th gradient
// (aenet-bind-buffers). The call goes to the listener the calling thread
// installed with a GradientListenerScope, or nowhere.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_GRADIENTEXCHANGE_H
#define AENET_RUNTIME_GRADIENTEXCHANGE_H

#include "aenet/Runtime/ProcessGroup.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

extern "C" {
/// Called by compiled code once its gradient output |ordinal| (in the order
/// of the entry's gradient buffers) holds its final value.
void aenet_gradient_ready(int64_t ordinal);
}

namespace aenet::rt {

/// Receives the aenet_gradient_ready calls of one thread.
class GradientListener {
public:
  virtual ~GradientListener();
  virtual void gradientReady(int64_t ordinal) = 0;
};

/// While alive, the calling thread's aenet_gradient_ready calls go to
/// |listener|.
class GradientListenerScope {
public:
  explicit GradientListenerScope(GradientListener *listener);
  ~GradientListenerScope();
  GradientListenerScope(const GradientListenerScope &) = delete;
  GradientListenerScope &operator=(const GradientListenerScope &) = delete;

private:
  GradientListener *previous_;
};

class GradientExchange {
public:
  /// Buckets this large or larger (a gradient is never cut): PyTorch DDP's
  /// first bucket is 1 MiB; the models here have 0.2-5 MiB of gradients,
  /// and smaller buckets let more of the sum overlap the backward pass.
  static constexpr int64_t kBucketBytes = 128 << 10;

  /// Sums |gradients| (of |sizes| floats each, listed in the order the
  /// compiled code numbers them) over the ranks of |group|.
  GradientExchange(const ProcessGroup &group, std::vector<float *> gradients,
                   std::vector<int64_t> sizes);
  ~GradientExchange();
  GradientExchange(const GradientExchange &) = delete;
  GradientExchange &operator=(const GradientExchange &) = delete;

  /// Starts a step whose gradients are this rank's mean over its rows,
  /// which are |weight| of the batch's: each is scaled by it, so that the
  /// sum is the batch's mean.
  void begin(float weight);
  /// Gradient |g| is final; from any thread.
  void ready(size_t g);
  /// Marks every gradient not yet ready, and waits until every bucket is
  /// summed: the buffers then hold the batch's gradients on every rank.
  void finish();

  /// Seconds the buckets' allreduces took since construction (wall time on
  /// the communication thread), and how much of it finish() waited for.
  double communicationSeconds() const { return communicationSeconds_; }
  double waitSeconds() const { return waitSeconds_; }
  int64_t steps() const { return steps_; }
  int64_t bytesPerStep() const;
  size_t bucketCount() const { return buckets_.size(); }

private:
  struct Bucket {
    std::vector<size_t> gradients;
    std::vector<float> staging;
    int pending = 0; ///< gradients not yet ready in this step
  };
  void communicate();

  const ProcessGroup &group_;
  std::vector<float *> gradients_;
  std::vector<int64_t> sizes_;
  std::vector<Bucket> buckets_;
  std::vector<size_t> bucketOf_;
  std::vector<char> isReady_;
  float weight_ = 1;

  std::mutex mutex_;
  std::condition_variable changed_;
  size_t reduced_ = 0; ///< buckets summed in this step
  bool stepOpen_ = false;
  bool stopping_ = false;
  double communicationSeconds_ = 0, waitSeconds_ = 0;
  int64_t steps_ = 0;
  std::thread thread_;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_GRADIENTEXCHANGE_H
