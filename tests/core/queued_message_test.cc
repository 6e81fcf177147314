// The webhook queue's message (core/queued_message.h): the fast reader reads every body it
// accepts as parse_queued_message does, on hand-picked bodies and on seeded mutations of them.
#include "core/queued_message.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/support/json_mutator.h"

namespace twin::core {
namespace {

constexpr TimeUs kNow = 1'767'225'600'000'000;

std::optional<std::string> describe(const InboundMessage& m) {
  return m.message_sid + "|" + m.from + "|" + m.to + "|" + m.body + "|" +
         std::to_string(m.received_at_us);
}

std::optional<std::string> fast(std::string_view body) {
  InboundMessage m;
  if (!read_queued_message_fast(body, kNow, m)) return std::nullopt;
  return describe(m);
}

std::optional<std::string> slow(std::string_view body) {
  Result<InboundMessage> m = parse_queued_message(body, kNow);
  if (!m.is_ok()) return std::nullopt;
  return describe(*m);
}

const std::vector<std::string> kBodies = {
    R"({"MessageSid":"SM1","From":"whatsapp:+447700900123","To":"whatsapp:+14155238886","Body":"yes","received_at_us":1767225600000000})",
    R"({"MessageSid":"SM2","From":"a","To":"b"})",
    R"({"To":"b","From":"a","extra":{"x":[1,null]},"MessageSid":"SM\u00e9","Body":"Jos\u00e9 \"q\""})",
    R"({"MessageSid":"SM3","From":"a","To":"b","received_at_us":1e3})",
    R"({"MessageSid":"SM3","From":"a","To":"b","received_at_us":-5})",
    R"({"MessageSid":"","From":"a","To":"b"})",
    R"({"MessageSid":"SM4","From":"a","To":"b","Body":null})",
    R"({"MessageSid":"SM5","From":"a","To":"b","From":"c"})",
    R"({"MessageSid":"SM6","From":1,"To":"b"})",
    R"({"MessageSid":"SM7","To":"b"})",
    R"(["SM8"])",
    "not json",
};

TEST(QueuedMessage, WritesWhatItReads) {
  InboundMessage m{"SM9", "whatsapp:+44", "whatsapp:+1", "Yes \"please\"", 42};
  ASSERT_TRUE(fast(queue_payload(m)).has_value());
  EXPECT_EQ(fast(queue_payload(m)), describe(m));
  EXPECT_EQ(slow(queue_payload(m)), describe(m));
}

TEST(QueuedMessage, FastReaderReadsAsTheTreeReaderOrRefuses) {
  for (const std::string& body : kBodies) {
    const auto f = fast(body);
    if (f) {
      EXPECT_EQ(f, slow(body)) << body;
    }
  }
  EXPECT_TRUE(fast(kBodies[0]).has_value());
  EXPECT_TRUE(fast(kBodies[1]).has_value());  // Body and received_at_us take their defaults
  EXPECT_TRUE(fast(kBodies[2]).has_value());
  EXPECT_FALSE(fast(kBodies[3]).has_value());  // 1e3: the tree reader decides (it takes 1000)
  EXPECT_EQ(slow(kBodies[3]), "SM3|a|b||1000");
  EXPECT_FALSE(fast(kBodies[5]).has_value());  // empty MessageSid: an error, named by the tree
  EXPECT_FALSE(fast(kBodies[6]).has_value());  // null
  EXPECT_FALSE(fast(kBodies[7]).has_value());  // a repeated member
  EXPECT_EQ(parse_queued_message(kBodies[9], kNow).status().message(), "$.body.From: required");
  EXPECT_EQ(parse_queued_message(kBodies[11], kNow).status().message(),
            "$.body: not a JSON object");
}

TEST(QueuedMessage, MutatedBodiesAreReadAlikeOrRefused) {
  testing::Mutator m(17, {"\"Body\":\"x\",", "\"MessageSid\":\"SMx\","});
  int accepted = 0;
  for (int i = 0; i < 5'000; ++i) {
    const std::string body = m.mutate(kBodies[m.below(3)]);
    const auto f = fast(body);
    if (!f) continue;
    ++accepted;
    ASSERT_EQ(f, slow(body)) << "seed 17, body: " << body;
  }
  EXPECT_GT(accepted, 300);
}

}  // namespace
}  // namespace twin::core
