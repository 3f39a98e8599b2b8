//===- Projection.cpp - Codes of many dimensions drawn on a plane ---------===//
//
// PCA of at most a few thousand codes: the two leading eigenvectors come
// from power iteration on a symmetric matrix of the centred codes, the
// first removed before the second is sought. That matrix is the d x d
// covariance (n d^2 / 2 multiply-adds: 2,000 codes of 392 numbers, 0.15 G,
// well under a second) unless the codes are wider than they are many: then
// the n x n matrix of their dot products, which has the same nonzero
// eigenvalues and is the smaller (the denoiser's 2,000 codes of 6,272
// numbers: 12.5 G instead of 39 G, and 32 MB instead of 315), each of its
// eigenvectors u giving the direction X^T u.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Projection.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace aenet::rt {

namespace {

using Matrix = std::vector<double>; // d x d, row-major

/// The unit eigenvector of the largest eigenvalue of the symmetric |m|
/// (and that eigenvalue), by power iteration from a start no eigenvector
/// of a real data set is orthogonal to in practice.
std::vector<double> leadingEigenvector(const Matrix &m, int64_t d,
                                       double &eigenvalue) {
  std::vector<double> v(d), next(d);
  for (int64_t i = 0; i < d; ++i)
    v[i] = 1.0 + 0.01 * static_cast<double>(i % 7);
  eigenvalue = 0;
  for (int iteration = 0; iteration < 500; ++iteration) {
    double norm = 0;
    for (int64_t i = 0; i < d; ++i) {
      double sum = 0;
      for (int64_t j = 0; j < d; ++j)
        sum += m[i * d + j] * v[j];
      next[i] = sum;
      norm += sum * sum;
    }
    norm = std::sqrt(norm);
    if (norm == 0) // m is zero on what is left: no variance
      return std::vector<double>(d, 0.0);
    double change = 0;
    for (int64_t i = 0; i < d; ++i) {
      double unit = next[i] / norm;
      change = std::max(change, std::fabs(unit - v[i]));
      v[i] = unit;
    }
    eigenvalue = norm;
    if (change < 1e-12)
      break;
  }
  return v;
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

  // The smaller of the covariance (d x d) and the rows' dot products
  // (n x n), both divided by n: their nonzero eigenvalues are the same.
  const bool byRows = d > n;
  const int64_t m = byRows ? n : d;
  Matrix mat(m * m, 0.0);
  std::vector<float> centred(byRows ? n * d : 0);
  if (byRows) {
    for (int64_t r = 0; r < n; ++r)
      for (int64_t j = 0; j < d; ++j)
        centred[r * d + j] = static_cast<float>(rows[r * d + j] - mean[j]);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t r = i; r < n; ++r) {
        double sum = 0;
        for (int64_t j = 0; j < d; ++j)
          sum += static_cast<double>(centred[i * d + j]) * centred[r * d + j];
        mat[i * n + r] = sum;
      }
  } else {
    std::vector<double> row(d);
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t j = 0; j < d; ++j)
        row[j] = rows[r * d + j] - mean[j];
      for (int64_t i = 0; i < d; ++i)
        for (int64_t j = i; j < d; ++j)
          mat[i * d + j] += row[i] * row[j];
    }
  }
  double total = 0;
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = i; j < m; ++j) {
      mat[i * m + j] /= static_cast<double>(n);
      mat[j * m + i] = mat[i * m + j];
    }
    total += mat[i * m + i];
  }

  std::vector<double> directions[2];
  for (int k = 0; k < 2 && k < d; ++k) {
    double eigenvalue;
    std::vector<double> w = leadingEigenvector(mat, m, eigenvalue);
    out.explained[k] = total > 0 ? eigenvalue / total : 0;
    // Deflate: remove the eigenvector found from the matrix.
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < m; ++j)
        mat[i * m + j] -= eigenvalue * w[i] * w[j];
    if (byRows) {
      // The direction in code space: X^T w, made a unit vector (zero when
      // w is: no variance left).
      std::vector<double> v(d, 0.0);
      for (int64_t r = 0; r < n; ++r)
        for (int64_t j = 0; j < d; ++j)
          v[j] += w[r] * centred[r * d + j];
      double norm = 0;
      for (double x : v)
        norm += x * x;
      norm = std::sqrt(norm);
      for (double &x : v)
        x = norm > 0 ? x / norm : 0;
      w = std::move(v);
    }
    makeLargestPositive(w);
    directions[k] = std::move(w);
  }
  for (int64_t r = 0; r < n; ++r)
    for (int k = 0; k < 2 && k < d; ++k) {
      double sum = 0;
      for (int64_t j = 0; j < d; ++j)
        sum += (rows[r * d + j] - mean[j]) * directions[k][j];
      out.xy[2 * r + k] = static_cast<float>(sum);
    }
  return out;
}

} // namespace aenet::rt
