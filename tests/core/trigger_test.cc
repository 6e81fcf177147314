#include <gtest/gtest.h>

#include "core/encoding.h"
#include "tests/support/handler_harness.h"

namespace twin::testing {
namespace {
namespace json = boost::json;

core::ProxyEvent trigger(const json::object& payload, std::string key = std::string(kApiKey)) {
  return proxy_event("/trigger", json::serialize(payload), {{"x-api-key", key}});
}

TEST(Trigger, ValidRegistrationStoresPendingAndSendsOneInvitation) {
  HandlerHarness h;
  core::ProxyResponse r = h.call(trigger(valid_registration()));
  ASSERT_EQ(r.status_code, 200);
  json::object b = body_json(r);
  EXPECT_EQ(b["message"], "Registration data received successfully");
  EXPECT_EQ(b["player"], "John Smith");
  EXPECT_EQ(b["parent"], "Jane Smith");
  EXPECT_EQ(b["team"], "Panthers u11s");
  EXPECT_EQ(b["status"], "pending");
  EXPECT_EQ(b["request_id"].as_string(), r.header("X-Request-Id").value());
  ASSERT_EQ(h.registrations.registrations().size(), 1u);
  EXPECT_EQ(h.registrations.registrations()[0].registration_id, b["registration_id"].as_string());
  EXPECT_EQ(h.registrations.registrations()[0].request.subscription_fee_cents, 2750);
  ASSERT_EQ(h.messenger.sent().size(), 1u);
  EXPECT_EQ(h.messenger.sent()[0].to, "whatsapp:+447700900123");
}

TEST(Trigger, AnswerEscapesNamesAndGrowsForLongOnes) {
  // Quotes, backslashes and UTF-8 in the joined names; a team name long enough, escaped, that
  // the answer outgrows the writer's first buffer.
  HandlerHarness h;
  json::object payload = valid_registration();
  payload["player_first_name"] = "Jo\"hn";
  payload["player_last_name"] = "O\\Brien";
  payload["parent_first_name"] = "Zo\u00eb";
  std::string team(core::kTeamNameLengthMax, '"');
  payload["team_name"] = team;
  core::ProxyResponse r = h.call(trigger(payload));
  ASSERT_EQ(r.status_code, 200) << r.body;
  json::object b = body_json(r);
  EXPECT_EQ(b["player"], "Jo\"hn O\\Brien");
  EXPECT_EQ(b["parent"], "Zo\u00eb Smith");
  EXPECT_EQ(b["team"].as_string(), team + " u11s");
  EXPECT_EQ(b["request_id"].as_string(), r.header("X-Request-Id").value());
}

TEST(Trigger, RetryReturnsExistingRegistrationWithoutSecondInvitation) {
  HandlerHarness h;
  auto first = body_json(h.call(trigger(valid_registration())));
  json::object again = valid_registration();
  again["player_first_name"] = "  JOHN ";  // same player, other spelling
  core::ProxyResponse r = h.call(trigger(again));
  ASSERT_EQ(r.status_code, 200);
  EXPECT_EQ(body_json(r)["registration_id"], first["registration_id"]);
  EXPECT_EQ(body_json(r)["created"], false);
  EXPECT_EQ(h.registrations.registrations().size(), 1u);
  EXPECT_EQ(h.messenger.sent().size(), 1u);
}

TEST(Trigger, MissingKeyIsForbidden) {
  HandlerHarness h;
  core::ProxyResponse r = h.call(proxy_event("/trigger", json::serialize(valid_registration())));
  EXPECT_EQ(r.status_code, 403);
  EXPECT_EQ(body_json(r)["message"], "Forbidden: Invalid or missing API key");
  EXPECT_TRUE(r.header("X-Request-Id").has_value());
  EXPECT_TRUE(h.registrations.registrations().empty());
}

TEST(Trigger, WrongKeyAndPrefixOfKeyAreForbidden) {
  HandlerHarness h;
  EXPECT_EQ(h.call(trigger(valid_registration(), "wrong")).status_code, 403);
  std::string prefix(kApiKey.substr(0, kApiKey.size() - 1));
  EXPECT_EQ(h.call(trigger(valid_registration(), prefix)).status_code, 403);
  EXPECT_EQ(h.call(trigger(valid_registration(), std::string(kApiKey) + "x")).status_code, 403);
}

TEST(Trigger, KeyHeaderNameIsCaseInsensitive) {
  HandlerHarness h;
  core::ProxyEvent e = proxy_event("/trigger", json::serialize(valid_registration()),
                                   {{"X-API-KEY", std::string(kApiKey)}});
  EXPECT_EQ(h.call(e).status_code, 200);
}

TEST(Trigger, NoConfiguredKeyRefusesEverything) {
  core::Config c;
  HandlerHarness h(c);
  EXPECT_EQ(h.call(trigger(valid_registration())).status_code, 403);
}

TEST(Trigger, ApiKeyNeverReachesTheLog) {
  HandlerHarness h;
  h.call(trigger(valid_registration()));
  h.call(trigger(valid_registration(), "wrong-key-value-987654"));
  core::ProxyEvent e = trigger(valid_registration());
  e.request_context.identity.api_key = std::string(kApiKey);
  e.headers.emplace_back("Authorization", "Bearer sekrit-bearer");
  h.call(e);
  std::string log = h.sink->all();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.find(kApiKey), std::string::npos);
  EXPECT_EQ(log.find("wrong-key-value-987654"), std::string::npos);
  EXPECT_EQ(log.find("sekrit-bearer"), std::string::npos);
  EXPECT_NE(log.find("[REDACTED]"), std::string::npos);
}

TEST(Trigger, EveryBadFieldIsListedAtOnce) {
  HandlerHarness h;
  json::object p = valid_registration();
  p["player_first_name"] = "";
  p["age_group"] = "u19s";
  p["current_registration_season"] = "2025-27";
  p["parent_tel"] = "07700900123";
  p["membership_fee_amount"] = "-5";
  p["subscription_fee_amount"] = 10.555;
  p.erase("team_name");
  core::ProxyResponse r = h.call(trigger(p));
  ASSERT_EQ(r.status_code, 400);
  json::object b = body_json(r);
  EXPECT_EQ(b["message"], "Invalid registration data");
  std::vector<std::string> fields;
  for (const auto& e : b["errors"].as_array()) fields.emplace_back(e.at("field").as_string());
  EXPECT_EQ(fields, (std::vector<std::string>{"player_first_name", "team_name", "age_group",
                                              "current_registration_season", "parent_tel",
                                              "membership_fee_amount", "subscription_fee_amount"}));
  EXPECT_TRUE(h.messenger.sent().empty());
}

struct BadBody {
  const char* name;
  std::optional<std::string> body;
  bool base64;
  const char* error;
};

void PrintTo(const BadBody& b, std::ostream* os) { *os << b.name; }

class TriggerBadBody : public ::testing::TestWithParam<BadBody> {};

TEST_P(TriggerBadBody, IsA400NamingTheBody) {
  HandlerHarness h;
  core::ProxyEvent e = trigger(valid_registration());
  e.body = GetParam().body;
  e.is_base64_encoded = GetParam().base64;
  core::ProxyResponse r = h.call(e);
  ASSERT_EQ(r.status_code, 400);
  json::object b = body_json(r);
  ASSERT_EQ(b["errors"].as_array().size(), 1u);
  EXPECT_EQ(b["errors"].as_array()[0].at("field"), "body");
  EXPECT_EQ(b["errors"].as_array()[0].at("error"), GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, TriggerBadBody,
    ::testing::Values(BadBody{"Malformed", "{\"player_first_name\":", false, "is not valid JSON"},
                      BadBody{"Array", "[1,2]", false, "must be a JSON object, not array"},
                      BadBody{"Number", "42", false, "must be a JSON object, not number"},
                      BadBody{"Null", std::nullopt, false, "is required"},
                      BadBody{"Empty", "  ", false, "is required"},
                      BadBody{"InvalidUtf8", "eyJhIjoiwygifQ==", true, "is not valid UTF-8"},
                      BadBody{"BadBase64", "@@@", true, "is not valid base64"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(Trigger, Base64BodyIsDecoded) {
  HandlerHarness h;
  core::ProxyEvent e = trigger(valid_registration());
  e.body = core::base64_encode(*e.body);
  e.is_base64_encoded = true;
  EXPECT_EQ(h.call(e).status_code, 200);
}

TEST(Trigger, OversizedBodyIs413) {
  HandlerHarness h;
  json::object p = valid_registration();
  p["padding"] = std::string(70 * 1024, 'x');
  EXPECT_EQ(h.call(trigger(p)).status_code, 413);
}

class FailingMessenger : public core::ForwardingMessenger {
 public:
  using ForwardingMessenger::ForwardingMessenger;
  int failures_left = 1;
  core::Status send_invitation(const core::Invitation& i) override {
    if (failures_left-- > 0) return core::unavailable("twilio down: internal detail");
    return ForwardingMessenger::send_invitation(i);
  }
};

TEST(Trigger, MessengerFailureIs500WithoutDetailAndRetrySendsTheInvitation) {
  HandlerHarness h;
  FailingMessenger failing(h.messenger);
  h.messenger_port = &failing;
  core::ProxyResponse r = h.call(trigger(valid_registration()));
  ASSERT_EQ(r.status_code, 500);
  EXPECT_EQ(body_json(r)["message"], "Error processing request");
  EXPECT_EQ(r.body.find("internal detail"), std::string::npos);
  EXPECT_NE(h.sink->all().find("internal detail"), std::string::npos);
  EXPECT_TRUE(h.messenger.sent().empty());
  EXPECT_EQ(h.call(trigger(valid_registration())).status_code, 200);
  EXPECT_EQ(h.messenger.sent().size(), 1u);
  EXPECT_EQ(h.call(trigger(valid_registration())).status_code, 200);
  EXPECT_EQ(h.messenger.sent().size(), 1u);
}

// The registration store fails once after the invitation went out; the client's retry must not
// reach the parent twice (the Messenger is idempotent on the registration id).
class FailingUpdateStore : public core::ForwardingRegistrationStore {
 public:
  using ForwardingRegistrationStore::ForwardingRegistrationStore;
  int failures_left = 1;
  core::Status update(const core::Registration& r) override {
    if (failures_left-- > 0) return core::unavailable("store down");
    return ForwardingRegistrationStore::update(r);
  }
};

TEST(Trigger, RetryAfterAFailedUpdateDoesNotInviteTwice) {
  HandlerHarness h;
  FailingUpdateStore failing(h.registrations);
  h.registration_port = &failing;
  ASSERT_EQ(h.call(trigger(valid_registration())).status_code, 500);
  EXPECT_EQ(h.messenger.sent().size(), 1u);
  EXPECT_EQ(h.call(trigger(valid_registration())).status_code, 200);
  EXPECT_EQ(h.messenger.sent().size(), 1u);
  ASSERT_EQ(h.registrations.registrations().size(), 1u);
  EXPECT_TRUE(h.registrations.registrations()[0].invitation_sent);
}

TEST(Trigger, OversizedBase64BodyIs413AfterDecoding) {
  HandlerHarness h;
  json::object p = valid_registration();
  p["padding"] = std::string(64 * 1024 - 200, 'x');  // just over the limit once decoded
  core::ProxyEvent e = trigger(p);
  ASSERT_GT(e.body->size(), h.config.body_bytes_max);
  e.body = core::base64_encode(*e.body);
  e.is_base64_encoded = true;
  EXPECT_EQ(h.call(e).status_code, 413);
}

TEST(Routing, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  HandlerHarness h;
  core::ProxyResponse missing = h.call(proxy_event("/nope", "{}"));
  EXPECT_EQ(missing.status_code, 404);
  EXPECT_TRUE(body_json(missing).contains("request_id"));
  core::ProxyEvent get = proxy_event("/trigger", "");
  get.http_method = "GET";
  core::ProxyResponse wrong = h.call(get);
  EXPECT_EQ(wrong.status_code, 405);
  EXPECT_EQ(wrong.header("Allow").value_or(""), "POST");
  EXPECT_TRUE(wrong.header("X-Request-Id").has_value());
}

// invoke() makes each answer in the buffers of the one before (Handler::spare_response_), its
// body already escaped for the Lambda response: whatever the order, every answer is byte for
// byte the one a handler that never reuses a response gives (handle_proxy, whose caller keeps
// each response, its body as the client gets it), serialized, with the same ports.
TEST(Routing, AnswersMadeInTheLastAnswersBuffersAreTheSameAsNewOnes) {
  core::ProxyEvent get = proxy_event("/trigger", "");
  get.http_method = "GET";
  json::object bad = valid_registration();
  bad["age_group"] = "u99s";
  bad["parent_tel"] = "07700 900123";
  json::object long_names = valid_registration();
  long_names["player_first_name"] = std::string(40, 'J') + "\"quoted\"";
  const std::vector<core::ProxyEvent> events = {
      get,  // 405 with an Allow header, which the next answer must not keep
      trigger(valid_registration()),  // 200
      proxy_event("/nope", "{}"),     // 404
      proxy_event("/webhook",
                  R"({"MessageSid":"SM1","From":"whatsapp:+447700900123","To":"whatsapp:+1"})",
                  {{"Content-Type", "application/json"}}),  // text/xml
      trigger(bad),                                         // 400 listing two fields
      trigger(valid_registration(), "wrong key"),           // 403
      trigger(long_names),                                  // a body longer than the buffers before
      trigger(valid_registration()),                        // the retry: 200 again
      proxy_event("/trigger", std::string(2 * 1024 * 1024, ' '),
                  {{"x-api-key", std::string(kApiKey)}}),
      // 400 naming the client's field, with a quote and a control byte: escaped twice.
      proxy_event("/webhook", R"({"x\"\u0001y":5})", {{"Content-Type", "application/json"}}),
      get};  // 405 again
  const std::vector<int> statuses = {405, 200, 404, 200, 400, 403, 200, 200, 413, 400, 405};
  HandlerHarness reused;
  HandlerHarness fresh;
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto out = reused.handler().invoke(json::serialize(core::to_json(events[i])));
    ASSERT_TRUE(out.is_ok()) << i;
    const core::ProxyResponse expected = fresh.handler().handle_proxy(events[i]);
    EXPECT_EQ(expected.status_code, statuses[i]) << i;
    EXPECT_EQ(*out, core::serialize(expected)) << i;
  }
}

TEST(Routing, LogLinesAreJsonWithVirtualTimestampAndRequestId) {
  HandlerHarness h;
  core::ProxyResponse r = h.call(trigger(valid_registration()));
  ASSERT_FALSE(h.sink->lines.empty());
  for (const std::string& line : h.sink->lines) {
    json::object o = json::parse(line).as_object();
    EXPECT_EQ(o["timestamp"], "2026-01-01T00:00:00.000000Z");
    EXPECT_EQ(o["logger"], "core");
    EXPECT_EQ(o["request_id"].as_string(), r.header("X-Request-Id").value());
  }
}

}  // namespace
}  // namespace twin::testing
