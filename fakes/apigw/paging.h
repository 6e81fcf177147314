// page(): one page of a list operation (GetApiKeys, GetUsagePlans, GetRestApis...) over an
// ordered map, as the API Gateway fake pages every list: in key (id) order, `position` the key
// to start from, `limit` 1..500 (25 when absent). Internal to fakes/apigw; values only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "fakes/apigw/apigw_errors.h"
#include "fakes/apigw/apigw_types.h"

namespace twin::fakes::apigw {

// Appends emit(item) for each item that keep(item) accepts to out.items, and sets
// out.position to the key of the first one that did not fit.
template <typename Map, typename Out>
core::Status page(const Map& items, const std::optional<std::string>& position,
                  std::optional<std::int64_t> limit_in, Out& out, auto&& keep, auto&& emit) {
  const std::int64_t limit = limit_in.value_or(kPageLimitDefault);
  if (limit < 1 || limit > kPageLimitMax) return bad_request("limit must be between 1 and 500");
  auto it = position ? items.lower_bound(*position) : items.begin();
  for (; it != items.end(); ++it) {
    if (!keep(it->second)) continue;
    if (static_cast<std::int64_t>(out.items.size()) == limit) {
      out.position = it->first;
      break;
    }
    out.items.push_back(emit(it->second));
  }
  return core::Status::ok();
}

}  // namespace twin::fakes::apigw
