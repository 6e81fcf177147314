// The SQLite stores keep the memory stores' contracts (core/ports/*.h); ManualExecutor order.
#include "fakes/sqlite/sqlite_stores.h"

#include <gtest/gtest.h>

#include "fakes/memory/manual_executor.h"

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
