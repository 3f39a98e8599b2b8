//===- ScalarFinishTest.cpp - Epoch values of batch scalars ---------------===//
//
// A step whose scalars are computed here, from samples that are prediction
// errors, checks how the train loop reports them over a pass: a mean square
// and an absolute error by their row-weighted means, an rmse (batch value:
// the mean square) by the root of that mean, as Keras's
// RootMeanSquaredError, in evaluate(), metrics.csv (with val_ columns) and
// the epoch's progress line. The expected values are computed from the
// errors directly, not from the batches.
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

/// Reports [mean e^2, mean e^2, mean |e|] of the errors e of its batch.
class ErrorStep : public BatchStep {
public:
  explicit ErrorStep(int64_t rows) : errors_(rows) {}
  float *input(int) override { return errors_.data(); }
  void run(int64_t, uint64_t) override {
    double square = 0, absolute = 0;
    for (float e : errors_) {
      square += double(e) * e;
      absolute += std::fabs(e);
    }
    double n = double(errors_.size());
    scalars_ = {square / n, square / n, absolute / n};
  }
  const std::vector<double> &scalars() const override { return scalars_; }

private:
  std::vector<float> errors_;
  std::vector<double> scalars_;
};

/// `loss` and `e_mae` finished by their mean, `e_rmse` by its root.
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
  std::vector<std::string> names_ = {"loss", "e_rmse", "e_mae"};
  std::vector<ScalarFinish> finishes_ = {
      ScalarFinish::Mean, ScalarFinish::SqrtOfMean, ScalarFinish::Mean};
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
  ASSERT_EQ(values.size(), 3u);
  EXPECT_NEAR(values[0], meanSquare(), 1e-12);
  EXPECT_NEAR(values[1], std::sqrt(meanSquare()), 1e-12);
  EXPECT_NEAR(values[2], meanAbsolute(), 1e-12);
  EXPECT_GT(std::fabs(values[1] - meanOfBatchRoots()), 0.1);
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
  EXPECT_NE(out.str().find("e_rmse " + ProgressBar::formatValue(rmse)),
            std::string::npos)
      << out.str();
}
