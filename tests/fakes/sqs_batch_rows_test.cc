// A receive hides its messages, and DeleteMessageBatch deletes its entries' messages, in one
// statement when their rows are close together (sqs_internal.h kSeqSpanMax); each entry's answer
// stays what deleting or hiding them one by one gives (reference 3.9, 3.11).
#include "core/encoding.h"
#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::sqs {
namespace {

using SqsBatchRows = SqsFixture;

// A receipt handle's fields: queue id, seq, receive count, issued at, uuid.
std::vector<std::string> handle_fields(const std::string& handle) {
  std::string text = core::base64_decode(handle).value_or("");
  std::vector<std::string> fields;
  for (int i = 0; i < 4; ++i) {
    const std::size_t colon = text.find(':');
    fields.push_back(text.substr(0, colon));
    text.erase(0, colon + 1);
  }
  fields.push_back(text);
  return fields;
}

std::string make_handle(const std::vector<std::string>& fields) {
  return core::base64_encode(fields[0] + ":" + fields[1] + ":" + fields[2] + ":" + fields[3] + ":" +
                             fields[4]);
}

// The handle with another receive count: one never issued when it is higher.
std::string with_receive_count(const std::string& handle, int receive_count) {
  auto fields = handle_fields(handle);
  fields[2] = std::to_string(receive_count);
  return make_handle(fields);
}

const std::string* body_of(const std::vector<Message>& messages, const std::string& body) {
  for (const auto& m : messages) {
    if (m.body == body) return &m.receipt_handle;
  }
  return nullptr;
}

TEST_F(SqsBatchRows, DeleteBatchAnswersEachEntryAsOneByOne) {
  std::string url = create("q", {{"VisibilityTimeout", "10"}});
  std::string other = create("other");
  send(url, "expired");
  auto early = receive(url, 1);  // its handle expires in 12 h
  ASSERT_EQ(early.size(), 1u);
  executor_.advance(12 * core::kMicrosPerHour + kSecond);
  for (std::string body : {"a", "b", "c", "d", "e", "f"}) send(url, body);
  send(other, "elsewhere");
  auto first = receive(url, 10);
  ASSERT_EQ(first.size(), 7u);  // "expired" again, then a-f
  const std::string* e_old = body_of(first, "e");
  ASSERT_NE(e_old, nullptr);
  ASSERT_TRUE(sqs_->change_message_visibility({url, *e_old, 0}).is_ok());
  auto again = receive(url, 10);  // e, received a second time
  ASSERT_EQ(again.size(), 1u);
  const std::string* d = body_of(first, "d");
  ASSERT_TRUE(sqs_->delete_message({url, *d}).is_ok());
  auto elsewhere = receive(other, 1);
  ASSERT_EQ(elsewhere.size(), 1u);
  // A handle of this queue naming the other queue's message (its seq, this queue's id).
  auto stray_fields = handle_fields(elsewhere[0].receipt_handle);
  stray_fields[0] = handle_fields(*d)[0];
  const std::string stray = make_handle(stray_fields);
  const std::string never_issued = with_receive_count(*body_of(first, "c"), 5);
  const std::string fresh_expired = *body_of(first, "expired");

  auto deleted = sqs_->delete_message_batch({url,
                                             {{"a", *body_of(first, "a")},
                                              {"old", early[0].receipt_handle},
                                              {"b", *body_of(first, "b")},
                                              {"c", never_issued},
                                              {"d", *d},
                                              {"e", *e_old},
                                              {"garbage", "garbage"},
                                              {"fresh", fresh_expired},
                                              {"stray", stray},
                                              {"f", *body_of(first, "f")}}});
  ASSERT_TRUE(deleted.is_ok()) << deleted.status().to_string();
  std::vector<std::string> ok;
  for (const auto& s : deleted->successful) ok.push_back(s.id);
  // "old" comes before "fresh", which names the same message: it is refused (expired) before
  // "fresh" deletes it, as one by one.
  EXPECT_EQ(ok, (std::vector<std::string>{"a", "b", "d", "e", "fresh", "stray", "f"}));
  ASSERT_EQ(deleted->failed.size(), 3u);
  EXPECT_EQ(deleted->failed[0].id, "old");
  EXPECT_EQ(deleted->failed[0].code, "InvalidParameterValue");
  EXPECT_EQ(deleted->failed[0].message, "Value " + early[0].receipt_handle +
                                            " for parameter ReceiptHandle is invalid. Reason: "
                                            "The receipt handle has expired.");
  EXPECT_TRUE(deleted->failed[0].sender_fault);
  EXPECT_EQ(deleted->failed[1].id, "c");
  EXPECT_EQ(deleted->failed[1].code, "ReceiptHandleIsInvalid");
  EXPECT_EQ(deleted->failed[1].message,
            "The input receipt handle \"" + never_issued + "\" is not a valid receipt handle.");
  EXPECT_EQ(deleted->failed[2].id, "garbage");
  EXPECT_EQ(deleted->failed[2].code, "ReceiptHandleIsInvalid");
  // Left: c in this queue, and the other queue's message, which the stray handle did not touch.
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesNotVisible"), "1");
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(attribute(other, "ApproximateNumberOfMessagesNotVisible"), "1");
  executor_.advance(10 * kSecond);
  auto left = receive(url, 10);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].body, "c");
}

// Entries whose seqs do not fill their range: the message between them stays.
TEST_F(SqsBatchRows, DeleteBatchLeavesTheMessageBetweenItsEntries) {
  std::string url = create("q", {{"VisibilityTimeout", "30"}});
  for (std::string body : {"a", "b", "c"}) send(url, body);
  auto got = receive(url, 10);
  ASSERT_EQ(got.size(), 3u);
  auto deleted = sqs_->delete_message_batch(
      {url, {{"a", got[0].receipt_handle}, {"c", got[2].receipt_handle}}});
  ASSERT_TRUE(deleted.is_ok()) << deleted.status().to_string();
  EXPECT_EQ(deleted->successful.size(), 2u);
  EXPECT_TRUE(deleted->failed.empty());
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesNotVisible"), "1");  // b
}

// Neighbours with different receive counts: each handle is held to its own.
TEST_F(SqsBatchRows, DeleteBatchOfNeighboursRefusesAHandleNeverIssued) {
  std::string url = create("q", {{"VisibilityTimeout", "30"}});
  for (std::string body : {"a", "b", "c"}) send(url, body);
  auto got = receive(url, 10);
  ASSERT_EQ(got.size(), 3u);
  const std::string never_issued = with_receive_count(got[1].receipt_handle, 2);
  auto deleted = sqs_->delete_message_batch(
      {url, {{"a", got[0].receipt_handle}, {"b", never_issued}, {"c", got[2].receipt_handle}}});
  ASSERT_TRUE(deleted.is_ok()) << deleted.status().to_string();
  ASSERT_EQ(deleted->successful.size(), 2u);
  EXPECT_EQ(deleted->successful[0].id, "a");
  EXPECT_EQ(deleted->successful[1].id, "c");
  ASSERT_EQ(deleted->failed.size(), 1u);
  EXPECT_EQ(deleted->failed[0].id, "b");
  EXPECT_EQ(deleted->failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesNotVisible"), "1");  // b
}

// A receive taking messages on both sides of one in flight leaves that one as it was.
TEST_F(SqsBatchRows, ReceiveLeavesTheMessageInFlightBetweenThoseItTakes) {
  std::string url = create("q", {{"VisibilityTimeout", "30"}});
  for (std::string body : {"a", "b", "c"}) send(url, body);
  auto got = receive(url, 10);  // t0: all three, b visible again at t0 + 30
  ASSERT_EQ(got.size(), 3u);
  executor_.advance(5 * kSecond);
  ASSERT_TRUE(sqs_->change_message_visibility({url, got[0].receipt_handle, 0}).is_ok());
  ASSERT_TRUE(sqs_->change_message_visibility({url, got[2].receipt_handle, 0}).is_ok());
  auto ends = receive(url, 10);  // t0 + 5: a and c, visible again at t0 + 35
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_EQ(ends[0].body, "a");
  EXPECT_EQ(ends[1].body, "c");
  executor_.advance(25 * kSecond);
  auto middle = receive(url, 10);
  ASSERT_EQ(middle.size(), 1u);
  EXPECT_EQ(middle[0].body, "b");
  EXPECT_EQ(middle[0].attribute("ApproximateReceiveCount"), "2");
}

TEST_F(SqsBatchRows, DeleteBatchOfMessagesFarApart) {
  std::string url = create("q");
  std::string other = create("other");
  send(url, "a");
  for (int i = 0; i < 70; ++i) send(other, "between");  // a and b: seqs 71 apart
  send(url, "b");
  send(url, "c");
  auto got = receive(url, 10);
  ASSERT_EQ(got.size(), 3u);
  auto deleted = sqs_->delete_message_batch({url,
                                             {{"a", got[0].receipt_handle},
                                              {"x", with_receive_count(got[2].receipt_handle, 2)},
                                              {"b", got[1].receipt_handle}}});
  ASSERT_TRUE(deleted.is_ok());
  ASSERT_EQ(deleted->successful.size(), 2u);
  EXPECT_EQ(deleted->successful[0].id, "a");
  EXPECT_EQ(deleted->successful[1].id, "b");
  ASSERT_EQ(deleted->failed.size(), 1u);
  EXPECT_EQ(deleted->failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesNotVisible"), "1");  // c
  EXPECT_EQ(attribute(other, "ApproximateNumberOfMessages"), "70");
}

TEST_F(SqsBatchRows, FifoDeleteBatchRefusesHandlesPastTheirVisibilityTimeout) {
  std::string url = create("q.fifo", {{"FifoQueue", "true"}, {"VisibilityTimeout", "10"}});
  send(url, "a", "g1", "1");
  send(url, "b", "g2", "2");
  auto got = receive(url, 10);
  ASSERT_EQ(got.size(), 2u);
  executor_.advance(10 * kSecond);  // both visible again; the handles are no longer the latest
  auto deleted = sqs_->delete_message_batch(
      {url, {{"a", got[0].receipt_handle}, {"b", got[1].receipt_handle}}});
  ASSERT_TRUE(deleted.is_ok());
  EXPECT_TRUE(deleted->successful.empty());
  ASSERT_EQ(deleted->failed.size(), 2u);
  EXPECT_EQ(deleted->failed[0].message, "Value " + got[0].receipt_handle +
                                            " for parameter ReceiptHandle is invalid. Reason: "
                                            "The receipt handle has expired.");
  EXPECT_EQ(deleted->failed[1].code, "InvalidParameterValue");
  EXPECT_EQ(receive(url, 10).size(), 2u);
}

TEST_F(SqsBatchRows, ReceiveHidesAndCountsTheMessagesItReturns) {
  std::string url = create("q", {{"VisibilityTimeout", "30"}});
  for (std::string body : {"a", "b", "c"}) send(url, body);
  executor_.advance(kSecond);
  auto got = receive(url, 10);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(receive(url, 10).empty());
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesNotVisible"), "3");
  executor_.advance(30 * kSecond - 1);
  EXPECT_TRUE(receive(url, 10).empty());
  executor_.advance(1);
  auto again = receive(url, 10);
  ASSERT_EQ(again.size(), 3u);
  for (std::size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].body, got[i].body);
    EXPECT_EQ(again[i].attribute("ApproximateReceiveCount"), "2");
    EXPECT_EQ(again[i].attribute("ApproximateFirstReceiveTimestamp"),
              std::to_string((kStartUs + kSecond) / core::kMicrosPerMilli));
  }
}

TEST_F(SqsBatchRows, ReceiveBetweenDlqMovesHidesEveryMessageItReturns) {
  std::string dlq = create("dlq");
  std::string url =
      create("q", {{"VisibilityTimeout", "30"}, {"RedrivePolicy", redrive_to("dlq", 1)}});
  send(url, "poison");
  ASSERT_EQ(receive(url, 1).size(), 1u);  // at its limit now
  executor_.advance(kSecond);
  send(url, "x1");
  send(url, "x2");
  executor_.advance(29 * kSecond);  // poison visible again, after x1 and x2
  send(url, "y1");
  send(url, "y2");
  auto got = receive(url, 10);  // x1, x2, poison moved, y1, y2
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].body, "x1");
  EXPECT_EQ(got[1].body, "x2");
  EXPECT_EQ(got[2].body, "y1");
  EXPECT_EQ(got[3].body, "y2");
  EXPECT_TRUE(receive(url, 10).empty());
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesNotVisible"), "4");
  EXPECT_EQ(attribute(dlq, "ApproximateNumberOfMessages"), "1");
  executor_.advance(30 * kSecond);
  EXPECT_TRUE(receive(url, 10).empty());  // all four at their limit: moved
  EXPECT_EQ(attribute(dlq, "ApproximateNumberOfMessages"), "5");
}

TEST_F(SqsBatchRows, ReceiveOfMessagesFarApartHidesEach) {
  std::string url = create("q", {{"VisibilityTimeout", "30"}});
  std::string other = create("other");
  send(url, "a");
  for (int i = 0; i < 70; ++i) send(other, "between");
  send(url, "b");
  send(url, "c");
  auto got = receive(url, 10);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(receive(url, 10).empty());
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesNotVisible"), "3");
  EXPECT_EQ(attribute(other, "ApproximateNumberOfMessages"), "70");
  executor_.advance(30 * kSecond);
  auto again = receive(url, 10);
  ASSERT_EQ(again.size(), 3u);
  for (auto& m : again) EXPECT_EQ(m.attribute("ApproximateReceiveCount"), "2");
  EXPECT_EQ(again[0].attribute("ApproximateFirstReceiveTimestamp"),
            got[0].attribute("SentTimestamp"));
}

}  // namespace
}  // namespace twin::fakes::sqs
