// The SQS event source mapping: every rule of fakes/esm/event_source_mapping.h with exact
// counts, on a manual executor.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/fakes/esm_fixture.h"

namespace twin::fakes::esm {
namespace {

constexpr core::DurationUs kMs = core::kMicrosPerMilli;

class Esm : public EsmFixture {};

std::string attribute_of(const core::SqsRecord& r, std::string_view name) {
  for (const auto& [k, v] : r.attributes) {
    if (k == name) return v;
  }
  return "";
}

TEST_F(Esm, CreateValidatesAsAws) {
  create("q", {{"VisibilityTimeout", "30"}});
  lambda::FunctionConfig f = function();
  f.timeout_s = 60;
  create_function(f);
  auto c = mapping();
  auto r = try_start(c);
  EXPECT_EQ(r.status().aws_code(), "InvalidParameterValueException");
  EXPECT_EQ(r.status().message(),
            "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds");
  c.batch_size = 0;
  r = try_start(c);
  EXPECT_EQ(r.status().aws_code(), "ValidationException");
  EXPECT_EQ(r.status().message(),
            "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1");
  c.batch_size = 10'001;
  c.maximum_batching_window_in_seconds = 1;
  EXPECT_NE(try_start(c).status().message().find("less than or equal to 10000"), std::string::npos);
  c.batch_size = 11;
  c.maximum_batching_window_in_seconds = 0;
  r = try_start(c);
  EXPECT_EQ(r.status().aws_code(), "InvalidParameterValueException");
  EXPECT_EQ(r.status().message(),
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is "
            "greater than 10");
  c = mapping();
  c.maximum_batching_window_in_seconds = 301;
  EXPECT_NE(try_start(c).status().message().find("'maximumBatchingWindowInSeconds'"),
            std::string::npos);
  c = mapping();
  c.maximum_concurrency = 1;
  EXPECT_NE(try_start(c).status().message().find("'scalingConfig.maximumConcurrency'"),
            std::string::npos);
  c = mapping();
  c.function_response_types = {"Partial"};
  EXPECT_EQ(try_start(c).status().aws_code(), "ValidationException");
  c = mapping("missing");
  r = try_start(c);
  EXPECT_EQ(r.status().message(),
            "Error occurred while ReceiveMessage. SQS Error Code: "
            "AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does "
            "not exist.");
  c = mapping();
  c.function_name = "nope";
  EXPECT_EQ(try_start(c).status().aws_code(), "ResourceNotFoundException");
  c = mapping();
  c.event_source_arn = "queue-url";
  EXPECT_EQ(try_start(c).status().aws_code(), "ValidationException");
  executor_.advance(60 * kSecond);
  EXPECT_EQ(sqs_->waiting_receives(), 0u);  // a refused mapping polls nothing
}

TEST_F(Esm, WindowZeroInvokesWhatOneReceiveReturnsAndDeletesIt) {
  std::string url = create("q");
  create_function(function());
  for (int i = 0; i < 25; ++i) send(url, "m" + std::to_string(i));
  start(mapping());
  executor_.advance(kSecond);
  ASSERT_EQ(code_.calls.size(), 3u);
  EXPECT_EQ(code_.calls[0].records.size(), 10u);
  EXPECT_EQ(code_.calls[1].records.size(), 10u);
  EXPECT_EQ(code_.calls[2].records.size(), 5u);
  const core::SqsRecord& rec = code_.calls[0].records[0];
  EXPECT_EQ(rec.body, "m0");
  EXPECT_EQ(rec.event_source, "aws:sqs");
  EXPECT_EQ(rec.event_source_arn, arn("q"));
  EXPECT_EQ(rec.aws_region, "us-east-1");
  EXPECT_EQ(rec.md5_of_body, "ced6bfe1f650f6b338594d37eb7850d2");  // MD5 of "m0"
  EXPECT_FALSE(rec.receipt_handle.empty());
  EXPECT_EQ(rec.attributes.size(), 4u);  // ApproximateReceiveCount, SentTimestamp, ...
  EXPECT_EQ(esm_->metrics().batches, 3);
  EXPECT_EQ(esm_->metrics().records, 25);
  EXPECT_EQ(esm_->metrics().deletes, 25);
  EXPECT_EQ(esm_->metrics().failures, 0);
  EXPECT_EQ(depth(url), 0);
}

TEST_F(Esm, BatchingWindowGathersUntilItEnds) {
  std::string url = create("q");
  create_function(function());
  for (int i = 0; i < 12; ++i) send(url, "a");
  auto c = mapping();
  c.batch_size = 50;
  c.maximum_batching_window_in_seconds = 5;
  start(c);
  executor_.advance(kSecond);
  EXPECT_TRUE(code_.calls.empty());
  for (int i = 0; i < 3; ++i) send(url, "b");
  executor_.advance(10 * kSecond);
  ASSERT_EQ(code_.calls.size(), 1u);
  EXPECT_EQ(code_.calls[0].records.size(), 15u);
  EXPECT_EQ(code_.calls[0].at, kStartUs + 5 * kSecond);
  EXPECT_EQ(esm_->metrics().deletes, 15);
}

TEST_F(Esm, BatchingWindowStopsEarlyWhenTheBatchIsFull) {
  std::string url = create("q");
  create_function(function());
  for (int i = 0; i < 25; ++i) send(url, "a");
  auto c = mapping();
  c.batch_size = 20;
  c.maximum_batching_window_in_seconds = 60;
  start(c);
  executor_.run_due();
  ASSERT_EQ(code_.calls.size(), 1u);
  EXPECT_EQ(code_.calls[0].records.size(), 20u);
  EXPECT_EQ(code_.calls[0].at, kStartUs);
}

TEST_F(Esm, PartialBatchFailureLeavesOnlyTheFailedMessages) {
  std::string url = create("q");
  create_function(function());
  code_.respond = [](const core::SqsEvent& e) -> core::Result<std::string> {
    core::SqsBatchResponse r;
    for (const auto& rec : e.records) {
      if (rec.body == "bad" && attribute_of(rec, "ApproximateReceiveCount") == "1") {
        r.batch_item_failures.push_back(rec.message_id);
      }
    }
    return core::serialize(r);
  };
  send(url, "ok1");
  send(url, "bad");
  send(url, "ok2");
  auto c = mapping();
  c.function_response_types = {"ReportBatchItemFailures"};
  start(c);
  executor_.advance(kSecond);
  EXPECT_EQ(esm_->metrics().deletes, 2);
  EXPECT_EQ(esm_->metrics().failures, 1);
  EXPECT_EQ(depth(url), 1);
  executor_.advance(30 * kSecond);  // the queue's visibility timeout
  ASSERT_EQ(code_.calls.size(), 2u);
  ASSERT_EQ(code_.calls[1].records.size(), 1u);
  EXPECT_EQ(code_.calls[1].records[0].body, "bad");
  EXPECT_EQ(attribute_of(code_.calls[1].records[0], "ApproximateReceiveCount"), "2");
  EXPECT_EQ(esm_->metrics().deletes, 3);
  EXPECT_EQ(depth(url), 0);
}

struct WholeBatchCase {
  const char* name;
  const char* response;  // nullptr: the function fails
  bool succeeds;
};

class EsmResponse : public EsmFixture, public ::testing::WithParamInterface<WholeBatchCase> {};

TEST_P(EsmResponse, ReadAsReportBatchItemFailuresSays) {
  const WholeBatchCase& p = GetParam();
  std::string url = create("q");
  create_function(function());
  code_.respond = [&p](const core::SqsEvent& e) -> core::Result<std::string> {
    if (!p.response) return core::internal_error("boom");
    std::string r = p.response;
    if (auto at = r.find("$ID"); at != std::string::npos) r.replace(at, 3, e.records[0].message_id);
    return r;
  };
  send(url, "x");
  send(url, "y");
  auto c = mapping();
  c.function_response_types = {"ReportBatchItemFailures"};
  start(c);
  executor_.advance(kSecond);
  EXPECT_EQ(esm_->metrics().deletes, p.succeeds ? 2 : 0);
  EXPECT_EQ(esm_->metrics().failures, p.succeeds ? 0 : 2);
  executor_.advance(30 * kSecond);
  EXPECT_EQ(code_.calls.size(), p.succeeds ? 1u : 2u);  // a failed batch comes back whole
  if (!p.succeeds) {
    EXPECT_EQ(code_.calls[1].records.size(), 2u);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EsmResponse,
    ::testing::Values(
        WholeBatchCase{"EmptyList", R"({"batchItemFailures":[]})", true},
        WholeBatchCase{"NullList", R"({"batchItemFailures":null})", true},
        WholeBatchCase{"EmptyObject", "{}", true}, WholeBatchCase{"Null", "null", true},
        WholeBatchCase{"Empty", "", true},
        WholeBatchCase{"UnknownId", R"({"batchItemFailures":[{"itemIdentifier":"nope"}]})", false},
        WholeBatchCase{"BadKey", R"({"batchItemFailures":[{"foo":"notvalid"}]})", false},
        WholeBatchCase{"EmptyId", R"({"batchItemFailures":[{"itemIdentifier":""}]})", false},
        WholeBatchCase{"NotJson", "{oops", false},
        WholeBatchCase{"ListNotArray", R"({"batchItemFailures":"x"})", false},
        WholeBatchCase{"FunctionError", nullptr, false}),
    [](const ::testing::TestParamInfo<WholeBatchCase>& case_info) {
      return std::string(case_info.param.name);
    });

TEST_F(Esm, WithoutReportBatchItemFailuresTheResponseIsIgnored) {
  std::string url = create("q");
  create_function(function());
  code_.respond = [](const core::SqsEvent& e) -> core::Result<std::string> {
    return R"({"batchItemFailures":[{"itemIdentifier":")" + e.records[0].message_id + R"("}]})";
  };
  send(url, "x");
  start(mapping());
  executor_.advance(kSecond);
  EXPECT_EQ(esm_->metrics().deletes, 1);
  EXPECT_EQ(depth(url), 0);
}

TEST_F(Esm, TimeoutLeavesTheBatchToReappear) {
  std::string url = create("q");
  lambda::FunctionConfig f = function(5 * kSecond);
  f.timeout_s = 2;
  create_function(f);
  send(url, "slow");
  start(mapping());
  executor_.advance(3 * kSecond);
  EXPECT_EQ(lambda_.metrics("fn")->timeouts, 1);
  EXPECT_EQ(esm_->metrics().failures, 1);
  EXPECT_EQ(esm_->metrics().deletes, 0);
  EXPECT_EQ(depth(url), 1);
  executor_.advance(30 * kSecond);
  EXPECT_EQ(code_.received("slow"), 2u);
}

// Two messages, one at a time, into a function with one execution slot that runs for
// `duration`: the second message's poller is throttled while the first one runs.
std::string start_two_messages_on_one_slot(Esm& t, core::DurationUs duration, int timeout_s) {
  std::string url = t.create("q");
  lambda::FunctionConfig f = t.function(duration);
  f.timeout_s = timeout_s;
  f.reserved_concurrent_executions = 1;
  t.create_function(f);
  t.send(url, "m1");
  t.send(url, "m2");
  auto c = t.mapping();
  c.batch_size = 1;
  t.start(c);
  return url;
}

TEST_F(Esm, ThrottledBatchIsRetriedWithBackoffUntilTheVisibilityTimeout) {
  std::string url = start_two_messages_on_one_slot(*this, 24 * kSecond, 25);
  executor_.advance(29 * kSecond);
  // m2's poller was throttled at 0, 1, 3, 7, 15 and 23 s; the next retry (31 s) would start
  // after m2's receive plus the 30 s visibility timeout, so it gave up.
  EXPECT_EQ(esm_->metrics().throttles, 6);
  EXPECT_EQ(lambda_.metrics("fn")->throttles, 6);
  EXPECT_EQ(esm_->metrics().failures, 1);
  EXPECT_EQ(esm_->metrics().deletes, 1);
  executor_.advance(30 * kSecond);  // m2 reappears at 30 s and runs from 30 to 54 s
  EXPECT_EQ(esm_->metrics().deletes, 2);
  EXPECT_EQ(esm_->metrics().invokes, 8);
  EXPECT_EQ(depth(url), 0);
}

// The batch keeps its event: a retry after a throttle invokes the same records (same receipt
// handle, receive count unchanged), and the handle still deletes the message afterwards.
TEST_F(Esm, ThrottledBatchRetriedLaterCarriesTheSameRecords) {
  std::string url = start_two_messages_on_one_slot(*this, 2 * kSecond, 3);
  executor_.advance(10 * kSecond);
  // m2 was throttled at 0 and 1 s (m1 ran from 0 to 2 s) and ran at 3 s.
  EXPECT_EQ(esm_->metrics().throttles, 2);
  ASSERT_EQ(code_.calls.size(), 2u);
  EXPECT_EQ(code_.calls[1].at, kStartUs + 3 * kSecond);
  ASSERT_EQ(code_.calls[1].records.size(), 1u);
  const core::SqsRecord& m2 = code_.calls[1].records[0];
  EXPECT_EQ(m2.body, "m2");
  EXPECT_NE(std::find(m2.attributes.begin(), m2.attributes.end(),
                      std::pair<std::string, std::string>{"ApproximateReceiveCount", "1"}),
            m2.attributes.end());
  EXPECT_FALSE(m2.receipt_handle.empty());
  EXPECT_EQ(esm_->metrics().deletes, 2);
  EXPECT_EQ(depth(url), 0);
}

TEST_F(Esm, ScalesFromFivePollersUpToMaximumConcurrency) {
  std::string url = create("q");
  lambda::FunctionConfig f = function(10 * kSecond);
  f.timeout_s = 15;
  create_function(f);
  for (int i = 0; i < 300; ++i) send(url, "m");
  auto c = mapping();
  c.maximum_concurrency = 12;
  start(c);
  executor_.run_due();
  EXPECT_EQ(esm_->pollers(), 10);  // 5, then one step of 5 once all five were busy
  executor_.advance(10 * kSecond);
  EXPECT_EQ(esm_->pollers(), 12);  // capped by MaximumConcurrency
  executor_.advance(600 * kSecond);
  EXPECT_EQ(esm_->metrics().pollers_max, 12);
  EXPECT_EQ(lambda_.metrics("fn")->concurrency_max, 12);
  EXPECT_EQ(lambda_.metrics("fn")->throttles, 0);
  EXPECT_EQ(esm_->metrics().deletes, 300);
  EXPECT_EQ(esm_->pollers(), 5);  // back to the initial five once the queue is empty
}

TEST_F(Esm, ScalingStopsAtTheFunctionsReservedConcurrency) {
  std::string url = create("q");
  lambda::FunctionConfig f = function(10 * kSecond);
  f.timeout_s = 15;
  f.reserved_concurrent_executions = 7;
  create_function(f);
  for (int i = 0; i < 300; ++i) send(url, "m");
  start(mapping());
  executor_.advance(600 * kSecond);
  EXPECT_EQ(esm_->metrics().pollers_max, 7);
  EXPECT_EQ(lambda_.metrics("fn")->concurrency_max, 7);
  EXPECT_EQ(esm_->metrics().deletes, 300);
}

TEST_F(Esm, PoisonMessageReachesTheDlqAfterMaxReceiveCount) {
  std::string dlq = create("dlq");
  std::string url = create(
      "q",
      {{"RedrivePolicy",
        R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":2})"}});
  create_function(function());
  code_.respond = [](const core::SqsEvent& e) -> core::Result<std::string> {
    if (e.records[0].body == "poison") return core::internal_error("cannot read it");
    return std::string("{}");
  };
  send(url, "poison");
  send(url, "good");
  auto c = mapping();
  c.batch_size = 1;
  start(c);
  executor_.advance(120 * kSecond);
  EXPECT_EQ(code_.received("poison"), 2u);
  EXPECT_EQ(code_.received("good"), 1u);
  EXPECT_EQ(depth(url), 0);
  auto moved = receive(dlq);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].body, "poison");
  EXPECT_EQ(esm_->metrics().failures, 2);
  EXPECT_EQ(esm_->metrics().deletes, 1);
}

TEST_F(Esm, DestroyingTheMappingStopsItsPollers) {
  std::string url = create("q");
  create_function(function());
  start(mapping());
  executor_.run_due();
  EXPECT_EQ(sqs_->waiting_receives(), 5u);
  esm_.reset();
  send(url, "after");
  executor_.advance(60 * kSecond);
  EXPECT_TRUE(code_.calls.empty());
}

}  // namespace
}  // namespace twin::fakes::esm
