//===- Projection.cpp - Codes of many dimensions drawn on a plane ---------===//
//
// PCA of at most a few thousand codes of at most a few hundred numbers:
// the d x d covariance costs n d^2 multiply-adds (2,000 codes of 392
// numbers: 0.3 G, well under a second), and the two leading eigenvectors
// come from power iteration on it, the first removed before the second is
// sought.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Projection.h"

#include <algorithm>
#include <cmath>

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
  // A repeatable sign: the largest component positive.
  int64_t largest = 0;
  for (int64_t i = 1; i < d; ++i)
    if (std::fabs(v[i]) > std::fabs(v[largest]))
      largest = i;
  if (v[largest] < 0)
    for (double &x : v)
      x = -x;
  return v;
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

  Matrix cov(d * d, 0.0);
  std::vector<double> centred(d);
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t j = 0; j < d; ++j)
      centred[j] = rows[r * d + j] - mean[j];
    for (int64_t i = 0; i < d; ++i)
      for (int64_t j = i; j < d; ++j)
        cov[i * d + j] += centred[i] * centred[j];
  }
  double total = 0;
  for (int64_t i = 0; i < d; ++i) {
    for (int64_t j = i; j < d; ++j) {
      cov[i * d + j] /= static_cast<double>(n);
      cov[j * d + i] = cov[i * d + j];
    }
    total += cov[i * d + i];
  }

  std::vector<double> directions[2];
  for (int k = 0; k < 2 && k < d; ++k) {
    double eigenvalue;
    directions[k] = leadingEigenvector(cov, d, eigenvalue);
    out.explained[k] = total > 0 ? eigenvalue / total : 0;
    // Deflate: remove the direction found from the covariance.
    for (int64_t i = 0; i < d; ++i)
      for (int64_t j = 0; j < d; ++j)
        cov[i * d + j] -=
            eigenvalue * directions[k][i] * directions[k][j];
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
