#include "fakes/sqlite/sqlite_db.h"

#include <cassert>

namespace twin::fakes {

core::Status sqlite_status(sqlite3* db, int rc, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return {core::StatusCode::kUnavailable, std::move(message), "ServiceUnavailable", 503};
    default:
      return {core::StatusCode::kInternal, std::move(message), "InternalError", 500};
  }
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind_optional(int index, const std::string* text) {
  return text != nullptr ? bind(index, std::string_view(*text)) : bind_null(index);
}

core::Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  core::Status status = sqlite_status(db_, rc, sqlite3_sql(stmt_));
  sqlite3_reset(stmt_);
  return status;
}

core::Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row.is_ok()) return row.status();
    if (!*row) return core::Status::ok();
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::column_text(int index) const {
  const void* data = sqlite3_column_blob(stmt_, index);
  // NULL (or empty): no size to ask for. A received message reads about five NULL columns.
  if (data == nullptr) return {};
  int size = sqlite3_column_bytes(stmt_, index);
  return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

namespace {

// Process-wide SQLite settings, applied once before SQLite initialises (sqlite3_config() is
// refused afterwards, harmlessly, for instance when something opened a database before the
// first Database did). Memory statistics off: with them on, every allocation SQLite makes takes
// a global mutex and updates counters, about 8% of a queue operation, and nothing here reads
// them (sqlite3_memory_used, sqlite3_soft_heap_limit64).
void configure_sqlite_once() {
  static const bool configured = [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

}  // namespace

core::Result<std::unique_ptr<Database>> Database::open(const DatabaseOptions& options) {
  configure_sqlite_once();
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(options.path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Database> db(new Database(raw));
  if (rc != SQLITE_OK) return sqlite_status(raw, rc, "open " + options.path);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  static constexpr const char* kSynchronous[] = {"OFF", "NORMAL", "FULL"};
  // 1 KiB pages (for a new file; an existing file keeps its own): every commit writes each page
  // it touched whole into the WAL, checksummed, and a queue operation touches a handful of
  // pages (the row and three index entries) to change a few hundred bytes. With 4 KiB pages
  // that copying was a third of a one-message send/receive/delete cycle.
  // `:memory:` writes no WAL, so there the page size only decides how often a B-tree splits
  // and merges: 4 KiB pages made a receive and delete of ten messages 7% cheaper than 1 KiB
  // (2 KiB and 8 KiB were in between). Nothing outlives a `:memory:` connection either, so
  // zeroing deleted content (secure_delete, on in Debian's SQLite) protects nothing there.
  const bool in_memory = options.path == ":memory:";
  std::string pragmas =
      in_memory ? "PRAGMA page_size=4096; PRAGMA secure_delete=OFF; " : "PRAGMA page_size=1024; ";
  pragmas +=
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=OFF; "
      "PRAGMA synchronous=";
  pragmas += kSynchronous[static_cast<int>(options.synchronous)];
  pragmas += ";";
  if (core::Status s = db->exec(pragmas); !s.is_ok()) return s;
  return db;
}

Database::~Database() {
  statements_.clear();  // finalize before close
  sqlite3_close(db_);
}

core::Status Database::exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) return sqlite_status(db_, rc, "exec");
  return core::Status::ok();
}

core::Status Database::migrate(std::string_view name, int version, std::string_view schema_sql) {
  Transaction txn(*this);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  if (core::Status s = exec("CREATE TABLE IF NOT EXISTS twin_schema ("
                            "owner TEXT PRIMARY KEY, version INTEGER NOT NULL)");
      !s.is_ok()) {
    return s;
  }
  auto found = prepare("SELECT version FROM twin_schema WHERE owner = ?1");
  if (!found.is_ok()) return found.status();
  (*found)->bind(1, name);
  auto row = (*found)->step();
  if (!row.is_ok()) return row.status();
  if (*row) {
    std::int64_t existing = (*found)->column_int64(0);
    (*found)->reset();
    if (existing == version) return core::Status::ok();  // the transaction rolls back: no writes
    return {core::StatusCode::kFailedPrecondition,
            std::string(name) + " schema version " + std::to_string(existing) +
                " is not the supported version " + std::to_string(version)};
  }
  (*found)->reset();
  if (core::Status s = exec(schema_sql); !s.is_ok()) return s;
  auto record = prepare("INSERT INTO twin_schema (owner, version) VALUES (?1, ?2)");
  if (!record.is_ok()) return record.status();
  if (core::Status s = (*record)->bind(1, name).bind(2, version).run(); !s.is_ok()) return s;
  return txn.commit();
}

core::Result<Statement*> Database::prepare(std::string_view sql) {
  if (auto hit = by_address_.find(sql.data());
      hit != by_address_.end() && hit->second->sql() == sql) {
    hit->second->reset();
    return hit->second;
  }
  auto it = statements_.find(sql);
  if (it != statements_.end()) {
    it->second->reset();
    by_address_[sql.data()] = it->second.get();
    return it->second.get();
  }
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) return sqlite_status(db_, rc, "prepare " + std::string(sql));
  auto [inserted, ok] = statements_.emplace(
      std::string(sql), std::make_unique<Statement>(db_, raw, std::string(sql)));
  by_address_[sql.data()] = inserted->second.get();
  assert(ok);
  (void)ok;
  return inserted->second.get();
}

// BEGIN, COMMIT and ROLLBACK run as cached prepared statements: parsing them on every
// transaction was a measurable share of a one-message SendMessage.
namespace {
core::Status run_cached(Database& db, std::string_view sql) {
  auto stmt = db.prepare(sql);
  if (!stmt.is_ok()) return stmt.status();
  core::Status s = (*stmt)->run();
  (*stmt)->reset();
  return s;
}
}  // namespace

Transaction::Transaction(Database& db) : db_(db) {
  begin_status_ = run_cached(db_, "BEGIN IMMEDIATE");
  open_ = begin_status_.is_ok();
}

Transaction::~Transaction() {
  if (open_) (void)run_cached(db_, "ROLLBACK");
}

core::Status Transaction::commit() {
  assert(open_ && "commit() on a transaction that is not open");
  core::Status s = run_cached(db_, "COMMIT");
  if (s.is_ok()) open_ = false;
  return s;
}

}  // namespace twin::fakes
