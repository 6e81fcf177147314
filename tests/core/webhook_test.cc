#include <gtest/gtest.h>

#include "core/twilio.h"
#include "tests/support/handler_harness.h"

namespace twin::testing {
namespace {
namespace json = boost::json;

constexpr std::string_view kHost = "abc123.execute-api.eu-west-2.amazonaws.com";
constexpr std::string_view kUrl = "https://abc123.execute-api.eu-west-2.amazonaws.com/prod/webhook";

std::string form(const std::vector<core::FormField>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += core::url_encode(k) + "=" + core::url_encode(v);
  }
  return out;
}

std::vector<core::FormField> message_fields(std::string sid = "SM0001",
                                            std::string from = "whatsapp:+447700900123") {
  return {{"MessageSid", sid}, {"From", from}, {"To", "whatsapp:+14155238886"}, {"Body", "Yes"}};
}

core::ProxyEvent signed_webhook(const std::vector<core::FormField>& fields,
                                std::string_view url = kUrl) {
  std::string sig = core::twilio_signature(kTwilioToken, url, fields);
  return proxy_event("/webhook", form(fields),
                     {{"Host", std::string(kHost)},
                      {"Content-Type", "application/x-www-form-urlencoded"},
                      {"X-Twilio-Signature", sig}});
}

core::Config signed_config(bool queue = false) {
  core::Config c = HandlerHarness::default_config();
  c.twilio_auth_token = std::string(kTwilioToken);
  c.webhook_queue_enabled = queue;
  return c;
}

TEST(Webhook, SignedFormIsProcessedAndAnsweredWithEmptyTwiml) {
  HandlerHarness h(signed_config());
  core::ProxyResponse r = h.call(signed_webhook(message_fields()));
  EXPECT_EQ(r.status_code, 200);
  EXPECT_EQ(r.header("Content-Type").value_or(""), "text/xml");
  EXPECT_EQ(r.body, core::kEmptyTwiml);
  EXPECT_TRUE(r.header("X-Request-Id").has_value());
  EXPECT_EQ(h.registrations.inbound().size(), 1u);
}

TEST(Webhook, ReplyMarksPendingRegistrationReplied) {
  HandlerHarness h(signed_config());
  h.call(proxy_event("/trigger", json::serialize(valid_registration()),
                     {{"x-api-key", std::string(kApiKey)}}));
  h.call(signed_webhook(message_fields()));
  ASSERT_EQ(h.registrations.registrations().size(), 1u);
  EXPECT_EQ(h.registrations.registrations()[0].status, core::RegistrationStatus::kReplied);
}

TEST(Webhook, DuplicateMessageChangesNothing) {
  HandlerHarness h(signed_config());
  EXPECT_EQ(h.call(signed_webhook(message_fields())).status_code, 200);
  h.clock.advance(core::kMicrosPerHour);
  EXPECT_EQ(h.call(signed_webhook(message_fields())).status_code, 200);
  EXPECT_EQ(h.registrations.inbound().size(), 1u);
  EXPECT_NE(h.sink->all().find("duplicate message ignored"), std::string::npos);
}

TEST(Webhook, IdempotencyRecordExpiresAfterTtl) {
  core::Config c = signed_config();
  c.idempotency_ttl_us = 10 * core::kMicrosPerSecond;
  HandlerHarness h(c);
  h.call(signed_webhook(message_fields()));
  EXPECT_EQ(h.idempotency.size(), 1u);
  h.clock.advance(11 * core::kMicrosPerSecond);
  h.call(signed_webhook(message_fields()));
  EXPECT_EQ(h.sink->all().find("duplicate message ignored"), std::string::npos);
}

// A message redelivered after its idempotency record expired is processed again, but it can
// only answer invitations that existed when it first arrived.
TEST(Webhook, ReplayedOldMessageDoesNotMarkANewerRegistration) {
  core::Config c = signed_config(/*queue=*/true);
  c.idempotency_ttl_us = 10 * core::kMicrosPerSecond;
  HandlerHarness h(c);
  ASSERT_EQ(h.call(signed_webhook(message_fields("SM-old"))).status_code, 200);
  ASSERT_EQ(h.queue.messages().size(), 1u);
  std::string queued = h.queue.messages()[0].body;
  h.clock.advance(core::kMicrosPerHour);
  h.call(proxy_event("/trigger", json::serialize(valid_registration()),
                     {{"x-api-key", std::string(kApiKey)}}));
  auto consume = [&h](const std::string& body) {
    core::SqsEvent batch;
    batch.records.emplace_back();
    batch.records[0].message_id = "m1";
    batch.records[0].body = body;
    auto out = h.handler().invoke(json::serialize(core::to_json(batch)));
    ASSERT_TRUE(out.is_ok());
    EXPECT_EQ(*out, R"({"batchItemFailures":[]})");
  };
  consume(queued);
  ASSERT_EQ(h.registrations.registrations().size(), 1u);
  EXPECT_EQ(h.registrations.registrations()[0].status, core::RegistrationStatus::kPending);
  // A reply that arrives after the invitation does mark it.
  h.clock.advance(core::kMicrosPerSecond);
  h.call(signed_webhook(message_fields("SM-new")));
  ASSERT_EQ(h.queue.messages().size(), 2u);
  consume(h.queue.messages()[1].body);
  EXPECT_EQ(h.registrations.registrations()[0].status, core::RegistrationStatus::kReplied);
}

TEST(Webhook, MissingOrWrongSignatureIs403) {
  HandlerHarness h(signed_config());
  core::ProxyEvent e = signed_webhook(message_fields());
  e.headers.pop_back();
  e.multi_value_headers.pop_back();
  EXPECT_EQ(h.call(e).status_code, 403);
  core::ProxyEvent other_url =
      signed_webhook(message_fields(), "https://evil.example.com/prod/webhook");
  EXPECT_EQ(h.call(other_url).status_code, 403);
  core::ProxyEvent tampered = signed_webhook(message_fields());
  tampered.body = form(message_fields("SM0001", "whatsapp:+440000000000"));
  EXPECT_EQ(h.call(tampered).status_code, 403);
  EXPECT_TRUE(h.registrations.inbound().empty());
  EXPECT_EQ(h.sink->all().find(e.header("X-Twilio-Signature").value_or("?")), std::string::npos);
}

TEST(Webhook, SignatureOverUrlWithDefaultPortIsAccepted) {
  HandlerHarness h(signed_config());
  std::string with_port = core::twilio_alternate_port_url(kUrl);
  EXPECT_EQ(with_port, "https://abc123.execute-api.eu-west-2.amazonaws.com:443/prod/webhook");
  EXPECT_EQ(h.call(signed_webhook(message_fields(), with_port)).status_code, 200);
}

TEST(Webhook, PublicBaseUrlReplacesHostAndStage) {
  core::Config c = signed_config();
  c.public_base_url = "https://club.example.org/api";
  HandlerHarness h(c);
  EXPECT_EQ(
      h.call(signed_webhook(message_fields(), "https://club.example.org/api/webhook")).status_code,
      200);
}

TEST(Webhook, JsonBodyRefusedWhenSigningIsOn) {
  HandlerHarness h(signed_config());
  core::ProxyEvent e = proxy_event("/webhook", R"({"MessageSid":"SM1","From":"a","To":"b"})",
                                   {{"Content-Type", "application/json"}});
  EXPECT_EQ(h.call(e).status_code, 403);
}

TEST(Webhook, JsonBodyAcceptedWithoutToken) {
  HandlerHarness h;
  core::ProxyEvent e = proxy_event(
      "/webhook", R"({"MessageSid":"SM1","From":"whatsapp:+447700900123","To":"b","Body":""})",
      {{"content-type", "application/json; charset=utf-8"}});
  EXPECT_EQ(h.call(e).status_code, 200);
  EXPECT_EQ(h.registrations.inbound().size(), 1u);
}

struct BadWebhook {
  const char* name;
  std::string content_type;
  std::string body;
  int status;
};
void PrintTo(const BadWebhook& b, std::ostream* os) { *os << b.name; }

class WebhookBadInput : public ::testing::TestWithParam<BadWebhook> {};

TEST_P(WebhookBadInput, IsRefusedAndLosesNothing) {
  HandlerHarness h;  // no token: only parsing and field rules apply
  core::ProxyResponse r =
      h.call(proxy_event("/webhook", GetParam().body, {{"Content-Type", GetParam().content_type}}));
  EXPECT_EQ(r.status_code, GetParam().status);
  EXPECT_TRUE(h.registrations.inbound().empty());
}

constexpr const char* kForm = "application/x-www-form-urlencoded";
INSTANTIATE_TEST_SUITE_P(
    Bodies, WebhookBadInput,
    ::testing::Values(
        BadWebhook{"MissingSid", kForm, "From=a&To=b&Body=x", 400},
        BadWebhook{"EmptyFrom", kForm, "MessageSid=SM1&From=&To=b", 400},
        BadWebhook{"DuplicateSid", kForm, "MessageSid=SM1&MessageSid=SM2&From=a&To=b", 400},
        BadWebhook{"BadEscape", kForm, "MessageSid=SM%ZZ&From=a&To=b", 400},
        BadWebhook{"JsonArray", "application/json", "[1]", 400},
        BadWebhook{"JsonNumberField", "application/json", R"({"MessageSid":5,"From":"a","To":"b"})",
                   400},
        BadWebhook{"PercentEscapedInvalidUtf8", kForm, "MessageSid=SM1&From=a&To=b&Body=%FF", 400},
        BadWebhook{"OversizedPlainBody", kForm,
                   "MessageSid=SM1&From=a&To=b&Body=" + std::string(64 * 1024, 'x'), 413},
        BadWebhook{"TextPlain", "text/plain", "hello", 415}),
    [](const auto& p) { return std::string(p.param.name); });

class FailingQueue : public core::ForwardingQueue {
 public:
  using ForwardingQueue::ForwardingQueue;
  bool fail = true;
  core::Result<std::string> send(std::string_view body) override {
    if (fail) return core::unavailable("queue down");
    return ForwardingQueue::send(body);
  }
};

TEST(Webhook, QueueModeEnqueuesAndAnswersAtOnce) {
  HandlerHarness h(signed_config(/*queue=*/true));
  core::ProxyResponse r = h.call(signed_webhook(message_fields()));
  EXPECT_EQ(r.status_code, 200);
  EXPECT_EQ(r.body, core::kEmptyTwiml);
  ASSERT_EQ(h.queue.messages().size(), 1u);
  json::object m = json::parse(h.queue.messages()[0].body).as_object();
  EXPECT_EQ(m["MessageSid"], "SM0001");
  EXPECT_TRUE(h.registrations.inbound().empty());  // processed later, by the SQS consumer
}

TEST(Webhook, EnqueueFailureIs500SoTwilioRetries) {
  HandlerHarness h(signed_config(/*queue=*/true));
  FailingQueue failing(h.queue);
  h.queue_port = &failing;
  core::ProxyResponse r = h.call(signed_webhook(message_fields()));
  EXPECT_EQ(r.status_code, 500);
  EXPECT_EQ(body_json(r)["message"], "Error processing request");
  failing.fail = false;
  EXPECT_EQ(h.call(signed_webhook(message_fields())).status_code, 200);
  EXPECT_EQ(h.queue.messages().size(), 1u);
}

// Twilio's documented example and the twilio-python vectors (reference 5.2).
TEST(TwilioSignature, PublishedVectors) {
  const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  EXPECT_EQ(core::twilio_signature("12345", url,
                                   {{"CallSid", "CA1234567890ABCDE"},
                                    {"Caller", "+12349013030"},
                                    {"Digits", "1234"},
                                    {"From", "+12349013030"},
                                    {"To", "+18005551212"}}),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  std::vector<core::FormField> python = {{"CallSid", "CA1234567890ABCDE"},
                                         {"Digits", "1234"},
                                         {"From", "+14158675309"},
                                         {"To", "+18005551212"},
                                         {"Caller", "+14158675309"}};
  EXPECT_EQ(core::twilio_signature("12345", url, python), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  EXPECT_EQ(
      core::twilio_signature("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", python),
      "kvajT1Ptam85bY51eRf/AJRuM3w=");
  EXPECT_TRUE(core::twilio_signature_valid("12345", url, python, "kvajT1Ptam85bY51eRf/AJRuM3w="));
  EXPECT_EQ(
      core::twilio_signature(
          "12345", url,
          {{"Sid", "CA123"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Digits", "1234"}}),
      "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
}

TEST(TwilioSignature, ProjectWhatsAppVector) {
  std::vector<core::FormField> fields = {{"SmsMessageSid", "SM0123456789abcdef0123456789abcdef"},
                                         {"NumMedia", "0"},
                                         {"ProfileName", "Alice"},
                                         {"MessageType", "text"},
                                         {"SmsSid", "SM0123456789abcdef0123456789abcdef"},
                                         {"WaId", "447700900123"},
                                         {"SmsStatus", "received"},
                                         {"Body", "Hello there"},
                                         {"To", "whatsapp:+14155238886"},
                                         {"NumSegments", "1"},
                                         {"ReferralNumMedia", "0"},
                                         {"MessageSid", "SM0123456789abcdef0123456789abcdef"},
                                         {"AccountSid", "AC0123456789abcdef0123456789abcdef"},
                                         {"From", "whatsapp:+447700900123"},
                                         {"ApiVersion", "2010-04-01"}};
  EXPECT_EQ(core::twilio_signature(kTwilioToken, kUrl, fields), "9UOJPuep5kQW9B3cS57HYyhDf2Q=");
}

}  // namespace
}  // namespace twin::testing
