//===- Random.cpp - Reproducible random numbers ---------------------------===//
//
// The generators are the reference algorithms from https://prng.di.unimi.it/
// transcribed directly; the tests pin their first outputs.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Random.h"

#include <cassert>
#include <cmath>
#include <random>

namespace aenet::rt {

namespace {

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

constexpr double kTwoPi = 6.283185307179586476925286766559;

} // namespace

uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t mixSeed(uint64_t seed, uint64_t stream) {
  uint64_t s = stream;
  uint64_t t = seed ^ splitmix64(s);
  return splitmix64(t);
}

uint64_t freshSeed() {
  std::random_device device;
  return device() | (uint64_t(device()) << 32);
}

Rng::Rng(uint64_t seed) {
  for (uint64_t &word : state)
    word = splitmix64(seed);
}

uint64_t Rng::next() {
  uint64_t result = rotl(state[1] * 5, 7) * 9;
  uint64_t t = state[1] << 17;
  state[2] ^= state[0];
  state[3] ^= state[1];
  state[1] ^= state[2];
  state[0] ^= state[3];
  state[2] ^= t;
  state[3] = rotl(state[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }

uint64_t Rng::below(uint64_t bound) {
  assert(bound > 0 && "empty range");
  // Reject the low values that would make some residues more likely:
  // 2^64 mod bound of them, computed as (-bound) mod bound.
  uint64_t threshold = (0 - bound) % bound;
  while (true) {
    uint64_t x = next();
    if (x >= threshold)
      return x % bound;
  }
}

double Rng::normal() {
  if (hasCachedNormal) {
    hasCachedNormal = false;
    return cachedNormal;
  }
  // 1 - uniform() is in (0, 1], so the logarithm is finite.
  double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));
  double angle = kTwoPi * uniform();
  cachedNormal = radius * std::sin(angle);
  hasCachedNormal = true;
  return radius * std::cos(angle);
}

void glorotUniform(float *w, int64_t n, int64_t fanIn, int64_t fanOut,
                   Rng &rng) {
  assert(fanIn + fanOut > 0 && "Glorot needs a fan");
  double limit = std::sqrt(6.0 / static_cast<double>(fanIn + fanOut));
  for (int64_t i = 0; i < n; ++i)
    w[i] = static_cast<float>((2.0 * rng.uniform() - 1.0) * limit);
}

} // namespace aenet::rt
