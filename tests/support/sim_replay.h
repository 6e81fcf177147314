// Helpers for the simulator's tests: replay a fixture written in the test (a raw string
// literal), read figures of the report by their keys and lines of the trace by their event.
//
// Failures are reported through GoogleTest (ADD_FAILURE) and leave an empty result, so a test
// that gets one fails on its next assertion instead of crashing. Single-threaded, like the
// replay.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/fixture.h"
#include "sim/replay.h"

namespace twin::sim::testing {

inline Fixture parse_or_fail(std::string_view text) {
  auto parsed = parse_fixture(text);
  if (!parsed.is_ok()) {
    ADD_FAILURE() << "fixture refused: " << parsed.status().message();
    return {};
  }
  return std::move(*parsed);
}

// Replays `fixture` keeping the trace; the fixture's seed unless `seed` is given.
inline ReplayOutput replay_or_fail(const Fixture& fixture,
                                   std::optional<std::uint64_t> seed = std::nullopt) {
  ReplayOptions options;
  options.seed = seed;
  options.keep_trace = true;
  auto out = replay(fixture, options);
  if (!out.is_ok()) {
    ADD_FAILURE() << "replay failed: " << out.status().message();
    return {};
  }
  EXPECT_EQ(out->error, "");
  return std::move(*out);
}

inline ReplayOutput replay_text(std::string_view text,
                                std::optional<std::uint64_t> seed = std::nullopt) {
  return replay_or_fail(parse_or_fail(text), seed);
}

// The number at `keys` in the report (a boolean as 1/0); nullopt when a key is absent.
inline std::optional<double> figure(const ReplayOutput& out,
                                    std::initializer_list<std::string_view> keys) {
  const boost::json::value* v = nullptr;
  const boost::json::object* at = &out.report;
  for (auto k : keys) {
    if (at == nullptr) return std::nullopt;
    v = at->if_contains(k);
    if (v == nullptr) return std::nullopt;
    at = v->if_object();
  }
  if (v == nullptr) return std::nullopt;
  if (v->is_bool()) return v->get_bool() ? 1 : 0;
  if (v->is_number()) return v->to_number<double>();
  return std::nullopt;
}

// routes."POST <route>".status_counts.<status>, 0 when that status never happened.
inline double status_count(const ReplayOutput& out, std::string_view route,
                           std::string_view status) {
  return figure(out, {"routes", route, "status_counts", status}).value_or(0);
}

// The trace lines whose "ev" is `event`, in order, parsed.
inline std::vector<boost::json::object> trace_events(const ReplayOutput& out,
                                                     std::string_view event) {
  std::vector<boost::json::object> lines;
  std::istringstream in(out.trace);
  std::string line;
  while (std::getline(in, line)) {
    boost::json::value v = boost::json::parse(line);
    if (v.at("ev").as_string() == event) lines.push_back(std::move(v.as_object()));
  }
  return lines;
}

inline std::int64_t int_of(const boost::json::object& line, std::string_view key) {
  return line.at(key).as_int64();
}

}  // namespace twin::sim::testing
