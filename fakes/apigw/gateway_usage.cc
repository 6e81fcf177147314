// Quotas (reference 1.2) and GetUsage: per usage plan and API key, counted per UTC day.
#include <algorithm>

#include "fakes/apigw/apigw_time.h"
#include "fakes/apigw/gateway.h"

namespace twin::fakes::apigw {

std::int64_t Gateway::quota_period_start(const QuotaSettings& quota, std::int64_t day) const {
  const bool offset_is_start = options_.quota_offset_meaning == QuotaOffsetMeaning::kPeriodStartDay;
  const std::int64_t offset = offset_is_start ? quota.offset : 0;
  switch (quota.period) {
    case QuotaPeriod::kDay:
      return day;
    case QuotaPeriod::kWeek: {
      const std::int64_t back = (static_cast<std::int64_t>(weekday_of_day(day)) - offset + 7) % 7;
      return day - back;
    }
    case QuotaPeriod::kMonth: {
      CivilDate date = civil_from_days(day);
      const auto start_day = static_cast<unsigned>(offset + 1);
      if (date.day < start_day) {
        date.month = date.month == 1 ? 12 : date.month - 1;
        if (date.month == 12) date.year -= 1;
      }
      date.day = start_day;
      return days_from_civil(date);
    }
  }
  return day;
}

std::int64_t Gateway::quota_allowance(const UsagePlan& plan, std::int64_t period_start) const {
  const QuotaSettings& quota = *plan.quota;
  if (options_.quota_offset_meaning == QuotaOffsetMeaning::kInitialPeriodDeduction) {
    const auto created = plan_created_day_.find(plan.id);
    if (created != plan_created_day_.end() &&
        quota_period_start(quota, created->second) == period_start) {
      return std::max<std::int64_t>(0, quota.limit - quota.offset);
    }
  }
  return quota.limit;
}

std::int64_t Gateway::used_between(const PlanKey& plan_key, std::int64_t first_day,
                                   std::int64_t last_day) const {
  std::int64_t used = 0;
  auto it = daily_usage_.lower_bound({plan_key.first, plan_key.second, first_day});
  for (; it != daily_usage_.end(); ++it) {
    const auto& [plan, key, day] = it->first;
    if (plan != plan_key.first || key != plan_key.second || day > last_day) break;
    used += it->second;
  }
  return used;
}

bool Gateway::charge_quota(const UsagePlan& plan, const ApiKey& key, core::TimeUs now) {
  const std::int64_t today = day_of(now);
  // The counters are found by views of the ids; their keys' strings are built only for a new
  // entry (copying them for every request cost more than the lookups).
  if (plan.quota) {
    const std::int64_t start = quota_period_start(*plan.quota, today);
    auto found =
        quota_counters_.find(std::tuple<std::string_view, std::string_view>(plan.id, key.id));
    if (found == quota_counters_.end())
      found = quota_counters_.try_emplace({plan.id, key.id}).first;
    QuotaCounter& counter = found->second;
    if (counter.period_start_day != start || counter.used < 0) {
      // A new period, or the plan changed: count again from the daily records.
      counter = {start, used_between({plan.id, key.id}, start, today)};
    }
    if (counter.used >= quota_allowance(plan, start)) return false;
    ++counter.used;
  }
  const std::tuple<std::string_view, std::string_view, std::int64_t> day_key(plan.id, key.id,
                                                                             today);
  auto used = daily_usage_.find(day_key);
  if (used == daily_usage_.end()) used = daily_usage_.try_emplace({plan.id, key.id, today}).first;
  ++used->second;
  return true;
}

core::Result<GetUsageResponse> Gateway::get_usage(const GetUsageRequest& request) const {
  const auto plan = usage_plans_.find(request.usage_plan_id);
  if (plan == usage_plans_.end()) return not_found_error("Invalid Usage Plan ID specified");
  const auto first = parse_date(request.start_date);
  if (!first) return bad_request("Invalid startDate: expected yyyy-MM-dd");
  const auto last = parse_date(request.end_date);
  if (!last) return bad_request("Invalid endDate: expected yyyy-MM-dd");
  if (*last < *first) return bad_request("endDate must not be before startDate");
  if (*last - *first + 1 > kUsageDaysMax) {
    return bad_request("The usage period (startDate to endDate) can't exceed 90 days");
  }
  const std::int64_t limit = request.limit.value_or(kPageLimitDefault);
  if (limit < 1 || limit > kPageLimitMax) return bad_request("limit must be between 1 and 500");
  if (request.key_id && !api_keys_.contains(*request.key_id)) {
    return not_found_error("Invalid API Key identifier specified");
  }
  GetUsageResponse out{plan->first, request.start_date, request.end_date, {}, std::nullopt};
  const auto keys = plan_keys_.find(plan->first);
  if (keys == plan_keys_.end()) return out;
  auto it = request.position ? keys->second.lower_bound(*request.position) : keys->second.begin();
  for (; it != keys->second.end(); ++it) {
    if (request.key_id && *it != *request.key_id) continue;
    if (static_cast<std::int64_t>(out.items.size()) == limit) {
      out.position = *it;
      break;
    }
    std::vector<DailyUsage>& days = out.items[*it];
    const PlanKey plan_key{plan->first, *it};
    for (std::int64_t day = *first; day <= *last; ++day) {
      DailyUsage usage;
      usage.used = used_between(plan_key, day, day);
      if (plan->second.quota) {
        const std::int64_t start = quota_period_start(*plan->second.quota, day);
        usage.remaining = std::max<std::int64_t>(
            0, quota_allowance(plan->second, start) - used_between(plan_key, start, day));
      }
      days.push_back(usage);
    }
  }
  return out;
}

}  // namespace twin::fakes::apigw
