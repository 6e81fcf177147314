#include "core/events/round_trip.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "core/encoding.h"

namespace twin::core {
namespace {

// The writers escape a control character as \u00XX: six bytes for one.
constexpr std::size_t kEscapedBytesMax = 6;
// Quotes, the colon or comma around a string, with room to spare.
constexpr std::size_t kStringOverheadBytes = 8;
// Member names, punctuation, nulls, booleans and numbers of each shape, generously (the tests
// check the bound against the writers).
constexpr std::size_t kProxyEventFixedBytes = 2048;
constexpr std::size_t kProxyResponseFixedBytes = 256;
constexpr std::size_t kSqsEventFixedBytes = 64;
constexpr std::size_t kSqsRecordFixedBytes = 256;
constexpr std::size_t kSqsMessageAttributeFixedBytes = 128;
constexpr std::size_t kBatchResponseFixedBytes = 64;
constexpr std::size_t kBatchItemFixedBytes = 32;
// Up to this many entries a map's names are compared pairwise; past it they are sorted.
constexpr std::size_t kPairwiseNamesMax = 16;

template <typename Word>
Word load(const char* p) {
  Word word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// Whether every byte of `s` is below 0x80: the bytes are OR-ed together a word at a time and the
// high bits looked at once. An event holds some fifty strings, most shorter than 32 bytes, so
// nothing loops over single bytes or over the last words: a string of up to 32 bytes is read as
// two or four words that may overlap (or two half words, or its first, middle and last byte).
bool is_ascii(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  using Word = std::uint64_t;
  Word bits = 0;
  for (; n > 32; p += 32, n -= 32) {
    bits |= load<Word>(p) | load<Word>(p + 8) | load<Word>(p + 16) | load<Word>(p + 24);
  }
  if (n >= 16) {
    bits |= load<Word>(p) | load<Word>(p + 8) | load<Word>(p + n - 16) | load<Word>(p + n - 8);
  } else if (n >= 8) {
    bits |= load<Word>(p) | load<Word>(p + n - 8);
  } else if (n >= 4) {
    bits |= load<std::uint32_t>(p) | load<std::uint32_t>(p + n - 4);
  } else if (n > 0) {
    bits |= static_cast<unsigned char>(p[0] | p[n / 2] | p[n - 1]);
  }
  return (bits & 0x8080808080808080ULL) == 0;
}

class Checker {
 public:
  void fixed(std::size_t bytes) { bytes_ += bytes; }
  void text(std::string_view s) {
    // Nearly every string is ASCII: checked inline, a word at a time, before the full check.
    if (exact_ && !is_ascii(s)) exact_ = is_valid_utf8(s);
    bytes_ += kEscapedBytesMax * s.size() + kStringOverheadBytes;
  }
  void optional_text(const std::optional<std::string>& s) {
    if (s) text(*s);
  }
  void require(bool condition) { exact_ = exact_ && condition; }

  template <typename Pairs>
  void unique_names(const Pairs& pairs) {
    if (!exact_) return;
    if (pairs.size() <= kPairwiseNamesMax) {
      for (std::size_t i = 1; i < pairs.size(); ++i) {
        for (std::size_t k = 0; k < i; ++k) {
          if (pairs[i].first == pairs[k].first) exact_ = false;
        }
      }
      return;
    }
    std::vector<std::string_view> names;
    names.reserve(pairs.size());
    for (const auto& pair : pairs) names.emplace_back(pair.first);
    std::sort(names.begin(), names.end());
    if (std::adjacent_find(names.begin(), names.end()) != names.end()) exact_ = false;
  }
  void string_map(const StringPairs& pairs) {
    unique_names(pairs);
    for (const auto& [name, value] : pairs) {
      text(name);
      text(value);
    }
  }
  void string_map(const std::optional<StringPairs>& pairs) {
    if (pairs) string_map(*pairs);
  }
  void multi_map(const MultiValues& pairs) {
    unique_names(pairs);
    for (const auto& [name, values] : pairs) {
      text(name);
      for (const auto& value : values) text(value);
    }
  }
  void multi_map(const std::optional<MultiValues>& pairs) {
    if (pairs) multi_map(*pairs);
  }

  JsonRoundTrip result() const { return {exact_, bytes_}; }

 private:
  bool exact_ = true;
  std::size_t bytes_ = 0;
};

}  // namespace

JsonRoundTrip json_round_trip(const ProxyEvent& e) {
  Checker c;
  c.fixed(kProxyEventFixedBytes);
  c.text(e.resource);
  c.text(e.path);
  c.text(e.http_method);
  c.string_map(e.headers);
  c.multi_map(e.multi_value_headers);
  c.string_map(e.query_string_parameters);
  c.multi_map(e.multi_value_query_string_parameters);
  c.string_map(e.path_parameters);
  c.string_map(e.stage_variables);
  const ProxyRequestContext& x = e.request_context;
  for (const std::string* s :
       {&x.account_id, &x.api_id, &x.resource_id, &x.resource_path, &x.http_method, &x.path,
        &x.stage, &x.protocol, &x.request_id, &x.extended_request_id, &x.request_time,
        &x.domain_name, &x.domain_prefix, &x.deployment_id}) {
    c.text(*s);
  }
  const ProxyIdentity& id = x.identity;
  for (const std::optional<std::string>* s :
       {&id.access_key, &id.account_id, &id.api_key, &id.api_key_id, &id.caller,
        &id.cognito_authentication_provider, &id.cognito_authentication_type,
        &id.cognito_identity_id, &id.cognito_identity_pool_id, &id.principal_org_id, &id.source_ip,
        &id.user, &id.user_agent, &id.user_arn}) {
    c.optional_text(*s);
  }
  c.optional_text(e.body);
  return c.result();
}

JsonRoundTrip json_round_trip(const ProxyResponse& r) {
  Checker c;
  c.fixed(kProxyResponseFixedBytes);
  c.require(r.status_code >= 100 && r.status_code <= 599);
  c.string_map(r.headers);
  c.multi_map(r.multi_value_headers);
  c.text(r.body);
  return c.result();
}

JsonRoundTrip json_round_trip(const SqsEvent& event) {
  Checker c;
  c.fixed(kSqsEventFixedBytes);
  for (const SqsRecord& rec : event.records) {
    c.fixed(kSqsRecordFixedBytes);
    for (const std::string* s : {&rec.message_id, &rec.receipt_handle, &rec.body, &rec.md5_of_body,
                                 &rec.event_source, &rec.event_source_arn, &rec.aws_region}) {
      c.text(*s);
    }
    c.string_map(rec.attributes);
    std::vector<std::pair<std::string_view, int>> names;
    for (const SqsMessageAttribute& a : rec.message_attributes) {
      c.fixed(kSqsMessageAttributeFixedBytes);
      c.text(a.name);
      c.text(a.data_type);
      c.optional_text(a.string_value);
      c.optional_text(a.binary_value);
      names.emplace_back(a.name, 0);
    }
    c.unique_names(names);
    c.optional_text(rec.md5_of_message_attributes);
  }
  return c.result();
}

JsonRoundTrip json_round_trip(const SqsBatchResponse& response) {
  Checker c;
  c.fixed(kBatchResponseFixedBytes);
  for (const std::string& id : response.batch_item_failures) {
    c.fixed(kBatchItemFixedBytes);
    c.text(id);
  }
  return c.result();
}

}  // namespace twin::core
