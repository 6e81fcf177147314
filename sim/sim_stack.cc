#include "sim/sim_stack.h"

#include <spdlog/sinks/null_sink.h>

#include "sim/json_in.h"

namespace twin::sim {
namespace {

namespace apigw = fakes::apigw;
namespace lambda = fakes::lambda;

constexpr char kTimeoutSuffix[] = "!timeout";

core::Status at_path(const std::string& path, const core::Status& s) {
  std::string message = path + ": " + s.message();
  if (!s.aws_code().empty()) message += " (" + s.aws_code() + ")";
  return core::Status(core::StatusCode::kInvalidArgument, message, s.aws_code(), s.http_status());
}

}  // namespace

SimStack::SimStack(const Fixture& fixture, std::uint64_t seed, core::Executor& executor,
                   Trace& trace, StackStorage storage)
    : spec_(fixture.stack),
      executor_(executor),
      trace_(trace),
      host_(spec_.rest_api_id + ".execute-api." + spec_.region + ".amazonaws.com"),
      ids_(seed),
      rng_(seed),
      storage_(std::move(storage)) {
  faults_ =
      std::make_unique<FaultPoints>(fixture.faults, rng_, executor_, fixture.start_us, trace_);
  fakes::twilio::MessageSinkOptions sink_options;
  sink_options.rate_limit_mps = spec_.twilio_rate_limit_mps;
  sink_options.burst_limit = spec_.twilio_burst_limit;
  sink_ = std::make_unique<fakes::twilio::MessageSink>(executor_, ids_, sink_options);
  messenger_ = std::make_unique<FaultyMessenger>(
      *sink_, *faults_,
      [this](const core::Invitation& i) {
        for (const auto& s : sink_->sent()) {
          if (s.invitation.registration_id == i.registration_id) return true;
        }
        return false;
      },
      [this](const core::Invitation& i) {
        trace_.begin("invitation").field("registration_id", i.registration_id).end();
        if (on_invitation_) on_invitation_(i);
      });
}

SimStack::~SimStack() = default;

core::Result<std::unique_ptr<SimStack>> SimStack::build(const Fixture& fixture, std::uint64_t seed,
                                                        core::Executor& executor, Trace& trace,
                                                        const StackStorage& storage) {
  std::unique_ptr<SimStack> stack(new SimStack(fixture, seed, executor, trace, storage));
  if (auto s = stack->open_stores(); !s.is_ok()) return s;
  if (auto s = stack->build_queues(); !s.is_ok()) return s;
  if (auto s = stack->build_function(); !s.is_ok()) return s;
  if (auto s = stack->build_gateway(); !s.is_ok()) return s;
  if (auto s = stack->build_mapping(); !s.is_ok()) return s;
  return stack;
}

core::Status SimStack::open_stores() {
  if (!storage_.data_dir) {
    counted_ = std::make_unique<CountingRegistrationStore>(registrations_);
    return core::Status::ok();
  }
  fakes::DatabaseOptions db;
  db.path = *storage_.data_dir + "/stores.db";
  auto registrations = fakes::SqliteRegistrationStore::open(db);
  if (!registrations.is_ok()) return registrations.status();
  auto idempotency = fakes::SqliteIdempotencyStore::open(db);
  if (!idempotency.is_ok()) return idempotency.status();
  sqlite_registrations_ = std::move(*registrations);
  sqlite_idempotency_ = std::move(*idempotency);
  counted_ = std::make_unique<CountingRegistrationStore>(*sqlite_registrations_);
  return core::Status::ok();
}

core::Status SimStack::build_queues() {
  fakes::sqs::SqsOptions options;
  options.region = spec_.region;
  if (storage_.data_dir) options.database.path = *storage_.data_dir + "/sqs.db";
  if (storage_.sqs_endpoint) options.endpoint = *storage_.sqs_endpoint;
  auto opened = fakes::sqs::SqsService::open(options, executor_, ids_);
  if (!opened.is_ok()) return opened.status();
  sqs_ = std::move(*opened);
  for (std::size_t i = 0; i < spec_.queues.size(); ++i) {
    const auto& q = spec_.queues[i];
    fakes::sqs::CreateQueueRequest request;
    request.queue_name = q.queue_name;
    for (const auto& [k, v] : q.attributes) request.attributes[k] = v;
    auto created = sqs_->create_queue(request);
    if (!created.is_ok()) return at_path(index_path("$.stack.queues", i), created.status());
    queue_urls_[q.queue_name] = created->queue_url;
  }
  if (spec_.webhook_queue) {
    queue_port_ =
        std::make_unique<fakes::sqs::SqsQueuePort>(*sqs_, queue_urls_.at(*spec_.webhook_queue));
  } else {
    queue_port_ = std::make_unique<fakes::MemoryQueue>(ids_);
  }
  queue_ = std::make_unique<FaultyQueue>(*queue_port_, *faults_);
  return core::Status::ok();
}

core::Status SimStack::build_function() {
  core::Config config;
  if (spec_.function_api_key) {
    for (const auto& k : spec_.api_keys) {
      if (k.name == *spec_.function_api_key) config.api_key = k.value;
    }
  } else if (!spec_.api_keys.empty()) {
    config.api_key = spec_.api_keys.front().value;
  }
  config.twilio_auth_token = spec_.twilio_auth_token;
  config.webhook_queue_enabled = spec_.webhook_queue.has_value();
  config.public_base_url = spec_.public_base_url;
  config.idempotency_ttl_us = spec_.idempotency_ttl_us;
  build_handler(std::move(config));

  lambda::LambdaOptions options;
  options.region = spec_.region;
  options.account_concurrency_limit = spec_.account_concurrency;
  lambda_ = std::make_unique<lambda::LambdaService>(executor_, ids_, rng_.fork("lambda"), options);
  lambda::FunctionConfig f = spec_.function;
  // Every route gets a model (the default one unless the fixture gave its own), plus the model
  // a lambda.timeout fault switches to: just past the timeout.
  for (const char* route : {"/trigger", "/webhook", "sqs"}) {
    f.route_durations.try_emplace(route, f.duration);
    f.route_durations[std::string(route) + kTimeoutSuffix] =
        lambda::DurationModel::fixed(f.timeout_s * core::kMicrosPerSecond + core::kMicrosPerMilli);
  }
  FaultPoints* faults = faults_.get();
  f.classifier = [faults](const lambda::Payload& event) {
    std::string route = route_of_event(event);
    if (faults->fire(FaultSpec::Site::kLambdaTimeout, route, "")) route += kTimeoutSuffix;
    return route;
  };
  if (auto s = lambda_->create_function(f, *code_); !s.is_ok())
    return at_path("$.stack.function", s);
  return core::Status::ok();
}

core::Status SimStack::build_gateway() {
  integration_ = std::make_unique<apigw::LambdaIntegration>(*lambda_);
  gateway_ = std::make_unique<apigw::Gateway>(executor_, ids_, *integration_);
  const std::string& fn = spec_.function.function_name;
  apigw::RestApi api;
  api.id = spec_.rest_api_id;
  api.name = "registration-bot";
  api.resources = {
      {"res-root", "/", {}},
      {"res-trig", "/trigger", {{"POST", {"POST", spec_.trigger_api_key_required, fn}}}},
      {"res-hook", "/webhook", {{"POST", {"POST", false, fn}}}}};
  apigw::Stage stage{spec_.stage_name, "deployment-1", spec_.method_settings, {}};
  api.stages[spec_.stage_name] = stage;
  if (auto put = gateway_->put_rest_api(api); !put.is_ok()) return at_path("$.stack", put.status());
  if (spec_.account_throttle) {
    auto s = gateway_->set_account_throttle(
        spec_.account_throttle->rate_limit.value_or(apigw::kAccountRateLimitRpsDefault),
        spec_.account_throttle->burst_limit.value_or(apigw::kAccountBurstLimitDefault));
    if (!s.is_ok()) return at_path("$.stack.account.throttle", s);
  }
  std::map<std::string, std::string> key_ids;
  for (std::size_t i = 0; i < spec_.api_keys.size(); ++i) {
    const auto& k = spec_.api_keys[i];
    apigw::CreateApiKeyRequest request;
    request.name = k.name;
    request.enabled = k.enabled;
    request.value = k.value;
    auto created = gateway_->create_api_key(request);
    if (!created.is_ok()) return at_path(index_path("$.stack.apiKeys", i), created.status());
    key_ids[k.name] = created->id;
    key_values_[k.name] = k.value;
  }
  for (std::size_t i = 0; i < spec_.usage_plans.size(); ++i) {
    const auto& p = spec_.usage_plans[i];
    apigw::CreateUsagePlanRequest request;
    request.name = p.name;
    request.throttle = p.throttle;
    request.quota = p.quota;
    request.api_stages = {{spec_.rest_api_id, spec_.stage_name, p.method_throttles}};
    auto path = index_path("$.stack.usagePlans", i);
    auto created = gateway_->create_usage_plan(request);
    if (!created.is_ok()) return at_path(path, created.status());
    for (const auto& name : p.api_keys) {
      auto linked = gateway_->create_usage_plan_key({created->id, key_ids.at(name), "API_KEY"});
      if (!linked.is_ok()) return at_path(path + ".apiKeys", linked.status());
    }
  }
  return core::Status::ok();
}

core::Status SimStack::build_mapping() {
  if (!spec_.event_source_mapping) return core::Status::ok();
  auto config = *spec_.event_source_mapping;
  config.event_source_arn = "arn:aws:sqs:" + spec_.region + ":000000000000:" + *spec_.webhook_queue;
  config.function_name = spec_.function.function_name;
  auto created = fakes::esm::EventSourceMapping::create(config, *sqs_, *lambda_, executor_, ids_);
  if (!created.is_ok()) return at_path("$.stack.eventSourceMapping", created.status());
  esm_ = std::move(*created);
  return core::Status::ok();
}

void SimStack::build_handler(core::Config config) {
  config_ = std::move(config);
  core::IdempotencyStore& idempotency =
      sqlite_idempotency_ ? static_cast<core::IdempotencyStore&>(*sqlite_idempotency_)
                          : idempotency_;
  auto handler = std::make_unique<core::Handler>(
      config_, core::Ports{executor_, ids_, *queue_, *counted_, idempotency, *messenger_},
      core::Log(core::make_json_logger("core", std::make_shared<spdlog::sinks::null_sink_st>()),
                executor_));
  auto code = std::make_unique<lambda::HandlerFunctionCode>(*handler);
  if (code_) {
    code_->set_target(*code);
  } else {
    code_ = std::make_unique<FaultyFunctionCode>(*code, *faults_, trace_);
  }
  // Single-threaded and run to completion: no invocation holds the old handler now.
  handler_code_ = std::move(code);
  handler_ = std::move(handler);
}

void SimStack::set_handler_api_key(std::string value) {
  core::Config config = config_;
  config.api_key = std::move(value);
  build_handler(std::move(config));
}

std::string SimStack::api_key_value(const std::string& name) const {
  auto it = key_values_.find(name);
  return it == key_values_.end() ? std::string() : it->second;
}

const fakes::lambda::FunctionMetrics& SimStack::lambda_metrics() const {
  return *lambda_->metrics(spec_.function.function_name);
}

std::int64_t SimStack::lambda_concurrency() const {
  return lambda_->concurrent_executions(spec_.function.function_name);
}

void SimStack::set_send_listener(std::function<void(const std::string&)> fn) {
  on_send_ = std::move(fn);
  if (spec_.webhook_queue) {
    queue_->set_after_send([this] { on_send_(*spec_.webhook_queue); });
  }
}

core::Result<std::string> SimStack::send_to_queue(const std::string& queue_name,
                                                  const std::string& body) {
  fakes::sqs::SendMessageRequest request;
  request.queue_url = queue_urls_.at(queue_name);
  request.message_body = body;
  auto sent = sqs_->send_message(request);
  if (!sent.is_ok()) return sent.status();
  if (on_send_) on_send_(queue_name);
  return std::move(sent->message_id);
}

std::int64_t SimStack::queue_depth(const std::string& queue_name) {
  auto url = queue_urls_.find(queue_name);
  if (url == queue_urls_.end()) return 0;
  auto attrs = sqs_->get_queue_attributes(
      {url->second,
       {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed"}});
  if (!attrs.is_ok()) return 0;
  std::int64_t depth = 0;
  for (const auto& [name, value] : attrs->attributes) depth += std::stoll(value);
  return depth;
}

}  // namespace twin::sim
