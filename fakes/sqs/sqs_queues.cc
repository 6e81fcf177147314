// SqsService: opening, and the queue operations (reference 3.3, 3.10, 3.13).
#include <boost/json.hpp>
#include <charconv>

#include "core/encoding.h"
#include "fakes/sqs/sqs_errors.h"
#include "fakes/sqs/sqs_internal.h"
#include "fakes/sqs/sqs_message_rules.h"

namespace twin::fakes::sqs {
namespace {

struct IntAttribute {
  std::string_view name;
  std::int64_t min;
  std::int64_t max;
  std::int64_t SqsService::Queue::*field;
};

constexpr IntAttribute kIntAttributes[] = {
    {"DelaySeconds", 0, kDelaySecondsMax, &SqsService::Queue::delay_s},
    {"MaximumMessageSize", kMaximumMessageSizeMin, kMaximumMessageSizeMax,
     &SqsService::Queue::maximum_message_size},
    {"MessageRetentionPeriod", kMessageRetentionPeriodMin, kMessageRetentionPeriodMax,
     &SqsService::Queue::retention_s},
    {"ReceiveMessageWaitTimeSeconds", 0, kWaitTimeSecondsMax, &SqsService::Queue::wait_s},
    {"VisibilityTimeout", 0, kVisibilityTimeoutSecondsMax,
     &SqsService::Queue::visibility_timeout_s},
};

// Stored as given and reported back; the fake does not act on them.
constexpr std::string_view kOpaqueAttributes[] = {"Policy", "RedriveAllowPolicy", "KmsMasterKeyId",
                                                  "KmsDataKeyReusePeriodSeconds",
                                                  "SqsManagedSseEnabled"};
constexpr std::string_view kFifoOnlyAttributes[] = {"ContentBasedDeduplication",
                                                    "DeduplicationScope", "FifoThroughputLimit"};
template <typename Range>
bool contains(const Range& range, std::string_view name) {
  for (std::string_view n : range) {
    if (n == name) return true;
  }
  return false;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

core::Status invalid_attribute_value(std::string_view name, std::string_view reason = {}) {
  std::string message = "Invalid value for the parameter " + std::string(name) + ".";
  if (!reason.empty()) message += " Reason: " + std::string(reason);
  return sqs_error(kInvalidAttributeValue, std::move(message));
}

core::Status unknown_attribute(std::string_view name) {
  return sqs_error(kInvalidAttributeName, "Unknown Attribute " + std::string(name) + ".");
}

}  // namespace

std::string sequence_number(std::int64_t seq) {
  return std::to_string(kSequenceNumberBase + static_cast<std::uint64_t>(seq));
}

SqsService::SqsService(const SqsOptions& options, core::Executor& executor, core::IdSource& ids,
                       std::unique_ptr<Database> db)
    : options_(options), executor_(executor), ids_(ids), db_(std::move(db)) {}

SqsService::~SqsService() { *alive_ = false; }

core::Result<std::unique_ptr<SqsService>> SqsService::open(const SqsOptions& options,
                                                           core::Executor& executor,
                                                           core::IdSource& ids) {
  auto db = Database::open(options.database);
  if (!db.is_ok()) return db.status();
  if (core::Status s = (*db)->migrate("sqs", kSchemaVersion, kSchemaSql); !s.is_ok()) return s;
  std::unique_ptr<SqsService> service(new SqsService(options, executor, ids, std::move(*db)));
  if (core::Status s = service->load_queues(); !s.is_ok()) return s;
  return service;
}

core::Status SqsService::load_queues() {
  auto stmt = db_->prepare(
      "SELECT queue_id, name, fifo, created_at, last_modified_at, last_purge_at FROM sqs_queues");
  if (!stmt.is_ok()) return stmt.status();
  for (;;) {
    auto row = (*stmt)->step();
    if (!row.is_ok()) return row.status();
    if (!*row) break;
    auto q = std::make_unique<Queue>();
    q->id = (*stmt)->column_int64(0);
    q->name = (*stmt)->column_text(1);
    q->url = queue_url(q->name);
    q->arn = queue_arn(q->name);
    q->fifo = (*stmt)->column_int64(2) != 0;
    q->created_at = (*stmt)->column_int64(3);
    q->last_modified_at = (*stmt)->column_int64(4);
    if (!(*stmt)->column_is_null(5)) q->last_purge_at = (*stmt)->column_int64(5);
    queues_.emplace(q->name, std::move(q));
  }
  auto attrs = db_->prepare("SELECT queue_id, name, value FROM sqs_queue_attributes");
  if (!attrs.is_ok()) return attrs.status();
  std::map<std::int64_t, AttributeMap> by_queue;
  for (;;) {
    auto row = (*attrs)->step();
    if (!row.is_ok()) return row.status();
    if (!*row) break;
    by_queue[(*attrs)->column_int64(0)][(*attrs)->column_text(1)] = (*attrs)->column_text(2);
  }
  // Each queue's oldest enqueue time, in one scan of the messages (no index holds sent_at,
  // sqs_internal.h): without it the first receive of each queue would scan its rows, inside a
  // request, to learn that nothing has expired.
  auto oldest = db_->prepare("SELECT queue_id, MIN(sent_at) FROM sqs_messages GROUP BY queue_id");
  if (!oldest.is_ok()) return oldest.status();
  std::map<std::int64_t, core::TimeUs> oldest_by_queue;
  for (;;) {
    auto row = (*oldest)->step();
    if (!row.is_ok()) return row.status();
    if (!*row) break;
    oldest_by_queue[(*oldest)->column_int64(0)] = (*oldest)->column_int64(1);
  }
  for (auto& [name, queue] : queues_) {
    auto found = oldest_by_queue.find(queue->id);
    queue->sent_at_floor = found != oldest_by_queue.end() ? found->second : kNever;
    // Stored values were validated when set; applying them again only fills the typed fields.
    // The DLQ check is skipped because the target may load after its source.
    AttributeMap stored = by_queue[queue->id];
    std::string redrive = stored["RedrivePolicy"];
    stored.erase("RedrivePolicy");
    if (core::Status s = apply_attributes(*queue, stored, true); !s.is_ok()) return s;
    if (!redrive.empty()) {
      boost::json::value v = boost::json::parse(redrive);
      queue->dead_letter_target_arn = v.at("deadLetterTargetArn").as_string().c_str();
      queue->max_receive_count = v.at("maxReceiveCount").to_number<std::int64_t>();
      queue->attributes["RedrivePolicy"] = redrive;
    }
  }
  return core::Status::ok();
}

std::string SqsService::queue_url(std::string_view name) const {
  return options_.endpoint + "/" + options_.account_id + "/" + std::string(name);
}

std::string SqsService::queue_arn(std::string_view name) const {
  return "arn:aws:sqs:" + options_.region + ":" + options_.account_id + ":" + std::string(name);
}

core::Result<SqsService::Queue*> SqsService::find_queue(std::string_view url) {
  if (url.empty()) return missing_parameter("QueueUrl");
  std::size_t slash = url.rfind('/');
  if (slash == std::string_view::npos) return queue_does_not_exist();
  std::string_view name = url.substr(slash + 1);
  std::string_view rest = url.substr(0, slash);
  std::size_t account_slash = rest.rfind('/');
  std::string_view account =
      account_slash == std::string_view::npos ? rest : rest.substr(account_slash + 1);
  if (account != options_.account_id) return queue_does_not_exist();
  Queue* queue = find_queue_by_name(name);
  if (queue == nullptr) return queue_does_not_exist();
  return queue;
}

SqsService::Queue* SqsService::find_queue_by_name(std::string_view name) {
  auto it = queues_.find(name);
  return it == queues_.end() ? nullptr : it->second.get();
}

SqsService::Queue* SqsService::find_queue_by_arn(std::string_view arn) {
  for (auto& [name, queue] : queues_) {
    if (queue->arn == arn) return queue.get();
  }
  return nullptr;
}

// Validates and applies `attributes` to `queue` (reference 3.3). On error `queue` may be
// partly changed; callers apply to a copy.
core::Status SqsService::apply_attributes(Queue& queue, const AttributeMap& attributes,
                                          bool creating) {
  for (const auto& [name, value] : attributes) {
    bool handled = false;
    for (const auto& a : kIntAttributes) {
      if (a.name != name) continue;
      auto v = parse_int(value);
      if (!v || *v < a.min || *v > a.max) return invalid_attribute_value(name);
      queue.*a.field = *v;
      queue.attributes[name] = std::to_string(*v);
      handled = true;
    }
    if (handled) continue;
    if (name == "RedrivePolicy") {
      if (core::Status s = apply_redrive_policy(queue, value); !s.is_ok()) return s;
    } else if (name == "FifoQueue") {
      if (!queue.fifo) return unknown_attribute(name);
      if (!creating) {
        return invalid_attribute_value(name, "Modifying queue type is not supported.");
      }
      if (value != "true") return invalid_attribute_value(name);
      queue.attributes[name] = "true";
    } else if (contains(kFifoOnlyAttributes, name)) {
      if (!queue.fifo) return unknown_attribute(name);
      if (name == "ContentBasedDeduplication") {
        if (value != "true" && value != "false") return invalid_attribute_value(name);
        queue.content_based_deduplication = value == "true";
      }
      queue.attributes[name] = value;
    } else if (contains(kOpaqueAttributes, name)) {
      queue.attributes[name] = value;
    } else {
      return unknown_attribute(name);
    }
  }
  return core::Status::ok();
}

core::Status SqsService::apply_redrive_policy(Queue& queue, const std::string& value) {
  if (value.empty()) {  // "" removes the policy (reference 3.3)
    queue.dead_letter_target_arn.clear();
    queue.max_receive_count = 0;
    queue.attributes.erase("RedrivePolicy");
    return core::Status::ok();
  }
  auto bad = [&](std::string_view reason) {
    return invalid_parameter("RedrivePolicy", value, reason);
  };
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(value, ec);
  if (ec || !parsed.is_object()) return bad("Invalid value for RedrivePolicy: not a JSON object.");
  const auto& obj = parsed.as_object();
  const auto* arn = obj.if_contains("deadLetterTargetArn");
  const auto* count = obj.if_contains("maxReceiveCount");
  if (arn == nullptr || !arn->is_string()) {
    return bad("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  }
  if (count == nullptr) {
    return bad("Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  }
  std::optional<std::int64_t> n;
  if (count->is_int64()) n = count->as_int64();
  if (count->is_string()) n = parse_int(count->as_string());
  if (!n || *n < 1 || *n > kMaxReceiveCountMax) {
    return bad("Invalid value for maxReceiveCount: " + boost::json::serialize(*count) +
               ", valid values are from 1 to 1000 both inclusive.");
  }
  std::string target(arn->as_string());
  Queue* dlq = find_queue_by_arn(target);
  if (dlq == nullptr || target == queue.arn) return bad("Dead-letter target does not exist.");
  if (dlq->fifo != queue.fifo) {
    return bad("Dead-letter queue must be of the same type as the source queue.");
  }
  queue.dead_letter_target_arn = target;
  queue.max_receive_count = *n;
  boost::json::object normal;
  normal["deadLetterTargetArn"] = target;
  normal["maxReceiveCount"] = *n;
  queue.attributes["RedrivePolicy"] = boost::json::serialize(normal);
  return core::Status::ok();
}

core::Result<std::int64_t> SqsService::store_queue(const Queue& queue) {
  auto up = db_->prepare(
      "INSERT INTO sqs_queues(queue_id, name, fifo, created_at, last_modified_at, last_purge_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(queue_id) DO UPDATE SET "
      "last_modified_at = ?5, last_purge_at = ?6");
  if (!up.is_ok()) return up.status();
  if (queue.id != 0) {
    (*up)->bind(1, queue.id);
  } else {
    (*up)->bind_null(1);  // a new queue: SQLite picks the id
  }
  (*up)->bind(2, std::string_view(queue.name)).bind(3, queue.fifo ? 1 : 0);
  (*up)->bind(4, queue.created_at).bind(5, queue.last_modified_at);
  if (queue.last_purge_at) {
    (*up)->bind(6, *queue.last_purge_at);
  } else {
    (*up)->bind_null(6);
  }
  if (core::Status s = (*up)->run(); !s.is_ok()) return s;
  std::int64_t id = queue.id != 0 ? queue.id : db_->last_insert_rowid();
  auto clear = db_->prepare("DELETE FROM sqs_queue_attributes WHERE queue_id = ?1");
  if (!clear.is_ok()) return clear.status();
  if (core::Status s = (*clear)->bind(1, id).run(); !s.is_ok()) return s;
  for (const auto& [name, value] : queue.attributes) {
    auto ins =
        db_->prepare("INSERT INTO sqs_queue_attributes(queue_id, name, value) VALUES(?1, ?2, ?3)");
    if (!ins.is_ok()) return ins.status();
    (*ins)->bind(1, id).bind(2, std::string_view(name)).bind(3, std::string_view(value));
    if (core::Status s = (*ins)->run(); !s.is_ok()) return s;
  }
  return id;
}

}  // namespace twin::fakes::sqs
