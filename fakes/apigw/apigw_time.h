// Calendar arithmetic for the API Gateway fake, all in UTC on the proleptic Gregorian calendar:
// the CLF `requestTime` of proxy events, the yyyy-MM-dd dates of GetUsage, and the start of a
// quota period. Pure functions over core::TimeUs; no time zone database, no wall clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ports/clock.h"

namespace twin::fakes::apigw {

inline constexpr core::DurationUs kMicrosPerDay = 24 * core::kMicrosPerHour;

struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

// Days since 1970-01-01 (Howard Hinnant's algorithms).
std::int64_t days_from_civil(const CivilDate& date);
CivilDate civil_from_days(std::int64_t days);
// Floor division of a time into whole days since the epoch (correct before 1970 too).
std::int64_t day_of(core::TimeUs t);
// 0 = Sunday .. 6 = Saturday.
unsigned weekday_of_day(std::int64_t days);

// "04/Mar/2020:19:15:17 +0000"
std::string format_clf(core::TimeUs t);
// The same written over `out`, whose room is kept (a proxy event reused from request to request).
void format_clf(core::TimeUs t, std::string& out);
// "2026-01-31" <-> days since the epoch; nullopt for anything not a real yyyy-MM-dd date.
std::string format_date(std::int64_t days);
std::optional<std::int64_t> parse_date(std::string_view text);

}  // namespace twin::fakes::apigw
