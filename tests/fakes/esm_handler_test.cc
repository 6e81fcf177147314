// The event source mapping feeding core::Handler (in-memory ports, the executor as its clock):
// the queue consumer of the production stack, end to end at unit level.
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include "core/handler.h"
#include "tests/fakes/esm_fixture.h"

namespace twin::fakes::esm {
namespace {

class EsmHandler : public EsmFixture {
 protected:
  EsmHandler()
      : handler_(
            core::Config{}, {executor_, ids_, queue_, registrations_, idempotency_, messenger_},
            core::Log(
                core::make_json_logger("core", std::make_shared<spdlog::sinks::null_sink_mt>()),
                executor_)),
        handler_code_(handler_) {}

  static std::string inbound(const std::string& sid) {
    return boost::json::serialize(boost::json::object{{"MessageSid", sid},
                                                      {"From", "whatsapp:+447700900123"},
                                                      {"To", "whatsapp:+14155238886"},
                                                      {"Body", "yes"}});
  }
  void start_consumer(const std::string& queue = "q") {
    create_function(function(), &handler_code_);
    auto c = mapping(queue);
    c.function_response_types = {"ReportBatchItemFailures"};
    start(c);
  }

  MemoryQueue queue_{ids_};
  MemoryRegistrationStore registrations_;
  MemoryIdempotencyStore idempotency_;
  MemoryMessenger messenger_;
  core::Handler handler_;
  lambda::HandlerFunctionCode handler_code_;
};

TEST_F(EsmHandler, TwentyMessagesAreProcessedExactlyOnceAndTheQueueEmpties) {
  std::string url = create("q");
  start_consumer();
  executor_.run_due();
  for (int i = 0; i < 20; ++i) {
    send(url, inbound("SM" + std::to_string(i)));
  }
  executor_.advance(60 * kSecond);
  EXPECT_EQ(registrations_.inbound().size(), 20u);
  EXPECT_EQ(esm_->metrics().records, 20);
  EXPECT_EQ(esm_->metrics().deletes, 20);
  EXPECT_EQ(esm_->metrics().failures, 0);
  EXPECT_EQ(lambda_.metrics("fn")->errors, 0);
  EXPECT_EQ(depth(url), 0);
}

TEST_F(EsmHandler, DuplicateDeliveryIsProcessedOnce) {
  std::string url = create("q");
  send(url, inbound("SM1"));
  send(url, inbound("SM1"));  // the same Twilio message delivered twice
  start_consumer();
  executor_.advance(60 * kSecond);
  EXPECT_EQ(registrations_.inbound().size(), 1u);
  EXPECT_EQ(idempotency_.size(), 1u);
  EXPECT_EQ(esm_->metrics().deletes, 2);  // both copies leave the queue
  EXPECT_EQ(depth(url), 0);
}

TEST_F(EsmHandler, APoisonRecordAloneIsRetriedAndEndsInTheDlq) {
  std::string dlq = create("dlq");
  std::string url = create(
      "q",
      {{"RedrivePolicy",
        R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":3})"}});
  send(url, inbound("SM1"));
  send(url, "not json");
  send(url, inbound("SM2"));
  start_consumer();
  executor_.advance(300 * kSecond);
  EXPECT_EQ(registrations_.inbound().size(), 2u);
  EXPECT_EQ(esm_->metrics().deletes, 2);
  EXPECT_EQ(esm_->metrics().failures, 3);  // the poison record, once per receive
  EXPECT_EQ(depth(url), 0);
  EXPECT_EQ(depth(dlq), 1);
}

TEST_F(EsmHandler, OnAFifoQueueAPoisonRecordHoldsItsGroupAndTakesItToTheDlq) {
  // The handler lists the rest of a failed group, so SA3 never overtakes the poison record: it
  // is received with it each time and shares its fate; group B is not held.
  std::string dlq = create("dlq.fifo", {{"FifoQueue", "true"}});
  std::string url =
      create("q.fifo", {{"FifoQueue", "true"},
                        {"ContentBasedDeduplication", "true"},
                        {"VisibilityTimeout", "30"},
                        {"RedrivePolicy", R"({"deadLetterTargetArn":)"
                                          R"("arn:aws:sqs:us-east-1:000000000000:dlq.fifo",)"
                                          R"("maxReceiveCount":2})"}});
  send(url, inbound("SA1"), "A");
  send(url, "not json", "A");
  send(url, inbound("SA3"), "A");
  send(url, inbound("SB1"), "B");
  start_consumer("q.fifo");
  executor_.advance(kSecond);
  EXPECT_EQ(registrations_.inbound().size(), 2u);  // SA1 and SB1
  send(url, inbound("SB2"), "B");
  executor_.advance(kSecond);
  EXPECT_EQ(registrations_.inbound().size(), 3u);  // B goes on while A waits
  executor_.advance(120 * kSecond);
  EXPECT_EQ(registrations_.inbound().size(), 3u);
  EXPECT_EQ(esm_->metrics().records, 7);   // [SA1 poison SA3 SB1], [SB2], [poison SA3]
  EXPECT_EQ(esm_->metrics().failures, 4);  // poison and SA3, twice
  EXPECT_EQ(depth(url), 0);
  EXPECT_EQ(depth(dlq), 2);
}

}  // namespace
}  // namespace twin::fakes::esm
