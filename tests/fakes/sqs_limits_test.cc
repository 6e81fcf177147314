// The in-flight cap (reference 3.7) and ReceiveRequestAttemptId on FIFO queues (3.12).
#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::sqs {
namespace {

class SqsInFlight : public SqsFixture {};

TEST_F(SqsInFlight, ReceiveStopsAtTheCapAndShortPollThenFailsWithOverLimit) {
  reopen_with_cap(3);
  std::string url = create("q");
  for (int i = 0; i < 5; ++i) send(url, "m" + std::to_string(i));
  EXPECT_EQ(receive(url, 10).size(), 3u);  // never past the cap
  ReceiveMessageRequest r;
  r.queue_url = url;
  EXPECT_AWS_ERROR(sqs_->receive_message(r).status(), kOverLimit, 403);
  EXPECT_EQ(sqs_error_type(kOverLimit), "OverLimit");
  // A long poll at the cap gets no error and no message.
  r.wait_time_seconds = 1;
  std::optional<core::Result<ReceiveMessageResponse>> answer;
  sqs_->receive_message_async(r, [&](core::Result<ReceiveMessageResponse> a) { answer = a; });
  executor_.advance(kSecond);
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->is_ok());
  EXPECT_TRUE((*answer)->messages.empty());
  // Visible again means no longer in flight: the rest can be received.
  executor_.advance(30 * kSecond);
  EXPECT_EQ(receive(url, 10).size(), 3u);
}

TEST_F(SqsInFlight, DelayedMessagesAreNotInFlightAndDeletesFreeTheCap) {
  reopen_with_cap(2);
  std::string url = create("q", {{"DelaySeconds", "10"}});
  for (int i = 0; i < 3; ++i) send(url, "m" + std::to_string(i));
  ReceiveMessageRequest r;
  r.queue_url = url;
  auto none = sqs_->receive_message(r);
  ASSERT_TRUE(none.is_ok()) << none.status().to_string();  // delayed: nothing yet, no OverLimit
  EXPECT_TRUE(none->messages.empty());
  executor_.advance(10 * kSecond);
  auto got = receive(url, 10);
  ASSERT_EQ(got.size(), 2u);
  ASSERT_TRUE(sqs_->delete_message({url, got[0].receipt_handle}).is_ok());
  EXPECT_EQ(receive(url, 10).size(), 1u);
}

TEST_F(SqsInFlight, FifoAtTheCapReturnsNothingWithoutError) {
  reopen_with_cap(1);
  std::string url = create("q.fifo", {{"FifoQueue", "true"}});
  send(url, "a", "g1", "d1");
  send(url, "b", "g2", "d2");
  EXPECT_EQ(receive(url, 10).size(), 1u);
  ReceiveMessageRequest r;
  r.queue_url = url;
  auto at_cap = sqs_->receive_message(r);
  ASSERT_TRUE(at_cap.is_ok()) << at_cap.status().to_string();
  EXPECT_TRUE(at_cap->messages.empty());
}

using SqsReceiveAttempt = SqsFixture;

ReceiveMessageRequest attempt(const std::string& url, std::string id) {
  ReceiveMessageRequest r;
  r.queue_url = url;
  r.max_number_of_messages = 10;
  r.receive_request_attempt_id = std::move(id);
  r.attribute_names = {"All"};
  return r;
}

TEST_F(SqsReceiveAttempt, RetryReturnsTheSameMessagesAndHandlesAndRestartsVisibility) {
  std::string url = create("q.fifo", {{"FifoQueue", "true"}, {"VisibilityTimeout", "30"}});
  send(url, "a", "g", "d1");
  send(url, "b", "g", "d2");
  auto first = sqs_->receive_message(attempt(url, "try-1"));
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  ASSERT_EQ(first->messages.size(), 2u);
  executor_.advance(20 * kSecond);
  auto again = sqs_->receive_message(attempt(url, "try-1"));
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  ASSERT_EQ(again->messages.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(again->messages[i].message_id, first->messages[i].message_id);
    EXPECT_EQ(again->messages[i].receipt_handle, first->messages[i].receipt_handle);
    EXPECT_EQ(again->messages[i].attribute("ApproximateReceiveCount"), "1");  // same receive
  }
  // The timeout started again at the retry: still hidden 29 s after it, back 30 s after it.
  executor_.advance(29 * kSecond);
  EXPECT_TRUE(receive(url).empty());
  executor_.advance(kSecond);
  auto later = receive(url);
  ASSERT_EQ(later.size(), 2u);  // visible again: an ordinary new receive
  EXPECT_EQ(later[0].attribute("ApproximateReceiveCount"), "2");
}

TEST_F(SqsReceiveAttempt, ChangedMessagesOrAnExpiredIdMakeANewReceive) {
  std::string url = create("q.fifo", {{"FifoQueue", "true"}, {"VisibilityTimeout", "600"}});
  send(url, "a", "g1", "d1");
  send(url, "b", "g2", "d2");
  auto first = sqs_->receive_message(attempt(url, "try-1"));
  ASSERT_TRUE(first.is_ok());
  ASSERT_EQ(first->messages.size(), 2u);
  ASSERT_TRUE(sqs_->delete_message({url, first->messages[0].receipt_handle}).is_ok());
  // One message was deleted: the retry is a new receive, and the other is still in flight.
  auto retry = sqs_->receive_message(attempt(url, "try-1"));
  ASSERT_TRUE(retry.is_ok());
  EXPECT_TRUE(retry->messages.empty());
  // An id is remembered for 5 minutes only.
  send(url, "c", "g3", "d3");
  auto second = sqs_->receive_message(attempt(url, "try-2"));
  ASSERT_TRUE(second.is_ok());
  ASSERT_EQ(second->messages.size(), 1u);
  executor_.advance(5 * 60 * kSecond);
  auto late = sqs_->receive_message(attempt(url, "try-2"));
  ASSERT_TRUE(late.is_ok());
  EXPECT_TRUE(late->messages.empty());  // "c" is still in flight from the first receive
}

TEST_F(SqsReceiveAttempt, AttemptIdIsValidatedAndIgnoredOnStandardQueues) {
  std::string fifo = create("q.fifo", {{"FifoQueue", "true"}});
  EXPECT_AWS_ERROR(sqs_->receive_message(attempt(fifo, std::string(129, 'a'))).status(),
                   kInvalidParameterValue, 400);
  std::string url = create("q");
  send(url, "a");
  auto first = sqs_->receive_message(attempt(url, "try-1"));
  ASSERT_TRUE(first.is_ok());
  ASSERT_EQ(first->messages.size(), 1u);
  auto again = sqs_->receive_message(attempt(url, "try-1"));
  ASSERT_TRUE(again.is_ok());
  EXPECT_TRUE(again->messages.empty());  // no repeat on a standard queue
}

}  // namespace
}  // namespace twin::fakes::sqs
