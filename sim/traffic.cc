#include "sim/traffic.h"

#include <algorithm>
#include <cmath>

#include "core/encoding.h"
#include "core/twilio.h"
#include "fakes/twilio/webhook_builder.h"

namespace twin::sim {
namespace {

namespace apigw = fakes::apigw;

// The stage is the first path segment; the route is the rest ("/prod/trigger" -> "/trigger").
std::string route_key(const std::string& method, const std::string& path) {
  auto slash = path.find('/', 1);
  std::string resource = slash == std::string::npos ? path : path.substr(slash);
  return method + " " + resource;
}

std::string hex32(fakes::rng::Rng& rng) {
  std::string bytes;
  for (int i = 0; i < 2; ++i) {
    std::uint64_t v = rng.next_u64();
    for (int b = 0; b < 8; ++b) bytes.push_back(static_cast<char>((v >> (8 * b)) & 0xff));
  }
  return core::hex_encode(bytes);
}

}  // namespace

std::string substitute_index(std::string_view text, std::int64_t index) {
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto open = text.find("${i", i);
    if (open == std::string_view::npos) break;
    auto close = text.find('}', open);
    if (close == std::string_view::npos) break;
    std::string_view spec = text.substr(open + 3, close - open - 3);
    const bool padded = spec.size() >= 2 && spec.size() <= 3 && spec[0] == ':' &&
                        std::all_of(spec.begin() + 1, spec.end(), is_digit);
    if (!spec.empty() && !padded) {  // not a placeholder: keep the '$' and look further on
      out.append(text.substr(i, open + 1 - i));
      i = open + 1;
      continue;
    }
    out.append(text.substr(i, open - i));
    std::string digits = std::to_string(index);
    if (padded) {
      std::size_t width = 0;
      for (char c : spec.substr(1)) width = width * 10 + static_cast<std::size_t>(c - '0');
      if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    }
    out += digits;
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

struct Traffic::Generator {
  const TrafficSpec* spec;
  fakes::rng::Rng rng;
  std::int64_t sent = 0;
};

struct Traffic::Call {
  std::uint64_t id = 0;
  Generator* generator = nullptr;
  std::string route;  // "POST /trigger"
  apigw::HttpRequest request;
  std::string message_sid;  // webhooks
  std::optional<int> recorded_status;
  std::uint64_t attempt = 0;
  core::TimeUs sent_at = 0;
  bool answered = false;  // the current attempt
};

Traffic::Traffic(const Fixture& fixture, SimStack& stack, core::Executor& executor, Trace& trace,
                 const fakes::rng::Rng& root)
    : fixture_(fixture), stack_(stack), executor_(executor), trace_(trace) {
  for (const auto& spec : fixture.traffic) {
    generators_.push_back(
        std::make_unique<Generator>(Generator{&spec, root.fork("traffic." + spec.name)}));
  }
}

Traffic::~Traffic() { *alive_ = false; }

void Traffic::start() {
  bool replies = std::any_of(generators_.begin(), generators_.end(), [](const auto& g) {
    return g->spec->kind == TrafficSpec::Kind::kReplies;
  });
  if (replies) {
    stack_.set_invitation_listener([this](const core::Invitation& i) { on_invitation(i); });
  }
  for (auto& g : generators_) schedule(*g);
}

void Traffic::schedule(Generator& g) {
  const TrafficSpec& s = *g.spec;
  const core::TimeUs t0 = fixture_.start_us + s.start_us;
  auto later = [this](core::TimeUs when, std::shared_ptr<Call> call) {
    executor_.at(when, [this, alive = std::weak_ptr<bool>(alive_), call] {
      if (alive.lock()) send(call);
    });
  };
  switch (s.kind) {
    case TrafficSpec::Kind::kBulkInvite:
    case TrafficSpec::Kind::kSeries:
    case TrafficSpec::Kind::kBurst:
    case TrafficSpec::Kind::kSqsSend:
      schedule_paced(g, 0);
      break;
    case TrafficSpec::Kind::kPoisson:
      schedule_poisson(g, t0);
      break;
    case TrafficSpec::Kind::kRecorded:
      for (const auto& r : s.requests) later(fixture_.start_us + r.at_us, recorded_call(g, r));
      break;
    case TrafficSpec::Kind::kReplies:
      break;  // driven by on_invitation
  }
}

// The n-th request of a paced generator (bulk invite, series, burst, sqs_send), counted across
// repeats. One at a time: each schedules the next when it fires, so a generator of a million
// requests holds one pending event and builds each request only when it is sent.
void Traffic::schedule_paced(Generator& g, std::int64_t n) {
  const TrafficSpec& s = *g.spec;
  if (n >= s.repeat_times * s.count) return;
  const core::TimeUs when = fixture_.start_us + s.start_us + (n / s.count) * s.repeat_every_us +
                            (n % s.count) * s.spacing_us;
  if (when > fixture_.start_us + fixture_.duration_us) return;
  executor_.at(when, [this, alive = std::weak_ptr<bool>(alive_), &g, n] {
    if (!alive.lock()) return;
    const std::int64_t index = g.spec->first_index + n;
    if (g.spec->kind == TrafficSpec::Kind::kSqsSend) {
      send_raw(g, index);
    } else if (g.spec->route == "/trigger") {
      send(trigger_call(g, index));
    } else {
      send(webhook_call(g, substitute_index(g.spec->from, index),
                        substitute_index(g.spec->body, index)));
    }
    schedule_paced(g, n + 1);
  });
}

// One arrival at a time: the next gap is drawn when the previous arrival happens, so a long
// stream holds one pending event, not all of them.
void Traffic::schedule_poisson(Generator& g, core::TimeUs from) {
  const TrafficSpec& s = *g.spec;
  const double mean_us = 1e6 / s.rate_per_s;
  core::TimeUs when = from + std::llround(g.rng.exponential(mean_us));
  if (when >= fixture_.start_us + s.end_us || g.sent >= kGeneratorRequestsMax) return;
  executor_.at(when, [this, alive = std::weak_ptr<bool>(alive_), &g, when] {
    if (!alive.lock()) return;
    std::int64_t index = g.spec->first_index + g.sent;
    if (g.spec->route == "/trigger") {
      send(trigger_call(g, index));
    } else {
      send(webhook_call(g, substitute_index(g.spec->from, index),
                        substitute_index(g.spec->body, index)));
    }
    schedule_poisson(g, when);
  });
}

void Traffic::send_raw(Generator& g, std::int64_t index) {
  auto sent = stack_.send_to_queue(g.spec->queue, substitute_index(g.spec->body, index));
  auto& line = trace_.begin("sqs_send").field("queue", g.spec->queue);
  if (sent.is_ok()) {
    line.field("message_id", *sent);
  } else {
    line.field("error", sent.status().message());
  }
  line.end();
  ++g.sent;
}

void Traffic::on_invitation(const core::Invitation& invitation) {
  for (auto& g : generators_) {
    if (g->spec->kind != TrafficSpec::Kind::kReplies) continue;
    if (!g->rng.bernoulli(g->spec->probability)) continue;
    core::TimeUs when = executor_.now() + fakes::lambda::draw(g->spec->delay, g->rng);
    if (when > fixture_.start_us + fixture_.duration_us) continue;
    auto call = webhook_call(*g, invitation.to, g->spec->body);
    executor_.at(when, [this, alive = std::weak_ptr<bool>(alive_), call] {
      if (alive.lock()) send(call);
    });
  }
}

std::shared_ptr<Traffic::Call> Traffic::trigger_call(Generator& g, std::int64_t index) {
  const TrafficSpec& s = *g.spec;
  auto call = std::make_shared<Call>();
  call->id = next_call_id_++;
  call->generator = &g;
  call->route = "POST /trigger";
  auto& r = call->request;
  r.rest_api_id = stack_.rest_api_id();
  r.http_method = "POST";
  r.path = "/" + stack_.stage() + "/trigger";
  r.headers = {{"Host", stack_.host()}, {"Content-Type", "application/json"}};
  if (s.api_key) r.headers.emplace_back("x-api-key", stack_.api_key_value(*s.api_key));
  if (s.api_key_value) r.headers.emplace_back("x-api-key", *s.api_key_value);
  boost::json::object body;
  for (const auto& kv : s.body_template) {
    body[kv.key()] = kv.value().is_string()
                         ? boost::json::value(substitute_index(kv.value().get_string(), index))
                         : kv.value();
  }
  r.body = boost::json::serialize(body);
  ++g.sent;
  return call;
}

std::shared_ptr<Traffic::Call> Traffic::webhook_call(Generator& g, std::string from,
                                                     std::string body) {
  auto call = std::make_shared<Call>();
  call->id = next_call_id_++;
  call->generator = &g;
  call->route = "POST /webhook";
  fakes::twilio::InboundWhatsApp m;
  m.message_sid = "SM" + hex32(g.rng);
  m.account_sid = stack_.spec().twilio_account_sid;
  m.from = std::move(from);
  m.body = std::move(body);
  // Twilio signs the URL it was configured with: the public one when the club has a custom
  // domain, else the execute-api URL with its stage.
  const std::string url = stack_.spec().public_base_url
                              ? *stack_.spec().public_base_url + "/webhook"
                              : "https://" + stack_.host() + "/" + stack_.stage() + "/webhook";
  const std::string token = stack_.spec().twilio_auth_token.value_or("");
  auto built = fakes::twilio::build_inbound_webhook(m, url, token);
  auto& r = call->request;
  r.rest_api_id = stack_.rest_api_id();
  r.http_method = built.method;
  r.path = "/" + stack_.stage() + "/webhook";  // a custom domain maps onto the stage
  r.query_string = built.query_string;
  for (auto& h : built.headers) {
    if (!g.spec->sign && h.first == "X-Twilio-Signature") continue;
    r.headers.push_back(std::move(h));
  }
  r.headers.emplace_back("Host", stack_.host());
  r.body = std::move(built.body);
  call->message_sid = m.message_sid;
  stats_.webhook_sids_sent.insert(m.message_sid);
  ++g.sent;
  return call;
}

std::shared_ptr<Traffic::Call> Traffic::recorded_call(Generator& g, const RecordedRequest& rec) {
  auto call = std::make_shared<Call>();
  call->id = next_call_id_++;
  call->generator = &g;
  call->route = route_key(rec.method, rec.path);
  auto& r = call->request;
  r.rest_api_id = stack_.rest_api_id();
  r.http_method = rec.method;
  r.path = rec.path;
  r.query_string = rec.query_string;
  r.headers = rec.headers;
  r.body = rec.body;
  if (rec.api_key) r.headers.emplace_back("x-api-key", stack_.api_key_value(*rec.api_key));
  if (rec.sign) {
    std::string host = stack_.host();
    for (const auto& [name, value] : r.headers) {
      if (core::ascii_iequals(name, "Host")) host = value;
    }
    auto slash = rec.path.find('/', 1);
    const std::string url = stack_.spec().public_base_url
                                ? *stack_.spec().public_base_url +
                                      (slash == std::string::npos ? "" : rec.path.substr(slash))
                                : "https://" + host + rec.path;
    std::string error;
    auto fields = core::parse_form(rec.body.value_or(""), &error);
    r.headers.emplace_back("X-Twilio-Signature",
                           core::twilio_signature(*stack_.spec().twilio_auth_token, url,
                                                  fields.value_or(std::vector<core::FormField>{})));
  }
  call->recorded_status = rec.recorded_status;
  ++g.sent;
  return call;
}

void Traffic::send(const std::shared_ptr<Call>& call) {
  const std::uint64_t attempt = ++call->attempt;
  if (attempt == 1) {
    ++stats_.routes[call->route].requests;
    ++stats_.in_flight;
  }
  call->answered = false;
  call->sent_at = executor_.now();
  auto& request_line =
      trace_.begin("request").field("id", std::int64_t(call->id)).field("route", call->route);
  request_line.field("attempt", std::int64_t(attempt));
  if (!call->message_sid.empty()) request_line.field("message_sid", call->message_sid);
  request_line.end();
  const auto& client = call->generator->spec->client;
  if (client.timeout_us) {
    executor_.at(call->sent_at + *client.timeout_us, [this, alive = std::weak_ptr<bool>(alive_),
                                                      call, attempt] {
      if (!alive.lock() || call->attempt != attempt || call->answered) return;
      call->answered = true;
      trace_.begin("timeout")
          .field("id", std::int64_t(call->id))
          .field("attempt", std::int64_t(attempt))
          .end();
      stats_.outcomes.push_back({executor_.now() - fixture_.start_us, call->route, "timeout", 0});
      settle(call, "timeout", attempt);
    });
  }
  stack_.gateway().handle(call->request, [this, alive = std::weak_ptr<bool>(alive_), call,
                                          attempt](apigw::HttpResponse response) {
    if (!alive.lock()) return;
    const core::DurationUs latency = executor_.now() - call->sent_at;
    auto& line =
        trace_.begin(call->attempt == attempt && !call->answered ? "response" : "late_response");
    line.field("id", std::int64_t(call->id))
        .field("attempt", std::int64_t(attempt))
        .field("status", std::int64_t(response.status_code))
        .field("latency_us", latency);
    if (response.gateway_response) {
      line.field("gateway", apigw::gateway_response_shape(*response.gateway_response).type_name);
    }
    line.end();
    if (call->attempt != attempt || call->answered) return;
    call->answered = true;
    stats_.routes[call->route].latencies_us.push_back(latency);
    stats_.outcomes.push_back({executor_.now() - fixture_.start_us, call->route,
                               std::to_string(response.status_code), latency});
    settle(call, std::to_string(response.status_code), attempt);
  });
}

void Traffic::settle(const std::shared_ptr<Call>& call, const std::string& status,
                     std::uint64_t attempt) {
  auto& route = stats_.routes[call->route];
  ++route.status_counts[status];
  const bool failed = status == "timeout" || status == "429" || status[0] == '5';
  const auto& retry = call->generator->spec->client.retry;
  if (failed && static_cast<std::int64_t>(attempt) < retry.max_attempts) {
    const double cap = std::min(
        static_cast<double>(retry.max_backoff_us),
        static_cast<double>(retry.base_delay_us) * std::ldexp(1.0, static_cast<int>(attempt - 1)));
    const auto delay = static_cast<core::DurationUs>(call->generator->rng.uniform01() * cap);
    executor_.at(executor_.now() + delay, [this, alive = std::weak_ptr<bool>(alive_), call] {
      if (alive.lock()) send(call);
    });
    return;
  }
  --stats_.in_flight;
  if (failed) ++route.gave_up;
  if (call->recorded_status && std::to_string(*call->recorded_status) != status) {
    ++stats_.recorded_mismatches;
  }
  if (!call->message_sid.empty() && status == "200") {
    stats_.webhook_sids_accepted.insert(call->message_sid);
  }
}

}  // namespace twin::sim
