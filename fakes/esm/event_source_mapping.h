// EventSourceMapping: the SQS -> Lambda event source mapping (ESM) on the Executor.
// Reference: ../shared/reference/aws-semantics.md section 4 (and 2.2 for the invoke).
//
// Ownership and threading: the caller owns the mapping, the SQS fake, the Lambda fake and the
// executor; the three outlive the mapping. Everything runs on the executor's thread. Callbacks
// still pending when the mapping is destroyed (a long poll, an invoke) notice and do nothing;
// messages they received simply reappear after their visibility timeout.
//
// Model, and the choices made where the reference is silent:
// - Validation at create (4.1): BatchSize 1-10,000 (default 10), MaximumBatchingWindowIn-
//   Seconds 0-300 (default 0), ScalingConfig.MaximumConcurrency 2-1,000, FunctionResponseTypes
//   only "ReportBatchItemFailures" (ValidationException, naming the field); BatchSize > 10
//   without a window, a queue that does not exist, and a queue VisibilityTimeout below the
//   function's Timeout are InvalidParameterValueException with AWS's texts; an unknown function
//   is ResourceNotFoundException. A failed create starts nothing.
// - Pollers (4.2): each poller gathers one batch and invokes the function synchronously with
//   it, then gathers the next. A batch starts with a long poll (WaitTimeSeconds 20, up to 10
//   messages, every attribute). With a window of 0 the batch is what that receive returned.
//   With a window, the poller keeps receiving (long polls no longer than what is left of the
//   window, whole seconds, then one short poll at the window's end) until BatchSize messages
//   or the window, counted from the first message, ends. Gathering also stops once the bodies
//   pass kBatchBodyBytesMax, keeping the event under the 6 MB invoke limit. Lambda's "might
//   wait up to 20 s with low traffic" is not modelled.
// - Scaling (4.2): the mapping starts kPollersInitial (5) pollers, or MaximumConcurrency if
//   lower. AWS adds up to 300 pollers a minute while messages keep coming; the twin adds
//   kScaleStepPollers (5) at most once per kScaleStepIntervalUs (1 s), i.e. 300 a minute, when
//   a poller receives messages while no poller is idle, up to the cap: MaximumConcurrency
//   (else 1,000) and the function's concurrency limit (its reservation or the unreserved pool),
//   read at each step. The initial five are not capped by the function's concurrency, which is
//   why AWS advises a reservation of at least 5 (4.2): below it the extra pollers are
//   throttled. A poller above the initial count whose long poll comes back empty retires
//   (AWS "scales back" when traffic is low; the scaling down to 2 is not modelled).
// - Success: the batch's messages are deleted with DeleteMessageBatch (10 per call). With
//   ReportBatchItemFailures, the response is read as 4.4 says: null, empty, `{}`, a null or
//   empty batchItemFailures list = success; listed ids stay (they reappear after the
//   visibility timeout) and the rest are deleted; invalid JSON, a non-object response, a list
//   that is not an array, an entry without a non-empty string itemIdentifier or naming a
//   message not in the batch = the whole batch failed. Without it, the response is ignored.
// - Function error, timeout, refused invoke: nothing is deleted; the messages reappear after
//   the visibility timeout and are received again (ApproximateReceiveCount + 1), so poison
//   messages reach the DLQ through the SQS fake's redrive (maxReceiveCount). The mapping does
//   not shrink its pollers on errors.
// - Throttled (4.4, cadence UNCERTAIN, reference 6.12): the poller retries the same batch (same
//   receipt handles) after EsmOptions::throttle_retry_initial_us (1 s), doubling up to
//   throttle_retry_max_us (8 s), while the retry would start before the batch's first receive
//   plus the queue's VisibilityTimeout (read at create); then it gives the batch up, and the
//   messages reappear.
// - FIFO queues (4.1, 4.2, 4.4; a queue whose name ends in ".fifo"): a batching window above 0
//   is InvalidParameterValueException "Batching window is not supported for FIFO queues" (AWS's
//   text as CloudFormation relayed it, status 400; the code is assumed). So BatchSize stays at
//   most 10: without a window the generic "Maximum batch window in seconds must be greater than
//   0..." refuses 11 and more, as on a standard queue (UNCERTAIN: AWS may name FIFO there; an
//   explicit window of 0 is taken).
//   Order per MessageGroupId comes from the SQS fake: a receive takes each group's messages in
//   send order, and a group with messages in flight gives nothing more to any poller until they
//   are deleted or visible again, so a batch that failed (wholly, or the ids the function
//   listed) holds its groups back until the retry, while other groups go on in other batches.
//   The records carry MessageGroupId, MessageDeduplicationId and SequenceNumber in
//   `attributes`.
//   With ReportBatchItemFailures the function should list the first failed message of a group
//   and every later one of that group (AWS: "stop processing after the first failure"); the
//   mapping deletes what it does not list, as AWS documents, so a function that lists only the
//   failed message loses the group's order. EsmOptions::fifo_keep_rest_of_group = true keeps
//   the rest of the group after a listed failure instead (UNCERTAIN; AWS documents no such
//   safeguard).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/events/sqs_event.h"
#include "core/ports/clock.h"
#include "core/ports/id_source.h"
#include "core/status.h"
#include "fakes/lambda/lambda_service.h"
#include "fakes/sqs/sqs_service.h"

namespace twin::fakes::esm {

inline constexpr std::int64_t kBatchSizeMin = 1;
inline constexpr std::int64_t kBatchSizeMax = 10'000;
inline constexpr std::int64_t kBatchSizeDefault = 10;
inline constexpr std::int64_t kBatchSizeWithoutWindowMax = 10;
inline constexpr std::int64_t kBatchingWindowSecondsMax = 300;
inline constexpr std::int64_t kMaximumConcurrencyMin = 2;
inline constexpr std::int64_t kMaximumConcurrencyMax = 1'000;
inline constexpr std::int64_t kPollersInitial = 5;
inline constexpr std::int64_t kPollersMax = 1'000;
inline constexpr std::int64_t kScaleStepPollers = 5;
inline constexpr core::DurationUs kScaleStepIntervalUs = core::kMicrosPerSecond;
inline constexpr std::int64_t kReceiveMessagesMax = 10;  // per ReceiveMessage
inline constexpr std::int64_t kDeleteEntriesMax = 10;    // per DeleteMessageBatch
inline constexpr std::int64_t kLongPollSeconds = 20;
inline constexpr std::size_t kBatchBodyBytesMax = 5 * 1024 * 1024;  // room for the JSON around
inline constexpr core::DurationUs kReceiveErrorRetryUs = core::kMicrosPerSecond;

struct EventSourceMappingConfig {
  std::string event_source_arn;  // the queue's ARN
  std::string function_name;
  std::optional<std::int64_t> batch_size;
  std::optional<std::int64_t> maximum_batching_window_in_seconds;
  std::vector<std::string> function_response_types;  // [] or ["ReportBatchItemFailures"]
  std::optional<std::int64_t> maximum_concurrency;   // ScalingConfig.MaximumConcurrency
};

// The twin's settings for what AWS does not document.
struct EsmOptions {
  core::DurationUs throttle_retry_initial_us = core::kMicrosPerSecond;
  core::DurationUs throttle_retry_max_us = 8 * core::kMicrosPerSecond;
  bool fifo_keep_rest_of_group = false;
};

struct EsmMetrics {
  std::int64_t batches = 0;      // batches gathered and handed to the function (retries excluded)
  std::int64_t records = 0;      // messages in those batches
  std::int64_t invokes = 0;      // Invoke calls, throttled retries included
  std::int64_t throttles = 0;    // invokes answered TooManyRequestsException
  std::int64_t failures = 0;     // records left in the queue after a failure (to be retried)
  std::int64_t deletes = 0;      // records deleted after success
  std::int64_t pollers_max = 0;  // high-water mark of concurrent pollers
};

class EventSourceMapping {
 public:
  // CreateEventSourceMapping: validates, then starts polling at once (State "Enabled").
  static core::Result<std::unique_ptr<EventSourceMapping>> create(
      const EventSourceMappingConfig& config, sqs::SqsService& sqs, lambda::LambdaService& lambda,
      core::Executor& executor, core::IdSource& ids, EsmOptions options = {});
  ~EventSourceMapping();
  EventSourceMapping(const EventSourceMapping&) = delete;
  EventSourceMapping& operator=(const EventSourceMapping&) = delete;

  const std::string& uuid() const { return uuid_; }
  std::int64_t batch_size() const { return batch_size_; }
  std::int64_t maximum_batching_window_in_seconds() const { return window_s_; }
  const EsmMetrics& metrics() const { return metrics_; }
  std::int64_t pollers() const { return pollers_; }
  bool fifo() const { return fifo_; }

 private:
  struct Batch;
  EventSourceMapping(const EventSourceMappingConfig& config, sqs::SqsService& sqs,
                     lambda::LambdaService& lambda, core::Executor& executor, EsmOptions options);

  void start_poller();
  void gather(const std::shared_ptr<Batch>& b);
  void receive(const std::shared_ptr<Batch>& b, std::int64_t wait_s);
  void on_receive(const std::shared_ptr<Batch>& b,
                  core::Result<sqs::ReceiveMessageResponse> received);
  void maybe_scale_up();
  void invoke(const std::shared_ptr<Batch>& b);
  void on_result(const std::shared_ptr<Batch>& b, lambda::InvokeResult result);
  void delete_succeeded(const Batch& b, const std::set<std::string>& failed_ids);
  void next_batch(const std::shared_ptr<Batch>& b);
  std::int64_t pollers_cap() const;

  EventSourceMappingConfig config_;
  sqs::SqsService& sqs_;
  lambda::LambdaService& lambda_;
  core::Executor& executor_;
  EsmOptions options_;
  std::string uuid_;
  std::string queue_url_;
  std::string region_;
  std::int64_t batch_size_ = kBatchSizeDefault;
  std::int64_t window_s_ = 0;
  bool report_batch_item_failures_ = false;
  bool fifo_ = false;
  core::DurationUs visibility_timeout_us_ = 0;
  std::int64_t pollers_initial_ = kPollersInitial;
  std::int64_t pollers_ = 0;
  std::int64_t pollers_idle_ = 0;  // waiting on a long poll with no batch started
  core::TimeUs last_scale_up_ = INT64_MIN;
  EsmMetrics metrics_;
  // delete_succeeded's request, kept from batch to batch so that its entries' strings keep
  // their capacity (a receipt handle is some 120 bytes, copied for every message).
  sqs::DeleteMessageBatchRequest delete_request_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Reads a ReportBatchItemFailures response against the batch's message ids (4.4): the failed
// ids, or an error when the whole batch counts as failed. Exposed for tests.
core::Result<std::set<std::string>> parse_batch_item_failures(
    std::string_view response, const std::set<std::string>& batch_ids);
// The same for a typed response (one whose text reads back as itself, lambda::Payload::of):
// the answer parse_batch_item_failures gives for its text.
core::Result<std::set<std::string>> batch_item_failures(const core::SqsBatchResponse& response,
                                                        const std::set<std::string>& batch_ids);
// Either, for an invocation's payload.
core::Result<std::set<std::string>> batch_item_failures(const lambda::Payload& response,
                                                        const std::set<std::string>& batch_ids);

// FIFO: `failed` plus every message after the first failed one of its message group, in the
// batch's order (messages without a MessageGroupId attribute stand alone). Exposed for tests.
std::set<std::string> with_rest_of_groups(const std::vector<sqs::Message>& batch,
                                          std::set<std::string> failed);
// The same over a batch's records (MessageGroupId read from their `attributes`).
std::set<std::string> with_rest_of_groups(const std::vector<core::SqsRecord>& batch,
                                          std::set<std::string> failed);

}  // namespace twin::fakes::esm
