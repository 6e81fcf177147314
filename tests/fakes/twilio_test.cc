// The Twilio fake: signed inbound WhatsApp webhooks (reference 5.1, 5.2) and the outbound
// message sink behind core's Messenger port.
#include "core/twilio.h"

#include <gtest/gtest.h>

#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"
#include "fakes/twilio/message_sink.h"
#include "fakes/twilio/webhook_builder.h"

namespace twin::fakes::twilio {
namespace {

constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;
constexpr char kUrl[] = "https://abc123.execute-api.eu-west-2.amazonaws.com/prod/webhook";
constexpr char kToken[] = "test_auth_token_0123456789abcdef";

InboundWhatsApp reference_message() {
  InboundWhatsApp m;
  m.message_sid = "SM0123456789abcdef0123456789abcdef";
  m.account_sid = "AC0123456789abcdef0123456789abcdef";
  m.from = "whatsapp:+447700900123";
  m.body = "Hello there";
  m.profile_name = "Alice";
  return m;
}

TEST(TwilioWebhook, MatchesTheReferenceVector) {
  const WebhookRequest r = build_inbound_webhook(reference_message(), kUrl, kToken);
  ASSERT_EQ(r.fields.size(), 15u);
  EXPECT_EQ(r.fields.front().first, "SmsMessageSid");
  EXPECT_EQ(r.fields.back().first, "ApiVersion");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/prod/webhook");
  EXPECT_EQ(r.host, "abc123.execute-api.eu-west-2.amazonaws.com");
  EXPECT_EQ(r.query_string, "");
  EXPECT_EQ(r.headers, (core::StringPairs{{"Host", "abc123.execute-api.eu-west-2.amazonaws.com"},
                                          {"Content-Type", "application/x-www-form-urlencoded"},
                                          {"User-Agent", "TwilioProxy/1.1"},
                                          {"X-Twilio-Signature", "9UOJPuep5kQW9B3cS57HYyhDf2Q="}}));
  EXPECT_TRUE(
      r.body.starts_with("SmsMessageSid=SM0123456789abcdef0123456789abcdef&NumMedia=0&"
                         "ProfileName=Alice&MessageType=text&"));
  EXPECT_NE(r.body.find("&Body=Hello%20there&To=whatsapp%3A%2B14155238886&"), std::string::npos);
  EXPECT_NE(r.body.find("&WaId=447700900123&"), std::string::npos);
}

TEST(TwilioWebhook, VerifiesWithCoreFromTheParsedBody) {
  InboundWhatsApp m = reference_message();
  m.body = "Olá & goodbye = 100%";
  m.idempotency_token = "abc-123";
  const std::string url = std::string(kUrl) + "?x=1";
  const WebhookRequest r = build_inbound_webhook(m, url, kToken);
  EXPECT_EQ(r.query_string, "x=1");
  std::string error;
  const auto fields = core::parse_form(r.body, &error);
  ASSERT_TRUE(fields.has_value()) << error;
  EXPECT_EQ(*fields, r.fields);
  std::string signature;
  bool has_token = false;
  for (const auto& [name, value] : r.headers) {
    if (name == "X-Twilio-Signature") signature = value;
    has_token = has_token || (name == "I-Twilio-Idempotency-Token" && value == "abc-123");
  }
  EXPECT_TRUE(has_token);
  EXPECT_TRUE(core::twilio_signature_valid(kToken, url, *fields, signature));
  EXPECT_FALSE(core::twilio_signature_valid("other-token", url, *fields, signature));
  EXPECT_FALSE(core::twilio_signature_valid(kToken, kUrl, *fields, signature));
}

TEST(TwilioWebhook, MessageSidsComeFromTheIdSource) {
  SeededIdSource a(3), b(3);
  const std::string sid = next_message_sid(a);
  EXPECT_EQ(sid.size(), 34u);
  EXPECT_TRUE(sid.starts_with("SM"));
  EXPECT_EQ(sid, next_message_sid(b));
}

class TwilioSinkTest : public ::testing::Test {
 protected:
  core::Invitation invite(int i) {
    return {"reg-" + std::to_string(i), "whatsapp:+4477009001" + std::to_string(i), "Hi"};
  }
  ManualExecutor executor_{kStartUs};
  SeededIdSource ids_{5};
};

TEST_F(TwilioSinkTest, RecordsOncePerRegistration) {
  MessageSink sink(executor_, ids_);
  EXPECT_TRUE(sink.send_invitation(invite(1)).is_ok());
  EXPECT_TRUE(sink.send_invitation(invite(1)).is_ok());
  executor_.advance(core::kMicrosPerSecond);
  EXPECT_TRUE(sink.send_invitation(invite(2)).is_ok());
  ASSERT_EQ(sink.sent().size(), 2u);
  EXPECT_EQ(sink.sent()[0].invitation.registration_id, "reg-1");
  EXPECT_EQ(sink.sent()[0].sent_at, kStartUs);
  EXPECT_EQ(sink.sent()[1].sent_at, kStartUs + core::kMicrosPerSecond);
  EXPECT_EQ(sink.sent()[0].message_sid.size(), 34u);
  EXPECT_EQ(sink.attempts(), 2);
}

TEST_F(TwilioSinkTest, RateLimitIsATokenBucket) {
  MessageSink sink(executor_, ids_, {1.0, 2});
  EXPECT_TRUE(sink.send_invitation(invite(1)).is_ok());
  EXPECT_TRUE(sink.send_invitation(invite(2)).is_ok());
  const core::Status over = sink.send_invitation(invite(3));
  EXPECT_EQ(over.code(), core::StatusCode::kResourceExhausted);
  EXPECT_EQ(sink.rate_limited(), 1);
  executor_.advance(core::kMicrosPerSecond - 1);
  EXPECT_FALSE(sink.send_invitation(invite(3)).is_ok());
  executor_.advance(1);
  EXPECT_TRUE(sink.send_invitation(invite(3)).is_ok());
  EXPECT_TRUE(sink.send_invitation(invite(1)).is_ok());  // a duplicate uses no token
  EXPECT_EQ(sink.sent().size(), 3u);
}

TEST_F(TwilioSinkTest, InjectedFailures) {
  MessageSink sink(executor_, ids_);
  sink.fail_next(2);
  EXPECT_EQ(sink.send_invitation(invite(1)).code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(sink.send_invitation(invite(1)).code(), core::StatusCode::kUnavailable);
  EXPECT_TRUE(sink.send_invitation(invite(1)).is_ok());  // the retry goes through
  sink.fail_between(kStartUs + 10, kStartUs + 20, {core::StatusCode::kInternal, "down"});
  executor_.advance(10);
  EXPECT_EQ(sink.send_invitation(invite(2)).code(), core::StatusCode::kInternal);
  EXPECT_TRUE(sink.send_invitation(invite(1)).is_ok());  // already sent: OK, nothing new
  executor_.advance(10);
  EXPECT_TRUE(sink.send_invitation(invite(2)).is_ok());
  EXPECT_EQ(sink.failed(), 3);
  EXPECT_EQ(sink.sent().size(), 2u);
}

}  // namespace
}  // namespace twin::fakes::twilio
