// DLQ redrive (reference 3.11), FIFO queues (3.12), long polling on the Executor (3.7) and the
// Queue port adapter.
#include "fakes/sqs/sqs_queue_port.h"
#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::sqs {
namespace {

using SqsDlq = SqsFixture;
using SqsFifo = SqsFixture;
using SqsLongPoll = SqsFixture;

TEST_F(SqsDlq, ReceiveThatWouldExceedMaxReceiveCountMovesTheMessage) {
  std::string dlq = create("dlq");
  std::string url =
      create("q", {{"VisibilityTimeout", "1"}, {"RedrivePolicy", redrive_to("dlq", 1)}});
  SendMessageRequest r{url, "poison", {}, {}, {}, {}, {}};
  r.message_attributes = {{"k", {"String", "x", std::nullopt}}};
  r.message_system_attributes = {{"AWSTraceHeader", {"String", "Root=1-abc", std::nullopt}}};
  auto sent = sqs_->send_message(r);
  ASSERT_TRUE(sent.is_ok());
  auto first = receive(url);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].attribute("ApproximateReceiveCount"), "1");
  executor_.advance(kSecond);
  EXPECT_TRUE(receive(url).empty());  // moved instead of returned
  auto moved = receive(dlq);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].message_id, sent->message_id);
  EXPECT_EQ(moved[0].body, "poison");
  EXPECT_EQ(moved[0].md5_of_message_attributes, "a45daa70926828a2f0a1db3418e6feb4");
  EXPECT_EQ(moved[0].attribute("ApproximateReceiveCount"), "2");
  EXPECT_EQ(moved[0].attribute("AWSTraceHeader"), "Root=1-abc");
  EXPECT_EQ(moved[0].attribute("DeadLetterQueueSourceArn"), "arn:aws:sqs:us-east-1:000000000000:q");
  EXPECT_EQ(moved[0].attribute("SentTimestamp"), "1767225600000");
}

TEST_F(SqsDlq, MovedMessageKeepsEnqueueTimeForRetention) {
  std::string dlq = create("dlq", {{"MessageRetentionPeriod", "60"}});
  std::string url =
      create("q", {{"VisibilityTimeout", "40"}, {"RedrivePolicy", redrive_to("dlq", 1)}});
  send(url, "a");
  receive(url);
  executor_.advance(40 * kSecond);
  EXPECT_TRUE(receive(url).empty());
  EXPECT_EQ(attribute(dlq, "ApproximateNumberOfMessages"), "1");
  executor_.advance(20 * kSecond);  // 60 s after the original send
  EXPECT_TRUE(receive(dlq).empty());
}

TEST_F(SqsDlq, DlqMustExistAndMatchType) {
  create("fifo-dlq.fifo", {{"FifoQueue", "true"}});
  std::string url = create("q");
  auto s = sqs_->set_queue_attributes(
      {url,
       {{"RedrivePolicy",
         R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:fifo-dlq.fifo","maxReceiveCount":1})"}}});
  EXPECT_AWS_ERROR(s, kInvalidParameterValue, 400);
}

std::string fifo_queue(SqsFixture& f, bool content_dedup = false) {
  AttributeMap a{{"FifoQueue", "true"}};
  if (content_dedup) a["ContentBasedDeduplication"] = "true";
  return f.sqs_->create_queue({"q.fifo", a, {}})->queue_url;
}

TEST_F(SqsFifo, SendRules) {
  std::string url = fifo_queue(*this);
  SendMessageRequest r{url, "x", {}, {}, {}, {}, {}};
  auto no_group = sqs_->send_message(r);
  EXPECT_AWS_ERROR(no_group.status(), kMissingParameter, 400);
  EXPECT_EQ(no_group.status().message(), "The request must contain the parameter MessageGroupId.");
  r.message_group_id = "g";
  auto no_dedup = sqs_->send_message(r);
  EXPECT_AWS_ERROR(no_dedup.status(), kInvalidParameterValue, 400);
  EXPECT_EQ(no_dedup.status().message(),
            "The queue should either have ContentBasedDeduplication enabled or "
            "MessageDeduplicationId provided explicitly");
  r.message_deduplication_id = std::string(129, 'd');
  EXPECT_AWS_ERROR(sqs_->send_message(r).status(), kInvalidParameterValue, 400);
  r.message_deduplication_id = "d";
  r.message_group_id = "bad group";
  EXPECT_AWS_ERROR(sqs_->send_message(r).status(), kInvalidParameterValue, 400);
  r.message_group_id = "g";
  r.delay_seconds = 2;
  auto delay = sqs_->send_message(r);
  EXPECT_EQ(delay.status().message(),
            "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter "
            "that is not valid for this queue type.");
  auto batch = sqs_->send_message_batch({url, {{"a", "x", {}, {}, {}, "d", std::nullopt}}});
  EXPECT_AWS_ERROR(batch.status(), kMissingParameter, 400);
}

TEST_F(SqsFifo, DeduplicatesForFiveMinutesByIdOrBodyHash) {
  std::string url = fifo_queue(*this, true);
  auto a = send(url, "same", "g");
  auto b = send(url, "same", "g");  // content hash
  EXPECT_EQ(a.message_id, b.message_id);
  EXPECT_EQ(a.sequence_number, b.sequence_number);
  auto c = send(url, "other", "g", "id1");
  auto d = send(url, "different body", "g", "id1");
  EXPECT_EQ(c.message_id, d.message_id);
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "2");
  auto got = receive(url);
  ASSERT_EQ(got.size(), 2u);
  for (const auto& m : got) ASSERT_TRUE(sqs_->delete_message({url, m.receipt_handle}).is_ok());
  send(url, "same", "g");  // still within 5 minutes, even after delete
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "0");
  executor_.advance(5 * 60 * kSecond);
  auto e = send(url, "same", "g");
  EXPECT_NE(e.message_id, a.message_id);
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "1");
}

// A message that has every system attribute lists them all, once each, in name order (the
// order the JSON front writes and the SQS event's records keep).
TEST_F(SqsFifo, AllNineSystemAttributesComeInNameOrder) {
  std::string dlq = create("dlq.fifo", {{"FifoQueue", "true"}});
  std::string url = create("q.fifo", {{"FifoQueue", "true"},
                                      {"VisibilityTimeout", "1"},
                                      {"RedrivePolicy", redrive_to("dlq.fifo", 1)}});
  SendMessageRequest r{url, "x", {}, {}, {}, {}, {}};
  r.message_group_id = "g";
  r.message_deduplication_id = "d";
  r.message_system_attributes = {{"AWSTraceHeader", {"String", "Root=1-abc", std::nullopt}}};
  ASSERT_TRUE(sqs_->send_message(r).is_ok());
  ASSERT_EQ(receive(url).size(), 1u);
  executor_.advance(kSecond);
  EXPECT_TRUE(receive(url).empty());  // moved to the DLQ
  auto moved = receive(dlq);
  ASSERT_EQ(moved.size(), 1u);
  std::vector<std::string> names;
  for (const auto& [name, value] : moved[0].attributes) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"AWSTraceHeader", "ApproximateFirstReceiveTimestamp",
                                             "ApproximateReceiveCount", "DeadLetterQueueSourceArn",
                                             "MessageDeduplicationId", "MessageGroupId", "SenderId",
                                             "SentTimestamp", "SequenceNumber"}));
  EXPECT_EQ(moved[0].attribute("MessageGroupId"), "g");
  EXPECT_EQ(moved[0].attribute("MessageDeduplicationId"), "d");
  EXPECT_EQ(moved[0].attribute("DeadLetterQueueSourceArn"),
            "arn:aws:sqs:us-east-1:000000000000:q.fifo");
  EXPECT_EQ(moved[0].attribute("NoSuchAttribute"), std::nullopt);
}

TEST_F(SqsFifo, OrderWithinGroupAndInFlightGroupBlocks) {
  std::string url = fifo_queue(*this, true);
  std::vector<std::string> seqs;
  for (int i = 0; i < 3; ++i)
    seqs.push_back(*send(url, "a" + std::to_string(i), "A").sequence_number);
  for (int i = 0; i < 2; ++i) send(url, "b" + std::to_string(i), "B");
  EXPECT_LT(seqs[0], seqs[1]);
  EXPECT_LT(seqs[1], seqs[2]);
  EXPECT_EQ(seqs[0].size(), 20u);
  auto first = receive(url, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].body, "a0");
  EXPECT_EQ(first[1].body, "a1");
  EXPECT_EQ(first[0].attribute("MessageGroupId"), "A");
  EXPECT_EQ(first[0].attribute("SequenceNumber"), seqs[0]);
  // Group A is in flight: only B comes out, in order.
  auto second = receive(url, 10);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].body, "b0");
  EXPECT_EQ(second[1].body, "b1");
  EXPECT_TRUE(receive(url, 10).empty());
  // Deleting one of A's two in-flight messages does not free the group.
  ASSERT_TRUE(sqs_->delete_message({url, first[0].receipt_handle}).is_ok());
  EXPECT_TRUE(receive(url, 10).empty());
  ASSERT_TRUE(sqs_->delete_message({url, first[1].receipt_handle}).is_ok());
  auto third = receive(url, 10);
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].body, "a2");
}

TEST_F(SqsFifo, VisibilityExpiryRedeliversInOrderAndExpiredHandleIsRefused) {
  std::string url = fifo_queue(*this, true);
  send(url, "m0", "G");
  send(url, "m1", "G");
  auto first = receive(url, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(receive(url, 10).empty());
  executor_.advance(30 * kSecond);
  auto expired = sqs_->delete_message({url, first[0].receipt_handle});
  EXPECT_AWS_ERROR(expired, kInvalidParameterValue, 400);
  EXPECT_NE(expired.message().find("The receipt handle has expired."), std::string::npos);
  auto again = receive(url, 10);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].body, "m0");
  EXPECT_EQ(again[0].attribute("ApproximateReceiveCount"), "2");
  EXPECT_EQ(again[1].body, "m1");
}

TEST_F(SqsLongPoll, WokenBySendBeforeDeadline) {
  std::string url = create("q");
  ReceiveMessageRequest r;
  r.queue_url = url;
  r.wait_time_seconds = 20;
  std::optional<core::Result<ReceiveMessageResponse>> answer;
  sqs_->receive_message_async(r, [&](core::Result<ReceiveMessageResponse> got) { answer = got; });
  EXPECT_FALSE(answer.has_value());
  EXPECT_EQ(sqs_->waiting_receives(), 1u);
  executor_.advance(5 * kSecond);
  EXPECT_FALSE(answer.has_value());
  send(url, "wake");
  executor_.run_due();
  ASSERT_TRUE(answer.has_value());
  ASSERT_EQ((*answer)->messages.size(), 1u);
  EXPECT_EQ((*answer)->messages[0].body, "wake");
  EXPECT_EQ(executor_.now(), kStartUs + 5 * kSecond);
  EXPECT_EQ(sqs_->waiting_receives(), 0u);
}

TEST_F(SqsLongPoll, ReturnsEmptyAtDeadlineAndWakesWhenDelayEnds) {
  std::string url = create("q", {{"ReceiveMessageWaitTimeSeconds", "10"}});
  ReceiveMessageRequest r;
  r.queue_url = url;
  std::optional<core::Result<ReceiveMessageResponse>> answer;
  sqs_->receive_message_async(r, [&](core::Result<ReceiveMessageResponse> got) { answer = got; });
  executor_.advance(10 * kSecond - 1);
  EXPECT_FALSE(answer.has_value());
  executor_.advance(1);
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE((*answer)->messages.empty());
  // A delayed message wakes a waiting receive when its delay ends.
  SendMessageRequest delayed{url, "later", 3, {}, {}, {}, {}};
  ASSERT_TRUE(sqs_->send_message(delayed).is_ok());
  answer.reset();
  sqs_->receive_message_async(r, [&](core::Result<ReceiveMessageResponse> got) { answer = got; });
  executor_.advance(3 * kSecond);
  ASSERT_TRUE(answer.has_value());
  ASSERT_EQ((*answer)->messages.size(), 1u);
  EXPECT_EQ(executor_.now(), kStartUs + 13 * kSecond);
}

TEST_F(SqsLongPoll, ImmediateAnswerWhenMessagesWaitOrOnError) {
  std::string url = create("q");
  send(url, "ready");
  ReceiveMessageRequest r;
  r.queue_url = url;
  r.wait_time_seconds = 20;
  int calls = 0;
  sqs_->receive_message_async(r, [&](core::Result<ReceiveMessageResponse> got) {
    ++calls;
    EXPECT_EQ(got->messages.size(), 1u);
  });
  EXPECT_EQ(calls, 1);
  r.wait_time_seconds = 21;
  sqs_->receive_message_async(r, [&](core::Result<ReceiveMessageResponse> got) {
    ++calls;
    EXPECT_EQ(got.status().aws_code(), kInvalidParameterValue);
  });
  EXPECT_EQ(calls, 2);
}

TEST_F(SqsLongPoll, QueuePortSendsToItsQueue) {
  std::string url = create("q");
  SqsQueuePort port(*sqs_, url);
  auto id = port.send("{\"x\":1}");
  ASSERT_TRUE(id.is_ok());
  auto got = receive(url);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].message_id, *id);
  SqsQueuePort gone(*sqs_, "https://sqs.us-east-1.amazonaws.com/000000000000/nope");
  EXPECT_AWS_ERROR(gone.send("x").status(), kNonExistentQueue, 400);
}

}  // namespace
}  // namespace twin::fakes::sqs

namespace twin::fakes::sqs {
namespace {

using SqsFifoScope = SqsFixture;

TEST_F(SqsFifoScope, MessageGroupScopeDeduplicatesWithinAGroupOnly) {
  std::string by_group = create("g.fifo", {{"FifoQueue", "true"},
                                           {"DeduplicationScope", "messageGroup"},
                                           {"FifoThroughputLimit", "perMessageGroupId"}});
  auto a = send(by_group, "x", "A", "same");
  auto b = send(by_group, "x", "B", "same");  // another group: a new message
  auto a_again = send(by_group, "x", "A", "same");
  EXPECT_NE(a.message_id, b.message_id);
  EXPECT_EQ(a.message_id, a_again.message_id);
  EXPECT_EQ(receive(by_group, 10).size(), 2u);
  std::string by_queue = create("q.fifo", {{"FifoQueue", "true"}});  // scope "queue"
  auto c = send(by_queue, "x", "A", "same");
  auto d = send(by_queue, "x", "B", "same");
  EXPECT_EQ(c.message_id, d.message_id);
  EXPECT_EQ(receive(by_queue, 10).size(), 1u);
}

}  // namespace
}  // namespace twin::fakes::sqs
