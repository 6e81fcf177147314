#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstring>
#include <memory>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/events/proxy_event.h"
#include "core/events/sqs_event.h"
#include "core/json_text.h"
#include "core/log.h"
#include "tests/support/handler_harness.h"

namespace twin::testing {
namespace {
namespace json = boost::json;

std::string event_error(std::string_view event_json) {
  HandlerHarness h;
  auto out = h.handler().invoke(event_json);
  return out.is_ok() ? "(accepted)" : out.status().message();
}

TEST(ProxyEvent, MalformedEventsNameTheJsonPath) {
  EXPECT_EQ(event_error("{"), "$: event is not valid JSON: incomplete JSON");
  EXPECT_EQ(event_error("[]"), "$: expected object, got array");
  EXPECT_EQ(event_error("{}"),
            "$: neither an API Gateway proxy event ($.httpMethod) nor an SQS event ($.Records)");
  EXPECT_EQ(event_error(R"({"httpMethod":"POST"})"), "$.resource: required (or $.path)");
  EXPECT_EQ(event_error(R"({"httpMethod":1,"resource":"/t"})"),
            "$.httpMethod: expected string, got number");
  EXPECT_EQ(event_error(R"({"httpMethod":"POST","resource":"/t","headers":{"x-api-key":5}})"),
            "$.headers.x-api-key: expected string, got number");
  EXPECT_EQ(event_error(R"({"httpMethod":"POST","resource":"/t","headers":{"a b":true}})"),
            "$.headers[\"a b\"]: expected string, got boolean");
  EXPECT_EQ(event_error(R"({"httpMethod":"POST","resource":"/t","multiValueHeaders":{"A":"x"}})"),
            "$.multiValueHeaders.A: expected array, got string");
  EXPECT_EQ(event_error(R"({"httpMethod":"POST","resource":"/t","body":{}})"),
            "$.body: expected string, got object");
  EXPECT_EQ(
      event_error(
          R"({"httpMethod":"POST","resource":"/t","requestContext":{"identity":{"sourceIp":1}}})"),
      "$.requestContext.identity.sourceIp: expected string, got number");
  EXPECT_EQ(event_error(R"({"Records":{}})"), "$.Records: expected array, got object");
  EXPECT_EQ(event_error(R"({"Records":[{"messageId":"m","body":"b","attributes":{"k":1}}]})"),
            "$.Records[0].attributes.k: expected string, got number");
}

TEST(ProxyEvent, MissingHeadersAndNullBodyAreHandled) {
  HandlerHarness h;
  auto out = h.handler().invoke(R"({"httpMethod":"POST","resource":"/trigger","body":null})");
  ASSERT_TRUE(out.is_ok());
  EXPECT_EQ(json::parse(*out).at("statusCode"), 403);
}

TEST(ProxyEvent, RoundTripKeepsEveryField) {
  core::ProxyEvent e = proxy_event("/webhook", "a=1", {{"X-Custom", "v"}});
  e.query_string_parameters = core::StringPairs{{"q", "2"}};
  e.multi_value_query_string_parameters = core::MultiValues{{"q", {"1", "2"}}};
  e.request_context.identity.source_ip = "203.0.113.7";
  e.request_context.identity.api_key = "k";
  e.request_context.request_time_epoch_ms = 1583349317135;
  json::object first = core::to_json(e);
  auto parsed = core::parse_proxy_event(first);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_EQ(json::serialize(core::to_json(*parsed)), json::serialize(first));
  EXPECT_EQ(parsed->header("x-custom").value_or(""), "v");
}

TEST(ProxyEvent, IdentityKeyFieldsAbsentOnKeylessMethods) {
  core::ProxyEvent e = proxy_event("/webhook", "");
  json::object o = core::to_json(e);
  const json::object& id = o["requestContext"].as_object().at("identity").as_object();
  EXPECT_FALSE(id.contains("apiKey"));
  EXPECT_FALSE(id.contains("apiKeyId"));
  EXPECT_TRUE(id.at("user").is_null());
  EXPECT_TRUE(o["queryStringParameters"].is_null());
}

TEST(ProxyResponse, ValidatedAsApiGatewayDoes) {
  auto parse = [](std::string_view s) { return core::parse_proxy_response(json::parse(s)); };
  EXPECT_EQ(parse("{}")->status_code, 200);
  EXPECT_EQ(parse(R"({"statusCode":"201"})")->status_code, 201);
  EXPECT_EQ(parse(R"({"statusCode":200,"headers":{"h":true}})")->header("h").value_or(""), "true");
  EXPECT_TRUE(parse(R"({"statusCode":200,"headers":null})").is_ok());
  EXPECT_EQ(parse(R"({"statusCode":200,"wrongValue":"value"})").status().message(),
            "$.wrongValue: unexpected key in a proxy response");
  EXPECT_FALSE(parse(R"({"statusCode":"test"})").is_ok());
  EXPECT_FALSE(parse(R"({"multiValueHeaders":{"a":"b"}})").is_ok());
  EXPECT_FALSE(parse(R"("justAString")").is_ok());
}

// A body already escaped (BodyText::kEscaped) is written as it is: the same bytes as the raw
// body escaped by serialize(), with and without multiValueHeaders (its two writers).
TEST(ProxyResponse, AnEscapedBodyIsWrittenAsTheRawBodyWouldBe) {
  core::ProxyResponse raw;
  raw.headers = {{"Content-Type", "application/json"}};
  raw.body = "{\"name\":\"a \\\"quoted\\\" name\",\"tab\":\"\t\"}\x01";
  core::ProxyResponse escaped = raw;
  escaped.body.clear();
  core::append_json_escaped(escaped.body, raw.body);
  EXPECT_EQ(core::serialize(escaped, core::BodyText::kEscaped), core::serialize(raw));
  raw.multi_value_headers = {{"Set-Cookie", {"a=1", "b=2"}}};
  escaped.multi_value_headers = raw.multi_value_headers;
  EXPECT_EQ(core::serialize(escaped, core::BodyText::kEscaped), core::serialize(raw));
  EXPECT_NE(core::serialize(escaped), core::serialize(raw));  // escaped once more
}

TEST(SqsEvent, RecordedAwsShapeParses) {
  auto parsed = core::parse_sqs_event(json::parse(R"({"Records":[{
    "messageId":"059f36b4-87a3-44ab-83d2-661975830a7d","receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
    "body":"test","attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1545082649183"},
    "messageAttributes":{"WeeksOn":{"stringValue":"6","stringListValues":[],"binaryListValues":[],"dataType":"Number"}},
    "md5OfMessageAttributes":null,"md5OfBody":"098f6bcd4621d373cade4e832627b4f6",
    "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-2:123456789012:my-queue","awsRegion":"us-east-2"}]})")
                                          .as_object());
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  ASSERT_EQ(parsed->records.size(), 1u);
  EXPECT_EQ(parsed->records[0].message_attributes[0].string_value.value_or(""), "6");
  EXPECT_FALSE(parsed->records[0].md5_of_message_attributes.has_value());
}

TEST(Encoding, Base64IsStrict) {
  EXPECT_EQ(core::base64_encode("hello"), "aGVsbG8=");
  EXPECT_EQ(core::base64_encode("hell"), "aGVsbA==");
  EXPECT_EQ(core::base64_encode("hel"), "aGVs");
  EXPECT_EQ(core::base64_encode(""), "");
  EXPECT_EQ(core::base64_encode(std::string_view("\xff\x00\xfe", 3)), "/wD+");
  std::string reused = "a longer text than the next encoding, which replaces all of it";
  core::base64_encode_into(reused, "hell");
  EXPECT_EQ(reused, "aGVsbA==");
  EXPECT_EQ(core::base64_decode("aGVsbG8=").value_or("?"), "hello");
  EXPECT_EQ(core::base64_decode("aGVsbA==").value_or("?"), "hell");
  EXPECT_EQ(core::base64_decode("aGVs").value_or("?"), "hel");
  EXPECT_EQ(core::base64_decode("/wD+").value_or("?"), std::string_view("\xff\x00\xfe", 3));
  EXPECT_EQ(core::base64_decode("").value_or("?"), "");
  EXPECT_FALSE(core::base64_decode("aGVsbG8"));   // not a multiple of 4
  EXPECT_FALSE(core::base64_decode("aGV=bG8="));  // padding inside
  EXPECT_FALSE(core::base64_decode("aGVsbG9="));  // non-zero dropped bits
  EXPECT_FALSE(core::base64_decode("aGVs!G8="));  // outside the alphabet
}

// Texts of 0 to 300 bytes (the longest holds every byte value), against an encoder that takes
// the bits six at a time; and back.
TEST(Encoding, Base64MatchesABitwiseEncoderAndReadsBack) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto reference = [&](std::string_view bytes) {
    std::string out;
    std::uint32_t bits = 0;
    int count = 0;
    for (unsigned char c : bytes) {
      bits = bits << 8 | c;
      count += 8;
      while (count >= 6) out += kAlphabet[bits >> (count -= 6) & 63];
    }
    if (count > 0) out += kAlphabet[bits << (6 - count) & 63];
    while (out.size() % 4 != 0) out += '=';
    return out;
  };
  std::string bytes;
  for (std::size_t n = 0; n <= 300; ++n) {
    const std::string encoded = core::base64_encode(bytes);
    ASSERT_EQ(encoded, reference(bytes)) << n << " bytes";
    ASSERT_EQ(core::base64_decode(encoded).value_or("?"), bytes) << n << " bytes";
    bytes += static_cast<char>((n * 97 + 13) % 256);
  }
}

// Every length of every byte value round-trips, and one letter outside the alphabet, or a
// padding '=' before the last quantum, is refused wherever it stands: the quanta before the
// last are decoded four letters at once and must refuse what the letter-by-letter loop does.
TEST(Encoding, Base64RoundTripsAndRefusesAnyBadLetter) {
  std::string bytes;
  for (int n = 0; n < 64; ++n) {
    ASSERT_EQ(core::base64_decode(core::base64_encode(bytes)).value_or("?"), bytes) << n;
    bytes += static_cast<char>((n * 97 + 13) & 0xFF);
  }
  const std::string text = core::base64_encode(bytes);  // 64 bytes: 88 letters, "==" last
  ASSERT_EQ(text.size(), 88u);
  for (std::size_t at = 0; at < text.size(); ++at) {
    for (char bad : {'!', '=', '\0', '\x80', '-', '_'}) {
      if (text[at] == bad) continue;  // the padding it has
      std::string broken = text;
      broken[at] = bad;
      EXPECT_FALSE(core::base64_decode(broken)) << at << " " << static_cast<int>(bad);
    }
  }
}

// Eight bytes at a time and the rest one by one: equal texts of every length to 40 are equal,
// and one changed byte anywhere, a prefix, or one byte more is not.
TEST(Encoding, ConstantTimeEqualsComparesEveryByteAndTheLength) {
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string secret(n, 'k');
    for (std::size_t i = 0; i < n; ++i) secret[i] = static_cast<char>('A' + (i * 7) % 26);
    EXPECT_TRUE(core::constant_time_equals(secret, std::string(secret))) << n;
    for (std::size_t i = 0; i < n; ++i) {
      std::string other = secret;
      other[i] = static_cast<char>(other[i] ^ 0x20);
      EXPECT_FALSE(core::constant_time_equals(secret, other)) << n << " " << i;
    }
    if (n > 0) {
      EXPECT_FALSE(core::constant_time_equals(secret, secret.substr(0, n - 1))) << n;
      // A candidate whose missing bytes are the zeros the comparison pads with.
      EXPECT_FALSE(core::constant_time_equals(secret + std::string(1, '\0'), secret)) << n;
    }
    EXPECT_FALSE(core::constant_time_equals(secret, secret + "x")) << n;
  }
}

TEST(Encoding, FormDecoding) {
  std::string error;
  auto f = core::parse_form("Body=Ol%C3%A1+there&&To=whatsapp%3A%2B1&Empty", &error);
  ASSERT_TRUE(f);
  EXPECT_EQ(*f, (std::vector<core::FormField>{
                    {"Body", "Olá there"}, {"To", "whatsapp:+1"}, {"Empty", ""}}));
  EXPECT_FALSE(core::parse_form("a=%4", &error));
  EXPECT_EQ(error, "bad percent-escape in form field 'a'");
}

TEST(Encoding, FindSpecialCopyBytesAndSameBytesAtEveryLengthAndPlace) {
  // find_special tests whole blocks and then the tail as the end of an overlapping block; every
  // length around one and two blocks, with the special byte at every place (or none), from a
  // start inside the text, must agree with a byte-by-byte search.
  for (std::size_t n = 0; n <= 40; ++n) {
    for (std::size_t at = 0; at <= n; ++at) {
      for (char special : {'"', '\\', '\x01', '\xC3'}) {
        std::string text(n, 'a');
        if (at < n) text[at] = special;
        for (std::size_t from = 0; from <= n; from += 7) {
          for (bool non_ascii : {false, true}) {
            const char* begin = text.data();
            const char* found = core::json_text::find_special(begin + from, begin + n, non_ascii);
            const char* expected = begin + from;
            while (expected < begin + n && !core::json_text::is_special(*expected, non_ascii)) {
              ++expected;
            }
            EXPECT_EQ(found - begin, expected - begin) << n << " " << at << " " << from;
          }
        }
      }
    }
    std::string in(n, 'x');
    for (std::size_t i = 0; i < n; ++i) in[i] = static_cast<char>('a' + i % 26);
    std::string out(n + 2, '#');
    char* end = core::json_text::copy_bytes(out.data() + 1, in.data(), n);
    EXPECT_EQ(end, out.data() + 1 + n);
    EXPECT_EQ(out, "#" + in + "#") << n;
    // same_bytes compares the first and last words and the words between: a change at any
    // place is seen, and the bytes around the n compared are not read (ASan) nor counted.
    const std::unique_ptr<char[]> a(new char[n]), b(new char[n]);
    std::memcpy(a.get(), in.data(), n);
    std::memcpy(b.get(), in.data(), n);
    EXPECT_TRUE(core::json_text::same_bytes(a.get(), b.get(), n)) << n;
    for (std::size_t at = 0; at < n; ++at) {
      b[at] = '#';
      EXPECT_FALSE(core::json_text::same_bytes(a.get(), b.get(), n)) << n << " " << at;
      b[at] = a[at];
    }
  }
}

TEST(Encoding, Utf8Validation) {
  EXPECT_TRUE(core::is_valid_utf8("Olá 😀"));
  EXPECT_FALSE(core::is_valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(core::is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(core::is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(core::is_valid_utf8("\xE2\x82"));          // truncated
}

TEST(Log, TimestampsAreIso8601FromTheClock) {
  EXPECT_EQ(core::format_timestamp_us(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(core::format_timestamp_us(kStartUs + 1'500'123), "2026-01-01T00:00:01.500123Z");
  EXPECT_EQ(core::format_timestamp_us(951'782'400'000'000), "2000-02-29T00:00:00.000000Z");
}

// Field names are judged when the program is compiled (core::LogFieldName), so the rule must
// hold in a constant expression as well as at run time (headers, nested JSON keys).
static_assert(core::is_secret_name("X-Twilio-Signature"));
static_assert(core::is_secret_name("auth_token") && core::is_secret_name("ApiKey"));
static_assert(!core::is_secret_name("key_present") && !core::is_secret_name("status"));

TEST(Log, SecretNamesInAnyCaseAndPosition) {
  for (std::string_view name :
       {"x-api-key", "X-API-KEY", "Authorization", "cookie", "Set-Cookie", "twilio_auth_token",
        "client_secret", "db_password", "my_api_key", "x-twilio-signature"}) {
    EXPECT_TRUE(core::is_secret_name(name)) << name;
  }
  for (std::string_view name : {"", "x-api", "api", "tok", "content-type", "key_present",
                                "resource", "cookies-policy-version", "passwor"}) {
    EXPECT_FALSE(core::is_secret_name(name)) << name;
  }
  EXPECT_TRUE(core::is_secret_name(std::string(100, 'x') + "Token"));  // past any fixed buffer
}

// Every digit of the hand-written form, against std::chrono's calendar: seeded instants from
// year 0 to 9999, and the last microsecond of that range.
TEST(Log, TimestampsAgreeWithTheChronoCalendar) {
  using namespace std::chrono;
  auto expected = [](std::int64_t t) {
    const sys_time<microseconds> at{microseconds(t)};
    const auto day = floor<days>(at);
    const year_month_day date(day);
    const hh_mm_ss time(at - day);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", int(date.year()),
                       unsigned(date.month()), unsigned(date.day()), time.hours().count(),
                       time.minutes().count(), time.seconds().count(), time.subseconds().count());
  };
  constexpr std::int64_t kFirst = -62'167'219'200'000'000;  // 0000-01-01T00:00:00Z
  constexpr std::int64_t kLast = 253'402'300'799'999'999;   // 9999-12-31T23:59:59.999999Z
  EXPECT_EQ(core::format_timestamp_us(kLast), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(core::format_timestamp_us(kFirst), expected(kFirst));
  std::uint64_t state = 7;
  for (int i = 0; i < 2000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto t = kFirst + static_cast<std::int64_t>((state >> 1) % (kLast - kFirst));
    ASSERT_EQ(core::format_timestamp_us(t), expected(t)) << t;
  }
}

TEST(Log, TimestampsOutsideFourDigitYearsAreWrittenWhole) {
  // Years before 0 or after 9999 leave the hand-written form for fmt's, date only.
  EXPECT_EQ(core::format_timestamp_us(-62'167'219'200'000'001), "-1-12-31T00:00:00.000000Z");
  EXPECT_EQ(core::format_timestamp_us(253'402'300'800'000'000), "10000-01-01T00:00:00.000000Z");
}

TEST(Log, LinesWithAndWithoutJsonFieldsAreWrittenAlike) {
  // A line of plain fields is written through a pointer; one with a JSON field by appends. Both
  // must give the same text for the same plain fields, every kind of them, escapes included.
  HandlerHarness h;
  core::Log log(h.logger, h.clock);
  const std::string text = "a \"quoted\" \\ text\n\x01 with UTF-8 \xC3\xA9";
  const std::int64_t negative = -9'223'372'036'854'775'807 - 1;
  log.warn("req-\"1\"", "message \"m\"",
           {{"text", text},
            {"negative", negative},
            {"big", std::uint64_t{18'446'744'073'709'551'615u}},
            {"flag", true},
            {"api_key", "secret-value"}});
  log.warn("req-\"1\"", "message \"m\"",
           {{"text", text},
            {"negative", negative},
            {"big", std::uint64_t{18'446'744'073'709'551'615u}},
            {"flag", true},
            {"api_key", "secret-value"},
            {"json", json::value(json::array{1, "x"})}});
  const std::string all = h.sink->all();
  const auto newline = all.find('\n');
  ASSERT_NE(newline, std::string::npos);
  std::string plain = all.substr(0, newline);
  std::string with_json = all.substr(newline + 1);
  if (!with_json.empty() && with_json.back() == '\n') with_json.pop_back();
  EXPECT_EQ(with_json, plain.substr(0, plain.size() - 1) + R"(,"json":[1,"x"]})");
  // And it is the JSON that Boost.JSON reads back to the same values.
  json::object line = json::parse(plain).as_object();
  EXPECT_EQ(line["request_id"], "req-\"1\"");
  EXPECT_EQ(line["message"], "message \"m\"");
  EXPECT_EQ(line["text"], json::string(text));
  EXPECT_EQ(line["negative"], negative);
  EXPECT_EQ(line["big"], std::uint64_t{18'446'744'073'709'551'615u});
  EXPECT_EQ(line["flag"], true);
  EXPECT_EQ(line["api_key"], "[REDACTED]");
  EXPECT_EQ(line["level"], "warn");
  EXPECT_EQ(plain.find("secret-value"), std::string::npos);
}

TEST(Log, SecretFieldsAreRedactedWhateverTheCaller) {
  HandlerHarness h;
  core::Log log(h.logger, h.clock);
  log.info("r1", "m",
           {{"auth_token", "tok-123"}, {"nested", json::object{{"x-api-key", "k-456"}}}});
  EXPECT_EQ(h.sink->all().find("tok-123"), std::string::npos);
  EXPECT_EQ(h.sink->all().find("k-456"), std::string::npos);
}

}  // namespace
}  // namespace twin::testing

namespace twin::testing {
namespace {

TEST(SeededIdSource, GoldenFirstOutputs) {
  fakes::SeededIdSource ids(1);
  EXPECT_EQ(ids.next_uuid(), "910a2dec-8902-4cc1-beeb-8da1658eec67");
  fakes::SeededIdSource again(1);
  again.next_uuid();
  EXPECT_EQ(ids.next_uuid(), again.next_uuid());
  // Into a kept string, replacing whatever it held: the same ids in the same order.
  fakes::SeededIdSource a(1), b(1);
  std::string kept = "a longer string than any id, left over from before";
  for (int i = 0; i < 3; ++i) {
    a.next_uuid_into(kept);
    EXPECT_EQ(kept, b.next_uuid());
  }
}

TEST(Log, JsonStringEscapingMatchesBoostAtEveryBlockOffset) {
  // Escapes before, inside and after 16-byte blocks, long plain runs and UTF-8.
  for (std::size_t pad = 0; pad < 40; ++pad) {
    std::string plain(pad, 'a');
    std::string text = plain + "\"" + plain + "\x01\n" + plain + "\xC3\xA9\\" + plain + "\x1f";
    std::string ours;
    core::append_json_string(ours, text);
    EXPECT_EQ(ours, boost::json::serialize(boost::json::value(text))) << pad;
  }
}

TEST(Log, JsonStringEscapingMatchesBoostOnDenseAndRandomTexts) {
  // Every byte value, runs of specials longer than a block, and seeded random texts whose
  // specials fall anywhere in and across blocks.
  std::string every;
  for (int c = 0; c < 256; ++c) every += static_cast<char>(c);
  std::vector<std::string> texts{std::string(40, '"'), std::string(33, '\x01'), every};
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<unsigned>(state >> 33);
  };
  for (int n = 0; n < 300; ++n) {
    std::string t(next() % 70, 'x');
    for (char& c : t) {
      unsigned r = next() % 8;
      c = r == 0   ? '"'
          : r == 1 ? '\\'
          : r == 2 ? static_cast<char>(next() % 32)
                   : 'a' + next() % 26;
    }
    texts.push_back(t);
  }
  for (const std::string& text : texts) {
    std::string expected = boost::json::serialize(boost::json::value(text));
    std::string ours = "prefix";
    core::append_json_string(ours, text);
    EXPECT_EQ(ours, "prefix" + expected);
    // Into a buffer of exactly the room the contract asks for: a sanitizer build sees any
    // store past it.
    std::vector<char> buffer(core::json_escaped_room(text.size()));
    char* end = core::write_json_escaped(buffer.data(), text);
    ASSERT_LE(end, buffer.data() + buffer.size());
    EXPECT_EQ(std::string(buffer.data(), end), expected.substr(1, expected.size() - 2));
    // Escaped twice: the escape of the escape, in the room its contract asks for.
    const std::string twice = boost::json::serialize(boost::json::value(expected));
    std::vector<char> twice_buffer(core::json_escaped_twice_room(text.size()));
    char* twice_end = core::write_json_escaped_twice(twice_buffer.data(), text);
    ASSERT_LE(twice_end, twice_buffer.data() + twice_buffer.size());
    EXPECT_EQ(std::string(twice_buffer.data(), twice_end), twice.substr(3, twice.size() - 6));
  }
}

// The escaped size is counted sixteen bytes at a time where a block has no control byte: texts
// of quotes, backslashes and letters up to past 255 blocks (where the lane counts are added
// up), with and without a control byte somewhere, against Boost.JSON's escaping.
TEST(Log, JsonEscapedSizeCountsBlocksOfQuotesAndBackslashes) {
  std::uint64_t state = 99;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<unsigned>(state >> 33);
  };
  for (std::size_t size : {0u, 15u, 16u, 17u, 255u * 16, 255u * 16 + 1, 256u * 16 + 7, 5000u}) {
    for (int variant = 0; variant < 3; ++variant) {
      std::string text(size, 'a');
      for (char& c : text) {
        const unsigned r = next() % 4;
        c = r == 0 ? '"' : r == 1 ? '\\' : static_cast<char>('a' + next() % 26);
      }
      if (variant == 1) text.assign(size, '"');                  // every lane counts each block
      if (variant == 2 && size > 0) text[next() % size] = '\n';  // one block counted by hand
      const std::string expected = boost::json::serialize(boost::json::value(text));
      EXPECT_EQ(core::json_escaped_size(text), expected.size() - 2) << size << " " << variant;
      std::string ours;
      core::append_json_string(ours, text);
      EXPECT_EQ(ours, expected) << size << " " << variant;
    }
  }
}

TEST(Log, JsonStringEscaping) {
  std::string out;
  core::append_json_string(out, "a\"b\\c\n\x01");
  EXPECT_EQ(out, R"("a\"b\\c\n\u0001")");
  std::string text = "tab\tcr\r\x1f \xC3\xA9";
  std::string ours;
  core::append_json_string(ours, text);
  EXPECT_EQ(ours, boost::json::serialize(boost::json::value(text)));
}

}  // namespace
}  // namespace twin::testing
