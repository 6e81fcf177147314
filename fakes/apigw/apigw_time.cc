#include "fakes/apigw/apigw_time.h"

#include <array>
#include <cstdio>

namespace twin::fakes::apigw {

std::int64_t days_from_civil(const CivilDate& date) {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (date.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + doe - 719'468;
}

CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const std::int64_t doe = z - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  CivilDate out;
  out.day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  out.month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

std::int64_t day_of(core::TimeUs t) {
  return t >= 0 ? t / kMicrosPerDay : -((-t + kMicrosPerDay - 1) / kMicrosPerDay);
}

unsigned weekday_of_day(std::int64_t days) {
  // 1970-01-01 was a Thursday (4).
  const std::int64_t w = (days % 7 + 7 + 4) % 7;
  return static_cast<unsigned>(w);
}

std::string format_clf(core::TimeUs t) {
  std::string out;
  format_clf(t, out);
  return out;
}

void format_clf(core::TimeUs t, std::string& out) {
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::int64_t days = day_of(t);
  const CivilDate date = civil_from_days(days);
  const std::int64_t seconds = (t - days * kMicrosPerDay) / core::kMicrosPerSecond;
  if (date.year >= 0 && date.year <= 9999) {
    // Digits by hand: this runs for every request, and snprintf was a tenth of building the
    // event. The fields are fixed width here; snprintf below covers the other years.
    out = "00/Mon/0000:00:00:00 +0000";
    auto put = [&out](std::size_t at, std::int64_t value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10) {
        out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
      }
    };
    put(0, date.day, 2);
    out.replace(3, 3, kMonths[date.month - 1]);
    put(7, date.year, 4);
    put(12, seconds / 3600, 2);
    put(15, seconds / 60 % 60, 2);
    put(18, seconds % 60, 2);
    return;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02u/%s/%04lld:%02lld:%02lld:%02lld +0000", date.day,
                kMonths[date.month - 1], static_cast<long long>(date.year),
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60));
  out = buf;
}

std::string format_date(std::int64_t days) {
  const CivilDate date = civil_from_days(days);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(date.year), date.month,
                date.day);
  return buf;
}

std::optional<std::int64_t> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t count) -> std::optional<unsigned> {
    unsigned value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return value;
  };
  const auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  const CivilDate date{*y, *m, *d};
  const std::int64_t days = days_from_civil(date);
  const CivilDate back = civil_from_days(days);
  if (back.month != date.month || back.day != date.day) return std::nullopt;  // 2026-02-30
  return days;
}

}  // namespace twin::fakes::apigw
