// Internals of SqsService shared by its .cc files: the cached queue record, the stored message
// row, the receipt handle, and the schema. Not part of the API.
//
// Schema notes (performance is an index question, see benchmarks/README.md):
// - messages.seq is the rowid: send order, and the source of FIFO sequence numbers.
// - Receive on a standard queue is one range scan of messages_visible (queue_id, visible_at),
//   whose implicit rowid suffix orders ties by send order; expired messages are deleted first,
//   so the scan never skips dead rows.
// - No index holds sent_at. Its upkeep, an index entry per send and per delete, was 3% of an
//   ESM batch, for the retention expiry alone; and send order cannot stand in for it, since a
//   message moved to a DLQ keeps its enqueue time, older than what the DLQ held, and a service
//   reopening a file may find its clock behind the last send. So the expiry and the oldest
//   enqueue time read after it scan the queue's rows through messages_visible, and
//   Queue::sent_at_floor (read for every queue when the service opens) keeps these scans to
//   receives that find a message past retention, which the scan then deletes. (Files written
//   before keep their messages_sent (queue_id, sent_at) index, which serves the same queries.)
// - FIFO keeps one fifo_groups row per group holding messages: ready_at is when the group can
//   next be served (its head's visible_at, or later while any of its messages is in flight),
//   and fifo_groups_ready (queue_id, ready_at, head_seq) finds ready groups without scanning
//   blocked ones. Messages of a group are read through messages_group (queue_id, group_id).
// - first_receive_at is the first receive's time once receive_count > 0. Before that it holds
//   sent_at, a placeholder of the same width (files written before held NULL; both mean "not
//   received", and readers look at receive_count): the first receive then rewrites the row at
//   its own size, which SQLite does in place instead of deleting and inserting the cell.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "fakes/sqs/sqs_service.h"

namespace twin::fakes::sqs {

inline constexpr int kSchemaVersion = 1;
inline constexpr core::TimeUs kNever = std::numeric_limits<core::TimeUs>::max();
// FIFO SequenceNumber = kSequenceNumberBase + seq: 20 decimal digits, increasing, like AWS's.
inline constexpr std::uint64_t kSequenceNumberBase = 18'000'000'000'000'000'000ULL;
// A receipt handle is valid this long after the receive that issued it (reference 3.9).
inline constexpr core::DurationUs kReceiptHandleLifetime =
    kVisibilityTimeoutSecondsMax * core::kMicrosPerSecond;

// A receive or a DeleteMessageBatch changes its (at most ten) rows in one statement, a rowid
// range scan `seq BETWEEN lo AND hi` filtered by a CASE over their seqs (none when they fill
// the range), when the range holds fewer rows than this; otherwise in one statement per row. Each
// statement's setup and teardown cost SQLite about a fifth of changing a row, and `seq IN (...)`
// builds a temporary B-tree that cost more than the statements it saved. Messages received together
// were mostly sent together, so their range is short.
inline constexpr std::int64_t kSeqSpanMax = 64;

// A ReceiveRequestAttemptId can repeat its receive for 5 minutes (reference 3.12).
inline constexpr core::DurationUs kReceiveAttemptLifetime = 5 * 60 * core::kMicrosPerSecond;

inline constexpr std::string_view kSchemaSql = R"sql(
CREATE TABLE IF NOT EXISTS sqs_queues(
  queue_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  fifo INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_modified_at INTEGER NOT NULL,
  last_purge_at INTEGER);
CREATE TABLE IF NOT EXISTS sqs_queue_attributes(
  queue_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(queue_id, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sqs_deleted_queues(
  name TEXT PRIMARY KEY,
  deleted_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sqs_messages(
  seq INTEGER PRIMARY KEY,
  queue_id INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  body BLOB NOT NULL,
  attributes BLOB,
  md5_body TEXT NOT NULL,
  md5_attributes TEXT,
  trace_header TEXT,
  sent_at INTEGER NOT NULL,
  visible_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  first_receive_at INTEGER,
  group_id TEXT,
  dedup_id TEXT,
  dlq_source_arn TEXT);
CREATE INDEX IF NOT EXISTS sqs_messages_visible ON sqs_messages(queue_id, visible_at);
CREATE INDEX IF NOT EXISTS sqs_messages_group ON sqs_messages(queue_id, group_id, seq)
  WHERE group_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS sqs_fifo_groups(
  queue_id INTEGER NOT NULL,
  group_id TEXT NOT NULL,
  ready_at INTEGER NOT NULL,
  head_seq INTEGER NOT NULL,
  PRIMARY KEY(queue_id, group_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sqs_fifo_groups_ready ON sqs_fifo_groups(queue_id, ready_at, head_seq);
CREATE TABLE IF NOT EXISTS sqs_receive_attempts(
  queue_id INTEGER NOT NULL,
  attempt_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  entries TEXT NOT NULL,
  PRIMARY KEY(queue_id, attempt_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sqs_fifo_dedup(
  queue_id INTEGER NOT NULL,
  dedup_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY(queue_id, dedup_id)) WITHOUT ROWID;
)sql";

struct SqsService::Queue {
  std::int64_t id = 0;
  std::string name;
  std::string url;
  std::string arn;
  bool fifo = false;
  // Settable attributes as GetQueueAttributes reports them (defaults included).
  AttributeMap attributes;
  // Typed copies of the ones the service acts on.
  std::int64_t visibility_timeout_s = kVisibilityTimeoutSecondsDefault;
  std::int64_t delay_s = 0;
  std::int64_t maximum_message_size = kMaximumMessageSizeMax;
  std::int64_t retention_s = kMessageRetentionPeriodDefault;
  std::int64_t wait_s = 0;
  bool content_based_deduplication = false;
  std::string dead_letter_target_arn;  // empty: no redrive policy
  std::int64_t max_receive_count = 0;
  core::TimeUs created_at = 0;
  core::TimeUs last_modified_at = 0;
  std::optional<core::TimeUs> last_purge_at;
  // The earliest visible_at of the queue's messages (FIFO: ready_at of its groups; kNever when
  // none), as read (or, after sends alone, lowered by note_sent) when the connection's
  // total_changes() was `min_visible_changes`; -1: not read. Long polls ask whether anything
  // is visible far more often than anything changes (every waiter a send wakes, every
  // deadline), and the answer depends only on the rows.
  std::int64_t min_visible_changes = -1;
  core::TimeUs min_visible_at = kNever;
  // No message of the queue has sent_at below this (read when the service opens, kNever for a
  // new queue, lowered by every insert, raised to the oldest message left when a receive's
  // retention expiry commits): a receive whose cutoff is below it has nothing to expire and
  // skips the DELETE.
  core::TimeUs sent_at_floor = kNever;
  // At most this many messages in flight from in_flight_ceiling_at on (set from the count a
  // receive read and the messages it hid, raised by everything that hides a message; -1: not
  // known). A receive that cannot reach the cap with it skips the count.
  std::int64_t in_flight_ceiling = -1;
  core::TimeUs in_flight_ceiling_at = 0;
};

struct SqsService::StoredMessage {
  std::int64_t seq = 0;
  std::string message_id;
  std::string body;
  std::string attributes;  // encode_message_attributes form; empty when none
  std::string md5_body;
  std::string trace_header;
  core::TimeUs sent_at = 0;
  core::TimeUs visible_at = 0;
  std::int64_t receive_count = 0;
  std::optional<core::TimeUs> first_receive_at;
  std::string group_id;
  std::string dedup_id;
  std::string dlq_source_arn;
};

struct SqsService::ReceiptHandle {
  std::int64_t queue_id = 0;
  std::int64_t seq = 0;
  std::int64_t receive_count = 0;
  core::TimeUs issued_at = 0;
};

// An entry of a DeleteMessageBatch after delete_at_once, and what is left to do for it.
struct SqsService::BatchDelete {
  enum class Left {
    kAll,     // not in the one DELETE: delete_one does everything
    kChecks,  // its DELETE ran and may not have deleted it: delete_checked says what happened
    kNothing  // deleted
  };
  ReceiptHandle handle;
  bool parsed = false;
  Left left = Left::kAll;
};

struct SqsService::MessageToSend {
  std::string id;  // batch entry id
  std::string body;
  std::string attributes;
  std::string md5_body;
  std::optional<std::string> md5_attributes;
  std::optional<std::string> md5_system_attributes;
  std::string trace_header;
  core::DurationUs delay_us = 0;
  std::string group_id;
  std::string dedup_id;
};

// One message of a FIFO receive remembered under its ReceiveRequestAttemptId: enough to tell
// whether it changed since, and the receipt handle to hand out again.
struct SqsService::AttemptEntry {
  std::int64_t seq = 0;
  std::int64_t receive_count = 0;
  core::TimeUs visible_at = 0;
  std::string receipt_handle;
};

// The columns select_* read, in StoredMessage order.
inline constexpr std::string_view kMessageColumns =
    "seq, message_id, body, attributes, md5_body, trace_header, sent_at, visible_at, "
    "receive_count, first_receive_at, group_id, dedup_id, dlq_source_arn";
SqsService::StoredMessage read_stored_message(const Statement& stmt);

std::string sequence_number(std::int64_t seq);
inline core::TimeUs seconds_to_us(std::int64_t s) { return s * core::kMicrosPerSecond; }

}  // namespace twin::fakes::sqs
