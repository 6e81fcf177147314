// SqsService: SendMessage and SendMessageBatch (reference 3.4, 3.5, 3.6, 3.12).
#include "core/crypto.h"
#include "fakes/sqs/sqs_errors.h"
#include "fakes/sqs/sqs_internal.h"
#include "fakes/sqs/sqs_message_rules.h"

namespace twin::fakes::sqs {
namespace {

core::Status not_for_queue_type(std::string_view parameter, std::string_view value) {
  return invalid_parameter(parameter, value,
                           "The request include parameter that is not valid for this queue type.");
}

// FIFO-only checks of one entry: group id, deduplication id, no per-message delay.
core::Status check_fifo_entry(const SqsService::Queue& queue,
                              const SendMessageBatchRequestEntry& e) {
  if (e.delay_seconds) return not_for_queue_type("DelaySeconds", std::to_string(*e.delay_seconds));
  if (!e.message_group_id) return missing_parameter("MessageGroupId");
  if (auto s = validate_fifo_id("MessageGroupId", *e.message_group_id); !s.is_ok()) return s;
  if (e.message_deduplication_id) {
    return validate_fifo_id("MessageDeduplicationId", *e.message_deduplication_id);
  }
  if (!queue.content_based_deduplication) {
    return sqs_error(kInvalidParameterValue,
                     "The queue should either have ContentBasedDeduplication enabled or "
                     "MessageDeduplicationId provided explicitly");
  }
  return core::Status::ok();
}

SendMessageBatchRequestEntry as_entry(const SendMessageRequest& r) {
  return {"",
          r.message_body,
          r.delay_seconds,
          r.message_attributes,
          r.message_system_attributes,
          r.message_deduplication_id,
          r.message_group_id};
}

}  // namespace

core::Result<SqsService::MessageToSend> SqsService::prepare_send(
    const Queue& queue, const SendMessageBatchRequestEntry& e, bool in_batch) {
  if (auto s = validate_message_body(e.message_body); !s.is_ok()) return s;
  if (e.delay_seconds && (*e.delay_seconds < 0 || *e.delay_seconds > kDelaySecondsMax)) {
    return out_of_range("DelaySeconds", *e.delay_seconds, "DelaySeconds must be >= 0 and <= 900.");
  }
  if (auto s = validate_message_attributes(e.message_attributes); !s.is_ok()) return s;
  if (auto s = validate_message_system_attributes(e.message_system_attributes); !s.is_ok()) {
    return s;
  }
  if (message_size(e.message_body, e.message_attributes) > queue.maximum_message_size) {
    return sqs_error(kInvalidParameterValue,
                     std::string(in_batch ? "One or more parameters cannot be validated."
                                          : "One or more parameters are invalid.") +
                         " Reason: Message must be shorter than " +
                         std::to_string(queue.maximum_message_size) + " bytes.");
  }
  if (queue.fifo) {
    if (auto s = check_fifo_entry(queue, e); !s.is_ok()) return s;
  } else {
    if (e.message_deduplication_id) {
      return not_for_queue_type("MessageDeduplicationId", *e.message_deduplication_id);
    }
    // Standard queues accept MessageGroupId ("fair queues", reference 3.12).
    if (e.message_group_id) {
      if (auto s = validate_fifo_id("MessageGroupId", *e.message_group_id); !s.is_ok()) return s;
    }
  }
  MessageToSend m;
  m.id = e.id;
  m.body = e.message_body;
  m.md5_body = md5_hex(e.message_body);
  if (!e.message_attributes.empty()) {
    m.attributes = encode_message_attributes(e.message_attributes);
    m.md5_attributes = md5_hex(m.attributes);
  }
  if (!e.message_system_attributes.empty()) {
    m.md5_system_attributes = md5_of_message_attributes(e.message_system_attributes);
    m.trace_header = *e.message_system_attributes.begin()->second.string_value;
  }
  m.delay_us = seconds_to_us(e.delay_seconds.value_or(queue.delay_s));
  m.group_id = e.message_group_id.value_or("");
  if (queue.fifo) {
    m.dedup_id =
        e.message_deduplication_id ? *e.message_deduplication_id : core::sha256_hex(e.message_body);
  }
  return m;
}

core::Result<SendMessageBatchResultEntry> SqsService::insert_message(Queue& queue,
                                                                     MessageToSend& m) {
  core::TimeUs now = executor_.now();
  SendMessageBatchResultEntry result{
      m.id, "", m.md5_body, m.md5_attributes, m.md5_system_attributes, std::nullopt};
  // With DeduplicationScope=messageGroup a deduplication id only repeats within its group
  // (AWS CreateQueue documentation); the unit separator cannot occur in a group id.
  std::string dedup_key = m.dedup_id;
  if (queue.fifo && queue.attributes["DeduplicationScope"] == "messageGroup") {
    dedup_key = m.group_id + '\x1f' + m.dedup_id;
  }
  if (queue.fifo) {
    auto dup = db_->prepare(
        "SELECT message_id, seq FROM sqs_fifo_dedup WHERE queue_id = ?1 AND dedup_id = ?2 AND "
        "expires_at > ?3");
    if (!dup.is_ok()) return dup.status();
    auto row = (*dup)->bind(1, queue.id).bind(2, std::string_view(dedup_key)).bind(3, now).step();
    if (!row.is_ok()) return row.status();
    if (*row) {  // accepted, not delivered again (reference 3.12)
      result.message_id = (*dup)->column_text(0);
      result.sequence_number = sequence_number((*dup)->column_int64(1));
      return result;
    }
  }
  result.message_id = ids_.next_uuid();
  auto ins = db_->prepare(
      "INSERT INTO sqs_messages(queue_id, message_id, body, attributes, md5_body, md5_attributes, "
      "trace_header, sent_at, visible_at, first_receive_at, group_id, dedup_id) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8, ?10, ?11)");
  if (!ins.is_ok()) return ins.status();
  Statement& s = **ins;
  s.bind(1, queue.id).bind(2, std::string_view(result.message_id)).bind_blob(3, m.body);
  if (m.attributes.empty()) {
    s.bind_null(4).bind_null(6);
  } else {
    s.bind_blob(4, m.attributes).bind(6, std::string_view(*m.md5_attributes));
  }
  s.bind(5, std::string_view(m.md5_body));
  m.trace_header.empty() ? s.bind_null(7) : s.bind(7, std::string_view(m.trace_header));
  s.bind(8, now).bind(9, now + m.delay_us);
  m.group_id.empty() ? s.bind_null(10) : s.bind(10, std::string_view(m.group_id));
  m.dedup_id.empty() ? s.bind_null(11) : s.bind(11, std::string_view(m.dedup_id));
  if (core::Status st = s.run(); !st.is_ok()) return st;
  queue.sent_at_floor = std::min(queue.sent_at_floor, now);
  if (!queue.fifo) return result;
  std::int64_t seq = db_->last_insert_rowid();
  result.sequence_number = sequence_number(seq);
  auto dedup = db_->prepare(
      "INSERT OR REPLACE INTO sqs_fifo_dedup(queue_id, dedup_id, message_id, seq, expires_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!dedup.is_ok()) return dedup.status();
  (*dedup)->bind(1, queue.id).bind(2, std::string_view(dedup_key));
  (*dedup)->bind(3, std::string_view(result.message_id)).bind(4, seq);
  if (auto st = (*dedup)->bind(5, now + kDeduplicationInterval).run(); !st.is_ok()) return st;
  if (auto st = refresh_group(queue.id, m.group_id); !st.is_ok()) return st;
  return result;
}

core::Result<SendMessageResponse> SqsService::send_message(const SendMessageRequest& request) {
  auto found = find_queue(request.queue_url);
  if (!found.is_ok()) return found.status();
  auto prepared = prepare_send(**found, as_entry(request), false);
  if (!prepared.is_ok()) return prepared.status();
  const std::int64_t changes_before = db_->total_changes();
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  auto sent = insert_message(**found, *prepared);
  if (!sent.is_ok()) return sent.status();
  if (core::Status s = txn.commit(); !s.is_ok()) return s;
  note_sent(**found, changes_before, executor_.now() + prepared->delay_us);
  notify_waiters((*found)->id);
  return SendMessageResponse{std::move(sent->message_id), std::move(sent->md5_of_message_body),
                             std::move(sent->md5_of_message_attributes),
                             std::move(sent->md5_of_message_system_attributes),
                             std::move(sent->sequence_number)};
}

// The batch-level checks every batch operation shares, in the order LocalStack applies them
// (reference 3.6; AWS's own precedence is unconfirmed).
core::Status SqsService::validate_batch_ids(const std::vector<std::string>& ids,
                                            std::string_view entry_type) {
  if (ids.empty()) {
    return sqs_error(kEmptyBatchRequest, "There should be at least one " + std::string(entry_type) +
                                             " in the request.");
  }
  if (ids.size() > kBatchEntriesMax) {
    return sqs_error(kTooManyEntriesInBatchRequest,
                     "Maximum number of entries per request are 10. You have sent " +
                         std::to_string(ids.size()) + ".");
  }
  for (const auto& id : ids) {
    if (!is_valid_batch_entry_id(id)) {
      return sqs_error(kInvalidBatchEntryId,
                       "A batch entry id can only contain alphanumeric characters, hyphens and "
                       "underscores. It can be at most 80 letters long.");
    }
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (ids[i] == ids[j])
        return sqs_error(kBatchEntryIdsNotDistinct, "Id " + ids[i] + " repeated.");
    }
  }
  return core::Status::ok();
}

core::Result<SendMessageBatchResponse> SqsService::send_message_batch(
    const SendMessageBatchRequest& request) {
  auto found = find_queue(request.queue_url);
  if (!found.is_ok()) return found.status();
  Queue& queue = **found;
  std::vector<std::string> ids;
  std::int64_t total = 0;
  for (const auto& e : request.entries) {
    ids.push_back(e.id);
    total += message_size(e.message_body, e.message_attributes);
  }
  if (auto s = validate_batch_ids(ids, "SendMessageBatchRequestEntry"); !s.is_ok()) return s;
  if (total > kBatchRequestBytesMax) {
    return sqs_error(kBatchRequestTooLong,
                     "Batch requests cannot be longer than 1048576 bytes. You have sent " +
                         std::to_string(total) + " bytes.");
  }
  for (const auto& e : request.entries) {
    // A FIFO batch without a group id fails as a whole (reference 3.6).
    if (queue.fifo && !e.message_group_id) return missing_parameter("MessageGroupId");
  }
  SendMessageBatchResponse response;
  const std::int64_t changes_before = db_->total_changes();
  core::TimeUs earliest = kNever;
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  for (const auto& e : request.entries) {
    auto prepared = prepare_send(queue, e, true);
    if (!prepared.is_ok()) {
      const auto& st = prepared.status();
      response.failed.push_back({e.id, true, st.aws_code(), st.message()});
      continue;
    }
    auto sent = insert_message(queue, *prepared);
    if (!sent.is_ok()) return sent.status();
    response.successful.push_back(std::move(*sent));
    earliest = std::min(earliest, executor_.now() + prepared->delay_us);
  }
  if (core::Status s = txn.commit(); !s.is_ok()) return s;
  note_sent(queue, changes_before, earliest);
  if (!response.successful.empty()) notify_waiters(queue.id);
  return response;
}

}  // namespace twin::fakes::sqs
