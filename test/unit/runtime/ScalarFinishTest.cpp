//===- ScalarFinishTest.cpp - Epoch values of batch scalars ---------------===//
//
// A step whose scalars are computed here, from samples that are prediction
// errors, checks how the train loop reports them over a pass: a mean square
// and an absolute error by their row-weighted means, an rmse (batch value:
// the mean square) by the root of that mean, as Keras's
// RootMeanSquaredError, in evaluate(), metrics.csv (with val_ columns) and
// the epoch's progress line; a count per row (as the errors metric's wrong
// classes) by its sum over the pass's rows. The expected values are computed
// from the errors directly, not from the batches.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/MetricsLog.h"
#include "aenet/Runtime/Progress.h"
#include "aenet/Runtime/ScalarFinish.h"
#include "aenet/Runtime/TrainLoop.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <sstream>

using namespace aenet::rt;

namespace {

/// Reports [mean e^2, mean e^2, mean |e|, mean [|e| > 3]] of the errors e of
/// its batch: the last is the batch's count of large errors per row.
class ErrorStep : public BatchStep {
public:
  explicit ErrorStep(int64_t rows) : errors_(rows) {}
  float *input(int) override { return errors_.data(); }
  void run(int64_t, uint64_t) override {
    double square = 0, absolute = 0, large = 0;
    for (float e : errors_) {
      square += double(e) * e;
      absolute += std::fabs(e);
      large += std::fabs(e) > 3;
    }
    double n = double(errors_.size());
    scalars_ = {square / n, square / n, absolute / n, large / n};
  }
  const std::vector<double> &scalars() const override { return scalars_; }

private:
  std::vector<float> errors_;
  std::vector<double> scalars_;
};

/// `loss` and `e_mae` finished by their mean, `e_rmse` by its root,
/// `e_errors` by its total.
class ErrorSteps : public BatchStepSource {
public:
  BatchStep &trainStep(int64_t rows) override { return step(rows); }
  BatchStep &evalStep(int64_t rows) override { return step(rows); }
  const std::vector<std::string> &scalarNames() const override {
    return names_;
  }
  const std::vector<ScalarFinish> &scalarFinishes() const override {
    return finishes_;
  }

private:
  BatchStep &step(int64_t rows) {
    auto &s = steps_[rows];
    if (!s)
      s = std::make_unique<ErrorStep>(rows);
    return *s;
  }
  std::vector<std::string> names_ = {"loss", "e_rmse", "e_mae", "e_errors"};
  std::vector<ScalarFinish> finishes_ = {ScalarFinish::Mean,
                                         ScalarFinish::SqrtOfMean,
                                         ScalarFinish::Mean,
                                         ScalarFinish::Total};
  std::map<int64_t, std::unique_ptr<BatchStep>> steps_;
};

/// Errors whose batches of 3 (3, 3 and 1 samples) differ in mean square.
const std::vector<float> kErrors = {1, -2, 3, 4, -5, 6, 10};

Dataset errors() {
  Dataset data;
  data.add(Array{"e", {}, kErrors, "errors"});
  return data;
}

double meanSquare() {
  double sum = 0;
  for (float e : kErrors)
    sum += double(e) * e;
  return sum / double(kErrors.size());
}

double meanAbsolute() {
  double sum = 0;
  for (float e : kErrors)
    sum += std::fabs(e);
  return sum / double(kErrors.size());
}

/// The number of errors larger than 3 in magnitude, over all samples.
double largeErrors() {
  return double(std::count_if(kErrors.begin(), kErrors.end(),
                              [](float e) { return std::fabs(e) > 3; }));
}

/// What a per-batch rmse averaged over the batches would give instead.
double meanOfBatchRoots() {
  double sum = 0;
  for (size_t begin = 0; begin < kErrors.size(); begin += 3) {
    size_t end = std::min(kErrors.size(), begin + 3);
    double square = 0;
    for (size_t i = begin; i < end; ++i)
      square += double(kErrors[i]) * kErrors[i];
    sum += double(end - begin) * std::sqrt(square / double(end - begin));
  }
  return sum / double(kErrors.size());
}

} // namespace

// Tests the finishing alone: means, the root of a mean, and a scalar beyond
// the finishes given, which is a mean.
TEST(ScalarFinish, RootOfTheRowWeightedMean) {
  std::vector<double> values = finishScalars(
      {8, 8, 8}, 2, {ScalarFinish::Mean, ScalarFinish::SqrtOfMean});
  EXPECT_EQ(values, (std::vector<double>{4, 2, 4}));
}

// Tests that a total is the sum as it is, over any number of rows (none
// too), not divided by them.
TEST(ScalarFinish, TotalIsTheRowWeightedSum) {
  std::vector<ScalarFinish> finishes = {ScalarFinish::Mean,
                                        ScalarFinish::Total};
  EXPECT_EQ(finishScalars({8, 8}, 2, finishes), (std::vector<double>{4, 8}));
  EXPECT_EQ(finishScalars({8, 8}, 1, finishes), (std::vector<double>{8, 8}));
  EXPECT_EQ(finishScalars({0, 0}, 0, finishes), (std::vector<double>{0, 0}));
}

// Tests that an evaluation pass reports the rmse of all its samples, which
// the mean of the batches' roots is not.
TEST(ScalarFinish, EvaluateTakesTheRootAfterAveraging) {
  ErrorSteps steps;
  ParameterStore store;
  Dataset data = errors();
  LoopOptions options;
  options.batch = 3;
  std::ostringstream out;
  TrainLoop loop(steps, store, data, nullptr, options, out);
  std::vector<double> values = loop.evaluate(data);
  ASSERT_EQ(values.size(), 4u);
  EXPECT_NEAR(values[0], meanSquare(), 1e-12);
  EXPECT_NEAR(values[1], std::sqrt(meanSquare()), 1e-12);
  EXPECT_NEAR(values[2], meanAbsolute(), 1e-12);
  EXPECT_GT(std::fabs(values[1] - meanOfBatchRoots()), 0.1);
  // The count of the whole pass (4), from batches counting 0, 3 and 1.
  EXPECT_NEAR(values[3], largeErrors(), 1e-12);
}

// Tests that an epoch's metrics.csv row, its val_ columns and its progress
// line hold the root of the epoch's mean square.
TEST(ScalarFinish, EpochRowAndProgressLine) {
  aenet::test::TempDir dir;
  ErrorSteps steps;
  ParameterStore store;
  Dataset train = errors(), validation = errors();
  LoopOptions options;
  options.batch = 3;
  options.shuffle = false;
  options.checkpointPath = dir.file("model.safetensors");
  options.metricsPath = dir.file("metrics.csv");
  std::ostringstream out;
  TrainLoop loop(steps, store, train, &validation, options, out);
  LoopState state;
  ASSERT_EQ(loop.run(state, {}), LoopOutcome::Finished);

  MetricsTable table = readMetricsCsv(options.metricsPath);
  ASSERT_EQ(table.rows.size(), 1u);
  const std::vector<double> &row = table.rows[0];
  double rmse = std::sqrt(meanSquare());
  EXPECT_NEAR(row[table.columnIndex("loss")], meanSquare(), 1e-12);
  EXPECT_NEAR(row[table.columnIndex("e_rmse")], rmse, 1e-12);
  EXPECT_NEAR(row[table.columnIndex("e_mae")], meanAbsolute(), 1e-12);
  EXPECT_NEAR(row[table.columnIndex("val_e_rmse")], rmse, 1e-12);
  EXPECT_NEAR(row[table.columnIndex("e_errors")], largeErrors(), 1e-12);
  EXPECT_NEAR(row[table.columnIndex("val_e_errors")], largeErrors(), 1e-12);
  EXPECT_NE(out.str().find("e_rmse " + ProgressBar::formatValue(rmse)),
            std::string::npos)
      << out.str();
  EXPECT_NE(
      out.str().find("e_errors " + ProgressBar::formatValue(largeErrors())),
      std::string::npos)
      << out.str();
}
