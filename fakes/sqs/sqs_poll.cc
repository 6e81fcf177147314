// SqsService: the receive loop, FIFO group bookkeeping and long polling on the Executor
// (reference 3.7, 3.11, 3.12).
#include <algorithm>
#include <array>
#include <set>
#include <span>

#include "fakes/sqs/sqs_errors.h"
#include "fakes/sqs/sqs_internal.h"

namespace twin::fakes::sqs {

core::Status SqsService::refresh_group(std::int64_t queue_id, const std::string& group_id) {
  auto sel = db_->prepare(
      "SELECT seq, visible_at, receive_count FROM sqs_messages "
      "WHERE queue_id = ?1 AND group_id = ?2 ORDER BY seq");
  if (!sel.is_ok()) return sel.status();
  (*sel)->bind(1, queue_id).bind(2, std::string_view(group_id));
  std::optional<std::int64_t> head_seq;
  core::TimeUs ready_at = 0;
  // Received messages are always a prefix of the group (receives take a group in order), so
  // the walk stops at the first message never received.
  for (;;) {
    auto row = (*sel)->step();
    if (!row.is_ok()) return row.status();
    if (!*row) break;
    if (!head_seq) head_seq = (*sel)->column_int64(0);
    ready_at = std::max(ready_at, (*sel)->column_int64(1));
    if ((*sel)->column_int64(2) == 0) break;
  }
  (*sel)->reset();
  if (!head_seq) {
    auto del = db_->prepare("DELETE FROM sqs_fifo_groups WHERE queue_id = ?1 AND group_id = ?2");
    if (!del.is_ok()) return del.status();
    return (*del)->bind(1, queue_id).bind(2, std::string_view(group_id)).run();
  }
  auto up = db_->prepare(
      "INSERT INTO sqs_fifo_groups(queue_id, group_id, ready_at, head_seq) VALUES(?1, ?2, ?3, ?4) "
      "ON CONFLICT(queue_id, group_id) DO UPDATE SET ready_at = ?3, head_seq = ?4");
  if (!up.is_ok()) return up.status();
  (*up)->bind(1, queue_id).bind(2, std::string_view(group_id)).bind(3, ready_at);
  return (*up)->bind(4, *head_seq).run();
}

core::Result<core::TimeUs> SqsService::min_visible_at(Queue& queue) {
  const std::int64_t changes = db_->total_changes();
  if (queue.min_visible_changes == changes) return queue.min_visible_at;
  // One seek into (queue_id, visible_at), or (queue_id, ready_at, head_seq) for FIFO groups.
  auto sel =
      db_->prepare(queue.fifo ? "SELECT MIN(ready_at) FROM sqs_fifo_groups WHERE queue_id = ?1"
                              : "SELECT MIN(visible_at) FROM sqs_messages WHERE queue_id = ?1");
  if (!sel.is_ok()) return sel.status();
  auto row = (*sel)->bind(1, queue.id).step();
  if (!row.is_ok()) return row.status();
  const core::TimeUs t = (*sel)->column_is_null(0) ? kNever : (*sel)->column_int64(0);
  (*sel)->reset();
  queue.min_visible_changes = changes;
  queue.min_visible_at = t;
  return t;
}

void SqsService::note_sent(Queue& queue, std::int64_t changes_before, core::TimeUs earliest) {
  // Inserts only lower the minimum, to their own visible_at: no query needed. (Each batch of
  // an ESM sends into a queue whose minimum was read just before, by the poll that waits.)
  if (queue.fifo || queue.min_visible_changes != changes_before) return;
  queue.min_visible_changes = db_->total_changes();
  queue.min_visible_at = std::min(queue.min_visible_at, earliest);
}

core::Result<bool> SqsService::has_visible(Queue& queue) {
  auto t = min_visible_at(queue);
  if (!t.is_ok()) return t.status();
  return *t <= executor_.now();
}

core::Status SqsService::mark_received(std::span<const std::int64_t> seqs, core::TimeUs visible_at,
                                       core::TimeUs now) {
  if (seqs.empty()) return core::Status::ok();
  // OR IGNORE: no row can break a constraint here (the values are bound, never NULL; no unique
  // index holds these columns), and without a conflict clause that may abort SQLite keeps a
  // statement journal for an UPDATE of several rows, to undo it halfway.
  static constexpr std::string_view kSet =
      "UPDATE OR IGNORE sqs_messages SET visible_at = ?1, receive_count = receive_count + 1, "
      "first_receive_at = CASE receive_count WHEN 0 THEN ?2 ELSE first_receive_at END WHERE ";
  const auto [lo, hi] = std::minmax_element(seqs.begin(), seqs.end());
  if (*hi - *lo + 1 == static_cast<std::int64_t>(seqs.size())) {
    // The seqs (distinct) fill their range, as for messages sent together: the range alone
    // picks them, without the CASE that each row of the range evaluates otherwise.
    static const std::string kRange = std::string(kSet) + "seq BETWEEN ?3 AND ?4";
    auto update = db_->prepare(kRange);
    if (!update.is_ok()) return update.status();
    return (*update)->bind(1, visible_at).bind(2, now).bind(3, *lo).bind(4, *hi).run();
  }
  if (seqs.size() > static_cast<std::size_t>(kMaxNumberOfMessagesMax) || *hi - *lo >= kSeqSpanMax) {
    static const std::string kOne = std::string(kSet) + "seq = ?3";
    for (std::int64_t seq : seqs) {
      auto update = db_->prepare(kOne);
      if (!update.is_ok()) return update.status();
      if (auto s = (*update)->bind(1, visible_at).bind(2, now).bind(3, seq).run(); !s.is_ok()) {
        return s;
      }
    }
    return core::Status::ok();
  }
  static const auto kSql = [] {  // [n - 1]: for n messages
    std::array<std::string, kMaxNumberOfMessagesMax> sql;
    std::string cases;
    for (std::size_t n = 1; n <= sql.size(); ++n) {
      cases += " WHEN ?" + std::to_string(n + 4) + " THEN 1";
      sql[n - 1] = std::string(kSet) + "seq BETWEEN ?3 AND ?4 AND CASE seq" + cases + " END";
    }
    return sql;
  }();
  auto update = db_->prepare(kSql[seqs.size() - 1]);
  if (!update.is_ok()) return update.status();
  (*update)->bind(1, visible_at).bind(2, now).bind(3, *lo).bind(4, *hi);
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    (*update)->bind(static_cast<int>(i) + 5, seqs[i]);
  }
  return (*update)->run();
}

core::Result<ReceiveMessageResponse> SqsService::receive_now(Queue& queue,
                                                             const ReceiveMessageRequest& r) {
  core::TimeUs now = executor_.now();
  std::int64_t limit = r.max_number_of_messages.value_or(1);
  core::TimeUs visible_at =
      now + seconds_to_us(r.visibility_timeout.value_or(queue.visibility_timeout_s));
  const bool attempt = queue.fifo && r.receive_request_attempt_id.has_value();
  // Nothing visible: answer without a write transaction. Long polls ask again on every send
  // and most of them find nothing; retention expiry waits for a receive that can return
  // something (an expired message is visible, so it is never returned meanwhile).
  if (!attempt) {
    auto any = has_visible(queue);
    if (!any.is_ok()) return any.status();
    if (!*any) return ReceiveMessageResponse{};
  }
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  auto expired = expire_messages(queue);
  if (!expired.is_ok()) return expired.status();
  // What this transaction learnt about the queue, kept only once it commits: a rolled-back
  // expiry brings its messages back, and a rolled-back count may have missed them.
  std::optional<std::int64_t> counted;
  auto commit = [&](std::int64_t hidden) -> core::Status {
    if (auto s = txn.commit(); !s.is_ok()) return s;
    if (*expired) queue.sent_at_floor = std::max(queue.sent_at_floor, **expired);
    if (counted) {
      queue.in_flight_ceiling = *counted + hidden;
      queue.in_flight_ceiling_at = now;
    } else if (queue.in_flight_ceiling >= 0) {
      queue.in_flight_ceiling += hidden;
    }
    return core::Status::ok();
  };
  if (attempt) {
    auto again = repeat_receive_attempt(queue, r, visible_at);
    if (!again.is_ok()) return again.status();
    if (again->has_value()) {
      if (auto s = commit(0); !s.is_ok()) return s;
      return std::move(**again);
    }
  }
  // Never past the in-flight cap (reference 3.7). The count is skipped when the ceiling shows
  // that this receive can neither find the queue at the cap nor take it past.
  const std::int64_t cap =
      queue.fifo ? options_.in_flight_max_fifo : options_.in_flight_max_standard;
  const bool below_cap = queue.in_flight_ceiling >= 0 && now >= queue.in_flight_ceiling_at &&
                         queue.in_flight_ceiling <= cap - limit;
  if (!below_cap) {
    auto in_flight = count_in_flight(queue, cap);
    if (!in_flight.is_ok()) return in_flight.status();
    counted = *in_flight;
    if (*in_flight >= cap) {
      const bool short_poll = r.wait_time_seconds.value_or(queue.wait_s) == 0;
      if (!queue.fifo && short_poll) {
        return sqs_error(kOverLimit, "The queue has reached its limit of " + std::to_string(cap) +
                                         " messages in flight.");
      }
      if (auto s = commit(0); !s.is_ok()) return s;  // expired messages stay expired
      return ReceiveMessageResponse{};
    }
    limit = std::min(limit, cap - *in_flight);
  }
  std::vector<AttemptEntry> received;
  ReceiveMessageResponse response;
  response.messages.reserve(static_cast<std::size_t>(limit));
  std::vector<std::int64_t> taken;  // at most `limit` (10): a search beats a set's nodes
  taken.reserve(static_cast<std::size_t>(limit));
  std::set<std::string> groups;
  // Taken messages are hidden together, in one statement, just before anything reads the rows
  // again (a DLQ move, the select after one, the groups' refresh): each read sees the rows as
  // when every message was hidden as soon as it was taken.
  std::size_t hidden = 0;  // taken[0, hidden) are hidden in the database
  auto hide_taken = [&] {
    auto pending = std::span<const std::int64_t>(taken).subspan(hidden);
    hidden = taken.size();
    return mark_received(pending, visible_at, now);
  };
  for (;;) {
    if (auto s = hide_taken(); !s.is_ok()) return s;
    auto want = limit - static_cast<std::int64_t>(response.messages.size());
    auto candidates = queue.fifo
                          ? select_fifo(queue, want + static_cast<std::int64_t>(taken.size()))
                          : select_standard(queue, want + static_cast<std::int64_t>(taken.size()));
    if (!candidates.is_ok()) return candidates.status();
    bool moved = false;
    bool progress = false;
    for (auto& m : *candidates) {
      if (static_cast<std::int64_t>(response.messages.size()) >= limit) break;
      if (std::find(taken.begin(), taken.end(), m.seq) != taken.end()) continue;
      progress = true;
      if (!m.group_id.empty() && queue.fifo) groups.insert(m.group_id);
      // The receive that would exceed maxReceiveCount moves the message instead (3.11).
      if (!queue.dead_letter_target_arn.empty() && m.receive_count + 1 > queue.max_receive_count) {
        if (auto s = hide_taken(); !s.is_ok()) return s;
        auto did = move_to_dead_letter_queue(queue, m);
        if (!did.is_ok()) return did.status();
        if (*did) {
          moved = true;
          continue;
        }
      }
      taken.push_back(m.seq);
      if (m.receive_count == 0) m.first_receive_at = now;
      m.receive_count += 1;
      m.visible_at = visible_at;
      std::string handle = make_receipt_handle(queue, m.seq, m.receive_count);
      if (attempt) received.push_back({m.seq, m.receive_count, m.visible_at, handle});
      response.messages.push_back(make_message(queue, std::move(m), r, std::move(handle)));
    }
    if (!moved || !progress || static_cast<std::int64_t>(response.messages.size()) >= limit) break;
  }
  if (auto s = hide_taken(); !s.is_ok()) return s;
  for (const auto& g : groups) {
    if (auto s = refresh_group(queue.id, g); !s.is_ok()) return s;
  }
  if (attempt && !received.empty()) {
    if (auto s = remember_receive_attempt(queue, *r.receive_request_attempt_id, received);
        !s.is_ok()) {
      return s;
    }
  }
  if (auto s = commit(static_cast<std::int64_t>(response.messages.size())); !s.is_ok()) return s;
  return response;
}

core::Result<ReceiveMessageResponse> SqsService::receive_message(const ReceiveMessageRequest& r) {
  auto found = find_queue(r.queue_url);
  if (!found.is_ok()) return found.status();
  if (auto s = validate_receive(**found, r); !s.is_ok()) return s;
  return receive_now(**found, r);
}

core::Result<core::TimeUs> SqsService::next_visible_at(Queue& queue) {
  // Nothing visible yet: the next time is the earliest (kNever for none), usually remembered.
  auto earliest = min_visible_at(queue);
  if (!earliest.is_ok()) return earliest.status();
  if (*earliest > executor_.now()) return *earliest;
  auto sel = db_->prepare(
      queue.fifo
          ? "SELECT MIN(ready_at) FROM sqs_fifo_groups WHERE queue_id = ?1 AND ready_at > ?2"
          : "SELECT MIN(visible_at) FROM sqs_messages WHERE queue_id = ?1 AND visible_at > ?2");
  if (!sel.is_ok()) return sel.status();
  auto row = (*sel)->bind(1, queue.id).bind(2, executor_.now()).step();
  if (!row.is_ok()) return row.status();
  core::TimeUs t = (*sel)->column_is_null(0) ? kNever : (*sel)->column_int64(0);
  (*sel)->reset();
  return t;
}

void SqsService::schedule_wake(std::int64_t queue_id, core::TimeUs when) {
  std::weak_ptr<bool> alive = alive_;
  executor_.at(when, [this, alive, queue_id] {
    if (!alive.expired()) wake_waiters(queue_id);
  });
}

void SqsService::notify_waiters(std::int64_t queue_id) {
  for (const auto& [id, w] : waiters_) {
    if (w.queue_id == queue_id) {
      schedule_wake(queue_id, executor_.now());
      return;
    }
  }
}

void SqsService::wake_waiters(std::int64_t queue_id) {
  Queue* queue = nullptr;
  for (auto& [name, q] : queues_) {
    if (q->id == queue_id) queue = q.get();
  }
  core::TimeUs last_deadline = 0;
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    if (it->second.queue_id != queue_id) {
      ++it;
      continue;
    }
    core::Result<ReceiveMessageResponse> result =
        queue != nullptr ? receive_now(*queue, it->second.request)
                         : core::Result<ReceiveMessageResponse>(queue_does_not_exist());
    if (result.is_ok() && result->messages.empty()) {
      last_deadline = std::max(last_deadline, it->second.deadline);
      ++it;
      continue;
    }
    ReceiveMessageCallback done = std::move(it->second.done);
    std::uint64_t id = it->first;
    waiters_.erase(it);
    done(std::move(result));  // may add waiters; continue after the one just served
    it = waiters_.upper_bound(id);
  }
  if (queue == nullptr || last_deadline == 0) return;
  auto next = next_visible_at(*queue);
  if (next.is_ok() && *next < last_deadline) schedule_wake(queue_id, *next);
}

void SqsService::finish_waiter(std::uint64_t waiter_id, bool /*at_deadline*/) {
  auto it = waiters_.find(waiter_id);
  if (it == waiters_.end()) return;  // already answered
  Waiter w = std::move(it->second);
  waiters_.erase(it);
  Queue* queue = nullptr;
  for (auto& [name, q] : queues_) {
    if (q->id == w.queue_id) queue = q.get();
  }
  w.done(queue != nullptr ? receive_now(*queue, w.request)
                          : core::Result<ReceiveMessageResponse>(queue_does_not_exist()));
}

void SqsService::receive_message_async(const ReceiveMessageRequest& r,
                                       ReceiveMessageCallback done) {
  auto found = find_queue(r.queue_url);
  if (!found.is_ok()) return done(found.status());
  Queue& queue = **found;
  if (auto s = validate_receive(queue, r); !s.is_ok()) return done(s);
  std::int64_t wait_s = r.wait_time_seconds.value_or(queue.wait_s);
  auto result = receive_now(queue, r);
  if (!result.is_ok() || !result->messages.empty() || wait_s == 0) return done(std::move(result));
  core::TimeUs deadline = executor_.now() + seconds_to_us(wait_s);
  std::uint64_t id = next_waiter_id_++;
  waiters_.emplace(id, Waiter{queue.id, r, std::move(done), deadline});
  std::weak_ptr<bool> alive = alive_;
  executor_.at(deadline, [this, alive, id] {
    if (!alive.expired()) finish_waiter(id, true);
  });
  auto next = next_visible_at(queue);
  if (next.is_ok() && *next < deadline) schedule_wake(queue.id, *next);
}

}  // namespace twin::fakes::sqs
