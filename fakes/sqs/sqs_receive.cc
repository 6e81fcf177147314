// SqsService: ReceiveMessage, DLQ redrive, retention, FIFO groups and long polling
// (reference 3.7, 3.10, 3.11, 3.12).
#include <algorithm>
#include <charconv>
#include <iterator>
#include <set>

#include "fakes/sqs/sqs_errors.h"
#include "fakes/sqs/sqs_internal.h"
#include "fakes/sqs/sqs_message_rules.h"

namespace twin::fakes::sqs {
namespace {

constexpr std::string_view kSystemAttributeNames[] = {"All",
                                                      "ApproximateReceiveCount",
                                                      "ApproximateFirstReceiveTimestamp",
                                                      "SentTimestamp",
                                                      "SenderId",
                                                      "AWSTraceHeader",
                                                      "MessageGroupId",
                                                      "MessageDeduplicationId",
                                                      "SequenceNumber",
                                                      "DeadLetterQueueSourceArn"};

std::string millis(core::TimeUs t) { return std::to_string(t / core::kMicrosPerMilli); }

// Every name above but "All".
constexpr std::size_t kSystemAttributesMax = std::size(kSystemAttributeNames) - 1;

bool wants(const ReceiveMessageRequest& r, std::string_view name) {
  for (const auto* list : {&r.attribute_names, &r.message_system_attribute_names}) {
    for (const auto& n : *list) {
      if (n == "All" || n == name) return true;
    }
  }
  return false;
}

}  // namespace

SqsService::StoredMessage read_stored_message(const Statement& s) {
  SqsService::StoredMessage m;
  m.seq = s.column_int64(0);
  m.message_id = s.column_text(1);
  m.body = s.column_text(2);
  m.attributes = s.column_text(3);
  m.md5_body = s.column_text(4);
  m.trace_header = s.column_text(5);
  m.sent_at = s.column_int64(6);
  m.visible_at = s.column_int64(7);
  m.receive_count = s.column_int64(8);
  if (m.receive_count > 0) m.first_receive_at = s.column_int64(9);  // else a placeholder
  m.group_id = s.column_text(10);
  m.dedup_id = s.column_text(11);
  m.dlq_source_arn = s.column_text(12);
  return m;
}

core::Status SqsService::validate_receive(const Queue& queue, const ReceiveMessageRequest& r) {
  if (r.max_number_of_messages &&
      (*r.max_number_of_messages < 1 || *r.max_number_of_messages > kMaxNumberOfMessagesMax)) {
    return out_of_range("MaxNumberOfMessages", *r.max_number_of_messages,
                        "Must be between 1 and 10, if provided.");
  }
  if (r.wait_time_seconds &&
      (*r.wait_time_seconds < 0 || *r.wait_time_seconds > kWaitTimeSecondsMax)) {
    return out_of_range("WaitTimeSeconds", *r.wait_time_seconds,
                        "Must be >= 0 and <= 20, if provided.");
  }
  if (r.visibility_timeout &&
      (*r.visibility_timeout < 0 || *r.visibility_timeout > kVisibilityTimeoutSecondsMax)) {
    return out_of_range("VisibilityTimeout", *r.visibility_timeout,
                        "Must be >= 0 and <= 43200, if provided.");
  }
  for (const auto* list : {&r.attribute_names, &r.message_system_attribute_names}) {
    for (const auto& name : *list) {
      bool known = false;
      for (std::string_view k : kSystemAttributeNames) known = known || k == name;
      if (!known) return sqs_error(kInvalidAttributeName, "Unknown Attribute " + name + ".");
    }
  }
  if (queue.fifo && r.receive_request_attempt_id) {
    return validate_fifo_id("ReceiveRequestAttemptId", *r.receive_request_attempt_id);
  }
  return core::Status::ok();
}

core::Result<std::int64_t> SqsService::count_in_flight(const Queue& queue, std::int64_t cap) {
  // Received and not yet visible again; delayed messages (never received) are not in flight.
  // Counting stops at the cap, so the cost is bounded by it.
  auto count = db_->prepare(
      "SELECT COUNT(*) FROM (SELECT 1 FROM sqs_messages WHERE queue_id = ?1 AND visible_at > ?2 "
      "AND receive_count > 0 LIMIT ?3)");
  if (!count.is_ok()) return count.status();
  auto row = (*count)->bind(1, queue.id).bind(2, executor_.now()).bind(3, cap).step();
  if (!row.is_ok()) return row.status();
  std::int64_t n = (*count)->column_int64(0);
  (*count)->reset();
  return n;
}

namespace {

// Attempt entries as stored: one "seq,receive_count,visible_at,receipt_handle" line each
// (receipt handles are base64, so they hold neither ',' nor a newline).
std::string encode_attempt(const std::vector<SqsService::AttemptEntry>& entries) {
  std::string out;
  for (const auto& e : entries) {
    out += std::to_string(e.seq) + "," + std::to_string(e.receive_count) + "," +
           std::to_string(e.visible_at) + "," + e.receipt_handle + "\n";
  }
  return out;
}

std::optional<std::vector<SqsService::AttemptEntry>> decode_attempt(std::string_view text) {
  std::vector<SqsService::AttemptEntry> out;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    SqsService::AttemptEntry e;
    std::int64_t* numbers[] = {&e.seq, &e.receive_count, &e.visible_at};
    for (std::int64_t* n : numbers) {
      std::size_t comma = line.find(',');
      if (comma == std::string_view::npos) return std::nullopt;
      auto [ptr, ec] = std::from_chars(line.data(), line.data() + comma, *n);
      if (ec != std::errc() || ptr != line.data() + comma) return std::nullopt;
      line.remove_prefix(comma + 1);
    }
    e.receipt_handle = std::string(line);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

core::Result<std::optional<ReceiveMessageResponse>> SqsService::repeat_receive_attempt(
    Queue& queue, const ReceiveMessageRequest& r, core::TimeUs visible_at) {
  using Repeat = std::optional<ReceiveMessageResponse>;
  auto sel = db_->prepare(
      "SELECT entries FROM sqs_receive_attempts WHERE queue_id = ?1 AND attempt_id = ?2 "
      "AND expires_at > ?3");
  if (!sel.is_ok()) return sel.status();
  (*sel)->bind(1, queue.id).bind(2, std::string_view(*r.receive_request_attempt_id));
  auto row = (*sel)->bind(3, executor_.now()).step();
  if (!row.is_ok()) return row.status();
  if (!*row) return Repeat();
  auto entries = decode_attempt((*sel)->column_text(0));
  (*sel)->reset();
  if (!entries) return core::internal_error("unreadable receive attempt record");
  static const std::string kOne =
      "SELECT " + std::string(kMessageColumns) + " FROM sqs_messages WHERE seq = ?1";
  std::vector<StoredMessage> messages;
  for (const AttemptEntry& e : *entries) {
    auto one = db_->prepare(kOne);
    if (!one.is_ok()) return one.status();
    auto found = (*one)->bind(1, e.seq).step();
    if (!found.is_ok()) return found.status();
    if (!*found) return Repeat();  // deleted since
    StoredMessage m = read_stored_message(**one);
    (*one)->reset();
    if (m.receive_count != e.receive_count || m.visible_at != e.visible_at) return Repeat();
    messages.push_back(std::move(m));
  }
  // Unchanged: the same messages and handles, with the visibility timeout started again (which
  // may hide messages again: they count against the in-flight ceiling).
  if (queue.in_flight_ceiling >= 0) {
    queue.in_flight_ceiling += static_cast<std::int64_t>(messages.size());
  }
  auto update = db_->prepare("UPDATE sqs_messages SET visible_at = ?1 WHERE seq = ?2");
  if (!update.is_ok()) return update.status();
  ReceiveMessageResponse response;
  std::set<std::string> groups;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    (*update)->reset();
    if (auto s = (*update)->bind(1, visible_at).bind(2, messages[i].seq).run(); !s.is_ok()) {
      return s;
    }
    messages[i].visible_at = visible_at;
    (*entries)[i].visible_at = visible_at;
    if (!messages[i].group_id.empty()) groups.insert(messages[i].group_id);
    response.messages.push_back(
        make_message(queue, std::move(messages[i]), r, (*entries)[i].receipt_handle));
  }
  for (const auto& g : groups) {
    if (auto s = refresh_group(queue.id, g); !s.is_ok()) return s;
  }
  auto keep = db_->prepare(
      "UPDATE sqs_receive_attempts SET entries = ?1 WHERE queue_id = ?2 AND attempt_id = ?3");
  if (!keep.is_ok()) return keep.status();
  (*keep)->bind(1, std::string_view(encode_attempt(*entries))).bind(2, queue.id);
  if (auto s = (*keep)->bind(3, std::string_view(*r.receive_request_attempt_id)).run();
      !s.is_ok()) {
    return s;
  }
  return Repeat(std::move(response));
}

core::Status SqsService::remember_receive_attempt(const Queue& queue, const std::string& attempt_id,
                                                  const std::vector<AttemptEntry>& entries) {
  const core::TimeUs now = executor_.now();
  auto prune =
      db_->prepare("DELETE FROM sqs_receive_attempts WHERE queue_id = ?1 AND expires_at <= ?2");
  if (!prune.is_ok()) return prune.status();
  if (auto s = (*prune)->bind(1, queue.id).bind(2, now).run(); !s.is_ok()) return s;
  auto put = db_->prepare(
      "INSERT OR REPLACE INTO sqs_receive_attempts(queue_id, attempt_id, expires_at, entries) "
      "VALUES(?1, ?2, ?3, ?4)");
  if (!put.is_ok()) return put.status();
  (*put)->bind(1, queue.id).bind(2, std::string_view(attempt_id));
  (*put)->bind(3, now + kReceiveAttemptLifetime);
  return (*put)->bind(4, std::string_view(encode_attempt(entries))).run();
}

core::Result<std::optional<core::TimeUs>> SqsService::expire_messages(Queue& queue) {
  core::TimeUs cutoff = executor_.now() - seconds_to_us(queue.retention_s);
  if (cutoff < queue.sent_at_floor) return std::optional<core::TimeUs>();  // none sent so early
  std::vector<std::string> groups;
  if (queue.fifo) {
    auto sel = db_->prepare(
        "SELECT DISTINCT group_id FROM sqs_messages WHERE queue_id = ?1 AND sent_at <= ?2");
    if (!sel.is_ok()) return sel.status();
    (*sel)->bind(1, queue.id).bind(2, cutoff);
    for (;;) {
      auto row = (*sel)->step();
      if (!row.is_ok()) return row.status();
      if (!*row) break;
      groups.push_back((*sel)->column_text(0));
    }
  }
  auto del = db_->prepare("DELETE FROM sqs_messages WHERE queue_id = ?1 AND sent_at <= ?2");
  if (!del.is_ok()) return del.status();
  if (auto s = (*del)->bind(1, queue.id).bind(2, cutoff).run(); !s.is_ok()) return s;
  for (const auto& g : groups) {
    if (auto s = refresh_group(queue.id, g); !s.is_ok()) return s;
  }
  // The oldest message left (a scan of the queue, as the DELETE): receives skip the expiry
  // until the cutoff reaches it.
  auto oldest = db_->prepare("SELECT MIN(sent_at) FROM sqs_messages WHERE queue_id = ?1");
  if (!oldest.is_ok()) return oldest.status();
  auto row = (*oldest)->bind(1, queue.id).step();
  if (!row.is_ok()) return row.status();
  const core::TimeUs floor = (*oldest)->column_is_null(0) ? kNever : (*oldest)->column_int64(0);
  (*oldest)->reset();
  return std::optional<core::TimeUs>(floor);
}

core::Result<std::vector<SqsService::StoredMessage>> SqsService::select_standard(
    const Queue& queue, std::int64_t limit) {
  static const std::string kSql = "SELECT " + std::string(kMessageColumns) +
                                  " FROM sqs_messages WHERE queue_id = ?1 AND visible_at <= ?2 "
                                  "ORDER BY visible_at, seq LIMIT ?3";
  auto sel = db_->prepare(kSql);
  if (!sel.is_ok()) return sel.status();
  (*sel)->bind(1, queue.id).bind(2, executor_.now()).bind(3, limit);
  std::vector<StoredMessage> out;
  out.reserve(static_cast<std::size_t>(std::min<std::int64_t>(limit, kMaxNumberOfMessagesMax)));
  for (;;) {
    auto row = (*sel)->step();
    if (!row.is_ok()) return row.status();
    if (!*row) break;
    out.push_back(read_stored_message(**sel));
  }
  return out;
}

// Ready groups first (by the time they became ready, then head order), each group's visible
// messages in send order, up to `limit` in all.
core::Result<std::vector<SqsService::StoredMessage>> SqsService::select_fifo(const Queue& queue,
                                                                             std::int64_t limit) {
  core::TimeUs now = executor_.now();
  auto groups = db_->prepare(
      "SELECT group_id FROM sqs_fifo_groups WHERE queue_id = ?1 AND ready_at <= ?2 "
      "ORDER BY ready_at, head_seq LIMIT ?3");
  if (!groups.is_ok()) return groups.status();
  (*groups)->bind(1, queue.id).bind(2, now).bind(3, limit);
  std::vector<std::string> ready;
  for (;;) {
    auto row = (*groups)->step();
    if (!row.is_ok()) return row.status();
    if (!*row) break;
    ready.push_back((*groups)->column_text(0));
  }
  static const std::string kSql = "SELECT " + std::string(kMessageColumns) +
                                  " FROM sqs_messages WHERE queue_id = ?1 AND group_id = ?2 "
                                  "ORDER BY seq LIMIT ?3";
  std::vector<StoredMessage> out;
  for (const auto& g : ready) {
    auto sel = db_->prepare(kSql);
    if (!sel.is_ok()) return sel.status();
    (*sel)->bind(1, queue.id).bind(2, std::string_view(g));
    (*sel)->bind(3, limit - static_cast<std::int64_t>(out.size()));
    for (;;) {
      auto row = (*sel)->step();
      if (!row.is_ok()) return row.status();
      if (!*row || (*sel)->column_int64(7) > now) break;  // order: stop at the first not due
      out.push_back(read_stored_message(**sel));
    }
    (*sel)->reset();
    if (static_cast<std::int64_t>(out.size()) >= limit) break;
  }
  return out;
}

core::Result<bool> SqsService::move_to_dead_letter_queue(Queue& queue, const StoredMessage& m) {
  Queue* dlq = find_queue_by_arn(queue.dead_letter_target_arn);
  if (dlq == nullptr) return false;  // the target was deleted: the message stays
  // Same id, body, attributes, receive count and enqueue time (reference 3.10, 3.11).
  auto move = db_->prepare(
      "INSERT INTO sqs_messages(queue_id, message_id, body, attributes, md5_body, md5_attributes, "
      "trace_header, sent_at, visible_at, receive_count, first_receive_at, group_id, dedup_id, "
      "dlq_source_arn) SELECT ?1, message_id, body, attributes, md5_body, md5_attributes, "
      "trace_header, sent_at, ?2, receive_count, first_receive_at, group_id, dedup_id, ?3 "
      "FROM sqs_messages WHERE seq = ?4");
  if (!move.is_ok()) return move.status();
  (*move)->bind(1, dlq->id).bind(2, executor_.now()).bind(3, std::string_view(queue.arn));
  if (auto s = (*move)->bind(4, m.seq).run(); !s.is_ok()) return s;
  auto del = db_->prepare("DELETE FROM sqs_messages WHERE seq = ?1");
  if (!del.is_ok()) return del.status();
  if (auto s = (*del)->bind(1, m.seq).run(); !s.is_ok()) return s;
  dlq->sent_at_floor = std::min(dlq->sent_at_floor, m.sent_at);
  if (dlq->fifo && !m.group_id.empty()) {
    if (auto s = refresh_group(dlq->id, m.group_id); !s.is_ok()) return s;
  }
  notify_waiters(dlq->id);
  return true;
}

std::optional<std::string_view> Message::attribute(std::string_view name) const {
  for (const auto& [n, value] : attributes) {
    if (n == name) return value;
  }
  return std::nullopt;
}

Message SqsService::make_message(const Queue& queue, StoredMessage&& m,
                                 const ReceiveMessageRequest& r, std::string handle) {
  Message out{std::move(m.message_id),
              std::move(handle),
              std::move(m.md5_body),
              std::move(m.body),
              {},
              std::nullopt,
              {}};
  // Appended in name order (SystemAttributes).
  out.attributes.reserve(kSystemAttributesMax);
  auto put = [&](std::string_view name, std::string&& value) {
    if (wants(r, name)) out.attributes.emplace_back(name, std::move(value));
  };
  if (!m.trace_header.empty()) put("AWSTraceHeader", std::move(m.trace_header));
  put("ApproximateFirstReceiveTimestamp", millis(m.first_receive_at.value_or(m.sent_at)));
  put("ApproximateReceiveCount", std::to_string(m.receive_count));
  if (!m.dlq_source_arn.empty()) put("DeadLetterQueueSourceArn", std::move(m.dlq_source_arn));
  if (queue.fifo) put("MessageDeduplicationId", std::move(m.dedup_id));
  if (!m.group_id.empty()) put("MessageGroupId", std::move(m.group_id));
  put("SenderId", std::string(options_.sender_id));
  put("SentTimestamp", millis(m.sent_at));
  if (queue.fifo) put("SequenceNumber", sequence_number(m.seq));
  if (!m.attributes.empty() && !r.message_attribute_names.empty()) {
    auto all = decode_message_attributes(m.attributes);
    for (auto& [name, value] : all.value_or(MessageAttributeMap{})) {
      for (const auto& filter : r.message_attribute_names) {
        if (attribute_filter_matches(filter, name)) {
          out.message_attributes[name] = value;
          break;
        }
      }
    }
    // The digest covers only the attributes returned (reference 3.5).
    if (!out.message_attributes.empty()) {
      out.md5_of_message_attributes = md5_of_message_attributes(out.message_attributes);
    }
  }
  return out;
}

}  // namespace twin::fakes::sqs
