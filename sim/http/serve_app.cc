#include "sim/http/serve_app.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "core/encoding.h"
#include "sim/http/apigw_management.h"
#include "sim/http/sqs_json.h"
#include "sim/json_out.h"

namespace twin::sim::http {
namespace {

WireResponse json_response(int status, const boost::json::value& body) {
  return {status, {{"Content-Type", "application/json"}}, to_json(body)};
}

WireResponse not_supported(const WireRequest& request) {
  return json_response(404, {{"message", request.method + " " + std::string(request.path()) +
                                             " is not supported by the twin"}});
}

std::int64_t query_int(std::string_view query, std::string_view name, std::int64_t fallback) {
  std::string error;
  auto fields = core::parse_form(query, &error);
  if (!fields) return fallback;
  for (const auto& f : *fields) {
    if (f.first != name) continue;
    try {
      return std::stoll(f.second);
    } catch (const std::exception&) {
      return fallback;
    }
  }
  return fallback;
}

boost::json::object registration_json(const core::Registration& r) {
  return {{"registration_id", r.registration_id},
          {"player", r.request.player_first_name + " " + r.request.player_last_name},
          {"team", r.request.team_name + " " + r.request.age_group},
          {"season", r.request.current_registration_season},
          {"parent", r.request.parent_first_name + " " + r.request.parent_last_name},
          {"status", std::string(core::to_string(r.status))},
          {"invitation_sent", r.invitation_sent},
          {"created_at_us", r.created_at_us}};
}

// Every item of a paged gateway listing: `list(request)` page by page, from the first, at
// the largest page size.
template <typename Request, typename List>
auto all_pages(Request request, List list) {
  request.limit = fakes::apigw::kPageLimitMax;
  decltype(list(request)->items) items;
  for (;;) {
    auto page = list(request);
    if (!page.is_ok()) break;
    items.insert(items.end(), page->items.begin(), page->items.end());
    if (!page->position) break;
    request.position = page->position;
  }
  return items;
}

}  // namespace

ServeApp::ServeApp(const Fixture& fixture, ServeOptions options, core::Executor& executor,
                   std::string base_url)
    : fixture_(fixture),
      options_(std::move(options)),
      executor_(executor),
      base_url_(std::move(base_url)),
      started_at_us_(executor.now()) {}

ServeApp::~ServeApp() = default;

core::Result<std::unique_ptr<ServeApp>> ServeApp::create(const Fixture& fixture,
                                                         ServeOptions options,
                                                         core::Executor& executor,
                                                         std::string base_url) {
  std::unique_ptr<ServeApp> app(new ServeApp(fixture, std::move(options), executor, base_url));
  app->trace_ = std::make_unique<Trace>(executor, app->started_at_us_);
  StackStorage storage;
  storage.data_dir = app->options_.data_dir;
  storage.sqs_endpoint = base_url;
  auto stack = SimStack::build(app->fixture_, app->options_.seed, executor, *app->trace_, storage);
  if (!stack.is_ok()) return stack.status();
  app->stack_ = std::move(*stack);
  app->sqs_api_ = std::make_unique<SqsJsonApi>(app->stack_->sqs());
  app->management_api_ = std::make_unique<ApigwManagementApi>(app->stack_->gateway());
  app->handler_key_from_management_ = app->fixture_.stack.api_keys.empty();
  if (auto s = app->restore_gateway(); !s.is_ok()) return s;
  return app;
}

// The request edge: an exception from any endpoint (a bug) becomes a 500 for this request,
// with the detail on stderr, instead of taking the server down with everyone's requests.
void ServeApp::handle(WireRequest request, Respond respond) {
  ++requests_;
  auto answered = std::make_shared<bool>(false);
  Respond once = [answered, respond = std::move(respond)](WireResponse response) {
    if (*answered) return;
    *answered = true;
    respond(std::move(response));
  };
  try {
    route(std::move(request), once);
  } catch (const std::exception& e) {
    std::cerr << "twin serve: internal error: " << e.what() << "\n";
    once(json_response(500, {{"__type", "InternalFailure"},
                             {"message", "internal error in the twin (details on its stderr)"}}));
  }
}

void ServeApp::route(WireRequest request, Respond respond) {
  if (SqsJsonApi::is_sqs_request(request)) return sqs_api_->handle(request, std::move(respond));
  if (ApigwManagementApi::is_management_request(request)) {
    WireResponse response = management_api_->handle(request);
    after_management(request, response);
    return respond(std::move(response));
  }
  if (request.path().starts_with("/_twin/")) return respond(twin_endpoint(request));
  if (auto target = request.header("X-Amz-Target")) {
    return respond(
        json_response(400, {{"__type", "UnknownOperationException"},
                            {"message", std::string(*target) + " is not supported by the twin"}}));
  }
  execute_api(request, std::move(respond));
}

void ServeApp::execute_api(const WireRequest& request, Respond respond) {
  fakes::apigw::HttpRequest r;
  r.rest_api_id = stack_->rest_api_id();
  r.http_method = request.method;
  r.path = std::string(request.path());
  r.query_string = std::string(request.query());
  r.headers = request.headers;
  if (!request.body.empty()) r.body = request.body;
  r.source_ip = request.remote_ip;
  const std::size_t index = recorded_.size();
  if (options_.record_path) record(request, index, 0);
  stack_->gateway().handle(std::move(r), [this, index, respond = std::move(respond)](
                                             fakes::apigw::HttpResponse response) {
    if (options_.record_path && index < recorded_.size()) {
      recorded_[index]["status"] = response.status_code;
    }
    respond(
        WireResponse{response.status_code, std::move(response.headers), std::move(response.body)});
  });
}

WireResponse ServeApp::twin_endpoint(const WireRequest& request) {
  if (request.method != "GET") return not_supported(request);
  const std::string_view path = request.path();
  if (path == "/_twin/health") {
    return json_response(200, {{"status", "ok"},
                               {"uptime_ms", (executor_.now() - started_at_us_) / 1000},
                               {"requests", requests_}});
  }
  if (path == "/_twin/queues" || path.starts_with("/_twin/queues/")) {
    auto listed = stack_->sqs().list_queues({});
    if (!listed.is_ok()) return json_response(500, {{"message", listed.status().message()}});
    std::string only(path.size() > 14 ? path.substr(14) : "");
    boost::json::object queues;
    for (const auto& url : listed->queue_urls) {
      std::string name = url.substr(url.rfind('/') + 1);
      if (!only.empty() && name != only) continue;
      auto attrs = stack_->sqs().get_queue_attributes({url, {"All"}});
      boost::json::object a;
      if (attrs.is_ok()) {
        for (const auto& [k, v] : attrs->attributes) a[k] = v;
      }
      queues[name] = {{"QueueUrl", url}, {"Attributes", std::move(a)}};
    }
    if (!only.empty() && queues.empty()) {
      return json_response(404, {{"message", "no queue named " + only}});
    }
    return json_response(200, {{"queues", std::move(queues)}});
  }
  if (path == "/_twin/registrations") {
    const std::int64_t offset = query_int(request.query(), "offset", 0);
    const std::int64_t limit =
        std::clamp<std::int64_t>(query_int(request.query(), "limit", 100), 1, 1000);
    boost::json::array out;
    if (auto* store = stack_->sqlite_registrations()) {
      auto listed = store->list(offset, limit);
      if (!listed.is_ok()) return json_response(500, {{"message", listed.status().message()}});
      for (const auto& r : *listed) out.push_back(registration_json(r));
    } else {
      const auto& all = stack_->registrations().registrations();
      for (std::int64_t i = offset; i < static_cast<std::int64_t>(all.size()) && i < offset + limit;
           ++i) {
        out.push_back(registration_json(all[static_cast<std::size_t>(i)]));
      }
    }
    return json_response(200, {{"registrations", std::move(out)}});
  }
  return not_supported(request);
}

void ServeApp::after_management(const WireRequest& request, const WireResponse& response) {
  if (response.status >= 300 || request.method == "GET") return;
  // The first key created when the stack named none becomes the one the function accepts.
  if (handler_key_from_management_ && request.method == "POST" && request.path() == "/apikeys") {
    boost::json::error_code ec;
    auto created = boost::json::parse(response.body, ec);
    if (!ec && created.is_object()) {
      if (const auto* value = created.get_object().if_contains("value");
          value && value->is_string()) {
        stack_->set_handler_api_key(std::string(value->get_string()));
        handler_key_from_management_ = false;
      }
    }
  }
  persist_gateway();
}

void ServeApp::record(const WireRequest& request, std::size_t index, int status) {
  boost::json::object r;
  r["at"] = std::to_string(request.received_at_us - started_at_us_) + "us";
  r["method"] = request.method;
  r["path"] = std::string(request.path());
  if (!request.query().empty()) r["query"] = std::string(request.query());
  boost::json::object headers;
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "x-api-key")) {
      std::string key_name = key_name_of(value);
      if (key_name.empty()) {
        headers[name] = "REDACTED";
      } else {
        r["api_key"] = key_name;
      }
      continue;
    }
    if (iequals(name, "X-Twilio-Signature")) {
      r["sign"] = true;
      continue;
    }
    if (iequals(name, "Authorization")) continue;
    headers[name] = value;
  }
  r["headers"] = std::move(headers);
  if (!request.body.empty()) r["body"] = request.body;
  r["status"] = status;
  if (index == recorded_.size()) recorded_.push_back(std::move(r));
}

core::Status ServeApp::write_recording() const {
  if (!options_.record_path) return core::Status::ok();
  boost::json::object fixture;
  fixture["name"] = "recorded";
  fixture["description"] = "Requests recorded by twin serve, replayed at their arrival times.";
  fixture["seed"] = options_.seed;
  core::TimeUs last = 0;
  for (const auto& r : recorded_) {
    auto at = parse_duration(std::string(r.at("at").as_string()));
    if (at.is_ok()) last = std::max(last, *at);
  }
  fixture["duration"] = std::to_string(last / 1000 + 60'000) + "ms";  // a minute to settle
  fixture["stack"] = recorded_stack();
  boost::json::array requests;
  for (const auto& r : recorded_) requests.push_back(r);
  fixture["traffic"] =
      boost::json::array{{{"type", "recorded"}, {"requests", std::move(requests)}}};
  fixture["expect"] = {{"recorded_mismatches", 0}};
  std::ofstream out(*options_.record_path, std::ios::binary | std::ios::trunc);
  out << to_json(fixture, 2) << "\n";
  out.flush();
  if (!out) {
    return core::Status(core::StatusCode::kUnavailable,
                        "cannot write the recording to " + *options_.record_path);
  }
  return core::Status::ok();
}

std::vector<ServeApp::RecordedKey> ServeApp::recorded_keys() const {
  fakes::apigw::GetApiKeysRequest request;
  request.include_values = true;
  std::vector<fakes::apigw::ApiKey> keys =
      all_pages(request, [this](const auto& r) { return stack_->gateway().get_api_keys(r); });
  // The stack's keys first, in its order, then those created live, oldest first: an order
  // that only grows at the end, so a name given here never changes later in the session.
  const auto& listed = fixture_.stack.api_keys;
  const auto rank = [&listed](const fakes::apigw::ApiKey& k) {
    const auto it = std::find_if(listed.begin(), listed.end(),
                                 [&k](const ApiKeySpec& spec) { return spec.name == k.name; });
    return std::make_tuple(it - listed.begin(), k.created_date, k.id);
  };
  std::sort(keys.begin(), keys.end(),
            [&rank](const auto& a, const auto& b) { return rank(a) < rank(b); });
  // AWS lets keys share a name or have none; a fixture names each key once.
  std::vector<RecordedKey> out;
  std::set<std::string> taken;
  for (auto& k : keys) {
    std::string name = k.name.empty() ? "key " + k.id : k.name;
    if (!taken.insert(name).second) {
      name += " (" + k.id + ")";
      taken.insert(name);
    }
    out.push_back({std::move(name), std::move(k)});
  }
  return out;
}

std::string ServeApp::key_name_of(std::string_view value) const {
  for (const auto& k : recorded_keys()) {
    if (k.key.value == value) return k.name;
  }
  return {};
}

boost::json::value ServeApp::recorded_stack() const {
  boost::json::object stack =
      options_.stack_json.is_object() ? options_.stack_json.get_object() : boost::json::object();
  auto& gateway = stack_->gateway();
  const std::vector<RecordedKey> keys = recorded_keys();
  std::map<std::string, std::string> name_by_id;
  boost::json::array key_array;
  for (const auto& k : keys) {
    name_by_id[k.key.id] = k.name;
    key_array.push_back({{"name", k.name}, {"value", k.key.value}, {"enabled", k.key.enabled}});
  }
  stack["apiKeys"] = std::move(key_array);

  // Usage plans as they are now (UpdateUsagePlan included), with their per-method throttles
  // on the stack's stage. A plan that does not cover the stack's stage is left out: its keys
  // get 403 on this API either way, and a fixture's plans always cover the stage.
  std::vector<fakes::apigw::UsagePlan> plans =
      all_pages(fakes::apigw::GetUsagePlansRequest{},
                [&gateway](const auto& r) { return gateway.get_usage_plans(r); });
  const auto& listed_plans = fixture_.stack.usage_plans;
  std::stable_sort(plans.begin(), plans.end(), [&listed_plans](const auto& a, const auto& b) {
    const auto rank = [&listed_plans](const std::string& name) {
      return std::find_if(listed_plans.begin(), listed_plans.end(),
                          [&name](const UsagePlanSpec& spec) { return spec.name == name; }) -
             listed_plans.begin();
    };
    return rank(a.name) < rank(b.name);
  });
  const auto throttle_json = [](const fakes::apigw::ThrottleSettings& t) {
    boost::json::object out;
    if (t.rate_limit) out["rateLimit"] = *t.rate_limit;
    if (t.burst_limit) out["burstLimit"] = *t.burst_limit;
    return out;
  };
  boost::json::array plan_array;
  for (const auto& p : plans) {
    const auto stage =
        std::find_if(p.api_stages.begin(), p.api_stages.end(), [this](const auto& s) {
          return s.api_id == fixture_.stack.rest_api_id && s.stage == fixture_.stack.stage_name;
        });
    if (stage == p.api_stages.end()) continue;
    boost::json::object plan{{"name", p.name}};
    if (p.throttle) plan["throttle"] = throttle_json(*p.throttle);
    if (p.quota) {
      plan["quota"] = {{"limit", p.quota->limit},
                       {"offset", p.quota->offset},
                       {"period", std::string(fakes::apigw::to_string(p.quota->period))}};
    }
    if (!stage->throttle.empty()) {
      boost::json::object methods;
      for (const auto& [method, limits] : stage->throttle) methods[method] = throttle_json(limits);
      plan["apiStages"] = boost::json::array{{{"stage", stage->stage}, {"throttle", methods}}};
    }
    boost::json::array plan_keys;
    fakes::apigw::GetUsagePlanKeysRequest keys_request;
    keys_request.usage_plan_id = p.id;
    for (const auto& m : all_pages(
             keys_request, [&gateway](const auto& r) { return gateway.get_usage_plan_keys(r); })) {
      plan_keys.push_back(boost::json::string(name_by_id[m.id]));
    }
    plan["apiKeys"] = std::move(plan_keys);
    plan_array.push_back(std::move(plan));
  }
  stack["usagePlans"] = std::move(plan_array);
  return stack;
}

void ServeApp::persist_gateway() {
  if (!options_.data_dir) return;
  // Write-then-rename, so a crash leaves the previous state whole, never half a file.
  const std::string path = *options_.data_dir + "/apigw.json";
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << stack_->gateway().export_management_state();
    out.flush();
    if (!out) return;  // the next write tries again; the old file still holds
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
}

core::Status ServeApp::restore_gateway() {
  if (!options_.data_dir) return core::Status::ok();
  const std::string path = *options_.data_dir + "/apigw.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    persist_gateway();  // the stack's own keys and plans, for the next start
    return core::Status::ok();
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (auto s = stack_->gateway().import_management_state(text.str()); !s.is_ok()) {
    return core::Status(core::StatusCode::kFailedPrecondition, path + ": " + s.message());
  }
  // A key created live on a previous run is the function's key again.
  if (handler_key_from_management_) {
    fakes::apigw::GetApiKeysRequest request;
    request.include_values = true;
    request.limit = 1;
    if (auto page = stack_->gateway().get_api_keys(request); page.is_ok() && !page->items.empty()) {
      stack_->set_handler_api_key(page->items.front().value);
      handler_key_from_management_ = false;
    }
  }
  return core::Status::ok();
}

}  // namespace twin::sim::http
