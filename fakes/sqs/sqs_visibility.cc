// SqsService: receipt handles, DeleteMessage(Batch), ChangeMessageVisibility(Batch)
// (reference 3.8, 3.9).
#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

#include "core/encoding.h"
#include "fakes/sqs/sqs_errors.h"
#include "fakes/sqs/sqs_internal.h"

namespace twin::fakes::sqs {
namespace {

constexpr int kHandleFields = 5;  // queue id, seq, receive count, issued at, uuid
// A handle before base64: its four numbers, each with its colon, and the uuid.
constexpr std::size_t kHandleNumbersBytesMax = 4 * 21;
constexpr std::size_t kHandleBytesMax = kHandleNumbersBytesMax + core::IdSource::kUuidChars;

core::Status invalid_handle(std::string_view text) {
  return sqs_error(kReceiptHandleIsInvalid, "The input receipt handle \"" + std::string(text) +
                                                "\" is not a valid receipt handle.");
}

core::Status expired_handle(std::string_view text) {
  return invalid_parameter("ReceiptHandle", text, "The receipt handle has expired.");
}

core::Status not_available(std::string_view text) {
  return invalid_parameter(
      "ReceiptHandle", text,
      "Message does not exist or is not available for visibility timeout change.");
}

struct Row {
  std::int64_t receive_count;
  core::TimeUs visible_at;
  std::string group_id;
};

}  // namespace

std::string SqsService::make_receipt_handle(const Queue& queue, std::int64_t seq,
                                            std::int64_t receive_count) {
  // "<queue id>:<seq>:<receive count>:<issued at>:<uuid>", the numbers written into one buffer:
  // every received message gets a handle, and string concatenation was a tenth of a receive.
  char text[kHandleBytesMax];
  char* p = text;
  for (std::int64_t field : {queue.id, seq, receive_count, executor_.now()}) {
    p = std::to_chars(p, text + kHandleNumbersBytesMax, field).ptr;
    *p++ = ':';
  }
  ids_.write_uuid(p);  // in place: a uuid string of its own was a tenth of the handle's cost
  p += core::IdSource::kUuidChars;
  return core::base64_encode(std::string_view(text, static_cast<std::size_t>(p - text)));
}

core::Result<SqsService::ReceiptHandle> SqsService::parse_receipt_handle(const Queue& queue,
                                                                         std::string_view text) {
  if (text.empty()) return missing_parameter("ReceiptHandle");
  // Decoded on the stack: every delete parses its handles, and none this service issues is
  // longer than kHandleBytesMax.
  char decoded[kHandleBytesMax];
  if (core::base64_decoded_room(text.size()) > kHandleBytesMax) return invalid_handle(text);
  const std::optional<std::size_t> size = core::base64_decode_to(decoded, text);
  if (!size) return invalid_handle(text);
  std::int64_t fields[kHandleFields - 1] = {};
  std::string_view rest(decoded, *size);
  for (auto& field : fields) {
    std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return invalid_handle(text);
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + colon, field);
    if (ec != std::errc() || end != rest.data() + colon) return invalid_handle(text);
    rest.remove_prefix(colon + 1);
  }
  if (rest.size() != 36 || fields[0] != queue.id) return invalid_handle(text);
  return ReceiptHandle{fields[0], fields[1], fields[2], fields[3]};
}

namespace {

core::Result<std::optional<Row>> find_row(Database& db, std::int64_t queue_id, std::int64_t seq) {
  auto sel = db.prepare(
      "SELECT receive_count, visible_at, group_id FROM sqs_messages WHERE seq = ?1 AND "
      "queue_id = ?2");
  if (!sel.is_ok()) return sel.status();
  auto row = (*sel)->bind(1, seq).bind(2, queue_id).step();
  if (!row.is_ok()) return row.status();
  std::optional<Row> out;
  if (*row) out = Row{(*sel)->column_int64(0), (*sel)->column_int64(1), (*sel)->column_text(2)};
  (*sel)->reset();
  return out;
}

}  // namespace

bool SqsService::deletes_at_once(const Queue& queue, const ReceiptHandle& handle) const {
  return !queue.fifo && executor_.now() - handle.issued_at <= kReceiptHandleLifetime;
}

core::Status SqsService::delete_one(Queue& queue, std::string_view text) {
  auto handle = parse_receipt_handle(queue, text);
  if (!handle.is_ok()) return handle.status();
  if (deletes_at_once(queue, *handle)) {
    // The common case in one statement: the message is there and this handle was issued for
    // it (a receive count no higher than the message's). When nothing is deleted, the checks
    // of delete_checked say whether that is success (already deleted) or an error.
    auto del = db_->prepare(
        "DELETE FROM sqs_messages WHERE seq = ?1 AND queue_id = ?2 AND receive_count >= ?3");
    if (!del.is_ok()) return del.status();
    (*del)->bind(1, handle->seq).bind(2, queue.id).bind(3, handle->receive_count);
    if (auto s = (*del)->run(); !s.is_ok()) return s;
    if (db_->changes() == 1) return core::Status::ok();
  }
  return delete_checked(queue, *handle, text);
}

core::Status SqsService::delete_checked(Queue& queue, const ReceiptHandle& handle,
                                        std::string_view text) {
  const core::TimeUs now = executor_.now();
  auto row = find_row(*db_, queue.id, handle.seq);
  if (!row.is_ok()) return row.status();
  if (!*row) return core::Status::ok();  // already deleted: succeeds (reference 3.9 (b))
  const Row& r = **row;
  if (handle.receive_count > r.receive_count) return invalid_handle(text);  // never issued
  if (queue.fifo) {
    if (handle.receive_count != r.receive_count || r.visible_at <= now) {
      return expired_handle(text);
    }
  } else if (now - handle.issued_at > kReceiptHandleLifetime) {
    return expired_handle(text);
  }
  auto del = db_->prepare("DELETE FROM sqs_messages WHERE seq = ?1");
  if (!del.is_ok()) return del.status();
  if (auto s = (*del)->bind(1, handle.seq).run(); !s.is_ok()) return s;
  if (queue.fifo) return refresh_group(queue.id, r.group_id);
  return core::Status::ok();
}

core::Status SqsService::change_visibility_one(Queue& queue, std::string_view text,
                                               std::optional<std::int64_t> timeout) {
  if (!timeout) return missing_parameter("VisibilityTimeout");
  if (*timeout < 0 || *timeout > kVisibilityTimeoutSecondsMax) {
    return out_of_range("VisibilityTimeout", *timeout, "Must be >= 0 and <= 43200, if provided.");
  }
  auto handle = parse_receipt_handle(queue, text);
  if (!handle.is_ok()) return handle.status();
  core::TimeUs now = executor_.now();
  auto row = find_row(*db_, queue.id, handle->seq);
  if (!row.is_ok()) return row.status();
  if (!*row || handle->receive_count < (*row)->receive_count) return not_available(text);
  if (handle->receive_count > (*row)->receive_count) return invalid_handle(text);
  if (queue.fifo ? (*row)->visible_at <= now : now - handle->issued_at > kReceiptHandleLifetime) {
    return expired_handle(text);
  }
  // At most 12 h from the receive, however often it is extended (reference 3.8).
  if (now + seconds_to_us(*timeout) - handle->issued_at > kReceiptHandleLifetime) {
    return out_of_range("VisibilityTimeout", *timeout,
                        "Total VisibilityTimeout for the message is beyond the limit [43200 "
                        "seconds]");
  }
  auto up = db_->prepare("UPDATE sqs_messages SET visible_at = ?1 WHERE seq = ?2");
  if (!up.is_ok()) return up.status();
  if (auto s = (*up)->bind(1, now + seconds_to_us(*timeout)).bind(2, handle->seq).run();
      !s.is_ok()) {
    return s;
  }
  if (queue.in_flight_ceiling >= 0) ++queue.in_flight_ceiling;  // it may have been visible
  if (queue.fifo) return refresh_group(queue.id, (*row)->group_id);
  return core::Status::ok();
}

core::Status SqsService::delete_message(const DeleteMessageRequest& request) {
  auto found = find_queue(request.queue_url);
  if (!found.is_ok()) return found.status();
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  if (auto s = delete_one(**found, request.receipt_handle); !s.is_ok()) return s;
  auto s = txn.commit();
  if (s.is_ok() && (*found)->fifo) notify_waiters((*found)->id);  // a group may be free now
  return s;
}

core::Status SqsService::change_message_visibility(const ChangeMessageVisibilityRequest& request) {
  auto found = find_queue(request.queue_url);
  if (!found.is_ok()) return found.status();
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  auto s = change_visibility_one(**found, request.receipt_handle, request.visibility_timeout);
  if (!s.is_ok()) return s;
  s = txn.commit();
  if (s.is_ok() && request.visibility_timeout == 0) notify_waiters((*found)->id);
  return s;
}

core::Result<std::vector<SqsService::BatchDelete>> SqsService::delete_at_once(
    Queue& queue, const std::vector<DeleteMessageBatchRequestEntry>& entries) {
  std::vector<BatchDelete> out(entries.size());
  if (queue.fifo) return out;
  // The entries that delete_one would delete in its one statement, if their handles name
  // messages no other entry names: then the order of the entries cannot matter.
  std::vector<std::size_t> fresh;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto handle = parse_receipt_handle(queue, entries[i].receipt_handle);
    if (!handle.is_ok()) continue;
    out[i].handle = *handle;
    out[i].parsed = true;
    if (deletes_at_once(queue, *handle)) fresh.push_back(i);
  }
  std::erase_if(fresh, [&](std::size_t i) {
    for (std::size_t j = 0; j < entries.size(); ++j) {
      if (j != i && out[j].parsed && out[j].handle.seq == out[i].handle.seq) return true;
    }
    return false;
  });
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i : fresh) {
    lo = std::min(lo, out[i].handle.seq);
    hi = std::max(hi, out[i].handle.seq);
  }
  if (fresh.size() < 2 || hi - lo >= kSeqSpanMax) return out;  // delete_one's way
  // Seqs that fill their range (they are distinct) with one receive count, as for messages
  // received together and deleted together: the range and the count pick exactly them,
  // without the CASE that each row of the range evaluates otherwise.
  const std::int64_t count = out[fresh[0]].handle.receive_count;
  const bool range_only = hi - lo + 1 == static_cast<std::int64_t>(fresh.size()) &&
                          std::all_of(fresh.begin(), fresh.end(), [&](std::size_t i) {
                            return out[i].handle.receive_count == count;
                          });
  // +queue_id: not through an index on queue_id, which would scan the queue's messages.
  static constexpr std::string_view kDelete =
      "DELETE FROM sqs_messages WHERE seq BETWEEN ?2 AND ?3 AND +queue_id = ?1 AND "
      "receive_count >= ";
  static const std::string kRange = std::string(kDelete) + "?4";
  static const auto kSql = [] {  // [n - 1]: for n messages
    std::array<std::string, kBatchEntriesMax> sql;
    std::string cases;
    for (std::size_t n = 1; n <= sql.size(); ++n) {
      cases += " WHEN ?" + std::to_string(2 * n + 2) + " THEN ?" + std::to_string(2 * n + 3);
      sql[n - 1] = std::string(kDelete) + "CASE seq" + cases + " END";
    }
    return sql;
  }();
  auto del = db_->prepare(range_only ? kRange : kSql[fresh.size() - 1]);
  if (!del.is_ok()) return del.status();
  (*del)->bind(1, queue.id).bind(2, lo).bind(3, hi);
  if (range_only) {
    (*del)->bind(4, count);
  } else {
    for (std::size_t k = 0; k < fresh.size(); ++k) {
      const ReceiptHandle& h = out[fresh[k]].handle;
      (*del)
          ->bind(static_cast<int>(2 * k) + 4, h.seq)
          .bind(static_cast<int>(2 * k) + 5, h.receive_count);
    }
  }
  if (auto s = (*del)->run(); !s.is_ok()) return s;
  // All deleted: each succeeded. Otherwise delete_checked tells, entry by entry, which were
  // (their message is gone now: success, as it was for a message deleted before) and why the
  // others were not.
  const bool all = db_->changes() == static_cast<int>(fresh.size());
  for (std::size_t i : fresh) {
    out[i].left = all ? BatchDelete::Left::kNothing : BatchDelete::Left::kChecks;
  }
  return out;
}

core::Result<DeleteMessageBatchResponse> SqsService::delete_message_batch(
    const DeleteMessageBatchRequest& request) {
  auto found = find_queue(request.queue_url);
  if (!found.is_ok()) return found.status();
  std::vector<std::string> ids;
  ids.reserve(request.entries.size());
  for (const auto& e : request.entries) ids.push_back(e.id);
  if (auto s = validate_batch_ids(ids, "DeleteMessageBatchRequestEntry"); !s.is_ok()) return s;
  DeleteMessageBatchResponse response;
  response.successful.reserve(request.entries.size());
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  auto at_once = delete_at_once(**found, request.entries);
  if (!at_once.is_ok()) return at_once.status();
  for (std::size_t i = 0; i < request.entries.size(); ++i) {
    const auto& e = request.entries[i];
    const BatchDelete& d = (*at_once)[i];
    core::Status s = core::Status::ok();  // kNothing: the one DELETE deleted it
    if (d.left == BatchDelete::Left::kChecks) {
      s = delete_checked(**found, d.handle, e.receipt_handle);
    } else if (d.left == BatchDelete::Left::kAll) {
      s = delete_one(**found, e.receipt_handle);
    }
    if (s.is_ok()) {
      response.successful.push_back({e.id});
    } else if (s.http_status() >= 500) {
      return s;  // storage failure: the whole call fails and changes nothing
    } else {
      response.failed.push_back({e.id, true, s.aws_code(), s.message()});
    }
  }
  if (auto s = txn.commit(); !s.is_ok()) return s;
  if ((*found)->fifo) notify_waiters((*found)->id);
  return response;
}

core::Result<ChangeMessageVisibilityBatchResponse> SqsService::change_message_visibility_batch(
    const ChangeMessageVisibilityBatchRequest& request) {
  auto found = find_queue(request.queue_url);
  if (!found.is_ok()) return found.status();
  std::vector<std::string> ids;
  for (const auto& e : request.entries) ids.push_back(e.id);
  if (auto s = validate_batch_ids(ids, "ChangeMessageVisibilityBatchRequestEntry"); !s.is_ok()) {
    return s;
  }
  ChangeMessageVisibilityBatchResponse response;
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  for (const auto& e : request.entries) {
    core::Status s = change_visibility_one(**found, e.receipt_handle, e.visibility_timeout);
    if (s.is_ok()) {
      response.successful.push_back({e.id});
    } else if (s.http_status() >= 500) {
      return s;
    } else {
      response.failed.push_back({e.id, true, s.aws_code(), s.message()});
    }
  }
  if (auto s = txn.commit(); !s.is_ok()) return s;
  notify_waiters((*found)->id);
  return response;
}

}  // namespace twin::fakes::sqs
