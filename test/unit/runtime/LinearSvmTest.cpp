//===- LinearSvmTest.cpp - The linear SVM of aec probe --------------------===//
//
// Tests the liblinear wrapper against what can be known without liblinear:
// separable clusters are classified without error, and on a symmetric set
// whose optimum is solved by hand below the decision values are that
// optimum, for both solvers and two costs. Bad input throws SvmError with a
// message naming the problem.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/LinearSvm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace aenet::rt;

namespace {

/// Rows of 2 features around |centers|: each center plus every offset
/// (dx, dy) with dx, dy in {-spread, 0, spread}, labelled by center.
struct Points {
  std::vector<float> x;
  std::vector<int64_t> labels;
  int64_t rows() const { return static_cast<int64_t>(labels.size()); }
};

Points clusters(const std::vector<std::pair<float, float>> &centers,
                float spread) {
  Points p;
  for (size_t k = 0; k < centers.size(); ++k)
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy) {
        p.x.push_back(centers[k].first + dx * spread);
        p.x.push_back(centers[k].second + dy * spread);
        p.labels.push_back(static_cast<int64_t>(k));
      }
  return p;
}

/// The message of the SvmError |train| throws, or "" if it throws none.
template <typename F> std::string svmError(F train) {
  try {
    train();
  } catch (const SvmError &e) {
    return e.what();
  }
  return "";
}

const std::vector<std::pair<float, float>> kCenters = {
    {0, 6}, {6, -3}, {-6, -3}};

} // namespace

// Tests that three clusters far apart, each separable from the other two by
// a line, are classified without error, training rows and new rows between
// them alike, whichever solver runs.
TEST(LinearSvmTest, SeparableClustersAreAllRight) {
  Points train = clusters(kCenters, 1.0f);
  Points test = clusters(kCenters, 0.5f);
  for (SvmSolver solver : {SvmSolver::Dual, SvmSolver::Primal}) {
    SvmOptions options;
    options.solver = solver;
    LinearSvm svm = LinearSvm::train(train.x.data(), train.rows(), 2,
                                     train.labels, 3, options);
    EXPECT_EQ(svm.solver(), solver);
    EXPECT_EQ(svm.accuracy(train.x.data(), train.rows(), train.labels), 1.0);
    EXPECT_EQ(svm.accuracy(test.x.data(), test.rows(), test.labels), 1.0);
  }
}

// Tests that the automatic choice is the dual solver when features are at
// least as many as rows, and the primal one otherwise.
TEST(LinearSvmTest, AutomaticSolverFollowsTheShape) {
  Points many = clusters(kCenters, 1.0f); // 27 rows of 2 features
  EXPECT_EQ(LinearSvm::train(many.x.data(), many.rows(), 2, many.labels, 3)
                .solver(),
            SvmSolver::Primal);
  // 2 rows of 2 features.
  std::vector<float> x = {1, 0, -1, 0};
  EXPECT_EQ(LinearSvm::train(x.data(), 2, 2, {0, 1}, 2).solver(),
            SvmSolver::Dual);
}

// Tests the decision values against an optimum solved by hand. Class 0 is
// (2, 1) and (2, -1), class 1 is (-2, 1) and (-2, -1); scaling by the largest
// magnitudes (2 and 1) makes them (+-1, +-1). liblinear minimizes
//   1/2 (w1^2 + w2^2 + b^2) + C sum_i max(0, 1 - y_i (w . x_i + b))^2.
// Mirroring the second feature maps the set onto itself, so w2 = 0; swapping
// the classes with the sign of the first, so b = 0. Every point then has
// margin w1, the objective is 1/2 w1^2 + 4 C (1 - w1)^2, and its minimum is
// at w1 = 8C / (1 + 8C) (below 1, so every point is inside the margin, as
// assumed): 8/9 at C = 1, 2/3 at C = 1/4. A row (a, c) scores w1 * a / 2 for
// class 0 and the negative for class 1.
TEST(LinearSvmTest, DecisionValuesMatchTheHandSolvedOptimum) {
  std::vector<float> x = {2, 1, 2, -1, -2, 1, -2, -1};
  std::vector<int64_t> labels = {0, 0, 1, 1};
  std::vector<float> row = {1, 0.5f};
  for (double c : {1.0, 0.25})
    for (SvmSolver solver : {SvmSolver::Dual, SvmSolver::Primal}) {
      SvmOptions options;
      options.c = c;
      options.solver = solver;
      options.tolerance = 1e-9;
      LinearSvm svm = LinearSvm::train(x.data(), 4, 2, labels, 2, options);
      double w1 = 8 * c / (1 + 8 * c);
      std::vector<double> values = svm.decisionValues(row.data());
      ASSERT_EQ(values.size(), 2u);
      EXPECT_NEAR(values[0], w1 * 0.5, 1e-6) << "C " << c;
      EXPECT_NEAR(values[1], -w1 * 0.5, 1e-6) << "C " << c;
      EXPECT_EQ(svm.predict(row.data()), 0);
    }
}

// Tests that a feature's units do not matter: multiplying one by 1000 gives
// the same decision values, since each feature is scaled by its largest
// magnitude.
TEST(LinearSvmTest, FeatureUnitsDoNotMatter) {
  Points train = clusters(kCenters, 2.0f);
  Points wide = train;
  for (size_t i = 0; i < wide.x.size(); i += 2)
    wide.x[i] *= 1000;
  SvmOptions options;
  options.tolerance = 1e-9;
  LinearSvm a = LinearSvm::train(train.x.data(), train.rows(), 2,
                                 train.labels, 3, options);
  LinearSvm b = LinearSvm::train(wide.x.data(), wide.rows(), 2, wide.labels,
                                 3, options);
  std::vector<float> row = {1.5f, -0.5f}, wideRow = {1500, -0.5f};
  std::vector<double> va = a.decisionValues(row.data());
  std::vector<double> vb = b.decisionValues(wideRow.data());
  for (int k = 0; k < 3; ++k)
    EXPECT_NEAR(va[k], vb[k], 1e-5) << "class " << k;
}

// Tests that a class missing from the training labels is never predicted:
// its decision value is -infinity, and the two classes seen keep their own.
TEST(LinearSvmTest, AbsentClassIsNeverPredicted) {
  std::vector<float> x = {3, 0, 2, 1, -3, 0, -2, 1};
  LinearSvm svm = LinearSvm::train(x.data(), 4, 2, {2, 2, 0, 0}, 3);
  std::vector<float> right = {3, 0.5f}, left = {-3, 0.5f};
  EXPECT_EQ(svm.predict(right.data()), 2);
  EXPECT_EQ(svm.predict(left.data()), 0);
  EXPECT_TRUE(std::isinf(svm.decisionValues(right.data())[1]));
}

// Tests that unusable input throws SvmError saying what is wrong.
TEST(LinearSvmTest, BadInputIsReported) {
  std::vector<float> x = {1, 0, -1, 0};
  EXPECT_NE(svmError([&] { LinearSvm::train(x.data(), 2, 2, {1, 1}, 2); })
                .find("every training label is class 1"),
            std::string::npos);
  EXPECT_NE(svmError([&] { LinearSvm::train(x.data(), 2, 2, {0, 5}, 3); })
                .find("label 5 of training row 1 is not a class from 0 to 2"),
            std::string::npos);
  EXPECT_NE(svmError([&] { LinearSvm::train(x.data(), 2, 2, {0}, 2); })
                .find("2 training rows but 1 labels"),
            std::string::npos);
  EXPECT_NE(svmError([&] { LinearSvm::train(x.data(), 0, 2, {}, 2); })
                .find("no training rows"),
            std::string::npos);
  std::vector<float> nan = {1, NAN, -1, 0};
  EXPECT_NE(svmError([&] { LinearSvm::train(nan.data(), 2, 2, {0, 1}, 2); })
                .find("feature 1 of training row 0 is nan"),
            std::string::npos);
  SvmOptions zeroCost;
  zeroCost.c = 0;
  EXPECT_NE(svmError([&] {
              LinearSvm::train(x.data(), 2, 2, {0, 1}, 2, zeroCost);
            }).find("the cost C must be a finite number above 0"),
            std::string::npos);
  LinearSvm svm = LinearSvm::train(x.data(), 2, 2, {0, 1}, 2);
  EXPECT_NE(svmError([&] { svm.accuracy(x.data(), 2, {0, 2}); })
                .find("label 2 of test row 1"),
            std::string::npos);
  EXPECT_NE(svmError([&] { svm.predict(nan.data()); })
                .find("feature 1 of the row is nan"),
            std::string::npos);
}
