// TokenBucket: the throttle API Gateway documents (reference 1.1): "a token counts for a
// request"; the rate is the number of tokens added per second, the burst the bucket's capacity.
//
// Owned by whoever throttles (the gateway per usage plan key, stage method and account; the
// Twilio sink per sender). Single-threaded; time is passed in from the caller's Executor.
//
// Exact arithmetic: the rate is held in milli-requests per second (a usage plan's rateLimit is a
// double; it is rounded once, to the nearest 0.001 rps, when the bucket is made) and the level
// in nano-tokens (kUnitsPerToken units make one token). One microsecond at rate_milli_rps adds
// exactly rate_milli_rps units, so refill is an integer product with no rounding at all, and
// the same arrivals give the same decisions on every machine. Long idle spans cannot overflow:
// refill stops as soon as the bucket would be full.
//
// Semantics (reference 1.1, UNCERTAIN points decided here): a bucket starts full, refills
// continuously (not in whole-second steps), never holds more than `burst` tokens, and a request
// passes when at least one whole token is there. A burst of 0 rejects everything.
#pragma once

#include <cstdint>

#include "core/ports/clock.h"

namespace twin::fakes::apigw {

inline constexpr std::int64_t kUnitsPerToken = 1'000'000'000;  // nano-tokens
inline constexpr std::int64_t kMilliPerUnit = 1'000;
// 10^9 tokens: far above any AWS limit, and level arithmetic stays inside int64.
inline constexpr std::int64_t kBurstMax = 1'000'000'000;
inline constexpr std::int64_t kRateMilliRpsMax = kBurstMax * kMilliPerUnit;

// rateLimit (requests per second, a double in AWS's API) to milli-rps, rounded to nearest.
// Negative, NaN or huge values are the caller's to reject first; here they clamp to [0, max].
std::int64_t rate_limit_to_milli_rps(double rate_limit_rps);

class TokenBucket {
 public:
  TokenBucket(std::int64_t rate_milli_rps, std::int64_t burst, core::TimeUs now);

  // Takes one token at `now` if there is one. `now` must not go backwards (it is clamped).
  bool try_take(core::TimeUs now) {
    refill(now);
    if (level_units_ < kUnitsPerToken) return false;
    level_units_ -= kUnitsPerToken;
    return true;
  }
  // Whether try_take(now) would succeed, without taking.
  bool has_token(core::TimeUs now) {
    refill(now);
    return level_units_ >= kUnitsPerToken;
  }

  std::int64_t rate_milli_rps() const { return rate_milli_rps_; }
  std::int64_t burst() const { return capacity_units_ / kUnitsPerToken; }
  // Whole tokens available at the last refill.
  std::int64_t tokens() const { return level_units_ / kUnitsPerToken; }

 private:
  void refill(core::TimeUs now) {
    if (now <= updated_us_) return;
    const std::int64_t missing = capacity_units_ - level_units_;
    const std::int64_t elapsed_us = now - updated_us_;
    updated_us_ = now;
    if (missing == 0 || rate_milli_rps_ == 0) return;
    // elapsed * rate >= missing  <=>  elapsed >= ceil(missing / rate); checked by division so
    // that the product is only formed when it is below `missing` (no overflow).
    if (elapsed_us >= (missing + rate_milli_rps_ - 1) / rate_milli_rps_) {
      level_units_ = capacity_units_;
    } else {
      level_units_ += elapsed_us * rate_milli_rps_;
    }
  }

  std::int64_t rate_milli_rps_;
  std::int64_t capacity_units_;
  std::int64_t level_units_;
  core::TimeUs updated_us_;
};

}  // namespace twin::fakes::apigw
