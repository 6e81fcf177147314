// SendMessage and SendMessageBatch: validation of every parameter, sizes, characters,
// attributes, batch-level and per-entry errors (reference 3.4, 3.6).
#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::sqs {
namespace {

using SqsSend = SqsFixture;

SendMessageRequest req(const std::string& url, std::string body) {
  SendMessageRequest r;
  r.queue_url = url;
  r.message_body = std::move(body);
  return r;
}

TEST_F(SqsSend, ReturnsIdsAndDigests) {
  std::string url = create("q");
  SendMessageRequest r = req(url, "test");
  r.message_attributes = {{"k", {"String", "x", std::nullopt}}};
  r.message_system_attributes = {
      {"AWSTraceHeader",
       {"String", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        std::nullopt}}};
  auto sent = sqs_->send_message(r);
  ASSERT_TRUE(sent.is_ok()) << sent.status().to_string();
  EXPECT_EQ(sent->message_id.size(), 36u);
  EXPECT_EQ(sent->md5_of_message_body, "098f6bcd4621d373cade4e832627b4f6");
  EXPECT_EQ(sent->md5_of_message_attributes, "a45daa70926828a2f0a1db3418e6feb4");
  EXPECT_EQ(sent->md5_of_message_system_attributes, "5ae4d5d7636402d80f4eb6d213245a88");
  EXPECT_FALSE(sent->sequence_number.has_value());
  auto plain = send(url, "hello");
  EXPECT_FALSE(plain.md5_of_message_attributes.has_value());
  EXPECT_FALSE(plain.md5_of_message_system_attributes.has_value());
  auto got = receive(url);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].attribute("AWSTraceHeader"),
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
  EXPECT_EQ(got[0].md5_of_message_attributes, "a45daa70926828a2f0a1db3418e6feb4");
}

TEST_F(SqsSend, BodyRules) {
  std::string url = create("q", {{"MaximumMessageSize", "1024"}});
  EXPECT_AWS_ERROR(sqs_->send_message(req(url, "")).status(), kMissingParameter, 400);
  EXPECT_AWS_ERROR(sqs_->send_message(req(url, std::string("a\x01", 2))).status(),
                   kInvalidMessageContents, 400);
  EXPECT_AWS_ERROR(sqs_->send_message(req(url, "\xff")).status(), kInvalidMessageContents, 400);
  EXPECT_AWS_ERROR(sqs_->send_message(req(url, "\xef\xbf\xbe")).status(),  // U+FFFE
                   kInvalidMessageContents, 400);
  EXPECT_TRUE(sqs_->send_message(req(url, "tab\there \xf0\x9f\x98\x80")).is_ok());
  EXPECT_TRUE(sqs_->send_message(req(url, std::string(1024, 'a'))).is_ok());
  auto big = sqs_->send_message(req(url, std::string(1025, 'a')));
  EXPECT_AWS_ERROR(big.status(), kInvalidParameterValue, 400);
  EXPECT_EQ(big.status().message(),
            "One or more parameters are invalid. Reason: Message must be shorter than 1024 "
            "bytes.");
  // Attributes count toward the size: name + type + value.
  SendMessageRequest with_attr = req(url, std::string(1024 - 1 - 6 - 1, 'a'));
  with_attr.message_attributes = {{"n", {"String", "v", std::nullopt}}};
  EXPECT_TRUE(sqs_->send_message(with_attr).is_ok());
  with_attr.message_body += "a";
  EXPECT_AWS_ERROR(sqs_->send_message(with_attr).status(), kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(sqs_->send_message(req("", "x")).status(), kMissingParameter, 400);
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "3");
}

TEST_F(SqsSend, DelaySecondsRange) {
  std::string url = create("q");
  for (std::int64_t bad : {-1, 901}) {
    SendMessageRequest r = req(url, "x");
    r.delay_seconds = bad;
    auto sent = sqs_->send_message(r);
    EXPECT_AWS_ERROR(sent.status(), kInvalidParameterValue, 400);
    EXPECT_EQ(sent.status().message(), "Value " + std::to_string(bad) +
                                           " for parameter DelaySeconds is invalid. Reason: "
                                           "DelaySeconds must be >= 0 and <= 900.");
  }
}

TEST_F(SqsSend, MessageAttributeRules) {
  std::string url = create("q");
  auto with = [&](MessageAttributeMap attributes) {
    SendMessageRequest r = req(url, "x");
    r.message_attributes = std::move(attributes);
    return sqs_->send_message(r).status();
  };
  MessageAttributeValue s{"String", "v", std::nullopt};
  for (const char* bad_name : {"AWS.x", "amazon.x", ".x", "x.", "a..b", "sp ace", ""}) {
    SCOPED_TRACE(bad_name);
    EXPECT_AWS_ERROR(with({{bad_name, s}}), kInvalidParameterValue, 400);
  }
  EXPECT_AWS_ERROR(with({{std::string(257, 'a'), s}}), kInvalidParameterValue, 400);
  EXPECT_TRUE(with({{std::string(256, 'a'), s}}).is_ok());
  EXPECT_AWS_ERROR(with({{"a", {"Text", "v", std::nullopt}}}), kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(with({{"a", {"", "v", std::nullopt}}}), kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(with({{"a", {"String.", "v", std::nullopt}}}), kInvalidParameterValue, 400);
  auto empty = with({{"X", {"String", "", std::nullopt}}});
  EXPECT_AWS_ERROR(empty, kInvalidParameterValue, 400);
  EXPECT_EQ(empty.message(),
            "Message (user) attribute 'X' must contain a non-empty value of type 'String'.");
  EXPECT_AWS_ERROR(with({{"b", {"Binary", std::nullopt, std::nullopt}}}), kInvalidParameterValue,
                   400);
  EXPECT_AWS_ERROR(with({{"n", {"Number", "abc", std::nullopt}}}), kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(with({{"n", {"Number", std::string(39, '9'), std::nullopt}}}),
                   kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(with({{"n", {"Number", "1e127", std::nullopt}}}), kInvalidParameterValue, 400);
  EXPECT_TRUE(with({{"n", {"Number.int", "-12.50", std::nullopt}}}).is_ok());
  EXPECT_TRUE(with({{"b", {"Binary.png", std::nullopt, std::string("\0\1", 2)}}}).is_ok());
  MessageAttributeMap eleven;
  for (int i = 0; i < 11; ++i) eleven["a" + std::to_string(i)] = s;
  EXPECT_AWS_ERROR(with(eleven), kInvalidParameterValue, 400);
  SendMessageRequest sys = req(url, "x");
  sys.message_system_attributes = {{"Other", s}};
  EXPECT_AWS_ERROR(sqs_->send_message(sys).status(), kInvalidParameterValue, 400);
}

TEST_F(SqsSend, StandardQueueRefusesDeduplicationId) {
  std::string url = create("q");
  SendMessageRequest r = req(url, "x");
  r.message_deduplication_id = "d";
  EXPECT_AWS_ERROR(sqs_->send_message(r).status(), kInvalidParameterValue, 400);
}

SendMessageBatchRequestEntry entry(std::string id, std::string body) {
  SendMessageBatchRequestEntry e;
  e.id = std::move(id);
  e.message_body = std::move(body);
  return e;
}

TEST_F(SqsSend, BatchLevelErrors) {
  std::string url = create("q");
  auto batch = [&](std::vector<SendMessageBatchRequestEntry> entries) {
    return sqs_->send_message_batch({url, std::move(entries)}).status();
  };
  EXPECT_AWS_ERROR(batch({}), kEmptyBatchRequest, 400);
  std::vector<SendMessageBatchRequestEntry> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back(entry("e" + std::to_string(i), "x"));
  auto many = batch(eleven);
  EXPECT_AWS_ERROR(many, kTooManyEntriesInBatchRequest, 400);
  EXPECT_EQ(many.message(), "Maximum number of entries per request are 10. You have sent 11.");
  EXPECT_AWS_ERROR(batch({entry("bad id", "x")}), kInvalidBatchEntryId, 400);
  EXPECT_AWS_ERROR(batch({entry(std::string(81, 'a'), "x")}), kInvalidBatchEntryId, 400);
  auto dup = batch({entry("a", "x"), entry("a", "y")});
  EXPECT_AWS_ERROR(dup, kBatchEntryIdsNotDistinct, 400);
  EXPECT_EQ(dup.message(), "Id a repeated.");
  auto long_batch =
      batch({entry("a", std::string(600'000, 'x')), entry("b", std::string(600'000, 'y'))});
  EXPECT_AWS_ERROR(long_batch, kBatchRequestTooLong, 400);
  EXPECT_EQ(long_batch.message(),
            "Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.");
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "0");
}

TEST_F(SqsSend, BatchReportsPerEntryResults) {
  std::string url = create("q", {{"MaximumMessageSize", "1024"}});
  auto r = sqs_->send_message_batch(
      {url, {entry("ok", "test"), entry("big", std::string(1025, 'a')), entry("ctl", "\x01")}});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->successful.size(), 1u);
  EXPECT_EQ(r->successful[0].id, "ok");
  EXPECT_EQ(r->successful[0].md5_of_message_body, "098f6bcd4621d373cade4e832627b4f6");
  ASSERT_EQ(r->failed.size(), 2u);
  EXPECT_EQ(r->failed[0].id, "big");
  EXPECT_EQ(r->failed[0].code, "InvalidParameterValue");
  EXPECT_TRUE(r->failed[0].sender_fault);
  EXPECT_EQ(r->failed[0].message,
            "One or more parameters cannot be validated. Reason: Message must be shorter than "
            "1024 bytes.");
  EXPECT_EQ(r->failed[1].code, "InvalidMessageContents");
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "1");
}

}  // namespace
}  // namespace twin::fakes::sqs
