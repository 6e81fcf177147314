// In-memory implementations of core's ports: used by `twin invoke`, by tests and, until the
// SQLite-backed ones land, by anything that needs a store without a file.
//
// Owned by the caller; single-threaded like everything on an executor. Every container that
// is iterated is ordered (std::map / std::vector), so iteration order never depends on hashing;
// the idempotency records, only ever looked up by key, are hashed.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ports/clock.h"
#include "core/ports/id_source.h"
#include "core/ports/idempotency_store.h"
#include "core/ports/messenger.h"
#include "core/ports/queue.h"
#include "core/ports/registration_store.h"

namespace twin::fakes {

// A clock that stands still until set() or advance() moves it.
class ManualClock : public core::Clock {
 public:
  explicit ManualClock(core::TimeUs start) : now_(start) {}
  core::TimeUs now() const override { return now_; }
  void set(core::TimeUs t) { now_ = t; }
  void advance(core::DurationUs d) { now_ += d; }

 private:
  core::TimeUs now_;
};

// UUID v4 text from a seed and a counter (SplitMix64), so the same seed gives the same ids.
class SeededIdSource : public core::IdSource {
 public:
  explicit SeededIdSource(std::uint64_t seed) : state_(seed) {}
  void write_uuid(char* out) override;

 private:
  std::uint64_t next64();
  std::uint64_t state_;
};

class MemoryQueue : public core::Queue {
 public:
  explicit MemoryQueue(core::IdSource& ids) : ids_(ids) {}
  core::Result<std::string> send(std::string_view body) override;
  struct Message {
    std::string message_id;
    std::string body;
  };
  const std::vector<Message>& messages() const { return messages_; }

 private:
  core::IdSource& ids_;
  std::vector<Message> messages_;
};

class MemoryMessenger : public core::Messenger {
 public:
  // Idempotent on registration_id, as the port requires.
  core::Status send_invitation(const core::Invitation& invitation) override {
    if (accepted_.insert(invitation.registration_id).second) sent_.push_back(invitation);
    return core::Status::ok();
  }
  const std::vector<core::Invitation>& sent() const { return sent_; }

 private:
  std::vector<core::Invitation> sent_;
  std::set<std::string, std::less<>> accepted_;
};

class MemoryRegistrationStore : public core::RegistrationStore {
 public:
  core::Result<std::optional<core::Registration>> find_by_natural_key(
      std::string_view key) override;
  core::Status insert(const core::Registration& registration) override;
  core::Status update(const core::Registration& registration) override;
  core::Result<int> mark_replied(std::string_view parent_tel, core::TimeUs received_at,
                                 core::TimeUs now) override;
  core::Status record_inbound(const core::InboundMessage& message) override;

  // Registrations in insertion order, and inbound messages by MessageSid.
  const std::vector<core::Registration>& registrations() const { return registrations_; }
  const std::map<std::string, core::InboundMessage, std::less<>>& inbound() const {
    return inbound_;
  }

 private:
  std::vector<core::Registration> registrations_;
  std::map<std::string, std::size_t, std::less<>> by_key_;
  std::map<std::string, core::InboundMessage, std::less<>> inbound_;
};

class MemoryIdempotencyStore : public core::IdempotencyStore {
 public:
  core::Result<bool> seen(std::string_view key, core::TimeUs now) override;
  core::Status record(std::string_view key, core::TimeUs expires_at) override;
  std::size_t size() const { return expiry_.size(); }

 private:
  // Looked up with a string_view, without making a string of it.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };
  std::unordered_map<std::string, core::TimeUs, KeyHash, std::equal_to<>> expiry_;
};

}  // namespace twin::fakes
