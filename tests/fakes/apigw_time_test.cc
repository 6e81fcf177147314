// API Gateway's time formats (fakes/apigw/apigw_time.h): requestTime in the common log format.
#include "fakes/apigw/apigw_time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "fakes/rng/rng.h"

namespace twin::fakes::apigw {
namespace {

// What format_clf wrote before its digits were written by hand: snprintf on the same fields.
std::string clf_by_snprintf(core::TimeUs t) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::int64_t days = day_of(t);
  const CivilDate date = civil_from_days(days);
  const std::int64_t seconds = (t - days * kMicrosPerDay) / core::kMicrosPerSecond;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02u/%s/%04lld:%02lld:%02lld:%02lld +0000", date.day,
                kMonths[date.month - 1], static_cast<long long>(date.year),
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60));
  return buf;
}

TEST(ApigwTime, RequestTimeInTheCommonLogFormat) {
  EXPECT_EQ(format_clf(1'767'225'600'000'000), "01/Jan/2026:00:00:00 +0000");
  EXPECT_EQ(format_clf(1'583'349'317'000'000), "04/Mar/2020:19:15:17 +0000");
  EXPECT_EQ(format_clf(1'582'934'399'999'999), "28/Feb/2020:23:59:59 +0000");
  EXPECT_EQ(format_clf(0), "01/Jan/1970:00:00:00 +0000");
  EXPECT_EQ(format_clf(-1), "31/Dec/1969:23:59:59 +0000");
}

TEST(ApigwTime, RequestTimeMatchesSnprintfOverSeededTimes) {
  rng::Rng rng(2026);
  constexpr core::TimeUs kYear10000Us = 253'402'300'800'000'000;  // 10000-01-01
  constexpr core::TimeUs kYear0Us = -62'167'219'200'000'000;      // 0000-01-01
  for (core::TimeUs t : {kYear10000Us - 1, kYear10000Us, kYear0Us, kYear0Us - 1}) {
    EXPECT_EQ(format_clf(t), clf_by_snprintf(t)) << t;
  }
  for (int i = 0; i < 20'000; ++i) {
    const core::TimeUs t = rng.uniform_int(kYear0Us - kYear10000Us, 2 * kYear10000Us);
    ASSERT_EQ(format_clf(t), clf_by_snprintf(t)) << t;
  }
}

}  // namespace
}  // namespace twin::fakes::apigw
