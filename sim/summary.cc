// summary_text(): the table `twin replay` prints for one run (sim/replay.h).
#include <fmt/format.h>

#include "sim/replay.h"

namespace twin::sim {
namespace {

std::int64_t integer(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_number() ? v->to_number<std::int64_t>() : 0;
}

std::string number(double v) {
  if (v == static_cast<double>(static_cast<std::int64_t>(v))) {
    return std::to_string(static_cast<std::int64_t>(v));
  }
  return fmt::format("{:.3f}", v);
}

std::string bound_text(const Bound& b) {
  if (b.min && b.max && *b.min == *b.max) return number(*b.min);
  if (b.min && b.max) return number(*b.min) + ".." + number(*b.max);
  if (b.min) return ">= " + number(*b.min);
  if (b.max) return "<= " + number(*b.max);
  return "any";
}

}  // namespace

std::string summary_text(const Fixture& fixture, const ReplayOutput& out) {
  const auto& r = out.report;
  std::string s;
  s += fmt::format("== {} (seed {}, {:g} s of virtual time)\n", fixture.name, out.seed,
                   static_cast<double>(fixture.duration_us) / 1e6);
  if (!fixture.description.empty()) s += "   " + fixture.description + "\n";
  s += fmt::format("   {:<16} {:>8} {:>8}  {:<28} {:>9} {:>9} {:>9}\n", "route", "requests",
                   "gave up", "answers by status", "p50 ms", "p99 ms", "max ms");
  for (const auto& kv : r.at("routes").as_object()) {
    const auto& route = kv.value().as_object();
    std::string statuses;
    for (const auto& c : route.at("status_counts").as_object()) {
      if (!statuses.empty()) statuses += " ";
      statuses += fmt::format("{}x{}", c.key(), c.value().as_int64());
    }
    const auto& lat = route.at("latency_ms").as_object();
    s += fmt::format("   {:<16} {:>8} {:>8}  {:<28} {:>9.3f} {:>9.3f} {:>9.3f}\n",
                     std::string(kv.key()), integer(route, "requests"), integer(route, "gave_up"),
                     statuses, lat.at("p50").to_number<double>(), lat.at("p99").to_number<double>(),
                     lat.at("max").to_number<double>());
  }
  const auto& l = r.at("lambda").as_object();
  s += fmt::format(
      "   lambda: {} invocations, {} throttles, {} errors ({} timeouts), {} cold starts, "
      "concurrency max {}\n",
      integer(l, "invocations"), integer(l, "throttles"), integer(l, "errors"),
      integer(l, "timeouts"), integer(l, "cold_starts"), integer(l, "concurrency_max"));
  for (const auto& q : r.at("queues").as_object()) {
    const auto& qo = q.value().as_object();
    s += fmt::format("   queue {}: depth max {}, at end {}\n", std::string(q.key()),
                     integer(qo, "depth_max"), integer(qo, "depth_end"));
  }
  const auto& reg = r.at("registrations").as_object();
  s += fmt::format(
      "   registrations: {} pending, {} replied; invitations sent: {}; messages: {} sent, {} "
      "accepted, {} processed, {} lost, {} processed twice; faults fired: {}\n",
      integer(reg, "pending"), integer(reg, "replied"), integer(r, "invitations_sent"),
      integer(r, "messages_sent"), integer(r, "messages_accepted"),
      integer(r, "messages_processed"), integer(r, "lost_messages"),
      integer(r, "duplicate_effects"), integer(r, "faults_fired"));
  std::size_t held = 0;
  for (const auto& e : out.expectations) held += e.ok ? 1 : 0;
  s += fmt::format("   expectations: {} of {} hold\n", held, out.expectations.size());
  for (const auto& e : out.expectations) {
    if (e.ok) continue;
    s += fmt::format("     FAILED {}: expected {}, actual {}\n", e.name, bound_text(e.expected),
                     number(e.actual));
  }
  if (!out.error.empty()) s += "   ERROR " + out.error + "\n";
  s += fmt::format("   digest {}\n", out.digest);
  s += out.ok ? "   PASS\n" : fmt::format("   FAIL  reproduce: {}\n", out.reproduce);
  return s;
}

}  // namespace twin::sim
