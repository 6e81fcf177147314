// The SQLite stores keep the memory stores' contracts (core/ports/*.h); ManualExecutor order.
#include "fakes/sqlite/sqlite_stores.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"
#include "fakes/sqs/sqs_service.h"

namespace twin::fakes {
namespace {

core::Registration registration(std::string id, std::string tel, core::TimeUs created) {
  core::Registration r;
  r.registration_id = std::move(id);
  r.request.player_first_name = "Sam";
  r.request.player_last_name = "Lee" + r.registration_id;
  r.request.team_name = "Reds";
  r.request.age_group = "u11s";
  r.request.manager_full_name = "Pat";
  r.request.current_registration_season = "2025-26";
  r.request.parent_first_name = "Jo";
  r.request.parent_last_name = "Lee";
  r.request.parent_tel = std::move(tel);
  r.request.membership_fee_cents = 1000;
  r.created_at_us = r.updated_at_us = created;
  return r;
}

TEST(SqliteRegistrationStore, KeepsTheContract) {
  auto store = SqliteRegistrationStore::open({});
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  auto& s = **store;
  auto r1 = registration("r1", "+447700900123", 100);
  ASSERT_TRUE(s.insert(r1).is_ok());
  EXPECT_EQ(s.insert(r1).code(), core::StatusCode::kAlreadyExists);
  auto found = s.find_by_natural_key(core::registration_natural_key(r1.request));
  ASSERT_TRUE(found.is_ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->request.player_last_name, "Leer1");
  EXPECT_EQ((*found)->request.membership_fee_cents, 1000);
  r1.invitation_sent = true;
  ASSERT_TRUE(s.update(r1).is_ok());
  EXPECT_TRUE(
      (*s.find_by_natural_key(core::registration_natural_key(r1.request)))->invitation_sent);
  EXPECT_EQ(s.update(registration("nope", "+1", 0)).code(), core::StatusCode::kNotFound);
  ASSERT_TRUE(s.insert(registration("r2", "+447700900123", 300)).is_ok());
  // Only pending registrations created at or before received_at move.
  EXPECT_EQ(*s.mark_replied("+447700900123", 200, 500), 1);
  EXPECT_EQ(*s.mark_replied("+447700900123", 200, 600), 0);
  EXPECT_EQ(*s.mark_replied("+447700900123", 300, 700), 1);
  auto replied = *s.find_by_natural_key(core::registration_natural_key(r1.request));
  EXPECT_EQ(replied->status, core::RegistrationStatus::kReplied);
  EXPECT_EQ(replied->updated_at_us, 500);
  core::InboundMessage m{"SM1", "whatsapp:+447700900123", "whatsapp:+1", "yes", 42};
  ASSERT_TRUE(s.record_inbound(m).is_ok());
  m.body = "changed";
  ASSERT_TRUE(s.record_inbound(m).is_ok());
  EXPECT_EQ((*s.find_inbound("SM1"))->body, "yes");
}

TEST(SqliteIdempotencyStore, KeepsTheContract) {
  auto store = SqliteIdempotencyStore::open({});
  ASSERT_TRUE(store.is_ok());
  auto& s = **store;
  EXPECT_FALSE(*s.seen("k", 0));
  ASSERT_TRUE(s.record("k", 100).is_ok());
  EXPECT_TRUE(*s.seen("k", 99));
  EXPECT_FALSE(*s.seen("k", 100));
  ASSERT_TRUE(s.record("k", 50).is_ok());  // keeps the later expiry
  EXPECT_TRUE(*s.seen("k", 99));
  ASSERT_TRUE(s.record("k", 200).is_ok());
  EXPECT_TRUE(*s.seen("k", 150));
}

TEST(ManualExecutor, RunsInTimeThenSchedulingOrder) {
  ManualExecutor ex(1000);
  std::vector<std::string> order;
  ex.at(2000, [&] { order.push_back("b"); });
  ex.at(1500, [&] { order.push_back("a"); });
  ex.at(2000, [&] {
    order.push_back("c");
    ex.at(2000, [&] { order.push_back("d"); });
  });
  ex.at(5, [&] { order.push_back("past"); });  // as soon as possible
  ex.advance_to(1999);
  EXPECT_EQ(order, (std::vector<std::string>{"past", "a"}));
  EXPECT_EQ(ex.now(), 1999);
  ex.advance(1);
  EXPECT_EQ(order, (std::vector<std::string>{"past", "a", "b", "c", "d"}));
  EXPECT_EQ(ex.pending(), 0u);
}

}  // namespace
}  // namespace twin::fakes

namespace twin::fakes {
namespace {

// The SQS fake and the stores keep their schema versions per owner, so they can share one
// database file whichever opens it first, and reopen it.
TEST(SharedDatabaseFile, SqsAndStoresOpenInEitherOrder) {
  for (bool stores_first : {true, false}) {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() /
        ("twin_shared_db_" + std::to_string(getpid()) + (stores_first ? "_a" : "_b"));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    DatabaseOptions db;
    db.path = (dir / "twin.db").string();
    ManualExecutor executor(1'767'225'600'000'000);
    SeededIdSource ids(1);
    sqs::SqsOptions options;
    options.database = db;
    for (int round = 0; round < 2; ++round) {  // the second round reopens the file
      std::unique_ptr<SqliteRegistrationStore> store;
      std::unique_ptr<sqs::SqsService> service;
      auto open_store = [&] {
        auto s = SqliteRegistrationStore::open(db);
        ASSERT_TRUE(s.is_ok()) << s.status().to_string();
        store = std::move(*s);
      };
      auto open_sqs = [&] {
        auto s = sqs::SqsService::open(options, executor, ids);
        ASSERT_TRUE(s.is_ok()) << s.status().to_string();
        service = std::move(*s);
      };
      if (stores_first) {
        open_store();
        open_sqs();
      } else {
        open_sqs();
        open_store();
      }
      ASSERT_TRUE(store && service);
      auto queue = service->create_queue({"shared", {}, {}});
      ASSERT_TRUE(queue.is_ok()) << queue.status().to_string();
      sqs::SendMessageRequest send;
      send.queue_url = queue->queue_url;
      send.message_body = "hello";
      auto sent = service->send_message(send);
      EXPECT_TRUE(sent.is_ok()) << sent.status().to_string();
      core::Registration r = registration("r" + std::to_string(round), "+447700900123", 1);
      EXPECT_TRUE(store->insert(r).is_ok());
    }
    std::filesystem::remove_all(dir);
  }
}

}  // namespace
}  // namespace twin::fakes
