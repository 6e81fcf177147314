// SqsService: an SQS fake on SQLite with AWS's semantics on an injected clock.
// Reference: ../shared/reference/aws-semantics.md section 3; every rule below cites it.
//
// Ownership and threading: one service owns one Database (a file or ":memory:", WAL) and runs on
// one executor thread; nothing here locks. Time comes only from the Executor, ids (message ids,
// receipt handles) only from the IdSource; SQL is given both and never calls random() or 'now'.
// The service must outlive the callbacks it schedules on the executor; if it does not, they
// notice (a weak liveness token) and do nothing. It is the only writer of its tables while it
// is open: it caches each queue's settings and a few facts about its messages (the earliest
// visible time, the oldest enqueue time, a ceiling on those in flight; sqs_internal.h) that
// spare a receive its SQLite probes, and another process writing the file would not move them.
//
// Durability: every operation that changes state is one SQLite transaction, committed before
// the call returns OK; a failed call changes nothing. What a commit survives depends on
// `synchronous` (see fakes/sqlite/sqlite_db.h): at kNormal (default) a process crash loses no
// acknowledged send; at kFull power loss does not either.
//
// Errors: every failure is a Status whose aws_code is AWS's query code and whose http_status
// is AWS's (fakes/sqs/sqs_errors.h; sqs_error_type() gives the JSON `__type`).
//
// Choices where the reference is silent (AWS documentation followed where it speaks):
// - Queue URLs are `<endpoint>/<account>/<name>` and ARNs `arn:aws:sqs:<region>:<account>:
//   <name>`; a QueueUrl is matched by its last two path segments (account and name), whatever
//   the host, as AWS accepts the legacy and the new endpoint hosts alike.
// - Short polls return every available message up to MaxNumberOfMessages, oldest visible first
//   (AWS samples servers; reference 3.7 allows a twin to be exhaustive). ListQueues is in name
//   order.
// - Receipt handles are opaque base64 text naming the message, the receive and a fresh UUID.
//   On a standard queue any handle of a message still present deletes it, including an older
//   handle after a re-receive (reference 3.9 and issue 3), until 12 h after its receive, then
//   "The receipt handle has expired". On FIFO only the latest handle of a message still in flight
//   is accepted (reference 3.9 (d)). A handle of a deleted message deletes nothing and succeeds.
// - ChangeMessageVisibility with the latest handle of a standard-queue message whose timeout
//   has expired (and which nobody re-received) hides it again, as LocalStack and AWS forums
//   describe; an older handle after a re-receive, or a deleted message, is InvalidParameterValue
//   "Message does not exist or is not available for visibility timeout change" (reference 3.8).
//   MessageNotInflight is never raised (its trigger is unknown, reference 6.8).
// - A duplicate FIFO send within the deduplication interval succeeds and returns the original
//   MessageId and SequenceNumber, delivering nothing new.
// - The DLQ named by a RedrivePolicy must exist and be of the same type when the policy is set
//   (InvalidParameterValue otherwise); if it is deleted later, messages stay in their queue.
//   Moved messages become visible in the DLQ at once.
// - PurgeQueue deletes every message sent at or before the call at once (AWS may take 60 s).
// - DeduplicationScope=messageGroup deduplicates within a message group only; FifoThroughputLimit
//   is stored and reported (throughput is not limited: nothing here has a rate to exceed).
// - In-flight cap (reference 3.7): SqsOptions::in_flight_max_standard (120,000) and
//   in_flight_max_fifo (20,000, the 2023 guide's figure; the reference marks the FIFO value
//   UNCERTAIN). A receive never takes a queue past its cap; at the cap a standard-queue short
//   poll fails with OverLimit (403) and a long poll or a FIFO receive returns nothing.
// - ReceiveRequestAttemptId (FIFO, reference 3.12): a retry with the same id within 5 minutes
//   of the receive returns the same messages and receipt handles and restarts their visibility
//   timeout, as long as none of them changed since (deleted, visibility changed, received
//   again); otherwise it is a new receive. A receive that returned nothing is not remembered.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/ports/clock.h"
#include "core/ports/id_source.h"
#include "core/status.h"
#include "fakes/sqlite/sqlite_db.h"
#include "fakes/sqs/sqs_types.h"

namespace twin::fakes::sqs {

struct SqsOptions {
  DatabaseOptions database;
  std::string endpoint = "https://sqs.us-east-1.amazonaws.com";
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::string sender_id = "AIDAIENQZJOLO23YVJ4VO";  // SenderId on received messages
  // The most messages in flight (received, not yet deleted or visible again) per queue.
  std::int64_t in_flight_max_standard = 120'000;
  std::int64_t in_flight_max_fifo = 20'000;
};

using ReceiveMessageCallback = std::function<void(core::Result<ReceiveMessageResponse>)>;

class SqsService {
 public:
  static core::Result<std::unique_ptr<SqsService>> open(const SqsOptions& options,
                                                        core::Executor& executor,
                                                        core::IdSource& ids);
  ~SqsService();
  SqsService(const SqsService&) = delete;
  SqsService& operator=(const SqsService&) = delete;

  core::Result<CreateQueueResponse> create_queue(const CreateQueueRequest& request);
  core::Result<GetQueueUrlResponse> get_queue_url(const GetQueueUrlRequest& request);
  core::Result<ListQueuesResponse> list_queues(const ListQueuesRequest& request);
  core::Status delete_queue(const DeleteQueueRequest& request);
  core::Status purge_queue(const PurgeQueueRequest& request);
  core::Result<GetQueueAttributesResponse> get_queue_attributes(
      const GetQueueAttributesRequest& request);
  core::Status set_queue_attributes(const SetQueueAttributesRequest& request);
  core::Result<ListDeadLetterSourceQueuesResponse> list_dead_letter_source_queues(
      const ListDeadLetterSourceQueuesRequest& request);

  core::Result<SendMessageResponse> send_message(const SendMessageRequest& request);
  core::Result<SendMessageBatchResponse> send_message_batch(const SendMessageBatchRequest& request);

  // A receive that never waits: WaitTimeSeconds and the queue's ReceiveMessageWaitTimeSeconds
  // are validated but treated as 0.
  core::Result<ReceiveMessageResponse> receive_message(const ReceiveMessageRequest& request);
  // Long polling: with an effective wait of 0, or when messages are available, or on an error,
  // `done` runs before this returns. Otherwise the receive waits, and `done` runs on the
  // executor when a send (or a delay or visibility timeout ending) makes a message available,
  // or at the deadline with no messages. Never sleeps.
  void receive_message_async(const ReceiveMessageRequest& request, ReceiveMessageCallback done);

  core::Status delete_message(const DeleteMessageRequest& request);
  core::Result<DeleteMessageBatchResponse> delete_message_batch(
      const DeleteMessageBatchRequest& request);
  core::Status change_message_visibility(const ChangeMessageVisibilityRequest& request);
  core::Result<ChangeMessageVisibilityBatchResponse> change_message_visibility_batch(
      const ChangeMessageVisibilityBatchRequest& request);

  // Waiting long polls (for tests and reports).
  std::size_t waiting_receives() const { return waiters_.size(); }

  // Internals, defined in fakes/sqs/sqs_internal.h.
  struct Queue;  // a queue's settings, cached from the database
  struct StoredMessage;
  struct ReceiptHandle;
  struct MessageToSend;
  struct AttemptEntry;

 private:
  struct Waiter {
    std::int64_t queue_id;
    ReceiveMessageRequest request;
    ReceiveMessageCallback done;
    core::TimeUs deadline;
  };
  SqsService(const SqsOptions& options, core::Executor& executor, core::IdSource& ids,
             std::unique_ptr<Database> db);
  core::Status load_queues();

  // Queue lookup and settings (sqs_queues.cc).
  core::Result<Queue*> find_queue(std::string_view queue_url);
  Queue* find_queue_by_name(std::string_view name);
  Queue* find_queue_by_arn(std::string_view arn);
  std::string queue_url(std::string_view name) const;
  std::string queue_arn(std::string_view name) const;
  core::Status apply_attributes(Queue& queue, const AttributeMap& attributes, bool creating);
  core::Status apply_redrive_policy(Queue& queue, const std::string& value);
  // Writes the queue row and its attributes; returns the queue id (new for id 0).
  core::Result<std::int64_t> store_queue(const Queue& queue);
  core::Result<AttributeMap> counters(const Queue& queue);
  core::Status check_create_matches(const Queue& existing, const CreateQueueRequest& request);

  // Sending (sqs_send.cc).
  core::Result<MessageToSend> prepare_send(const Queue& queue,
                                           const SendMessageBatchRequestEntry& e, bool in_batch);
  core::Result<SendMessageBatchResultEntry> insert_message(Queue& queue, MessageToSend& message);
  core::Status validate_batch_ids(const std::vector<std::string>& ids, std::string_view entry_type);
  void notify_waiters(std::int64_t queue_id);

  // Receiving and visibility (sqs_receive.cc).
  core::Result<ReceiveMessageResponse> receive_now(Queue& queue,
                                                   const ReceiveMessageRequest& request);
  core::Status validate_receive(const Queue& queue, const ReceiveMessageRequest& request);
  core::Result<std::int64_t> count_in_flight(const Queue& queue, std::int64_t cap);
  core::Result<bool> has_visible(Queue& queue);
  // The earliest visible_at of the queue's messages (FIFO: of its groups' ready_at), kNever
  // when it has none; remembered until the connection changes a row (Queue::min_visible_*).
  core::Result<core::TimeUs> min_visible_at(Queue& queue);
  // After a commit that only inserted messages into standard `queue`, the earliest of them
  // visible at `earliest`, with total_changes() `changes_before` when it began: keeps the
  // remembered minimum current when it was current before.
  void note_sent(Queue& queue, std::int64_t changes_before, core::TimeUs earliest);
  // The earlier receive with this ReceiveRequestAttemptId, again, if it may be repeated.
  core::Result<std::optional<ReceiveMessageResponse>> repeat_receive_attempt(
      Queue& queue, const ReceiveMessageRequest& request, core::TimeUs visible_at);
  core::Status remember_receive_attempt(const Queue& queue, const std::string& attempt_id,
                                        const std::vector<AttemptEntry>& entries);
  // Deletes the queue's messages past retention; returns the earliest sent_at left (kNever
  // for none), or nullopt when Queue::sent_at_floor showed there was nothing to expire.
  core::Result<std::optional<core::TimeUs>> expire_messages(Queue& queue);
  core::Result<std::vector<StoredMessage>> select_standard(const Queue& queue, std::int64_t limit);
  core::Result<std::vector<StoredMessage>> select_fifo(const Queue& queue, std::int64_t limit);
  core::Result<bool> move_to_dead_letter_queue(Queue& queue, const StoredMessage& message);
  // Hides the received messages `seqs` until `visible_at`, counting the receive (at `now`).
  core::Status mark_received(std::span<const std::int64_t> seqs, core::TimeUs visible_at,
                             core::TimeUs now);
  // Takes the stored message's strings.
  Message make_message(const Queue& queue, StoredMessage&& stored,
                       const ReceiveMessageRequest& request, std::string handle);
  core::Status refresh_group(std::int64_t queue_id, const std::string& group_id);
  core::Result<core::TimeUs> next_visible_at(Queue& queue);
  void wake_waiters(std::int64_t queue_id);
  void finish_waiter(std::uint64_t waiter_id, bool at_deadline);
  void schedule_wake(std::int64_t queue_id, core::TimeUs when);

  // Receipt handles (sqs_visibility.cc).
  std::string make_receipt_handle(const Queue& queue, std::int64_t seq, std::int64_t receive_count);
  core::Result<ReceiptHandle> parse_receipt_handle(const Queue& queue, std::string_view text);
  core::Status delete_one(Queue& queue, std::string_view receipt_handle);
  // Whether delete_one tries the handle's message in one DELETE before any check.
  bool deletes_at_once(const Queue& queue, const ReceiptHandle& handle) const;
  // delete_one's checks, for a handle whose message that DELETE did not delete.
  core::Status delete_checked(Queue& queue, const ReceiptHandle& handle,
                              std::string_view receipt_handle);
  // DeleteMessageBatch's common case in one statement (what delete_one does first, for all
  // the entries at once); per entry, what is left to do.
  struct BatchDelete;
  core::Result<std::vector<BatchDelete>> delete_at_once(
      Queue& queue, const std::vector<DeleteMessageBatchRequestEntry>& entries);
  core::Status change_visibility_one(Queue& queue, std::string_view receipt_handle,
                                     std::optional<std::int64_t> visibility_timeout);

  SqsOptions options_;
  core::Executor& executor_;
  core::IdSource& ids_;
  std::unique_ptr<Database> db_;
  std::map<std::string, std::unique_ptr<Queue>, std::less<>> queues_;  // by name
  std::map<std::uint64_t, Waiter> waiters_;                            // in arrival order
  std::uint64_t next_waiter_id_ = 1;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace twin::fakes::sqs
