#include "fakes/apigw/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace twin::fakes::apigw {

std::int64_t rate_limit_to_milli_rps(double rate_limit_rps) {
  if (!(rate_limit_rps > 0)) return 0;  // also NaN
  const double milli = std::round(rate_limit_rps * static_cast<double>(kMilliPerUnit));
  if (milli >= static_cast<double>(kRateMilliRpsMax)) return kRateMilliRpsMax;
  return static_cast<std::int64_t>(milli);
}

TokenBucket::TokenBucket(std::int64_t rate_milli_rps, std::int64_t burst, core::TimeUs now)
    : rate_milli_rps_(std::clamp<std::int64_t>(rate_milli_rps, 0, kRateMilliRpsMax)),
      capacity_units_(std::clamp<std::int64_t>(burst, 0, kBurstMax) * kUnitsPerToken),
      level_units_(capacity_units_),
      updated_us_(now) {}

}  // namespace twin::fakes::apigw
