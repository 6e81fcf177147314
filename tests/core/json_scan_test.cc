// The fast readers (JsonScanner, read_proxy_event_fast, read_registration_payload_fast) may
// refuse any text, but what they accept must read exactly as the Boost.JSON path reads it.
// Checked on the sample events, on hand-picked edge cases and on seeded mutations of both.
#include "core/events/json_scan.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/events/proxy_event.h"
#include "core/events/sqs_event.h"
#include "core/registration.h"
#include "tests/support/json_mutator.h"

namespace twin::testing {
namespace {
namespace json = boost::json;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> sample_events() {
  std::vector<std::string> out;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(TWIN_SOURCE_DIR) / "fixtures" / "events")) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) out.push_back(read_file(p));
  return out;
}

// What the Boost.JSON path makes of a text: the event re-serialised, or nullopt when it is not
// a proxy event it accepts.
std::optional<std::string> slow_proxy_event(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec || !v.is_object() || v.get_object().contains("Records")) return std::nullopt;
  if (!v.get_object().contains("httpMethod")) return std::nullopt;
  auto e = core::parse_proxy_event(v.get_object());
  if (!e.is_ok()) return std::nullopt;
  return json::serialize(core::to_json(*e));
}

// The owning fast reader's result; on the way, the view reader (what Handler::invoke uses) must
// accept exactly the same texts and read the same values.
std::optional<std::string> fast_proxy_event(std::string_view text) {
  core::ProxyEvent e;
  const bool owned = core::read_proxy_event_fast(text, e);
  core::ProxyEventView view;
  std::string decoded = "left over from an earlier event";
  const bool viewed = core::read_proxy_event_fast(text, view, decoded);
  EXPECT_EQ(viewed, owned) << text;
  if (!owned) {
    core::ProxyEventView canonical;
    EXPECT_FALSE(core::read_proxy_event_canonical(text, canonical, decoded)) << text;
    return std::nullopt;
  }
  std::string written = json::serialize(core::to_json(e));
  if (viewed) {
    EXPECT_EQ(core::serialize(view), written) << text;
  }
  // The view reader's first step, which reads only the canonical form, reads it the same way.
  core::ProxyEventView canonical;
  if (core::read_proxy_event_canonical(text, canonical, decoded)) {
    EXPECT_EQ(core::serialize(canonical), written) << text;
  }
  return written;
}

std::string describe(const core::RegistrationPayload& p) {
  std::string out;
  for (std::size_t i = 0; i < core::kRegistrationFieldCount; ++i) {
    const core::PayloadValue& v = p.values[i];
    out += std::to_string(static_cast<int>(v.type)) + ":" + std::string(v.text) + ":" +
           std::to_string(v.int64) + ":" + std::to_string(v.uint64) + ":" +
           std::to_string(v.number) + "|";
  }
  return out;
}

std::optional<std::string> slow_payload(std::string_view body) {
  json::error_code ec;
  json::value v = json::parse(json::string_view(body.data(), body.size()), ec);
  if (ec || !v.is_object()) return std::nullopt;
  return describe(core::registration_payload(v.get_object()));
}

std::optional<std::string> fast_payload(std::string_view body) {
  core::RegistrationPayload p;
  if (!core::read_registration_payload_fast(body, p)) return std::nullopt;
  return describe(p);
}

// The mutations of the proxy and SQS events: JSON's own pieces plus members of those events.
Mutator event_mutator(std::uint64_t seed) {
  return Mutator(seed, {"\"httpMethod\":\"GET\",", "\"Records\":[],", "\"resource\":null,"});
}

TEST(FastProxyEvent, ReadsEverySampleEventAsTheTreeReaderDoes) {
  int proxy_events = 0;
  for (const std::string& text : sample_events()) {
    auto slow = slow_proxy_event(text);
    auto fast = fast_proxy_event(text);
    EXPECT_EQ(fast, slow);
    if (slow) {
      EXPECT_TRUE(fast.has_value()) << "a sample event took the slow path";
      ++proxy_events;
    }
  }
  EXPECT_GE(proxy_events, 5);
}

TEST(FastProxyEvent, EdgeCasesAreReadAlikeOrRefused) {
  const std::string cases[] = {
      R"({"httpMethod":"POST","resource":"/trigger","body":"caf\u00e9 \ud83d\ude00 \/ \"q\" \\ \n"})",
      R"({"httpMethod":"POST","path":"/webhook"})",
      R"({"httpMethod":"POST","resource":null,"path":"/webhook","body":null})",
      R"(  {"httpMethod" : "POST" , "resource" : "/t" , "headers" : { "A" : "1" } }  )",
      R"({"httpMethod":"POST","resource":"/t","requestContext":{"requestTimeEpoch":-12}})",
      R"({"httpMethod":"POST","resource":"/t","requestContext":{"requestTimeEpoch":1.0}})",
      R"({"httpMethod":"POST","resource":"/t","requestContext":{"requestTimeEpoch":1e3}})",
      R"({"httpMethod":"POST","resource":"/t","isBase64Encoded":null,"extra":[1,{"a":[]},"x"]})",
      R"({"httpMethod":"POST","resource":"/t","headers":{"A":"1","A":"2"}})",
      R"({"httpMethod":"POST","httpMethod":"GET","resource":"/t"})",
      R"({"httpMethod":"POST","resource":"/t","body":"\ud800"})",
      R"({"httpMethod":"POST","resource":"/t","body":"\udc00\ud800"})",
      R"({"httpMethod":"POST","resource":"/t","multiValueHeaders":{"A":["1","2"]}})",
      R"({"httpMethod":"POST","resource":"/t","multiValueHeaders":{"A":"1"}})",
      R"({"httpMethod":"POST","resource":"/t","headers":{"A":1}})",
      R"({"httpMethod":5,"resource":"/t"})",
      R"({"httpMethod":null,"resource":"/t"})",
      R"({"httpMethod":"POST","resource":"/t"} x)",
      R"({"httpMethod":"POST","resource":"/t",})",
      R"({"httpMethod":"POST","resource":"/t","Records":[]})",
      R"({"httpMethod":"POST","resource":"/t","n":01})",
      R"({"httpMethod":"POST","resource":"/t","n":-})",
      R"({"httpMethod":"POST","resource":"/t","n":[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]})",
      "{\"httpMethod\":\"POST\",\"resource\":\"/t\",\"body\":\"\xC3\"}",
      "{\"httpMethod\":\"POST\",\"resource\":\"/t\",\"body\":\"\xED\xA0\x80\"}",
      "{\"httpMethod\":\"POST\",\"resource\":\"/t\",\"body\":\"tab\there\"}",
      "{\"httpMethod\":\"POST\",\"resource\":\"/t\",\"caf\xC3\xA9\":\"x\"}",
      "[]",
      // Escapes in many strings: the view reader keeps each decoded string in one buffer.
      R"({"httpMethod":"POST","resource":"\/t","headers":{"A":"\u00e9","B":"q\"q"},)"
      R"("multiValueHeaders":{"A":["\u00e9","\\"]},"requestContext":{"path":"\/prod\/t",)"
      R"("identity":{"sourceIp":"1\u002e2"}},"body":"\"b\"\n"})",
      "",
      "nul",
  };
  for (const std::string& text : cases) {
    auto fast = fast_proxy_event(text);
    if (fast) {
      EXPECT_EQ(fast, slow_proxy_event(text)) << text;
    }
  }
  // The plain cases must not fall back: they are what API Gateway sends.
  EXPECT_TRUE(fast_proxy_event(cases[0]).has_value());
  EXPECT_TRUE(fast_proxy_event(cases[3]).has_value());
  EXPECT_FALSE(fast_proxy_event(cases[8]).has_value());   // a repeated header goes to Boost.JSON
  EXPECT_FALSE(fast_proxy_event(cases[10]).has_value());  // a lone surrogate is refused
  EXPECT_FALSE(fast_proxy_event(cases[19]).has_value());  // an SQS event is routed elsewhere
  EXPECT_TRUE(fast_proxy_event(cases[28]).has_value());
}

// The canonical form (what to_json and API Gateway write) is read by the view reader's first
// step, read_proxy_event_canonical: every sample event in that form, with any one member of
// the event, requestContext or identity left out, and with seeded mutations, reads the same
// as the general way (fast_proxy_event compares them), and the unmutated forms are all taken
// by the first step itself.
TEST(FastProxyEvent, CanonicalEventsAreReadByTheFirstStepAlike) {
  std::vector<std::string> canonical;
  // An object without one member, the others in their order.
  auto without = [](const json::object& object, std::string_view name) {
    json::object out;
    for (const auto& member : object) {
      if (member.key() != name) out[member.key()] = member.value();
    }
    return out;
  };
  for (const std::string& text : sample_events()) {
    if (!slow_proxy_event(text)) continue;
    const json::object event =
        core::to_json(*core::parse_proxy_event(json::parse(text).as_object()));
    canonical.push_back(json::serialize(event));
    for (const auto& member : event)
      canonical.push_back(json::serialize(without(event, member.key())));
    const json::object& context = event.at("requestContext").as_object();
    for (const auto& member : context) {
      json::object copy = event;
      copy["requestContext"] = without(context, member.key());
      canonical.push_back(json::serialize(copy));
    }
    const json::object& identity = context.at("identity").as_object();
    for (const auto& member : identity) {
      json::object copy = event;
      copy["requestContext"].as_object()["identity"] = without(identity, member.key());
      canonical.push_back(json::serialize(copy));
    }
  }
  ASSERT_GE(canonical.size(), 5u);
  // Escapes, UTF-8, maps, the epoch and the flag, in canonical order: the scanner's share.
  canonical.push_back(
      R"({"resource":"\/t","httpMethod":"POST","headers":{"A":"\u00e9","B":"q\"q"},)"
      R"("multiValueHeaders":{"A":["\u00e9","\\"]},"queryStringParameters":{"q":"1"},)"
      R"("multiValueQueryStringParameters":{"q":["1","2"]},"pathParameters":{"id":"7"},)"
      R"("stageVariables":{},"requestContext":{"path":"\/prod\/t","requestTimeEpoch":-12,)"
      "\"domainName\":\"caf\xC3\xA9\",\"identity\":{\"sourceIp\":\"1\\u002e2\",\"userAgent\":\"\"}}"
      ","
      R"("body":"\"b\"\n","isBase64Encoded":true})");
  canonical.push_back(R"({"path":"/webhook","httpMethod":"POST","requestContext":{}})");
  canonical.push_back(R"({"resource":"/t","httpMethod":"GET","requestContext":{"identity":{}}})");
  for (const std::string& text : canonical) {
    core::ProxyEventView e;
    std::string decoded;
    // Without httpMethod, or without both resource and path, it is no event at all.
    const auto slow = slow_proxy_event(text);
    EXPECT_EQ(core::read_proxy_event_canonical(text, e, decoded), slow.has_value()) << text;
    EXPECT_EQ(fast_proxy_event(text), slow) << text;
  }
  // Not canonical: white space, another order, an unknown or a repeated member. Each falls to
  // the general way, which reads or refuses it as before.
  for (const std::string text : {
           R"({"resource":"/t", "httpMethod":"POST"})",
           R"({"httpMethod":"POST","resource":"/t"})",
           R"({"resource":"/t","httpMethod":"POST","extra":1})",
           R"({"resource":"/t","httpMethod":"POST","requestContext":{"stage":"a","stage":"b"}})",
           R"({"resource":"/t","httpMethod":"POST","requestContext":{"identity":{"x":1}}})",
           R"({"resource":"/t","httpMethod":"POST"} )",
           R"({"resource":"/t","httpMethod":"POST"})"
           R"(})",
       }) {
    core::ProxyEventView e;
    std::string decoded;
    EXPECT_FALSE(core::read_proxy_event_canonical(text, e, decoded)) << text;
    const auto fast = fast_proxy_event(text);
    if (fast) {
      EXPECT_EQ(fast, slow_proxy_event(text)) << text;
    }
  }
  constexpr std::uint64_t kSeed = 20261130;
  Mutator m = event_mutator(kSeed);
  int accepted = 0;
  for (const std::string& text : canonical) {
    for (int i = 0; i < 40; ++i) {
      std::string mutated = m.mutate(text);
      core::ProxyEventView e;
      std::string decoded;
      if (core::read_proxy_event_canonical(mutated, e, decoded)) ++accepted;
      const auto fast = fast_proxy_event(mutated);
      if (fast) {
        ASSERT_EQ(fast, slow_proxy_event(mutated)) << "seed " << kSeed << ", text: " << mutated;
      }
    }
  }
  EXPECT_GT(accepted, 100);  // mutations the first step still takes, compared above
}

TEST(FastProxyEvent, ViewsPointIntoTheTextOrTheDecodedStrings) {
  const std::string text =
      R"({"httpMethod":"POST","resource":"/trigger","headers":{"x-api-key":"k\u0041y",)"
      R"("Host":"example.com"},"body":"{\"a\":\"\u00e9\"}"})";
  core::ProxyEventView e;
  std::string decoded;
  ASSERT_TRUE(core::read_proxy_event_fast(text, e, decoded));
  auto inside = [](std::string_view view, std::string_view range) {
    return view.data() >= range.data() && view.data() + view.size() <= range.data() + range.size();
  };
  EXPECT_EQ(e.http_method, "POST");
  EXPECT_TRUE(inside(e.http_method, text));
  EXPECT_EQ(e.header("X-API-KEY"), "kAy");
  EXPECT_TRUE(inside(*e.header("x-api-key"), decoded));
  EXPECT_EQ(e.header("host"), "example.com");
  EXPECT_TRUE(inside(*e.header("host"), text));
  EXPECT_EQ(e.body, "{\"a\":\"\xC3\xA9\"}");
  EXPECT_TRUE(inside(*e.body, decoded));
  // The buffer is refilled, not appended to, by the next read.
  const std::string second = R"({"httpMethod":"GET","path":"/\u0078"})";
  core::ProxyEventView f;
  ASSERT_TRUE(core::read_proxy_event_fast(second, f, decoded));
  EXPECT_EQ(f.resource, "/x");
  EXPECT_EQ(decoded, "/x");
}

TEST(FastProxyEvent, MutatedEventsAreReadAlikeOrRefused) {
  constexpr std::uint64_t kSeed = 20261129;
  Mutator m = event_mutator(kSeed);
  int accepted = 0;
  for (const std::string& text : sample_events()) {
    for (int i = 0; i < 1500; ++i) {
      std::string mutated = m.mutate(text);
      auto fast = fast_proxy_event(mutated);
      if (!fast) continue;
      ++accepted;
      ASSERT_EQ(fast, slow_proxy_event(mutated)) << "seed " << kSeed << ", text: " << mutated;
    }
  }
  EXPECT_GT(accepted, 100);  // the mutations also exercise the accepting side
}

TEST(FastProxyEvent, PathParametersAreReadAlikeOrRefused) {
  // The gateway's templated routes fill pathParameters; the writer, the fast reader and the
  // tree reader must agree on them as on every other map.
  std::vector<core::ProxyEvent> events;
  for (const std::string& text : sample_events()) {
    core::ProxyEvent e;
    if (core::read_proxy_event_fast(text, e)) events.push_back(std::move(e));
  }
  ASSERT_FALSE(events.empty());
  const core::StringPairs values[] = {
      {{"id", "7"}},
      {{"proxy", "a/b/c.txt"}},
      {{"id", "me"}, {"path", "x%2Fy/caf\xC3\xA9 \"q\""}},
      {},
  };
  std::vector<std::string> texts;
  for (const core::StringPairs& params : values) {
    core::ProxyEvent e = events[texts.size() % events.size()];
    e.resource = params.empty() ? "/players" : "/players/{" + params[0].first + "}";
    e.path_parameters = params;
    const std::string text = core::serialize(e);
    EXPECT_EQ(text, json::serialize(core::to_json(e)));
    ASSERT_TRUE(fast_proxy_event(text).has_value()) << text;
    EXPECT_EQ(fast_proxy_event(text), slow_proxy_event(text));
    EXPECT_EQ(fast_proxy_event(text), text);  // and reads back to the same bytes
    texts.push_back(text);
  }
  const std::string edge[] = {
      R"({"httpMethod":"GET","resource":"/p/{id}","pathParameters":{"id":"1","id":"2"}})",
      R"({"httpMethod":"GET","resource":"/p/{id}","pathParameters":{"id":7}})",
      R"({"httpMethod":"GET","resource":"/p/{id}","pathParameters":["7"]})",
      R"({"httpMethod":"GET","resource":"/p/{id}","pathParameters":null})",
      R"({"httpMethod":"GET","resource":"/p/{id}","pathParameters":{"id":"\u0037\/"}})",
  };
  for (const std::string& text : edge) {
    auto fast = fast_proxy_event(text);
    if (fast) {
      EXPECT_EQ(fast, slow_proxy_event(text)) << text;
    }
  }
  EXPECT_FALSE(fast_proxy_event(edge[0]).has_value());  // a repeated name goes to Boost.JSON
  EXPECT_FALSE(slow_proxy_event(edge[1]).has_value());  // a number is refused by both
  EXPECT_TRUE(fast_proxy_event(edge[4]).has_value());
  constexpr std::uint64_t kSeed = 20261130;
  Mutator m = event_mutator(kSeed);
  int accepted = 0;
  for (const std::string& text : texts) {
    for (int i = 0; i < 1500; ++i) {
      std::string mutated = m.mutate(text);
      auto fast = fast_proxy_event(mutated);
      if (!fast) continue;
      ++accepted;
      ASSERT_EQ(fast, slow_proxy_event(mutated)) << "seed " << kSeed << ", text: " << mutated;
    }
  }
  EXPECT_GT(accepted, 50);
}

// Fees written with a decimal point are read as digits over a power of ten: the very double
// Boost.JSON reads, bit for bit, for seeded decimals with the point anywhere, negative ones,
// 15-digit ones, and the usual money amounts.
TEST(FastRegistrationPayload, DecimalFeesAreTheDoublesBoostJsonReads) {
  std::vector<std::string> numbers = {"27.5",
                                      "0.29",
                                      "45.50",
                                      "0.1",
                                      "0.3",
                                      "-0.0",
                                      "9.995",
                                      "100000.01",
                                      "999999999999.999",
                                      "0.00000000000001",
                                      "12345678901234.5",
                                      "1.23456789012345",
                                      "-9.9999999999999"};
  std::uint64_t state = 11;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<unsigned>(state >> 33);
  };
  for (int i = 0; i < 3000; ++i) {
    const unsigned count = 1 + next() % 13;  // with ".0" and a sign, the 16 characters read
    std::string digits;
    for (unsigned k = 0; k < count; ++k) digits += static_cast<char>('0' + next() % 10);
    const unsigned whole = 1 + next() % count;  // digits before the point, at least one
    std::string number = digits.substr(0, whole);
    if (number.size() > 1 && number[0] == '0') number[0] = '1';  // JSON has no leading zero
    number += "." + (whole < count ? digits.substr(whole) : std::string("0"));
    if (next() % 4 == 0) number = "-" + number;
    numbers.push_back(number);
  }
  for (const std::string& number : numbers) {
    const std::string body = R"({"membership_fee_amount":)" + number + "}";
    core::RegistrationPayload p;
    ASSERT_TRUE(core::read_registration_payload_fast(body, p)) << number;
    const core::PayloadValue& v = p.values[core::kRegistrationFieldCount - 2];
    ASSERT_EQ(v.type, core::PayloadValue::Type::kDouble) << number;
    const double expected = json::parse(number).as_double();
    EXPECT_EQ(std::memcmp(&v.number, &expected, sizeof expected), 0)
        << number << ": " << v.number << " against " << expected;
  }
}

TEST(FastRegistrationPayload, ReadsBodiesAsTheTreeReaderDoes) {
  const std::string bodies[] = {
      R"({"player_first_name":"John","player_last_name":"Smith","team_name":"Panthers",)"
      R"("age_group":"u11s","manager_full_name":"Alex Manager",)"
      R"("current_registration_season":"2025-26","parent_first_name":"Jane",)"
      R"("parent_last_name":"Smith","parent_tel":"+447700900123",)"
      R"("membership_fee_amount":"45.00","subscription_fee_amount":27.5})",
      R"({"player_first_name":"Jos\u00e9","membership_fee_amount":45,"subscription_fee_amount":-3})",
      R"({"player_first_name":null,"team_name":5,"age_group":true,"extra":{"a":[1,2]}})",
      R"({"membership_fee_amount":0.29,"subscription_fee_amount":123456789012345678})",
      R"({"membership_fee_amount":2.75E1})",
      R"({"membership_fee_amount":18446744073709551615})",
      R"({"team_name":"a","team_name":"b"})",
      R"([1,2])",
      R"({"team_name":"x"} trailing)",
  };
  for (const std::string& body : bodies) {
    auto fast = fast_payload(body);
    if (fast) {
      EXPECT_EQ(fast, slow_payload(body)) << body;
    }
  }
  EXPECT_TRUE(fast_payload(bodies[0]).has_value());
  EXPECT_TRUE(fast_payload(bodies[1]).has_value());
  EXPECT_FALSE(fast_payload(bodies[6]).has_value());  // repeated member: Boost.JSON decides
  // The form's own body with each byte replaced by each of JSON's structural bytes, a letter
  // and a space: read as Boost.JSON reads it, or refused (the form reader checks every byte
  // of every key, colon and separator).
  for (std::size_t at = 0; at < bodies[0].size(); ++at) {
    for (char c : {':', ',', '"', '{', '}', '[', 'x', ' ', '\\'}) {
      std::string changed = bodies[0];
      if (changed[at] == c) continue;
      changed[at] = c;
      auto fast = fast_payload(changed);
      if (fast) {
        EXPECT_EQ(fast, slow_payload(changed)) << changed;
      }
    }
  }
  Mutator m = event_mutator(7);
  for (int i = 0; i < 3000; ++i) {
    std::string mutated = m.mutate(bodies[i % 4]);
    auto fast = fast_payload(mutated);
    if (fast) {
      ASSERT_EQ(fast, slow_payload(mutated)) << "seed 7, body: " << mutated;
    }
  }
}

std::optional<std::string> slow_sqs_event(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec || !v.is_object() || !v.get_object().contains("Records")) return std::nullopt;
  auto e = core::parse_sqs_event(v.get_object());
  if (!e.is_ok()) return std::nullopt;
  return json::serialize(core::to_json(*e));
}

std::optional<std::string> fast_sqs_event(std::string_view text) {
  core::SqsEvent e;
  if (!core::read_sqs_event_fast(text, e)) return std::nullopt;
  return json::serialize(core::to_json(e));
}

TEST(FastSqsEvent, ReadsSqsEventsAsTheTreeReaderDoesAndWritesTheSameBytes) {
  std::vector<std::string> texts;
  for (const std::string& text : sample_events()) {
    if (slow_sqs_event(text)) texts.push_back(text);
  }
  ASSERT_FALSE(texts.empty());
  core::SqsEvent built;
  for (int i = 0; i < 3; ++i) {
    core::SqsRecord r;
    r.message_id = "m" + std::to_string(i);
    r.body = R"({"MessageSid":"SM1","Body":"caf\u00e9 \"hi\""})";
    r.attributes = {{"ApproximateReceiveCount", "1"}, {"SentTimestamp", "1767225600000"}};
    r.md5_of_body = "0123456789abcdef0123456789abcdef";
    r.event_source_arn = "arn:aws:sqs:us-east-1:000000000000:webhooks";
    r.aws_region = "us-east-1";
    if (i == 1) r.md5_of_message_attributes = "fedcba9876543210fedcba9876543210";
    if (i == 2) r.message_attributes.push_back({"k", "String", "v", std::nullopt});
    built.records.push_back(r);
  }
  EXPECT_EQ(core::serialize(built), json::serialize(core::to_json(built)));
  texts.push_back(core::serialize(built));
  built.records.pop_back();  // without message attributes the fast path must accept it
  texts.push_back(core::serialize(built));
  EXPECT_TRUE(fast_sqs_event(texts.back()).has_value());
  Mutator m = event_mutator(11);
  int accepted = 0;
  for (const std::string& text : texts) {
    auto fast = fast_sqs_event(text);
    if (fast) {
      EXPECT_EQ(fast, slow_sqs_event(text)) << text;
    }
    for (int i = 0; i < 2000; ++i) {
      std::string mutated = m.mutate(text);
      auto f = fast_sqs_event(mutated);
      if (!f) continue;
      ++accepted;
      ASSERT_EQ(f, slow_sqs_event(mutated)) << "seed 11, text: " << mutated;
    }
  }
  EXPECT_GT(accepted, 50);
}

TEST(FastProxyResponse, ReadsResponsesAsApiGatewayValidationDoes) {
  auto slow = [](std::string_view text) -> std::optional<std::string> {
    json::error_code ec;
    json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
    if (ec) return std::nullopt;
    auto r = core::parse_proxy_response(v);
    if (!r.is_ok()) return std::nullopt;
    return core::serialize(*r);
  };
  auto fast = [](std::string_view text) -> std::optional<std::string> {
    core::ProxyResponse r;
    if (!core::read_proxy_response_fast(text, r)) return std::nullopt;
    return core::serialize(r);
  };
  const std::string cases[] = {
      R"({"statusCode":200,"headers":{"Content-Type":"application/json","X-Request-Id":"r1"},)"
      R"("body":"{\"message\":\"ok \u00e9\"}","isBase64Encoded":false})",
      R"({"body":"x"})",
      R"({"statusCode":404,"headers":null,"body":null,"isBase64Encoded":true})",
      R"({"statusCode":"200","body":"x"})",
      R"({"statusCode":99,"body":"x"})",
      R"({"statusCode":200.0,"body":"x"})",
      R"({"statusCode":200,"headers":{"A":5,"B":true}})",
      R"({"statusCode":200,"multiValueHeaders":{"A":["1"]}})",
      R"({"statusCode":200,"isBase64Encoded":null})",
      R"({"statusCode":200,"extra":1})",
      R"({"statusCode":200,"statusCode":201})",
      R"([])",
  };
  for (const std::string& text : cases) {
    auto f = fast(text);
    if (f) {
      EXPECT_EQ(f, slow(text)) << text;
    }
  }
  EXPECT_TRUE(fast(cases[0]).has_value());
  EXPECT_TRUE(fast(cases[1]).has_value());
  Mutator m = event_mutator(13);
  int accepted = 0;
  for (int i = 0; i < 6000; ++i) {
    std::string mutated = m.mutate(cases[i % 3]);
    auto f = fast(mutated);
    if (!f) continue;
    ++accepted;
    ASSERT_EQ(f, slow(mutated)) << "seed 13, text: " << mutated;
  }
  EXPECT_GT(accepted, 100);
}

TEST(ProxyEventSerialize, WritesTheSameBytesAsBoostJson) {
  std::vector<core::ProxyEvent> events;
  for (const std::string& text : sample_events()) {
    core::ProxyEvent e;
    if (core::read_proxy_event_fast(text, e)) events.push_back(std::move(e));
  }
  ASSERT_GE(events.size(), 5u);
  core::ProxyEvent odd = events[0];
  odd.headers.emplace_back("X-Dup", "first");
  odd.headers.emplace_back("x-other", "caf\xC3\xA9 \"q\" \\ \n\x01");
  odd.headers.emplace_back("X-Dup", "last");
  odd.multi_value_headers.emplace_back("X-Dup", std::vector<std::string>{"a", "b"});
  odd.multi_value_headers.emplace_back("X-Dup", std::vector<std::string>{});
  odd.query_string_parameters = core::StringPairs{{"a", "1"}, {"a", "2"}};
  odd.multi_value_query_string_parameters = core::MultiValues{{"a", {"1", "2"}}};
  odd.path_parameters = core::StringPairs{};
  odd.request_context.identity.api_key = "k";
  odd.request_context.identity.api_key_id = "kid";
  odd.request_context.request_time_epoch_ms = -5;
  odd.body.reset();
  odd.is_base64_encoded = true;
  events.push_back(odd);
  for (const core::ProxyEvent& e : events) {
    EXPECT_EQ(core::serialize(e), json::serialize(core::to_json(e)));
  }
}

TEST(JsonScanner, DecodesEscapesAcrossBlockBoundaries) {
  // Escapes before, inside and after 16-byte blocks, so the block copy meets each position.
  for (std::size_t pad = 0; pad < 40; ++pad) {
    std::string plain(pad, 'a');
    std::string text = "\"" + plain + "\\n" + plain + "\\u00e9" + plain + "\\\"\"";
    core::JsonScanner s(text);
    std::string_view out;
    std::string scratch;
    ASSERT_TRUE(s.string(out, scratch));
    EXPECT_EQ(out, plain + "\n" + plain + "\xC3\xA9" + plain + "\"");
    EXPECT_TRUE(s.finish());
  }
}

TEST(JsonScanner, DecodesRandomStringsAsBoostJsonDoes) {
  // Strings of seeded random pieces (plain runs, every kind of escape, surrogate pairs, UTF-8,
  // and now and then a broken piece), so escapes and sequences fall at every place in and
  // across the 16-byte blocks. What the scanner accepts, Boost.JSON accepts with the same
  // value; a well-formed string it must accept; a broken one it must refuse.
  const std::vector<std::string> good{"a",       "plain text",     "\\\"",      "\\\\",
                                      "\\/",     "\\b\\f",         "\\n\\r\\t", "\\u00e9",
                                      "\\u20AC", "\\ud83d\\ude00", "\xC3\xA9",  "\xF0\x9F\x98\x80",
                                      " "};
  const std::vector<std::string> bad{"\x01", "\\x",          "\\ud83d", "\\udc00",
                                     "\xC3", "\xED\xA0\x80", "\\u12G4"};
  std::uint64_t state = 99;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33);
  };
  for (int n = 0; n < 2000; ++n) {
    const bool broken = n % 4 == 3;
    std::string text = "\"";
    const std::size_t pieces = next() % 24;
    const std::size_t broken_at = pieces == 0 ? 0 : next() % pieces;
    for (std::size_t k = 0; k < pieces; ++k) {
      text += broken && k == broken_at ? bad[next() % bad.size()] : good[next() % good.size()];
    }
    text += "\" ";
    core::JsonScanner s(text);
    std::string_view out;
    std::string scratch = "left over";
    const bool ours = s.string(out, scratch) && s.finish();
    json::error_code ec;
    json::value v = json::parse(text, ec);
    if (ours) {
      ASSERT_FALSE(ec) << text;
      EXPECT_EQ(out, std::string_view(v.as_string())) << text;
    }
    EXPECT_EQ(ours, !broken || pieces == 0) << text;
  }
}

TEST(JsonScanner, KeptStringsAreAppendedAndNeverMoveEarlierOnes) {
  const std::string text =
      R"(["plain","\u0041 first, long enough to leave the small-string buffer","\n2"])";
  core::JsonScanner s(text);
  std::string kept;
  kept.reserve(text.size() + core::JsonScanner::kDecodeSlackBytes);
  std::string_view plain, first, second;
  ASSERT_TRUE(s.begin_array());
  ASSERT_TRUE(s.next_element() && s.string_kept(plain, kept));
  ASSERT_TRUE(s.next_element() && s.string_kept(first, kept));
  const char* const first_at = first.data();
  ASSERT_TRUE(s.next_element() && s.string_kept(second, kept));
  EXPECT_FALSE(s.next_element());
  EXPECT_TRUE(s.finish());
  EXPECT_EQ(plain, "plain");
  EXPECT_EQ(plain.data(), text.data() + 2);  // no escape: a view of the text itself
  EXPECT_EQ(first, "A first, long enough to leave the small-string buffer");
  EXPECT_EQ(second, "\n2");
  EXPECT_EQ(first.data(), first_at);
  EXPECT_EQ(kept, std::string(first) + std::string(second));

  // Without the capacity, the scanner fails rather than move the strings it handed out.
  core::JsonScanner t(text);
  std::string small;
  small.shrink_to_fit();
  ASSERT_TRUE(t.begin_array());
  ASSERT_TRUE(t.next_element() && t.string_kept(plain, small));
  ASSERT_TRUE(t.next_element());
  EXPECT_FALSE(t.string_kept(first, small));
  EXPECT_TRUE(t.failed());
}

// A text that is a view of a longer buffer ends where the view ends: a member whose key is
// expected is not read from the bytes after it (an earlier next_key_is read the byte at the
// end, and the key after it, when the text stopped right after a value).
TEST(JsonScanner, ExpectedKeysAreNotReadPastTheEndOfTheText) {
  const std::string buffer = R"({"a":1,"b":2})";
  for (std::size_t cut = 1; cut < buffer.size(); ++cut) {
    core::JsonScanner s(std::string_view(buffer).substr(0, cut));
    std::int64_t value = 0;
    if (!s.begin_object() || !s.next_key_is("a") || !s.integer(value)) continue;
    EXPECT_EQ(s.next_key_is("b"), cut >= std::string_view(R"({"a":1,"b":)").size()) << cut;
    EXPECT_FALSE(s.finish()) << cut;
  }
}

}  // namespace
}  // namespace twin::testing
