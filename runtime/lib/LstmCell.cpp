//===- LstmCell.cpp - aec's own LSTM over whole sequences -----------------===//
//
// See LstmCell.h for why. The equations are Keras's (TOOLCHAIN.md §9):
//   i, f, c~, o = sigmoid, sigmoid, tanh, sigmoid of x_t W + h_{t-1} U + b
//   c_t = f c_{t-1} + i c~,   h_t = o tanh(c_t);
// the backward, with dh_t the gradient reaching h_t (from seq and from
// step t+1) and dc the one reaching c_t:
//   dc_t = dc + dh_t o (1 - tanh²c_t),   do = dh_t tanh(c_t),
//   di = dc_t c~,  df = dc_t c_{t-1},  dc~ = dc_t i,  dc_{t-1} = dc_t f,
// times each activation's derivative; dh_{t-1} = dgates_t U^T. The weight
// gradients sum over all rows and steps, so they are one product each
// after the loop: dW = x^T dgates, dU = h_prev^T dgates, db = Σ dgates,
// dx = dgates W^T.
//
// Threads: each of the OpenMP threads takes a contiguous share of the batch
// rows through all steps; oneDNN's sgemm runs on the calling thread inside
// a parallel region, on all threads outside one. The gates' elementwise
// code is compiled for AVX-512, AVX2 and the baseline, chosen at load time.
//
//===----------------------------------------------------------------------===//

#include "LstmCell.h"

#include <oneapi/dnnl/dnnl.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace aenet::rt::lstm {

namespace {

#if defined(__x86_64__)
#define AENET_VECTOR_CLONES                                                    \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3",           \
                               "default")))
#else
#define AENET_VECTOR_CLONES
#endif

#define AENET_ALWAYS_INLINE inline __attribute__((always_inline))

/// exp(x) to ~2 ulp without branches, so that loops of it vectorize: Cephes'
/// expf (x = n ln2 + r, |r| <= ln2/2, a degree-6 polynomial in r, times
/// 2^n built in the exponent bits). Inputs are clamped to where 2^n is a
/// normal float; sigmoid and tanh saturate long before.
AENET_ALWAYS_INLINE float expClamped(float x) {
  x = x < -87.0f ? -87.0f : x;
  x = x > 88.0f ? 88.0f : x;
  // Round x log2(e) to the nearest integer with the 1.5 * 2^23 trick.
  const float shifter = 12582912.0f;
  float shifted = x * 1.44269504088896341f + shifter;
  float n = shifted - shifter;
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float y = p * r * r + r + 1.0f;
  int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  return y * __builtin_bit_cast(float, bits);
}

AENET_ALWAYS_INLINE float sigmoid(float x) {
  return 1.0f / (1.0f + expClamped(-x));
}

AENET_ALWAYS_INLINE float tanhOf(float x) {
  return 1.0f - 2.0f / (expClamped(2.0f * x) + 1.0f);
}

/// One row of one step: activates the pre-activations |g| (i, f, c~, o) in
/// place and writes c_t (which may be |cPrev| itself), tanh(c_t) and h_t.
AENET_VECTOR_CLONES
void gatesForward(int64_t h, float *__restrict g, const float *cPrev,
                  float *c, float *__restrict tanhC, float *__restrict out) {
  float *gi = g, *gf = g + h, *gc = g + 2 * h, *go = g + 3 * h;
  for (int64_t j = 0; j < h; ++j) {
    float i = sigmoid(gi[j]), f = sigmoid(gf[j]), cand = tanhOf(gc[j]),
          o = sigmoid(go[j]);
    float cj = f * cPrev[j] + i * cand;
    float tc = tanhOf(cj);
    gi[j] = i;
    gf[j] = f;
    gc[j] = cand;
    go[j] = o;
    c[j] = cj;
    tanhC[j] = tc;
    out[j] = o * tc;
  }
}

/// One row of one step backward: from the activated gates |g|, c_{t-1},
/// tanh(c_t), the gradient |dhNext| from step t+1 plus |dseq|'s, and |dc|
/// (the gradient reaching c_t, replaced by the one reaching c_{t-1}),
/// writes the pre-activation gradients |dg|.
AENET_VECTOR_CLONES
void gatesBackward(int64_t h, const float *__restrict g,
                   const float *__restrict cPrev,
                   const float *__restrict tanhC,
                   const float *__restrict dhNext,
                   const float *__restrict dseq, float *__restrict dc,
                   float *__restrict dg) {
  const float *gi = g, *gf = g + h, *gc = g + 2 * h, *go = g + 3 * h;
  for (int64_t j = 0; j < h; ++j) {
    float i = gi[j], f = gf[j], cand = gc[j], o = go[j], tc = tanhC[j];
    float dh = dhNext[j] + dseq[j];
    float dct = dc[j] + dh * o * (1.0f - tc * tc);
    dg[j] = dct * cand * i * (1.0f - i);
    dg[h + j] = dct * cPrev[j] * f * (1.0f - f);
    dg[2 * h + j] = dct * i * (1.0f - cand * cand);
    dg[3 * h + j] = dh * tc * o * (1.0f - o);
    dc[j] = dct * f;
  }
}

/// C = A B + beta C, row-major, A or B transposed when |ta| / |tb| is 'T'.
void gemm(char ta, char tb, int64_t m, int64_t n, int64_t k, const float *a,
          int64_t lda, const float *b, int64_t ldb, float beta, float *c,
          int64_t ldc) {
  if (m == 0 || n == 0)
    return;
  dnnl_status_t status =
      dnnl_sgemm(ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
  if (status != dnnl_success) {
    std::fprintf(stderr,
                 "aec: internal error: oneDNN's sgemm failed (status %d) on "
                 "%lldx%lldx%lld in the LSTM kernel\n",
                 static_cast<int>(status), static_cast<long long>(m),
                 static_cast<long long>(n), static_cast<long long>(k));
    std::abort();
  }
}

/// The hot index of each of the |rows| rows of |x| when every row is
/// one-hot (one 1.0, the rest 0.0), else empty: then x W is a row gather
/// and x^T dgates a scatter.
std::vector<int32_t> oneHotRows(const float *x, int64_t rows, int64_t c) {
  std::vector<int32_t> hot(rows);
  for (int64_t r = 0; r < rows; ++r) {
    const float *row = x + r * c;
    int64_t ones = 0, zeros = 0, at = 0;
    for (int64_t j = 0; j < c; ++j) {
      if (row[j] == 1.0f) {
        ++ones;
        at = j;
      } else if (row[j] == 0.0f && !std::signbit(row[j])) {
        ++zeros;
      }
    }
    if (ones != 1 || zeros != c - 1)
      return {};
    hot[r] = static_cast<int32_t>(at);
  }
  return hot;
}

/// The rows [begin, end) of |n| that thread |thread| of |threads| takes.
struct RowShare {
  int64_t begin, end;
  RowShare(int64_t n, int thread, int threads)
      : begin(n * thread / threads), end(n * (thread + 1) / threads) {}
  int64_t size() const { return end - begin; }
};

/// The threads to share |n| rows: no more than rows.
int rowThreads(int64_t n) {
  return static_cast<int>(
      std::max<int64_t>(1, std::min<int64_t>(omp_get_max_threads(), n)));
}

/// Inputs of no more features than this are projected, and their
/// gradients summed, by loops over the rows (fused with the steps'
/// backward) rather than by sgemm, which is slow at such a small inner
/// dimension (K = 6: 19200x256x6 in 6 ms, the loop ~1 ms).
constexpr int64_t kNarrowInput = 16;

/// One row's gates before the recurrent part: b + x W, with x |c| features.
AENET_VECTOR_CLONES
void projectRow(int64_t g4, int64_t c, const float *__restrict x,
                const float *__restrict kernel, const float *__restrict bias,
                float *__restrict g) {
  for (int64_t j = 0; j < g4; ++j)
    g[j] = bias[j];
  for (int64_t k = 0; k < c; ++k) {
    const float xk = x[k], *w = kernel + k * g4;
    for (int64_t j = 0; j < g4; ++j)
      g[j] += xk * w[j];
  }
}

/// dst += src over |g4| floats.
AENET_VECTOR_CLONES
void addRow(int64_t g4, const float *__restrict src, float *__restrict dst) {
  for (int64_t j = 0; j < g4; ++j)
    dst[j] += src[j];
}

/// One row's share of a narrow input's gradients: dkernel += x^T dg and
/// dx = dg kernel^T.
AENET_VECTOR_CLONES
void narrowInputGradients(int64_t g4, int64_t c, const float *__restrict dg,
                          const float *__restrict x,
                          const float *__restrict kernel,
                          float *__restrict dkernel, float *__restrict dx) {
  for (int64_t k = 0; k < c; ++k) {
    const float xk = x[k], *w = kernel + k * g4;
    float *dw = dkernel + k * g4;
    float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
    for (int64_t j = 0; j < g4; ++j) {
      dw[j] += xk * dg[j];
      dot += dg[j] * w[j];
    }
    dx[k] = dot;
  }
}

/// How the input x enters the gates.
enum class Input {
  /// Every row one-hot: x W is a row gather, x^T dgates a scatter.
  OneHot,
  /// At most kNarrowInput features: loops over the rows.
  Narrow,
  /// Products by sgemm.
  Wide,
};

struct InputRows {
  Input kind;
  std::vector<int32_t> hot;

  InputRows(Input kind, std::vector<int32_t> hot)
      : kind(kind), hot(std::move(hot)) {}
  InputRows(const float *x, int64_t rows, int64_t c)
      : hot(oneHotRows(x, rows, c)) {
    kind = !hot.empty()        ? Input::OneHot
           : c <= kNarrowInput ? Input::Narrow
                               : Input::Wide;
  }
};

/// Fills |rows| rows of gates |g| (|ld| floats apart) with b + x W, for
/// the input rows from |first| on, |xLd| floats apart in |x|.
void projectRows(const InputRows &in, int64_t rows, int64_t first,
                 const float *x, int64_t xLd, int64_t c, int64_t g4,
                 const float *kernel, const float *bias, float *g,
                 int64_t ld) {
  for (int64_t r = 0; r < rows; ++r) {
    float *row = g + r * ld;
    switch (in.kind) {
    case Input::OneHot: {
      const float *w = kernel + in.hot[first + r] * g4;
      for (int64_t j = 0; j < g4; ++j)
        row[j] = w[j] + bias[j];
      break;
    }
    case Input::Narrow:
      projectRow(g4, c, x + r * xLd, kernel, bias, row);
      break;
    case Input::Wide:
      std::memcpy(row, bias, g4 * sizeof(float));
      break;
    }
  }
  if (in.kind == Input::Wide)
    gemm('N', 'N', rows, g4, c, x, xLd, kernel, g4, 1.0f, g, ld);
}

} // namespace

int64_t workspaceFloats(const Sizes &s) { return s.n * s.t * 6 * s.h; }

int64_t inferenceScratchFloats(const Sizes &s) { return s.n * 5 * s.h; }

int64_t backwardScratchFloats(const Sizes &s) { return s.n * s.t * 5 * s.h; }

void forward(const Sizes &s, const ForwardArgs &a, float *workspace,
             float *scratch) {
  const int64_t n = s.n, t = s.t, c = s.c, h = s.h, g4 = 4 * h;
  if (t == 0) {
    std::memcpy(a.hT, a.h0, n * h * sizeof(float));
    std::memcpy(a.cT, a.c0, n * h * sizeof(float));
    return;
  }
  const InputRows in(a.x, n * t, c);
  float *gates = workspace;
  float *cells = workspace ? gates + n * t * g4 : nullptr;
  float *tanhCells = workspace ? cells + n * t * h : nullptr;

#pragma omp parallel num_threads(rowThreads(n))
  {
    RowShare rows(n, omp_get_thread_num(), omp_get_num_threads());
    const int64_t m = rows.size(), n0 = rows.begin;
    if (workspace) {
      // Every step's input projection at once: [m T, C] x [C, 4H].
      projectRows(in, m * t, n0 * t, a.x + n0 * t * c, c, c, g4, a.kernel,
                  a.bias, gates + n0 * t * g4, g4);
      for (int64_t step = 0; step < t; ++step) {
        const float *hPrev = step ? a.seq + (n0 * t + step - 1) * h
                                  : a.h0 + n0 * h;
        gemm('N', 'N', m, g4, h, hPrev, step ? t * h : h, a.recurrent, g4,
             1.0f, gates + (n0 * t + step) * g4, t * g4);
        for (int64_t i = n0; i < rows.end; ++i) {
          int64_t r = i * t + step;
          const float *cPrev = step ? cells + (r - 1) * h : a.c0 + i * h;
          gatesForward(h, gates + r * g4, cPrev, cells + r * h,
                       tanhCells + r * h, a.seq + r * h);
        }
      }
      for (int64_t i = n0; i < rows.end; ++i)
        std::memcpy(a.cT + i * h, cells + (i * t + t - 1) * h,
                    h * sizeof(float));
    } else {
      // One step's gates at a time, in rows of 5H: 4H gates, tanh(c_t);
      // c_t runs in cT.
      const int64_t ld = 5 * h;
      float *g = scratch + n0 * ld;
      std::memcpy(a.cT + n0 * h, a.c0 + n0 * h, m * h * sizeof(float));
      // The hot indices of this step's rows.
      InputRows stepIn(in.kind, std::vector<int32_t>(
                                    in.kind == Input::OneHot ? m : 0));
      for (int64_t step = 0; step < t; ++step) {
        if (in.kind == Input::OneHot)
          for (int64_t i = 0; i < m; ++i)
            stepIn.hot[i] = in.hot[(n0 + i) * t + step];
        projectRows(stepIn, m, 0, a.x + (n0 * t + step) * c, t * c, c, g4,
                    a.kernel, a.bias, g, ld);
        const float *hPrev = step ? a.seq + (n0 * t + step - 1) * h
                                  : a.h0 + n0 * h;
        gemm('N', 'N', m, g4, h, hPrev, step ? t * h : h, a.recurrent, g4,
             1.0f, g, ld);
        for (int64_t i = n0; i < rows.end; ++i) {
          float *row = scratch + i * ld;
          gatesForward(h, row, a.cT + i * h, a.cT + i * h, row + g4,
                       a.seq + (i * t + step) * h);
        }
      }
    }
    for (int64_t i = n0; i < rows.end; ++i)
      std::memcpy(a.hT + i * h, a.seq + (i * t + t - 1) * h,
                  h * sizeof(float));
  }
}

void backward(const Sizes &s, const ForwardArgs &a, const float *workspace,
              const BackwardArgs &d, float *scratch) {
  const int64_t n = s.n, t = s.t, c = s.c, h = s.h, g4 = 4 * h;
  const int64_t rowsAll = n * t;
  std::memset(d.dkernel, 0, c * g4 * sizeof(float));
  std::memset(d.drecurrent, 0, h * g4 * sizeof(float));
  std::memset(d.dbias, 0, g4 * sizeof(float));
  if (t == 0) {
    std::memcpy(d.dh0, d.dhT, n * h * sizeof(float));
    std::memcpy(d.dc0, d.dcT, n * h * sizeof(float));
    return;
  }
  const InputRows in(a.x, rowsAll, c);
  const float *gates = workspace;
  const float *cells = gates + rowsAll * g4;
  const float *tanhCells = cells + rowsAll * h;
  float *dgates = scratch;
  float *hPrevs = scratch + rowsAll * g4;

  // Each thread sums the weight gradients of its rows: thread 0 into the
  // results, the others into their part of |partials|, added after.
  const int threads = rowThreads(n);
  const int64_t partialFloats = (c + h + 1) * g4;
  std::vector<float> partials((threads - 1) * partialFloats);

#pragma omp parallel num_threads(threads)
  {
    const int thread = omp_get_thread_num();
    RowShare rows(n, thread, omp_get_num_threads());
    const int64_t m = rows.size(), n0 = rows.begin;
    float *dkernel = d.dkernel, *drecurrent = d.drecurrent, *dbias = d.dbias;
    if (thread > 0) {
      dkernel = partials.data() + (thread - 1) * partialFloats;
      drecurrent = dkernel + c * g4;
      dbias = drecurrent + h * g4;
      std::fill(dkernel, dkernel + partialFloats, 0.0f);
    }
    // dh0 and dc0 carry the gradients reaching h_t and c_t from step t+1.
    std::memcpy(d.dh0 + n0 * h, d.dhT + n0 * h, m * h * sizeof(float));
    std::memcpy(d.dc0 + n0 * h, d.dcT + n0 * h, m * h * sizeof(float));
    for (int64_t step = t - 1; step >= 0; --step) {
      for (int64_t i = n0; i < rows.end; ++i) {
        int64_t r = i * t + step;
        const float *cPrev = step ? cells + (r - 1) * h : a.c0 + i * h;
        float *dg = dgates + r * g4;
        gatesBackward(h, gates + r * g4, cPrev, tanhCells + r * h,
                      d.dh0 + i * h, d.dseq + r * h, d.dc0 + i * h, dg);
        addRow(g4, dg, dbias);
        if (in.kind == Input::OneHot)
          addRow(g4, dg, dkernel + in.hot[r] * g4);
        else if (in.kind == Input::Narrow)
          narrowInputGradients(g4, c, dg, a.x + r * c, a.kernel, dkernel,
                               d.dx + r * c);
      }
      gemm('N', 'T', m, h, g4, dgates + (n0 * t + step) * g4, t * g4,
           a.recurrent, g4, 0.0f, d.dh0 + n0 * h, h);
    }
    // The state each step read: h0, then seq shifted by one step.
    for (int64_t i = n0; i < rows.end; ++i) {
      std::memcpy(hPrevs + i * t * h, a.h0 + i * h, h * sizeof(float));
      std::memcpy(hPrevs + (i * t + 1) * h, a.seq + i * t * h,
                  (t - 1) * h * sizeof(float));
    }
    const float *myGates = dgates + n0 * t * g4;
    gemm('T', 'N', h, g4, m * t, hPrevs + n0 * t * h, h, myGates, g4, 0.0f,
         drecurrent, g4);
    if (in.kind != Input::Narrow)
      gemm('N', 'T', m * t, c, g4, myGates, g4, a.kernel, g4, 0.0f,
           d.dx + n0 * t * c, c);
    if (in.kind == Input::Wide)
      gemm('T', 'N', c, g4, m * t, a.x + n0 * t * c, c, myGates, g4, 0.0f,
           dkernel, g4);
  }
  for (int thread = 1; thread < threads; ++thread) {
    const float *part = partials.data() + (thread - 1) * partialFloats;
    addRow(c * g4, part, d.dkernel);
    addRow(h * g4, part + c * g4, d.drecurrent);
    addRow(g4, part + (c + h) * g4, d.dbias);
  }
}

} // namespace aenet::rt::lstm
