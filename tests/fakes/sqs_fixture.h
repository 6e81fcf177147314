// A fresh in-memory SQS fake on a manual executor, with helpers for the common calls.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"
#include "fakes/sqs/sqs_errors.h"
#include "fakes/sqs/sqs_service.h"
#include "tests/support/aws_error.h"

namespace twin::fakes::sqs {

inline constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
inline constexpr core::DurationUs kSecond = core::kMicrosPerSecond;

class SqsFixture : public ::testing::Test {
 public:  // shared with free helper functions of the tests
  SqsFixture() : executor_(kStartUs), ids_(7) {
    options_.database.path = ":memory:";
    auto opened = SqsService::open(options_, executor_, ids_);
    EXPECT_TRUE(opened.is_ok()) << opened.status().to_string();
    sqs_ = std::move(*opened);
  }

  // A fresh service whose in-flight caps (standard and FIFO) are small enough to reach.
  void reopen_with_cap(std::int64_t cap) {
    options_.in_flight_max_standard = cap;
    options_.in_flight_max_fifo = cap;
    auto opened = SqsService::open(options_, executor_, ids_);
    ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
    sqs_ = std::move(*opened);
  }

  std::string create(const std::string& name, AttributeMap attributes = {}) {
    auto r = sqs_->create_queue({name, std::move(attributes), {}});
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->queue_url : "";
  }

  // The RedrivePolicy that moves a message to this fixture's queue `dlq` on the receive after
  // its `max_receive_count`th.
  static std::string redrive_to(const std::string& dlq, int max_receive_count) {
    return R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:)" + dlq +
           R"(","maxReceiveCount":)" + std::to_string(max_receive_count) + "}";
  }

  SendMessageResponse send(const std::string& url, const std::string& body,
                           std::optional<std::string> group = std::nullopt,
                           std::optional<std::string> dedup = std::nullopt) {
    SendMessageRequest req;
    req.queue_url = url;
    req.message_body = body;
    req.message_group_id = std::move(group);
    req.message_deduplication_id = std::move(dedup);
    auto r = sqs_->send_message(req);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? *r : SendMessageResponse{};
  }

  std::vector<Message> receive(const std::string& url, std::int64_t max = 10,
                               std::optional<std::int64_t> visibility = std::nullopt) {
    ReceiveMessageRequest req;
    req.queue_url = url;
    req.max_number_of_messages = max;
    req.visibility_timeout = visibility;
    req.attribute_names = {"All"};
    req.message_attribute_names = {"All"};
    auto r = sqs_->receive_message(req);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->messages : std::vector<Message>{};
  }

  std::string attribute(const std::string& url, const std::string& name) {
    auto r = sqs_->get_queue_attributes({url, {name}});
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->attributes[name] : "";
  }

  SqsOptions options_;
  ManualExecutor executor_;
  SeededIdSource ids_;
  std::unique_ptr<SqsService> sqs_;
};

}  // namespace twin::fakes::sqs
