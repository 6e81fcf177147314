// Queue operations: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue,
// Get/SetQueueAttributes, ListDeadLetterSourceQueues (reference 3.2, 3.3, 3.10).
#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::sqs {
namespace {

using SqsQueue = SqsFixture;

TEST_F(SqsQueue, CreateReturnsUrlInAwsShapeAndDefaults) {
  std::string url = create("q1");
  EXPECT_EQ(url, "https://sqs.us-east-1.amazonaws.com/000000000000/q1");
  auto all = sqs_->get_queue_attributes({url, {"All"}});
  ASSERT_TRUE(all.is_ok());
  AttributeMap expected = {{"ApproximateNumberOfMessages", "0"},
                           {"ApproximateNumberOfMessagesDelayed", "0"},
                           {"ApproximateNumberOfMessagesNotVisible", "0"},
                           {"CreatedTimestamp", "1767225600"},
                           {"DelaySeconds", "0"},
                           {"LastModifiedTimestamp", "1767225600"},
                           {"MaximumMessageSize", "1048576"},
                           {"MessageRetentionPeriod", "345600"},
                           {"QueueArn", "arn:aws:sqs:us-east-1:000000000000:q1"},
                           {"ReceiveMessageWaitTimeSeconds", "0"},
                           {"SqsManagedSseEnabled", "true"},
                           {"VisibilityTimeout", "30"}};
  EXPECT_EQ(all->attributes, expected);
  auto none = sqs_->get_queue_attributes({url, {}});
  ASSERT_TRUE(none.is_ok());
  EXPECT_TRUE(none->attributes.empty());
}

TEST_F(SqsQueue, CreateAgainSameAttributesIsSameQueueDifferentIsQueueNameExists) {
  std::string url = create("q", {{"DelaySeconds", "5"}});
  EXPECT_EQ(create("q", {{"DelaySeconds", "5"}}), url);
  auto again = sqs_->create_queue({"q", {{"DelaySeconds", "6"}}, {}});
  EXPECT_AWS_ERROR(again.status(), kQueueAlreadyExists, 400);
  EXPECT_EQ(again.status().message(),
            "A queue already exists with the same name and a different value for attribute "
            "DelaySeconds");
  EXPECT_EQ(sqs_error_type(again.status().aws_code()), "QueueNameExists");
}

TEST_F(SqsQueue, CreateRejectsBadNamesAndAttributes) {
  EXPECT_AWS_ERROR(sqs_->create_queue({"", {}, {}}).status(), kMissingParameter, 400);
  EXPECT_AWS_ERROR(sqs_->create_queue({"bad name", {}, {}}).status(), kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(sqs_->create_queue({std::string(81, 'a'), {}, {}}).status(),
                   kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(sqs_->create_queue({"a.fifo", {}, {}}).status(), kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(sqs_->create_queue({"a", {{"FifoQueue", "true"}}, {}}).status(),
                   kInvalidParameterValue, 400);
  struct Bad {
    std::string name, value;
  };
  for (const Bad& b :
       {Bad{"VisibilityTimeout", "43201"}, Bad{"VisibilityTimeout", "-1"},
        Bad{"VisibilityTimeout", "x"}, Bad{"DelaySeconds", "901"},
        Bad{"MaximumMessageSize", "1023"}, Bad{"MaximumMessageSize", "1048577"},
        Bad{"MessageRetentionPeriod", "59"}, Bad{"MessageRetentionPeriod", "1209601"},
        Bad{"ReceiveMessageWaitTimeSeconds", "21"}}) {
    auto r = sqs_->create_queue({"q", {{b.name, b.value}}, {}});
    EXPECT_AWS_ERROR(r.status(), kInvalidAttributeValue, 400);
    EXPECT_EQ(r.status().message(), "Invalid value for the parameter " + b.name + ".");
  }
  auto unknown = sqs_->create_queue({"q", {{"Colour", "blue"}}, {}});
  EXPECT_AWS_ERROR(unknown.status(), kInvalidAttributeName, 400);
  EXPECT_EQ(unknown.status().message(), "Unknown Attribute Colour.");
  auto fifo_attr = sqs_->create_queue({"q", {{"ContentBasedDeduplication", "true"}}, {}});
  EXPECT_AWS_ERROR(fifo_attr.status(), kInvalidAttributeName, 400);
  EXPECT_EQ(sqs_->list_queues({})->queue_urls.size(), 0u);  // nothing half-created
}

TEST_F(SqsQueue, GetQueueUrl) {
  std::string url = create("q");
  EXPECT_EQ(sqs_->get_queue_url({"q", std::nullopt})->queue_url, url);
  EXPECT_AWS_ERROR(sqs_->get_queue_url({"nope", std::nullopt}).status(), kNonExistentQueue, 400);
  EXPECT_AWS_ERROR(sqs_->get_queue_url({"q", "123456789012"}).status(), kNonExistentQueue, 400);
  EXPECT_AWS_ERROR(sqs_->get_queue_url({"", std::nullopt}).status(), kMissingParameter, 400);
  auto missing = sqs_->get_queue_url({"nope", std::nullopt});
  EXPECT_EQ(missing.status().message(), "The specified queue does not exist.");
  EXPECT_EQ(sqs_error_type(missing.status().aws_code()), "QueueDoesNotExist");
}

TEST_F(SqsQueue, ListQueuesPrefixAndPaging) {
  for (auto name : {"b1", "a1", "a2", "a3"}) create(name);
  auto all = sqs_->list_queues({});
  ASSERT_TRUE(all.is_ok());
  EXPECT_EQ(all->queue_urls.size(), 4u);
  EXPECT_FALSE(all->next_token.has_value());
  auto page1 = sqs_->list_queues({"a", 2, std::nullopt});
  ASSERT_TRUE(page1.is_ok());
  ASSERT_EQ(page1->queue_urls.size(), 2u);
  EXPECT_EQ(page1->queue_urls[0], "https://sqs.us-east-1.amazonaws.com/000000000000/a1");
  ASSERT_TRUE(page1->next_token.has_value());
  auto page2 = sqs_->list_queues({"a", 2, page1->next_token});
  ASSERT_TRUE(page2.is_ok());
  ASSERT_EQ(page2->queue_urls.size(), 1u);
  EXPECT_EQ(page2->queue_urls[0], "https://sqs.us-east-1.amazonaws.com/000000000000/a3");
  EXPECT_FALSE(page2->next_token.has_value());
  EXPECT_AWS_ERROR(sqs_->list_queues({std::nullopt, 0, std::nullopt}).status(),
                   kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(sqs_->list_queues({std::nullopt, 1001, std::nullopt}).status(),
                   kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(sqs_->list_queues({std::nullopt, 5, "!!"}).status(), kInvalidParameterValue,
                   400);
}

TEST_F(SqsQueue, DeleteQueueThenRecreateWaitsSixtySeconds) {
  std::string url = create("q");
  send(url, "hello");
  ASSERT_TRUE(sqs_->delete_queue({url}).is_ok());
  EXPECT_AWS_ERROR(sqs_->delete_queue({url}), kNonExistentQueue, 400);
  EXPECT_AWS_ERROR(sqs_->send_message({url, "x", {}, {}, {}, {}, {}}).status(), kNonExistentQueue,
                   400);
  executor_.advance(59 * kSecond);
  EXPECT_AWS_ERROR(sqs_->create_queue({"q", {}, {}}).status(), kQueueDeletedRecently, 400);
  executor_.advance(kSecond);
  std::string again = create("q");
  EXPECT_EQ(again, url);
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "0");
}

TEST_F(SqsQueue, QueueUrlMustNameOurAccount) {
  create("q");
  EXPECT_AWS_ERROR(sqs_->purge_queue({"http://localhost:4566/111111111111/q"}), kNonExistentQueue,
                   400);
  EXPECT_TRUE(sqs_->purge_queue({"http://localhost:4566/000000000000/q"}).is_ok());
  EXPECT_AWS_ERROR(sqs_->purge_queue({""}), kMissingParameter, 400);
}

TEST_F(SqsQueue, PurgeDeletesEverythingAndOnlyOncePerMinute) {
  std::string url = create("q");
  send(url, "a");
  send(url, "b");
  receive(url, 1);
  ASSERT_TRUE(sqs_->purge_queue({url}).is_ok());
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesNotVisible"), "0");
  executor_.advance(59 * kSecond);
  auto again = sqs_->purge_queue({url});
  EXPECT_AWS_ERROR(again, kPurgeQueueInProgress, 403);
  EXPECT_EQ(again.message(), "Only one PurgeQueue operation on q is allowed every 60 seconds.");
  executor_.advance(kSecond);
  EXPECT_TRUE(sqs_->purge_queue({url}).is_ok());
}

TEST_F(SqsQueue, SetAttributesValidatesAndStampsLastModified) {
  std::string url = create("q");
  executor_.advance(10 * kSecond);
  ASSERT_TRUE(sqs_->set_queue_attributes({url, {{"VisibilityTimeout", "45"}}}).is_ok());
  EXPECT_EQ(attribute(url, "VisibilityTimeout"), "45");
  EXPECT_EQ(attribute(url, "LastModifiedTimestamp"), "1767225610");
  EXPECT_AWS_ERROR(sqs_->set_queue_attributes({url, {{"VisibilityTimeout", "43201"}}}),
                   kInvalidAttributeValue, 400);
  EXPECT_AWS_ERROR(sqs_->set_queue_attributes({url, {{"QueueArn", "x"}}}), kInvalidAttributeName,
                   400);
  EXPECT_AWS_ERROR(sqs_->set_queue_attributes({url, {{"FifoQueue", "true"}}}),
                   kInvalidAttributeName, 400);
  EXPECT_AWS_ERROR(sqs_->set_queue_attributes({url, {}}), kMissingParameter, 400);
  // A bad attribute among good ones changes nothing.
  EXPECT_FALSE(
      sqs_->set_queue_attributes({url, {{"DelaySeconds", "5"}, {"VisibilityTimeout", "x"}}})
          .is_ok());
  EXPECT_EQ(attribute(url, "DelaySeconds"), "0");
  EXPECT_AWS_ERROR(sqs_->get_queue_attributes({url, {"Nope"}}).status(), kInvalidAttributeName,
                   400);
  EXPECT_AWS_ERROR(sqs_->get_queue_attributes({url, {"FifoQueue"}}).status(), kInvalidAttributeName,
                   400);
}

TEST_F(SqsQueue, FifoQueueTypeCannotChange) {
  std::string url = create("q.fifo", {{"FifoQueue", "true"}});
  EXPECT_EQ(attribute(url, "FifoQueue"), "true");
  EXPECT_EQ(attribute(url, "ContentBasedDeduplication"), "false");
  auto s = sqs_->set_queue_attributes({url, {{"FifoQueue", "false"}}});
  EXPECT_AWS_ERROR(s, kInvalidAttributeValue, 400);
  EXPECT_EQ(s.message(),
            "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not "
            "supported.");
  ASSERT_TRUE(sqs_->set_queue_attributes({url, {{"ContentBasedDeduplication", "true"}}}).is_ok());
  EXPECT_AWS_ERROR(sqs_->set_queue_attributes({url, {{"ContentBasedDeduplication", "yes"}}}),
                   kInvalidAttributeValue, 400);
}

TEST_F(SqsQueue, RedrivePolicyRules) {
  std::string dlq = create("dlq");
  std::string url = create("q");
  std::string arn = "arn:aws:sqs:us-east-1:000000000000:dlq";
  auto set = [&](const std::string& policy) {
    return sqs_->set_queue_attributes({url, {{"RedrivePolicy", policy}}});
  };
  ASSERT_TRUE(set(R"({"deadLetterTargetArn":")" + arn + R"(","maxReceiveCount":"42"})").is_ok());
  EXPECT_EQ(attribute(url, "RedrivePolicy"),
            R"({"deadLetterTargetArn":")" + arn + R"(","maxReceiveCount":42})");
  EXPECT_AWS_ERROR(set(R"({"maxReceiveCount":3})"), kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(set(R"({"deadLetterTargetArn":")" + arn + R"("})"), kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(set(R"({"deadLetterTargetArn":")" + arn + R"(","maxReceiveCount":"x"})"),
                   kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(set(R"({"deadLetterTargetArn":")" + arn + R"(","maxReceiveCount":1001})"),
                   kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(set(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:nope",)"
                       R"("maxReceiveCount":1})"),
                   kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(set("not json"), kInvalidParameterValue, 400);
  auto sources = sqs_->list_dead_letter_source_queues({dlq, std::nullopt, std::nullopt});
  ASSERT_TRUE(sources.is_ok());
  EXPECT_EQ(sources->queue_urls, std::vector<std::string>{url});
  ASSERT_TRUE(set("").is_ok());  // "" removes the policy
  auto none = sqs_->get_queue_attributes({url, {"RedrivePolicy"}});
  EXPECT_TRUE(none->attributes.empty());
  EXPECT_TRUE(sqs_->list_dead_letter_source_queues({dlq, {}, {}})->queue_urls.empty());
  EXPECT_AWS_ERROR(sqs_->list_dead_letter_source_queues({"", {}, {}}).status(), kMissingParameter,
                   400);
}

TEST_F(SqsQueue, CountersTrackVisibleInFlightAndDelayed) {
  std::string url = create("q");
  send(url, "a");
  send(url, "b");
  SendMessageRequest delayed{url, "c", 10, {}, {}, {}, {}};
  ASSERT_TRUE(sqs_->send_message(delayed).is_ok());
  receive(url, 1);
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessages"), "1");
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesNotVisible"), "1");
  EXPECT_EQ(attribute(url, "ApproximateNumberOfMessagesDelayed"), "1");
}

}  // namespace
}  // namespace twin::fakes::sqs

namespace twin::fakes::sqs {
namespace {

using SqsQueueUrl = SqsFixture;

// Every operation that takes a QueueUrl: absent is MissingParameter, unknown NonExistentQueue.
TEST_F(SqsQueueUrl, EveryOperationRefusesAMissingOrUnknownQueueUrl) {
  const std::string unknown = "https://sqs.us-east-1.amazonaws.com/000000000000/nope";
  for (const std::string& url : {std::string(), unknown}) {
    SCOPED_TRACE(url.empty() ? "empty QueueUrl" : "unknown QueueUrl");
    std::string_view code = url.empty() ? kMissingParameter : kNonExistentQueue;
    ReceiveMessageRequest receive;
    receive.queue_url = url;
    SendMessageBatchRequestEntry entry;
    entry.id = "a";
    entry.message_body = "x";
    std::vector<std::pair<const char*, core::Status>> results = {
        {"DeleteQueue", sqs_->delete_queue({url})},
        {"PurgeQueue", sqs_->purge_queue({url})},
        {"GetQueueAttributes", sqs_->get_queue_attributes({url, {"All"}}).status()},
        {"SetQueueAttributes", sqs_->set_queue_attributes({url, {{"DelaySeconds", "1"}}})},
        {"ListDeadLetterSourceQueues",
         sqs_->list_dead_letter_source_queues({url, std::nullopt, std::nullopt}).status()},
        {"SendMessage", sqs_->send_message({url, "x", {}, {}, {}, {}, {}}).status()},
        {"SendMessageBatch", sqs_->send_message_batch({url, {entry}}).status()},
        {"ReceiveMessage", sqs_->receive_message(receive).status()},
        {"DeleteMessage", sqs_->delete_message({url, "handle"})},
        {"DeleteMessageBatch", sqs_->delete_message_batch({url, {{"a", "handle"}}}).status()},
        {"ChangeMessageVisibility", sqs_->change_message_visibility({url, "handle", 5})},
        {"ChangeMessageVisibilityBatch",
         sqs_->change_message_visibility_batch({url, {{"a", "handle", 5}}}).status()},
    };
    for (const auto& [operation, status] : results) {
      SCOPED_TRACE(operation);
      EXPECT_AWS_ERROR(status, code, 400);
    }
  }
}

TEST_F(SqsQueueUrl, ListDeadLetterSourceQueuesPagesAndValidates) {
  std::string dlq = create("dlq");
  const std::string policy =
      R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":3})";
  for (const char* name : {"a", "b", "c"}) create(name, {{"RedrivePolicy", policy}});
  create("unrelated");
  EXPECT_AWS_ERROR(sqs_->list_dead_letter_source_queues({dlq, 0, std::nullopt}).status(),
                   kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(sqs_->list_dead_letter_source_queues({dlq, 1001, std::nullopt}).status(),
                   kInvalidParameterValue, 400);
  EXPECT_AWS_ERROR(
      sqs_->list_dead_letter_source_queues({dlq, std::nullopt, std::string("not base64!")})
          .status(),
      kInvalidParameterValue, 400);
  auto first = sqs_->list_dead_letter_source_queues({dlq, 2, std::nullopt});
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  ASSERT_EQ(first->queue_urls.size(), 2u);
  ASSERT_TRUE(first->next_token.has_value());
  auto rest = sqs_->list_dead_letter_source_queues({dlq, 2, first->next_token});
  ASSERT_TRUE(rest.is_ok());
  ASSERT_EQ(rest->queue_urls.size(), 1u);
  EXPECT_FALSE(rest->next_token.has_value());
  EXPECT_NE(rest->queue_urls[0].find("/c"), std::string::npos);
}

}  // namespace
}  // namespace twin::fakes::sqs
