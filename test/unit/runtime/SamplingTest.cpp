//===- SamplingTest.cpp - Temperature and draws of aec generate -----------===//
//
// The temperature formula against values computed by hand, the cases with
// nothing to draw from, and the draw's frequencies, zero weights and
// reproducibility per seed.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Sampling.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aenet::rt;

namespace {

TEST(SamplingTest, TemperatureOneRenormalizes) {
  float p[] = {0.2f, 0.3f, 0.3f};
  std::vector<double> q = withTemperature(p, 3, 1.0);
  ASSERT_EQ(q.size(), 3u);
  EXPECT_NEAR(q[0], 0.25, 1e-7);
  EXPECT_NEAR(q[1], 0.375, 1e-7);
  EXPECT_NEAR(q[2], 0.375, 1e-7);
}

TEST(SamplingTest, TemperatureIsAPowerOfTheProbabilities) {
  // exp(log(p) / T) / sum: for T = 0.5 the squares, for T = 2 the roots.
  float p[] = {0.1f, 0.6f, 0.3f, 0.0f};
  std::vector<double> sharp = withTemperature(p, 4, 0.5);
  double squares = 0.01 + 0.36 + 0.09;
  EXPECT_NEAR(sharp[0], 0.01 / squares, 1e-6);
  EXPECT_NEAR(sharp[1], 0.36 / squares, 1e-6);
  EXPECT_NEAR(sharp[2], 0.09 / squares, 1e-6);
  EXPECT_EQ(sharp[3], 0.0);
  std::vector<double> flat = withTemperature(p, 4, 2.0);
  double roots = std::sqrt(0.1) + std::sqrt(0.6) + std::sqrt(0.3);
  EXPECT_NEAR(flat[1], std::sqrt(0.6) / roots, 1e-6);
  EXPECT_EQ(flat[3], 0.0);
}

TEST(SamplingTest, TinyTemperaturesDoNotOverflow) {
  float p[] = {0.25f, 0.5f, 0.25f};
  std::vector<double> q = withTemperature(p, 3, 1e-3);
  EXPECT_NEAR(q[1], 1.0, 1e-12);
  EXPECT_GE(q[0], 0.0);
}

TEST(SamplingTest, OnlyTheFirstCountEntriesAreUsed) {
  // Padding slots of a vocabulary smaller than V are never drawn.
  float p[] = {0.5f, 0.5f, 0.9f};
  std::vector<double> q = withTemperature(p, 2, 1.0);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_NEAR(q[0] + q[1], 1.0, 1e-12);
}

TEST(SamplingTest, NothingToDrawFromIsEmpty) {
  float zeros[] = {0.0f, 0.0f};
  EXPECT_TRUE(withTemperature(zeros, 2, 1.0).empty());
  float nan[] = {0.5f, std::nanf("")};
  EXPECT_TRUE(withTemperature(nan, 2, 1.0).empty());
  float negative[] = {1.5f, -0.5f};
  EXPECT_TRUE(withTemperature(negative, 2, 1.0).empty());
}

TEST(SamplingTest, DrawsFollowTheWeightsAndSkipZeros) {
  std::vector<double> weights = {0.2, 0.0, 0.8};
  Rng rng(42);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 20000; ++i)
    ++counts[drawIndex(weights, rng)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0] / 20000.0, 0.2, 0.015);
  EXPECT_NEAR(counts[2] / 20000.0, 0.8, 0.015);
}

TEST(SamplingTest, DrawsRepeatPerSeed) {
  std::vector<double> weights = {0.25, 0.25, 0.25, 0.25};
  Rng a(7), b(7), c(8);
  std::vector<int64_t> da, db, dc;
  for (int i = 0; i < 32; ++i) {
    da.push_back(drawIndex(weights, a));
    db.push_back(drawIndex(weights, b));
    dc.push_back(drawIndex(weights, c));
  }
  EXPECT_EQ(da, db);
  EXPECT_NE(da, dc);
}

TEST(SamplingTest, RoundingShortfallPicksTheLastPossibleIndex) {
  // Weights that sum to less than any uniform near 1 still give an index
  // of positive weight.
  std::vector<double> weights = {1e-300, 0.0};
  Rng rng(1);
  EXPECT_EQ(drawIndex(weights, rng), 0);
}

} // namespace
