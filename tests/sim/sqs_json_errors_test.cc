// SqsJsonApi errors: every error class of the SQS fake as the JSON protocol carries it
// (`__type`, `message`, `x-amzn-query-error`, HTTP status; reference 3.1-3.2), and the protocol's
// own errors for malformed input, unknown operations and missing targets.
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "tests/sim/sqs_json_fixture.h"

namespace twin::sim::http {
namespace {

namespace json = boost::json;
using SqsJsonErrors = SqsJsonFixture;

constexpr std::string_view kSqs = "com.amazonaws.sqs#";
constexpr std::string_view kCoral = "com.amazon.coral.service#";

struct ErrorCase {
  std::string name;
  std::string operation;
  std::string body;
  int status;
  std::string type;
  std::string query_code;
  std::string message;
};

std::string entries(int n) {
  std::string out = "[";
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += ",";
    out += R"({"Id":"e)" + std::to_string(i) + R"(","MessageBody":"x","ReceiptHandle":"h"})";
  }
  return out + "]";
}

TEST_F(SqsJsonErrors, EveryErrorClassOfTheFake) {
  const std::string q = create("q");
  const std::string in_q = R"({"QueueUrl":")" + q + R"(",)";
  create("d", R"({"DelaySeconds":"5"})");
  const std::string gone = create("gone");
  ASSERT_EQ(call("DeleteQueue", R"({"QueueUrl":")" + gone + R"("})").status, 200);
  const std::string p = create("p");
  ASSERT_EQ(call("PurgeQueue", R"({"QueueUrl":")" + p + R"("})").status, 200);
  const std::string full = create("full");
  for (int i = 0; i <= kInFlightMax; ++i) {
    ok("SendMessage", R"({"QueueUrl":")" + full + R"(","MessageBody":"x"})");
  }
  ok("ReceiveMessage", R"({"QueueUrl":")" + full + R"(","MaxNumberOfMessages":10})");
  const std::string big(600'000, 'a');

  const std::vector<ErrorCase> cases = {
      {"QueueDoesNotExist", "GetQueueUrl", R"({"QueueName":"nope"})", 400, "QueueDoesNotExist",
       "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."},
      {"QueueNameExists", "CreateQueue", R"({"QueueName":"d","Attributes":{"DelaySeconds":"6"}})",
       400, "QueueNameExists", "QueueAlreadyExists",
       "A queue already exists with the same name and a different value for attribute "
       "DelaySeconds"},
      {"QueueDeletedRecently", "CreateQueue", R"({"QueueName":"gone"})", 400,
       "QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently",
       "You must wait 60 seconds after deleting a queue before you can create another with the "
       "same name."},
      {"InvalidParameterValue", "ReceiveMessage", in_q + R"("MaxNumberOfMessages":11})", 400,
       "InvalidParameterValueException", "InvalidParameterValue",
       "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and "
       "10, if provided."},
      {"MissingParameter", "SendMessage", R"({"QueueUrl":")" + q + R"("})", 400,
       "MissingRequiredParameterException", "MissingParameter",
       "The request must contain the parameter MessageBody."},
      {"InvalidAttributeName", "GetQueueAttributes", in_q + R"("AttributeNames":["Bogus"]})", 400,
       "InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute Bogus."},
      {"InvalidAttributeValue", "CreateQueue",
       R"({"QueueName":"v","Attributes":{"VisibilityTimeout":"abc"}})", 400,
       "InvalidAttributeValue", "InvalidAttributeValue",
       "Invalid value for the parameter VisibilityTimeout."},
      {"ReceiptHandleIsInvalid", "DeleteMessage", in_q + R"("ReceiptHandle":"garbage"})", 400,
       "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
       "The input receipt handle \"garbage\" is not a valid receipt handle."},
      {"PurgeQueueInProgress", "PurgeQueue", R"({"QueueUrl":")" + p + R"("})", 403,
       "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress",
       "Only one PurgeQueue operation on p is allowed every 60 seconds."},
      {"TooManyEntriesInBatchRequest", "SendMessageBatch",
       in_q + R"("Entries":)" + entries(11) + "}", 400, "TooManyEntriesInBatchRequest",
       "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
       "Maximum number of entries per request are 10. You have sent 11."},
      {"EmptyBatchRequest", "DeleteMessageBatch", in_q + R"("Entries":[]})", 400,
       "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
       "There should be at least one DeleteMessageBatchRequestEntry in the request."},
      {"EmptyBatchRequest (no Entries)", "SendMessageBatch", R"({"QueueUrl":")" + q + R"("})", 400,
       "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
       "There should be at least one SendMessageBatchRequestEntry in the request."},
      {"BatchEntryIdsNotDistinct", "ChangeMessageVisibilityBatch",
       in_q + R"("Entries":[{"Id":"a","ReceiptHandle":"h"},{"Id":"a","ReceiptHandle":"h"}]})", 400,
       "BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
       "Id a repeated."},
      {"InvalidBatchEntryId", "SendMessageBatch",
       in_q + R"("Entries":[{"Id":"bad!","MessageBody":"x"}]})", 400, "InvalidBatchEntryId",
       "AWS.SimpleQueueService.InvalidBatchEntryId",
       "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It "
       "can be at most 80 letters long."},
      {"BatchRequestTooLong", "SendMessageBatch",
       in_q + R"("Entries":[{"Id":"a","MessageBody":")" + big + R"("},{"Id":"b","MessageBody":")" +
           big + R"("}]})",
       400, "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
       "Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes."},
      {"InvalidMessageContents", "SendMessage", in_q + R"("MessageBody":"a\u0001"})", 400,
       "InvalidMessageContents", "InvalidMessageContents",
       "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF "
       "| #xE000 to #xFFFD | #x10000 to #x10FFFF"},
      {"OverLimit", "ReceiveMessage", R"({"QueueUrl":")" + full + R"("})", 403, "OverLimit",
       "OverLimit", "The queue has reached its limit of 3 messages in flight."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string namespace_ =
        c.type.ends_with("Exception") ? std::string(kCoral) : std::string(kSqs);
    EXPECT_TRUE(IsAwsError(call(c.operation, c.body), c.status, namespace_ + c.type, c.query_code,
                           c.message));
  }
}

TEST_F(SqsJsonErrors, MalformedBodiesAreSerializationExceptionsNamingTheProblem) {
  const std::string q = create("q");
  const std::string in_q = R"({"QueueUrl":")" + q + R"(",)";
  struct Case {
    std::string operation;
    std::string body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"SendMessage", "not json", "The request body is not valid JSON (syntax error at byte 0)."},
      {"SendMessage", R"({"QueueUrl":)",
       "The request body is not valid JSON (incomplete JSON at "
       "byte 12)."},
      {"SendMessage", "{} {}", "The request body is not valid JSON (extra data at byte 3)."},
      {"SendMessage", "[]", "The request body must be a JSON object, got array."},
      {"ReceiveMessage", in_q + R"("MaxNumberOfMessages":"5"})",
       "Invalid request body: $.MaxNumberOfMessages: expected integer, got string"},
      {"ReceiveMessage", in_q + R"("WaitTimeSeconds":1.5})",
       "Invalid request body: $.WaitTimeSeconds: expected integer, got number"},
      {"ReceiveMessage", in_q + R"("AttributeNames":"All"})",
       "Invalid request body: $.AttributeNames: expected array, got string"},
      {"ReceiveMessage", in_q + R"("MessageAttributeNames":["a",7]})",
       "Invalid request body: $.MessageAttributeNames[1]: expected string, got number"},
      {"DeleteQueue", R"({"QueueUrl":42})",
       "Invalid request body: $.QueueUrl: expected string, got number"},
      {"CreateQueue", R"({"QueueName":"x","Attributes":{"VisibilityTimeout":60}})",
       "Invalid request body: $.Attributes.VisibilityTimeout: expected string, got number"},
      {"SendMessageBatch", in_q + R"("Entries":["x"]})",
       "Invalid request body: $.Entries[0]: expected object, got string"},
      {"DeleteMessageBatch", in_q + R"("Entries":[{"Id":1,"ReceiptHandle":"h"}]})",
       "Invalid request body: $.Entries[0].Id: expected string, got number"},
      {"SendMessage", in_q + R"("MessageBody":"x","MessageAttributes":{"a.b":"x"}})",
       "Invalid request body: $.MessageAttributes[\"a.b\"]: expected object, got string"},
      {"SendMessage",
       in_q + R"("MessageBody":"x","MessageAttributes":{"b":{"DataType":"Binary",)"
              R"("BinaryValue":"not base64!"}}})",
       "Invalid request body: $.MessageAttributes.b.BinaryValue: not base64"},
      {"SendMessageBatch", in_q + R"("Entries":[{"Id":"a","MessageBody":"x","DelaySeconds":"1"}]})",
       "Invalid request body: $.Entries[0].DelaySeconds: expected integer, got string"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    EXPECT_TRUE(IsAwsError(call(c.operation, c.body), 400,
                           std::string(kCoral) + "SerializationException", "SerializationException",
                           c.message));
  }
  // Not UTF-8: the parser refuses it.
  WireResponse bad_utf8 = call("SendMessage", in_q + "\"MessageBody\":\"\xff\"}");
  EXPECT_EQ(bad_utf8.status, 400);
  EXPECT_EQ(bad_utf8.header("x-amzn-query-error"), "SerializationException;Sender");
}

TEST_F(SqsJsonErrors, ListValuesReservedByAwsAreRefused) {
  const std::string q = create("q");
  EXPECT_TRUE(IsAwsError(
      call("SendMessage", R"({"QueueUrl":")" + q +
                              R"(","MessageBody":"x","MessageAttributes":{"l":{"DataType":)"
                              R"("String","StringListValues":["a"]}}})"),
      400, std::string(kCoral) + "InvalidParameterValueException", "InvalidParameterValue",
      "Message attribute 'l' has StringListValues, which SQS reserves for future use; the twin "
      "does not support it."));
  // Empty lists say nothing and are accepted.
  ok("SendMessage", R"({"QueueUrl":")" + q +
                        R"(","MessageBody":"x","MessageAttributes":{"l":{"DataType":"String",)"
                        R"("StringValue":"v","StringListValues":[],"BinaryListValues":[]}}})");
}

TEST_F(SqsJsonErrors, UnknownOperationsAndMissingTargets) {
  const std::string unknown = std::string(kCoral) + "UnknownOperationException";
  EXPECT_TRUE(IsAwsError(call("TagQueue", "{}"), 400, unknown, "UnknownOperationException",
                         "Operation AmazonSQS.TagQueue is not supported by the twin."));
  EXPECT_TRUE(IsAwsError(call("Bogus", "{}"), 400, unknown, "UnknownOperationException",
                         "Operation AmazonSQS.Bogus is not supported by the twin."));
  // The operation is checked before the body is read.
  EXPECT_TRUE(IsAwsError(call("Bogus", "not json"), 400, unknown, "UnknownOperationException",
                         "Operation AmazonSQS.Bogus is not supported by the twin."));

  WireRequest other = request("X", "{}");
  other.headers[0].second = "DynamoDB_20120810.ListTables";
  EXPECT_TRUE(IsAwsError(call(other), 400, unknown, "UnknownOperationException",
                         "Operation DynamoDB_20120810.ListTables is not supported by the twin."));

  WireRequest untargeted = request("X", "{}");
  untargeted.headers.erase(untargeted.headers.begin());
  EXPECT_TRUE(SqsJsonApi::is_sqs_request(untargeted));
  EXPECT_TRUE(IsAwsError(call(untargeted), 400, unknown, "UnknownOperationException",
                         "Missing X-Amz-Target header: the twin's SQS API needs X-Amz-Target: "
                         "AmazonSQS.<Operation>."));

  WireRequest query;
  query.method = "POST";
  query.target = "/";
  query.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  query.body = "Action=SendMessage&QueueUrl=x&MessageBody=y&Version=2012-11-05";
  EXPECT_TRUE(SqsJsonApi::is_sqs_request(query));
  EXPECT_TRUE(IsAwsError(call(query), 400, unknown, "UnknownOperationException",
                         "The SQS query protocol (Action=...) is not supported by the twin; it "
                         "speaks the JSON 1.0 protocol (X-Amz-Target: AmazonSQS.<Operation>) "
                         "that botocore 1.43 uses."));

  WireRequest get = request("ListQueues", "");
  get.method = "GET";
  EXPECT_TRUE(IsAwsError(call(get), 400, unknown, "UnknownOperationException",
                         "Operation AmazonSQS.ListQueues sent as GET is not supported by the twin "
                         "(use POST)."));
}

TEST_F(SqsJsonErrors, LenientWhereNothingIsLost) {
  create("q");
  // An empty body is {} (ListQueues has no required member); null is absent; unknown members
  // are ignored, as AWS's JSON services do; a missing Content-Type is fine.
  WireRequest r = request("ListQueues", "");
  r.headers.erase(r.headers.begin() + 1);
  WireResponse listed = call(r);
  EXPECT_EQ(listed.status, 200);
  EXPECT_EQ(parse_object(listed.body), (json::object{{"QueueUrls", json::array{url("q")}}}));
  EXPECT_EQ(ok("ReceiveMessage",
               R"({"QueueUrl":")" + url("q") + R"(","MaxNumberOfMessages":null,"Future":{"x":1}})"),
            json::object());
  EXPECT_EQ(ok("ReceiveMessage", R"({"QueueUrl":")" + url("q") + R"(","MaxNumberOfMessages":2.0})"),
            json::object());
}

// Whatever the body, every operation answers exactly once with a JSON object and an AWS
// status: never a crash, never silence.
TEST_F(SqsJsonErrors, HostileBodiesGetExactlyOneAnswer) {
  const std::string q = create("q");
  const std::vector<std::string> operations = {"CreateQueue",
                                               "GetQueueUrl",
                                               "ListQueues",
                                               "DeleteQueue",
                                               "PurgeQueue",
                                               "GetQueueAttributes",
                                               "SetQueueAttributes",
                                               "ListDeadLetterSourceQueues",
                                               "SendMessage",
                                               "SendMessageBatch",
                                               "ReceiveMessage",
                                               "DeleteMessage",
                                               "DeleteMessageBatch",
                                               "ChangeMessageVisibility",
                                               "ChangeMessageVisibilityBatch"};
  const std::vector<std::string> bodies = {
      "",
      "null",
      "1",
      "\"s\"",
      "{",
      "}",
      "{\"QueueUrl\":[]}",
      "{\"Entries\":{}}",
      "{\"Entries\":[null]}",
      "{\"Entries\":[{}]}",
      "{\"MessageAttributes\":[]}",
      "{\"MessageAttributes\":{\"a\":{}}}",
      "{\"Attributes\":[]}",
      "{\"QueueName\":\"\"}",
      std::string(100, '[') + std::string(100, ']'),
      "{\"MaxNumberOfMessages\":1e999}",
      "{\"MaxNumberOfMessages\":18446744073709551615}",
      "{\"VisibilityTimeout\":-0}",
      "{\"QueueUrl\":\"" + q + "\",\"Entries\":[{\"Id\":\"a\"}],\"ReceiptHandle\":\"\"}",
      "{\"QueueUrl\":\"" + q + "\",\"MessageBody\":\"\\u0000\"}",
      "{\"QueueUrl\":\"" + q + "\",\"MessageSystemAttributes\":{\"AWSTraceHeader\":{}}}"};
  for (const auto& op : operations) {
    for (const auto& body : bodies) {
      SCOPED_TRACE(op + " " + body);
      auto pending = start(request(op, body));
      ASSERT_EQ(pending->answers, 1);
      const WireResponse& r = *pending->response;
      EXPECT_TRUE(r.status == 200 || r.status == 400 || r.status == 403) << r.status;
      EXPECT_FALSE(parse_object(r.body).empty() && r.status != 200) << r.body;
    }
  }
}

}  // namespace
}  // namespace twin::sim::http
