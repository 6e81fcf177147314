// A thin owner of one SQLite connection: opening in WAL mode, the schema version check,
// prepared statements cached and reused, and transactions. Every SQLite error becomes a Status
// here (sqlite_status) and nowhere else.
//
// Durability (what a committed transaction survives), by `synchronous` setting in WAL mode:
// - kOff: a process crash (SIGKILL, abort) loses nothing committed, because a commit has
//   written the WAL through write(2) before it returns; an OS crash or power loss can lose
//   recent commits and may corrupt the database.
// - kNormal (the default): a process crash loses nothing committed; an OS crash or power loss
//   can lose the last commits (those not yet checkpointed or synced) but never corrupts the
//   database.
// - kFull: every commit is fsync'ed before it returns; it survives power loss too (as far as
//   the disk honours fsync).
// `:memory:` survives nothing beyond the connection. Its journal stays in memory whatever the
// pragmas say (journal_mode=WAL does not apply to it); journal_mode=OFF would be cheaper still
// but makes ROLLBACK undefined, and Transaction relies on ROLLBACK.
//
// The first open turns SQLite's memory statistics off for the whole process (sqlite_db.cc).
//
// Owned by one store or service; not thread-safe (one executor thread owns it).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace twin::fakes {

enum class Synchronous { kOff, kNormal, kFull };

struct DatabaseOptions {
  std::string path = ":memory:";  // a file path or ":memory:"
  Synchronous synchronous = Synchronous::kNormal;
  int busy_timeout_ms = 0;  // another process holding the file is an error, not a wait
};

// The one place SQLite result codes become Status: busy/locked/full/I/O are kUnavailable
// (retry may work), everything else kInternal.
core::Status sqlite_status(sqlite3* db, int rc, std::string_view context);

// A prepared statement owned by Database; bind() indexes start at 1 as in SQLite.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql)
      : db_(db), stmt_(stmt), sql_(std::move(sql)) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);
  // Binds text, or NULL when absent.
  Statement& bind_optional(int index, const std::string* text);

  // One step: true with a row, false when done; any error as Status.
  core::Result<bool> step();
  // Steps to completion (for statements without rows).
  core::Status run();
  void reset();

  std::int64_t column_int64(int index) const { return sqlite3_column_int64(stmt_, index); }
  bool column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }
  std::string column_text(int index) const;
  const std::string& sql() const { return sql_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
};

class Database {
 public:
  // Opens (creating when absent) and applies the pragmas. The caller then checks the schema
  // with migrate().
  static core::Result<std::unique_ptr<Database>> open(const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Creates owner `name`'s schema when the file has none yet (running `schema_sql` and
  // recording `version` in the table twin_schema); accepts an equal version; refuses any other
  // (a newer file must not be half-understood). Versions are kept per owner and each owner
  // uses its own table names, so the SQS fake and the stores can share one file in any order.
  core::Status migrate(std::string_view name, int version, std::string_view schema_sql);

  core::Status exec(std::string_view sql);
  // A cached prepared statement for `sql` (prepared once, reset before it is handed out).
  core::Result<Statement*> prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  // Rows this connection has inserted, updated or deleted since it opened (rolled-back changes
  // included): while it stays the same, no table this connection writes has changed.
  std::int64_t total_changes() const { return sqlite3_total_changes64(db_); }
  sqlite3* handle() { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> statements_;
  // The same statements by the address of the caller's SQL text (callers pass literals and
  // static strings), checked against the text on every hit: looking a 200-character SQL text
  // up in `statements_` cost more than running a simple statement.
  std::map<const char*, Statement*> by_address_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded. So a
// failed operation never leaves half its writes behind.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const core::Status& begin_status() const { return begin_status_; }
  core::Status commit();

 private:
  Database& db_;
  core::Status begin_status_;
  bool open_ = false;
};

}  // namespace twin::fakes
