//===- Sampling.cpp - Drawing characters at a temperature -----------------===//
//
// Keras's `sample(preds, temperature)`: log, divide, exp, normalize, draw.
// The draw walks the cumulative weights once with a single uniform number,
// skipping zero weights so that a rounding error at the end never picks an
// impossible character.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Sampling.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace aenet::rt {

std::vector<double> withTemperature(const float *probabilities, int64_t count,
                                    double temperature) {
  assert(temperature > 0 && "the driver checks the temperature");
  std::vector<double> weights(static_cast<size_t>(count), 0.0);
  double largest = -std::numeric_limits<double>::infinity();
  for (int64_t i = 0; i < count; ++i) {
    double p = probabilities[i];
    if (!(p >= 0) || std::isinf(p))
      return {};
    weights[i] = p > 0 ? std::log(p) / temperature
                       : -std::numeric_limits<double>::infinity();
    largest = std::max(largest, weights[i]);
  }
  if (std::isinf(largest))
    return {};
  double sum = 0;
  for (double &w : weights) {
    w = std::isinf(w) ? 0.0 : std::exp(w - largest);
    sum += w;
  }
  for (double &w : weights)
    w /= sum;
  return weights;
}

int64_t drawIndex(const std::vector<double> &weights, Rng &rng) {
  assert(!weights.empty() && "nothing to draw from");
  double u = rng.uniform();
  double cumulative = 0;
  int64_t last = -1;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0)
      continue;
    last = static_cast<int64_t>(i);
    cumulative += weights[i];
    if (u < cumulative)
      return last;
  }
  // The weights summed to slightly less than u: the last possible index.
  assert(last >= 0 && "weights without a positive entry");
  return last;
}

} // namespace aenet::rt
