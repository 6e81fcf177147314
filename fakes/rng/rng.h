// Rng: the project's one seeded random generator and its distribution code.
//
// Used by the fakes (Lambda durations, injected errors) and later by the simulator (traffic).
// The engine is xoshiro256** seeded through SplitMix64; every distribution is written here, not
// taken from <random>, whose distributions give different numbers on different standard
// libraries. Floating-point draws use only IEEE-754 arithmetic and std::log/std::exp/std::sqrt/
// std::cos; those are deterministic for one libm (glibc), which is the platform we pin.
//
// Streams: fork("lambda.duration.fn") derives an independent generator from this generator's
// *seed* and the name (FNV-1a 64, never std::hash), not from its current state, so a consumer's
// draws do not shift when another consumer is added or draws more. Forks nest
// (rng.fork("a").fork("b")).
//
// Single-threaded: a generator belongs to one executor thread like everything else.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace twin::fakes::rng {

// FNV-1a, 64 bits: the fixed hash used to name streams.
std::uint64_t fnv1a_64(std::string_view text);

// One step of SplitMix64: advances `state` and returns the mixed output.
std::uint64_t splitmix64(std::uint64_t& state);

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  // The seed this generator was built from (a fork's derived seed).
  std::uint64_t seed() const { return seed_; }

  // An independent stream named `name`, derived from seed() and the name only.
  Rng fork(std::string_view name) const;

  // The raw engine: 64 uniformly distributed bits.
  std::uint64_t next_u64();

  // Uniform integer in [0, bound), bound > 0, without modulo bias (Lemire's method).
  std::uint64_t uniform_below(std::uint64_t bound);
  // Uniform integer in [lo, hi], lo <= hi.
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);
  // Uniform double in [0, 1) with 53 random bits.
  double uniform01();
  // Uniform double in [lo, hi).
  double uniform(double lo, double hi);
  // True with probability p (p <= 0 never, p >= 1 always; one draw either way).
  bool bernoulli(double p);
  // Exponential with the given mean (> 0), by inversion.
  double exponential(double mean);
  // Normal by the Box-Muller transform. One pair is drawn per call and the second value is
  // discarded, so every call consumes exactly two engine outputs (simple to reason about).
  double normal(double mean, double stddev);
  // exp(normal(mu, sigma)): log-normal with the parameters of the underlying normal.
  double log_normal(double mu, double sigma);

 private:
  std::uint64_t seed_;
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace twin::fakes::rng
