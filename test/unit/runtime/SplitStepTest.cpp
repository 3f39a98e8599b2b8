//===- SplitStepTest.cpp - A batch step run as slices, one per core -------===//
//
// Slices whose loss and gradients are means over their rows, computed here,
// check that the split step reports the batch's values (compared with the
// same means over the whole batch, computed directly), that each slice
// gathers and reads only its rows, runs on a thread of its own with one
// OpenMP thread for its kernels, draws from its own seed, and that the
// update sees the summed gradients. A slice that throws stops the step with
// its error.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Random.h"
#include "aenet/Runtime/SplitStep.h"

#include <algorithm>

#include <gtest/gtest.h>

#include <memory>
#include <omp.h>
#include <stdexcept>

using namespace aenet::rt;

namespace {

/// Reads one value x per row from |rows| rows; reports the loss mean(x) and
/// the gradients [mean(x), mean(x^2)].
class MeanSlice : public BatchStep {
public:
  explicit MeanSlice(float *rows, int64_t count) : rows_(rows), count_(count) {}
  float *input(int) override { return rows_; }
  void run(int64_t, uint64_t seed) override {
    if (throws)
      throw std::runtime_error("slice failed");
    double sum = 0, squares = 0;
    for (int64_t i = 0; i < count_; ++i) {
      sum += rows_[i];
      squares += double(rows_[i]) * rows_[i];
    }
    gradients[0] = static_cast<float>(sum / count_);
    gradients[1] = static_cast<float>(squares / count_);
    scalars_ = {sum / count_};
    this->seed = seed;
    thread = omp_get_thread_num();
    kernelThreads = omp_get_max_threads();
  }
  const std::vector<double> &scalars() const override { return scalars_; }

  float gradients[2] = {0, 0};
  uint64_t seed = 0;
  int thread = -1, kernelThreads = -1;
  bool throws = false;

private:
  float *rows_;
  int64_t count_;
  std::vector<double> scalars_;
};

/// Records the gradients it finds in its buffers and its step and seed.
class RecordingApply : public BatchStep {
public:
  explicit RecordingApply(const float *gradients) : gradients_(gradients) {}
  float *input(int) override { return nullptr; }
  void run(int64_t step, uint64_t seed) override {
    seen = {gradients_[0], gradients_[1]};
    this->step = step;
    this->seed = seed;
  }
  const std::vector<double> &scalars() const override { return none_; }

  std::vector<float> seen;
  int64_t step = 0;
  uint64_t seed = 0;

private:
  const float *gradients_;
  std::vector<double> none_;
};

/// A split step over |values| in slices of sliceRows(values, |slices|).
struct Split {
  Split(int64_t rows, int64_t slices) : step(rows, {1}) {
    for (int64_t n : sliceRows(rows, slices)) {
      parts.push_back(std::make_unique<MeanSlice>(step.rowOf(0, first), n));
      MeanSlice &part = *parts.back();
      step.addSlice(part, n, {&part.gradients[0], &part.gradients[1]});
      first += n;
    }
    apply = std::make_unique<RecordingApply>(parts[0]->gradients);
    step.setApply(*apply, {1, 1});
  }
  SplitStep step;
  std::vector<std::unique_ptr<MeanSlice>> parts;
  std::unique_ptr<RecordingApply> apply;
  int64_t first = 0;
};

TEST(SplitStepTest, SliceRowsAreEqualTheLargerFirst) {
  EXPECT_EQ(sliceRows(256, 2), (std::vector<int64_t>{128, 128}));
  EXPECT_EQ(sliceRows(10, 3), (std::vector<int64_t>{4, 3, 3}));
  EXPECT_EQ(sliceRows(5, 1), (std::vector<int64_t>{5}));
}

TEST(SplitStepTest, ReportsTheWholeBatchsMeans) {
  const std::vector<float> x = {1, 2, 4, 8, 16};
  Split split(5, 2); // slices of 3 and 2 rows
  for (size_t i = 0; i < x.size(); ++i)
    split.step.input(0)[i] = x[i];
  split.step.run(7, 99);
  double sum = 0, squares = 0;
  for (float v : x) {
    sum += v;
    squares += double(v) * v;
  }
  ASSERT_EQ(split.step.scalars().size(), 1u);
  EXPECT_NEAR(split.step.scalars()[0], sum / 5, 1e-12);
  ASSERT_EQ(split.apply->seen.size(), 2u);
  EXPECT_NEAR(split.apply->seen[0], sum / 5, 1e-5);
  EXPECT_NEAR(split.apply->seen[1], squares / 5, 1e-4);
  EXPECT_EQ(split.apply->step, 7);
  EXPECT_EQ(split.apply->seed, 99u);
}

TEST(SplitStepTest, EachSliceRunsAloneOnItsOwnThreadAndSeed) {
  Split split(64, 2);
  int threads = omp_get_max_threads();
  omp_set_num_threads(2);
  split.step.run(1, 1234);
  EXPECT_NE(split.parts[0]->thread, split.parts[1]->thread);
  EXPECT_EQ(split.parts[0]->kernelThreads, 1);
  EXPECT_EQ(split.parts[1]->kernelThreads, 1);
  EXPECT_EQ(split.parts[0]->seed, 1234u);
  EXPECT_EQ(split.parts[1]->seed, mixSeed(1234, 1));
  // Outside the step, the kernels have their threads back.
  EXPECT_EQ(omp_get_max_threads(), 2);
  omp_set_num_threads(threads);
}

TEST(SplitStepTest, EachSliceGathersItsOwnRows) {
  Split split(10, 3); // rows 0-3, 4-6, 7-9
  std::vector<std::pair<int64_t, int64_t>> ranges(3);
  split.step.gatherAndRun(
      10, 1,
      [&](int array, int64_t first, int64_t last, float *dst) {
        EXPECT_EQ(array, 0);
        EXPECT_EQ(dst, split.step.rowOf(0, first));
        for (int64_t r = first; r < last; ++r)
          dst[r - first] = static_cast<float>(r);
        ranges[first == 0 ? 0 : first == 4 ? 1 : 2] = {first, last};
      },
      1, 1);
  EXPECT_EQ(ranges[0], (std::pair<int64_t, int64_t>{0, 4}));
  EXPECT_EQ(ranges[1], (std::pair<int64_t, int64_t>{4, 7}));
  EXPECT_EQ(ranges[2], (std::pair<int64_t, int64_t>{7, 10}));
  // The mean of 0..9, from slices that each read only their rows.
  EXPECT_NEAR(split.step.scalars()[0], 4.5, 1e-12);
  EXPECT_THROW(split.step.gatherAndRun(
                   9, 1, [](int, int64_t, int64_t, float *) {}, 1, 1),
               std::logic_error);
}

TEST(SplitStepTest, ASingleSliceRunsHereWithEveryThread) {
  Split split(20, 1);
  int threads = omp_get_max_threads();
  split.step.run(3, 5);
  EXPECT_EQ(split.parts[0]->thread, 0);
  EXPECT_EQ(split.parts[0]->kernelThreads, threads);
  EXPECT_EQ(split.parts[0]->seed, 5u);
  EXPECT_EQ(split.apply->step, 3);
  ASSERT_EQ(split.apply->seen.size(), 2u);
  EXPECT_FLOAT_EQ(split.apply->seen[0], 0.0f);
}

TEST(SplitStepTest, ASliceErrorStopsTheStep) {
  Split split(32, 2);
  split.parts[1]->throws = true;
  EXPECT_THROW(split.step.run(1, 1), std::runtime_error);
  EXPECT_TRUE(split.apply->seen.empty());
}

} // namespace

namespace {

/// A MeanSlice that reports each gradient final as compiled code does
/// (aenet_gradient_ready), the second one first, as a backward pass
/// finishes the last layer first.
class ReportingSlice : public MeanSlice {
public:
  using MeanSlice::MeanSlice;
  void run(int64_t step, uint64_t seed) override {
    MeanSlice::run(step, seed);
    aenet_gradient_ready(1);
    aenet_gradient_ready(0);
  }
};

} // namespace

// A rank's gradients, exchanged (here in a group of one process, where the
// sum over the processes is the rank's own): each is summed over the slices
// when the last slice reports it, then weighted by the rank's share of the
// batch, before the update.
TEST(SplitStepTest, ExchangedGradientsAreWeightedByTheBatchShare) {
  for (bool reports : {true, false}) {
    SplitStep step(5, {1});
    std::vector<std::unique_ptr<MeanSlice>> parts;
    int64_t first = 0;
    for (int64_t n : sliceRows(5, 2)) {
      float *rows = step.rowOf(0, first);
      parts.push_back(reports ? std::make_unique<ReportingSlice>(rows, n)
                              : std::make_unique<MeanSlice>(rows, n));
      step.addSlice(*parts.back(), n,
                    {&parts.back()->gradients[0], &parts.back()->gradients[1]});
      first += n;
    }
    RecordingApply apply(parts[0]->gradients);
    step.setApply(apply, {1, 1});
    step.exchangeGradients(ProcessGroup::world());
    ASSERT_NE(step.exchange(), nullptr);
    // Two one-float gradients: one bucket.
    EXPECT_EQ(step.exchange()->bucketCount(), 1u);
    EXPECT_EQ(step.exchange()->bytesPerStep(), 8);
    const std::vector<float> x = {1, 2, 4, 8, 16};
    for (size_t i = 0; i < x.size(); ++i)
      step.input(0)[i] = x[i];
    for (int64_t run = 1; run <= 3; ++run) {
      step.setBatchShare(0.25);
      step.run(run, 1);
      ASSERT_EQ(apply.seen.size(), 2u);
      EXPECT_NEAR(apply.seen[0], 0.25 * 31 / 5, 1e-5) << "reports " << reports;
      EXPECT_NEAR(apply.seen[1], 0.25 * 341 / 5, 1e-4) << "reports " << reports;
      // The loss stays this rank's mean: the training loop weights it.
      EXPECT_NEAR(step.scalars()[0], 31.0 / 5, 1e-12);
    }
    EXPECT_EQ(step.exchange()->steps(), 3);
  }
}

// Buckets are cut from the last gradient down, each at least kBucketBytes
// unless it holds the first gradient.
TEST(SplitStepTest, GradientExchangeCutsBucketsFromTheLastGradient) {
  const int64_t big = GradientExchange::kBucketBytes / 4;
  std::vector<std::vector<float>> buffers = {
      std::vector<float>(10), std::vector<float>(big),
      std::vector<float>(10), std::vector<float>(big / 2)};
  std::vector<float *> gradients;
  std::vector<int64_t> sizes;
  for (auto &b : buffers) {
    gradients.push_back(b.data());
    sizes.push_back(static_cast<int64_t>(b.size()));
  }
  GradientExchange exchange(ProcessGroup::world(), gradients, sizes);
  // [3, 2, 1] reach the size; [0] is the rest.
  EXPECT_EQ(exchange.bucketCount(), 2u);
  for (auto &b : buffers)
    std::fill(b.begin(), b.end(), 2.0f);
  exchange.begin(0.5f);
  exchange.ready(3);
  exchange.ready(3); // a second report changes nothing
  exchange.finish();
  for (auto &b : buffers)
    for (float v : b)
      ASSERT_EQ(v, 1.0f);
}
