// SqsService: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue,
// Get/SetQueueAttributes, ListDeadLetterSourceQueues (reference 3.3, 3.10, 3.13).
#include "core/encoding.h"
#include "fakes/sqs/sqs_errors.h"
#include "fakes/sqs/sqs_internal.h"
#include "fakes/sqs/sqs_message_rules.h"

namespace twin::fakes::sqs {
namespace {

constexpr std::string_view kCounterNames[] = {"ApproximateNumberOfMessages",
                                              "ApproximateNumberOfMessagesNotVisible",
                                              "ApproximateNumberOfMessagesDelayed"};

std::string epoch_seconds(core::TimeUs t) { return std::to_string(t / core::kMicrosPerSecond); }

// Pages `names` (already in order) after `next_token` (the base64 of the last name returned).
core::Result<std::vector<std::string>> page(std::vector<std::string> names,
                                            const std::optional<std::int64_t>& max_results,
                                            const std::optional<std::string>& next_token,
                                            std::optional<std::string>& token_out) {
  if (max_results && (*max_results < 1 || *max_results > kListQueuesResultsMax)) {
    return out_of_range("MaxResults", *max_results, "Must be between 1 and 1000, if provided.");
  }
  std::size_t start = 0;
  if (next_token) {
    auto after = core::base64_decode(*next_token);
    if (!after) return invalid_parameter("NextToken", *next_token, "Invalid NextToken value.");
    while (start < names.size() && names[start] <= *after) ++start;
  }
  auto limit = static_cast<std::size_t>(max_results.value_or(kListQueuesResultsMax));
  std::vector<std::string> out;
  for (std::size_t i = start; i < names.size() && out.size() < limit; ++i) out.push_back(names[i]);
  // AWS returns a NextToken only when MaxResults was given and more remain.
  if (max_results && start + out.size() < names.size()) token_out = core::base64_encode(out.back());
  return out;
}

}  // namespace

core::Status SqsService::check_create_matches(const Queue& existing,
                                              const CreateQueueRequest& request) {
  Queue wanted;
  wanted.fifo = existing.fifo;
  wanted.arn = existing.arn;
  if (core::Status s = apply_attributes(wanted, request.attributes, true); !s.is_ok()) return s;
  for (const auto& [name, value] : request.attributes) {
    auto have = existing.attributes.find(name);
    auto want = wanted.attributes.find(name);
    bool same = (have == existing.attributes.end()) == (want == wanted.attributes.end()) &&
                (have == existing.attributes.end() || have->second == want->second);
    if (!same) {
      return sqs_error(kQueueAlreadyExists,
                       "A queue already exists with the same name and a different value for "
                       "attribute " +
                           name);
    }
  }
  return core::Status::ok();
}

core::Result<CreateQueueResponse> SqsService::create_queue(const CreateQueueRequest& request) {
  auto fifo_attr = request.attributes.find("FifoQueue");
  bool fifo = fifo_attr != request.attributes.end() && fifo_attr->second == "true";
  if (core::Status s = validate_queue_name(request.queue_name, fifo); !s.is_ok()) return s;
  if (Queue* existing = find_queue_by_name(request.queue_name)) {
    if (core::Status s = check_create_matches(*existing, request); !s.is_ok()) return s;
    return CreateQueueResponse{existing->url};
  }
  core::TimeUs now = executor_.now();
  auto recent = db_->prepare("SELECT deleted_at FROM sqs_deleted_queues WHERE name = ?1");
  if (!recent.is_ok()) return recent.status();
  auto row = (*recent)->bind(1, std::string_view(request.queue_name)).step();
  if (!row.is_ok()) return row.status();
  if (*row && (*recent)->column_int64(0) + kQueueDeletedRecentlyInterval > now) {
    return sqs_error(kQueueDeletedRecently,
                     "You must wait 60 seconds after deleting a queue before you can create "
                     "another with the same name.");
  }
  Queue queue;
  queue.name = request.queue_name;
  queue.url = queue_url(queue.name);
  queue.arn = queue_arn(queue.name);
  queue.fifo = fifo;
  queue.created_at = queue.last_modified_at = now;
  AttributeMap defaults = {
      {"DelaySeconds", "0"},
      {"MaximumMessageSize", std::to_string(kMaximumMessageSizeMax)},
      {"MessageRetentionPeriod", std::to_string(kMessageRetentionPeriodDefault)},
      {"ReceiveMessageWaitTimeSeconds", "0"},
      {"VisibilityTimeout", std::to_string(kVisibilityTimeoutSecondsDefault)},
      {"SqsManagedSseEnabled", "true"}};
  if (fifo) {
    defaults.insert({{"FifoQueue", "true"},
                     {"ContentBasedDeduplication", "false"},
                     {"DeduplicationScope", "queue"},
                     {"FifoThroughputLimit", "perQueue"}});
  }
  if (core::Status s = apply_attributes(queue, defaults, true); !s.is_ok()) return s;
  if (core::Status s = apply_attributes(queue, request.attributes, true); !s.is_ok()) return s;
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  auto id = store_queue(queue);
  if (!id.is_ok()) return id.status();
  if (core::Status s = txn.commit(); !s.is_ok()) return s;
  queue.id = *id;
  auto owned = std::make_unique<Queue>(std::move(queue));
  std::string url = owned->url;
  queues_.emplace(owned->name, std::move(owned));
  return CreateQueueResponse{url};
}

core::Result<GetQueueUrlResponse> SqsService::get_queue_url(const GetQueueUrlRequest& request) {
  if (request.queue_name.empty()) return missing_parameter("QueueName");
  if (request.queue_owner_aws_account_id &&
      *request.queue_owner_aws_account_id != options_.account_id) {
    return queue_does_not_exist();
  }
  Queue* queue = find_queue_by_name(request.queue_name);
  if (queue == nullptr) return queue_does_not_exist();
  return GetQueueUrlResponse{queue->url};
}

core::Result<ListQueuesResponse> SqsService::list_queues(const ListQueuesRequest& request) {
  std::vector<std::string> names;
  for (const auto& [name, queue] : queues_) {
    if (!request.queue_name_prefix || name.rfind(*request.queue_name_prefix, 0) == 0) {
      names.push_back(name);
    }
  }
  ListQueuesResponse response;
  auto paged = page(std::move(names), request.max_results, request.next_token, response.next_token);
  if (!paged.is_ok()) return paged.status();
  for (const auto& name : *paged) response.queue_urls.push_back(queue_url(name));
  return response;
}

core::Status SqsService::delete_queue(const DeleteQueueRequest& request) {
  auto queue = find_queue(request.queue_url);
  if (!queue.is_ok()) return queue.status();
  std::int64_t id = (*queue)->id;
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  for (std::string_view sql : {"DELETE FROM sqs_messages WHERE queue_id = ?1",
                               "DELETE FROM sqs_fifo_groups WHERE queue_id = ?1",
                               "DELETE FROM sqs_fifo_dedup WHERE queue_id = ?1",
                               "DELETE FROM sqs_receive_attempts WHERE queue_id = ?1",
                               "DELETE FROM sqs_queue_attributes WHERE queue_id = ?1",
                               "DELETE FROM sqs_queues WHERE queue_id = ?1"}) {
    auto stmt = db_->prepare(sql);
    if (!stmt.is_ok()) return stmt.status();
    if (core::Status s = (*stmt)->bind(1, id).run(); !s.is_ok()) return s;
  }
  auto mark = db_->prepare(
      "INSERT INTO sqs_deleted_queues(name, deleted_at) VALUES(?1, ?2) "
      "ON CONFLICT(name) DO UPDATE SET deleted_at = ?2");
  if (!mark.is_ok()) return mark.status();
  (*mark)->bind(1, std::string_view((*queue)->name)).bind(2, executor_.now());
  if (core::Status s = (*mark)->run(); !s.is_ok()) return s;
  if (core::Status s = txn.commit(); !s.is_ok()) return s;
  queues_.erase((*queue)->name);
  schedule_wake(id, executor_.now());  // waiting receives learn the queue is gone
  return core::Status::ok();
}

core::Status SqsService::purge_queue(const PurgeQueueRequest& request) {
  auto found = find_queue(request.queue_url);
  if (!found.is_ok()) return found.status();
  Queue& queue = **found;
  core::TimeUs now = executor_.now();
  if (queue.last_purge_at && *queue.last_purge_at + kPurgeInterval > now) {
    return sqs_error(kPurgeQueueInProgress, "Only one PurgeQueue operation on " + queue.name +
                                                " is allowed every 60 seconds.");
  }
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  for (std::string_view sql : {"DELETE FROM sqs_messages WHERE queue_id = ?1 AND sent_at <= ?2",
                               "DELETE FROM sqs_fifo_groups WHERE queue_id = ?1"}) {
    auto stmt = db_->prepare(sql);
    if (!stmt.is_ok()) return stmt.status();
    if (core::Status s = (*stmt)->bind(1, queue.id).bind(2, now).run(); !s.is_ok()) return s;
  }
  Queue updated = queue;
  updated.last_purge_at = now;
  if (auto s = store_queue(updated); !s.is_ok()) return s.status();
  if (core::Status s = txn.commit(); !s.is_ok()) return s;
  queue = std::move(updated);
  return core::Status::ok();
}

core::Result<AttributeMap> SqsService::counters(const Queue& queue) {
  core::TimeUs now = executor_.now();
  core::TimeUs expired_before = now - seconds_to_us(queue.retention_s);
  constexpr std::string_view kSql[] = {
      "SELECT COUNT(*) FROM sqs_messages WHERE queue_id = ?1 AND visible_at <= ?2 AND sent_at > ?3",
      "SELECT COUNT(*) FROM sqs_messages WHERE queue_id = ?1 AND visible_at > ?2 AND sent_at > ?3 "
      "AND receive_count > 0",
      "SELECT COUNT(*) FROM sqs_messages WHERE queue_id = ?1 AND visible_at > ?2 AND sent_at > ?3 "
      "AND receive_count = 0"};
  AttributeMap out;
  for (std::size_t i = 0; i < std::size(kSql); ++i) {
    auto stmt = db_->prepare(kSql[i]);
    if (!stmt.is_ok()) return stmt.status();
    auto row = (*stmt)->bind(1, queue.id).bind(2, now).bind(3, expired_before).step();
    if (!row.is_ok()) return row.status();
    out[std::string(kCounterNames[i])] = std::to_string((*stmt)->column_int64(0));
  }
  return out;
}

core::Result<GetQueueAttributesResponse> SqsService::get_queue_attributes(
    const GetQueueAttributesRequest& request) {
  auto found = find_queue(request.queue_url);
  if (!found.is_ok()) return found.status();
  const Queue& queue = **found;
  auto live = counters(queue);
  if (!live.is_ok()) return live.status();
  AttributeMap all = queue.attributes;
  all.merge(*live);
  all["CreatedTimestamp"] = epoch_seconds(queue.created_at);
  all["LastModifiedTimestamp"] = epoch_seconds(queue.last_modified_at);
  all["QueueArn"] = queue.arn;
  GetQueueAttributesResponse response;
  for (const auto& name : request.attribute_names) {
    if (name == "All") return GetQueueAttributesResponse{all};
    auto it = all.find(name);
    bool fifo_only = name == "FifoQueue" || name == "ContentBasedDeduplication" ||
                     name == "DeduplicationScope" || name == "FifoThroughputLimit";
    bool known = fifo_only || name == "RedrivePolicy" || name == "Policy" ||
                 name == "RedriveAllowPolicy" || name == "KmsMasterKeyId" ||
                 name == "KmsDataKeyReusePeriodSeconds" || it != all.end();
    if (!known || (fifo_only && !queue.fifo)) {
      return sqs_error(kInvalidAttributeName, "Unknown Attribute " + name + ".");
    }
    if (it != all.end()) response.attributes[name] = it->second;  // unset ones are omitted
  }
  return response;
}

core::Status SqsService::set_queue_attributes(const SetQueueAttributesRequest& request) {
  auto found = find_queue(request.queue_url);
  if (!found.is_ok()) return found.status();
  if (request.attributes.empty()) return missing_parameter("Attributes");
  for (const auto& [name, value] : request.attributes) {
    bool read_only = name == "ApproximateNumberOfMessages" ||
                     name == "ApproximateNumberOfMessagesNotVisible" ||
                     name == "ApproximateNumberOfMessagesDelayed" || name == "CreatedTimestamp" ||
                     name == "LastModifiedTimestamp" || name == "QueueArn";
    if (read_only) return sqs_error(kInvalidAttributeName, "Unknown Attribute " + name + ".");
  }
  Queue updated = **found;
  if (core::Status s = apply_attributes(updated, request.attributes, false); !s.is_ok()) return s;
  updated.last_modified_at = executor_.now();
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  if (auto s = store_queue(updated); !s.is_ok()) return s.status();
  if (core::Status s = txn.commit(); !s.is_ok()) return s;
  **found = std::move(updated);
  return core::Status::ok();
}

core::Result<ListDeadLetterSourceQueuesResponse> SqsService::list_dead_letter_source_queues(
    const ListDeadLetterSourceQueuesRequest& request) {
  auto found = find_queue(request.queue_url);
  if (!found.is_ok()) return found.status();
  std::vector<std::string> names;
  for (const auto& [name, queue] : queues_) {
    if (queue->dead_letter_target_arn == (*found)->arn) names.push_back(name);
  }
  ListDeadLetterSourceQueuesResponse response;
  auto paged = page(std::move(names), request.max_results, request.next_token, response.next_token);
  if (!paged.is_ok()) return paged.status();
  for (const auto& name : *paged) response.queue_urls.push_back(queue_url(name));
  return response;
}

}  // namespace twin::fakes::sqs
