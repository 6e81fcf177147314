// Typed payloads (fakes/lambda/payload.h) are not observable: core::Handler answers a typed event
// exactly as it answers the event's JSON text, byte for byte, with the same effects and the same
// log lines. Two handlers on identical ports get the same events in the same order, one as text
// (Handler::invoke, what the Lambda runtime does), one as lambda::Payload::of through
// HandlerFunctionCode (what the Lambda fake does); everything they answer, store and log is
// compared. The whole stacks are compared in typed_payload_stack_test.cc.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/encoding.h"
#include "core/events/round_trip.h"
#include "fakes/lambda/function_code.h"
#include "fakes/lambda/payload.h"
#include "fakes/twilio/webhook_builder.h"
#include "tests/support/handler_harness.h"

namespace twin::fakes {
namespace {

using lambda::Payload;

constexpr char kHost[] = "abc123.execute-api.us-east-1.amazonaws.com";

core::Config typed_test_config() {
  core::Config c = testing::HandlerHarness::default_config();
  c.twilio_auth_token = std::string(testing::kTwilioToken);
  return c;
}

std::string registration_body(std::string_view first_name, std::string_view tel) {
  boost::json::object body = testing::valid_registration();
  body["player_first_name"] = first_name;
  body["parent_tel"] = tel;
  return boost::json::serialize(body);
}

// A /trigger event with every field API Gateway fills, as the gateway fake builds it.
core::ProxyEvent trigger_event(std::string body) {
  core::ProxyEvent e =
      testing::proxy_event("/trigger", std::move(body),
                           {{"Host", kHost},
                            {"Content-Type", "application/json"},
                            {"User-Agent", "team-tool/1.0"},
                            {"x-api-key", std::string(testing::kApiKey)},
                            {"X-Forwarded-For", "203.0.113.7"},
                            {"X-Amzn-Trace-Id", "Root=1-695a7b00-0123456789abcdef01234567"}});
  core::ProxyRequestContext& c = e.request_context;
  c.account_id = "123456789012";
  c.api_id = "abc123";
  c.resource_id = "res-trig";
  c.protocol = "HTTP/1.1";
  c.extended_request_id = "MDEyMzQ1Njc4OWE=";
  c.request_time = "01/Jan/2026:00:00:00 +0000";
  c.request_time_epoch_ms = 1'767'225'600'000;
  c.domain_name = kHost;
  c.domain_prefix = "abc123";
  c.deployment_id = "dep1";
  c.identity.source_ip = "203.0.113.7";
  c.identity.user_agent = "team-tool/1.0";
  c.identity.api_key = std::string(testing::kApiKey);
  c.identity.api_key_id = "key1";
  return e;
}

// A signed Twilio webhook for https://host/prod/webhook?<query>, with the query in the event.
core::ProxyEvent webhook_event(std::string_view sid, std::string_view from,
                               std::string_view query) {
  twilio::InboundWhatsApp m;
  m.message_sid = std::string(sid);
  m.account_sid = "AC0123456789abcdef0123456789abcdef";
  m.from = std::string(from);
  m.body = "Yes";
  std::string url = std::string("https://") + kHost + "/prod/webhook";
  if (!query.empty()) url += "?" + std::string(query);
  const twilio::WebhookRequest built = twilio::build_inbound_webhook(m, url, testing::kTwilioToken);
  core::ProxyEvent e = testing::proxy_event("/webhook", built.body, built.headers);
  core::StringPairs single;
  core::MultiValues multi;
  const std::vector<core::FormField> fields = core::parse_form(query, nullptr).value();
  for (const auto& [name, value] : fields) {
    bool seen = false;
    for (auto& [n, v] : single) {
      if (n == name) v = value, seen = true;
    }
    for (auto& [n, vs] : multi) {
      if (n == name) vs.push_back(value);
    }
    if (!seen) {
      single.emplace_back(name, value);
      multi.emplace_back(name, std::vector<std::string>{value});
    }
  }
  if (!single.empty()) {
    e.query_string_parameters = single;
    e.multi_value_query_string_parameters = multi;
  }
  return e;
}

core::SqsRecord sqs_record(std::string id, std::string body) {
  core::SqsRecord r;
  r.message_id = std::move(id);
  r.receipt_handle = "MToxOjE6MTc2NzIyNTYwMDAwMDAwMDp1dWlk";
  r.body = std::move(body);
  r.attributes = {{"ApproximateReceiveCount", "1"},
                  {"SentTimestamp", "1767225600000"},
                  {"SenderId", "AIDAIENQZJOLO23YVJ4VO"},
                  {"ApproximateFirstReceiveTimestamp", "1767225600000"}};
  r.md5_of_body = "0123456789abcdef0123456789abcdef";
  r.event_source_arn = "arn:aws:sqs:us-east-1:000000000000:webhooks";
  r.aws_region = "us-east-1";
  return r;
}

std::string queued_webhook(std::string_view sid, std::string_view from) {
  return R"({"MessageSid":")" + std::string(sid) + R"(","From":")" + std::string(from) +
         R"(","To":"whatsapp:+14155238886","Body":"yes","received_at_us":1767225600000000})";
}

std::string describe(const core::Registration& r) {
  return r.registration_id + "|" + core::registration_natural_key(r.request) + "|" +
         std::string(core::to_string(r.status)) + "|" + (r.invitation_sent ? "sent" : "unsent") +
         "|" + std::to_string(r.created_at_us) + "|" + std::to_string(r.updated_at_us) + "|" +
         r.request.manager_full_name + "|" + std::to_string(r.request.membership_fee_cents);
}

class TypedPayload : public ::testing::Test {
 protected:
  // The same event to both handlers; `typed` says whether Payload::of kept it typed.
  void expect_same_answer(Payload event, bool typed, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(event.typed(), typed);
    core::Result<std::string> by_text = text_.handler().invoke(event.json());
    lambda::HandlerFunctionCode code(typed_.handler());
    core::Result<Payload> by_payload = code.invoke(event);
    ASSERT_EQ(by_text.is_ok(), by_payload.is_ok());
    if (!by_text.is_ok()) {
      EXPECT_EQ(by_text.status().to_string(), by_payload.status().to_string());
      return;
    }
    EXPECT_EQ(by_payload->json(), *by_text);
    texts_.push_back(*by_text);
    ++answers_;
  }
  // The status code of the n-th proxy answer, so the tests can show which paths they took.
  int status(std::size_t n) const {
    return static_cast<int>(boost::json::parse(texts_.at(n)).at("statusCode").as_int64());
  }
  void expect_same_answer(core::ProxyEvent event, bool typed, const std::string& what) {
    expect_same_answer(Payload::of(std::move(event)), typed, what);
  }
  void expect_same_answer(core::SqsEvent event, bool typed, const std::string& what) {
    expect_same_answer(Payload::of(std::move(event)), typed, what);
  }

  void expect_same_effects() {
    EXPECT_EQ(text_.sink->lines, typed_.sink->lines);
    ASSERT_EQ(text_.registrations.registrations().size(),
              typed_.registrations.registrations().size());
    for (std::size_t i = 0; i < text_.registrations.registrations().size(); ++i) {
      EXPECT_EQ(describe(text_.registrations.registrations()[i]),
                describe(typed_.registrations.registrations()[i]));
    }
    ASSERT_EQ(text_.registrations.inbound().size(), typed_.registrations.inbound().size());
    auto b = typed_.registrations.inbound().begin();
    for (const auto& [sid, a] : text_.registrations.inbound()) {
      EXPECT_EQ(sid, b->first);
      EXPECT_EQ(a.from + "|" + a.to + "|" + a.body + "|" + std::to_string(a.received_at_us),
                b->second.from + "|" + b->second.to + "|" + b->second.body + "|" +
                    std::to_string(b->second.received_at_us));
      ++b;
    }
    ASSERT_EQ(text_.messenger.sent().size(), typed_.messenger.sent().size());
    for (std::size_t i = 0; i < text_.messenger.sent().size(); ++i) {
      EXPECT_EQ(text_.messenger.sent()[i].to, typed_.messenger.sent()[i].to);
      EXPECT_EQ(text_.messenger.sent()[i].body, typed_.messenger.sent()[i].body);
    }
    EXPECT_EQ(text_.idempotency.size(), typed_.idempotency.size());
    EXPECT_EQ(text_.ids.next_uuid(), typed_.ids.next_uuid());  // drew as many ids
  }

  testing::HandlerHarness text_{typed_test_config()};
  testing::HandlerHarness typed_{typed_test_config()};
  int answers_ = 0;
  std::vector<std::string> texts_;
};

TEST_F(TypedPayload, TriggerEventsAnswerAsTheirText) {
  const std::string body = registration_body("John", "+447700900123");
  expect_same_answer(trigger_event(body), true, "a new registration");
  expect_same_answer(trigger_event(body), true, "the same again (a retry)");

  core::ProxyEvent encoded =
      trigger_event(core::base64_encode(registration_body("Ann", "+447700900124")));
  encoded.is_base64_encoded = true;
  expect_same_answer(encoded, true, "a base64 body");
  core::ProxyEvent bad_base64 = trigger_event("not base64!");
  bad_base64.is_base64_encoded = true;
  expect_same_answer(bad_base64, true, "a body that is not base64");

  core::ProxyEvent no_body = trigger_event("");
  no_body.body.reset();
  expect_same_answer(no_body, true, "no body (null)");
  expect_same_answer(trigger_event("{}"), true, "missing fields");
  expect_same_answer(trigger_event("[1,2]"), true, "not an object");
  expect_same_answer(trigger_event(registration_body("Émile Zoë", "+447700900125")), true,
                     "non-ASCII names");

  core::ProxyEvent multi_key = trigger_event(body);
  std::erase_if(multi_key.headers, [](const auto& h) { return h.first == "x-api-key"; });
  for (auto& [name, values] : multi_key.multi_value_headers) {
    if (name == "x-api-key") values = {"wrong", std::string(testing::kApiKey)};
  }
  expect_same_answer(multi_key, true, "the key only in multiValueHeaders, repeated");
  core::ProxyEvent wrong_key = trigger_event(body);
  wrong_key.headers[3].second = "wrong";
  expect_same_answer(wrong_key, true, "a wrong key");

  core::ProxyEvent query = trigger_event(body);
  query.query_string_parameters = core::StringPairs{{"a", "2"}, {"b", ""}};
  query.multi_value_query_string_parameters = core::MultiValues{{"a", {"1", "2"}}, {"b", {""}}};
  query.stage_variables = core::StringPairs{{"env", "prod"}};
  query.path_parameters = core::StringPairs{};
  expect_same_answer(query, true, "a query string, stage variables, empty path parameters");

  core::ProxyEvent controls = trigger_event(body);
  controls.headers.emplace_back("X-Note", std::string("tab\there, nul \0 and \x1f", 20));
  controls.request_context.identity.caller = "quote \" backslash \\";
  expect_same_answer(controls, true, "control characters and escapes");

  core::ProxyEvent get = trigger_event(body);
  get.http_method = "GET";
  expect_same_answer(get, true, "GET: 405");
  core::ProxyEvent other = trigger_event(body);
  other.resource = other.path = "/other";
  expect_same_answer(other, true, "an unknown resource: 404");
  core::ProxyEvent huge = trigger_event(std::string(70'000, 'x'));
  expect_same_answer(huge, true, "a body over the handler's limit: 413");

  // Texts that do not read back as the event go as text: both answer the same error.
  expect_same_answer(trigger_event("{\"player_first_name\":\"\xff\"}"), false,
                     "a body that is not UTF-8");
  core::ProxyEvent bad_header = trigger_event(body);
  bad_header.headers.emplace_back("X-Bad", "\xc0\xaf");
  expect_same_answer(bad_header, false, "an overlong UTF-8 sequence in a header");
  core::ProxyEvent twice = trigger_event(body);
  twice.headers.emplace_back("x-api-key", "wrong");
  expect_same_answer(twice, false, "a header name twice");
  core::ProxyEvent twice_query = trigger_event(body);
  twice_query.query_string_parameters = core::StringPairs{{"a", "1"}, {"a", "2"}};
  expect_same_answer(twice_query, false, "a query parameter twice");
  core::ProxyEvent bad_identity = trigger_event(body);
  bad_identity.request_context.identity.user = "\xed\xa0\x80";  // a UTF-16 surrogate
  expect_same_answer(bad_identity, false, "a surrogate in the identity");

  EXPECT_EQ(answers_, 17);  // the three that are not UTF-8 are function errors both ways
  const std::vector<int> expected = {200, 200, 200, 400, 400, 400, 400, 200, 200,
                                     403, 200, 200, 405, 404, 413, 403, 200};
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(status(i), expected[i]) << i;
  expect_same_effects();
}

TEST_F(TypedPayload, WebhookEventsAnswerAsTheirText) {
  expect_same_answer(webhook_event("SM01", "whatsapp:+447700900123", ""), true, "signed, no query");
  expect_same_answer(webhook_event("SM02", "whatsapp:+447700900123", "a=1&a=2&b=x%20y"), true,
                     "signed with a repeated query parameter");
  expect_same_answer(webhook_event("SM02", "whatsapp:+447700900123", "a=1&a=2&b=x%20y"), true,
                     "a duplicate delivery");
  core::ProxyEvent unsigned_event = webhook_event("SM03", "whatsapp:+447700900123", "");
  unsigned_event.query_string_parameters = core::StringPairs{{"x", "1"}};
  unsigned_event.multi_value_query_string_parameters = core::MultiValues{{"x", {"1"}}};
  expect_same_answer(unsigned_event, true, "a query the signature did not cover: 403");
  core::ProxyEvent json_body = webhook_event("SM04", "whatsapp:+447700900123", "");
  json_body.headers[1] = {"Content-Type", "application/json"};
  expect_same_answer(json_body, true, "a JSON body where a signed form is required");
  EXPECT_EQ(answers_, 5);
  const std::vector<int> expected = {200, 200, 200, 403, 403};
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(status(i), expected[i]) << i;
  EXPECT_EQ(typed_.registrations.inbound().size(), 2u);
  expect_same_effects();
}

TEST_F(TypedPayload, SqsEventsAnswerAsTheirText) {
  core::SqsEvent batch;
  batch.records.push_back(sqs_record("m1", queued_webhook("SM10", "whatsapp:+447700900123")));
  batch.records.push_back(sqs_record("m2", "not json"));
  batch.records.push_back(sqs_record("m3", queued_webhook("SM10", "whatsapp:+447700900123")));
  batch.records.push_back(sqs_record("m4", R"({"MessageSid":"","From":"x","To":"y"})"));
  core::SqsRecord with_attributes = sqs_record("m5", queued_webhook("SM11", "whatsapp:+44770"));
  with_attributes.message_attributes.push_back({"trace", "String", "abc", std::nullopt});
  with_attributes.message_attributes.push_back({"blob", "Binary", std::nullopt, "AAEC"});
  with_attributes.md5_of_message_attributes = "00112233445566778899aabbccddeeff";
  batch.records.push_back(with_attributes);
  expect_same_answer(batch, true, "a batch with failures and message attributes");
  expect_same_answer(core::SqsEvent{}, true, "no records");

  core::SqsEvent bad = batch;
  bad.records[0].body = "\xff";
  expect_same_answer(bad, false, "a body that is not UTF-8");
  core::SqsEvent twice = batch;
  twice.records[0].attributes.emplace_back("SentTimestamp", "1");
  expect_same_answer(twice, false, "an attribute twice");
  EXPECT_EQ(answers_, 3);  // the one that is not UTF-8 is a function error both ways
  EXPECT_EQ(texts_[0],
            R"({"batchItemFailures":[{"itemIdentifier":"m2"},{"itemIdentifier":"m4"}]})");
  EXPECT_EQ(typed_.registrations.inbound().size(), 2u);
  expect_same_effects();
}

// The size bound a typed payload keeps holds for the texts above and for the worst escapes.
TEST(TypedPayloadBound, JsonSizeNeverExceedsTheBound) {
  core::ProxyEvent e = trigger_event(std::string(1000, '\x01'));
  e.headers.emplace_back(std::string(50, '\x02'), std::string(50, '"'));
  e.multi_value_headers.emplace_back(std::string(50, '\x03'), std::vector<std::string>(3, "\\"));
  const Payload p = Payload::of(core::ProxyEvent(e));
  ASSERT_TRUE(p.typed());
  EXPECT_LE(p.json().size(), core::json_round_trip(e).json_bytes_max);
  EXPECT_EQ(p.json(), core::serialize(e));
  EXPECT_FALSE(p.json_larger_than(p.json().size()));
  EXPECT_TRUE(p.json_larger_than(p.json().size() - 1));
}

}  // namespace
}  // namespace twin::fakes
