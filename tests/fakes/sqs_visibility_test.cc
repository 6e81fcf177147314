// ReceiveMessage, visibility timeouts, receipt handles, DeleteMessage(Batch),
// ChangeMessageVisibility(Batch), delays and retention (reference 3.7-3.10).
#include "core/encoding.h"
#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::sqs {
namespace {

using SqsVisibility = SqsFixture;

TEST_F(SqsVisibility, ReceiveValidatesParameters) {
  std::string url = create("q");
  ReceiveMessageRequest r;
  r.queue_url = url;
  r.max_number_of_messages = 11;
  auto bad = sqs_->receive_message(r);
  EXPECT_AWS_ERROR(bad.status(), kInvalidParameterValue, 400);
  EXPECT_EQ(bad.status().message(),
            "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 "
            "and 10, if provided.");
  r.max_number_of_messages = 0;
  EXPECT_AWS_ERROR(sqs_->receive_message(r).status(), kInvalidParameterValue, 400);
  r.max_number_of_messages.reset();
  r.wait_time_seconds = 21;
  auto wait = sqs_->receive_message(r);
  EXPECT_EQ(wait.status().message(),
            "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, "
            "if provided.");
  r.wait_time_seconds = -1;
  EXPECT_AWS_ERROR(sqs_->receive_message(r).status(), kInvalidParameterValue, 400);
  r.wait_time_seconds.reset();
  r.visibility_timeout = 43201;
  EXPECT_AWS_ERROR(sqs_->receive_message(r).status(), kInvalidParameterValue, 400);
  r.visibility_timeout.reset();
  r.attribute_names = {"Bogus"};
  EXPECT_AWS_ERROR(sqs_->receive_message(r).status(), kInvalidAttributeName, 400);
  r.attribute_names.clear();
  r.queue_url = "";
  EXPECT_AWS_ERROR(sqs_->receive_message(r).status(), kMissingParameter, 400);
}

TEST_F(SqsVisibility, ReceiveReturnsSystemAttributesAsked) {
  std::string url = create("q");
  send(url, "hello");
  executor_.advance(2 * kSecond);
  ReceiveMessageRequest r;
  r.queue_url = url;
  r.message_system_attribute_names = {"ApproximateReceiveCount", "SentTimestamp"};
  auto got = sqs_->receive_message(r);
  ASSERT_TRUE(got.is_ok());
  ASSERT_EQ(got->messages.size(), 1u);
  const Message& m = got->messages[0];
  EXPECT_EQ(m.body, "hello");
  EXPECT_EQ(m.md5_of_body, "5d41402abc4b2a76b9719d911017c592");
  SystemAttributes expected{{"ApproximateReceiveCount", "1"}, {"SentTimestamp", "1767225600000"}};
  EXPECT_EQ(m.attributes, expected);
  EXPECT_TRUE(m.message_attributes.empty());
  EXPECT_FALSE(m.md5_of_message_attributes.has_value());
  executor_.advance(30 * kSecond);
  auto again = receive(url);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attribute("ApproximateReceiveCount"), "2");
  EXPECT_EQ(again[0].attribute("ApproximateFirstReceiveTimestamp"), "1767225602000");
  EXPECT_EQ(again[0].attribute("SenderId"), "AIDAIENQZJOLO23YVJ4VO");
  EXPECT_NE(again[0].receipt_handle, m.receipt_handle);  // new handle every receive
}

TEST_F(SqsVisibility, MessageAttributeFilterAndDigestOfReturnedOnly) {
  std::string url = create("q");
  SendMessageRequest s{url, "x", {}, {}, {}, {}, {}};
  s.message_attributes = {{"Help.Me", {"String", "Me", std::nullopt}},
                          {"Hello", {"String", "There", std::nullopt}},
                          {"General", {"String", "Kenobi", std::nullopt}}};
  ASSERT_TRUE(sqs_->send_message(s).is_ok());
  ReceiveMessageRequest r;
  r.queue_url = url;
  r.visibility_timeout = 0;
  r.message_attribute_names = {"Hel.*"};
  auto got = sqs_->receive_message(r);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].message_attributes.size(), 2u);
  EXPECT_EQ(got->messages[0].md5_of_message_attributes, "83fee93c1bcd8b9a5a923ffacdc636c7");
  r.message_attribute_names = {"General", "Hello"};
  got = sqs_->receive_message(r);
  EXPECT_EQ(got->messages[0].md5_of_message_attributes, "fca026605781cb4126a1e9044df24232");
  r.message_attribute_names = {"AWS."};
  got = sqs_->receive_message(r);
  EXPECT_TRUE(got->messages[0].message_attributes.empty());
  EXPECT_FALSE(got->messages[0].md5_of_message_attributes.has_value());
}

TEST_F(SqsVisibility, MessageReappearsAfterTimeoutAndPerCallTimeoutApplies) {
  std::string url = create("q", {{"VisibilityTimeout", "10"}});
  send(url, "a");
  ASSERT_EQ(receive(url).size(), 1u);
  EXPECT_TRUE(receive(url).empty());
  executor_.advance(10 * kSecond - 1);
  EXPECT_TRUE(receive(url).empty());
  executor_.advance(1);
  ASSERT_EQ(receive(url, 10, 100).size(), 1u);
  executor_.advance(99 * kSecond);
  EXPECT_TRUE(receive(url).empty());
  executor_.advance(kSecond);
  EXPECT_EQ(receive(url).size(), 1u);
}

TEST_F(SqsVisibility, ReceiveReturnsUpToMaxInSendOrder) {
  std::string url = create("q");
  for (int i = 0; i < 15; ++i) send(url, "m" + std::to_string(i));
  auto got = receive(url, 10);
  ASSERT_EQ(got.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(got[i].body, "m" + std::to_string(i));
  EXPECT_EQ(receive(url, 10).size(), 5u);
}

TEST_F(SqsVisibility, DeleteRules) {
  std::string url = create("q", {{"VisibilityTimeout", "10"}});
  send(url, "a");
  auto first = receive(url);
  executor_.advance(10 * kSecond);
  auto second = receive(url);
  ASSERT_EQ(second.size(), 1u);
  // Standard queue: the older handle still deletes after a re-receive.
  EXPECT_TRUE(sqs_->delete_message({url, first[0].receipt_handle}).is_ok());
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesNotVisible"), "0");
  // Deleting again with the same handle is not an error.
  EXPECT_TRUE(sqs_->delete_message({url, second[0].receipt_handle}).is_ok());
  auto garbage = sqs_->delete_message({url, "garbage"});
  EXPECT_AWS_ERROR(garbage, kReceiptHandleIsInvalid, 400);
  EXPECT_EQ(garbage.message(),
            "The input receipt handle \"garbage\" is not a valid receipt handle.");
  EXPECT_AWS_ERROR(sqs_->delete_message({url, ""}), kMissingParameter, 400);
  // A handle's text decoded is at most 120 bytes (four numbers with their colons, a uuid): a
  // longer one is refused before it is decoded, as a text not of that shape is after.
  const std::string too_long = "1:1:1:" + std::string(100, '9') + ":" + std::string(36, 'a');
  EXPECT_AWS_ERROR(sqs_->delete_message({url, core::base64_encode(too_long)}),
                   kReceiptHandleIsInvalid, 400);
  std::string other = create("other");
  EXPECT_AWS_ERROR(sqs_->delete_message({other, first[0].receipt_handle}), kReceiptHandleIsInvalid,
                   400);
}

TEST_F(SqsVisibility, ExpiredHandleOnStandardStillDeletesUntilTwelveHours) {
  std::string url = create("q", {{"VisibilityTimeout", "10"}});
  send(url, "a");
  send(url, "b");
  auto got = receive(url, 10);
  ASSERT_EQ(got.size(), 2u);
  executor_.advance(20 * kSecond);  // visible again, not re-received
  EXPECT_TRUE(sqs_->delete_message({url, got[0].receipt_handle}).is_ok());
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "1");
  executor_.advance(12 * core::kMicrosPerHour);
  auto old = sqs_->delete_message({url, got[1].receipt_handle});
  EXPECT_AWS_ERROR(old, kInvalidParameterValue, 400);
  EXPECT_EQ(old.message(), "Value " + got[1].receipt_handle +
                               " for parameter ReceiptHandle is invalid. Reason: The receipt "
                               "handle has expired.");
}

TEST_F(SqsVisibility, ChangeMessageVisibility) {
  std::string url = create("q");
  send(url, "a");
  auto got = receive(url);
  const std::string& h = got[0].receipt_handle;
  ASSERT_TRUE(sqs_->change_message_visibility({url, h, 0}).is_ok());
  auto again = receive(url);  // visible at once
  ASSERT_EQ(again.size(), 1u);
  // The older handle after a re-receive cannot change visibility.
  auto stale = sqs_->change_message_visibility({url, h, 10});
  EXPECT_AWS_ERROR(stale, kInvalidParameterValue, 400);
  EXPECT_EQ(stale.message(), "Value " + h +
                                 " for parameter ReceiptHandle is invalid. Reason: Message does "
                                 "not exist or is not available for visibility timeout change.");
  const std::string& h2 = again[0].receipt_handle;
  EXPECT_AWS_ERROR(sqs_->change_message_visibility({url, h2, std::nullopt}), kMissingParameter,
                   400);
  EXPECT_AWS_ERROR(sqs_->change_message_visibility({url, h2, 43201}), kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(sqs_->change_message_visibility({url, h2, -1}), kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(sqs_->change_message_visibility({url, "garbage", 5}), kReceiptHandleIsInvalid,
                   400);
  // At most 12 h from the receive: 43,200 just after it fails, 43,195 works.
  executor_.advance(5 * kSecond);
  EXPECT_AWS_ERROR(sqs_->change_message_visibility({url, h2, 43'200}), kInvalidParameterValue, 400);
  ASSERT_TRUE(sqs_->change_message_visibility({url, h2, 43'195}).is_ok());
  executor_.advance(43'194 * kSecond);
  EXPECT_TRUE(receive(url).empty());
  executor_.advance(kSecond);
  EXPECT_EQ(receive(url).size(), 1u);
}

TEST_F(SqsVisibility, ChangeVisibilityOfDeletedMessage) {
  std::string url = create("q");
  send(url, "a");
  auto got = receive(url);
  ASSERT_TRUE(sqs_->delete_message({url, got[0].receipt_handle}).is_ok());
  EXPECT_AWS_ERROR(sqs_->change_message_visibility({url, got[0].receipt_handle, 5}),
                   kInvalidParameterValue, 400);
}

TEST_F(SqsVisibility, DeleteAndChangeBatches) {
  std::string url = create("q");
  for (int i = 0; i < 3; ++i) send(url, "m" + std::to_string(i));
  auto got = receive(url, 10);
  ASSERT_EQ(got.size(), 3u);
  auto changed = sqs_->change_message_visibility_batch({url,
                                                        {{"a", got[0].receipt_handle, 0},
                                                         {"b", "garbage", 0},
                                                         {"c", got[1].receipt_handle, 99999}}});
  ASSERT_TRUE(changed.is_ok());
  ASSERT_EQ(changed->successful.size(), 1u);
  EXPECT_EQ(changed->successful[0].id, "a");
  ASSERT_EQ(changed->failed.size(), 2u);
  EXPECT_EQ(changed->failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_EQ(changed->failed[1].code, "InvalidParameterValue");
  auto deleted = sqs_->delete_message_batch(
      {url, {{"x", got[1].receipt_handle}, {"y", got[2].receipt_handle}, {"z", "garbage"}}});
  ASSERT_TRUE(deleted.is_ok());
  EXPECT_EQ(deleted->successful.size(), 2u);
  ASSERT_EQ(deleted->failed.size(), 1u);
  EXPECT_EQ(deleted->failed[0].id, "z");
  EXPECT_AWS_ERROR(sqs_->delete_message_batch({url, {}}).status(), kEmptyBatchRequest, 400);
  EXPECT_AWS_ERROR(
      sqs_->delete_message_batch({url, {{"x", got[0].receipt_handle}, {"x", "h"}}}).status(),
      kBatchEntryIdsNotDistinct, 400);
  EXPECT_AWS_ERROR(sqs_->change_message_visibility_batch({url, {{"bad!", "h", 1}}}).status(),
                   kInvalidBatchEntryId, 400);
}

TEST_F(SqsVisibility, DelayPerQueueAndPerMessage) {
  std::string url = create("q", {{"DelaySeconds", "5"}});
  send(url, "queue-delay");
  SendMessageRequest r{url, "own-delay", 0, {}, {}, {}, {}};
  ASSERT_TRUE(sqs_->send_message(r).is_ok());
  auto now = receive(url);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].body, "own-delay");
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesDelayed"), "1");
  executor_.advance(5 * kSecond);
  auto later = receive(url);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].body, "queue-delay");
}

TEST_F(SqsVisibility, RetentionExpiresOnEnqueueTime) {
  std::string url = create("q", {{"MessageRetentionPeriod", "60"}});
  send(url, "old");
  executor_.advance(30 * kSecond);
  send(url, "new");
  executor_.advance(30 * kSecond);
  auto got = receive(url);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "new");
}

}  // namespace
}  // namespace twin::fakes::sqs
