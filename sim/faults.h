// Fault points of a replay, and the forwarding wrappers that fire them at their sites.
//
// Each fault of the fixture decides from its own stream, forked from the seed by the fault's
// name ("fault.<name>"), so adding a fault or a traffic source shifts no other draw. A fault
// fires always inside one of its windows (no draw), otherwise with probability `rate` (one draw
// per opportunity, only when rate > 0). Every firing is a "fault" line in the trace.
//
// Sites (see FaultSpec):
//   lambda.error, batch.crash  FaultyFunctionCode, around the core handler's FunctionCode
//   lambda.timeout            the route classifier: the invocation draws a duration past the
//                             function's timeout, so the Lambda fake times it out (its side
//                             effects stand, as in AWS)
//   sqs.send_failure,         FaultyQueue, around the webhook queue's port
//   sqs.duplicate
//   twilio.send_failure       FaultyMessenger, around the Twilio message sink
//
// Owned by the replay's stack; single-threaded on the scheduler.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/ports/messenger.h"
#include "core/ports/queue.h"
#include "core/ports/registration_store.h"
#include "fakes/lambda/function_code.h"
#include "fakes/rng/rng.h"
#include "sim/fixture.h"
#include "sim/trace.h"

namespace twin::sim {

class FaultPoints {
 public:
  FaultPoints(const std::vector<FaultSpec>& faults, const fakes::rng::Rng& root,
              const core::Clock& clock, core::TimeUs start, Trace& trace);

  // The first fault at `site` (and `route`, for lambda faults) that fires now, or nullptr.
  // `detail` goes into the trace line.
  const FaultSpec* fire(FaultSpec::Site site, std::string_view route, std::string_view detail);
  std::int64_t fired() const { return fired_; }

 private:
  struct Point {
    FaultSpec spec;
    fakes::rng::Rng rng;
  };
  std::vector<Point> points_;
  const core::Clock& clock_;
  core::TimeUs start_;
  Trace& trace_;
  std::int64_t fired_ = 0;
};

// "/trigger", "/webhook", "sqs" or "" for an event, without parsing more than it needs: a typed
// event's route is read from the value.
std::string route_of_event(const fakes::lambda::Payload& event);

// A typed event stays typed on its way to the target (the core handler reads it without its
// text being written and read back, payload.h); a text event is handed on as text.
class FaultyFunctionCode : public fakes::lambda::FunctionCode {
 public:
  FaultyFunctionCode(fakes::lambda::FunctionCode& target, FaultPoints& faults, Trace& trace)
      : target_(&target), faults_(faults), trace_(trace) {}
  core::Result<fakes::lambda::Payload> invoke(const fakes::lambda::Payload& event) override;
  core::Result<std::string> run(std::string_view event_json) override;
  // The code behind the faults (the server swaps in a handler with a new API key).
  void set_target(fakes::lambda::FunctionCode& target) { target_ = &target; }

 private:
  fakes::lambda::FunctionCode* target_;
  FaultPoints& faults_;
  Trace& trace_;
};

class FaultyQueue : public core::ForwardingQueue {
 public:
  FaultyQueue(core::Queue& target, FaultPoints& faults)
      : core::ForwardingQueue(target), faults_(faults) {}
  core::Result<std::string> send(std::string_view body) override;
  // Called after every message that reached the queue (the replay samples its depth then).
  void set_after_send(std::function<void()> fn) { after_send_ = std::move(fn); }

 private:
  FaultPoints& faults_;
  std::function<void()> after_send_;
};

// Also tells `on_sent` about every invitation the sink newly accepted (the replies generator
// answers them).
class FaultyMessenger : public core::ForwardingMessenger {
 public:
  FaultyMessenger(core::Messenger& target, FaultPoints& faults,
                  std::function<bool(const core::Invitation&)> accepted_before,
                  std::function<void(const core::Invitation&)> on_sent)
      : core::ForwardingMessenger(target),
        faults_(faults),
        accepted_before_(std::move(accepted_before)),
        on_sent_(std::move(on_sent)) {}
  core::Status send_invitation(const core::Invitation& invitation) override;

 private:
  FaultPoints& faults_;
  std::function<bool(const core::Invitation&)> accepted_before_;
  std::function<void(const core::Invitation&)> on_sent_;
};

// Counts the effects of processing inbound messages: record_inbound per MessageSid. A count
// above one is a duplicate effect (the handler's idempotency failed).
class CountingRegistrationStore : public core::ForwardingRegistrationStore {
 public:
  using core::ForwardingRegistrationStore::ForwardingRegistrationStore;
  core::Status record_inbound(const core::InboundMessage& message) override;
  const std::map<std::string, int, std::less<>>& effects() const { return effects_; }

 private:
  std::map<std::string, int, std::less<>> effects_;
};

}  // namespace twin::sim
