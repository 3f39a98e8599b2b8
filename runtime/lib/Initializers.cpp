//===- Initializers.cpp - Keras's initial values of parameters ------------===//
//
// The orthogonal initializer needs a QR decomposition; Householder
// reflections in double keep Q orthogonal to rounding even for the
// ill-conditioned normal matrices a large recurrent kernel draws (Gram-Schmidt
// would lose orthogonality there). The decomposition with a non-negative
// diagonal of R is unique, so flipping Q's columns by the signs of R's
// diagonal gives Keras's matrix for the same normal draws whatever algorithm
// computed the QR.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Initializers.h"

#include "aenet/Runtime/Random.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace aenet::rt {

namespace {

struct KindName {
  InitializerKind kind;
  const char *name;
};
constexpr KindName kKinds[] = {
    {InitializerKind::Zeros, "zeros"},
    {InitializerKind::Ones, "ones"},
    {InitializerKind::Constant, "constant"},
    {InitializerKind::GlorotUniform, "glorot_uniform"},
    {InitializerKind::Orthogonal, "orthogonal"},
    {InitializerKind::BlockOnes, "block_ones"},
};

/// Replaces the row-major |m| x |n| matrix |a| (m >= n) by the first n
/// columns of Q of its QR decomposition, scaled by the signs of R's
/// diagonal.
void signedQ(std::vector<double> &a, int64_t m, int64_t n) {
  std::vector<std::vector<double>> reflectors(n);
  std::vector<double> sign(n, 1.0);
  for (int64_t k = 0; k < n; ++k) {
    // The reflector that maps column k below the diagonal onto e_k.
    double norm = 0;
    for (int64_t i = k; i < m; ++i)
      norm += a[i * n + k] * a[i * n + k];
    norm = std::sqrt(norm);
    std::vector<double> &v = reflectors[k];
    v.assign(m - k, 0.0);
    if (norm == 0)
      continue; // R's diagonal is 0 here; Keras's sign(0) would zero the
                // column, an event of probability zero for normal draws.
    double x0 = a[k * n + k];
    double alpha = x0 > 0 ? -norm : norm; // R(k, k), away from cancellation
    sign[k] = alpha < 0 ? -1.0 : 1.0;
    for (int64_t i = k; i < m; ++i)
      v[i - k] = a[i * n + k];
    v[0] -= alpha;
    double vNorm = 0;
    for (double x : v)
      vNorm += x * x;
    vNorm = std::sqrt(vNorm);
    for (double &x : v)
      x /= vNorm;
    for (int64_t j = k; j < n; ++j) {
      double dot = 0;
      for (int64_t i = k; i < m; ++i)
        dot += v[i - k] * a[i * n + j];
      for (int64_t i = k; i < m; ++i)
        a[i * n + j] -= 2 * dot * v[i - k];
    }
  }
  // Q = H_0 ... H_{n-1} applied to the first n columns of the identity.
  std::fill(a.begin(), a.end(), 0.0);
  for (int64_t j = 0; j < n; ++j)
    a[j * n + j] = 1.0;
  for (int64_t k = n - 1; k >= 0; --k) {
    const std::vector<double> &v = reflectors[k];
    for (int64_t j = 0; j < n; ++j) {
      double dot = 0;
      for (int64_t i = k; i < m; ++i)
        dot += v[i - k] * a[i * n + j];
      for (int64_t i = k; i < m; ++i)
        a[i * n + j] -= 2 * dot * v[i - k];
    }
  }
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      a[i * n + j] *= sign[j];
}

} // namespace

const char *initializerName(InitializerKind kind) {
  for (const KindName &k : kKinds)
    if (k.kind == kind)
      return k.name;
  return "?";
}

std::optional<InitializerKind> parseInitializerKind(const std::string &name) {
  for (const KindName &k : kKinds)
    if (name == k.name)
      return k.kind;
  return std::nullopt;
}

void orthogonal(float *w, int64_t rows, int64_t cols, Rng &rng) {
  int64_t m = std::max(rows, cols), n = std::min(rows, cols);
  std::vector<double> a(static_cast<size_t>(m * n));
  for (double &x : a)
    x = rng.normal();
  signedQ(a, m, n);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      w[i * cols + j] = static_cast<float>(rows >= cols ? a[i * n + j]
                                                        : a[j * n + i]);
}

void initialize(const InitializerSpec &spec, float *data,
                const std::vector<int64_t> &shape, Rng &rng) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  switch (spec.kind) {
  case InitializerKind::Zeros:
    std::fill(data, data + n, 0.0f);
    return;
  case InitializerKind::Ones:
    std::fill(data, data + n, 1.0f);
    return;
  case InitializerKind::Constant:
    std::fill(data, data + n, static_cast<float>(spec.value));
    return;
  case InitializerKind::GlorotUniform:
    glorotUniform(data, n, spec.fanIn, spec.fanOut, rng);
    return;
  case InitializerKind::Orthogonal: {
    assert(!shape.empty() && "orthogonal needs a matrix");
    int64_t cols = shape.back();
    orthogonal(data, cols == 0 ? 0 : n / cols, cols, rng);
    return;
  }
  case InitializerKind::BlockOnes: {
    assert(!shape.empty() && spec.blocks > 0 &&
           shape.back() % spec.blocks == 0 && "whole blocks on the last axis");
    int64_t axis = shape.back(), block = axis / spec.blocks;
    std::fill(data, data + n, 0.0f);
    for (int64_t row = 0; row < n; row += axis)
      std::fill(data + row + spec.index * block,
                data + row + (spec.index + 1) * block, 1.0f);
    return;
  }
  }
}

} // namespace aenet::rt
