// What the SQS fake remembers between calls instead of asking SQLite (sqs_internal.h, Queue):
// the earliest visible time, the oldest enqueue time and a ceiling on the messages in flight.
// Each test is a sequence whose answer would change if one of them went stale: a probe or a
// count skipped on a bound that a write forgot to move.
#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::sqs {
namespace {

class SqsReceiveBounds : public SqsFixture {
 protected:
  std::vector<Message> receive_attempt(const std::string& url, const std::string& attempt_id,
                                       std::int64_t visibility_s) {
    ReceiveMessageRequest req;
    req.queue_url = url;
    req.max_number_of_messages = 1;
    req.visibility_timeout = visibility_s;
    req.receive_request_attempt_id = attempt_id;
    auto r = sqs_->receive_message(req);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->messages : std::vector<Message>{};
  }

  std::vector<std::string> bodies(const std::vector<Message>& messages) {
    std::vector<std::string> out;
    for (const auto& m : messages) out.push_back(m.body);
    return out;
  }
};

// The earliest visible time is remembered until the connection changes a row, whatever the
// clock says: a change in the same instant must be seen.
TEST_F(SqsReceiveBounds, AChangeInTheSameInstantIsSeen) {
  std::string url = create("q");
  EXPECT_TRUE(receive(url, 1).empty());  // remembered: nothing at all
  send(url, "a");
  auto got = receive(url, 1);
  ASSERT_EQ(bodies(got), std::vector<std::string>{"a"});
  EXPECT_TRUE(receive(url, 1).empty());  // remembered: visible again in 30 s
  ASSERT_TRUE(sqs_->change_message_visibility({url, got[0].receipt_handle, 0}).is_ok());
  EXPECT_EQ(bodies(receive(url, 1)), std::vector<std::string>{"a"});
  EXPECT_TRUE(receive(url, 1).empty());
  send(url, "b");
  EXPECT_EQ(bodies(receive(url, 1)), std::vector<std::string>{"b"});
}

// A long poll waiting on an empty queue is woken at the exact time a hidden message becomes
// visible, with the earliest time read again after the receive that hid it.
TEST_F(SqsReceiveBounds, LongPollWakesWhenAHiddenMessageReappears) {
  std::string url = create("q", {{"VisibilityTimeout", "5"}});
  send(url, "a");
  ASSERT_EQ(receive(url, 1).size(), 1u);
  ReceiveMessageRequest r;
  r.queue_url = url;
  r.wait_time_seconds = 20;
  std::optional<core::Result<ReceiveMessageResponse>> answer;
  sqs_->receive_message_async(r, [&](core::Result<ReceiveMessageResponse> a) { answer = a; });
  executor_.advance(5 * kSecond - 1);
  EXPECT_FALSE(answer.has_value());
  executor_.advance(1);
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->is_ok()) << answer->status().to_string();
  EXPECT_EQ(bodies((*answer)->messages), std::vector<std::string>{"a"});
}

// A send lowers the remembered earliest time to its messages' own, delays included, without
// reading it again: a long poll on the empty queue wakes when the first delay ends.
TEST_F(SqsReceiveBounds, LongPollWakesWhenTheFirstDelayedMessageOfABatchIsDue) {
  std::string url = create("q");
  ReceiveMessageRequest r;
  r.queue_url = url;
  r.wait_time_seconds = 20;
  std::optional<core::Result<ReceiveMessageResponse>> answer;
  sqs_->receive_message_async(r, [&](core::Result<ReceiveMessageResponse> a) { answer = a; });
  SendMessageBatchRequest batch{url, {}};
  batch.entries.push_back({"late", "late", 5, {}, {}, {}, {}});
  batch.entries.push_back({"early", "early", 3, {}, {}, {}, {}});
  auto sent = sqs_->send_message_batch(batch);
  ASSERT_TRUE(sent.is_ok()) << sent.status().to_string();
  ASSERT_EQ(sent->successful.size(), 2u);
  executor_.advance(3 * kSecond - 1);
  EXPECT_FALSE(answer.has_value());
  executor_.advance(1);
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->is_ok()) << answer->status().to_string();
  EXPECT_EQ(bodies((*answer)->messages), std::vector<std::string>{"early"});
}

// The ceiling is exact after a count and grows with every message hidden; receives that skip
// the count still stop at the cap, and deletes count once the ceiling reaches it.
TEST_F(SqsReceiveBounds, ReceivesThatSkipTheCountStillStopAtTheCap) {
  reopen_with_cap(5);
  std::string url = create("q");
  for (int i = 0; i < 9; ++i) send(url, "m" + std::to_string(i));
  std::vector<Message> got = receive(url, 1);  // counted: 0, then 1 in flight
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(receive(url, 2).size(), 2u);  // 1 + 2 <= 5: not counted; 3 in flight
  ASSERT_EQ(receive(url, 2).size(), 2u);  // 3 + 2 <= 5: not counted; 5 in flight
  ReceiveMessageRequest r;
  r.queue_url = url;
  EXPECT_AWS_ERROR(sqs_->receive_message(r).status(), kOverLimit, 403);  // 5 + 1 > 5: counted
  ASSERT_TRUE(sqs_->delete_message({url, got[0].receipt_handle}).is_ok());
  EXPECT_EQ(receive(url, 3).size(), 1u);  // counted: 4 in flight, so one more
  EXPECT_AWS_ERROR(sqs_->receive_message(r).status(), kOverLimit, 403);
}

// ChangeMessageVisibility may hide a message that had become visible again (standard queue,
// latest handle): that message is in flight again and must count against the cap even when the
// last count saw it visible.
TEST_F(SqsReceiveBounds, AMessageHiddenAgainCountsAgainstTheCap) {
  reopen_with_cap(3);
  std::string url = create("q");
  send(url, "a");
  send(url, "b");
  auto ab = receive(url, 2, 5);  // counted: 0; a and b hidden for 5 s
  ASSERT_EQ(ab.size(), 2u);
  executor_.advance(1 * kSecond);
  send(url, "c");
  executor_.advance(5 * kSecond);  // a and b visible again, after c in receive order
  // 2 + 2 > 3: counted (0), takes c and a; b stays visible.
  EXPECT_EQ(bodies(receive(url, 2)), (std::vector<std::string>{"c", "a"}));
  // b's latest handle hides it again: three in flight.
  ASSERT_TRUE(sqs_->change_message_visibility({url, ab[1].receipt_handle, 60}).is_ok());
  send(url, "d");
  ReceiveMessageRequest r;
  r.queue_url = url;
  EXPECT_AWS_ERROR(sqs_->receive_message(r).status(), kOverLimit, 403);
}

// A FIFO receive repeated under its ReceiveRequestAttemptId hides its messages again, possibly
// after they became visible: they count against the cap too.
TEST_F(SqsReceiveBounds, ARepeatedReceiveAttemptCountsAgainstTheCap) {
  reopen_with_cap(3);
  std::string url = create("q.fifo", {{"FifoQueue", "true"}});
  send(url, "b", "g2", "b");
  auto b = receive(url, 1, 100);  // counted: 0; b in flight for 100 s
  ASSERT_EQ(b.size(), 1u);
  executor_.advance(1 * kSecond);
  send(url, "a", "g1", "a");
  ASSERT_EQ(bodies(receive_attempt(url, "try-1", 5)), std::vector<std::string>{"a"});
  executor_.advance(1 * kSecond);
  ASSERT_TRUE(sqs_->change_message_visibility({url, b[0].receipt_handle, 0}).is_ok());
  executor_.advance(5 * kSecond);  // a visible again, its group ready after b's
  EXPECT_EQ(bodies(receive(url, 1)), std::vector<std::string>{"b"});  // counted: 0, then 1
  // The same attempt again: a unchanged since, so hidden again with the same handle.
  ASSERT_EQ(bodies(receive_attempt(url, "try-1", 5)), std::vector<std::string>{"a"});
  send(url, "c", "g3", "c");
  send(url, "d", "g4", "d");
  // Two in flight (a, b) of three: one more, not two.
  EXPECT_EQ(bodies(receive(url, 2)), std::vector<std::string>{"c"});
}

// A message moved to a dead-letter queue keeps its enqueue time, older than what the DLQ held:
// the DLQ's oldest-message floor must come down with it, or its expiry would be skipped.
TEST_F(SqsReceiveBounds, AMessageMovedToTheDlqStillExpiresOnItsEnqueueTime) {
  std::string dlq = create("dlq", {{"MessageRetentionPeriod", "60"}});
  std::string url =
      create("q", {{"VisibilityTimeout", "10"}, {"RedrivePolicy", redrive_to("dlq", 1)}});
  send(url, "old");  // t0
  ASSERT_EQ(receive(url).size(), 1u);
  executor_.advance(30 * kSecond);  // t0 + 30
  send(dlq, "young");
  ASSERT_EQ(bodies(receive(dlq, 1, 5)), std::vector<std::string>{"young"});  // floor: t0 + 30
  EXPECT_TRUE(receive(url).empty());  // the second receive moves "old" to the DLQ
  executor_.advance(35 * kSecond);    // t0 + 65: "old" is past retention, "young" is not
  EXPECT_EQ(bodies(receive(dlq, 10)), std::vector<std::string>{"young"});
}

// The DLQ's messages out of send order: moved ones keep their enqueue time, older than what the
// DLQ held before them. Each expiry takes exactly the messages past retention and leaves the
// floor at the oldest of the rest, wherever it sits.
TEST_F(SqsReceiveBounds, DlqMessagesExpireInEnqueueOrderWhateverTheirSendOrder) {
  std::string dlq = create("dlq", {{"MessageRetentionPeriod", "60"}});
  std::string url =
      create("q", {{"VisibilityTimeout", "10"}, {"RedrivePolicy", redrive_to("dlq", 1)}});
  send(url, "old");  // t0
  executor_.advance(10 * kSecond);
  send(url, "mid");  // t0 + 10
  ASSERT_EQ(receive(url).size(), 2u);
  executor_.advance(20 * kSecond);  // t0 + 30
  send(dlq, "young");
  ASSERT_EQ(bodies(receive(dlq, 10, 0)), std::vector<std::string>{"young"});
  EXPECT_TRUE(receive(url).empty());  // moves "old" and "mid", after "young"
  executor_.advance(31 * kSecond);    // t0 + 61: only "old" is past retention
  EXPECT_EQ(bodies(receive(dlq, 10, 0)), (std::vector<std::string>{"young", "mid"}));
  executor_.advance(10 * kSecond);  // t0 + 71: "mid" too
  EXPECT_EQ(bodies(receive(dlq, 10, 0)), std::vector<std::string>{"young"});
  executor_.advance(20 * kSecond);  // t0 + 91: all
  EXPECT_TRUE(receive(dlq, 10, 0).empty());
  EXPECT_EQ(attribute(dlq, "ApproximateNumberOfMessages"), "0");
}

// An expiry that empties the queue leaves no floor; the next send must set one.
TEST_F(SqsReceiveBounds, ASendAfterExpiryEmptiedTheQueueStillExpires) {
  std::string url = create("q", {{"MessageRetentionPeriod", "60"}});
  send(url, "a");
  executor_.advance(61 * kSecond);
  EXPECT_TRUE(receive(url).empty());  // a expires: nothing left
  send(url, "b");
  executor_.advance(61 * kSecond);
  EXPECT_TRUE(receive(url).empty());  // b expired too
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "0");
}

}  // namespace
}  // namespace twin::fakes::sqs
