//===- Projection.cpp - Codes of many dimensions drawn on a plane ---------===//
//
// PCA by subspace iteration: a block of kBlock orthonormal directions is
// multiplied by the covariance C = Xc^T Xc / n of the centred codes Xc (one
// pass over the codes) and rotated by the eigenvectors of the block's
// k x k matrix V^T C V (Rayleigh-Ritz), until the two leading directions'
// residuals ||C u - theta u|| are small. C itself is never formed: for the
// denoiser's 2,000 codes of 6,272 numbers it would take 39 G multiply-adds
// (12.5 G for the rows' dot products instead, which took 20 s), where an
// iteration takes 2 n d k = 0.2 G and a dozen or so converge. The block is wider
// than the two directions wanted so that they converge at the rate of the
// gap to its (k+1)-th eigenvalue, not to the third; a power iteration with
// deflation, as before, crawled where the second and third are close.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Projection.h"

#include "aenet/Runtime/Random.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace aenet::rt {

namespace {

/// Directions iterated together: two wanted, the rest to speed them up.
constexpr int64_t kBlock = 8;
/// Rows multiplied by the block together.
constexpr int64_t kRows = 8;
/// Iterations at most; the residual test ends most runs within 20. Codes
/// whose leading variances are nearly equal (an untrained or isotropic
/// code) take hundreds to pin down directions that are then all about as
/// good: after this many the plane lies close to their span, and its shares
/// are lower bounds, close to the true ones.
constexpr int kMaxIterations = 60;
/// The seed of the block's first directions.
constexpr uint64_t kStartSeed = 0x706361; // "pca"
/// A direction is converged when ||C u - theta u|| <= kTolerance * theta1.
constexpr double kTolerance = 1e-9;

/// |z| ([d, k]) = Xc^T Xc |v| for the centred codes |xc| ([rows, d], rows
/// a multiple of kRows), in one pass over them, kRows at a time: y = rows
/// v, z += rows^T y: each block reads v and z once for all of its rows.
/// Nearly all of the projection's time (denoiser codes: 0.7 s with blocks
/// of 8 rows, 1.1 s row by row; compiled for AVX2, no faster).
void multiplyByGram(const float *xc, int64_t rows, int64_t d, const double *v,
                    double *z) {
  std::fill(z, z + d * kBlock, 0.0);
  for (int64_t r0 = 0; r0 < rows; r0 += kRows) {
    const float *block = xc + r0 * d;
    double y[kRows][kBlock] = {};
    for (int64_t j = 0; j < d; ++j)
      for (int64_t i = 0; i < kRows; ++i)
        for (int64_t c = 0; c < kBlock; ++c)
          y[i][c] += block[i * d + j] * v[j * kBlock + c];
    for (int64_t j = 0; j < d; ++j)
      for (int64_t i = 0; i < kRows; ++i)
        for (int64_t c = 0; c < kBlock; ++c)
          z[j * kBlock + c] += block[i * d + j] * y[i][c];
  }
}

/// Orthonormalizes the |k| columns of |v| ([d, k], row-major) in place by
/// modified Gram-Schmidt, twice (once is not enough in floating point when
/// columns are nearly dependent). A column with (almost) nothing left of it
/// becomes zero: the codes span fewer than k directions.
void orthonormalize(std::vector<double> &v, int64_t d, int64_t k) {
  std::vector<double> original(k, 0.0);
  for (int64_t c = 0; c < k; ++c)
    for (int64_t j = 0; j < d; ++j)
      original[c] += v[j * k + c] * v[j * k + c];
  for (int64_t c = 0; c < k; ++c) {
    for (int pass = 0; pass < 2; ++pass)
      for (int64_t p = 0; p < c; ++p) {
        double dot = 0;
        for (int64_t j = 0; j < d; ++j)
          dot += v[j * k + c] * v[j * k + p];
        for (int64_t j = 0; j < d; ++j)
          v[j * k + c] -= dot * v[j * k + p];
      }
    double norm = 0;
    for (int64_t j = 0; j < d; ++j)
      norm += v[j * k + c] * v[j * k + c];
    bool vanished = !(norm > 1e-24 * std::max(original[c], 1e-300));
    double scale = vanished ? 0.0 : 1.0 / std::sqrt(norm);
    for (int64_t j = 0; j < d; ++j)
      v[j * k + c] *= scale;
  }
}

/// The eigenvalues of the symmetric |k| x |k| |h| (row-major), largest
/// first, and their unit eigenvectors as the columns of |vectors|, by
/// cyclic Jacobi rotations.
std::vector<double> symmetricEigen(std::vector<double> h, int64_t k,
                                   std::vector<double> &vectors) {
  vectors.assign(k * k, 0.0);
  for (int64_t i = 0; i < k; ++i)
    vectors[i * k + i] = 1.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0, all = 0;
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < k; ++j) {
        all += h[i * k + j] * h[i * k + j];
        if (i != j)
          off += h[i * k + j] * h[i * k + j];
      }
    if (off <= 1e-30 * all)
      break;
    for (int64_t p = 0; p < k; ++p)
      for (int64_t q = p + 1; q < k; ++q) {
        double apq = h[p * k + q];
        if (apq == 0)
          continue;
        double theta = (h[q * k + q] - h[p * k + p]) / (2 * apq);
        double t = (theta >= 0 ? 1.0 : -1.0) /
                   (std::fabs(theta) + std::sqrt(theta * theta + 1));
        double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int64_t i = 0; i < k; ++i) { // columns p and q
          double hip = h[i * k + p], hiq = h[i * k + q];
          h[i * k + p] = c * hip - s * hiq;
          h[i * k + q] = s * hip + c * hiq;
        }
        for (int64_t i = 0; i < k; ++i) { // rows p and q
          double hpi = h[p * k + i], hqi = h[q * k + i];
          h[p * k + i] = c * hpi - s * hqi;
          h[q * k + i] = s * hpi + c * hqi;
        }
        for (int64_t i = 0; i < k; ++i) {
          double vip = vectors[i * k + p], viq = vectors[i * k + q];
          vectors[i * k + p] = c * vip - s * viq;
          vectors[i * k + q] = s * vip + c * viq;
        }
      }
  }
  std::vector<int64_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return h[a * k + a] > h[b * k + b];
  });
  std::vector<double> values(k), sorted(k * k);
  for (int64_t c = 0; c < k; ++c) {
    values[c] = h[order[c] * k + order[c]];
    for (int64_t i = 0; i < k; ++i)
      sorted[i * k + c] = vectors[i * k + order[c]];
  }
  vectors = std::move(sorted);
  return values;
}

/// Flips |v| so that its largest component is positive: a repeatable sign.
void makeLargestPositive(std::vector<double> &v) {
  size_t largest = 0;
  for (size_t i = 1; i < v.size(); ++i)
    if (std::fabs(v[i]) > std::fabs(v[largest]))
      largest = i;
  if (!v.empty() && v[largest] < 0)
    for (double &x : v)
      x = -x;
}

} // namespace

PlaneProjection projectOnPrincipalPlane(const std::vector<float> &rows,
                                        int64_t n, int64_t d) {
  PlaneProjection out;
  out.xy.assign(2 * n, 0.0f);
  if (n == 0 || d == 0)
    return out;
  std::vector<double> mean(d, 0.0);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < d; ++j)
      mean[j] += rows[r * d + j];
  for (double &m : mean)
    m /= static_cast<double>(n);
  // Kept in single precision, as the codes are (half the memory to pass
  // over each iteration); every sum is in double.
  // Padded with zero rows to whole blocks of kRows.
  const int64_t paddedRows = (n + kRows - 1) / kRows * kRows;
  std::vector<float> centred(paddedRows * d, 0.0f);
  double total = 0; // the trace of C: the total variance
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < d; ++j) {
      double x = rows[r * d + j] - mean[j];
      centred[r * d + j] = static_cast<float>(x);
      total += static_cast<double>(centred[r * d + j]) * centred[r * d + j];
    }
  total /= static_cast<double>(n);
  if (!(total > 0))
    return out; // no variance: every row at the origin

  // Codes that span fewer directions than the block (d or n - 1 < k) leave
  // the rest of it zero (orthonormalize).
  constexpr int64_t k = kBlock;
  // A start no direction of real codes is orthogonal to: random, from a
  // fixed seed, so that a run repeats its picture.
  std::vector<double> v(d * k);
  Rng rng(kStartSeed);
  for (double &x : v)
    x = rng.uniform() - 0.5;
  orthonormalize(v, d, k);

  std::vector<double> z(d * k), h(k * k), s, theta;
  for (int iteration = 0;; ++iteration) {
    multiplyByGram(centred.data(), paddedRows, d, v.data(), z.data());
    for (double &x : z)
      x /= static_cast<double>(n);
    // Rayleigh-Ritz: h = v^T C v, its eigenvectors s rotate the block.
    for (int64_t a = 0; a < k; ++a)
      for (int64_t b = 0; b < k; ++b) {
        double sum = 0;
        for (int64_t j = 0; j < d; ++j)
          sum += v[j * k + a] * z[j * k + b];
        h[a * k + b] = sum;
      }
    for (int64_t a = 0; a < k; ++a) // symmetric up to rounding
      for (int64_t b = a + 1; b < k; ++b)
        h[a * k + b] = h[b * k + a] = (h[a * k + b] + h[b * k + a]) / 2;
    theta = symmetricEigen(h, k, s);
    // Ritz vectors u = v s and C u = z s; their residuals.
    std::vector<double> u(d * k, 0.0), cu(d * k, 0.0);
    for (int64_t j = 0; j < d; ++j)
      for (int64_t c = 0; c < k; ++c)
        for (int64_t a = 0; a < k; ++a) {
          u[j * k + c] += v[j * k + a] * s[a * k + c];
          cu[j * k + c] += z[j * k + a] * s[a * k + c];
        }
    double worst = 0;
    for (int64_t c = 0; c < 2; ++c) {
      double residual = 0;
      for (int64_t j = 0; j < d; ++j) {
        double e = cu[j * k + c] - theta[c] * u[j * k + c];
        residual += e * e;
      }
      worst = std::max(worst, std::sqrt(residual));
    }
    if (worst <= kTolerance * std::max(theta[0], 0.0) ||
        iteration + 1 >= kMaxIterations) {
      v = std::move(u);
      break;
    }
    v = std::move(cu);
    orthonormalize(v, d, k);
  }

  std::vector<double> directions[2];
  for (int c = 0; c < 2; ++c) {
    directions[c].assign(d, 0.0);
    double value = std::max(theta[c], 0.0);
    out.explained[c] = std::min(value / total, 1.0);
    for (int64_t j = 0; j < d; ++j)
      directions[c][j] = v[j * k + c];
    makeLargestPositive(directions[c]);
  }
  for (int64_t r = 0; r < n; ++r)
    for (int c = 0; c < 2; ++c) {
      double sum = 0;
      for (int64_t j = 0; j < d; ++j)
        sum += (rows[r * d + j] - mean[j]) * directions[c][j];
      out.xy[2 * r + c] = static_cast<float>(sum);
    }
  return out;
}

} // namespace aenet::rt
