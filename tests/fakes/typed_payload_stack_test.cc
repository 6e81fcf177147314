// The whole stack with typed payloads (fakes/lambda/payload.h) is the stack without them: the
// same requests through API Gateway -> Lambda -> core::Handler, and the same queued webhooks
// through SQS -> event source mapping -> Lambda -> core::Handler, give the same answers (status,
// headers, body, request id, time), the same Lambda and mapping counters, the same stores and
// the same log lines whether the function code takes typed events (HandlerFunctionCode) or only
// their JSON text (a FunctionCode with run() alone, what every other function code is).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

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
#include "fakes/twilio/webhook_builder.h"
#include "tests/support/handler_harness.h"

namespace twin::fakes {
namespace {

constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr core::DurationUs kMilli = core::kMicrosPerMilli;
constexpr core::DurationUs kSecond = core::kMicrosPerSecond;
constexpr char kApiId[] = "abc123";
constexpr char kFunction[] = "registration-bot";
constexpr char kHost[] = "abc123.execute-api.us-east-1.amazonaws.com";
constexpr char kTwilioToken[] = "test_auth_token_0123456789abcdef";

// The handler through its JSON entry point only, as any function code that reads text.
class TextOnlyCode : public lambda::FunctionCode {
 public:
  explicit TextOnlyCode(core::Handler& handler) : handler_(handler) {}
  core::Result<std::string> run(std::string_view event_json) override {
    return handler_.invoke(event_json);
  }

 private:
  core::Handler& handler_;
};

class Stack {
 public:
  explicit Stack(bool typed) : lambda_(executor_, ids_, rng::Rng(2026)), integration_(lambda_) {
    const sqs::SqsOptions options;  // an in-memory database
    auto opened = sqs::SqsService::open(options, executor_, ids_);
    EXPECT_TRUE(opened.is_ok());
    sqs_ = std::move(*opened);
    EXPECT_TRUE(sqs_->create_queue({"dlq", {}, {}}).is_ok());
    auto queue = sqs_->create_queue(
        {"webhooks",
         {{"VisibilityTimeout", "60"},
          {"RedrivePolicy",
           R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":2})"}},
         {}});
    EXPECT_TRUE(queue.is_ok());
    queue_url_ = queue->queue_url;
    queue_port_ = std::make_unique<sqs::SqsQueuePort>(*sqs_, queue_url_);
    set_up_gateway();
    core::Config config;
    config.api_key = key_value_;
    config.twilio_auth_token = kTwilioToken;
    config.webhook_queue_enabled = true;
    logger_->set_level(spdlog::level::trace);
    handler_ = std::make_unique<core::Handler>(
        config,
        core::Ports{executor_, ids_, *queue_port_, registrations_, idempotency_, messenger_},
        core::Log(logger_, executor_));
    if (typed) {
      code_ = std::make_unique<lambda::HandlerFunctionCode>(*handler_);
    } else {
      code_ = std::make_unique<TextOnlyCode>(*handler_);
    }
    lambda::FunctionConfig f;
    f.function_name = kFunction;
    f.timeout_s = 30;
    f.route_durations = {{"/trigger", lambda::DurationModel::uniform(100 * kMilli, 300 * kMilli)},
                         {"/webhook", lambda::DurationModel::fixed(20 * kMilli)},
                         {"sqs", lambda::DurationModel::log_normal(200 * kMilli, 0.5)}};
    EXPECT_TRUE(lambda_.create_function(f, *code_).is_ok());
    esm::EventSourceMappingConfig m;
    m.event_source_arn = "arn:aws:sqs:us-east-1:000000000000:webhooks";
    m.function_name = kFunction;
    m.batch_size = 10;
    m.function_response_types = {"ReportBatchItemFailures"};
    auto created = esm::EventSourceMapping::create(m, *sqs_, lambda_, executor_, ids_);
    EXPECT_TRUE(created.is_ok());
    esm_ = std::move(*created);
  }

  void send(apigw::HttpRequest request) {
    gateway_->handle(std::move(request),
                     [this](apigw::HttpResponse r) { answers_.push_back(describe(r)); });
  }

  apigw::HttpRequest request(std::string path, core::StringPairs headers,
                             std::optional<std::string> body, std::string query = "") const {
    apigw::HttpRequest r;
    r.rest_api_id = kApiId;
    r.http_method = "POST";
    r.path = std::move(path);
    r.query_string = std::move(query);
    r.headers = std::move(headers);
    r.body = std::move(body);
    return r;
  }
  apigw::HttpRequest trigger(std::string body, std::string key) const {
    return request("/prod/trigger",
                   {{"Host", kHost}, {"Content-Type", "application/json"}, {"x-api-key", key}},
                   std::move(body));
  }
  apigw::HttpRequest webhook(int n) {
    twilio::InboundWhatsApp m;
    m.message_sid = twilio::next_message_sid(ids_);
    m.account_sid = "AC0123456789abcdef0123456789abcdef";
    m.from = "whatsapp:+4477009" + std::to_string(10000 + n);
    m.body = "Yes";
    auto built = twilio::build_inbound_webhook(m, std::string("https://") + kHost + "/prod/webhook",
                                               kTwilioToken);
    return request(built.path, built.headers, built.body);
  }

  // Everything a run leaves behind that someone could look at.
  std::vector<std::string> observed() {
    std::vector<std::string> out = answers_;
    const lambda::FunctionMetrics* m = lambda_.metrics(kFunction);
    std::string metrics = "lambda " + std::to_string(m->invocations) + " " +
                          std::to_string(m->throttles) + " " + std::to_string(m->errors) + " " +
                          std::to_string(m->cold_starts) + " durations";
    for (auto d : m->durations_us) metrics += " " + std::to_string(d);
    out.push_back(metrics);
    const esm::EsmMetrics& e = esm_->metrics();
    out.push_back("esm " + std::to_string(e.batches) + " " + std::to_string(e.records) + " " +
                  std::to_string(e.invokes) + " " + std::to_string(e.failures) + " " +
                  std::to_string(e.deletes));
    for (const auto& r : registrations_.registrations()) {
      out.push_back(r.registration_id + " " + core::registration_natural_key(r.request) + " " +
                    std::string(core::to_string(r.status)) + " " + std::to_string(r.updated_at_us));
    }
    for (const auto& [sid, in] : registrations_.inbound()) {
      out.push_back(sid + " " + in.from + " " + in.body + " " + std::to_string(in.received_at_us));
    }
    for (const auto& i : messenger_.sent()) out.push_back(i.to + " " + i.body);
    for (const std::string& url : {queue_url_, sqs_->get_queue_url({"dlq", {}})->queue_url}) {
      auto attrs = sqs_->get_queue_attributes(
          {url, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}});
      out.push_back(attrs->attributes["ApproximateNumberOfMessages"] + " " +
                    attrs->attributes["ApproximateNumberOfMessagesNotVisible"]);
    }
    for (const auto& line : sink_->lines) out.push_back(line);
    out.push_back(ids_.next_uuid());
    return out;
  }

  ManualExecutor executor_{kStartUs};
  SeededIdSource ids_{9};
  std::unique_ptr<sqs::SqsService> sqs_;
  std::string key_value_;

 private:
  std::string describe(const apigw::HttpResponse& r) const {
    std::string out = std::to_string(executor_.now()) + " " + std::to_string(r.status_code) + " " +
                      r.request_id + " " + r.body;
    for (const auto& [name, value] : r.headers) out += " | " + name + ": " + value;
    return out;
  }

  void set_up_gateway() {
    gateway_ = std::make_unique<apigw::Gateway>(executor_, ids_, integration_);
    apigw::RestApi api;
    api.id = kApiId;
    api.resources = {{"res-trig", "/trigger", {{"POST", {"POST", true, kFunction}}}},
                     {"res-hook", "/webhook", {{"POST", {"POST", false, kFunction}}}}};
    api.stages["prod"] = apigw::Stage{"prod", "dep1", {}, {{"env", "prod"}}};
    EXPECT_TRUE(gateway_->put_rest_api(api).is_ok());
    auto key = gateway_->create_api_key({"manager", "", true, false, std::nullopt, "", {}});
    key_value_ = key->value;
    apigw::CreateUsagePlanRequest plan;
    plan.name = "managers";
    plan.throttle = apigw::ThrottleSettings{25.0, 50};
    plan.api_stages = {{kApiId, "prod", {}}};
    auto created = gateway_->create_usage_plan(plan);
    EXPECT_TRUE(gateway_->create_usage_plan_key({created->id, key->id, "API_KEY"}).is_ok());
  }

  std::vector<std::string> answers_;
  MemoryRegistrationStore registrations_;
  MemoryIdempotencyStore idempotency_;
  MemoryMessenger messenger_;
  std::shared_ptr<testing::CaptureSink> sink_ = std::make_shared<testing::CaptureSink>();
  std::shared_ptr<spdlog::logger> logger_ = core::make_json_logger("core", sink_);
  lambda::LambdaService lambda_;
  apigw::LambdaIntegration integration_;
  std::unique_ptr<apigw::Gateway> gateway_;
  std::string queue_url_;
  std::unique_ptr<sqs::SqsQueuePort> queue_port_;
  std::unique_ptr<core::Handler> handler_;
  std::unique_ptr<lambda::FunctionCode> code_;
  std::unique_ptr<esm::EventSourceMapping> esm_;
};

// Drives one stack through the same traffic: triggers of every kind, webhooks through the
// queue, a poison message that ends in the dead-letter queue.
std::vector<std::string> run(bool typed) {
  Stack s(typed);
  boost::json::object reg = testing::valid_registration();
  const std::string body = boost::json::serialize(reg);
  s.send(s.trigger(body, s.key_value_));
  s.send(s.trigger(body, s.key_value_));  // a retry
  s.send(s.trigger(body, "wrong key"));
  reg["player_first_name"] = "Zoë";
  auto repeated = s.trigger(boost::json::serialize(reg), s.key_value_);
  repeated.headers.emplace_back("X-Forwarded-For", "198.51.100.1");
  repeated.headers.emplace_back("accept", "a");
  repeated.headers.emplace_back("Accept", "b");
  repeated.query_string = "a=1&a=2&b=%C3%A9&c";
  s.send(repeated);
  auto no_body = s.trigger("", s.key_value_);
  no_body.body.reset();
  s.send(no_body);
  s.send(s.trigger("{\"player_first_name\":\"\xff\"}", s.key_value_));  // not UTF-8: 502
  s.send(s.trigger("{}", s.key_value_));
  for (int i = 0; i < 12; ++i) {
    s.send(s.webhook(i));
    s.executor_.advance(30 * kMilli);
  }
  auto sent = s.sqs_->send_message(
      {s.sqs_->get_queue_url({"webhooks", {}})->queue_url, "not json", {}, {}, {}, {}, {}});
  EXPECT_TRUE(sent.is_ok());
  s.executor_.advance(300 * kSecond);
  return s.observed();
}

TEST(TypedPayloadStack, AnswersCountersStoresAndLogsAreTheSame) {
  const std::vector<std::string> text = run(false);
  const std::vector<std::string> typed = run(true);
  ASSERT_EQ(text.size(), typed.size());
  for (std::size_t i = 0; i < text.size(); ++i) EXPECT_EQ(text[i], typed[i]) << i;
  // The traffic did what it means to: see the answers' statuses and the queues' depths.
  std::map<std::string, int> statuses;
  for (std::size_t i = 0; i < 19; ++i) ++statuses[text[i].substr(17, 3)];
  EXPECT_EQ(statuses,
            (std::map<std::string, int>{{"200", 15}, {"400", 2}, {"403", 1}, {"502", 1}}));
  for (const auto& line : text) {
    // 12 webhooks in 12 batches, the poison message twice (then the DLQ), all others deleted.
    if (line.starts_with("esm ")) {
      EXPECT_EQ(line, "esm 12 14 12 2 12");
    }
    // 6 triggers past the gateway (one a function error: its text is not UTF-8), 12 webhooks,
    // 12 batches.
    if (line.starts_with("lambda ")) {
      EXPECT_EQ(line.substr(0, 13), "lambda 30 0 1");
    }
  }
  EXPECT_GT(text.size(), 60u) << text.size();
  EXPECT_NE(std::find(text.begin(), text.end(), "0 0"), text.end());  // the queue drained
  EXPECT_NE(std::find(text.begin(), text.end(), "1 0"), text.end());  // the poison in the DLQ
}

}  // namespace
}  // namespace twin::fakes
