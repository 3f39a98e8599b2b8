//===- Sampling.h - Drawing characters at a temperature ---------*- C++ -*-===//
//
// `aec generate` turns a character model's softmax output into the next
// character as Keras's text-generation examples do: the log-probabilities
// are divided by the temperature and renormalized, q_i = p_i^(1/T) / sum_j
// p_j^(1/T), and one index is drawn from q. A temperature below 1 sharpens
// the distribution towards the most likely character, above 1 flattens it.
// Draws come from the runtime's own generator, so a seed repeats a text on
// every machine.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_SAMPLING_H
#define AENET_RUNTIME_SAMPLING_H

#include "aenet/Runtime/Random.h"

#include <cstdint>
#include <vector>

namespace aenet::rt {

/// The distribution q_i proportional to |probabilities|[i]^(1 / |temperature|)
/// over the |count| entries, computed in double from the log-probabilities
/// (the largest shifted to 0, so small temperatures do not overflow). Zero
/// probabilities stay zero. Empty when no entry is positive or one is NaN,
/// negative or infinite: then there is nothing to draw from. |temperature|
/// must be positive.
std::vector<double> withTemperature(const float *probabilities, int64_t count,
                                    double temperature);

/// An index drawn from the distribution |weights| (non-negative, summing to
/// about 1, not empty) with one uniform number of |rng|; never an index of
/// weight zero.
int64_t drawIndex(const std::vector<double> &weights, Rng &rng);

} // namespace aenet::rt

#endif // AENET_RUNTIME_SAMPLING_H
