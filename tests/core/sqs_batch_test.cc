#include <gtest/gtest.h>

#include "tests/support/handler_harness.h"

namespace twin::testing {
namespace {
namespace json = boost::json;

core::SqsRecord record(std::string id, std::string body) {
  core::SqsRecord r;
  r.message_id = std::move(id);
  r.receipt_handle = "rh-" + r.message_id;
  r.body = std::move(body);
  r.attributes = {{"ApproximateReceiveCount", "1"}};
  r.event_source_arn = "arn:aws:sqs:eu-west-2:123456789012:webhook-queue";
  return r;
}

std::string message(std::string sid) {
  return json::serialize(json::object{{"MessageSid", sid},
                                      {"From", "whatsapp:+447700900123"},
                                      {"To", "whatsapp:+1"},
                                      {"Body", "ok"}});
}

json::object run(HandlerHarness& h, const core::SqsEvent& e) {
  auto out = h.handler().invoke(json::serialize(core::to_json(e)));
  EXPECT_TRUE(out.is_ok()) << out.status().to_string();
  return out.is_ok() ? json::parse(*out).as_object() : json::object{};
}

TEST(SqsBatch, PoisonRecordIsReportedAndTheRestProcessed) {
  HandlerHarness h;
  core::SqsEvent e{{record("m1", message("SM1")), record("m2", "not json"),
                    record("m3", message("SM3")), record("m4", R"({"From":"x","To":"y"})")}};
  json::object out = run(h, e);
  EXPECT_EQ(json::serialize(out),
            R"({"batchItemFailures":[{"itemIdentifier":"m2"},{"itemIdentifier":"m4"}]})");
  EXPECT_EQ(h.registrations.inbound().size(), 2u);
}

TEST(SqsBatch, AllGoodIsAnEmptyFailureList) {
  HandlerHarness h;
  json::object out = run(h, {{record("m1", message("SM1"))}});
  EXPECT_EQ(json::serialize(out), R"({"batchItemFailures":[]})");
}

TEST(SqsBatch, DuplicateDeliveryIsProcessedOnce) {
  HandlerHarness h;
  run(h, {{record("m1", message("SM1")), record("m1-again", message("SM1"))}});
  EXPECT_EQ(h.registrations.inbound().size(), 1u);
  EXPECT_NE(h.sink->all().find("duplicate message ignored"), std::string::npos);
}

class FailingIdempotency : public core::ForwardingIdempotencyStore {
 public:
  using ForwardingIdempotencyStore::ForwardingIdempotencyStore;
  core::Status record(std::string_view, core::TimeUs) override {
    return core::unavailable("database is locked");
  }
};

TEST(SqsBatch, StoreErrorFailsTheRecordSoItIsRetried) {
  HandlerHarness h;
  FailingIdempotency failing(h.idempotency);
  h.idempotency_port = &failing;
  json::object out = run(h, {{record("m1", message("SM1"))}});
  EXPECT_EQ(json::serialize(out), R"({"batchItemFailures":[{"itemIdentifier":"m1"}]})");
}

TEST(SqsBatch, QueuedWebhookRoundTripsThroughTheConsumer) {
  core::Config c = HandlerHarness::default_config();
  c.webhook_queue_enabled = true;
  HandlerHarness h(c);
  h.call(proxy_event("/webhook", message("SM9"), {{"Content-Type", "application/json"}}));
  ASSERT_EQ(h.queue.messages().size(), 1u);
  run(h, {{record(h.queue.messages()[0].message_id, h.queue.messages()[0].body)}});
  ASSERT_EQ(h.registrations.inbound().size(), 1u);
  EXPECT_EQ(h.registrations.inbound().begin()->second.received_at_us, kStartUs);
}

core::SqsRecord fifo_record(std::string id, std::string body, std::string group) {
  core::SqsRecord r = record(std::move(id), std::move(body));
  r.event_source_arn = "arn:aws:sqs:eu-west-2:123456789012:webhook-queue.fifo";
  r.attributes.emplace_back("MessageGroupId", std::move(group));
  return r;
}

TEST(SqsBatch, FifoFailureListsTheRestOfItsGroupUnprocessed) {
  HandlerHarness h;
  core::SqsEvent e{{fifo_record("a1", message("SA1"), "A"), fifo_record("b1", message("SB1"), "B"),
                    fifo_record("a2", "not json", "A"), fifo_record("b2", message("SB2"), "B"),
                    fifo_record("a3", message("SA3"), "A"),
                    fifo_record("a4", message("SA4"), "A")}};
  json::object out = run(h, e);
  EXPECT_EQ(json::serialize(out),
            R"({"batchItemFailures":[{"itemIdentifier":"a2"},{"itemIdentifier":"a3"},)"
            R"({"itemIdentifier":"a4"}]})");
  // a1, b1 and b2 were applied; a3 and a4 wait for a2's retry.
  EXPECT_EQ(h.registrations.inbound().size(), 3u);
  EXPECT_EQ(h.idempotency.size(), 3u);
  EXPECT_NE(h.sink->all().find("record held back behind a failed one of its message group"),
            std::string::npos);
}

TEST(SqsBatch, StandardQueueRecordsFailAloneEvenWithAGroupId) {
  // A MessageGroupId on a standard queue (fair queues) promises no order: nothing is held back.
  HandlerHarness h;
  core::SqsRecord a1 = record("a1", "not json");
  a1.attributes.emplace_back("MessageGroupId", "A");
  core::SqsRecord a2 = record("a2", message("SA2"));
  a2.attributes.emplace_back("MessageGroupId", "A");
  json::object out = run(h, {{a1, a2}});
  EXPECT_EQ(json::serialize(out), R"({"batchItemFailures":[{"itemIdentifier":"a1"}]})");
  EXPECT_EQ(h.registrations.inbound().size(), 1u);
}

TEST(SqsBatch, RecordWithoutMessageIdIsAnEventError) {
  HandlerHarness h;
  auto out = h.handler().invoke(R"({"Records":[{"body":"x"}]})");
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().message(), "$.Records[0].messageId: required");
}

}  // namespace
}  // namespace twin::testing
