// SimStack: the production stack of DESIGN.md built from a fixture's `stack` section, on one
// Executor: API Gateway (the REST API with POST /trigger and POST /webhook on one stage, API
// keys, usage plans, stage and account throttles) -> Lambda (one function running the core
// handler, with its concurrency and duration model) and, when the handler has a webhook queue,
// SQS (SQLite in memory) -> the event source mapping -> the same function. Twilio's outbound
// side is the message sink. The fault points of the fixture sit in forwarding wrappers around
// the handler's code, queue and messenger (sim/faults.h).
//
// Time, ids and randomness: the executor's clock; one SeededIdSource (request ids, message ids,
// receipt handles) and one Rng, both from the replay's seed; the Lambda fake forks its streams
// from the Rng's "lambda" fork, faults from "fault.<name>".
//
// Built by build(), which validates what only the fakes can (queue attributes, the mapping's
// settings) and names the fixture's JSON path in its errors. Owned by the replay (or the live
// server); single-threaded on its executor.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/handler.h"
#include "fakes/apigw/gateway.h"
#include "fakes/apigw/lambda_integration.h"
#include "fakes/esm/event_source_mapping.h"
#include "fakes/lambda/function_code.h"
#include "fakes/lambda/lambda_service.h"
#include "fakes/memory/memory_ports.h"
#include "fakes/sqlite/sqlite_stores.h"
#include "fakes/sqs/sqs_queue_port.h"
#include "fakes/sqs/sqs_service.h"
#include "fakes/twilio/message_sink.h"
#include "sim/faults.h"
#include "sim/fixture.h"
#include "sim/trace.h"

namespace twin::sim {

// Where the stack keeps its state. Replays keep everything in memory; `twin serve --data-dir`
// keeps the SQS fake's queues and messages (sqs.db) and the handler's registrations and
// idempotency records (stores.db) in SQLite files there, so they survive a restart.
struct StackStorage {
  std::optional<std::string> data_dir;
  std::optional<std::string> sqs_endpoint;  // the base of queue URLs (the live server's URL)
};

class SimStack {
 public:
  static core::Result<std::unique_ptr<SimStack>> build(const Fixture& fixture, std::uint64_t seed,
                                                       core::Executor& executor, Trace& trace,
                                                       const StackStorage& storage = {});
  ~SimStack();
  SimStack(const SimStack&) = delete;
  SimStack& operator=(const SimStack&) = delete;

  fakes::apigw::Gateway& gateway() { return *gateway_; }
  const std::string& host() const { return host_; }
  const std::string& stage() const { return spec_.stage_name; }
  const std::string& rest_api_id() const { return spec_.rest_api_id; }
  const StackSpec& spec() const { return spec_; }
  // The value of the API key named `name` (the fixture's apiKeys[].name).
  std::string api_key_value(const std::string& name) const;

  // Called for each invitation the sink newly accepts.
  void set_invitation_listener(std::function<void(const core::Invitation&)> fn) {
    on_invitation_ = std::move(fn);
  }

  // The registrations of a replay (memory storage).
  const fakes::MemoryRegistrationStore& registrations() const { return registrations_; }
  // The SQLite store when the stack has a data directory, else nullptr.
  fakes::SqliteRegistrationStore* sqlite_registrations() { return sqlite_registrations_.get(); }
  fakes::sqs::SqsService& sqs() { return *sqs_; }
  // Rebuilds the handler with `value` as the API key it accepts (a key created through the
  // management API); the next invocation runs the new one.
  void set_handler_api_key(std::string value);
  const CountingRegistrationStore& counted() const { return *counted_; }
  const fakes::twilio::MessageSink& sink() const { return *sink_; }
  const fakes::lambda::FunctionMetrics& lambda_metrics() const;
  std::int64_t lambda_concurrency() const;
  const fakes::esm::EventSourceMapping* mapping() const { return esm_.get(); }
  const FaultPoints& faults() const { return *faults_; }
  // Called with the QueueName after a message reached a queue from the handler or send_to_queue.
  void set_send_listener(std::function<void(const std::string&)> fn);
  // SendMessage from another producer (the sqs_send generator); returns the MessageId.
  core::Result<std::string> send_to_queue(const std::string& queue_name, const std::string& body);
  // Visible + in flight + delayed messages of a queue (the fixture's QueueName).
  std::int64_t queue_depth(const std::string& queue_name);

 private:
  SimStack(const Fixture& fixture, std::uint64_t seed, core::Executor& executor, Trace& trace,
           StackStorage storage);
  core::Status open_stores();
  void build_handler(core::Config config);
  core::Status build_queues();
  core::Status build_function();
  core::Status build_gateway();
  core::Status build_mapping();

  StackSpec spec_;
  core::Executor& executor_;
  Trace& trace_;
  std::string host_;
  fakes::SeededIdSource ids_;
  fakes::rng::Rng rng_;
  std::unique_ptr<FaultPoints> faults_;
  StackStorage storage_;
  fakes::MemoryRegistrationStore registrations_;
  std::unique_ptr<fakes::SqliteRegistrationStore> sqlite_registrations_;
  std::unique_ptr<CountingRegistrationStore> counted_;
  fakes::MemoryIdempotencyStore idempotency_;
  std::unique_ptr<fakes::SqliteIdempotencyStore> sqlite_idempotency_;
  core::Config config_;
  std::unique_ptr<fakes::twilio::MessageSink> sink_;
  std::unique_ptr<FaultyMessenger> messenger_;
  std::function<void(const core::Invitation&)> on_invitation_;
  std::function<void(const std::string&)> on_send_;
  std::unique_ptr<fakes::lambda::LambdaService> lambda_;
  std::unique_ptr<fakes::sqs::SqsService> sqs_;
  std::map<std::string, std::string> queue_urls_;  // by QueueName
  std::unique_ptr<core::Queue> queue_port_;        // the webhook queue, or a refusing stand-in
  std::unique_ptr<FaultyQueue> queue_;
  std::unique_ptr<core::Handler> handler_;
  std::unique_ptr<fakes::lambda::HandlerFunctionCode> handler_code_;
  std::unique_ptr<FaultyFunctionCode> code_;
  std::unique_ptr<fakes::apigw::LambdaIntegration> integration_;
  std::unique_ptr<fakes::apigw::Gateway> gateway_;
  std::map<std::string, std::string> key_values_;  // by name
  std::unique_ptr<fakes::esm::EventSourceMapping> esm_;
};

}  // namespace twin::sim
