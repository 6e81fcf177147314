// The `stack` section of a fixture (sim/fixture.h). Everything is checked here that can be
// checked without building the stack; what only the fakes know (an SQS attribute's range, say)
// is checked when the replay builds it, and reported under the same JSON path.
#include <algorithm>
#include <cctype>
#include <set>

#include "sim/fixture_read.h"
#include "sim/http/apigw_operations.h"

namespace twin::sim {
namespace {

namespace apigw = fakes::apigw;
namespace lambda = fakes::lambda;

apigw::ThrottleSettings read_throttle(const boost::json::value& v, const std::string& path) {
  ObjectIn in(v, path);
  apigw::ThrottleSettings t;
  t.rate_limit = in.opt_number("rateLimit", 0, 1e9);
  t.burst_limit = in.opt_integer("burstLimit", 0, 1'000'000'000);
  in.done();
  return t;
}

apigw::QuotaSettings read_quota(const boost::json::value& v, const std::string& path) {
  ObjectIn in(v, path);
  apigw::QuotaSettings q;
  q.limit = in.integer("limit", 0, 2'000'000'000);
  q.offset = in.opt_integer("offset", 0, 27).value_or(0);
  std::string period = in.str("period");
  if (period == "DAY") {
    q.period = apigw::QuotaPeriod::kDay;
  } else if (period == "WEEK") {
    q.period = apigw::QuotaPeriod::kWeek;
  } else if (period == "MONTH") {
    q.period = apigw::QuotaPeriod::kMonth;
  } else {
    throw JsonInError(in.child("period"), "must be DAY, WEEK or MONTH, got \"" + period + "\"");
  }
  in.done();
  return q;
}

// "/trigger/POST", "/webhook/POST" or "*/*": the method keys the twin's API has.
void check_method_key(const std::string& key, const std::string& path, bool star_allowed) {
  static const std::set<std::string> kKeys = {"/trigger/POST", "/webhook/POST"};
  if (kKeys.contains(key) || (star_allowed && key == "*/*")) return;
  throw JsonInError(path, std::string("unknown method; the API has ") +
                              (star_allowed ? "\"*/*\", " : "") +
                              "\"/trigger/POST\" and \"/webhook/POST\"");
}

void read_account(const boost::json::value& v, const std::string& path, StackSpec& stack) {
  ObjectIn in(v, path);
  if (const auto* t = in.find("throttle"))
    stack.account_throttle = read_throttle(*t, in.child("throttle"));
  stack.account_concurrency =
      in.opt_integer("ConcurrentExecutions", 1, 1'000'000).value_or(stack.account_concurrency);
  in.done();
}

void read_api_keys(const boost::json::array& keys, const std::string& path, StackSpec& stack) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    ObjectIn in(keys[i], index_path(path, i));
    ApiKeySpec key;
    key.name = in.str("name");
    key.value = in.str("value");
    if (key.value.size() < apigw::kApiKeyValueLengthMin ||
        key.value.size() > apigw::kApiKeyValueLengthMax) {
      throw JsonInError(in.child("value"), "an API key value has 20 to 128 characters (AWS)");
    }
    key.enabled = in.opt_bool("enabled").value_or(true);
    in.done();
    if (!names.insert(key.name).second) {
      throw JsonInError(in.child("name"), "duplicate API key name \"" + key.name + "\"");
    }
    stack.api_keys.push_back(std::move(key));
  }
}

void read_usage_plans(const boost::json::array& plans, const std::string& path, StackSpec& stack) {
  for (std::size_t i = 0; i < plans.size(); ++i) {
    ObjectIn in(plans[i], index_path(path, i));
    UsagePlanSpec plan;
    plan.name = in.str("name");
    if (const auto* t = in.find("throttle"))
      plan.throttle = read_throttle(*t, in.child("throttle"));
    if (const auto* q = in.find("quota")) plan.quota = read_quota(*q, in.child("quota"));
    if (const auto* stages = in.opt_array("apiStages")) {
      for (std::size_t s = 0; s < stages->size(); ++s) {
        ObjectIn st((*stages)[s], index_path(in.child("apiStages"), s));
        std::string name = st.str("stage");
        if (name != stack.stage_name) {
          throw JsonInError(st.child("stage"), "the API has one stage, \"" + stack.stage_name +
                                                   "\"; got \"" + name + "\"");
        }
        if (const auto* t = st.find("throttle")) {
          ObjectIn methods(*t, st.child("throttle"));
          methods.take_all();
          for (const auto& kv : methods.raw()) {
            std::string key(kv.key());
            check_method_key(key, methods.child(key), false);
            plan.method_throttles[key] = read_throttle(kv.value(), methods.child(key));
          }
        }
        st.done();
      }
    }
    if (const auto* keys = in.opt_array("apiKeys")) {
      for (std::size_t k = 0; k < keys->size(); ++k) {
        auto key_path = index_path(in.child("apiKeys"), k);
        std::string name = read_string((*keys)[k], key_path);
        bool known = std::any_of(stack.api_keys.begin(), stack.api_keys.end(),
                                 [&](const ApiKeySpec& a) { return a.name == name; });
        if (!known) throw JsonInError(key_path, "no API key named \"" + name + "\" in apiKeys");
        plan.api_keys.push_back(name);
      }
    }
    in.done();
    stack.usage_plans.push_back(std::move(plan));
  }
}

void read_method_settings(const boost::json::value& v, const std::string& path, StackSpec& stack) {
  ObjectIn in(v, path);
  in.take_all();
  for (const auto& kv : in.raw()) {
    std::string key(kv.key());
    check_method_key(key, in.child(key), true);
    ObjectIn m(kv.value(), in.child(key));
    apigw::MethodSetting setting;
    setting.throttling_rate_limit = m.opt_number("throttlingRateLimit", 0, 1e9);
    setting.throttling_burst_limit = m.opt_integer("throttlingBurstLimit", 0, 1'000'000'000);
    m.done();
    stack.method_settings[key] = setting;
  }
}

void read_function(const boost::json::value& v, const std::string& path, StackSpec& stack) {
  ObjectIn in(v, path);
  auto& f = stack.function;
  f.function_name = in.opt_str("FunctionName").value_or("registration-bot");
  f.timeout_s = in.opt_integer("Timeout", lambda::kTimeoutSecondsMin, lambda::kTimeoutSecondsMax)
                    .value_or(30);
  f.memory_size_mb =
      in.opt_integer("MemorySize", lambda::kMemorySizeMbMin, lambda::kMemorySizeMbMax)
          .value_or(f.memory_size_mb);
  f.reserved_concurrent_executions = in.opt_integer("ReservedConcurrentExecutions", 0, 1'000'000);
  f.init_duration_us =
      in.opt_duration("init_duration", 0, lambda::kInitDurationUsMax).value_or(f.init_duration_us);
  f.idle_reclaim_us =
      in.opt_duration("idle_reclaim", core::kMicrosPerSecond, 24 * core::kMicrosPerHour)
          .value_or(f.idle_reclaim_us);
  if (const auto* d = in.find("durations")) {
    ObjectIn models(*d, in.child("durations"));
    models.take_all();
    for (const auto& kv : models.raw()) {
      std::string route(kv.key());
      if (route != "default" && route != "/trigger" && route != "/webhook" && route != "sqs") {
        throw JsonInError(models.child(route),
                          "a duration model is for \"default\", \"/trigger\", \"/webhook\" or "
                          "\"sqs\"");
      }
      auto model = read_duration_model(kv.value(), models.child(route));
      if (route == "default") {
        f.duration = model;
      } else {
        f.route_durations[route] = model;
      }
    }
  }
  in.done();
}

void read_queues(const boost::json::array& queues, const std::string& path, StackSpec& stack) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < queues.size(); ++i) {
    ObjectIn in(queues[i], index_path(path, i));
    QueueSpec q;
    q.queue_name = in.str("QueueName");
    if (!names.insert(q.queue_name).second) {
      throw JsonInError(in.child("QueueName"), "duplicate queue \"" + q.queue_name + "\"");
    }
    if (const auto* a = in.find("Attributes")) {
      ObjectIn attrs(*a, in.child("Attributes"));
      attrs.take_all();
      for (const auto& kv : attrs.raw()) {
        std::string key(kv.key());
        const auto& value = kv.value();
        if (value.is_string()) {
          q.attributes[key] = std::string(value.get_string());
        } else if (value.is_number()) {
          q.attributes[key] = std::to_string(read_integer(value, attrs.child(key), 0, INT64_MAX));
        } else if (value.is_object() && (key == "RedrivePolicy" || key == "RedriveAllowPolicy")) {
          q.attributes[key] = boost::json::serialize(value);
        } else {
          throw JsonInError(attrs.child(key), "expected a string, got " + type_name(value));
        }
      }
    }
    in.done();
    stack.queues.push_back(std::move(q));
  }
}

void read_event_source_mapping(const boost::json::value& v, const std::string& path,
                               StackSpec& stack) {
  ObjectIn in(v, path);
  fakes::esm::EventSourceMappingConfig m;
  // The twin's ranges are checked by EventSourceMapping::create when the stack is built; here
  // only the types, so both report under this path.
  m.batch_size = in.opt_integer("BatchSize", INT64_MIN, INT64_MAX);
  m.maximum_batching_window_in_seconds =
      in.opt_integer("MaximumBatchingWindowInSeconds", INT64_MIN, INT64_MAX);
  if (const auto* types = in.opt_array("FunctionResponseTypes")) {
    for (std::size_t i = 0; i < types->size(); ++i) {
      m.function_response_types.push_back(
          read_string((*types)[i], index_path(in.child("FunctionResponseTypes"), i)));
    }
  }
  if (const auto* scaling = in.find("ScalingConfig")) {
    ObjectIn s(*scaling, in.child("ScalingConfig"));
    m.maximum_concurrency = s.opt_integer("MaximumConcurrency", INT64_MIN, INT64_MAX);
    s.done();
  }
  in.done();
  stack.event_source_mapping = m;
}

void read_handler(const boost::json::value& v, const std::string& path, StackSpec& stack) {
  ObjectIn in(v, path);
  stack.function_api_key = in.opt_str("api_key");
  if (stack.function_api_key) {
    bool known =
        std::any_of(stack.api_keys.begin(), stack.api_keys.end(),
                    [&](const ApiKeySpec& a) { return a.name == *stack.function_api_key; });
    if (!known) {
      throw JsonInError(in.child("api_key"),
                        "no API key named \"" + *stack.function_api_key + "\" in apiKeys");
    }
  }
  stack.webhook_queue = in.opt_str("webhook_queue");
  stack.public_base_url = in.opt_str("public_base_url");
  stack.idempotency_ttl_us =
      in.opt_duration("idempotency_ttl", core::kMicrosPerSecond, 30 * 24 * core::kMicrosPerHour)
          .value_or(stack.idempotency_ttl_us);
  in.done();
}

void read_twilio(const boost::json::value& v, const std::string& path, StackSpec& stack) {
  ObjectIn in(v, path);
  stack.twilio_auth_token = in.opt_str("auth_token");
  if (auto sid = in.opt_str("account_sid")) stack.twilio_account_sid = *sid;
  stack.twilio_rate_limit_mps = in.opt_number("rate_limit", 0.001, 1e6);
  stack.twilio_burst_limit = in.opt_integer("burst_limit", 1, 1'000'000).value_or(1);
  in.done();
}

}  // namespace

lambda::DurationModel read_duration_model(const boost::json::value& v, const std::string& path) {
  ObjectIn in(v, path);
  if (in.raw().size() != 1) {
    throw JsonInError(path, "expected exactly one of \"fixed\", \"uniform\", \"log_normal\"");
  }
  constexpr core::DurationUs kMax = 24 * core::kMicrosPerHour;
  lambda::DurationModel model;
  if (in.has("fixed")) {
    model = lambda::DurationModel::fixed(in.duration("fixed", 0, kMax));
  } else if (const auto* u = in.find("uniform")) {
    ObjectIn range(*u, in.child("uniform"));
    auto lo = range.duration("min", 0, kMax);
    auto hi = range.duration("max", lo, kMax);
    range.done();
    model = lambda::DurationModel::uniform(lo, hi);
  } else if (const auto* l = in.find("log_normal")) {
    ObjectIn p(*l, in.child("log_normal"));
    auto median = p.duration("median", 1, kMax);
    double sigma = p.number("sigma", 0, 5);
    p.done();
    model = lambda::DurationModel::log_normal(median, sigma);
  }
  in.done();
  return model;
}

// AWS's stage names: letters, digits, '-' and '_', at most 128. twin serve answers the API
// Gateway management API and its own /_twin/ endpoints on the same port as the stage, so a
// stage named like one of their first path segments would be unreachable: refused here.
void check_stage_name(const std::string& name, const std::string& path) {
  constexpr std::size_t kStageNameMax = 128;
  const bool valid = !name.empty() && name.size() <= kStageNameMax &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                     });
  if (!valid) {
    throw JsonInError(
        path, "a stage name has 1 to 128 letters, digits, '-' or '_' (AWS), got \"" + name + "\"");
  }
  if (name == "_twin" || http::is_apigw_collection(name)) {
    throw JsonInError(path,
                      "\"" + name +
                          "\" is a path twin serve answers itself (the API Gateway management "
                          "API or /_twin/): name the stage otherwise");
  }
}

void read_stack(const boost::json::value& v, const std::string& path, StackSpec& stack) {
  ObjectIn in(v, path);
  if (auto region = in.opt_str("region")) stack.region = *region;
  if (auto id = in.opt_str("restApiId")) stack.rest_api_id = *id;
  if (auto stage = in.opt_str("stageName")) {
    check_stage_name(*stage, in.child("stageName"));
    stack.stage_name = *stage;
  }
  if (const auto* a = in.find("account")) read_account(*a, in.child("account"), stack);
  if (const auto* keys = in.opt_array("apiKeys")) read_api_keys(*keys, in.child("apiKeys"), stack);
  if (const auto* plans = in.opt_array("usagePlans")) {
    read_usage_plans(*plans, in.child("usagePlans"), stack);
  }
  if (const auto* m = in.find("methodSettings")) {
    read_method_settings(*m, in.child("methodSettings"), stack);
  }
  stack.trigger_api_key_required = in.opt_bool("triggerApiKeyRequired").value_or(true);
  stack.function.function_name = "registration-bot";
  stack.function.timeout_s = 30;
  if (const auto* f = in.find("function")) read_function(*f, in.child("function"), stack);
  if (const auto* q = in.opt_array("queues")) read_queues(*q, in.child("queues"), stack);
  if (const auto* h = in.find("handler")) read_handler(*h, in.child("handler"), stack);
  if (stack.webhook_queue) {
    bool known = std::any_of(stack.queues.begin(), stack.queues.end(), [&](const QueueSpec& q) {
      return q.queue_name == *stack.webhook_queue;
    });
    if (!known) {
      throw JsonInError(member_path(in.child("handler"), "webhook_queue"),
                        "no queue named \"" + *stack.webhook_queue + "\" in queues");
    }
  }
  if (const auto* m = in.find("eventSourceMapping")) {
    if (!stack.webhook_queue) {
      throw JsonInError(in.child("eventSourceMapping"),
                        "needs handler.webhook_queue: the mapping reads the webhook queue");
    }
    read_event_source_mapping(*m, in.child("eventSourceMapping"), stack);
  }
  if (const auto* t = in.find("twilio")) read_twilio(*t, in.child("twilio"), stack);
  in.done();
}

}  // namespace twin::sim
