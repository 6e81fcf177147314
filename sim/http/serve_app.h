// ServeApp: what `twin serve` answers, endpoint by endpoint, over one SimStack on the live
// executor. The HTTP server hands every request to handle(); nothing here touches sockets.
//
//   X-Amz-Target: AmazonSQS.<Op>        the SQS fake in the AWS JSON 1.0 protocol (sqs_json.h)
//   /apikeys, /usageplans, /restapis    API Gateway management, rest-json (apigw_management.h)
//   GET /_twin/health                    {"status":"ok", ...}
//   GET /_twin/queues[/NAME]             queue depths and attributes (read-only)
//   GET /_twin/registrations             stored registrations (read-only; ?offset=&limit=)
//   anything else                        execute-api: /{stage}/{path} through the API Gateway
//                                        fake to the Lambda fake and the core handler
// A path or operation the twin does not implement answers 400/404 with a message naming it and
// saying it is not supported by the twin; nothing is silently accepted.
//
// The handler's API key (live mode): the stack's handler.api_key, else its first API key; when
// the stack has none, the first key created through CreateApiKey becomes the key the function
// accepts, so the seed's provisioning commands (create-api-key, create-usage-plan,
// create-usage-plan-key) work verbatim and the new key is honoured by /prod/trigger once its
// plan covers the stage, as in AWS.
//
// Record (--record FILE): every execute-api request is kept with its arrival time (since the
// server started), method, path, query, headers and body, and the status it got. Secrets are
// not written: an x-api-key header becomes {"api_key": NAME} when it is a key of the stack (the
// replay sends that key's value), "REDACTED" otherwise; X-Twilio-Signature is dropped and the
// request marked "sign": true, so the replay signs it again with the stack's token.
// write_recording() writes a fixture (the stack, the recorded traffic, expectations of the
// statuses seen) that `twin replay` reproduces. Its stack is the one given with the API keys
// and usage plans as the gateway holds them when the recording is written: keys and plans
// created or changed through the management API are in it, per-method throttles included, so
// a session that provisions first and then sends traffic replays status for status. A change
// made between recorded requests (a key disabled mid-session) holds for the whole replay, and
// the replay's recorded_mismatches counts the requests it changes.
//
// Owned by the serve command; single-threaded on the io_context.
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/fixture.h"
#include "sim/http/wire.h"
#include "sim/sim_stack.h"
#include "sim/trace.h"

namespace twin::sim::http {

class SqsJsonApi;
class ApigwManagementApi;

struct ServeOptions {
  std::optional<std::string> data_dir;
  std::optional<std::string> record_path;
  std::uint64_t seed = 1;
  boost::json::value stack_json;  // the stack section as given, for the recording
};

class ServeApp {
 public:
  static core::Result<std::unique_ptr<ServeApp>> create(const Fixture& fixture,
                                                        ServeOptions options,
                                                        core::Executor& executor,
                                                        std::string base_url);
  ~ServeApp();

  void handle(WireRequest request, Respond respond);
  // Writes the recording (when --record was given). Errors: kUnavailable naming the file.
  core::Status write_recording() const;
  std::uint64_t requests() const { return requests_; }

 private:
  ServeApp(const Fixture& fixture, ServeOptions options, core::Executor& executor,
           std::string base_url);
  void route(WireRequest request, Respond respond);
  void execute_api(const WireRequest& request, Respond respond);
  WireResponse twin_endpoint(const WireRequest& request);
  void record(const WireRequest& request, std::size_t index, int status);
  void after_management(const WireRequest& request, const WireResponse& response);
  // --data-dir: the gateway's management state (keys, plans, usage) is saved after every
  // successful management write and restored at start (apigw.json).
  void persist_gateway();
  core::Status restore_gateway();
  // Every API key the gateway holds (the stack's and those created live) with the unique name
  // the recording gives it: its own, or with its id added when it has none or shares it.
  struct RecordedKey {
    std::string name;
    fakes::apigw::ApiKey key;
  };
  std::vector<RecordedKey> recorded_keys() const;
  // The recorded name of the API key with this value, or "".
  std::string key_name_of(std::string_view value) const;
  // The stack as given, with its API keys and usage plans as the gateway holds them now: those
  // created, updated or disabled through the management API included.
  boost::json::value recorded_stack() const;

  Fixture fixture_;
  ServeOptions options_;
  core::Executor& executor_;
  std::string base_url_;
  core::TimeUs started_at_us_;
  std::unique_ptr<Trace> trace_;
  std::unique_ptr<SimStack> stack_;
  std::unique_ptr<SqsJsonApi> sqs_api_;
  std::unique_ptr<ApigwManagementApi> management_api_;
  bool handler_key_from_management_ = false;
  std::uint64_t requests_ = 0;
  std::vector<boost::json::object> recorded_;
};

}  // namespace twin::sim::http
