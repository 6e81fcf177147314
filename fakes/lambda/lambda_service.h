// LambdaService: a Lambda fake that models concurrency, execution environments, durations,
// timeouts and throttling in virtual time on an Executor.
// Reference: ../shared/reference/aws-semantics.md section 2.
//
// Ownership and threading: the caller owns the service, the executor, the id source and each
// function's FunctionCode, all of which outlive it; everything runs on the executor's thread.
// Callbacks the service schedules check a liveness token and do nothing once it is destroyed.
//
// Model, and the choices made where AWS's documentation is silent:
// - Concurrency (2.1): a function with ReservedConcurrentExecutions runs at most that many at
//   once (0 throttles everything); the others share the unreserved pool, the account limit less
//   every reservation. A reservation may not take the pool below LambdaOptions::
//   unreserved_concurrency_min. The per-function scaling rate (1,000 environments per 10 s) is
//   not modelled: the twin's loads are far below it.
// - Throttling (2.2): an invoke over the limit is answered at once (through the executor, never
//   re-entrantly) with 429 TooManyRequestsException, Type "User", message "Rate Exceeded." and
//   Reason ReservedFunctionConcurrentInvocationLimitExceeded for a function with a reservation,
//   ConcurrentInvocationLimitExceeded for the unreserved pool.
// - Environments: an admitted invoke takes the most recently freed idle environment (LIFO, so
//   the others age out), otherwise it starts a new one and pays FunctionConfig::
//   init_duration_us first (a cold start; Init does not count against the timeout). An
//   environment idle for idle_reclaim_us is reclaimed. The concurrency slot is held from
//   admission (Init included) to the end of the handler phase.
// - The code runs for real, once, at the start of the handler phase (after Init), and reads
//   the executor's clock at that instant. Its result is delivered through the executor after
//   the modelled duration. Running at the start keeps the result independent of anything
//   that happens during the modelled duration and makes the function's side effects (a
//   message sent, a row written) visible from the instant it starts, as for a function that
//   does its work and then returns.
// - Durations: per invocation, the route classifier names the event's route; its model in
//   route_durations, else FunctionConfig::duration, is drawn from the stream
//   "lambda.duration.<function name>" (draws happen in handler-start order, so they are
//   deterministic for a deterministic executor).
// - Timeout: a drawn duration over timeout_s ends the invocation at the timeout with errorType
//   "Sandbox.Timedout" and "RequestId: <id> Error: Task timed out after <t> seconds" (2.2). The
//   code has already run, so its side effects stand, as with a real function killed after it
//   wrote: the consumer of an SQS batch that timed out sees the batch again.
// - Injected errors (ErrorInjection) replace the code's run: the code is not called.
// - A function error from the code: errorType is the Status's aws_code, or its code name
//   ("INTERNAL"); a thrown exception is errorType "Exception" with what() (as the recorded
//   unhandled exception of reference 2.2). A response over 6,291,556 bytes is
//   Function.ResponseSizeTooLarge.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/ports/clock.h"
#include "core/ports/id_source.h"
#include "core/status.h"
#include "fakes/lambda/function_code.h"
#include "fakes/lambda/lambda_types.h"
#include "fakes/rng/rng.h"

namespace twin::fakes::lambda {

using InvokeCallback = std::function<void(InvokeResult)>;

class LambdaService {
 public:
  // Streams are forked from `rng` per function; `rng` itself is not drawn from.
  LambdaService(core::Executor& executor, core::IdSource& ids, const rng::Rng& rng,
                LambdaOptions options = {});
  ~LambdaService();
  LambdaService(const LambdaService&) = delete;
  LambdaService& operator=(const LambdaService&) = delete;

  // CreateFunction with the twin's model settings. Errors: ValidationException (a field out of
  // AWS's range, naming it), InvalidParameterValueException (a reservation below the unreserved
  // minimum, a model setting out of range), ResourceConflictException (name taken).
  core::Status create_function(FunctionConfig config, FunctionCode& code);
  // PutFunctionConcurrency / DeleteFunctionConcurrency (nullopt). Running invocations keep
  // their slots; the new limit applies to the next invoke.
  core::Status put_function_concurrency(const std::string& function_name,
                                        std::optional<std::int64_t> reserved);

  // Synchronous Invoke (RequestResponse). `done` runs exactly once, on the executor, never
  // before invoke() returns. A typed payload reaches a FunctionCode that reads typed events as
  // it is (payload.h); limits and the route classifier see its text, or what the text would say.
  void invoke(const std::string& function_name, Payload payload, InvokeCallback done);

  // nullptr when there is no such function.
  const FunctionConfig* function_config(const std::string& function_name) const;
  const FunctionMetrics* metrics(const std::string& function_name) const;
  std::string function_arn(const std::string& function_name) const;
  // Executions running now (Init included).
  std::int64_t concurrent_executions(const std::string& function_name) const;
  // Execution environments alive (busy or idle).
  std::size_t environments(const std::string& function_name) const;
  // How many may run at once: the reservation, or the whole unreserved pool.
  std::int64_t concurrency_limit(const std::string& function_name) const;
  std::int64_t unreserved_concurrency_limit() const;

 private:
  struct Environment {
    bool busy = false;
    std::uint64_t idle_generation = 0;  // bumped on every reuse, so stale reclaims do nothing
  };
  struct Function {
    FunctionConfig config;
    FunctionCode* code;
    rng::Rng duration_rng;
    rng::Rng error_rng;
    std::map<std::uint64_t, Environment> environments;  // by id, ordered
    std::vector<std::uint64_t> idle;                    // idle environment ids, LIFO
    std::int64_t running = 0;
    FunctionMetrics metrics;
  };
  struct Invocation;  // one admitted invoke in flight (lambda_service.cc)

  core::Status validate(const FunctionConfig& config) const;
  core::Status check_reservation(const std::string& function_name,
                                 std::optional<std::int64_t> reserved) const;
  std::optional<std::string> throttle_reason(const Function& fn) const;
  void deliver(InvokeCallback done, InvokeResult result);
  void start_handler(const std::shared_ptr<Invocation>& inv);
  void finish(const std::shared_ptr<Invocation>& inv);
  void schedule_reclaim(Function& fn, std::uint64_t env_id);
  core::DurationUs draw_duration(Function& fn, const Payload& event);
  bool injected_error(Function& fn, core::TimeUs start);

  core::Executor& executor_;
  core::IdSource& ids_;
  rng::Rng rng_;
  LambdaOptions options_;
  std::map<std::string, std::unique_ptr<Function>, std::less<>> functions_;
  std::int64_t reserved_total_ = 0;
  std::int64_t unreserved_running_ = 0;
  std::uint64_t next_environment_id_ = 1;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace twin::fakes::lambda
