//===- GradientExchange.cpp - Gradients summed over the ranks -------------===//
//
// One communication thread per exchange sums the buckets in a fixed order,
// the same on every rank (MPI's collectives must be called in the same order
// everywhere), each as soon as all of its gradients are final. It polls its
// nonblocking allreduce with short sleeps rather than blocking in MPI: Open
// MPI's blocking calls spin, and on a machine with a rank per core the spin
// would take the core from the rank's own backward pass.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/GradientExchange.h"

#include <chrono>
#include <mpi.h>

namespace aenet::rt {

namespace {
thread_local GradientListener *currentListener = nullptr;
} // namespace

GradientListener::~GradientListener() = default;

GradientListenerScope::GradientListenerScope(GradientListener *listener)
    : previous_(currentListener) {
  currentListener = listener;
}

GradientListenerScope::~GradientListenerScope() {
  currentListener = previous_;
}

GradientExchange::GradientExchange(const ProcessGroup &group,
                                   std::vector<float *> gradients,
                                   std::vector<int64_t> sizes)
    : group_(group), gradients_(std::move(gradients)),
      sizes_(std::move(sizes)), bucketOf_(gradients_.size()),
      isReady_(gradients_.size(), 0) {
  // The backward pass finishes the last layer's gradients first: buckets
  // are cut from the last gradient down.
  for (size_t k = gradients_.size(); k-- > 0;) {
    if (buckets_.empty() ||
        static_cast<int64_t>(buckets_.back().staging.size()) * 4 >=
            kBucketBytes)
      buckets_.emplace_back();
    Bucket &bucket = buckets_.back();
    bucket.gradients.push_back(k);
    bucket.staging.resize(bucket.staging.size() + sizes_[k]);
    bucketOf_[k] = buckets_.size() - 1;
  }
  thread_ = std::thread([this] { communicate(); });
}

GradientExchange::~GradientExchange() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

int64_t GradientExchange::bytesPerStep() const {
  int64_t floats = 0;
  for (int64_t size : sizes_)
    floats += size;
  return floats * 4;
}

void GradientExchange::begin(float weight) {
  std::lock_guard<std::mutex> lock(mutex_);
  weight_ = weight;
  reduced_ = 0;
  for (Bucket &bucket : buckets_)
    bucket.pending = static_cast<int>(bucket.gradients.size());
  std::fill(isReady_.begin(), isReady_.end(), 0);
  stepOpen_ = true;
}

void GradientExchange::ready(size_t g) {
  bool bucketDone = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stepOpen_ || g >= isReady_.size() || isReady_[g])
      return;
    isReady_[g] = 1;
    bucketDone = --buckets_[bucketOf_[g]].pending == 0;
  }
  if (bucketDone)
    changed_.notify_all();
}

void GradientExchange::finish() {
  auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  for (size_t g = 0; g < isReady_.size(); ++g)
    if (!isReady_[g]) {
      isReady_[g] = 1;
      --buckets_[bucketOf_[g]].pending;
    }
  changed_.notify_all();
  changed_.wait(lock, [&] { return reduced_ == buckets_.size(); });
  stepOpen_ = false;
  ++steps_;
  waitSeconds_ += std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - start)
                      .count();
}

void GradientExchange::communicate() {
  for (;;) {
    size_t b;
    float weight;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] {
        return stopping_ || (stepOpen_ && reduced_ < buckets_.size() &&
                             buckets_[reduced_].pending == 0);
      });
      if (stopping_)
        return;
      b = reduced_;
      weight = weight_;
    }
    auto start = std::chrono::steady_clock::now();
    Bucket &bucket = buckets_[b];
    float *staged = bucket.staging.data();
    for (size_t g : bucket.gradients) {
      const float *gradient = gradients_[g];
      for (int64_t i = 0; i < sizes_[g]; ++i)
        staged[i] = weight * gradient[i];
      staged += sizes_[g];
    }
    // A group of one (a test, or mpirun -np 1) has its sums already.
    if (group_.distributed()) {
      MPI_Request request;
      MPI_Iallreduce(MPI_IN_PLACE, bucket.staging.data(),
                     static_cast<int>(bucket.staging.size()), MPI_FLOAT,
                     MPI_SUM, MPI_COMM_WORLD, &request);
      int done = 0;
      for (int polls = 0; !done; ++polls) {
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (!done && polls >= 64)
          std::this_thread::sleep_for(std::chrono::microseconds(20));
      }
    }
    const float *summed = bucket.staging.data();
    for (size_t g : bucket.gradients) {
      std::copy(summed, summed + sizes_[g], gradients_[g]);
      summed += sizes_[g];
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++reduced_;
      communicationSeconds_ += std::chrono::duration<double>(
                                   std::chrono::steady_clock::now() - start)
                                   .count();
    }
    changed_.notify_all();
  }
}

} // namespace aenet::rt

extern "C" void aenet_gradient_ready(int64_t ordinal) {
  if (aenet::rt::GradientListener *listener = aenet::rt::currentListener)
    listener->gradientReady(ordinal);
}
