// The seed's cases through the whole stack at unit level (issue 4, Proof): API Gateway with the
// usage plan -> Lambda (concurrency, durations) -> core::Handler, and for /webhook the SQS
// queue -> event source mapping -> the same function. One manual executor drives everything.
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <boost/json.hpp>
#include <map>
#include <memory>

#include "core/handler.h"
#include "fakes/apigw/gateway.h"
#include "fakes/apigw/lambda_integration.h"
#include "fakes/esm/event_source_mapping.h"
#include "fakes/lambda/function_code.h"
#include "fakes/lambda/lambda_service.h"
#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"
#include "fakes/sqs/sqs_queue_port.h"
#include "fakes/sqs/sqs_service.h"
#include "fakes/twilio/message_sink.h"
#include "fakes/twilio/webhook_builder.h"
#include "tests/support/handler_harness.h"

namespace twin::fakes {
namespace {

constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr core::DurationUs kMilli = core::kMicrosPerMilli;
constexpr core::DurationUs kSecond = core::kMicrosPerSecond;
constexpr char kApiId[] = "abc123";
constexpr char kFunction[] = "registration-bot";
constexpr char kHost[] = "abc123.execute-api.eu-west-2.amazonaws.com";
constexpr char kTwilioToken[] = "test_auth_token_0123456789abcdef";

struct StackSettings {
  bool webhook_queue = false;
  std::int64_t account_concurrency = 1'000;
  core::DurationUs trigger_duration_us = 200 * kMilli;
  core::DurationUs webhook_duration_us = 1'000 * kMilli;
  core::DurationUs batch_duration_us = 300 * kMilli;
};

// The production stack, wired as DESIGN.md describes.
class Stack {
 public:
  explicit Stack(const StackSettings& s)
      : lambda_(executor_, ids_, rng::Rng(2026), lambda_options(s)),
        integration_(lambda_),
        gateway_(executor_, ids_, integration_) {
    sqs::SqsOptions sqs_options;
    auto opened = sqs::SqsService::open(sqs_options, executor_, ids_);
    EXPECT_TRUE(opened.is_ok()) << opened.status().to_string();
    sqs_ = std::move(*opened);
    auto dlq = sqs_->create_queue({"webhooks-dlq", {}, {}});
    auto queue = sqs_->create_queue(
        {"webhooks",
         {{"VisibilityTimeout", "60"},
          {"RedrivePolicy",
           R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:webhooks-dlq",)"
           R"("maxReceiveCount":3})"}},
         {}});
    EXPECT_TRUE(dlq.is_ok() && queue.is_ok());
    queue_url_ = queue->queue_url;
    queue_port_ = std::make_unique<sqs::SqsQueuePort>(*sqs_, queue_url_);
    set_up_gateway();
    config_.api_key = key_.value;
    config_.twilio_auth_token = kTwilioToken;
    config_.webhook_queue_enabled = s.webhook_queue;
    handler_ = std::make_unique<core::Handler>(
        config_,
        core::Ports{executor_, ids_, *queue_port_, registrations_, idempotency_, messenger_},
        core::Log(core::make_json_logger("core", std::make_shared<spdlog::sinks::null_sink_st>()),
                  executor_));
    code_ = std::make_unique<lambda::HandlerFunctionCode>(*handler_);
    lambda::FunctionConfig f;
    f.function_name = kFunction;
    f.timeout_s = 30;
    f.init_duration_us = 0;
    f.route_durations = {{"/trigger", lambda::DurationModel::fixed(s.trigger_duration_us)},
                         {"/webhook", lambda::DurationModel::fixed(s.webhook_duration_us)},
                         {"sqs", lambda::DurationModel::fixed(s.batch_duration_us)}};
    EXPECT_TRUE(lambda_.create_function(f, *code_).is_ok());
    if (s.webhook_queue) {
      esm::EventSourceMappingConfig m;
      m.event_source_arn = "arn:aws:sqs:us-east-1:000000000000:webhooks";
      m.function_name = kFunction;
      m.batch_size = 10;
      m.function_response_types = {"ReportBatchItemFailures"};
      auto created = esm::EventSourceMapping::create(m, *sqs_, lambda_, executor_, ids_);
      EXPECT_TRUE(created.is_ok()) << created.status().to_string();
      if (created.is_ok()) esm_ = std::move(*created);
    }
  }

  // Sends a request at the current virtual time; its answer lands in `answers` when it comes.
  void send(apigw::HttpRequest request) {
    gateway_.handle(std::move(request), [this](apigw::HttpResponse r) {
      answers.push_back({executor_.now(), r});
    });
  }

  apigw::HttpRequest trigger(int player) const {
    boost::json::object body = testing::valid_registration();
    body["player_first_name"] = "Player" + std::to_string(player);
    body["parent_tel"] = "+4477009" + std::to_string(10000 + player);
    apigw::HttpRequest r;
    r.rest_api_id = kApiId;
    r.http_method = "POST";
    r.path = "/prod/trigger";
    r.headers = {{"Host", kHost}, {"Content-Type", "application/json"}, {"x-api-key", key_.value}};
    r.body = boost::json::serialize(body);
    return r;
  }

  apigw::HttpRequest webhook(int parent) {
    twilio::InboundWhatsApp m;
    m.message_sid = twilio::next_message_sid(ids_);
    m.account_sid = "AC0123456789abcdef0123456789abcdef";
    m.from = "whatsapp:+4477009" + std::to_string(10000 + parent);
    m.body = "Yes";
    auto built = twilio::build_inbound_webhook(m, std::string("https://") + kHost + "/prod/webhook",
                                               kTwilioToken);
    apigw::HttpRequest r;
    r.rest_api_id = kApiId;
    r.http_method = built.method;
    r.path = built.path;
    r.headers = built.headers;
    r.headers.emplace_back("Host", kHost);
    r.body = built.body;
    return r;
  }

  std::map<int, int> statuses() const {
    std::map<int, int> out;
    for (const auto& a : answers) ++out[a.response.status_code];
    return out;
  }

  struct Answer {
    core::TimeUs at;
    apigw::HttpResponse response;
  };
  std::vector<Answer> answers;

  ManualExecutor executor_{kStartUs};
  SeededIdSource ids_{5};
  MemoryRegistrationStore registrations_;
  MemoryIdempotencyStore idempotency_;
  twilio::MessageSink messenger_{executor_, ids_};
  lambda::LambdaService lambda_;
  std::unique_ptr<sqs::SqsService> sqs_;
  std::string queue_url_;

  const apigw::GatewayCounters& gateway_counters() const { return gateway_.counters(); }

 private:
  static lambda::LambdaOptions lambda_options(const StackSettings& s) {
    lambda::LambdaOptions o;
    o.account_concurrency_limit = s.account_concurrency;
    return o;
  }

  void set_up_gateway() {
    apigw::RestApi api;
    api.id = kApiId;
    api.name = "registration-bot";
    api.resources = {{"res-root", "/", {}},
                     {"res-trig", "/trigger", {{"POST", {"POST", true, kFunction}}}},
                     {"res-hook", "/webhook", {{"POST", {"POST", false, kFunction}}}}};
    api.stages["prod"] = apigw::Stage{"prod", "dep1", {}, {}};
    EXPECT_TRUE(gateway_.put_rest_api(api).is_ok());
    auto key = gateway_.create_api_key({"manager", "", true, false, std::nullopt, "", {}});
    EXPECT_TRUE(key.is_ok());
    key_ = *key;
    apigw::CreateUsagePlanRequest plan;
    plan.name = "managers";
    plan.throttle = apigw::ThrottleSettings{25.0, 50};
    plan.api_stages = {{kApiId, "prod", {}}};
    auto created = gateway_.create_usage_plan(plan);
    EXPECT_TRUE(created.is_ok());
    EXPECT_TRUE(gateway_.create_usage_plan_key({created->id, key_.id, "API_KEY"}).is_ok());
  }

  apigw::LambdaIntegration integration_;
  apigw::Gateway gateway_;
  apigw::ApiKey key_;
  core::Config config_;
  std::unique_ptr<sqs::SqsQueuePort> queue_port_;
  std::unique_ptr<core::Handler> handler_;
  std::unique_ptr<lambda::HandlerFunctionCode> code_;
  std::unique_ptr<esm::EventSourceMapping> esm_;
};

TEST(Stack, TwentyFiveConcurrentKeyedTriggersAllSucceedWithOneInvitationEach) {
  Stack stack(StackSettings{});
  for (int i = 0; i < 25; ++i) stack.send(stack.trigger(i));
  stack.executor_.advance(5 * kSecond);
  ASSERT_EQ(stack.answers.size(), 25u);
  EXPECT_EQ(stack.statuses(), (std::map<int, int>{{200, 25}}));
  EXPECT_EQ(stack.messenger_.sent().size(), 25u);
  EXPECT_EQ(stack.registrations_.registrations().size(), 25u);
  EXPECT_EQ(stack.lambda_.metrics(kFunction)->concurrency_max, 25);
}

// Twenty webhooks 50 ms apart on an account limited to 10 concurrent executions. Processing a
// message directly takes 1 s: webhooks 0-9 (t = 0 to 450 ms) take the ten slots until
// t = 1,000 ms, so webhooks 10-19 (t = 500 to 950 ms) are all throttled: 10 x 500.
TEST(Stack, TwentyWebhooksWithoutTheQueueOnANewAccountAreThrottled) {
  StackSettings s;
  s.account_concurrency = 10;
  Stack stack(s);
  for (int i = 0; i < 20; ++i) {
    stack.send(stack.webhook(i));
    stack.executor_.advance(50 * kMilli);
  }
  stack.executor_.advance(5 * kSecond);
  ASSERT_EQ(stack.answers.size(), 20u);
  EXPECT_EQ(stack.statuses(), (std::map<int, int>{{200, 10}, {500, 10}}));
  for (const auto& a : stack.answers) {
    if (a.response.status_code != 500) continue;
    EXPECT_EQ(a.response.body, R"({"message": "Internal server error"})");
    EXPECT_LT(a.at, kStartUs + 1'000 * kMilli);  // answered at once, before any slot frees
  }
  EXPECT_EQ(stack.registrations_.inbound().size(), 10u);  // the throttled ten are lost
  EXPECT_EQ(stack.lambda_.metrics(kFunction)->throttles, 10);
  // The gateway's counters tell the same story: ten Lambda-refused invokes, answered 500.
  const apigw::GatewayCounters& counters = stack.gateway_counters();
  EXPECT_EQ(counters.integration_failures, 10);
  EXPECT_EQ(counters.responses_by_route.at("POST /webhook"),
            (std::map<int, std::int64_t>{{200, 10}, {500, 10}}));
}

// The same twenty with the queue: enqueueing takes 20 ms, so each webhook finds a free slot and
// Twilio gets its answer at once; the event source mapping then processes all twenty, once.
TEST(Stack, TheSameTwentyWithTheQueueAreAnsweredAtOnceAndProcessedExactlyOnce) {
  StackSettings s;
  s.account_concurrency = 10;
  s.webhook_queue = true;
  s.webhook_duration_us = 20 * kMilli;
  Stack stack(s);
  for (int i = 0; i < 20; ++i) {
    stack.send(stack.webhook(i));
    stack.executor_.advance(50 * kMilli);
  }
  stack.executor_.advance(30 * kSecond);
  ASSERT_EQ(stack.answers.size(), 20u);
  EXPECT_EQ(stack.statuses(), (std::map<int, int>{{200, 20}}));
  EXPECT_EQ(stack.lambda_.metrics(kFunction)->throttles, 0);
  EXPECT_EQ(stack.registrations_.inbound().size(), 20u);
  EXPECT_EQ(stack.idempotency_.size(), 20u);
  auto left = stack.sqs_->get_queue_attributes(
      {stack.queue_url_, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}});
  ASSERT_TRUE(left.is_ok());
  EXPECT_EQ(left->attributes["ApproximateNumberOfMessages"], "0");
  EXPECT_EQ(left->attributes["ApproximateNumberOfMessagesNotVisible"], "0");
}

}  // namespace
}  // namespace twin::fakes
