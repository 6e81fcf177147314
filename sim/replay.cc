#include "sim/replay.h"

#include <algorithm>
#include <cmath>

#include "sim/scheduler.h"
#include "sim/sim_stack.h"
#include "sim/trace.h"

namespace twin::sim {
namespace {

// Virtual time advances in this many slices, so progress can be reported between them.
constexpr int kProgressSlices = 100;

double ms(core::DurationUs us) { return static_cast<double>(us) / 1000.0; }

boost::json::object route_report(const RouteStats& r) {
  boost::json::object counts;
  for (const auto& [status, n] : r.status_counts) counts[status] = n;
  boost::json::object latency;
  latency["p50"] = ms(fakes::lambda::nearest_rank_percentile(r.latencies_us, 50));
  latency["p90"] = ms(fakes::lambda::nearest_rank_percentile(r.latencies_us, 90));
  latency["p99"] = ms(fakes::lambda::nearest_rank_percentile(r.latencies_us, 99));
  latency["max"] = ms(fakes::lambda::nearest_rank_percentile(r.latencies_us, 100));
  boost::json::object out;
  out["requests"] = r.requests;
  out["gave_up"] = r.gave_up;
  out["status_counts"] = std::move(counts);
  out["latency_ms"] = std::move(latency);
  return out;
}

// The figure at `keys` in the report: a number, a boolean as 1/0, 0 when absent (a status
// code that never happened).
double figure(const boost::json::object& report, const std::vector<std::string>& keys) {
  const boost::json::value* v = nullptr;
  const boost::json::object* at = &report;
  for (const auto& k : keys) {
    if (at == nullptr) return 0;
    v = at->if_contains(k);
    if (v == nullptr) return 0;
    at = v->if_object();
  }
  if (v->is_bool()) return v->get_bool() ? 1 : 0;
  if (v->is_number()) return v->to_number<double>();
  return 0;
}

boost::json::value bound_json(const Bound& b) {
  if (b.min && b.max && *b.min == *b.max) return *b.min;
  boost::json::object o;
  if (b.min) o["min"] = *b.min;
  if (b.max) o["max"] = *b.max;
  return o;
}

class Run {
 public:
  Run(const Fixture& fixture, const ReplayOptions& options, std::uint64_t seed)
      : fixture_(fixture),
        options_(options),
        seed_(seed),
        scheduler_(fixture.start_us),
        trace_(scheduler_, fixture.start_us) {
    if (options.keep_trace) trace_.keep_lines();
  }

  core::Result<ReplayOutput> go() {
    trace_.begin("start").field("fixture", fixture_.name).field("seed", std::int64_t(seed_)).end();
    auto built = SimStack::build(fixture_, seed_, scheduler_, trace_);
    if (!built.is_ok()) return built.status();
    stack_ = std::move(*built);
    traffic_ =
        std::make_unique<Traffic>(fixture_, *stack_, scheduler_, trace_, fakes::rng::Rng(seed_));
    for (const auto& q : fixture_.stack.queues) out_.queue_names.push_back(q.queue_name);
    depth_max_.assign(out_.queue_names.size(), 0);
    // Depth rises only when a message arrives (a send, or a redrive into a DLQ), so a look
    // after every send catches each source queue's maximum exactly; the samples catch the rest.
    stack_->set_send_listener([this](const std::string& queue) {
      for (std::size_t i = 0; i < out_.queue_names.size(); ++i) {
        if (out_.queue_names[i] == queue) {
          depth_max_[i] = std::max(depth_max_[i], stack_->queue_depth(queue));
        }
      }
    });
    traffic_->start();
    schedule_sample(fixture_.start_us + fixture_.sample_interval_us);
    run();
    take_sample(true);
    trace_.begin("end").field("events", std::int64_t(scheduler_.executed())).end();
    finish();
    return std::move(out_);
  }

 private:
  void run() {
    const core::TimeUs end = fixture_.start_us + fixture_.duration_us;
    std::uint64_t budget = fixture_.event_bound;
    for (int slice = 1; slice <= kProgressSlices; ++slice) {
      const core::TimeUs until = fixture_.start_us + fixture_.duration_us * slice / kProgressSlices;
      const std::uint64_t before = scheduler_.executed();
      auto stop = scheduler_.run_until(std::min(until, end), budget);
      budget -= scheduler_.executed() - before;
      if (stop == Scheduler::Stop::kEventBound) {
        out_.error =
            "the run did not settle: its event bound (" + std::to_string(fixture_.event_bound) +
            " events) was reached at t = " + std::to_string(scheduler_.now() - fixture_.start_us) +
            " us";
        return;
      }
      if (options_.progress) options_.progress(static_cast<double>(slice) / kProgressSlices);
    }
  }

  void schedule_sample(core::TimeUs when) {
    if (when > fixture_.start_us + fixture_.duration_us) return;
    scheduler_.at(when, [this, when] {
      take_sample(false);
      schedule_sample(when + fixture_.sample_interval_us);
    });
  }

  void take_sample(bool last) {
    // Only this sampling event ran since the last sample: nothing can have changed.
    if (!last && scheduler_.executed() == sampled_at_executed_ + 1) {
      sampled_at_executed_ = scheduler_.executed();
      return;
    }
    sampled_at_executed_ = scheduler_.executed();
    Sample s{scheduler_.now() - fixture_.start_us, stack_->lambda_concurrency(), {}};
    auto& line = trace_.begin("sample").field("concurrency", s.concurrency);
    boost::json::object depths;
    for (std::size_t i = 0; i < out_.queue_names.size(); ++i) {
      std::int64_t d = stack_->queue_depth(out_.queue_names[i]);
      s.depths.push_back(d);
      depth_max_[i] = std::max(depth_max_[i], d);
      depths[out_.queue_names[i]] = d;
    }
    line.raw("depths", boost::json::serialize(depths)).end();
    out_.samples.push_back(std::move(s));
  }

  void finish();

  const Fixture& fixture_;
  const ReplayOptions& options_;
  std::uint64_t seed_;
  Scheduler scheduler_;
  Trace trace_;
  std::unique_ptr<SimStack> stack_;
  std::unique_ptr<Traffic> traffic_;
  std::uint64_t sampled_at_executed_ = 0;
  std::vector<std::int64_t> depth_max_;
  ReplayOutput out_;
};

void Run::finish() {
  const auto& stats = traffic_->stats();
  auto& r = out_.report;
  r["fixture"] = fixture_.name;
  r["seed"] = seed_;
  r["digest"] = trace_.digest_hex();
  r["ok"] = false;  // set below
  r["duration_s"] = static_cast<double>(fixture_.duration_us) / 1e6;
  r["events"] = scheduler_.executed();
  r["trace_lines"] = trace_.line_count();
  boost::json::object routes;
  for (const auto& [route, s] : stats.routes) routes[route] = route_report(s);
  r["routes"] = std::move(routes);
  r["in_flight_at_end"] = stats.in_flight;

  const auto& g = stack_->gateway().counters();
  boost::json::object throttled;
  for (const auto& [level, n] : g.throttled) throttled[fakes::apigw::to_string(level)] = n;
  r["gateway"] = {{"requests", g.requests},
                  {"missing_authentication_token", g.missing_authentication_token},
                  {"invalid_api_key", g.invalid_api_key},
                  {"throttled", std::move(throttled)},
                  {"quota_exceeded", g.quota_exceeded},
                  {"request_too_large", g.request_too_large},
                  {"function_errors", g.function_errors},
                  {"malformed_responses", g.malformed_responses},
                  {"integration_failures", g.integration_failures},
                  {"integration_timeouts", g.integration_timeouts}};

  const auto& m = stack_->lambda_metrics();
  boost::json::object lambda;
  lambda["invocations"] = m.invocations;
  lambda["throttles"] = m.throttles;
  lambda["errors"] = m.errors;
  lambda["timeouts"] = m.timeouts;
  lambda["cold_starts"] = m.cold_starts;
  lambda["concurrency_max"] = m.concurrency_max;
  lambda["duration_ms"] = {{"p50", ms(m.duration_percentile_us(50))},
                           {"p99", ms(m.duration_percentile_us(99))}};
  r["lambda"] = std::move(lambda);
  if (const auto* esm = stack_->mapping()) {
    const auto& e = esm->metrics();
    r["event_source_mapping"] = {{"batches", e.batches},        {"records", e.records},
                                 {"invokes", e.invokes},        {"throttles", e.throttles},
                                 {"failures", e.failures},      {"deletes", e.deletes},
                                 {"pollers_max", e.pollers_max}};
  }
  boost::json::object queues;
  const Sample& last = out_.samples.back();
  for (std::size_t i = 0; i < out_.queue_names.size(); ++i) {
    queues[out_.queue_names[i]] = {{"depth_max", depth_max_[i]}, {"depth_end", last.depths[i]}};
  }
  r["queues"] = std::move(queues);

  std::int64_t pending = 0;
  std::int64_t replied = 0;
  for (const auto& reg : stack_->registrations().registrations()) {
    (reg.status == core::RegistrationStatus::kPending ? pending : replied) += 1;
  }
  r["registrations"] = {{"pending", pending}, {"replied", replied}, {"total", pending + replied}};
  r["invitations_sent"] = stack_->sink().sent().size();

  const auto& effects = stack_->counted().effects();
  std::int64_t duplicates = 0;
  for (const auto& [sid, n] : effects) duplicates += n > 1 ? 1 : 0;
  std::int64_t lost = 0;
  for (const auto& sid : stats.webhook_sids_accepted) lost += effects.contains(sid) ? 0 : 1;
  r["messages_sent"] = stats.webhook_sids_sent.size();
  r["messages_accepted"] = stats.webhook_sids_accepted.size();
  r["messages_processed"] = effects.size();
  r["duplicate_effects"] = duplicates;
  r["lost_messages"] = lost;
  r["exactly_once"] = duplicates == 0 && lost == 0;
  r["faults_fired"] = stack_->faults().fired();
  if (stats.recorded_mismatches > 0 ||
      std::any_of(fixture_.traffic.begin(), fixture_.traffic.end(),
                  [](const TrafficSpec& t) { return t.kind == TrafficSpec::Kind::kRecorded; })) {
    r["recorded_mismatches"] = stats.recorded_mismatches;
  }

  bool ok = out_.error.empty();
  boost::json::array expectations;
  for (const auto& e : fixture_.expect) {
    ExpectationResult result{e.name(), false, e.bound, figure(r, e.keys)};
    result.ok = e.bound.holds(result.actual);
    ok = ok && result.ok;
    expectations.push_back({{"name", result.name},
                            {"ok", result.ok},
                            {"expected", bound_json(result.expected)},
                            {"actual", result.actual}});
    out_.expectations.push_back(std::move(result));
  }
  r["expectations"] = std::move(expectations);
  if (!out_.error.empty()) r["error"] = out_.error;
  out_.reproduce =
      "twin replay " +
      (options_.fixture_path.empty() ? fixture_.name + ".json" : options_.fixture_path) +
      " --seed " + std::to_string(seed_);
  r["reproduce"] = out_.reproduce;
  r["ok"] = ok;
  out_.ok = ok;
  out_.seed = seed_;
  out_.digest = trace_.digest_hex();
  out_.trace = trace_.lines();
  out_.outcomes = stats.outcomes;
}

}  // namespace

core::Result<ReplayOutput> replay(const Fixture& fixture, const ReplayOptions& options) {
  Run run(fixture, options, options.seed.value_or(fixture.seed));
  return run.go();
}

}  // namespace twin::sim
