// Every scenario of fixtures/scenarios/ (issue 5, Proof): each holds its expectations, replays
// byte-for-byte the same twice with one seed, and matches the trace digest committed below, which
// the Release build and the sanitizer (Debug) build of CI both check, so the two agree. A
// stochastic scenario's digest moves with the seed.
//
// A deliberate change of behaviour changes digests: the failure prints the new one and the
// `twin replay` line that shows the run; review the trace, then update the table.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "sim/fixture.h"
#include "sim/replay.h"

namespace twin::sim {
namespace {

const std::map<std::string, std::string>& golden_digests() {
  static const std::map<std::string, std::string> digests = {
#include "tests/sim/scenario_digests.inc"
  };
  return digests;
}

std::string scenario_path(const std::string& name) {
  return std::string(TWIN_SOURCE_DIR) + "/fixtures/scenarios/" + name + ".json";
}

std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(TWIN_SOURCE_DIR) + "/fixtures/scenarios")) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

ReplayOutput run(const Fixture& fixture, std::optional<std::uint64_t> seed = std::nullopt) {
  ReplayOptions options;
  options.seed = seed;
  options.fixture_path = "fixtures/scenarios/" + fixture.name + ".json";
  auto out = replay(fixture, options);
  EXPECT_TRUE(out.is_ok()) << out.status().to_string();
  return out.is_ok() ? std::move(*out) : ReplayOutput{};
}

class Scenario : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenario, HoldsItsExpectationsAndReplaysToTheCommittedDigest) {
  auto fixture = load_fixture(scenario_path(GetParam()));
  ASSERT_TRUE(fixture.is_ok()) << fixture.status().to_string();
  ReplayOutput first = run(*fixture);
  ReplayOutput second = run(*fixture);
  for (const auto& e : first.expectations) {
    EXPECT_TRUE(e.ok) << e.name << ": actual " << e.actual << "\n  reproduce: " << first.reproduce;
  }
  EXPECT_TRUE(first.error.empty()) << first.error;
  EXPECT_EQ(first.digest, second.digest) << "reproduce: " << first.reproduce;
  EXPECT_EQ(first.report, second.report);
  auto golden = golden_digests().find(GetParam());
  ASSERT_NE(golden, golden_digests().end())
      << "no committed digest; add {\"" << GetParam() << "\", \"" << first.digest
      << "\"}, to tests/sim/scenario_digests.inc";
  EXPECT_EQ(first.digest, golden->second)
      << "the trace changed; review it with `" << first.reproduce
      << " --trace FILE`, then commit the new digest " << first.digest;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Scenario, ::testing::ValuesIn(scenario_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// A small stochastic scenario: Poisson arrivals and log-normal durations.
constexpr char kStochastic[] = R"({
  "name": "stochastic", "seed": 1, "duration": "60s",
  "stack": {
    "apiKeys": [{"name": "K", "value": "TwinDevKey0123456789abcdef0123"}],
    "usagePlans": [{"name": "P", "throttle": {"rateLimit": 5, "burstLimit": 5}, "apiKeys": ["K"]}],
    "function": {"durations": {"/trigger": {"log_normal": {"median": "150ms", "sigma": 0.5}}}}
  },
  "traffic": [{"type": "poisson", "route": "/trigger", "rate": 4, "end": "50s", "api_key": "K"}]
})";

TEST(ScenarioSeed, AStochasticScenariosDigestChangesWithTheSeed) {
  auto fixture = parse_fixture(kStochastic);
  ASSERT_TRUE(fixture.is_ok()) << fixture.status().to_string();
  ReplayOutput a = run(*fixture, 1);
  ReplayOutput b = run(*fixture, 2);
  ReplayOutput a_again = run(*fixture, 1);
  EXPECT_NE(a.digest, b.digest);
  EXPECT_NE(a.report.at("routes"), b.report.at("routes"));  // the traffic itself differs
  EXPECT_EQ(a.digest, a_again.digest);
}

TEST(ScenarioSeed, PeakDayLosesNothingAndAppliesNothingTwiceWithAnotherSeed) {
  auto fixture = load_fixture(scenario_path("peak_day"));
  ASSERT_TRUE(fixture.is_ok()) << fixture.status().to_string();
  ReplayOutput other = run(*fixture, 7);
  EXPECT_NE(other.digest, golden_digests().at("peak_day"));
  EXPECT_EQ(other.report.at("lost_messages").as_int64(), 0) << other.reproduce;
  EXPECT_EQ(other.report.at("duplicate_effects").as_int64(), 0) << other.reproduce;
  EXPECT_TRUE(other.ok) << other.reproduce;
}

}  // namespace
}  // namespace twin::sim
