// A fresh in-memory SQS fake behind SqsJsonApi on a manual executor, with helpers that send
// JSON 1.0 requests the way botocore does and check answers the way botocore reads them.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"
#include "fakes/sqs/sqs_service.h"
#include "sim/http/sqs_json.h"

namespace twin::sim::http {

inline constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
inline constexpr core::DurationUs kSecond = core::kMicrosPerSecond;
inline constexpr std::string_view kEndpoint = "http://127.0.0.1:4566";
inline constexpr std::int64_t kInFlightMax = 3;  // small, so that OverLimit can be reached

class SqsJsonFixture : public ::testing::Test {
 public:  // shared with free helper functions of the tests
  SqsJsonFixture() : executor_(kStartUs), ids_(11) {
    fakes::sqs::SqsOptions options;
    options.database.path = ":memory:";
    options.endpoint = kEndpoint;
    options.in_flight_max_standard = kInFlightMax;
    auto opened = fakes::sqs::SqsService::open(options, executor_, ids_);
    EXPECT_TRUE(opened.is_ok()) << opened.status().to_string();
    sqs_ = std::move(*opened);
    api_ = std::make_unique<SqsJsonApi>(*sqs_);
  }

  static std::string url(std::string_view name) {
    return std::string(kEndpoint) + "/000000000000/" + std::string(name);
  }

  // A request as botocore 1.43 sends it (reference 3.1), unsigned unless headers are added.
  static WireRequest request(std::string_view operation, std::string body) {
    WireRequest r;
    r.method = "POST";
    r.target = "/";
    r.headers = {{"X-Amz-Target", "AmazonSQS." + std::string(operation)},
                 {"Content-Type", "application/x-amz-json-1.0"},
                 {"x-amzn-query-mode", "true"}};
    r.body = std::move(body);
    return r;
  }

  // Every answer handle() gave, however many (the contract is exactly one).
  struct Pending {
    std::optional<WireResponse> response;
    int answers = 0;
  };
  std::shared_ptr<Pending> start(const WireRequest& r) {
    auto pending = std::make_shared<Pending>();
    api_->handle(r, [pending](WireResponse w) {
      ++pending->answers;
      pending->response = std::move(w);
    });
    return pending;
  }

  // A request that must be answered before handle() returns.
  WireResponse call(const WireRequest& r) {
    auto pending = start(r);
    EXPECT_EQ(pending->answers, 1) << r.body;
    if (!pending->response) return WireResponse{-1, {}, {}};
    return *pending->response;
  }
  WireResponse call(std::string_view operation, std::string body) {
    return call(request(operation, std::move(body)));
  }

  // A call that must succeed; its body as a JSON object.
  boost::json::object ok(std::string_view operation, std::string body) {
    WireResponse r = call(operation, std::move(body));
    EXPECT_EQ(r.status, 200) << operation << ": " << r.body;
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/x-amz-json-1.0");
    return parse_object(r.body);
  }

  static boost::json::object parse_object(std::string_view text) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    EXPECT_FALSE(ec) << text;
    EXPECT_TRUE(v.is_object()) << text;
    return v.is_object() ? v.get_object() : boost::json::object();
  }

  std::string create(std::string_view name, std::string_view attributes = "{}") {
    auto o = ok("CreateQueue", R"({"QueueName":")" + std::string(name) + R"(","Attributes":)" +
                                   std::string(attributes) + "}");
    return o.contains("QueueUrl") ? std::string(o.at("QueueUrl").as_string()) : "";
  }

  fakes::ManualExecutor executor_;
  fakes::SeededIdSource ids_;
  std::unique_ptr<fakes::sqs::SqsService> sqs_;
  std::unique_ptr<SqsJsonApi> api_;
};

// The answer is an SQS error exactly as AWS's JSON protocol puts it (reference 3.1): status,
// body {"__type","message"} and x-amzn-query-error "<query code>;Sender".
inline ::testing::AssertionResult IsAwsError(const WireResponse& r, int status,
                                             std::string_view type, std::string_view query_code,
                                             std::string_view message) {
  auto fail = [&](std::string_view what) {
    return ::testing::AssertionFailure()
           << what << " (status " << r.status << ", body " << r.body << ", x-amzn-query-error "
           << r.header("x-amzn-query-error").value_or("<none>") << ")";
  };
  if (r.status != status) return fail("status is not " + std::to_string(status));
  boost::json::object expected{{"__type", type}, {"message", message}};
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(r.body, ec);
  if (ec || body != boost::json::value(expected)) {
    return fail("body is not " + boost::json::serialize(expected));
  }
  std::string fault = status >= 500 ? ";Receiver" : ";Sender";
  if (r.header("x-amzn-query-error") != std::string(query_code) + fault) {
    return fail("x-amzn-query-error is not " + std::string(query_code) + fault);
  }
  if (r.header("Content-Type") != "application/x-amz-json-1.0") return fail("Content-Type");
  return ::testing::AssertionSuccess();
}

}  // namespace twin::sim::http
