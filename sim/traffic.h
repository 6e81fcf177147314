// Traffic: the fixture's generators and the clients that send their requests through the API
// Gateway fake, retry them, and record what came back.
//
// Generators (TrafficSpec::Kind): a bulk invite (N /trigger requests from a template, `spacing`
// apart), a paced series, a burst (N at one instant), a Poisson stream (exponential gaps at
// `rate` per second inside [start, end)), replies (each invitation the Twilio sink accepts is
// answered, with `probability`, by a signed webhook from the parent's number after a delay drawn
// from a model), recorded requests at their times, and raw SendMessage calls from another
// producer straight to a queue (sqs_send: how a poison message gets in). Each generator draws from
// its own stream, "traffic.<name>" (gaps, reply delays, MessageSids, retry jitter), so adding one
// shifts no other draw.
//
// Clients: a request that gets 429, a 5xx or no answer within the client's timeout is retried
// while attempts remain, after the AWS SDK standard mode's backoff: full jitter, a uniform draw
// in [0, min(base_delay * 2^(attempt-1), max_backoff)). Retries resend the same request (a
// webhook keeps its MessageSid, as Twilio's retries do). An answer after the client gave up on
// an attempt is traced as "late_response" and not counted. Every attempt is counted by route
// ("POST /trigger") and status ("200", "429", "timeout").
//
// Owned by the replay; single-threaded on the scheduler.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fakes/rng/rng.h"
#include "sim/fixture.h"
#include "sim/sim_stack.h"
#include "sim/trace.h"

namespace twin::sim {

struct RouteStats {
  std::map<std::string, std::int64_t> status_counts;  // every attempt's outcome
  std::vector<core::DurationUs> latencies_us;         // every answered attempt
  std::int64_t requests = 0;                          // logical requests (retries excluded)
  std::int64_t gave_up = 0;  // requests whose last attempt failed (429, 5xx, timeout)
};

// One answered (or timed-out) attempt, for the report's charts.
struct Outcome {
  core::DurationUs t_us;  // since the run's start
  std::string route;
  std::string status;
  core::DurationUs latency_us;  // 0 for a timeout
};

struct TrafficStats {
  std::vector<Outcome> outcomes;                // in the order they happened
  std::map<std::string, RouteStats> routes;     // by "POST /trigger"
  std::set<std::string> webhook_sids_sent;      // every MessageSid a client sent
  std::set<std::string> webhook_sids_accepted;  // ... and got a 200 for
  std::int64_t in_flight = 0;                   // requests still unanswered
  std::int64_t recorded_mismatches = 0;  // recorded requests whose status differs from the file
};

class Traffic {
 public:
  Traffic(const Fixture& fixture, SimStack& stack, core::Executor& executor, Trace& trace,
          const fakes::rng::Rng& root);
  ~Traffic();
  Traffic(const Traffic&) = delete;
  Traffic& operator=(const Traffic&) = delete;

  // Schedules every generator's first arrivals; the rest follow on the executor.
  void start();
  const TrafficStats& stats() const { return stats_; }

 private:
  struct Generator;
  struct Call;

  void schedule(Generator& g);
  void schedule_paced(Generator& g, std::int64_t n);
  void schedule_poisson(Generator& g, core::TimeUs from);
  void on_invitation(const core::Invitation& invitation);
  void send_raw(Generator& g, std::int64_t index);
  std::shared_ptr<Call> trigger_call(Generator& g, std::int64_t index);
  std::shared_ptr<Call> webhook_call(Generator& g, std::string from, std::string body);
  std::shared_ptr<Call> recorded_call(Generator& g, const RecordedRequest& r);
  void send(const std::shared_ptr<Call>& call);
  void settle(const std::shared_ptr<Call>& call, const std::string& status, std::uint64_t attempt);

  const Fixture& fixture_;
  SimStack& stack_;
  core::Executor& executor_;
  Trace& trace_;
  std::vector<std::unique_ptr<Generator>> generators_;
  std::uint64_t next_call_id_ = 1;
  TrafficStats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// "Player${i}" with i = 7 -> "Player7"; "${i:4}" -> "0007" (a width of one or two digits).
// Anything else that starts with "${i" ("${i:x}", "${i:-1}") is not a placeholder and stays.
std::string substitute_index(std::string_view text, std::int64_t index);

}  // namespace twin::sim
