// The fixture loader (sim/fixture.h) on bad input: every kind is an InvalidArgument whose
// message starts with the JSON path of the value at fault (good input: fixture_values_test.cc).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "sim/fixture.h"
#include "sim/replay.h"

namespace twin::sim {
namespace {

namespace json = boost::json;

// A small valid fixture; each error test changes one thing in it.
constexpr std::string_view kBase = R"({
  "name": "loader",
  "seed": 7,
  "duration": "10s",
  "stack": {
    "apiKeys": [{"name": "K", "value": "TwinDevKey0123456789abcdef0123"}],
    "usagePlans": [{"name": "P", "throttle": {"rateLimit": 25, "burstLimit": 50},
                    "apiKeys": ["K"]}],
    "function": {"Timeout": 30, "durations": {"/trigger": {"fixed": "200ms"}}},
    "queues": [{"QueueName": "webhooks"}],
    "handler": {"webhook_queue": "webhooks"},
    "twilio": {"auth_token": "test_auth_token_0123456789abcdef"}
  },
  "traffic": [
    {"type": "series", "route": "/trigger", "count": 3, "spacing": "100ms", "api_key": "K"}
  ]
})";

// kBase with `edit` applied (members are added at the end of their object).
std::string edited(const std::function<void(json::value&)>& edit) {
  json::value v = json::parse(kBase);
  edit(v);
  return json::serialize(v);
}

// kBase with the member `key` of the object at `pointer` set to `value`.
std::string with(std::string_view pointer, std::string_view key, json::value value) {
  return edited([&](json::value& v) { v.at_pointer(pointer).as_object()[key] = std::move(value); });
}

std::string without(std::string_view pointer, std::string_view key) {
  return edited([&](json::value& v) { v.at_pointer(pointer).as_object().erase(key); });
}

// The loader's message for `text`, which must be refused with kInvalidArgument.
std::string error_of(std::string_view text) {
  auto parsed = parse_fixture(text);
  if (parsed.is_ok()) return "(accepted)";
  EXPECT_EQ(parsed.status().code(), core::StatusCode::kInvalidArgument);
  return parsed.status().message();
}

std::string replay_error_of(std::string_view text) {
  auto parsed = parse_fixture(text);
  if (!parsed.is_ok()) return "(refused by the loader: " + parsed.status().message() + ")";
  auto out = replay(*parsed, {});
  if (out.is_ok()) return "(replayed)";
  EXPECT_EQ(out.status().code(), core::StatusCode::kInvalidArgument);
  return out.status().message();
}

TEST(FixtureLoader, BaseFixtureIsValid) { EXPECT_EQ(error_of(kBase), "(accepted)"); }

TEST(FixtureLoader, InvalidJsonNamesLineAndColumn) {
  EXPECT_EQ(error_of("{\n  \"name\": \"t\",\n  \"seed\": 1,,\n}"),
            "$: invalid JSON at line 3, column 13: syntax error");
  EXPECT_EQ(error_of("{\"name\": \"t\""), "$: invalid JSON at line 1, column 13: incomplete JSON");
  EXPECT_EQ(error_of("{} {}"), "$: text after the JSON value at line 1, column 4");
  EXPECT_EQ(error_of(std::string(kBase) + "\nx"),
            "$: text after the JSON value at line 18, column 1");
  EXPECT_EQ(error_of(std::string(kBase) + "\n\n"), "(accepted)");  // trailing whitespace is fine
  EXPECT_EQ(error_of("[]"), "$: expected an object, got an array");
}

TEST(FixtureLoader, UnknownKeys) {
  EXPECT_EQ(error_of(with("", "nmae", "x")), "$.nmae: unknown key");
  EXPECT_EQ(error_of(with("/stack/usagePlans/0/throttle", "rateLimt", 25)),
            "$.stack.usagePlans[0].throttle.rateLimt: unknown key");
  EXPECT_EQ(error_of(with("/stack/function", "timeout", 3)),
            "$.stack.function.timeout: unknown key");
  EXPECT_EQ(error_of(with("/traffic/0", "spacingg", "1s")), "$.traffic[0].spacingg: unknown key");
  EXPECT_EQ(error_of(with("/stack", "methodSettings",
                          json::object{{"/players/GET", {{"throttlingBurstLimit", 5}}}})),
            "$.stack.methodSettings[\"/players/GET\"]: unknown method; the API has \"*/*\", "
            "\"/trigger/POST\" and \"/webhook/POST\"");
  EXPECT_EQ(error_of(with("/stack", "methodSettings",
                          json::object{{"*/*", {{"throttlingBurstLimt", 5}}}})),
            "$.stack.methodSettings[\"*/*\"].throttlingBurstLimt: unknown key");
}

TEST(FixtureLoader, WrongTypes) {
  EXPECT_EQ(error_of(with("/traffic/0", "count", "3")),
            "$.traffic[0].count: expected an integer, got a string");
  EXPECT_EQ(error_of(with("/traffic/0", "count", 2.5)),
            "$.traffic[0].count: expected an integer, got 2.5");
  EXPECT_EQ(error_of(with("/stack/function", "Timeout", "30")),
            "$.stack.function.Timeout: expected an integer, got a string");
  EXPECT_EQ(error_of(with("", "traffic", json::object{})),
            "$.traffic: expected an array, got an object");
  EXPECT_EQ(error_of(with("/stack/apiKeys/0", "enabled", "yes")),
            "$.stack.apiKeys[0].enabled: expected a boolean, got a string");
  EXPECT_EQ(error_of(with("", "name", 5)), "$.name: expected a string, got a number");
  EXPECT_EQ(error_of(with("/traffic/0", "spacing", true)),
            "$.traffic[0].spacing: expected a duration (\"250ms\", \"1.5s\" or seconds), got a "
            "boolean");
}

TEST(FixtureLoader, RequiredMembers) {
  EXPECT_EQ(error_of(without("", "name")), "$.name: required");
  EXPECT_EQ(error_of(without("", "traffic")), "$.traffic: required");
  EXPECT_EQ(error_of(without("/traffic/0", "count")), "$.traffic[0].count: required");
  EXPECT_EQ(error_of(with("", "name", "")), "$.name: must not be empty");
}

TEST(FixtureLoader, OutOfRange) {
  EXPECT_EQ(error_of(with("/traffic/0", "count", 0)),
            "$.traffic[0].count: must be between 1 and 1000000, got 0");
  EXPECT_EQ(error_of(with("/stack/function", "Timeout", 901)),
            "$.stack.function.Timeout: must be between 1 and 900, got 901");
  EXPECT_EQ(
      error_of(with("", "faults",
                    json::array{{{"site", "lambda.error"}, {"route", "/trigger"}, {"rate", 1.5}}})),
      "$.faults[0].rate: must be between 0 and 1, got 1.5");
  EXPECT_EQ(error_of(with("", "faults", json::array{{{"site", "lambda.error"}}})),
            "$.faults[0]: a fault needs a rate above 0 or at least one window");
  EXPECT_EQ(error_of(with("/traffic/0", "start", "11s")),
            "$.traffic[0].start: must be between 0 us and 10000000 us, got 11000000 us");
  EXPECT_EQ(error_of(with("", "duration", "8d")),
            "$.duration: \"8d\" is not a duration: the unit must be us, ms, s, m or h");
  EXPECT_EQ(error_of(with("", "duration", "169h")),
            "$.duration: \"169h\" is not a duration: too large");
  EXPECT_EQ(error_of(with("", "duration", "604800.5s")),
            "$.duration: must be between 1000 us and 604800000000 us, got 604800500000 us");
  EXPECT_EQ(error_of(with("", "duration", "0.5ms")),
            "$.duration: must be between 1000 us and 604800000000 us, got 500 us");
  EXPECT_EQ(error_of(with("/stack/apiKeys/0", "value", "short")),
            "$.stack.apiKeys[0].value: an API key value has 20 to 128 characters (AWS)");
  EXPECT_EQ(error_of(with("/stack", "stageName", "prod/v1")),
            "$.stack.stageName: a stage name has 1 to 128 letters, digits, '-' or '_' (AWS), got "
            "\"prod/v1\"");
  EXPECT_EQ(error_of(with("/stack", "stageName", "")),
            "$.stack.stageName: a stage name has 1 to 128 letters, digits, '-' or '_' (AWS), got "
            "\"\"");
}

// twin serve answers these paths itself, so a stage by that name could never be reached.
TEST(FixtureLoader, StageNamesTheServerAnswersItselfAreRefused) {
  for (const char* name : {"apikeys", "usageplans", "restapis", "_twin"}) {
    EXPECT_EQ(error_of(with("/stack", "stageName", name)),
              "$.stack.stageName: \"" + std::string(name) +
                  "\" is a path twin serve answers itself (the API Gateway management API or "
                  "/_twin/): name the stage otherwise");
  }
  EXPECT_EQ(error_of(with("/stack", "stageName", "staging_2")), "(accepted)");
}

TEST(FixtureLoader, BadDurations) {
  EXPECT_EQ(error_of(with("/traffic/0", "spacing", "10 parsecs")),
            "$.traffic[0].spacing: \"10 parsecs\" is not a duration: the unit must be us, ms, s, m "
            "or h");
  EXPECT_EQ(error_of(with("/traffic/0", "spacing", "1.0000001s")),
            "$.traffic[0].spacing: \"1.0000001s\" is not a duration: finer than a microsecond");
  EXPECT_EQ(error_of(with("/traffic/0", "spacing", "-1s")),
            "$.traffic[0].spacing: \"-1s\" is not a duration: expected a number then a unit (us, "
            "ms, s, m, h)");
  EXPECT_EQ(error_of(with("/traffic/0", "spacing", -1)),
            "$.traffic[0].spacing: a duration in seconds must be between 0 and 1e9");
  EXPECT_EQ(error_of(with("/traffic/0", "spacing", "1.5")),
            "$.traffic[0].spacing: \"1.5\" is not a duration: the unit must be us, ms, s, m or h");
}

TEST(FixtureLoader, ParseDuration) {
  EXPECT_EQ(*parse_duration("250ms"), 250'000);
  EXPECT_EQ(*parse_duration("1.5s"), 1'500'000);
  EXPECT_EQ(*parse_duration("2h"), 7'200'000'000);
  EXPECT_EQ(*parse_duration("3m"), 180'000'000);
  EXPECT_EQ(*parse_duration("17us"), 17);
  EXPECT_EQ(*parse_duration("0.001ms"), 1);
  EXPECT_EQ(*parse_duration("1.000001s"), 1'000'001);
  EXPECT_EQ(*parse_duration("0s"), 0);
  EXPECT_EQ(parse_duration("0.5us").status().message(),
            "\"0.5us\" is not a duration: finer than a microsecond");
  EXPECT_EQ(parse_duration("s").status().message(),
            "\"s\" is not a duration: expected a number then a unit (us, ms, s, m, h)");
  EXPECT_EQ(parse_duration("1.0000000001s").status().message(),
            "\"1.0000000001s\" is not a duration: too many decimals");
  EXPECT_EQ(parse_duration("1000000000h").status().message(),
            "\"1000000000h\" is not a duration: too large");
  EXPECT_EQ(parse_duration("1.5s").status().code(), core::StatusCode::kOk);
}

TEST(FixtureLoader, DanglingNames) {
  EXPECT_EQ(error_of(edited([](json::value& v) {
              v.at_pointer("/stack/usagePlans/0/apiKeys").as_array().push_back("Nope");
            })),
            "$.stack.usagePlans[0].apiKeys[1]: no API key named \"Nope\" in apiKeys");
  EXPECT_EQ(error_of(with("/stack/handler", "webhook_queue", "nope")),
            "$.stack.handler.webhook_queue: no queue named \"nope\" in queues");
  EXPECT_EQ(error_of(with("/stack/handler", "api_key", "Nope")),
            "$.stack.handler.api_key: no API key named \"Nope\" in apiKeys");
  EXPECT_EQ(error_of(with("/traffic/0", "api_key", "Nope")),
            "$.traffic[0].api_key: no API key named \"Nope\"");
  EXPECT_EQ(
      error_of(with(
          "", "traffic",
          json::array{{{"type", "sqs_send"}, {"queue", "nope"}, {"count", 1}, {"body", "x"}}})),
      "$.traffic[0].queue: no queue named \"nope\"");
}

TEST(FixtureLoader, EventSourceMappingNeedsTheWebhookQueue) {
  EXPECT_EQ(error_of(edited([](json::value& v) {
              auto& stack = v.at_pointer("/stack").as_object();
              stack.erase("handler");
              stack["eventSourceMapping"] = {{"BatchSize", 10}};
            })),
            "$.stack.eventSourceMapping: needs handler.webhook_queue: the mapping reads the "
            "webhook queue");
}

TEST(FixtureLoader, UnknownGeneratorAndFaultSite) {
  EXPECT_EQ(error_of(with("/traffic/0", "type", "flood")),
            "$.traffic[0].type: unknown generator \"flood\"; one of bulk_invite, series, burst, "
            "poisson, replies, recorded, sqs_send");
  EXPECT_EQ(error_of(with("", "faults", json::array{{{"site", "disk.full"}, {"rate", 1}}})),
            "$.faults[0].site: unknown fault site \"disk.full\"; one of lambda.error, "
            "lambda.timeout, sqs.send_failure, sqs.duplicate, batch.crash, twilio.send_failure");
  EXPECT_EQ(
      error_of(with("", "faults",
                    json::array{{{"site", "sqs.duplicate"}, {"route", "/trigger"}, {"rate", 1}}})),
      "$.faults[0].route: only lambda faults take a route");
  EXPECT_EQ(error_of(with("/traffic/0", "repeat", json::object{{"times", 2}, {"every", "1s"}})),
            "(accepted)");  // a series repeats; a Poisson stream does not
  EXPECT_EQ(error_of(edited([](json::value& v) {
              v.at_pointer("/traffic/0").as_object() = {
                  {"type", "poisson"},
                  {"route", "/trigger"},
                  {"rate", 1},
                  {"repeat", {{"times", 2}, {"every", "1s"}}}};
            })),
            "$.traffic[0].repeat: only bulk_invite, series, burst and sqs_send repeat");
}

TEST(FixtureLoader, QueueFaultsNeedTheWebhookQueue) {
  EXPECT_EQ(error_of(edited([](json::value& v) {
              v.at_pointer("/stack").as_object().erase("handler");
              v.as_object()["faults"] = json::array{{{"site", "sqs.send_failure"}, {"rate", 1}}};
            })),
            "$.faults[0].site: needs a webhook queue (stack.handler.webhook_queue)");
}

TEST(FixtureLoader, SignedWebhooksNeedTheTwilioToken) {
  auto no_token = [](json::value& v) {
    v.at_pointer("/stack").as_object().erase("twilio");
    v.at_pointer("/traffic/0").as_object() = {
        {"type", "series"}, {"route", "/webhook"}, {"count", 2}, {"spacing", "1s"}};
  };
  EXPECT_EQ(error_of(edited(no_token)),
            "$.traffic[0]: signed webhooks need stack.twilio.auth_token (or \"sign\": false)");
  EXPECT_EQ(error_of(edited([&](json::value& v) {
              no_token(v);
              v.at_pointer("/traffic/0").as_object()["sign"] = false;
            })),
            "(accepted)");
  EXPECT_EQ(error_of(edited([&](json::value& v) {
              no_token(v);
              v.at_pointer("/traffic/0").as_object() = {{"type", "replies"},
                                                        {"delay", {{"fixed", "1s"}}}};
            })),
            "$.traffic[0]: signed webhooks need stack.twilio.auth_token (or \"sign\": false)");
}

TEST(FixtureLoader, ExpectationsMustBeFiguresOfTheReport) {
  EXPECT_EQ(
      error_of(with("", "expect", json::object{{"routes", {{"POST /trigger", {{"bogus", 1}}}}}})),
      "$.expect.routes[\"POST /trigger\"].bogus: not a figure of the report (see "
      "fixtures/README.md, expect)");
  EXPECT_EQ(error_of(with("", "expect", json::object{{"queues", {{"nope", {{"depth_end", 0}}}}}})),
            "$.expect.queues.nope.depth_end: not a figure of the report (see fixtures/README.md, "
            "expect)");
  EXPECT_EQ(error_of(with("", "expect", json::object{{"lambda", {{"throttle", 0}}}})),
            "$.expect.lambda.throttle: not a figure of the report (see fixtures/README.md, "
            "expect)");
  EXPECT_EQ(error_of(with("", "expect", json::object{{"invitations_sent", "25"}})),
            "$.expect.invitations_sent: expected a number, a boolean or an object");
  EXPECT_EQ(error_of(with("", "expect", json::object{{"exactly_once", {{"max", "x"}}}})),
            "$.expect.exactly_once.max: expected a number, a boolean or an object");
}

TEST(FixtureLoader, DuplicateGeneratorNames) {
  EXPECT_EQ(error_of(edited([](json::value& v) {
              auto& traffic = v.at_pointer("/traffic").as_array();
              traffic[0].as_object()["name"] = "invites";
              traffic.push_back(traffic[0]);
            })),
            "$.traffic[1].name: duplicate name \"invites\"");
}

// A fault's name names its random stream: two faults of one name would draw the same numbers.
TEST(FixtureLoader, DuplicateFaultNames) {
  EXPECT_EQ(error_of(with(
                "", "faults",
                json::array{{{"site", "lambda.error"}, {"name", "flaky"}, {"rate", 0.5}},
                            {{"site", "twilio.send_failure"}, {"name", "flaky"}, {"rate", 0.5}}})),
            "$.faults[1].name: duplicate name \"flaky\"");
  EXPECT_EQ(error_of(with("", "faults",
                          json::array{{{"site", "lambda.error"}, {"rate", 0.5}},
                                      {{"site", "lambda.error"}, {"rate", 0.5}}})),
            "(accepted)");  // "faults[0]" and "faults[1]"
}

TEST(FixtureLoader, DuplicateStackNames) {
  EXPECT_EQ(error_of(edited([](json::value& v) {
              auto& keys = v.at_pointer("/stack/apiKeys").as_array();
              keys.push_back(keys[0]);
            })),
            "$.stack.apiKeys[1].name: duplicate API key name \"K\"");
  EXPECT_EQ(error_of(edited([](json::value& v) {
              auto& queues = v.at_pointer("/stack/queues").as_array();
              queues.push_back(queues[0]);
            })),
            "$.stack.queues[1].QueueName: duplicate queue \"webhooks\"");
}

TEST(FixtureLoader, ErrorsOnlyTheFakesDetectComeOutOfReplayWithThePath) {
  EXPECT_EQ(replay_error_of(with("/stack/queues/0", "Attributes",
                                 json::object{{"VisibilityTimeout", "99999"}})),
            "$.stack.queues[0]: Invalid value for the parameter VisibilityTimeout. "
            "(InvalidAttributeValue)");
  EXPECT_EQ(replay_error_of(with("/stack", "eventSourceMapping", json::object{{"BatchSize", 11}})),
            "$.stack.eventSourceMapping: Maximum batch window in seconds must be greater than 0 if "
            "maximum batch size is greater than 10 (InvalidParameterValueException)");
  // With a window, 11 is a batch size AWS takes.
  EXPECT_EQ(
      replay_error_of(with("/stack", "eventSourceMapping",
                           json::object{{"BatchSize", 11}, {"MaximumBatchingWindowInSeconds", 1}})),
      "(replayed)");
}

TEST(FixtureLoader, UnknownPlaceholdersAreRefusedWhereTheyAre) {
  EXPECT_EQ(error_of(with("/traffic/0", "template", json::object{{"team_name", "T${j}"}})),
            "$.traffic[0].template.team_name: unknown placeholder at \"${j}\"; use ${i} or "
            "${i:N}");
  EXPECT_EQ(error_of(with("/traffic/0", "body", "x ${i:-1}")),
            "$.traffic[0].body: unknown placeholder at \"${i:-1}\"; use ${i} or ${i:N}");
  EXPECT_EQ(error_of(with("/traffic/0", "from", "whatsapp:+44${i")),
            "$.traffic[0].from: unknown placeholder at \"${i\"; use ${i} or ${i:N}");
  EXPECT_EQ(error_of(with("/traffic/0", "from", "whatsapp:+447700${i:6}")), "(accepted)");
}

TEST(FixtureLoader, AGeneratorsRetrySectionKeepsTheFixturesMaxAttempts) {
  std::string text = edited([](json::value& v) {
    v.as_object()["client"] = json::object{{"retry", json::object{{"max_attempts", 5}}}};
    v.at_pointer("/traffic/0").as_object()["client"] =
        json::object{{"retry", json::object{{"base_delay", "10ms"}}}};
  });
  auto f = parse_fixture(text);
  ASSERT_TRUE(f.is_ok()) << f.status().message();
  EXPECT_EQ(f->traffic[0].client.retry.max_attempts, 5);
  EXPECT_EQ(f->traffic[0].client.retry.base_delay_us, 10'000);
  std::string alone = with("/traffic/0", "client", json::object{{"retry", json::object{}}});
  auto g = parse_fixture(alone);
  ASSERT_TRUE(g.is_ok()) << g.status().message();
  EXPECT_EQ(g->traffic[0].client.retry.max_attempts, 3);  // a retry section alone: the SDK's 3
}

}  // namespace
}  // namespace twin::sim
