// SqsJsonApi: every operation's happy path in the AWS JSON 1.0 protocol, with the exact members
// botocore's sqs model expects (reference 3.1, 3.13), and long polling answered later.
#include <boost/json.hpp>

#include "tests/sim/sqs_json_fixture.h"

namespace twin::sim::http {
namespace {

namespace json = boost::json;
using SqsJson = SqsJsonFixture;

std::string str(const json::value& v) { return std::string(v.as_string()); }

TEST_F(SqsJson, CreateGetListAndDeleteQueues) {
  auto created =
      ok("CreateQueue",
         R"({"QueueName":"q","Attributes":{"VisibilityTimeout":"60"},"tags":{"t":"1"}})");
  EXPECT_EQ(created, (json::object{{"QueueUrl", url("q")}}));
  EXPECT_EQ(ok("GetQueueUrl", R"({"QueueName":"q"})"), (json::object{{"QueueUrl", url("q")}}));
  create("a1");
  create("a2");
  EXPECT_EQ(ok("ListQueues", "{}"),
            (json::object{{"QueueUrls", json::array{url("a1"), url("a2"), url("q")}}}));
  auto page = ok("ListQueues", R"({"QueueNamePrefix":"a","MaxResults":1})");
  ASSERT_TRUE(page.contains("NextToken"));
  EXPECT_EQ(page, (json::object{{"QueueUrls", json::array{url("a1")}},
                                {"NextToken", page.at("NextToken")}}));
  auto rest = ok("ListQueues", R"({"QueueNamePrefix":"a","MaxResults":1,"NextToken":")" +
                                   str(page.at("NextToken")) + R"("})");
  EXPECT_EQ(rest, (json::object{{"QueueUrls", json::array{url("a2")}}}));
  // Nothing to list: no QueueUrls member at all, as AWS answers.
  EXPECT_EQ(ok("ListQueues", R"({"QueueNamePrefix":"zzz"})"), json::object());
  WireResponse deleted = call("DeleteQueue", R"({"QueueUrl":")" + url("a1") + R"("})");
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, "{}");
  EXPECT_EQ(deleted.header("Content-Type"), "application/x-amz-json-1.0");
}

TEST_F(SqsJson, QueueAttributes) {
  std::string q = create("q");
  auto all = ok("GetQueueAttributes", R"({"QueueUrl":")" + q + R"(","AttributeNames":["All"]})");
  json::object expected{{"ApproximateNumberOfMessages", "0"},
                        {"ApproximateNumberOfMessagesDelayed", "0"},
                        {"ApproximateNumberOfMessagesNotVisible", "0"},
                        {"CreatedTimestamp", "1767225600"},
                        {"DelaySeconds", "0"},
                        {"LastModifiedTimestamp", "1767225600"},
                        {"MaximumMessageSize", "1048576"},
                        {"MessageRetentionPeriod", "345600"},
                        {"QueueArn", "arn:aws:sqs:us-east-1:000000000000:q"},
                        {"ReceiveMessageWaitTimeSeconds", "0"},
                        {"SqsManagedSseEnabled", "true"},
                        {"VisibilityTimeout", "30"}};
  EXPECT_EQ(all, (json::object{{"Attributes", expected}}));
  // No AttributeNames: "returns empty results" (reference 3.3), so no Attributes member.
  EXPECT_EQ(ok("GetQueueAttributes", R"({"QueueUrl":")" + q + R"("})"), json::object());
  WireResponse set = call("SetQueueAttributes",
                          R"({"QueueUrl":")" + q + R"(","Attributes":{"DelaySeconds":"5"}})");
  EXPECT_EQ(set.status, 200);
  EXPECT_EQ(set.body, "{}");
  EXPECT_EQ(
      ok("GetQueueAttributes", R"({"QueueUrl":")" + q + R"(","AttributeNames":["DelaySeconds"]})"),
      (json::object{{"Attributes", json::object{{"DelaySeconds", "5"}}}}));
}

TEST_F(SqsJson, ListDeadLetterSourceQueuesUsesTheModelsLowerCaseMember) {
  std::string dlq = create("dlq");
  EXPECT_EQ(ok("ListDeadLetterSourceQueues", R"({"QueueUrl":")" + dlq + R"("})"),
            (json::object{{"queueUrls", json::array()}}));
  create("src", R"({"RedrivePolicy":"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:)"
                R"(000000000000:dlq\",\"maxReceiveCount\":3}"})");
  EXPECT_EQ(ok("ListDeadLetterSourceQueues", R"({"QueueUrl":")" + dlq + R"("})"),
            (json::object{{"queueUrls", json::array{url("src")}}}));
}

TEST_F(SqsJson, PurgeQueueAnswersEmptyObject) {
  std::string q = create("q");
  ok("SendMessage", R"({"QueueUrl":")" + q + R"(","MessageBody":"x"})");
  WireResponse purged = call("PurgeQueue", R"({"QueueUrl":")" + q + R"("})");
  EXPECT_EQ(purged.status, 200);
  EXPECT_EQ(purged.body, "{}");
  EXPECT_EQ(ok("ReceiveMessage", R"({"QueueUrl":")" + q + R"("})"), json::object());
}

// Reference 3.1's request, verbatim but for the URL host: attributes of both kinds, binary
// as base64 both ways, digests of reference 3.5.
TEST_F(SqsJson, SendAndReceiveWithAttributes) {
  std::string q = create("q");
  auto sent = ok("SendMessage", R"({"QueueUrl":"http://localhost/000000000000/q",
      "MessageBody":"test","MessageAttributes":{"k":{"DataType":"String","StringValue":"x"},
      "b":{"DataType":"Binary","BinaryValue":"AAE="}},
      "MessageSystemAttributes":{"AWSTraceHeader":{"DataType":"String",
      "StringValue":"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"}}})");
  ASSERT_TRUE(sent.contains("MessageId"));
  EXPECT_EQ(sent,
            (json::object{{"MessageId", sent.at("MessageId")},
                          {"MD5OfMessageBody", "098f6bcd4621d373cade4e832627b4f6"},
                          {"MD5OfMessageAttributes", "6934ebcbca1909050f708faa8c71d0a4"},
                          {"MD5OfMessageSystemAttributes", "5ae4d5d7636402d80f4eb6d213245a88"}}));
  EXPECT_EQ(str(sent.at("MessageId")).size(), 36u);
  executor_.advance(2 * kSecond);
  auto got = ok("ReceiveMessage", R"({"QueueUrl":")" + q + R"(","MaxNumberOfMessages":10,
      "MessageSystemAttributeNames":["SentTimestamp","ApproximateReceiveCount"],
      "MessageAttributeNames":["All"]})");
  ASSERT_TRUE(got.contains("Messages"));
  ASSERT_EQ(got.at("Messages").as_array().size(), 1u);
  const json::object& m = got.at("Messages").as_array()[0].as_object();
  ASSERT_TRUE(m.contains("ReceiptHandle"));
  json::object expected{
      {"MessageId", sent.at("MessageId")},
      {"ReceiptHandle", m.at("ReceiptHandle")},
      {"MD5OfBody", "098f6bcd4621d373cade4e832627b4f6"},
      {"Body", "test"},
      {"Attributes",
       json::object{{"ApproximateReceiveCount", "1"}, {"SentTimestamp", "1767225600000"}}},
      {"MD5OfMessageAttributes", "6934ebcbca1909050f708faa8c71d0a4"},
      {"MessageAttributes",
       json::object{{"b", json::object{{"BinaryValue", "AAE="}, {"DataType", "Binary"}}},
                    {"k", json::object{{"StringValue", "x"}, {"DataType", "String"}}}}}};
  EXPECT_EQ(m, expected);
}

TEST_F(SqsJson, SendWithoutAttributesOmitsTheirDigestsAndReceiveOmitsEmptyMaps) {
  std::string q = create("q");
  auto sent = ok("SendMessage", R"({"QueueUrl":")" + q + R"(","MessageBody":"hello"})");
  EXPECT_EQ(sent, (json::object{{"MessageId", sent.at("MessageId")},
                                {"MD5OfMessageBody", "5d41402abc4b2a76b9719d911017c592"}}));
  auto got = ok("ReceiveMessage", R"({"QueueUrl":")" + q + R"("})");
  ASSERT_TRUE(got.contains("Messages"));
  const json::object& m = got.at("Messages").as_array()[0].as_object();
  EXPECT_EQ(m, (json::object{{"MessageId", sent.at("MessageId")},
                             {"ReceiptHandle", m.at("ReceiptHandle")},
                             {"MD5OfBody", "5d41402abc4b2a76b9719d911017c592"},
                             {"Body", "hello"}}));
}

TEST_F(SqsJson, FifoSendHasSequenceNumber) {
  std::string q = create("q.fifo", R"({"FifoQueue":"true","ContentBasedDeduplication":"true"})");
  auto sent = ok("SendMessage", R"({"QueueUrl":")" + q + R"(","MessageBody":"a",
      "MessageGroupId":"g","MessageDeduplicationId":"d1"})");
  ASSERT_TRUE(sent.contains("SequenceNumber"));
  EXPECT_EQ(sent.size(), 3u);  // MessageId, MD5OfMessageBody, SequenceNumber
  EXPECT_FALSE(str(sent.at("SequenceNumber")).empty());
}

TEST_F(SqsJson, SendMessageBatchReportsSuccessfulAndFailed) {
  std::string q = create("q");
  auto batch = ok("SendMessageBatch", R"({"QueueUrl":")" + q + R"(","Entries":[
      {"Id":"a","MessageBody":"test","MessageAttributes":{"k":{"DataType":"String","StringValue":"x"}}},
      {"Id":"b","MessageBody":"bad\u0001"},
      {"Id":"c","MessageBody":"hello","DelaySeconds":5}]})");
  ASSERT_EQ(batch.size(), 2u);
  const json::array& ok_entries = batch.at("Successful").as_array();
  ASSERT_EQ(ok_entries.size(), 2u);
  EXPECT_EQ(ok_entries[0],
            (json::object{{"Id", "a"},
                          {"MessageId", ok_entries[0].at("MessageId")},
                          {"MD5OfMessageBody", "098f6bcd4621d373cade4e832627b4f6"},
                          {"MD5OfMessageAttributes", "a45daa70926828a2f0a1db3418e6feb4"}}));
  EXPECT_EQ(ok_entries[1],
            (json::object{{"Id", "c"},
                          {"MessageId", ok_entries[1].at("MessageId")},
                          {"MD5OfMessageBody", "5d41402abc4b2a76b9719d911017c592"}}));
  const json::array& failed = batch.at("Failed").as_array();
  ASSERT_EQ(failed.size(), 1u);
  ASSERT_TRUE(failed[0].as_object().contains("Message"));
  EXPECT_EQ(failed[0], (json::object{{"Id", "b"},
                                     {"SenderFault", true},
                                     {"Code", "InvalidMessageContents"},
                                     {"Message", failed[0].at("Message")}}));
  // Everything fine: "Failed" is still there (the model marks it required).
  auto clean = ok("SendMessageBatch",
                  R"({"QueueUrl":")" + q + R"(","Entries":[{"Id":"x","MessageBody":"y"}]})");
  EXPECT_EQ(clean.at("Failed"), json::array());
}

TEST_F(SqsJson, DeleteAndChangeVisibilityOneAndBatch) {
  std::string q = create("q");
  for (const char* body : {"m0", "m1", "m2"}) {
    ok("SendMessage", R"({"QueueUrl":")" + q + R"(","MessageBody":")" + body + R"("})");
  }
  auto got = ok("ReceiveMessage", R"({"QueueUrl":")" + q + R"(","MaxNumberOfMessages":3})");
  const json::array& messages = got.at("Messages").as_array();
  ASSERT_EQ(messages.size(), 3u);
  std::string h0 = str(messages[0].at("ReceiptHandle"));
  std::string h1 = str(messages[1].at("ReceiptHandle"));
  std::string h2 = str(messages[2].at("ReceiptHandle"));

  WireResponse changed =
      call("ChangeMessageVisibility",
           R"({"QueueUrl":")" + q + R"(","ReceiptHandle":")" + h0 + R"(","VisibilityTimeout":0})");
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "{}");
  auto batch = ok("ChangeMessageVisibilityBatch", R"({"QueueUrl":")" + q + R"(","Entries":[
      {"Id":"a","ReceiptHandle":")" + h1 + R"(","VisibilityTimeout":60},
      {"Id":"b","ReceiptHandle":"garbage","VisibilityTimeout":60}]})");
  EXPECT_EQ(batch, (json::object{{"Successful", json::array{json::object{{"Id", "a"}}}},
                                 {"Failed", json::array{json::object{
                                                {"Id", "b"},
                                                {"SenderFault", true},
                                                {"Code", "ReceiptHandleIsInvalid"},
                                                {"Message",
                                                 "The input receipt handle \"garbage\" is not a "
                                                 "valid receipt handle."}}}}}));

  WireResponse deleted =
      call("DeleteMessage", R"({"QueueUrl":")" + q + R"(","ReceiptHandle":")" + h2 + R"("})");
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, "{}");
  auto deleted_batch = ok("DeleteMessageBatch", R"({"QueueUrl":")" + q + R"(","Entries":[
      {"Id":"x","ReceiptHandle":")" + h0 + R"("},{"Id":"y","ReceiptHandle":")" +
                                                    h1 + R"("}]})");
  EXPECT_EQ(deleted_batch, (json::object{{"Successful", json::array{json::object{{"Id", "x"}},
                                                                    json::object{{"Id", "y"}}}},
                                         {"Failed", json::array()}}));
  EXPECT_EQ(
      ok("GetQueueAttributes",
         R"({"QueueUrl":")" + q + R"(","AttributeNames":["ApproximateNumberOfMessages",
                 "ApproximateNumberOfMessagesNotVisible"]})"),
      (json::object{{"Attributes", json::object{{"ApproximateNumberOfMessages", "0"},
                                                {"ApproximateNumberOfMessagesNotVisible", "0"}}}}));
}

TEST_F(SqsJson, LongPollIsAnsweredWhenAMessageArrives) {
  std::string q = create("q");
  auto pending =
      start(request("ReceiveMessage", R"({"QueueUrl":")" + q + R"(","WaitTimeSeconds":20})"));
  EXPECT_EQ(pending->answers, 0);
  EXPECT_EQ(sqs_->waiting_receives(), 1u);
  executor_.advance(3 * kSecond);
  EXPECT_EQ(pending->answers, 0);
  ok("SendMessage", R"({"QueueUrl":")" + q + R"(","MessageBody":"late"})");
  executor_.run_due();
  ASSERT_EQ(pending->answers, 1);
  EXPECT_EQ(pending->response->status, 200);
  auto got = parse_object(pending->response->body);
  ASSERT_TRUE(got.contains("Messages"));
  EXPECT_EQ(got.at("Messages").as_array()[0].at("Body"), "late");
  executor_.advance(30 * kSecond);
  EXPECT_EQ(pending->answers, 1);  // exactly once
}

TEST_F(SqsJson, LongPollWithNothingAnswersEmptyAtTheDeadline) {
  std::string q = create("q", R"({"ReceiveMessageWaitTimeSeconds":"5"})");
  auto pending = start(request("ReceiveMessage", R"({"QueueUrl":")" + q + R"("})"));
  executor_.advance(5 * kSecond - 1);
  EXPECT_EQ(pending->answers, 0);
  executor_.advance(1);
  ASSERT_EQ(pending->answers, 1);
  EXPECT_EQ(pending->response->status, 200);
  EXPECT_EQ(pending->response->body, "{}");
}

TEST_F(SqsJson, SignedRequestsAreAcceptedAndTheSignatureIgnored) {
  std::string q = create("q");
  WireRequest r = request("SendMessage", R"({"QueueUrl":")" + q + R"(","MessageBody":"x"})");
  r.headers.emplace_back("Authorization",
                         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sqs/"
                         "aws4_request, SignedHeaders=host;x-amz-date, Signature=deadbeef");
  r.headers.emplace_back("X-Amz-Date", "20260101T000000Z");
  EXPECT_EQ(call(r).status, 200);
}

// The QueueUrl tolerance lives in SqsService::find_queue: account and name decide, not the
// scheme, host or port.
TEST_F(SqsJson, QueueUrlHostMayDifferFromTheEndpoint) {
  create("q");
  for (const char* u : {"http://localhost:4566/000000000000/q",
                        "https://sqs.us-east-1."
                        "amazonaws.com/000000000000/q",
                        "http://127.0.0.1:9999/000000000000/q"}) {
    SCOPED_TRACE(u);
    ok("SendMessage", R"({"QueueUrl":")" + std::string(u) + R"(","MessageBody":"x"})");
  }
  EXPECT_EQ(ok("GetQueueAttributes", R"({"QueueUrl":"http://localhost/000000000000/q",
                 "AttributeNames":["ApproximateNumberOfMessages"]})"),
            (json::object{{"Attributes", json::object{{"ApproximateNumberOfMessages", "3"}}}}));
  EXPECT_EQ(call("SendMessage", R"({"QueueUrl":"http://127.0.0.1:4566/111111111111/q",
                 "MessageBody":"x"})")
                .status,
            400);
}

TEST_F(SqsJson, RecognisesSqsRequests) {
  WireRequest r = request("SendMessage", "{}");
  EXPECT_TRUE(SqsJsonApi::is_sqs_request(r));
  r.target = "/000000000000/q";  // a client given the queue URL as its endpoint
  EXPECT_TRUE(SqsJsonApi::is_sqs_request(r));
  r.method = "GET";
  EXPECT_FALSE(SqsJsonApi::is_sqs_request(r));
  WireRequest untargeted;
  untargeted.method = "POST";
  untargeted.target = "/";
  untargeted.headers = {{"content-type", "application/x-amz-json-1.0; charset=utf-8"}};
  EXPECT_TRUE(SqsJsonApi::is_sqs_request(untargeted));
  untargeted.target = "/prod/trigger";
  EXPECT_FALSE(SqsJsonApi::is_sqs_request(untargeted));
  WireRequest webhook;
  webhook.method = "POST";
  webhook.target = "/prod/webhook";
  webhook.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  EXPECT_FALSE(SqsJsonApi::is_sqs_request(webhook));
  WireRequest other;
  other.method = "POST";
  other.target = "/apikeys";
  other.headers = {{"Content-Type", "application/json"}};
  EXPECT_FALSE(SqsJsonApi::is_sqs_request(other));
}

}  // namespace
}  // namespace twin::sim::http
