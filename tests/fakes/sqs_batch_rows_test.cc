// A receive hides its messages in one statement when their rows are close together
// (sqs_internal.h kSeqSpanMax); what it returns and leaves stays what hiding them one by one
// gives (reference 3.7, 3.11).
#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::sqs {
namespace {

using SqsBatchRows = SqsFixture;

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
    EXPECT_EQ(again[i].attributes["ApproximateReceiveCount"], "2");
    EXPECT_EQ(again[i].attributes["ApproximateFirstReceiveTimestamp"],
              std::to_string((kStartUs + kSecond) / core::kMicrosPerMilli));
  }
}

TEST_F(SqsBatchRows, ReceiveBetweenDlqMovesHidesEveryMessageItReturns) {
  std::string dlq = create("dlq");
  std::string url = create(
      "q",
      {{"VisibilityTimeout", "30"},
       {"RedrivePolicy",
        R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":1})"}});
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
  for (auto& m : again) EXPECT_EQ(m.attributes["ApproximateReceiveCount"], "2");
  EXPECT_EQ(again[0].attributes["ApproximateFirstReceiveTimestamp"],
            got[0].attributes["SentTimestamp"]);
}

}  // namespace
}  // namespace twin::fakes::sqs
