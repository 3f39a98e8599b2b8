//===- RandomTest.cpp - The generator, its normals, Glorot ----------------===//
//
// The generator's first outputs are pinned to values computed by an
// independent Python transcription of splitmix64 and xoshiro256** (see
// https://prng.di.unimi.it/), so a change of algorithm cannot go unnoticed.
// Statistical checks use enough samples that the tolerances sit at about
// five standard errors; with fixed seeds they are deterministic anyway.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace aenet::rt;

namespace {

TEST(RandomTest, SplitMix64MatchesReference) {
  uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(state, 0x9e3779b97f4a7c15ULL);
}

TEST(RandomTest, XoshiroMatchesReference) {
  Rng rng(42);
  EXPECT_EQ(rng.next(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(rng.next(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(rng.next(), 0xae17533239e499a1ULL);
}

TEST(RandomTest, SameSeedSameSequenceDifferentSeedDifferent) {
  Rng a(7), b(7), c(8);
  bool allSame = true;
  for (int i = 0; i < 100; ++i) {
    double x = a.normal();
    EXPECT_EQ(x, b.normal());
    allSame &= x == c.normal();
  }
  EXPECT_FALSE(allSame);
}

TEST(RandomTest, MixSeedSeparatesStreams) {
  EXPECT_EQ(mixSeed(1, 2), mixSeed(1, 2));
  EXPECT_NE(mixSeed(1, 2), mixSeed(1, 3));
  EXPECT_NE(mixSeed(1, 2), mixSeed(2, 1));
}

TEST(RandomTest, UniformIsInUnitInterval) {
  Rng rng(1);
  double sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  // The mean of n uniforms has standard error sqrt(1/12/n) ~ 0.0009.
  EXPECT_NEAR(sum / n, 0.5, 0.005);
}

TEST(RandomTest, BelowCoversTheRangeEvenly) {
  Rng rng(3);
  std::vector<int> hits(7, 0);
  const int n = 70000;
  for (int i = 0; i < n; ++i) {
    uint64_t k = rng.below(7);
    ASSERT_LT(k, 7u);
    ++hits[k];
  }
  // Each count is binomial(70000, 1/7): mean 10000, sd ~ 93.
  for (int count : hits)
    EXPECT_NEAR(count, 10000, 500);
}

TEST(RandomTest, NormalHasUnitMoments) {
  Rng rng(11);
  const int n = 200000;
  double sum = 0, sumSq = 0;
  for (int i = 0; i < n; ++i) {
    double x = rng.normal();
    sum += x;
    sumSq += x * x;
  }
  double mean = sum / n, variance = sumSq / n - mean * mean;
  // Standard errors: mean 1/sqrt(n) ~ 0.0022; variance sqrt(2/n) ~ 0.0032.
  EXPECT_NEAR(mean, 0.0, 0.012);
  EXPECT_NEAR(variance, 1.0, 0.016);
}

TEST(RandomTest, GlorotUniformBoundsAndMoments) {
  // A 784 -> 64 dense layer: limit = sqrt(6 / 848).
  const int64_t fanIn = 784, fanOut = 64, n = fanIn * fanOut;
  std::vector<float> w(n);
  Rng rng(2024);
  glorotUniform(w.data(), n, fanIn, fanOut, rng);
  double limit = std::sqrt(6.0 / (fanIn + fanOut));
  double sum = 0, sumSq = 0;
  for (float x : w) {
    ASSERT_LE(std::fabs(x), limit * (1 + 1e-6));
    sum += x;
    sumSq += double(x) * x;
  }
  double mean = sum / n, variance = sumSq / n - mean * mean;
  // U(-L, L) has variance L^2/3, so the mean's standard error is
  // L / sqrt(3n) ~ 0.0004; E[x^4] = L^4/5 gives Var(x^2) = 4 L^4 / 45, so the
  // variance's standard error is L^2 sqrt(4/45/n) ~ 0.0014 * L^2/3 relative
  // to L^2/3. The tolerances are about five standard errors.
  EXPECT_NEAR(mean, 0.0, 5 * limit / std::sqrt(3.0 * n));
  EXPECT_NEAR(variance, limit * limit / 3, 5 * limit * limit *
                                               std::sqrt(4.0 / 45 / n));
  // And the draws do reach both ends of the interval.
  double lo = limit, hi = -limit;
  for (float x : w) {
    lo = std::min(lo, double(x));
    hi = std::max(hi, double(x));
  }
  EXPECT_LT(lo, -0.99 * limit);
  EXPECT_GT(hi, 0.99 * limit);
}

TEST(RandomTest, GlorotIsDeterministicForASeed) {
  std::vector<float> a(100), b(100);
  Rng r1(5), r2(5);
  glorotUniform(a.data(), 100, 10, 10, r1);
  glorotUniform(b.data(), 100, 10, 10, r2);
  EXPECT_EQ(a, b);
}

} // namespace
