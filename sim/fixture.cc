#include "sim/fixture.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/fixture_read.h"

namespace twin::sim {
namespace {

constexpr core::DurationUs kDay = 24 * core::kMicrosPerHour;

ClientSpec read_client(const boost::json::value& v, const std::string& path, ClientSpec client) {
  ObjectIn in(v, path);
  if (auto t = in.opt_duration("timeout", core::kMicrosPerMilli, kDay)) client.timeout_us = t;
  if (const auto* r = in.find("retry")) {
    ObjectIn retry(*r, in.child("retry"));
    // A retry section means retrying: 3 attempts (the SDK's default) unless the fixture-wide
    // client already set a number, which a generator's own section keeps.
    client.retry.max_attempts =
        retry.opt_integer("max_attempts", 1, 20)
            .value_or(client.retry.max_attempts > 1 ? client.retry.max_attempts : 3);
    client.retry.base_delay_us =
        retry.opt_duration("base_delay", 1, kDay).value_or(client.retry.base_delay_us);
    client.retry.max_backoff_us =
        retry.opt_duration("max_backoff", client.retry.base_delay_us, kDay)
            .value_or(client.retry.max_backoff_us);
    retry.done();
  }
  in.done();
  return client;
}

std::string read_route(ObjectIn& in) {
  std::string route = in.str("route");
  if (route != "/trigger" && route != "/webhook") {
    throw JsonInError(in.child("route"),
                      "must be \"/trigger\" or \"/webhook\", got \"" + route + "\"");
  }
  return route;
}

boost::json::object default_template() {
  return {{"player_first_name", "Player${i}"},
          {"player_last_name", "Smith"},
          {"team_name", "Panthers"},
          {"age_group", "u11s"},
          {"manager_full_name", "Alex Manager"},
          {"current_registration_season", "2025-26"},
          {"parent_first_name", "Parent${i}"},
          {"parent_last_name", "Smith"},
          {"parent_tel", "+447700${i:6}"},
          {"membership_fee_amount", "45.00"},
          {"subscription_fee_amount", "27.50"}};
}

// Only ${i} and ${i:N} (N of one or two digits) are placeholders; anything else that starts
// with "${" is refused, naming where, rather than sent as literal text by surprise.
void check_placeholders(std::string_view text, const std::string& path) {
  for (auto at = text.find("${"); at != std::string_view::npos; at = text.find("${", at + 2)) {
    auto rest = text.substr(at);
    auto close = rest.find('}');
    std::string_view inner = close == std::string_view::npos ? rest : rest.substr(2, close - 2);
    bool ok = inner == "i";
    if (inner.size() >= 3 && inner.size() <= 4 && inner.starts_with("i:")) {
      ok = std::all_of(inner.begin() + 2, inner.end(), [](char c) { return c >= '0' && c <= '9'; });
    }
    if (!ok || close == std::string_view::npos) {
      throw JsonInError(path, "unknown placeholder at \"" + std::string(rest.substr(0, 12)) +
                                  "\"; use ${i} or ${i:N}");
    }
  }
}

void read_request_shape(ObjectIn& in, const StackSpec& stack, TrafficSpec& t) {
  if (auto key = in.opt_str("api_key")) {
    bool known = std::any_of(stack.api_keys.begin(), stack.api_keys.end(),
                             [&](const ApiKeySpec& a) { return a.name == *key; });
    if (!known) throw JsonInError(in.child("api_key"), "no API key named \"" + *key + "\"");
    t.api_key = key;
  }
  t.api_key_value = in.opt_str("api_key_value");
  t.body_template = default_template();
  if (const auto* tpl = in.find("template")) {
    ObjectIn fields(*tpl, in.child("template"));
    fields.take_all();
    t.body_template = fields.raw();
    for (const auto& kv : t.body_template) {
      if (kv.value().is_string())
        check_placeholders(kv.value().get_string(), fields.child(kv.key()));
    }
  }
  if (auto from = in.opt_str("from")) t.from = *from;
  if (auto body = in.opt_str("body")) t.body = *body;
  check_placeholders(t.from, in.child("from"));
  check_placeholders(t.body, in.child("body"));
  t.sign = in.opt_bool("sign").value_or(true);
  t.first_index = in.opt_integer("first_index", 0, 1'000'000'000).value_or(0);
}

RecordedRequest read_recorded(const boost::json::value& v, const std::string& path) {
  ObjectIn in(v, path);
  RecordedRequest r;
  r.at_us = in.duration("at", 0, kFixtureDurationMax);
  r.method = in.opt_str("method").value_or("POST");
  r.path = in.str("path");
  if (r.path.front() != '/') throw JsonInError(in.child("path"), "must start with '/'");
  r.query_string = in.opt_str("query").value_or("");
  if (const auto* h = in.find("headers")) {
    ObjectIn headers(*h, in.child("headers"));
    headers.take_all();
    for (const auto& kv : headers.raw()) {
      r.headers.emplace_back(std::string(kv.key()),
                             read_string(kv.value(), headers.child(kv.key())));
    }
  }
  r.body = in.opt_str("body");
  if (auto status = in.opt_integer("status", 100, 599)) {
    r.recorded_status = static_cast<int>(*status);
  }
  r.api_key = in.opt_str("api_key");
  r.sign = in.opt_bool("sign").value_or(false);
  in.done();
  return r;
}

TrafficSpec read_traffic(const boost::json::value& v, const std::string& path,
                         const Fixture& fixture) {
  ObjectIn in(v, path);
  TrafficSpec t;
  t.client = fixture.client;
  std::string type = in.str("type");
  t.name = in.opt_str("name").value_or(path.substr(2));
  if (const auto* c = in.find("client")) t.client = read_client(*c, in.child("client"), t.client);
  auto within_run = [&](std::string_view key) {
    return in.opt_duration(key, 0, fixture.duration_us).value_or(0);
  };
  if (type == "bulk_invite") {
    t.kind = TrafficSpec::Kind::kBulkInvite;
    t.route = "/trigger";
    t.start_us = within_run("start");
    t.count = in.integer("count", 1, kGeneratorRequestsMax);
    t.spacing_us = in.opt_duration("spacing", 0, kDay).value_or(0);
    read_request_shape(in, fixture.stack, t);
  } else if (type == "series" || type == "burst") {
    t.kind = type == "burst" ? TrafficSpec::Kind::kBurst : TrafficSpec::Kind::kSeries;
    t.route = read_route(in);
    t.start_us = within_run("start");
    t.count = in.integer("count", 1, kGeneratorRequestsMax);
    if (type == "series") t.spacing_us = in.duration("spacing", 0, kDay);
    read_request_shape(in, fixture.stack, t);
  } else if (type == "poisson") {
    t.kind = TrafficSpec::Kind::kPoisson;
    t.route = read_route(in);
    t.start_us = within_run("start");
    t.end_us =
        in.opt_duration("end", t.start_us, fixture.duration_us).value_or(fixture.duration_us);
    t.rate_per_s = in.number("rate", 1e-6, 10'000);
    read_request_shape(in, fixture.stack, t);
  } else if (type == "sqs_send") {
    t.kind = TrafficSpec::Kind::kSqsSend;
    t.queue = in.str("queue");
    bool known = std::any_of(fixture.stack.queues.begin(), fixture.stack.queues.end(),
                             [&](const QueueSpec& q) { return q.queue_name == t.queue; });
    if (!known) throw JsonInError(in.child("queue"), "no queue named \"" + t.queue + "\"");
    t.start_us = within_run("start");
    t.count = in.integer("count", 1, kGeneratorRequestsMax);
    t.spacing_us = in.opt_duration("spacing", 0, kDay).value_or(0);
    t.body = in.str("body");
    check_placeholders(t.body, in.child("body"));
    t.first_index = in.opt_integer("first_index", 0, 1'000'000'000).value_or(0);
  } else if (type == "replies") {
    t.kind = TrafficSpec::Kind::kReplies;
    t.route = "/webhook";
    t.delay = read_duration_model(in.need("delay"), in.child("delay"));
    t.probability = in.opt_number("probability", 0, 1).value_or(1.0);
    if (auto body = in.opt_str("body")) t.body = *body;
    t.sign = in.opt_bool("sign").value_or(true);
  } else if (type == "recorded") {
    t.kind = TrafficSpec::Kind::kRecorded;
    const auto* requests = in.opt_array("requests");
    if (requests == nullptr) throw JsonInError(in.child("requests"), "required");
    for (std::size_t i = 0; i < requests->size(); ++i) {
      t.requests.push_back(read_recorded((*requests)[i], index_path(in.child("requests"), i)));
      const auto& r = t.requests.back();
      auto at = index_path(in.child("requests"), i);
      if (r.api_key && std::none_of(fixture.stack.api_keys.begin(), fixture.stack.api_keys.end(),
                                    [&](const ApiKeySpec& k) { return k.name == *r.api_key; })) {
        throw JsonInError(at + ".api_key", "no API key named \"" + *r.api_key + "\"");
      }
      if (r.sign && !fixture.stack.twilio_auth_token) {
        throw JsonInError(at + ".sign", "signing needs stack.twilio.auth_token");
      }
      if (t.requests.back().at_us > fixture.duration_us) {
        throw JsonInError(index_path(in.child("requests"), i) + ".at", "after the run's duration");
      }
    }
  } else {
    throw JsonInError(in.child("type"), "unknown generator \"" + type +
                                            "\"; one of bulk_invite, series, burst, poisson, "
                                            "replies, recorded, sqs_send");
  }
  if (const auto* r = in.find("repeat")) {
    if (t.kind == TrafficSpec::Kind::kPoisson || t.kind == TrafficSpec::Kind::kReplies ||
        t.kind == TrafficSpec::Kind::kRecorded) {
      throw JsonInError(in.child("repeat"), "only bulk_invite, series, burst and sqs_send repeat");
    }
    ObjectIn repeat(*r, in.child("repeat"));
    t.repeat_times = repeat.integer("times", 1, kGeneratorRequestsMax);
    t.repeat_every_us = repeat.duration("every", 0, fixture.duration_us);
    repeat.done();
    if (t.repeat_times * t.count > kGeneratorRequestsMax) {
      throw JsonInError(in.child("repeat"), "more than " + std::to_string(kGeneratorRequestsMax) +
                                                " requests from one generator");
    }
  }
  in.done();
  if ((t.kind == TrafficSpec::Kind::kReplies || t.route == "/webhook") && t.sign &&
      !fixture.stack.twilio_auth_token) {
    throw JsonInError(path, "signed webhooks need stack.twilio.auth_token (or \"sign\": false)");
  }
  return t;
}

FaultSpec read_fault(const boost::json::value& v, const std::string& path, const Fixture& fixture) {
  static const std::map<std::string, FaultSpec::Site> kSites = {
      {"lambda.error", FaultSpec::Site::kLambdaError},
      {"lambda.timeout", FaultSpec::Site::kLambdaTimeout},
      {"sqs.send_failure", FaultSpec::Site::kSqsSendFailure},
      {"sqs.duplicate", FaultSpec::Site::kDuplicateDelivery},
      {"batch.crash", FaultSpec::Site::kBatchCrash},
      {"twilio.send_failure", FaultSpec::Site::kTwilioSendFailure}};
  ObjectIn in(v, path);
  FaultSpec f;
  std::string site = in.str("site");
  auto it = kSites.find(site);
  if (it == kSites.end()) {
    throw JsonInError(in.child("site"), "unknown fault site \"" + site +
                                            "\"; one of lambda.error, lambda.timeout, "
                                            "sqs.send_failure, sqs.duplicate, batch.crash, "
                                            "twilio.send_failure");
  }
  f.site = it->second;
  f.name = in.opt_str("name").value_or(path.substr(2));
  bool lambda_site =
      f.site == FaultSpec::Site::kLambdaError || f.site == FaultSpec::Site::kLambdaTimeout;
  if (auto route = in.opt_str("route")) {
    if (!lambda_site) throw JsonInError(in.child("route"), "only lambda faults take a route");
    if (*route != "/trigger" && *route != "/webhook" && *route != "sqs") {
      throw JsonInError(in.child("route"), "must be \"/trigger\", \"/webhook\" or \"sqs\"");
    }
    f.route = *route;
  }
  f.rate = in.opt_number("rate", 0, 1).value_or(0);
  if (const auto* windows = in.opt_array("windows")) {
    for (std::size_t i = 0; i < windows->size(); ++i) {
      ObjectIn w((*windows)[i], index_path(in.child("windows"), i));
      auto from = w.duration("from", 0, fixture.duration_us);
      auto to = w.duration("to", from, fixture.duration_us);
      w.done();
      f.windows.push_back({from, to});
    }
  }
  if (f.site == FaultSpec::Site::kBatchCrash) {
    f.after_records = in.integer("after_records", 0, 10'000);
  }
  if (f.rate == 0 && f.windows.empty()) {
    throw JsonInError(path, "a fault needs a rate above 0 or at least one window");
  }
  in.done();
  if ((f.site == FaultSpec::Site::kSqsSendFailure ||
       f.site == FaultSpec::Site::kDuplicateDelivery) &&
      !fixture.stack.webhook_queue) {
    throw JsonInError(in.child("site"), "needs a webhook queue (stack.handler.webhook_queue)");
  }
  return f;
}

// The figures a fixture may expect, by their place in the report ("*" = any key there).
bool known_figure(const std::vector<std::string>& keys, const Fixture& fixture) {
  auto n = keys.size();
  const std::string& top = keys[0];
  if (top == "invitations_sent" || top == "messages_processed" || top == "messages_accepted" ||
      top == "recorded_mismatches" || top == "exactly_once" || top == "duplicate_effects" ||
      top == "lost_messages") {
    return n == 1;
  }
  if (top == "registrations") {
    return n == 2 && (keys[1] == "pending" || keys[1] == "replied" || keys[1] == "total");
  }
  if (top == "gateway") {
    static const std::set<std::string> kGateway = {"requests",
                                                   "missing_authentication_token",
                                                   "invalid_api_key",
                                                   "quota_exceeded",
                                                   "request_too_large",
                                                   "function_errors",
                                                   "malformed_responses",
                                                   "integration_failures",
                                                   "integration_timeouts"};
    if (n == 3 && keys[1] == "throttled") {
      return keys[2] == "usage_plan" || keys[2] == "stage_method" || keys[2] == "account";
    }
    return n == 2 && kGateway.contains(keys[1]);
  }
  if (top == "lambda") {
    static const std::set<std::string> kLambda = {"invocations", "throttles",   "errors",
                                                  "timeouts",    "cold_starts", "concurrency_max"};
    return n == 2 && kLambda.contains(keys[1]);
  }
  if (top == "queues") {
    bool queue = n == 3 && std::any_of(fixture.stack.queues.begin(), fixture.stack.queues.end(),
                                       [&](const QueueSpec& q) { return q.queue_name == keys[1]; });
    return queue && (keys[2] == "depth_max" || keys[2] == "depth_end");
  }
  if (top == "routes") {
    if (n < 3 || keys[1].find(' ') == std::string::npos) return false;
    if (keys[2] == "requests" || keys[2] == "gave_up") return n == 3;
    if (keys[2] == "status_counts") return n == 4;
    if (keys[2] == "latency_ms") {
      return n == 4 &&
             (keys[3] == "p50" || keys[3] == "p90" || keys[3] == "p99" || keys[3] == "max");
    }
  }
  return false;
}

void read_expect(const boost::json::value& v, const std::string& path,
                 std::vector<std::string>& keys, Fixture& fixture) {
  auto add = [&](Bound bound) {
    if (keys.empty() || !known_figure(keys, fixture)) {
      throw JsonInError(path, "not a figure of the report (see fixtures/README.md, expect)");
    }
    fixture.expect.push_back({keys, bound});
  };
  if (v.is_bool()) return add({v.get_bool() ? 1.0 : 0.0, v.get_bool() ? 1.0 : 0.0});
  if (v.is_number()) {
    double d = read_number(v, path, -1e18, 1e18);
    return add({d, d});
  }
  if (!v.is_object()) throw JsonInError(path, "expected a number, a boolean or an object");
  const auto& object = v.get_object();
  // A range is an object of "min" and/or "max" numbers; {"max": {"max": 300}} is the figure
  // latency_ms.max with a range.
  if (!object.empty() && std::all_of(object.begin(), object.end(), [](const auto& kv) {
        return (kv.key() == "min" || kv.key() == "max") && kv.value().is_number();
      })) {
    ObjectIn range(v, path);
    Bound b{range.opt_number("min", -1e18, 1e18), range.opt_number("max", -1e18, 1e18)};
    return add(b);
  }
  for (const auto& kv : object) {
    keys.emplace_back(kv.key());
    read_expect(kv.value(), member_path(path, kv.key()), keys, fixture);
    keys.pop_back();
  }
}

Fixture read_fixture(const boost::json::value& v) {
  ObjectIn in(v, "$");
  Fixture f;
  f.name = in.str("name");
  f.description = in.opt_str("description").value_or("");
  f.seed = static_cast<std::uint64_t>(in.integer("seed", 0, INT64_MAX));
  f.duration_us = in.duration("duration", core::kMicrosPerMilli, kFixtureDurationMax);
  f.event_bound = static_cast<std::uint64_t>(
      in.opt_integer("event_bound", 1, INT64_MAX).value_or(kEventBoundDefault));
  // Each sample reads every queue's depth from SQLite; 10,000 samples draw any chart, and
  // more only slow a long run down (a day sampled each second spent half its time there).
  f.sample_interval_us =
      in.opt_duration("sample_interval", core::kMicrosPerMilli, kDay)
          .value_or(std::max(core::kMicrosPerSecond, f.duration_us / kSamplesDefault));
  read_stack(in.need("stack"), in.child("stack"), f.stack);
  if (const auto* c = in.find("client")) f.client = read_client(*c, in.child("client"), f.client);
  const auto* traffic = in.opt_array("traffic");
  if (traffic == nullptr) throw JsonInError(in.child("traffic"), "required");
  std::set<std::string> names;
  for (std::size_t i = 0; i < traffic->size(); ++i) {
    f.traffic.push_back(read_traffic((*traffic)[i], index_path(in.child("traffic"), i), f));
    if (!names.insert(f.traffic.back().name).second) {
      throw JsonInError(index_path(in.child("traffic"), i) + ".name",
                        "duplicate name \"" + f.traffic.back().name + "\"");
    }
  }
  if (const auto* faults = in.opt_array("faults")) {
    std::set<std::string> fault_names;  // each names its random stream, as a generator's does
    for (std::size_t i = 0; i < faults->size(); ++i) {
      f.faults.push_back(read_fault((*faults)[i], index_path(in.child("faults"), i), f));
      if (!fault_names.insert(f.faults.back().name).second) {
        throw JsonInError(index_path(in.child("faults"), i) + ".name",
                          "duplicate name \"" + f.faults.back().name + "\"");
      }
    }
  }
  if (const auto* e = in.find("expect")) {
    ObjectIn expect(*e, in.child("expect"));
    expect.take_all();
    std::vector<std::string> keys;
    read_expect(*e, in.child("expect"), keys, f);
  }
  in.done();
  return f;
}

// 1-based line and column of a byte offset, for JSON syntax errors.
std::string position(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

std::string Expectation::name() const {
  std::string out;
  for (const auto& k : keys) {
    if (!out.empty()) out += '.';
    out += k;
  }
  return out;
}

core::Result<core::DurationUs> parse_duration(std::string_view text) {
  auto bad = [&](std::string why) {
    return core::Status(core::StatusCode::kInvalidArgument,
                        "\"" + std::string(text) + "\" is not a duration: " + why);
  };
  std::size_t i = 0;
  std::int64_t whole = 0;
  std::int64_t fraction = 0;
  std::int64_t fraction_scale = 1;
  std::size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    if (whole > 1'000'000'000'000) return bad("too large");
    whole = whole * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      if (fraction_scale >= 1'000'000'000) return bad("too many decimals");
      fraction = fraction * 10 + (text[i] - '0');
      fraction_scale *= 10;
    }
  }
  if (digits == 0) return bad("expected a number then a unit (us, ms, s, m, h)");
  static const std::map<std::string_view, std::int64_t> kUnits = {
      {"us", 1}, {"ms", 1'000}, {"s", 1'000'000}, {"m", 60'000'000}, {"h", 3'600'000'000}};
  auto unit = kUnits.find(text.substr(i));
  if (unit == kUnits.end()) return bad("the unit must be us, ms, s, m or h");
  if (whole > kFixtureDurationMax / unit->second) return bad("too large");
  if ((fraction * unit->second) % fraction_scale != 0) return bad("finer than a microsecond");
  return whole * unit->second + fraction * unit->second / fraction_scale;
}

core::Result<Fixture> parse_fixture(std::string_view json_text) {
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t used = parser.write_some(json_text.data(), json_text.size(), ec);
  // write_some stops after a complete value; finish() would call what follows "incomplete JSON".
  if (!ec && used != json_text.size()) {
    return core::Status(core::StatusCode::kInvalidArgument,
                        "$: text after the JSON value at " + position(json_text, used));
  }
  if (!ec) parser.finish(ec);
  if (ec) {
    return core::Status(core::StatusCode::kInvalidArgument,
                        "$: invalid JSON at " + position(json_text, used) + ": " + ec.message());
  }
  try {
    return read_fixture(parser.release());
  } catch (const JsonInError& e) {
    return core::Status(core::StatusCode::kInvalidArgument, e.what());
  }
}

core::Result<Fixture> load_fixture(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return core::Status(core::StatusCode::kNotFound, path + ": cannot be read");
  std::ostringstream text;
  text << file.rdbuf();
  auto parsed = parse_fixture(text.str());
  if (!parsed.is_ok()) {
    return core::Status(parsed.status().code(), path + ": " + parsed.status().message());
  }
  return parsed;
}

}  // namespace twin::sim
