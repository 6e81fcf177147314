// json_round_trip (core/events/round_trip.h) against the readers it speaks for: on seeded random
// events and responses (escapes, non-ASCII text, malformed UTF-8, repeated names), whenever it
// says a value reads back exactly, the consumer's reader reads serialize(value) back as a value
// that serializes to the same text; and the text is never longer than its bound.
#include "core/events/round_trip.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "fakes/rng/rng.h"

namespace twin::core {
namespace {

namespace json = boost::json;

// Random text: mostly plain, sometimes escapes, controls, UTF-8 of every length, and (when
// `bad` allows) malformed sequences.
class TextSource {
 public:
  explicit TextSource(std::uint64_t seed) : rng_(seed) {}

  std::string text(bool bad) {
    static const std::vector<std::string> kPieces = {"a",
                                                     "Z",
                                                     "0",
                                                     " ",
                                                     "/",
                                                     "-",
                                                     "\"",
                                                     "\\",
                                                     "\n",
                                                     std::string(1, '\0'),
                                                     "\x1f",
                                                     "\xc3\xa9",
                                                     "\xe2\x82\xac",
                                                     "\xf0\x9f\x98\x80",
                                                     "\x7f"};
    static const std::vector<std::string> kBad = {"\xff",     "\xc0\xaf", "\xed\xa0\x80",
                                                  "\xe2\x82", "\x80",     "\xf5\x80\x80\x80"};
    std::string out;
    const std::int64_t n = rng_.uniform_int(0, 12);
    for (std::int64_t i = 0; i < n; ++i) {
      if (bad && rng_.uniform_int(0, 200) == 0) {
        out += kBad[static_cast<std::size_t>(rng_.uniform_int(0, 5))];
      } else {
        out += kPieces[static_cast<std::size_t>(rng_.uniform_int(0, 14))];
      }
    }
    return out;
  }
  std::optional<std::string> maybe(bool bad) {
    if (rng_.uniform_int(0, 3) == 0) return std::nullopt;
    return text(bad);
  }
  StringPairs pairs(bool bad) {
    StringPairs out;
    const std::int64_t n = rng_.uniform_int(0, 4);
    for (std::int64_t i = 0; i < n; ++i) {
      // Short names repeat now and then.
      out.emplace_back(rng_.uniform_int(0, 6) == 0 ? "k" : text(bad), text(bad));
    }
    return out;
  }
  MultiValues multi(bool bad) {
    MultiValues out;
    for (auto& [name, value] : pairs(bad)) {
      std::vector<std::string> values = {value};
      if (rng_.uniform_int(0, 2) == 0) values.push_back(text(bad));
      out.emplace_back(name, std::move(values));
    }
    return out;
  }
  std::int64_t number(std::int64_t lo, std::int64_t hi) { return rng_.uniform_int(lo, hi); }

 private:
  fakes::rng::Rng rng_;
};

ProxyEvent random_event(TextSource& t, bool bad) {
  ProxyEvent e;
  e.resource = t.text(bad);
  e.path = t.text(bad);
  e.http_method = t.text(bad);
  e.headers = t.pairs(bad);
  e.multi_value_headers = t.multi(bad);
  if (t.number(0, 1)) e.query_string_parameters = t.pairs(bad);
  if (t.number(0, 1)) e.multi_value_query_string_parameters = t.multi(bad);
  if (t.number(0, 1)) e.path_parameters = t.pairs(bad);
  if (t.number(0, 1)) e.stage_variables = t.pairs(bad);
  ProxyRequestContext& c = e.request_context;
  for (std::string* s : {&c.account_id, &c.api_id, &c.resource_id, &c.resource_path, &c.http_method,
                         &c.path, &c.stage, &c.protocol, &c.request_id, &c.extended_request_id,
                         &c.request_time, &c.domain_name, &c.domain_prefix, &c.deployment_id}) {
    *s = t.text(bad);
  }
  c.request_time_epoch_ms = t.number(INT64_MIN, INT64_MAX);
  ProxyIdentity& id = c.identity;
  for (std::optional<std::string>* s :
       {&id.access_key, &id.account_id, &id.api_key, &id.api_key_id, &id.caller,
        &id.cognito_authentication_provider, &id.cognito_authentication_type,
        &id.cognito_identity_id, &id.cognito_identity_pool_id, &id.principal_org_id, &id.source_ip,
        &id.user, &id.user_agent, &id.user_arn}) {
    *s = t.maybe(bad);
  }
  e.body = t.maybe(bad);
  e.is_base64_encoded = t.number(0, 1) == 1;
  return e;
}

// How core::Handler reads an event's text.
std::optional<ProxyEvent> read_event(const std::string& text) {
  ProxyEvent e;
  if (read_proxy_event_fast(text, e)) return e;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  auto parsed = parse_proxy_event(v.get_object());
  if (!parsed.is_ok()) return std::nullopt;
  return *parsed;
}

// How the API Gateway fake reads a function's response.
std::optional<ProxyResponse> read_response(const std::string& text) {
  ProxyResponse r;
  if (read_proxy_response_fast(text, r)) return r;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return std::nullopt;
  auto parsed = parse_proxy_response(v);
  if (!parsed.is_ok()) return std::nullopt;
  return *parsed;
}

std::optional<SqsEvent> read_sqs(const std::string& text) {
  SqsEvent e;
  if (read_sqs_event_fast(text, e)) return e;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  auto parsed = parse_sqs_event(v.get_object());
  if (!parsed.is_ok()) return std::nullopt;
  return *parsed;
}

constexpr int kCases = 3'000;

TEST(JsonRoundTrip, ProxyEventsThatSayExactReadBackExactly) {
  TextSource t(11);
  int exact = 0;
  for (int i = 0; i < kCases; ++i) {
    const ProxyEvent e = random_event(t, i % 2 == 1);
    const JsonRoundTrip check = json_round_trip(e);
    const std::string text = serialize(e);
    ASSERT_LE(text.size(), check.json_bytes_max) << i;
    if (!check.exact) continue;
    ++exact;
    const std::optional<ProxyEvent> back = read_event(text);
    ASSERT_TRUE(back.has_value()) << i << ": " << text;
    ASSERT_EQ(serialize(*back), text) << i;
  }
  EXPECT_GT(exact, kCases / 4);  // both kinds were tried
  EXPECT_LT(exact, kCases);
}

TEST(JsonRoundTrip, ProxyResponsesThatSayExactReadBackExactly) {
  TextSource t(12);
  int exact = 0;
  for (int i = 0; i < kCases; ++i) {
    const bool bad = i % 2 == 1;
    ProxyResponse r;
    r.status_code = static_cast<int>(t.number(bad ? 90 : 100, bad ? 610 : 599));
    r.headers = t.pairs(bad);
    if (t.number(0, 1)) r.multi_value_headers = t.multi(bad);
    r.body = t.text(bad);
    r.is_base64_encoded = t.number(0, 1) == 1;
    const JsonRoundTrip check = json_round_trip(r);
    const std::string text = serialize(r);
    ASSERT_LE(text.size(), check.json_bytes_max) << i;
    if (!check.exact) continue;
    ++exact;
    const std::optional<ProxyResponse> back = read_response(text);
    ASSERT_TRUE(back.has_value()) << i << ": " << text;
    ASSERT_EQ(serialize(*back), text) << i;
  }
  EXPECT_GT(exact, kCases / 4);
  EXPECT_LT(exact, kCases);
}

TEST(JsonRoundTrip, ProxyResponsesAreWrittenAsBoostJsonWritesThem) {
  // Both writers of serialize() (through a pointer, and by appends when there are
  // multiValueHeaders) against Boost.JSON, with bodies from empty to several blocks long.
  TextSource t(14);
  for (int i = 0; i < kCases; ++i) {
    ProxyResponse r;
    r.status_code = static_cast<int>(t.number(-5, 1'000'000));
    for (auto& [name, value] : t.pairs(i % 2 == 1)) {
      // A JSON object keeps one member per name: only the first of a repeated name is sent.
      bool repeated = false;
      for (const auto& [seen, ignored] : r.headers) repeated = repeated || seen == name;
      if (!repeated) r.headers.emplace_back(name, value);
    }
    if (i % 3 == 0) r.multi_value_headers = t.multi(false);
    for (std::int64_t k = t.number(0, 8); k > 0; --k) r.body += t.text(i % 2 == 1);
    r.is_base64_encoded = i % 5 == 0;
    ASSERT_EQ(serialize(r), json::serialize(to_json(r))) << i;
  }
}

TEST(JsonRoundTrip, SqsEventsThatSayExactReadBackExactly) {
  TextSource t(13);
  int exact = 0;
  for (int i = 0; i < kCases; ++i) {
    const bool bad = i % 2 == 1;
    SqsEvent e;
    for (std::int64_t n = t.number(0, 3); n > 0; --n) {
      SqsRecord& r = e.records.emplace_back();
      for (std::string* s : {&r.message_id, &r.receipt_handle, &r.body, &r.md5_of_body,
                             &r.event_source, &r.event_source_arn, &r.aws_region}) {
        *s = t.text(bad);
      }
      r.attributes = t.pairs(bad);
      for (std::int64_t k = t.number(-2, 2); k > 0; --k) {
        r.message_attributes.push_back(
            {t.number(0, 4) == 0 ? "a" : t.text(bad), t.text(bad), t.maybe(bad), t.maybe(bad)});
      }
      r.md5_of_message_attributes = t.maybe(bad);
    }
    const JsonRoundTrip check = json_round_trip(e);
    const std::string text = serialize(e);
    ASSERT_LE(text.size(), check.json_bytes_max) << i;
    if (!check.exact) continue;
    ++exact;
    const std::optional<SqsEvent> back = read_sqs(text);
    ASSERT_TRUE(back.has_value()) << i << ": " << text;
    ASSERT_EQ(serialize(*back), text) << i;
  }
  EXPECT_GT(exact, kCases / 4);
  EXPECT_LT(exact, kCases);
}

TEST(JsonRoundTrip, BatchResponsesThatSayExactReadBackExactly) {
  TextSource t(14);
  for (int i = 0; i < kCases; ++i) {
    SqsBatchResponse r;
    for (std::int64_t n = t.number(0, 3); n > 0; --n) r.batch_item_failures.push_back(t.text(true));
    const JsonRoundTrip check = json_round_trip(r);
    const std::string text = serialize(r);
    ASSERT_LE(text.size(), check.json_bytes_max) << i;
    json::error_code ec;
    json::value v = json::parse(text, ec);
    ASSERT_EQ(!ec, check.exact) << i << ": " << text;  // only malformed UTF-8 breaks it
    if (ec) continue;
    std::vector<std::string> ids;
    for (const auto& item : v.at("batchItemFailures").as_array()) {
      ids.emplace_back(item.at("itemIdentifier").as_string());
    }
    ASSERT_EQ(ids, r.batch_item_failures) << i;
  }
}

TEST(JsonRoundTrip, NamesTheReasonsItIsNotExact) {
  ProxyEvent e;
  e.resource = e.path = "/trigger";
  e.http_method = "POST";
  EXPECT_TRUE(json_round_trip(e).exact);
  e.headers = {{"a", "1"}, {"A", "2"}};  // names differ in case only: two members
  EXPECT_TRUE(json_round_trip(e).exact);
  e.headers.emplace_back("a", "3");
  EXPECT_FALSE(json_round_trip(e).exact);
  e.headers.pop_back();
  StringPairs many;
  for (int i = 0; i < 40; ++i) many.emplace_back("q" + std::to_string(i), "v");
  e.query_string_parameters = many;
  EXPECT_TRUE(json_round_trip(e).exact);
  many.emplace_back("q7", "again");  // past the pairwise comparison
  e.query_string_parameters = many;
  EXPECT_FALSE(json_round_trip(e).exact);
  e.query_string_parameters.reset();
  e.request_context.identity.user = "\xc3";
  EXPECT_FALSE(json_round_trip(e).exact);

  ProxyResponse r;
  EXPECT_TRUE(json_round_trip(r).exact);
  r.status_code = 600;
  EXPECT_FALSE(json_round_trip(r).exact);
}

// A byte of malformed UTF-8 is found wherever it sits in a string of any length, and well-formed
// non-ASCII text stays exact (the ASCII pre-check reads words, half words and tails).
TEST(JsonRoundTrip, FindsMalformedUtf8AtEveryPlace) {
  for (std::size_t size = 1; size <= 80; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      ProxyResponse r;
      r.body.assign(size, 'a');
      r.body[at] = '\xff';
      EXPECT_FALSE(json_round_trip(r).exact) << size << " " << at;
      r.body[at] = '\x7f';
      EXPECT_TRUE(json_round_trip(r).exact) << size << " " << at;
      if (at + 1 < size) {
        r.body.replace(at, 2, "\xc3\xa9");
        EXPECT_TRUE(json_round_trip(r).exact) << size << " " << at;
      }
    }
  }
}

}  // namespace
}  // namespace twin::core
