#include "fakes/lambda/lambda_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cassert>
#include <cmath>
#include <exception>
#include <utility>

#include "fakes/lambda/lambda_errors.h"

namespace twin::fakes::lambda {
namespace json = boost::json;
namespace {

constexpr std::int64_t kUnreservedMinDefault = 100;
constexpr std::string_view kThrottleMessage = "Rate Exceeded.";

core::Status range_error(std::string_view field, std::int64_t value, std::int64_t lo,
                         std::int64_t hi) {
  if (value < lo) {
    return validation_error(
        field, std::to_string(value),
        "Member must have value greater than or equal to " + std::to_string(lo));
  }
  if (value > hi) {
    return validation_error(field, std::to_string(value),
                            "Member must have value less than or equal to " + std::to_string(hi));
  }
  return core::Status::ok();
}

bool valid_function_name(std::string_view name) {
  constexpr std::size_t kNameLengthMax = 64;
  if (name.empty() || name.size() > kNameLengthMax) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

core::Status validate_model(const DurationModel& m, const std::string& field) {
  using Kind = DurationModel::Kind;
  bool ok = true;
  if (m.kind == Kind::kFixed) ok = m.fixed_us >= 0;
  if (m.kind == Kind::kUniform) ok = m.min_us >= 0 && m.min_us <= m.max_us;
  if (m.kind == Kind::kLogNormal) ok = m.median_us > 0 && m.sigma >= 0 && std::isfinite(m.sigma);
  if (ok) return core::Status::ok();
  return invalid_parameter(field +
                           ": a fixed duration must be >= 0, a uniform one 0 <= min_us <= "
                           "max_us, a log-normal one median_us > 0 and a finite sigma >= 0");
}

std::string error_body(std::string_view type, std::string_view message) {
  return json::serialize(json::object{{"errorType", type}, {"errorMessage", message}});
}

}  // namespace

std::string classify_route(std::string_view event_json) {
  json::error_code ec;
  json::value v = json::parse(json::string_view(event_json.data(), event_json.size()), ec);
  if (ec || !v.is_object()) return "";
  const json::object& o = v.get_object();
  if (o.contains("Records")) return "sqs";
  if (const json::value* r = o.if_contains("resource"); r && r->is_string()) {
    return std::string(r->get_string());
  }
  return "";
}

std::string classify_event(const Payload& event) {
  if (const core::ProxyEvent* proxy = event.proxy_event()) return proxy->resource;
  if (event.sqs_event() != nullptr) return "sqs";
  return classify_route(event.json());
}

core::DurationUs nearest_rank_percentile(std::vector<core::DurationUs> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const auto index = static_cast<std::size_t>(std::clamp(rank, 1.0, double(values.size()))) - 1;
  return values[index];
}

core::DurationUs FunctionMetrics::duration_percentile_us(double p) const {
  return nearest_rank_percentile(durations_us, p);
}

core::DurationUs draw(const DurationModel& model, rng::Rng& rng) {
  switch (model.kind) {
    case DurationModel::Kind::kFixed:
      return model.fixed_us;
    case DurationModel::Kind::kUniform:
      return rng.uniform_int(model.min_us, model.max_us);
    case DurationModel::Kind::kLogNormal: {
      double d = rng.log_normal(std::log(double(model.median_us)), model.sigma);
      constexpr double kDurationUsCeiling = 1e15;  // keeps the cast defined; ~31 years
      return static_cast<core::DurationUs>(std::llround(std::min(d, kDurationUsCeiling)));
    }
  }
  return model.fixed_us;
}

struct LambdaService::Invocation {
  Function* fn;
  std::uint64_t environment_id;
  bool from_unreserved;
  Payload payload;
  InvokeCallback done;
  InvokeResult result;
};

LambdaService::LambdaService(core::Executor& executor, core::IdSource& ids, const rng::Rng& rng,
                             LambdaOptions options)
    : executor_(executor), ids_(ids), rng_(rng), options_(std::move(options)) {
  assert(options_.account_concurrency_limit >= 0);
}

LambdaService::~LambdaService() { *alive_ = false; }

std::string LambdaService::function_arn(const std::string& function_name) const {
  return "arn:aws:lambda:" + options_.region + ":" + options_.account_id +
         ":function:" + function_name;
}

std::int64_t LambdaService::unreserved_concurrency_limit() const {
  return options_.account_concurrency_limit - reserved_total_;
}

core::Status LambdaService::check_reservation(const std::string& function_name,
                                              std::optional<std::int64_t> reserved) const {
  if (!reserved) return core::Status::ok();
  if (*reserved < 0) {
    return range_error("reservedConcurrentExecutions", *reserved, 0, INT64_MAX);
  }
  std::int64_t others = reserved_total_;
  if (auto it = functions_.find(function_name); it != functions_.end()) {
    others -= it->second->config.reserved_concurrent_executions.value_or(0);
  }
  const std::int64_t minimum = options_.unreserved_concurrency_min.value_or(
      std::min(kUnreservedMinDefault, options_.account_concurrency_limit));
  if (options_.account_concurrency_limit - others - *reserved < minimum) {
    return invalid_parameter(
        "Specified ReservedConcurrentExecutions for function decreases account's "
        "UnreservedConcurrentExecution below its minimum value of [" +
        std::to_string(minimum) + "].");
  }
  return core::Status::ok();
}

core::Status LambdaService::validate(const FunctionConfig& c) const {
  if (!valid_function_name(c.function_name)) {
    return validation_error("functionName", c.function_name,
                            "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}");
  }
  if (auto s = range_error("timeout", c.timeout_s, kTimeoutSecondsMin, kTimeoutSecondsMax);
      !s.is_ok()) {
    return s;
  }
  if (auto s = range_error("memorySize", c.memory_size_mb, kMemorySizeMbMin, kMemorySizeMbMax);
      !s.is_ok()) {
    return s;
  }
  if (c.init_duration_us < 0 || c.init_duration_us > kInitDurationUsMax) {
    return invalid_parameter("init_duration_us: must be within 0 and 10 s (the Init limit)");
  }
  if (c.idle_reclaim_us <= 0) return invalid_parameter("idle_reclaim_us: must be > 0");
  if (auto s = validate_model(c.duration, "duration"); !s.is_ok()) return s;
  for (const auto& [route, model] : c.route_durations) {
    if (auto s = validate_model(model, "route_durations[" + route + "]"); !s.is_ok()) return s;
  }
  if (!(c.errors.rate >= 0 && c.errors.rate <= 1)) {
    return invalid_parameter("errors.rate: must be within 0 and 1");
  }
  for (const auto& w : c.errors.windows) {
    if (w.to_us < w.from_us) return invalid_parameter("errors.windows: to_us before from_us");
  }
  if (!c.route_durations.empty() && !c.classifier) {
    return invalid_parameter("classifier: required when route_durations is set");
  }
  return check_reservation(c.function_name, c.reserved_concurrent_executions);
}

core::Status LambdaService::create_function(FunctionConfig config, FunctionCode& code) {
  if (auto s = validate(config); !s.is_ok()) return s;
  if (functions_.contains(config.function_name)) {
    return {core::StatusCode::kAlreadyExists, "Function already exist: " + config.function_name,
            "ResourceConflictException", 409};
  }
  const std::string& name = config.function_name;
  auto fn = std::unique_ptr<Function>(new Function{config,
                                                   &code,
                                                   rng_.fork("lambda.duration." + name),
                                                   rng_.fork("lambda.errors." + name),
                                                   {},
                                                   {},
                                                   0,
                                                   {}});
  reserved_total_ += config.reserved_concurrent_executions.value_or(0);
  functions_.emplace(name, std::move(fn));
  return core::Status::ok();
}

core::Status LambdaService::put_function_concurrency(const std::string& function_name,
                                                     std::optional<std::int64_t> reserved) {
  auto it = functions_.find(function_name);
  if (it == functions_.end()) {
    return {core::StatusCode::kNotFound, "Function not found: " + function_arn(function_name),
            "ResourceNotFoundException", 404};
  }
  if (auto s = check_reservation(function_name, reserved); !s.is_ok()) return s;
  FunctionConfig& c = it->second->config;
  reserved_total_ += reserved.value_or(0) - c.reserved_concurrent_executions.value_or(0);
  c.reserved_concurrent_executions = reserved;
  return core::Status::ok();
}

const FunctionConfig* LambdaService::function_config(const std::string& function_name) const {
  auto it = functions_.find(function_name);
  return it == functions_.end() ? nullptr : &it->second->config;
}

const FunctionMetrics* LambdaService::metrics(const std::string& function_name) const {
  auto it = functions_.find(function_name);
  return it == functions_.end() ? nullptr : &it->second->metrics;
}

std::int64_t LambdaService::concurrent_executions(const std::string& function_name) const {
  auto it = functions_.find(function_name);
  return it == functions_.end() ? 0 : it->second->running;
}

std::size_t LambdaService::environments(const std::string& function_name) const {
  auto it = functions_.find(function_name);
  return it == functions_.end() ? 0 : it->second->environments.size();
}

std::int64_t LambdaService::concurrency_limit(const std::string& function_name) const {
  auto it = functions_.find(function_name);
  if (it == functions_.end()) return 0;
  return it->second->config.reserved_concurrent_executions.value_or(unreserved_concurrency_limit());
}

std::optional<std::string> LambdaService::throttle_reason(const Function& fn) const {
  if (const auto& reserved = fn.config.reserved_concurrent_executions) {
    if (fn.running >= *reserved) return "ReservedFunctionConcurrentInvocationLimitExceeded";
    return std::nullopt;
  }
  if (unreserved_running_ >= unreserved_concurrency_limit()) {
    return "ConcurrentInvocationLimitExceeded";
  }
  return std::nullopt;
}

void LambdaService::deliver(InvokeCallback done, InvokeResult result) {
  executor_.at(executor_.now(), [alive = std::weak_ptr<bool>(alive_), done = std::move(done),
                                 result = std::move(result)]() mutable {
    if (auto a = alive.lock(); a && *a) done(std::move(result));
  });
}

void LambdaService::invoke(const std::string& function_name, Payload payload, InvokeCallback done) {
  InvokeResult refused;
  auto it = functions_.find(function_name);
  if (it == functions_.end()) {
    refused.kind = InvokeResult::Kind::kRequestError;
    refused.status = {core::StatusCode::kNotFound,
                      "Function not found: " + function_arn(function_name),
                      "ResourceNotFoundException", 404};
    return deliver(std::move(done), std::move(refused));
  }
  if (payload.json_larger_than(kSyncPayloadBytesMax)) {
    refused.kind = InvokeResult::Kind::kRequestError;
    refused.status = {core::StatusCode::kInvalidArgument,
                      "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
                      "RequestTooLargeException", 413};
    return deliver(std::move(done), std::move(refused));
  }
  Function& fn = *it->second;
  if (auto reason = throttle_reason(fn)) {
    ++fn.metrics.throttles;
    refused.kind = InvokeResult::Kind::kThrottled;
    refused.throttle_reason = *reason;
    refused.status = {core::StatusCode::kResourceExhausted, std::string(kThrottleMessage),
                      "TooManyRequestsException", 429};
    refused.payload = json::serialize(
        json::object{{"Reason", *reason}, {"Type", "User"}, {"message", kThrottleMessage}});
    return deliver(std::move(done), std::move(refused));
  }
  auto inv = std::make_shared<Invocation>();
  inv->fn = &fn;
  inv->from_unreserved = !fn.config.reserved_concurrent_executions.has_value();
  inv->payload = std::move(payload);
  inv->done = std::move(done);
  inv->result.request_id = ids_.next_uuid();
  ++fn.metrics.invocations;
  ++fn.running;
  if (inv->from_unreserved) ++unreserved_running_;
  fn.metrics.concurrency_max = std::max(fn.metrics.concurrency_max, fn.running);
  core::TimeUs handler_start = executor_.now();
  if (!fn.idle.empty()) {
    inv->environment_id = fn.idle.back();
    fn.idle.pop_back();
    Environment& env = fn.environments[inv->environment_id];
    env.busy = true;
    ++env.idle_generation;
  } else {
    inv->environment_id = next_environment_id_++;
    fn.environments[inv->environment_id] = Environment{true, 0};
    inv->result.cold_start = true;
    ++fn.metrics.cold_starts;
    handler_start += fn.config.init_duration_us;
  }
  executor_.at(handler_start, [this, alive = std::weak_ptr<bool>(alive_), inv] {
    if (auto a = alive.lock(); a && *a) start_handler(inv);
  });
}

core::DurationUs LambdaService::draw_duration(Function& fn, const Payload& event) {
  const DurationModel* model = &fn.config.duration;
  if (!fn.config.route_durations.empty()) {
    auto it = fn.config.route_durations.find(fn.config.classifier(event));
    if (it != fn.config.route_durations.end()) model = &it->second;
  }
  return draw(*model, fn.duration_rng);
}

bool LambdaService::injected_error(Function& fn, core::TimeUs start) {
  const ErrorInjection& e = fn.config.errors;
  bool hit = false;
  if (e.rate > 0) hit = fn.error_rng.bernoulli(e.rate);  // always drawn, so streams stay aligned
  for (const auto& w : e.windows) hit = hit || (start >= w.from_us && start < w.to_us);
  return hit;
}

namespace {

void set_function_error(InvokeResult& r, std::string type, std::string message) {
  r.kind = InvokeResult::Kind::kFunctionError;
  r.payload = error_body(type, message);
  r.error_type = std::move(type);
  r.error_message = std::move(message);
}

// Runs the code at the runtime's edge: a Status error or an exception becomes a function error.
void run_code(FunctionCode& code, const Payload& payload, InvokeResult& r) {
  try {
    core::Result<Payload> out = code.invoke(payload);
    if (!out.is_ok()) {
      const core::Status& s = out.status();
      std::string type =
          s.aws_code().empty() ? std::string(core::to_string(s.code())) : s.aws_code();
      return set_function_error(r, std::move(type), s.message());
    }
    if (out->json_larger_than(kResponsePayloadBytesMax)) {
      return set_function_error(r, "Function.ResponseSizeTooLarge",
                                "Response payload size exceeded maximum allowed payload size "
                                "(6291556 bytes).");
    }
    r.kind = InvokeResult::Kind::kSuccess;
    r.payload = std::move(*out);
  } catch (const std::exception& e) {
    set_function_error(r, "Exception", e.what());
  } catch (...) {
    set_function_error(r, "Exception", "unknown exception");
  }
}

}  // namespace

void LambdaService::start_handler(const std::shared_ptr<Invocation>& inv) {
  Function& fn = *inv->fn;
  InvokeResult& r = inv->result;
  const core::TimeUs start = executor_.now();
  const core::DurationUs drawn = draw_duration(fn, inv->payload);
  if (injected_error(fn, start)) {
    set_function_error(r, fn.config.errors.error_type,
                       "RequestId: " + r.request_id + " Error: " + fn.config.errors.error_message);
  } else {
    run_code(*fn.code, inv->payload, r);
  }
  const core::DurationUs timeout_us = fn.config.timeout_s * core::kMicrosPerSecond;
  r.duration_us = std::min(drawn, timeout_us);
  if (drawn > timeout_us) {
    r.kind = InvokeResult::Kind::kTimeout;
    r.error_type = "Sandbox.Timedout";
    r.error_message = "RequestId: " + r.request_id + " Error: Task timed out after " +
                      std::to_string(fn.config.timeout_s) + ".00 seconds";
    r.payload = error_body(r.error_type, r.error_message);
  }
  inv->payload = Payload();
  executor_.at(start + r.duration_us, [this, alive = std::weak_ptr<bool>(alive_), inv] {
    if (auto a = alive.lock(); a && *a) finish(inv);
  });
}

void LambdaService::finish(const std::shared_ptr<Invocation>& inv) {
  Function& fn = *inv->fn;
  --fn.running;
  if (inv->from_unreserved) --unreserved_running_;
  fn.environments[inv->environment_id].busy = false;
  fn.idle.push_back(inv->environment_id);
  schedule_reclaim(fn, inv->environment_id);
  FunctionMetrics& m = fn.metrics;
  m.durations_us.push_back(inv->result.duration_us);
  if (inv->result.is_function_error()) ++m.errors;
  if (inv->result.kind == InvokeResult::Kind::kTimeout) ++m.timeouts;
  InvokeCallback done = std::move(inv->done);
  done(std::move(inv->result));
}

void LambdaService::schedule_reclaim(Function& fn, std::uint64_t env_id) {
  const std::uint64_t generation = fn.environments[env_id].idle_generation;
  executor_.at(executor_.now() + fn.config.idle_reclaim_us,
               [alive = std::weak_ptr<bool>(alive_), &fn, env_id, generation] {
                 auto a = alive.lock();
                 if (!a || !*a) return;
                 auto it = fn.environments.find(env_id);
                 if (it == fn.environments.end() || it->second.busy ||
                     it->second.idle_generation != generation) {
                   return;
                 }
                 fn.environments.erase(it);
                 std::erase(fn.idle, env_id);
               });
}

}  // namespace twin::fakes::lambda
