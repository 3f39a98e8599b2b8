//===- Random.h - Reproducible random numbers -------------------*- C++ -*-===//
//
// A training run is reproducible from its seed on every machine, so the
// runtime uses its own generator instead of <random>, whose distributions
// differ between standard libraries: xoshiro256** (Blackman and Vigna),
// seeded by splitmix64, with uniform doubles from the top 53 bits and normal
// variates by Box-Muller.
//
// On top of it: Keras's default weight initializer (Glorot uniform). Noise
// inside a model (gaussian_noise layers, corrupted inputs) is not drawn here
// but in the compiled code, from a counter-based hash of the step's seed.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_RANDOM_H
#define AENET_RUNTIME_RANDOM_H

#include <cstdint>

namespace aenet::rt {

/// Advances |state| by the splitmix64 increment and returns the next output;
/// used to expand one seed into a generator state and to mix seeds.
uint64_t splitmix64(uint64_t &state);

/// A seed derived from |seed| and |stream|, e.g. one per epoch, such that
/// nearby pairs give unrelated seeds.
uint64_t mixSeed(uint64_t seed, uint64_t stream);

/// A seed of 64 bits from the system's entropy source (std::random_device),
/// for a run given none: it differs from run to run, so a run that uses it
/// prints it for the user to repeat the run with.
uint64_t freshSeed();

/// xoshiro256**: 256 bits of state, period 2^256 - 1.
class Rng {
public:
  /// Seeds the state with four splitmix64 outputs of |seed|.
  explicit Rng(uint64_t seed);

  /// The next 64 random bits.
  uint64_t next();
  /// A double uniform in [0, 1), a multiple of 2^-53.
  double uniform();
  /// An integer uniform in [0, |bound|), without modulo bias; |bound| > 0.
  uint64_t below(uint64_t bound);
  /// A standard normal variate. Box-Muller gives two per pair of uniforms;
  /// the second is cached and returned by the next call.
  double normal();

private:
  uint64_t state[4];
  double cachedNormal = 0.0;
  bool hasCachedNormal = false;
};

/// Fills the |n| weights at |w| uniformly from [-limit, limit] with
/// limit = sqrt(6 / (fanIn + fanOut)), Keras's default initializer.
void glorotUniform(float *w, int64_t n, int64_t fanIn, int64_t fanOut,
                   Rng &rng);

} // namespace aenet::rt

#endif // AENET_RUNTIME_RANDOM_H
