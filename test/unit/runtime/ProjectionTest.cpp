//===- ProjectionTest.cpp - Codes on their principal plane ----------------===//
//
// Rows built from two known orthogonal directions of unequal spread (plus
// a constant offset) must come back as their coordinates along those
// directions, from the mean, up to each direction's sign, whether there are
// more rows than columns or fewer, and when a third direction varies
// nearly as much as the second; degenerate rows (no variance, one column)
// must not break it.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Projection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace aenet::rt;

namespace {

/// Checks that |n| rows of |d| >= 5 numbers, spread along two known
/// orthogonal directions, come back as their coordinates along them.
void checkRecoversTwoKnownDirections(int64_t n, int64_t d) {
  // Orthonormal u and v in R^d, and an offset that is not.
  std::vector<double> u(d, 0.0), v(d, 0.0), offset(d);
  u[0] = 0.6, u[1] = 0.8;
  v[2] = 0.6, v[d - 1] = -0.8;
  for (int64_t j = 0; j < d; ++j)
    offset[j] = 3.0 - 0.75 * static_cast<double>(j % 7);
  std::mt19937 gen(1);
  std::normal_distribution<double> wide(0, 4), narrow(0, 1);
  std::vector<double> a(n), b(n);
  std::vector<float> rows(n * d);
  double meanA = 0, meanB = 0;
  for (int64_t r = 0; r < n; ++r) {
    a[r] = wide(gen);
    b[r] = narrow(gen);
    meanA += a[r] / n;
    meanB += b[r] / n;
  }
  // Uncorrelated in the sample too (b minus its part along a), so that the
  // sample's principal directions are exactly u and v.
  double ab = 0, aa = 0;
  for (int64_t r = 0; r < n; ++r) {
    ab += (a[r] - meanA) * (b[r] - meanB);
    aa += (a[r] - meanA) * (a[r] - meanA);
  }
  for (int64_t r = 0; r < n; ++r)
    b[r] -= ab / aa * (a[r] - meanA);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < d; ++j)
      rows[r * d + j] = static_cast<float>(offset[j] + a[r] * u[j] + b[r] * v[j]);

  PlaneProjection p = projectOnPrincipalPlane(rows, n, d);
  ASSERT_EQ(p.xy.size(), static_cast<size_t>(2 * n));
  // The sign of each axis is the projection's choice: take it from row 0.
  double signA = (p.xy[0] >= 0) == (a[0] - meanA >= 0) ? 1 : -1;
  double signB = (p.xy[1] >= 0) == (b[0] - meanB >= 0) ? 1 : -1;
  for (int64_t r = 0; r < n; ++r) {
    EXPECT_NEAR(p.xy[2 * r], signA * (a[r] - meanA), 1e-3) << "row " << r;
    EXPECT_NEAR(p.xy[2 * r + 1], signB * (b[r] - meanB), 1e-3) << "row " << r;
  }
  // Nothing varies outside the plane: the two shares add up to 1, the
  // first the larger.
  EXPECT_NEAR(p.explained[0] + p.explained[1], 1.0, 1e-6);
  EXPECT_GT(p.explained[0], p.explained[1]);
  // Repeatable bit for bit.
  EXPECT_EQ(projectOnPrincipalPlane(rows, n, d).xy, p.xy);
}

TEST(ProjectionTest, RecoversTwoKnownDirections) {
  checkRecoversTwoKnownDirections(200, 5);
}

// Codes wider than they are many (the denoiser's 6,272 numbers) take the
// rows' dot products instead of the covariance: the same plane.
TEST(ProjectionTest, RecoversTwoKnownDirectionsOfCodesWiderThanMany) {
  checkRecoversTwoKnownDirections(12, 300);
}

/// Checks rows whose centred coordinates along orthonormal directions of
/// R^|d| (random, one per deviation) have exactly the sample standard
/// deviations |deviations|, the first two distinct from the rest: the
/// projection gives the first two coordinates and their shares of the
/// variance.
void checkKnownSpectrum(int64_t n, int64_t d,
                        const std::vector<double> &deviations) {
  std::mt19937 gen(2);
  std::normal_distribution<double> normal(0, 1);
  // Gram-Schmidt on random vectors of length |length| (with |centred|,
  // each first made to sum to 0), scaled to |scale|.
  auto orthogonal = [&](int64_t count, int64_t length,
                        const std::vector<double> &scale, bool centred) {
    std::vector<std::vector<double>> vs(count, std::vector<double>(length));
    for (int64_t k = 0; k < count; ++k) {
      std::vector<double> &a = vs[k];
      double mean = 0;
      for (double &x : a) {
        x = normal(gen);
        mean += x / length;
      }
      if (centred)
        for (double &x : a)
          x -= mean;
      for (int64_t p = 0; p < k; ++p) {
        double dot = 0;
        for (int64_t i = 0; i < length; ++i)
          dot += a[i] * vs[p][i];
        for (int64_t i = 0; i < length; ++i)
          a[i] -= dot * vs[p][i];
      }
      double norm = 0;
      for (double x : a)
        norm += x * x;
      for (double &x : a)
        x /= std::sqrt(norm);
    }
    for (int64_t k = 0; k < count; ++k)
      for (double &x : vs[k])
        x *= scale[k];
    return vs;
  };
  const int64_t count = static_cast<int64_t>(deviations.size());
  // Coordinates: centred, of sum of squares n * deviation^2.
  std::vector<double> scale;
  for (double s : deviations)
    scale.push_back(s * std::sqrt(static_cast<double>(n)));
  std::vector<std::vector<double>> coords =
      orthogonal(count, n, scale, /*centred=*/true);
  std::vector<std::vector<double>> dirs =
      orthogonal(count, d, std::vector<double>(count, 1.0), /*centred=*/false);
  std::vector<float> rows(n * d);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < d; ++j) {
      double x = 1.5;
      for (int64_t k = 0; k < count; ++k)
        x += coords[k][r] * dirs[k][j];
      rows[r * d + j] = static_cast<float>(x);
    }
  PlaneProjection p = projectOnPrincipalPlane(rows, n, d);
  for (int k = 0; k < 2; ++k) {
    double sign = (p.xy[k] >= 0) == (coords[k][0] >= 0) ? 1 : -1;
    for (int64_t r = 0; r < n; ++r)
      ASSERT_NEAR(p.xy[2 * r + k], sign * coords[k][r], 1e-3)
          << "axis " << k << ", row " << r;
  }
  double total = 0;
  for (double s : deviations)
    total += s * s;
  EXPECT_NEAR(p.explained[0], deviations[0] * deviations[0] / total, 1e-6);
  EXPECT_NEAR(p.explained[1], deviations[1] * deviations[1] / total, 1e-6);
}

// Tests a second and third direction of nearly equal variance (1 and 0.99,
// and 16 along the first): the plane is still the first two, each share of
// the variance exact. (Power iteration with deflation, which the projection
// used before, converges there at 0.99 an iteration: after its 500, rows
// were still off by more than 1e-3.)
TEST(ProjectionTest, SeparatesNearlyEqualVariances) {
  checkKnownSpectrum(500, 40, {4, 1, 0.995});
}

// Tests codes that vary along more directions than the projection iterates
// together (16, its block 8), with slowly falling variances: the ninth is
// 0.54 of the second, so the block needs dozens of iterations.
TEST(ProjectionTest, FindsThePlaneOfAFullSpectrum) {
  std::vector<double> deviations = {4};
  for (int k = 1; k < 16; ++k)
    deviations.push_back(3 - 0.1 * (k - 1));
  checkKnownSpectrum(600, 16, deviations);
}

TEST(ProjectionTest, RowsThatDoNotVaryLieAtTheOrigin) {
  std::vector<float> rows(4 * 3, 2.5f);
  PlaneProjection p = projectOnPrincipalPlane(rows, 4, 3);
  for (float x : p.xy)
    EXPECT_EQ(x, 0.0f);
  EXPECT_EQ(p.explained[0], 0.0);
  EXPECT_EQ(p.explained[1], 0.0);
  // Wider than many: the same, from the rows' dot products.
  PlaneProjection wide = projectOnPrincipalPlane(rows, 2, 6);
  for (float x : wide.xy)
    EXPECT_EQ(x, 0.0f);
  EXPECT_EQ(wide.explained[0], 0.0);
}

TEST(ProjectionTest, OneColumnIsItsOwnAxis) {
  std::vector<float> rows = {1, 2, 3, 6};
  PlaneProjection p = projectOnPrincipalPlane(rows, 4, 1);
  const float expected[4] = {-2, -1, 0, 3}; // from the mean, 3
  for (int r = 0; r < 4; ++r) {
    EXPECT_NEAR(p.xy[2 * r], expected[r], 1e-6);
    EXPECT_EQ(p.xy[2 * r + 1], 0.0f);
  }
  EXPECT_NEAR(p.explained[0], 1.0, 1e-12);
}

} // namespace
