// SQLite implementations of core's RegistrationStore and IdempotencyStore, with the same
// contracts as the memory ones (core/ports/*.h). Each call is one transaction; storage errors
// come back as kUnavailable (retry) or kInternal, converted in fakes/sqlite/sqlite_db.cc.
// Durability as fakes/sqlite/sqlite_db.h describes for the chosen `synchronous`.
//
// Each store owns its Database; several stores may open the same file (their tables differ,
// and they share schema version 1 of "stores"). Not thread-safe; one executor thread owns each.
#pragma once

#include <memory>

#include "core/ports/idempotency_store.h"
#include "core/ports/registration_store.h"
#include "fakes/sqlite/sqlite_db.h"

namespace twin::fakes {

class SqliteRegistrationStore : public core::RegistrationStore {
 public:
  static core::Result<std::unique_ptr<SqliteRegistrationStore>> open(
      const DatabaseOptions& options);

  core::Result<std::optional<core::Registration>> find_by_natural_key(
      std::string_view key) override;
  core::Status insert(const core::Registration& registration) override;
  core::Status update(const core::Registration& registration) override;
  core::Result<int> mark_replied(std::string_view parent_tel, core::TimeUs received_at,
                                 core::TimeUs now) override;
  core::Status record_inbound(const core::InboundMessage& message) override;

  // Registrations in insertion order, at most `limit` from the `offset`-th (`twin serve`'s
  // read-only peek).
  core::Result<std::vector<core::Registration>> list(std::int64_t offset, std::int64_t limit);
  // The inbound message with this sid, if stored (for tests and reports).
  core::Result<std::optional<core::InboundMessage>> find_inbound(std::string_view message_sid);

 private:
  explicit SqliteRegistrationStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  std::unique_ptr<Database> db_;
};

class SqliteIdempotencyStore : public core::IdempotencyStore {
 public:
  static core::Result<std::unique_ptr<SqliteIdempotencyStore>> open(const DatabaseOptions& options);

  core::Result<bool> seen(std::string_view key, core::TimeUs now) override;
  core::Status record(std::string_view key, core::TimeUs expires_at) override;

 private:
  explicit SqliteIdempotencyStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  std::unique_ptr<Database> db_;
};

}  // namespace twin::fakes
