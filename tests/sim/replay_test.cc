// replay() (sim/replay.h) as a run: the event bound ends a run that does not settle and fails
// it, expectations are checked against the report's figures, and the line that reproduces the
// run names the seed used.
#include "sim/replay.h"

#include <gtest/gtest.h>

#include <string>

#include "sim/json_out.h"
#include "tests/support/sim_replay.h"

namespace twin::sim {
namespace {

using testing::figure;
using testing::parse_or_fail;

std::string burst_60(std::string_view more) {
  return std::string(R"({"name": "burst", "seed": 1, "duration": "10s",
  "stack": {
    "apiKeys": [{"name": "K", "value": "TwinDevKey0123456789abcdef0123"}],
    "usagePlans": [{"name": "P", "throttle": {"rateLimit": 25, "burstLimit": 50},
                    "apiKeys": ["K"]}],
    "function": {"Timeout": 30, "durations": {"/trigger": {"fixed": "200ms"}}}
  },
  "traffic": [{"type": "burst", "route": "/trigger", "count": 60, "api_key": "K",
               "start": "2s"}])") +
         std::string(more) + "}";
}

TEST(Replay, EventBoundEndsTheRunAndFailsIt) {
  const Fixture f = parse_or_fail(burst_60(R"(, "event_bound": 10)"));
  auto out = replay(f, {});
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_EQ(out->error,
            "the run did not settle: its event bound (10 events) was reached at t = 2000000 us");
  EXPECT_FALSE(out->ok);
  EXPECT_EQ(out->report.at("ok"), false);
  EXPECT_EQ(out->report.at("error").as_string(), out->error);
  EXPECT_EQ(out->report.at("events"), 10u);
}

TEST(Replay, ExpectationsAreCheckedAgainstTheReport) {
  const Fixture f = parse_or_fail(burst_60(R"(, "expect": {
      "routes": {"POST /trigger": {"status_counts": {"200": 50, "429": 11, "504": 0}}},
      "invitations_sent": {"min": 40, "max": 49}})"));
  ReplayOptions options;
  options.fixture_path = "fixtures/scenarios/burst.json";
  auto out = replay(f, options);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_FALSE(out->ok);
  ASSERT_EQ(out->expectations.size(), 4u);
  EXPECT_EQ(out->expectations[0].name, "routes.POST /trigger.status_counts.200");
  EXPECT_TRUE(out->expectations[0].ok);
  EXPECT_EQ(out->expectations[1].name, "routes.POST /trigger.status_counts.429");
  EXPECT_FALSE(out->expectations[1].ok);
  EXPECT_EQ(out->expectations[1].actual, 10);
  EXPECT_TRUE(out->expectations[2].ok);  // a status that never happened counts 0
  EXPECT_EQ(out->expectations[2].actual, 0);
  EXPECT_FALSE(out->expectations[3].ok);
  EXPECT_EQ(out->expectations[3].actual, 50);
  EXPECT_EQ(to_json(out->report.at("expectations").at(3)),
            R"({"name":"invitations_sent","ok":false,"expected":{"min":40,"max":49},)"
            R"("actual":50})");
  EXPECT_EQ(out->reproduce, "twin replay fixtures/scenarios/burst.json --seed 1");
}

TEST(Replay, TheSeedGivenOverridesTheFixturesAndIsReported) {
  const Fixture f = parse_or_fail(burst_60(""));
  ReplayOptions options;
  options.seed = 5;
  auto out = replay(f, options);
  ASSERT_TRUE(out.is_ok()) << out.status().message();
  EXPECT_TRUE(out->ok);
  EXPECT_EQ(out->seed, 5u);
  EXPECT_EQ(out->report.at("seed"), 5u);
  EXPECT_EQ(out->reproduce, "twin replay burst.json --seed 5");
  EXPECT_EQ(out->report.at("digest").as_string(), out->digest);
  EXPECT_EQ(out->digest.size(), 64u);
  EXPECT_EQ(figure(*out, {"routes", "POST /trigger", "status_counts", "200"}), 50);
}

}  // namespace
}  // namespace twin::sim
