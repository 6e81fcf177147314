#include "fakes/sqlite/sqlite_stores.h"

namespace twin::fakes {
namespace {

// Both stores' tables; CREATE ... IF NOT EXISTS so that either store may open a file first.
constexpr std::string_view kStoresSchema = R"sql(
CREATE TABLE IF NOT EXISTS registrations(
  registration_id TEXT PRIMARY KEY,
  natural_key TEXT NOT NULL UNIQUE,
  player_first_name TEXT NOT NULL, player_last_name TEXT NOT NULL, team_name TEXT NOT NULL,
  age_group TEXT NOT NULL, manager_full_name TEXT NOT NULL,
  current_registration_season TEXT NOT NULL, parent_first_name TEXT NOT NULL,
  parent_last_name TEXT NOT NULL, parent_tel TEXT NOT NULL,
  membership_fee_cents INTEGER NOT NULL, subscription_fee_cents INTEGER NOT NULL,
  status INTEGER NOT NULL, invitation_sent INTEGER NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS registrations_by_parent ON registrations(parent_tel, status);
CREATE TABLE IF NOT EXISTS inbound_messages(
  message_sid TEXT PRIMARY KEY, sender TEXT NOT NULL, recipient TEXT NOT NULL,
  body TEXT NOT NULL, received_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS idempotency(
  key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
)sql";
constexpr int kStoresSchemaVersion = 1;

core::Result<std::unique_ptr<Database>> open_stores_db(const DatabaseOptions& options) {
  auto db = Database::open(options);
  if (!db.is_ok()) return db.status();
  // A file the SQS fake created holds its own versioned schema; the stores' tables are added
  // beside it without touching the version.
  if (core::Status s = (*db)->exec(kStoresSchema); !s.is_ok()) return s;
  if (core::Status s = (*db)->migrate("stores", kStoresSchemaVersion, kStoresSchema); !s.is_ok()) {
    if (s.code() != core::StatusCode::kFailedPrecondition) return s;
  }
  return db;
}

constexpr std::string_view kRegistrationColumns =
    "registration_id, natural_key, player_first_name, player_last_name, team_name, age_group, "
    "manager_full_name, current_registration_season, parent_first_name, parent_last_name, "
    "parent_tel, membership_fee_cents, subscription_fee_cents, status, invitation_sent, "
    "created_at, updated_at";

void bind_registration(Statement& s, const core::Registration& r) {
  const auto& q = r.request;
  s.bind(1, std::string_view(r.registration_id));
  s.bind(2, std::string_view(core::registration_natural_key(q)));
  int i = 3;
  for (const std::string* field :
       {&q.player_first_name, &q.player_last_name, &q.team_name, &q.age_group, &q.manager_full_name,
        &q.current_registration_season, &q.parent_first_name, &q.parent_last_name, &q.parent_tel}) {
    s.bind(i++, std::string_view(*field));
  }
  s.bind(12, q.membership_fee_cents).bind(13, q.subscription_fee_cents);
  s.bind(14, r.status == core::RegistrationStatus::kReplied ? 1 : 0);
  s.bind(15, r.invitation_sent ? 1 : 0).bind(16, r.created_at_us).bind(17, r.updated_at_us);
}

core::Registration read_registration(const Statement& s) {
  core::Registration r;
  r.registration_id = s.column_text(0);
  auto& q = r.request;
  int i = 2;
  for (std::string* field :
       {&q.player_first_name, &q.player_last_name, &q.team_name, &q.age_group, &q.manager_full_name,
        &q.current_registration_season, &q.parent_first_name, &q.parent_last_name, &q.parent_tel}) {
    *field = s.column_text(i++);
  }
  q.membership_fee_cents = s.column_int64(11);
  q.subscription_fee_cents = s.column_int64(12);
  r.status = s.column_int64(13) == 1 ? core::RegistrationStatus::kReplied
                                     : core::RegistrationStatus::kPending;
  r.invitation_sent = s.column_int64(14) != 0;
  r.created_at_us = s.column_int64(15);
  r.updated_at_us = s.column_int64(16);
  return r;
}

}  // namespace

core::Result<std::unique_ptr<SqliteRegistrationStore>> SqliteRegistrationStore::open(
    const DatabaseOptions& options) {
  auto db = open_stores_db(options);
  if (!db.is_ok()) return db.status();
  return std::unique_ptr<SqliteRegistrationStore>(new SqliteRegistrationStore(std::move(*db)));
}

core::Result<std::optional<core::Registration>> SqliteRegistrationStore::find_by_natural_key(
    std::string_view key) {
  static const std::string kSql =
      "SELECT " + std::string(kRegistrationColumns) + " FROM registrations WHERE natural_key = ?1";
  auto sel = db_->prepare(kSql);
  if (!sel.is_ok()) return sel.status();
  auto row = (*sel)->bind(1, key).step();
  if (!row.is_ok()) return row.status();
  std::optional<core::Registration> out;
  if (*row) out = read_registration(**sel);
  (*sel)->reset();
  return out;
}

core::Result<std::vector<core::Registration>> SqliteRegistrationStore::list(std::int64_t offset,
                                                                            std::int64_t limit) {
  static const std::string kSql = "SELECT " + std::string(kRegistrationColumns) +
                                  " FROM registrations ORDER BY seq LIMIT ?2 OFFSET ?1";
  auto sel = db_->prepare(kSql);
  if (!sel.is_ok()) return sel.status();
  (*sel)->bind(1, offset).bind(2, limit);
  std::vector<core::Registration> out;
  while (true) {
    auto row = (*sel)->step();
    if (!row.is_ok()) {
      (*sel)->reset();
      return row.status();
    }
    if (!*row) break;
    out.push_back(read_registration(**sel));
  }
  (*sel)->reset();
  return out;
}

core::Status SqliteRegistrationStore::insert(const core::Registration& registration) {
  static const std::string kSql = "INSERT INTO registrations(" + std::string(kRegistrationColumns) +
                                  ", seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                  "?12, ?13, ?14, ?15, ?16, ?17, "
                                  "(SELECT COUNT(*) FROM registrations))";
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  auto exists = find_by_natural_key(core::registration_natural_key(registration.request));
  if (!exists.is_ok()) return exists.status();
  if (*exists) {
    return {core::StatusCode::kAlreadyExists,
            "registration exists: " + registration.registration_id};
  }
  auto ins = db_->prepare(kSql);
  if (!ins.is_ok()) return ins.status();
  bind_registration(**ins, registration);
  if (core::Status s = (*ins)->run(); !s.is_ok()) return s;
  return txn.commit();
}

core::Status SqliteRegistrationStore::update(const core::Registration& registration) {
  static const std::string kSql =
      "UPDATE registrations SET natural_key = ?2, player_first_name = ?3, player_last_name = ?4, "
      "team_name = ?5, age_group = ?6, manager_full_name = ?7, current_registration_season = ?8, "
      "parent_first_name = ?9, parent_last_name = ?10, parent_tel = ?11, "
      "membership_fee_cents = ?12, subscription_fee_cents = ?13, status = ?14, "
      "invitation_sent = ?15, created_at = ?16, updated_at = ?17 WHERE registration_id = ?1";
  Transaction txn(*db_);
  if (!txn.begin_status().is_ok()) return txn.begin_status();
  auto up = db_->prepare(kSql);
  if (!up.is_ok()) return up.status();
  bind_registration(**up, registration);
  if (core::Status s = (*up)->run(); !s.is_ok()) return s;
  if (db_->changes() == 0)
    return core::not_found("no registration " + registration.registration_id);
  return txn.commit();
}

core::Result<int> SqliteRegistrationStore::mark_replied(std::string_view parent_tel,
                                                        core::TimeUs received_at,
                                                        core::TimeUs now) {
  // Only pending registrations that existed when the reply arrived (see the port's contract).
  auto up = db_->prepare(
      "UPDATE registrations SET status = 1, updated_at = ?3 "
      "WHERE parent_tel = ?1 AND status = 0 AND created_at <= ?2");
  if (!up.is_ok()) return up.status();
  if (core::Status s = (*up)->bind(1, parent_tel).bind(2, received_at).bind(3, now).run();
      !s.is_ok()) {
    return s;
  }
  return db_->changes();
}

core::Status SqliteRegistrationStore::record_inbound(const core::InboundMessage& m) {
  auto ins = db_->prepare(
      "INSERT OR IGNORE INTO inbound_messages(message_sid, sender, recipient, body, received_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!ins.is_ok()) return ins.status();
  (*ins)->bind(1, std::string_view(m.message_sid)).bind(2, std::string_view(m.from));
  (*ins)->bind(3, std::string_view(m.to)).bind(4, std::string_view(m.body));
  return (*ins)->bind(5, m.received_at_us).run();
}

core::Result<std::optional<core::InboundMessage>> SqliteRegistrationStore::find_inbound(
    std::string_view message_sid) {
  auto sel = db_->prepare(
      "SELECT message_sid, sender, recipient, body, received_at FROM inbound_messages "
      "WHERE message_sid = ?1");
  if (!sel.is_ok()) return sel.status();
  auto row = (*sel)->bind(1, message_sid).step();
  if (!row.is_ok()) return row.status();
  std::optional<core::InboundMessage> out;
  if (*row) {
    out =
        core::InboundMessage{(*sel)->column_text(0), (*sel)->column_text(1), (*sel)->column_text(2),
                             (*sel)->column_text(3), (*sel)->column_int64(4)};
  }
  (*sel)->reset();
  return out;
}

core::Result<std::unique_ptr<SqliteIdempotencyStore>> SqliteIdempotencyStore::open(
    const DatabaseOptions& options) {
  auto db = open_stores_db(options);
  if (!db.is_ok()) return db.status();
  return std::unique_ptr<SqliteIdempotencyStore>(new SqliteIdempotencyStore(std::move(*db)));
}

core::Result<bool> SqliteIdempotencyStore::seen(std::string_view key, core::TimeUs now) {
  auto sel = db_->prepare("SELECT 1 FROM idempotency WHERE key = ?1 AND expires_at > ?2");
  if (!sel.is_ok()) return sel.status();
  auto row = (*sel)->bind(1, key).bind(2, now).step();
  if (!row.is_ok()) return row.status();
  bool found = *row;
  (*sel)->reset();
  return found;
}

core::Status SqliteIdempotencyStore::record(std::string_view key, core::TimeUs expires_at) {
  auto up = db_->prepare(
      "INSERT INTO idempotency(key, expires_at) VALUES(?1, ?2) "
      "ON CONFLICT(key) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)");
  if (!up.is_ok()) return up.status();
  return (*up)->bind(1, key).bind(2, expires_at).run();
}

}  // namespace twin::fakes
