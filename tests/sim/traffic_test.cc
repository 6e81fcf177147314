// The traffic generators and the clients (sim/traffic.h), through replay() on small fixtures:
// when each generator sends, what it sends, and what a client makes of the answers.
#include "sim/traffic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sim/scheduler.h"
#include "sim/sim_stack.h"
#include "tests/support/sim_replay.h"

namespace twin::sim {
namespace {

using testing::figure;
using testing::int_of;
using testing::parse_or_fail;
using testing::replay_text;
using testing::status_count;
using testing::trace_events;

// The seed's stack: one key on the 25 rps / burst 50 plan, fixed durations, a Twilio token.
// Each test's fixture is this stack plus its own traffic.
std::string fixture(std::string_view duration, std::string_view traffic,
                    std::string_view more = "") {
  return std::string(R"({"name": "traffic", "seed": 1, "duration": ")") + std::string(duration) +
         R"(",
  "stack": {
    "apiKeys": [{"name": "K", "value": "TwinDevKey0123456789abcdef0123"}],
    "usagePlans": [{"name": "P", "throttle": {"rateLimit": 25, "burstLimit": 50},
                    "apiKeys": ["K"]}],
    "function": {"Timeout": 30, "durations": {"/trigger": {"fixed": "200ms"},
                                              "/webhook": {"fixed": "20ms"},
                                              "sqs": {"fixed": "300ms"}}},
    "queues": [{"QueueName": "other"}],
    "twilio": {"auth_token": "test_auth_token_0123456789abcdef"}
  },
  "traffic": [)" +
         std::string(traffic) + "]" + std::string(more) + "}";
}

// The "t" of every trace line of `event` on `route` ("" for any).
std::vector<std::int64_t> times(const ReplayOutput& out, std::string_view event,
                                std::string_view route = "") {
  std::vector<std::int64_t> t;
  for (const auto& line : trace_events(out, event)) {
    if (route.empty() || line.at("route").as_string() == route) t.push_back(int_of(line, "t"));
  }
  return t;
}

TEST(SubstituteIndex, ReplacesEveryPlaceholder) {
  EXPECT_EQ(substitute_index("Player${i}", 7), "Player7");
  EXPECT_EQ(substitute_index("${i:4}", 7), "0007");
  EXPECT_EQ(substitute_index("+447700${i:6}", 123), "+447700000123");
  EXPECT_EQ(substitute_index("${i:2}", 12345), "12345");  // never truncated
  EXPECT_EQ(substitute_index("a${i}b${i:3}c", 5), "a5b005c");
  EXPECT_EQ(substitute_index("no placeholder", 5), "no placeholder");
  EXPECT_EQ(substitute_index("", 5), "");
  EXPECT_EQ(substitute_index("${i", 5), "${i");
  EXPECT_EQ(substitute_index("${j}", 5), "${j}");
  EXPECT_EQ(substitute_index("${i}${i}", 0), "00");
  EXPECT_EQ(substitute_index("${i:12}", 5), "000000000005");
}

// What is not "${i}" or "${i:N}" is text, never a width read from other characters (a '-'
// made a width near 2^64 and threw std::length_error out of the replay).
TEST(SubstituteIndex, LeavesWhatIsNotAPlaceholder) {
  EXPECT_EQ(substitute_index("${i:-1}", 5), "${i:-1}");
  EXPECT_EQ(substitute_index("${i:x}", 5), "${i:x}");
  EXPECT_EQ(substitute_index("${i:1a}", 5), "${i:1a}");
  EXPECT_EQ(substitute_index("${i:}", 5), "${i:}");
  EXPECT_EQ(substitute_index("${ix}", 5), "${ix}");
  EXPECT_EQ(substitute_index("${i:100}", 5), "${i:100}");  // at most two digits of width
  EXPECT_EQ(substitute_index("${i${i}", 5), "${i5");
  EXPECT_EQ(substitute_index("${i:x}-${i:2}", 5), "${i:x}-05");
}

constexpr std::string_view kBulk = R"(
  {"type": "bulk_invite", "count": 5, "spacing": "100ms", "start": "1s", "api_key": "K",
   "first_index": 7})";

TEST(Traffic, BulkInviteIsSpacedFromItsStart) {
  auto out = replay_text(fixture("10s", kBulk));
  EXPECT_EQ(times(out, "request"),
            (std::vector<std::int64_t>{1'000'000, 1'100'000, 1'200'000, 1'300'000, 1'400'000}));
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "requests"}), 5);
  EXPECT_EQ(status_count(out, "POST /trigger", "200"), 5);
  EXPECT_EQ(figure(out, {"registrations", "pending"}), 5);
  EXPECT_EQ(figure(out, {"invitations_sent"}), 5);
}

// The parents' numbers of the invitations are "+447700${i:6}" from first_index 7; webhooks from
// "whatsapp:+447700${i:6}" mark exactly the registrations whose padded numbers match.
TEST(Traffic, BulkInviteSubstitutesTheIndexIntoPhoneNumbers) {
  auto replies_from = [](int first_index) {
    return std::string(kBulk) + R"(,
      {"type": "series", "route": "/webhook", "start": "5s", "count": 5, "spacing": "100ms",
       "first_index": )" +
           std::to_string(first_index) + "}";
  };
  auto matched = replay_text(fixture("10s", replies_from(7)));
  EXPECT_EQ(status_count(matched, "POST /webhook", "200"), 5);
  EXPECT_EQ(figure(matched, {"registrations", "replied"}), 5);
  auto shifted = replay_text(fixture("10s", replies_from(9)));  // 9..13 against 7..11
  EXPECT_EQ(figure(shifted, {"registrations", "replied"}), 3);
  EXPECT_EQ(figure(shifted, {"registrations", "pending"}), 2);
}

// The registrations themselves, from a stack driven by Traffic directly: the template's
// ${i} counts on across a generator's repeats.
TEST(Traffic, TemplateIndexCountsAcrossRepeats) {
  Fixture f = parse_or_fail(fixture("10s", R"(
    {"type": "bulk_invite", "count": 3, "spacing": "100ms", "api_key": "K", "first_index": 2,
     "template": {"player_first_name": "Player${i}", "player_last_name": "Smith",
                  "team_name": "Panthers", "age_group": "u11s",
                  "manager_full_name": "Alex Manager", "current_registration_season": "2025-26",
                  "parent_first_name": "Parent${i:3}", "parent_last_name": "Smith",
                  "parent_tel": "+447700${i:6}", "membership_fee_amount": "45.00",
                  "subscription_fee_amount": "27.50"},
     "repeat": {"times": 2, "every": "1s"}})"));
  Scheduler scheduler(f.start_us);
  Trace trace(scheduler, f.start_us);
  auto stack = SimStack::build(f, f.seed, scheduler, trace);
  ASSERT_TRUE(stack.is_ok()) << stack.status().message();
  Traffic traffic(f, **stack, scheduler, trace, fakes::rng::Rng(f.seed));
  traffic.start();
  // The Lambda fake's idle environments are reclaimed after the run: it reaches its end.
  EXPECT_EQ(scheduler.run_until(f.start_us + f.duration_us, f.event_bound),
            Scheduler::Stop::kReachedEnd);
  std::vector<std::string> seen;
  for (const auto& r : (*stack)->registrations().registrations()) {
    seen.push_back(r.request.player_first_name + "/" + r.request.parent_first_name + "/" +
                   r.request.parent_tel);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "Player2/Parent002/+447700000002", "Player3/Parent003/+447700000003",
                      "Player4/Parent004/+447700000004", "Player5/Parent005/+447700000005",
                      "Player6/Parent006/+447700000006", "Player7/Parent007/+447700000007"}));
  EXPECT_EQ(traffic.stats().routes.at("POST /trigger").requests, 6);
}

TEST(Traffic, SeriesIsPacedAndStopsAtTheEndOfTheRun) {
  auto out = replay_text(fixture("10s", R"(
    {"type": "series", "route": "/trigger", "start": "500ms", "count": 4, "spacing": "250ms",
     "api_key": "K"})"));
  EXPECT_EQ(times(out, "request"),
            (std::vector<std::int64_t>{500'000, 750'000, 1'000'000, 1'250'000}));
  EXPECT_EQ(status_count(out, "POST /trigger", "200"), 4);

  // 10 every 500 ms in a 2 s run: the ones at 0 .. 2 s inclusive are sent; the last one's answer
  // comes after the end and is still in flight.
  auto cut = replay_text(fixture("2s", R"(
    {"type": "series", "route": "/trigger", "count": 10, "spacing": "500ms", "api_key": "K"})"));
  EXPECT_EQ(times(cut, "request"),
            (std::vector<std::int64_t>{0, 500'000, 1'000'000, 1'500'000, 2'000'000}));
  EXPECT_EQ(figure(cut, {"routes", "POST /trigger", "requests"}), 5);
  EXPECT_EQ(status_count(cut, "POST /trigger", "200"), 4);
  EXPECT_EQ(figure(cut, {"in_flight_at_end"}), 1);
}

TEST(Traffic, BurstSendsEverythingAtOneInstantInOrder) {
  auto out = replay_text(fixture("10s", R"(
    {"type": "burst", "route": "/trigger", "start": "2s", "count": 60, "api_key": "K"})"));
  auto requests = trace_events(out, "request");
  ASSERT_EQ(requests.size(), 60u);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(int_of(requests[i], "t"), 2'000'000);
    EXPECT_EQ(int_of(requests[i], "id"), static_cast<std::int64_t>(i + 1));
  }
  // The plan's bucket holds 50 tokens: the first 50 in scheduling order get through.
  EXPECT_EQ(status_count(out, "POST /trigger", "200"), 50);
  EXPECT_EQ(status_count(out, "POST /trigger", "429"), 10);
  for (const auto& r : trace_events(out, "response")) {
    EXPECT_EQ(int_of(r, "status"), int_of(r, "id") <= 50 ? 200 : 429) << int_of(r, "id");
  }
}

constexpr std::string_view kPoisson = R"(
  {"type": "poisson", "route": "/trigger", "rate": 5, "start": "1s", "end": "21s",
   "api_key": "K"})";

TEST(Traffic, PoissonIsDeterministicForASeedAndNearRateTimesWindow) {
  const Fixture f = parse_or_fail(fixture("30s", kPoisson));
  auto first = testing::replay_or_fail(f);
  auto again = testing::replay_or_fail(f);
  auto arrivals = times(first, "request");
  EXPECT_EQ(arrivals, times(again, "request"));
  EXPECT_EQ(first.digest, again.digest);
  // 5/s over 20 s: 100 expected, standard deviation 10.
  EXPECT_GE(arrivals.size(), 60u);
  EXPECT_LE(arrivals.size(), 140u);
  EXPECT_TRUE(std::is_sorted(arrivals.begin(), arrivals.end()));
  EXPECT_GE(arrivals.front(), 1'000'000);
  EXPECT_LT(arrivals.back(), 21'000'000);
  EXPECT_EQ(figure(first, {"routes", "POST /trigger", "requests"}),
            static_cast<double>(arrivals.size()));

  auto other = testing::replay_or_fail(f, 2);
  EXPECT_NE(times(other, "request"), arrivals);
  EXPECT_NE(other.digest, first.digest);
}

std::string with_replies(double probability) {
  return std::string(R"(
    {"type": "bulk_invite", "count": 10, "spacing": "100ms", "api_key": "K"},
    {"type": "replies", "delay": {"fixed": "5s"}, "probability": )") +
         std::to_string(probability) + "}";
}

TEST(Traffic, RepliesAnswerEveryInvitationAfterTheDelay) {
  auto out = replay_text(fixture("20s", with_replies(1)));
  EXPECT_EQ(figure(out, {"invitations_sent"}), 10);
  EXPECT_EQ(figure(out, {"registrations", "replied"}), 10);
  EXPECT_EQ(figure(out, {"registrations", "pending"}), 0);
  EXPECT_EQ(status_count(out, "POST /webhook", "200"), 10);
  EXPECT_EQ(figure(out, {"messages_processed"}), 10);
  std::vector<std::int64_t> expected;
  for (auto t : times(out, "invitation")) expected.push_back(t + 5'000'000);
  ASSERT_EQ(expected.size(), 10u);
  EXPECT_EQ(times(out, "request", "POST /webhook"), expected);
}

TEST(Traffic, RepliesWithProbabilityZeroNeverAnswer) {
  auto out = replay_text(fixture("20s", with_replies(0)));
  EXPECT_EQ(figure(out, {"invitations_sent"}), 10);
  EXPECT_EQ(figure(out, {"registrations", "replied"}), 0);
  EXPECT_FALSE(out.report.at("routes").as_object().contains("POST /webhook"));
  EXPECT_TRUE(times(out, "request", "POST /webhook").empty());
}

TEST(Traffic, RepliesDueAfterTheRunAreNotSent) {
  // Invitations at about 0.25 s; a 30 s delay lands after the 20 s run.
  auto out = replay_text(fixture("20s", R"(
    {"type": "bulk_invite", "count": 3, "api_key": "K"},
    {"type": "replies", "delay": {"fixed": "30s"}})"));
  EXPECT_EQ(figure(out, {"invitations_sent"}), 3);
  EXPECT_TRUE(times(out, "request", "POST /webhook").empty());
}

// A registration body as the live server would have recorded it.
constexpr std::string_view kRecordedBody =
    R"("{\"player_first_name\":\"Rec\",\"player_last_name\":\"Smith\",\"team_name\":\"Panthers\",)"
    R"(\"age_group\":\"u11s\",\"manager_full_name\":\"Alex Manager\",)"
    R"(\"current_registration_season\":\"2025-26\",\"parent_first_name\":\"Pat\",)"
    R"(\"parent_last_name\":\"Smith\",\"parent_tel\":\"+447700900001\",)"
    R"(\"membership_fee_amount\":\"45.00\",\"subscription_fee_amount\":\"27.50\"}")";

std::string recorded(int no_key_status) {
  const std::string body(kRecordedBody);
  return R"({"type": "recorded", "requests": [
    {"at": "1s", "path": "/prod/trigger", "body": )" +
         body + R"(, "status": 200,
     "headers": {"x-api-key": "TwinDevKey0123456789abcdef0123",
                 "Content-Type": "application/json"}},
    {"at": "2s", "path": "/prod/trigger", "body": )" +
         body + R"(, "status": )" + std::to_string(no_key_status) + R"(},
    {"at": "3s", "path": "/prod/trigger", "body": )" +
         body + R"(, "status": 403,
     "headers": {"x-api-key": "TwinDevKeyWRONG456789abcdef0123"}},
    {"at": "4s", "path": "/prod/trigger", "body": "{}", "status": 400,
     "headers": {"x-api-key": "TwinDevKey0123456789abcdef0123"}}]})";
}

TEST(Traffic, RecordedRequestsReproduceTheirStatuses) {
  auto out = replay_text(fixture("10s", recorded(403)));
  EXPECT_EQ(times(out, "request"),
            (std::vector<std::int64_t>{1'000'000, 2'000'000, 3'000'000, 4'000'000}));
  EXPECT_EQ(status_count(out, "POST /trigger", "200"), 1);
  EXPECT_EQ(status_count(out, "POST /trigger", "403"), 2);
  EXPECT_EQ(status_count(out, "POST /trigger", "400"), 1);
  EXPECT_EQ(figure(out, {"recorded_mismatches"}), 0);
}

TEST(Traffic, RecordedMismatchesCountAWrongRecordedStatus) {
  auto out = replay_text(fixture("10s", recorded(200)));  // the keyless request did not get 200
  EXPECT_EQ(status_count(out, "POST /trigger", "403"), 2);
  EXPECT_EQ(figure(out, {"recorded_mismatches"}), 1);
}

TEST(Traffic, RepeatSendsTheGroupAgainEveryPeriod) {
  auto out = replay_text(fixture("10s", R"(
    {"type": "series", "route": "/trigger", "count": 3, "spacing": "100ms", "api_key": "K",
     "repeat": {"times": 3, "every": "1s"}})"));
  EXPECT_EQ(times(out, "request"),
            (std::vector<std::int64_t>{0, 100'000, 200'000, 1'000'000, 1'100'000, 1'200'000,
                                       2'000'000, 2'100'000, 2'200'000}));
  // A new index for each request: nine registrations, not three.
  EXPECT_EQ(figure(out, {"registrations", "total"}), 9);
}

TEST(Traffic, SqsSendPutsMessagesOnTheQueue) {
  auto out = replay_text(fixture("10s", R"(
    {"type": "sqs_send", "queue": "other", "count": 2, "spacing": "1s", "body": "m${i}",
     "repeat": {"times": 2, "every": "5s"}})"));
  auto sends = trace_events(out, "sqs_send");
  ASSERT_EQ(sends.size(), 4u);
  std::vector<std::int64_t> t;
  for (const auto& s : sends) {
    t.push_back(int_of(s, "t"));
    EXPECT_EQ(s.at("queue").as_string(), "other");
    EXPECT_TRUE(s.contains("message_id"));
  }
  EXPECT_EQ(t, (std::vector<std::int64_t>{0, 1'000'000, 5'000'000, 6'000'000}));
  EXPECT_EQ(figure(out, {"queues", "other", "depth_end"}), 4);
  EXPECT_EQ(figure(out, {"queues", "other", "depth_max"}), 4);
  EXPECT_TRUE(out.report.at("routes").as_object().empty());  // no HTTP request
}

}  // namespace
}  // namespace twin::sim
