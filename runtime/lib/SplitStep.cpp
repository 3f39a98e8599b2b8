//===- SplitStep.cpp - A batch step run as slices, one per core -----------===//
//
// One OpenMP parallel region per step, on the pool oneDNN's kernels use:
// inside it, oneDNN and the runtime's own OpenMP loops run single-threaded
// (nested parallelism is off), so each core runs its slice's kernels
// alone. The gradients are summed in the same region, each thread over its
// share of every tensor.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/SplitStep.h"

#include "aenet/Runtime/Random.h"

#include <exception>
#include <omp.h>
#include <stdexcept>
#include <string>

namespace aenet::rt {

int stepThreads() { return omp_get_max_threads(); }

std::vector<int64_t> sliceRows(int64_t rows, int64_t slices) {
  std::vector<int64_t> sizes;
  for (int64_t s = 0; s < slices; ++s)
    sizes.push_back(rows / slices + (s < rows % slices ? 1 : 0));
  return sizes;
}

SplitStep::SplitStep(int64_t rows, const std::vector<int64_t> &sampleSizes)
    : rows_(rows), sampleSizes_(sampleSizes) {
  for (int64_t size : sampleSizes)
    inputs_.emplace_back(static_cast<size_t>(rows * size), 0.0f);
}

float *SplitStep::rowOf(int index, int64_t row) {
  return inputs_[index].data() + row * sampleSizes_[index];
}

float *SplitStep::input(int index) { return inputs_[index].data(); }

void SplitStep::addSlice(BatchStep &step, int64_t rows,
                         std::vector<float *> gradients) {
  int64_t first =
      slices_.empty() ? 0 : slices_.back().first + slices_.back().rows;
  slices_.push_back({&step, first, rows, std::move(gradients)});
}

void SplitStep::setApply(BatchStep &apply, std::vector<int64_t> sizes) {
  apply_ = &apply;
  gradientSizes_ = std::move(sizes);
}

void SplitStep::sumGradients(int thread, int threads, size_t only) {
  for (size_t g = 0; g < gradientSizes_.size(); ++g) {
    if (only != kAllGradients && g != only)
      continue;
    int64_t n = gradientSizes_[g];
    int64_t begin = n * thread / threads, end = n * (thread + 1) / threads;
    float *sum = slices_[0].gradients[g];
    float w0 = static_cast<float>(slices_[0].rows) / rows_;
    for (int64_t i = begin; i < end; ++i)
      sum[i] *= w0;
    for (size_t s = 1; s < slices_.size(); ++s) {
      const float *part = slices_[s].gradients[g];
      float w = static_cast<float>(slices_[s].rows) / rows_;
      for (int64_t i = begin; i < end; ++i)
        sum[i] += w * part[i];
    }
  }
}

void SplitStep::exchangeGradients(const ProcessGroup &group) {
  // Slice 0's buffers hold the sums over the slices.
  exchange_ = std::make_unique<GradientExchange>(
      group, slices_[0].gradients, gradientSizes_);
  finished_ = std::make_unique<std::atomic<int>[]>(gradientSizes_.size());
}

void SplitStep::resetStates() {
  for (Slice &slice : slices_)
    slice.step->resetStates();
}

void SplitStep::sumGradient(size_t g) {
  if (slices_.size() > 1)
    sumGradients(0, 1, g);
}

void SplitStep::gradientReady(int64_t ordinal) {
  if (ordinal < 0 || static_cast<size_t>(ordinal) >= gradientSizes_.size())
    return;
  size_t g = static_cast<size_t>(ordinal);
  if (finished_[g].fetch_add(1) + 1 == static_cast<int>(slices_.size())) {
    sumGradient(g);
    exchange_->ready(g);
  }
}

void SplitStep::run(int64_t step, uint64_t seed) {
  runSlices(0, nullptr, step, seed);
}

void SplitStep::gatherAndRun(int64_t rows, int arrays, const Gather &gather,
                             int64_t step, uint64_t seed) {
  if (rows != rows_)
    throw std::logic_error("a batch of " + std::to_string(rows) +
                           " rows for a step of " + std::to_string(rows_));
  runSlices(arrays, &gather, step, seed);
}

void SplitStep::runSlice(int s, int arrays, const Gather *gather,
                         int64_t step, uint64_t seed) {
  const Slice &slice = slices_[s];
  // The batch is gathered from memory the caches do not hold, row by row:
  // as long as a small model's step, so each core gathers its own rows.
  for (int a = 0; gather && a < arrays; ++a)
    (*gather)(a, slice.first, slice.first + slice.rows,
              rowOf(a, slice.first));
  // While exchanging, compiled code reports each gradient it finishes.
  GradientListenerScope listen(exchange_ ? this : nullptr);
  slice.step->run(step, s == 0 ? seed : mixSeed(seed, s));
}

void SplitStep::runSlices(int arrays, const Gather *gather, int64_t step,
                          uint64_t seed) {
  int count = static_cast<int>(slices_.size());
  std::vector<std::exception_ptr> errors(count);
  if (exchange_) {
    for (size_t g = 0; g < gradientSizes_.size(); ++g)
      finished_[g] = 0;
    exchange_->begin(exchangeWeight_);
  }
  // A batch too small to split (the last of an epoch) runs on this thread
  // with every thread for its primitives.
  if (count == 1) {
    try {
      runSlice(0, arrays, gather, step, seed);
    } catch (...) {
      errors[0] = std::current_exception();
    }
  } else {
#pragma omp parallel num_threads(count)
    {
      int thread = omp_get_thread_num(), threads = omp_get_num_threads();
      // oneDNN sizes a primitive's work split by the threads it may use when
      // the primitive is made, here at its first run: one, as it runs.
      omp_set_num_threads(1);
      // With fewer threads than slices (OMP_THREAD_LIMIT), some run two.
      // Slice s runs on thread s in every step (dynamic teams are off by
      // default), so each primitive runs on the thread that made it, as
      // oneDNN's per-thread scratchpad requires.
      for (int s = thread; s < count; s += threads) {
        try {
          runSlice(s, arrays, gather, step, seed);
        } catch (...) {
          errors[s] = std::current_exception();
        }
      }
      if (apply_ && !exchange_) {
#pragma omp barrier
        sumGradients(thread, threads);
      }
    }
  }
  if (exchange_) {
    // Gradients the compiled code did not report (none, normally; all of
    // them after an error) are summed and exchanged now: every rank's
    // exchange must see all of them, and the step must close before the
    // error leaves it.
    for (size_t g = 0; g < gradientSizes_.size(); ++g)
      if (finished_[g] < count) {
        sumGradient(g);
        exchange_->ready(g);
      }
    exchange_->finish();
  }
  for (std::exception_ptr &error : errors)
    if (error)
      std::rethrow_exception(error);

  const std::vector<double> &first = slices_[0].step->scalars();
  scalars_.assign(first.size(), 0.0);
  for (const Slice &slice : slices_) {
    const std::vector<double> &values = slice.step->scalars();
    double weight = static_cast<double>(slice.rows) / rows_;
    for (size_t i = 0; i < scalars_.size(); ++i)
      scalars_[i] += weight * values[i];
  }
  if (apply_)
    apply_->run(step, seed);
}

} // namespace aenet::rt
