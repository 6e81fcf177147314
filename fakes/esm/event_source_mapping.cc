#include "fakes/esm/event_source_mapping.h"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <utility>

#include "core/encoding.h"
#include "fakes/lambda/lambda_errors.h"

namespace twin::fakes::esm {
namespace json = boost::json;
using lambda::invalid_parameter;
using lambda::validation_error;
namespace {

constexpr std::string_view kReportBatchItemFailures = "ReportBatchItemFailures";

core::Status check_range(std::string_view field, const std::optional<std::int64_t>& value,
                         std::int64_t lo, std::int64_t hi) {
  if (!value) return core::Status::ok();
  if (*value < lo) {
    return validation_error(
        field, std::to_string(*value),
        "Member must have value greater than or equal to " + std::to_string(lo));
  }
  if (*value > hi) {
    return validation_error(field, std::to_string(*value),
                            "Member must have value less than or equal to " + std::to_string(hi));
  }
  return core::Status::ok();
}

struct QueueArn {
  std::string region;
  std::string account;
  std::string name;
};

// arn:aws:sqs:<region>:<account>:<name>
std::optional<QueueArn> parse_queue_arn(std::string_view arn) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (int i = 0; i < 5; ++i) {
    std::size_t colon = arn.find(':', from);
    if (colon == std::string_view::npos) return std::nullopt;
    parts.emplace_back(arn.substr(from, colon - from));
    from = colon + 1;
  }
  parts.emplace_back(arn.substr(from));
  if (parts[0] != "arn" || parts[1].rfind("aws", 0) != 0 || parts[2] != "sqs" || parts[3].empty() ||
      parts[5].empty()) {
    return std::nullopt;
  }
  return QueueArn{parts[3], parts[4], parts[5]};
}

core::Status validate_fields(const EventSourceMappingConfig& c) {
  if (auto s = check_range("batchSize", c.batch_size, kBatchSizeMin, kBatchSizeMax); !s.is_ok()) {
    return s;
  }
  if (auto s = check_range("maximumBatchingWindowInSeconds", c.maximum_batching_window_in_seconds,
                           0, kBatchingWindowSecondsMax);
      !s.is_ok()) {
    return s;
  }
  if (auto s = check_range("scalingConfig.maximumConcurrency", c.maximum_concurrency,
                           kMaximumConcurrencyMin, kMaximumConcurrencyMax);
      !s.is_ok()) {
    return s;
  }
  for (const std::string& t : c.function_response_types) {
    if (t != kReportBatchItemFailures) {
      return validation_error("functionResponseTypes", "[" + t + "]",
                              "Member must satisfy constraint: [Member must satisfy enum value "
                              "set: [ReportBatchItemFailures]]");
    }
  }
  if (!parse_queue_arn(c.event_source_arn)) {
    return validation_error(
        "eventSourceArn", c.event_source_arn,
        "Member must satisfy regular expression pattern: "
        "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?"
        ":(\\d{12})?:(.*)");
  }
  if (c.batch_size.value_or(kBatchSizeDefault) > kBatchSizeWithoutWindowMax &&
      c.maximum_batching_window_in_seconds.value_or(0) == 0) {
    return invalid_parameter(
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater "
        "than 10");
  }
  return core::Status::ok();
}

// The record of a received message, made once, when it is received: the batch keeps its
// records (their ids and receipt handles, the event again for a retry after a throttle), not
// the messages, so the message's strings are moved, never copied.
core::SqsRecord to_record(sqs::Message&& m, const std::string& arn, const std::string& region) {
  core::SqsRecord r;
  r.message_id = std::move(m.message_id);
  r.receipt_handle = std::move(m.receipt_handle);
  r.body = std::move(m.body);
  r.attributes = std::move(m.attributes);  // the same list, in name order
  for (auto& [name, v] : m.message_attributes) {
    core::SqsMessageAttribute a;
    a.name = name;
    a.data_type = std::move(v.data_type);
    a.string_value = std::move(v.string_value);
    if (v.binary_value) a.binary_value = core::base64_encode(*v.binary_value);
    r.message_attributes.push_back(std::move(a));
  }
  r.md5_of_message_attributes = std::move(m.md5_of_message_attributes);
  r.md5_of_body = std::move(m.md5_of_body);
  r.event_source_arn = arn;
  r.aws_region = region;
  return r;
}

// The group of a received message or of its record (the same attribute list).
template <typename Item>
const std::string* group_of(const Item& item) {
  for (const auto& [name, value] : item.attributes) {
    if (name == "MessageGroupId") return &value;
  }
  return nullptr;
}

template <typename Item>
std::set<std::string> add_rest_of_groups(const std::vector<Item>& batch,
                                         std::set<std::string> failed) {
  std::set<std::string> failed_groups;
  for (const Item& m : batch) {
    const std::string* group = group_of(m);
    if (group == nullptr) continue;
    if (failed_groups.contains(*group)) {
      failed.insert(m.message_id);
    } else if (failed.contains(m.message_id)) {
      failed_groups.insert(*group);
    }
  }
  return failed;
}

}  // namespace

struct EventSourceMapping::Batch {
  // The records, in receive order, filled in as messages arrive; the payload shares them once
  // the batch is first invoked (a shared value never changes), and a retry invokes that payload
  // again.
  std::shared_ptr<core::SqsEvent> event = std::make_shared<core::SqsEvent>();
  std::optional<lambda::Payload> payload;
  std::size_t body_bytes = 0;
  core::TimeUs first_received_at = 0;
  core::TimeUs window_end = 0;
  int throttled_attempts = 0;
  bool counted = false;  // already in metrics_.batches
};

EventSourceMapping::EventSourceMapping(const EventSourceMappingConfig& config, sqs::SqsService& sqs,
                                       lambda::LambdaService& lambda, core::Executor& executor,
                                       EsmOptions options)
    : config_(config), sqs_(sqs), lambda_(lambda), executor_(executor), options_(options) {}

EventSourceMapping::~EventSourceMapping() { *alive_ = false; }

core::Result<std::unique_ptr<EventSourceMapping>> EventSourceMapping::create(
    const EventSourceMappingConfig& config, sqs::SqsService& sqs, lambda::LambdaService& lambda,
    core::Executor& executor, core::IdSource& ids, EsmOptions options) {
  if (auto s = validate_fields(config); !s.is_ok()) return s;
  const lambda::FunctionConfig* fn = lambda.function_config(config.function_name);
  if (!fn) {
    return core::Status{core::StatusCode::kNotFound,
                        "Function not found: " + lambda.function_arn(config.function_name),
                        "ResourceNotFoundException", 404};
  }
  QueueArn arn = *parse_queue_arn(config.event_source_arn);
  auto url = sqs.get_queue_url({arn.name, arn.account});
  if (!url.is_ok()) {
    return invalid_parameter(
        "Error occurred while ReceiveMessage. SQS Error Code: "
        "AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does "
        "not exist.");
  }
  const bool fifo = arn.name.ends_with(".fifo");  // SQS enforces the suffix on FIFO queues
  if (fifo && config.maximum_batching_window_in_seconds.value_or(0) > 0) {
    return invalid_parameter("Batching window is not supported for FIFO queues");
  }
  auto attrs = sqs.get_queue_attributes({url->queue_url, {"VisibilityTimeout"}});
  if (!attrs.is_ok()) return attrs.status();
  const std::int64_t visibility_s = std::stoll(attrs->attributes["VisibilityTimeout"]);
  if (visibility_s < fn->timeout_s) {
    return invalid_parameter(
        "Queue visibility timeout: " + std::to_string(visibility_s) +
        " seconds is less than Function timeout: " + std::to_string(fn->timeout_s) + " seconds");
  }
  auto esm = std::unique_ptr<EventSourceMapping>(
      new EventSourceMapping(config, sqs, lambda, executor, options));
  esm->uuid_ = ids.next_uuid();
  esm->queue_url_ = url->queue_url;
  esm->region_ = arn.region;
  esm->batch_size_ = config.batch_size.value_or(kBatchSizeDefault);
  esm->window_s_ = config.maximum_batching_window_in_seconds.value_or(0);
  esm->report_batch_item_failures_ = !config.function_response_types.empty();
  esm->fifo_ = fifo;
  esm->visibility_timeout_us_ = visibility_s * core::kMicrosPerSecond;
  esm->pollers_initial_ =
      std::min(kPollersInitial, config.maximum_concurrency.value_or(kPollersMax));
  for (std::int64_t i = 0; i < esm->pollers_initial_; ++i) esm->start_poller();
  return esm;
}

std::int64_t EventSourceMapping::pollers_cap() const {
  return std::min(config_.maximum_concurrency.value_or(kPollersMax),
                  lambda_.concurrency_limit(config_.function_name));
}

void EventSourceMapping::start_poller() {
  ++pollers_;
  metrics_.pollers_max = std::max(metrics_.pollers_max, pollers_);
  executor_.at(executor_.now(), [this, alive = std::weak_ptr<bool>(alive_)] {
    if (auto a = alive.lock(); a && *a) gather(std::make_shared<Batch>());
  });
}

void EventSourceMapping::gather(const std::shared_ptr<Batch>& b) {
  if (b->event->records.empty()) {
    ++pollers_idle_;
    return receive(b, kLongPollSeconds);
  }
  const core::DurationUs left_us = b->window_end - executor_.now();
  if (left_us >= core::kMicrosPerSecond) {
    return receive(b, std::min(kLongPollSeconds, left_us / core::kMicrosPerSecond));
  }
  if (left_us > 0) {
    // Whole-second long polls cannot end inside the last second; one short poll at its end.
    executor_.at(b->window_end, [this, alive = std::weak_ptr<bool>(alive_), b] {
      if (auto a = alive.lock(); a && *a) receive(b, 0);
    });
    return;
  }
  invoke(b);
}

void EventSourceMapping::receive(const std::shared_ptr<Batch>& b, std::int64_t wait_s) {
  sqs::ReceiveMessageRequest req;
  req.queue_url = queue_url_;
  req.attribute_names = {"All"};
  req.message_attribute_names = {"All"};
  req.max_number_of_messages = std::min(
      kReceiveMessagesMax, batch_size_ - static_cast<std::int64_t>(b->event->records.size()));
  req.wait_time_seconds = wait_s;
  sqs_.receive_message_async(req, [this, alive = std::weak_ptr<bool>(alive_),
                                   b](core::Result<sqs::ReceiveMessageResponse> r) {
    if (auto a = alive.lock(); a && *a) on_receive(b, std::move(r));
  });
}

void EventSourceMapping::on_receive(const std::shared_ptr<Batch>& b,
                                    core::Result<sqs::ReceiveMessageResponse> received) {
  std::vector<core::SqsRecord>& records = b->event->records;
  const bool was_idle = records.empty();
  if (was_idle) --pollers_idle_;
  if (!received.is_ok()) {
    // The SQS fake failed (a storage error); the poller tries again a little later.
    executor_.at(executor_.now() + kReceiveErrorRetryUs,
                 [this, alive = std::weak_ptr<bool>(alive_), b] {
                   if (auto a = alive.lock(); a && *a) gather(b);
                 });
    return;
  }
  std::vector<sqs::Message>& got = received->messages;
  if (was_idle && got.empty()) {
    if (pollers_ > pollers_initial_) {
      --pollers_;  // traffic is low: scale back towards the initial pollers
      return;
    }
    return gather(b);
  }
  if (was_idle) {
    b->first_received_at = executor_.now();
    b->window_end = b->first_received_at + window_s_ * core::kMicrosPerSecond;
    maybe_scale_up();
  }
  records.reserve(records.size() + got.size());
  for (sqs::Message& m : got) {
    b->body_bytes += m.body.size();
    records.push_back(to_record(std::move(m), config_.event_source_arn, region_));
  }
  const bool full = static_cast<std::int64_t>(records.size()) >= batch_size_ ||
                    b->body_bytes >= kBatchBodyBytesMax;
  if (full || window_s_ == 0) return invoke(b);
  gather(b);
}

void EventSourceMapping::maybe_scale_up() {
  const core::TimeUs now = executor_.now();
  if (pollers_idle_ > 0 || now < last_scale_up_ + kScaleStepIntervalUs) return;
  const std::int64_t room = pollers_cap() - pollers_;
  if (room <= 0) return;
  for (std::int64_t i = 0; i < std::min(kScaleStepPollers, room); ++i) start_poller();
  last_scale_up_ = now;
}

void EventSourceMapping::invoke(const std::shared_ptr<Batch>& b) {
  if (!b->counted) {
    b->counted = true;
    ++metrics_.batches;
    metrics_.records += static_cast<std::int64_t>(b->event->records.size());
  }
  ++metrics_.invokes;
  if (!b->payload) {
    // Not shared yet, so build_in keeps the records as they are (Payload::of without a move):
    // typed if their text reads back as them, else that text; b->event stays the batch's.
    b->payload = lambda::Payload::build_in(b->event, [](core::SqsEvent& /*records already*/) {});
  }
  lambda_.invoke(config_.function_name, *b->payload,
                 [this, alive = std::weak_ptr<bool>(alive_), b](lambda::InvokeResult r) {
                   if (auto a = alive.lock(); a && *a) on_result(b, std::move(r));
                 });
}

void EventSourceMapping::on_result(const std::shared_ptr<Batch>& b, lambda::InvokeResult result) {
  using Kind = lambda::InvokeResult::Kind;
  const auto size = static_cast<std::int64_t>(b->event->records.size());
  if (result.kind == Kind::kThrottled) {
    ++metrics_.throttles;
    core::DurationUs backoff_us = options_.throttle_retry_initial_us;
    for (int i = 0; i < b->throttled_attempts && backoff_us < options_.throttle_retry_max_us; ++i) {
      backoff_us *= 2;
    }
    backoff_us = std::min(backoff_us, options_.throttle_retry_max_us);
    ++b->throttled_attempts;
    const core::TimeUs retry_at = executor_.now() + backoff_us;
    if (retry_at < b->first_received_at + visibility_timeout_us_) {
      executor_.at(retry_at, [this, alive = std::weak_ptr<bool>(alive_), b] {
        if (auto a = alive.lock(); a && *a) invoke(b);
      });
      return;
    }
    metrics_.failures += size;  // given up: the messages reappear after the visibility timeout
    return next_batch(b);
  }
  if (result.kind != Kind::kSuccess) {
    metrics_.failures += size;
    return next_batch(b);
  }
  std::set<std::string> failed;
  const core::SqsBatchResponse* typed = result.payload.sqs_batch_response();
  const bool nothing_failed = typed != nullptr && typed->batch_item_failures.empty();
  if (report_batch_item_failures_ && !nothing_failed) {
    std::set<std::string> ids;
    for (const core::SqsRecord& r : b->event->records) ids.insert(r.message_id);
    auto parsed = batch_item_failures(result.payload, ids);
    if (!parsed.is_ok()) {
      metrics_.failures += size;
      return next_batch(b);
    }
    failed = std::move(*parsed);
    if (fifo_ && options_.fifo_keep_rest_of_group) {
      failed = add_rest_of_groups(b->event->records, std::move(failed));
    }
  }
  delete_succeeded(*b, failed);
  next_batch(b);
}

void EventSourceMapping::delete_succeeded(const Batch& b, const std::set<std::string>& failed) {
  sqs::DeleteMessageBatchRequest& req = delete_request_;
  req.queue_url = queue_url_;
  std::size_t n = 0;  // this chunk's entries: req.entries[0, n)
  auto flush = [&] {
    if (n == 0) return;
    req.entries.resize(n);
    auto r = sqs_.delete_message_batch(req);
    // A failed delete leaves the message to reappear, as on AWS; it is not counted.
    if (r.is_ok()) metrics_.deletes += static_cast<std::int64_t>(r->successful.size());
    n = 0;
  };
  for (const core::SqsRecord& r : b.event->records) {
    if (failed.contains(r.message_id)) {
      ++metrics_.failures;
      continue;
    }
    if (req.entries.size() == n) req.entries.emplace_back();
    req.entries[n].id = std::to_string(n);
    req.entries[n].receipt_handle = r.receipt_handle;
    if (static_cast<std::int64_t>(++n) == kDeleteEntriesMax) flush();
  }
  flush();
}

void EventSourceMapping::next_batch(const std::shared_ptr<Batch>& /*done*/) {
  gather(std::make_shared<Batch>());
}

core::Result<std::set<std::string>> parse_batch_item_failures(
    std::string_view response, const std::set<std::string>& batch_ids) {
  const auto first = response.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return std::set<std::string>{};  // empty response
  json::error_code ec;
  json::value v = json::parse(json::string_view(response.data(), response.size()), ec);
  if (ec) return core::invalid_argument("batch response: not valid JSON");
  if (v.is_null()) return std::set<std::string>{};
  if (!v.is_object()) return core::invalid_argument("batch response: not a JSON object");
  const json::value* list = v.get_object().if_contains("batchItemFailures");
  if (!list || list->is_null()) return std::set<std::string>{};
  if (!list->is_array()) return core::invalid_argument("batchItemFailures: not an array");
  std::set<std::string> failed;
  for (const json::value& item : list->get_array()) {
    const json::value* id =
        item.is_object() ? item.get_object().if_contains("itemIdentifier") : nullptr;
    if (!id || !id->is_string() || id->get_string().empty()) {
      return core::invalid_argument("batchItemFailures: an entry without an itemIdentifier");
    }
    std::string text(id->get_string());
    if (!batch_ids.contains(text)) {
      return core::invalid_argument("batchItemFailures: " + text + " is not in the batch");
    }
    failed.insert(std::move(text));
  }
  return failed;
}

std::set<std::string> with_rest_of_groups(const std::vector<sqs::Message>& batch,
                                          std::set<std::string> failed) {
  return add_rest_of_groups(batch, std::move(failed));
}

std::set<std::string> with_rest_of_groups(const std::vector<core::SqsRecord>& batch,
                                          std::set<std::string> failed) {
  return add_rest_of_groups(batch, std::move(failed));
}

core::Result<std::set<std::string>> batch_item_failures(const core::SqsBatchResponse& response,
                                                        const std::set<std::string>& batch_ids) {
  // Item by item, in the order and with the words of parse_batch_item_failures: its text is
  // {"batchItemFailures":[{"itemIdentifier":...},...]} with well-formed strings.
  std::set<std::string> failed;
  for (const std::string& id : response.batch_item_failures) {
    if (id.empty()) {
      return core::invalid_argument("batchItemFailures: an entry without an itemIdentifier");
    }
    if (!batch_ids.contains(id)) {
      return core::invalid_argument("batchItemFailures: " + id + " is not in the batch");
    }
    failed.insert(id);
  }
  return failed;
}

core::Result<std::set<std::string>> batch_item_failures(const lambda::Payload& response,
                                                        const std::set<std::string>& batch_ids) {
  if (const core::SqsBatchResponse* typed = response.sqs_batch_response()) {
    return batch_item_failures(*typed, batch_ids);
  }
  return parse_batch_item_failures(response.json(), batch_ids);
}

}  // namespace twin::fakes::esm
