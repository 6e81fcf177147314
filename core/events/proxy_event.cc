#include "core/events/proxy_event.h"

#include <boost/json.hpp>
#include <charconv>
#include <type_traits>

#include "core/encoding.h"
#include "core/events/json_reader.h"
#include "core/events/json_scan.h"
#include "core/json_text.h"

namespace twin::core {
namespace json = boost::json;
namespace {

std::optional<StringPairs> read_string_map(JsonReader& r, const json::object& parent,
                                           std::string_view key, std::string_view parent_path) {
  const json::object* obj = r.object(parent, key, parent_path, Need::kOptional);
  if (obj == nullptr) return std::nullopt;
  std::string path = json_path_join(parent_path, key);
  StringPairs out;
  out.reserve(obj->size());
  for (const auto& [name, value] : *obj) {
    std::string_view n(name.data(), name.size());
    auto s = r.as_string(value, path, n);
    if (!s) return std::nullopt;
    out.emplace_back(std::string(n), std::move(*s));
  }
  return out;
}

std::optional<MultiValues> read_multi_map(JsonReader& r, const json::object& parent,
                                          std::string_view key, std::string_view parent_path) {
  const json::object* obj = r.object(parent, key, parent_path, Need::kOptional);
  if (obj == nullptr) return std::nullopt;
  std::string path = json_path_join(parent_path, key);
  MultiValues out;
  out.reserve(obj->size());
  for (const auto& [name, value] : *obj) {
    std::string_view n(name.data(), name.size());
    if (!value.is_array()) {
      r.fail(json_path_join(path, n), "expected array, got " + std::string(json_kind_name(value)));
      return std::nullopt;
    }
    std::vector<std::string> values;
    const json::array& list = value.get_array();
    values.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) {
        r.as_string(list[i], json_path_join(path, n), i);  // records the error with its path
        return std::nullopt;
      }
      values.emplace_back(list[i].get_string().data(), list[i].get_string().size());
    }
    out.emplace_back(std::string(n), std::move(values));
  }
  return out;
}

void read_identity(JsonReader& r, const json::object& ctx, std::string_view ctx_path,
                   ProxyIdentity& id) {
  const json::object* obj = r.object(ctx, "identity", ctx_path, Need::kOptional);
  if (obj == nullptr) return;
  std::string p = json_path_join(ctx_path, "identity");
  auto get = [&](std::string_view key) { return r.string(*obj, key, p, Need::kOptional); };
  id.access_key = get("accessKey");
  id.account_id = get("accountId");
  id.api_key = get("apiKey");
  id.api_key_id = get("apiKeyId");
  id.caller = get("caller");
  id.cognito_authentication_provider = get("cognitoAuthenticationProvider");
  id.cognito_authentication_type = get("cognitoAuthenticationType");
  id.cognito_identity_id = get("cognitoIdentityId");
  id.cognito_identity_pool_id = get("cognitoIdentityPoolId");
  id.principal_org_id = get("principalOrgId");
  id.source_ip = get("sourceIp");
  id.user = get("user");
  id.user_agent = get("userAgent");
  id.user_arn = get("userArn");
}

void read_request_context(JsonReader& r, const json::object& event, ProxyRequestContext& c) {
  const json::object* obj = r.object(event, "requestContext", "$", Need::kOptional);
  if (obj == nullptr) return;
  const std::string p = "$.requestContext";
  auto get = [&](std::string_view key, std::string& out) {
    if (auto s = r.string(*obj, key, p, Need::kOptional)) out = std::move(*s);
  };
  get("accountId", c.account_id);
  get("apiId", c.api_id);
  get("resourceId", c.resource_id);
  get("resourcePath", c.resource_path);
  get("httpMethod", c.http_method);
  get("path", c.path);
  get("stage", c.stage);
  get("protocol", c.protocol);
  get("requestId", c.request_id);
  get("extendedRequestId", c.extended_request_id);
  get("requestTime", c.request_time);
  if (auto ms = r.integer(*obj, "requestTimeEpoch", p, Need::kOptional)) {
    c.request_time_epoch_ms = *ms;
  }
  get("domainName", c.domain_name);
  get("domainPrefix", c.domain_prefix);
  get("deploymentId", c.deployment_id);
  read_identity(r, *obj, p, c.identity);
}

json::value optional_string(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::object string_map(const StringPairs& pairs) {
  json::object obj;
  for (const auto& [k, v] : pairs) obj[k] = v;
  return obj;
}

json::object multi_map(const MultiValues& pairs) {
  json::object obj;
  for (const auto& [k, values] : pairs) {
    json::array list;
    for (const auto& v : values) list.emplace_back(v);
    obj[k] = std::move(list);
  }
  return obj;
}

json::value optional_map(const std::optional<StringPairs>& pairs) {
  return pairs ? json::value(string_map(*pairs)) : json::value(nullptr);
}

json::object identity_json(const ProxyIdentity& id) {
  json::object o;
  o["accessKey"] = optional_string(id.access_key);
  o["accountId"] = optional_string(id.account_id);
  // API Gateway leaves these two out entirely on methods that need no key (reference 1.4).
  if (id.api_key) o["apiKey"] = *id.api_key;
  if (id.api_key_id) o["apiKeyId"] = *id.api_key_id;
  o["caller"] = optional_string(id.caller);
  o["cognitoAuthenticationProvider"] = optional_string(id.cognito_authentication_provider);
  o["cognitoAuthenticationType"] = optional_string(id.cognito_authentication_type);
  o["cognitoIdentityId"] = optional_string(id.cognito_identity_id);
  o["cognitoIdentityPoolId"] = optional_string(id.cognito_identity_pool_id);
  o["principalOrgId"] = optional_string(id.principal_org_id);
  o["sourceIp"] = optional_string(id.source_ip);
  o["user"] = optional_string(id.user);
  o["userAgent"] = optional_string(id.user_agent);
  o["userArn"] = optional_string(id.user_arn);
  return o;
}

template <typename Pairs, typename Multi>
std::optional<std::string_view> find_header(const Pairs& headers, const Multi& multi,
                                            std::string_view name) {
  std::optional<std::string_view> found;
  for (const auto& [k, v] : headers) {
    if (ascii_iequals(k, name)) found = v;
  }
  if (found) return found;
  for (const auto& [k, values] : multi) {
    if (ascii_iequals(k, name) && !values.empty()) found = values.back();
  }
  return found;
}

}  // namespace

template <typename Text>
std::optional<std::string_view> BasicProxyEvent<Text>::header(std::string_view name) const {
  return find_header(headers, multi_value_headers, name);
}

template struct BasicProxyEvent<std::string>;
template struct BasicProxyEvent<std::string_view>;

std::optional<std::string_view> ProxyResponse::header(std::string_view name) const {
  return find_header(headers, multi_value_headers, name);
}

Result<ProxyEvent> parse_proxy_event(const json::object& event) {
  JsonReader r;
  ProxyEvent e;
  auto method = r.string(event, "httpMethod", "$", Need::kRequired);
  auto resource = r.string(event, "resource", "$", Need::kOptional);
  auto path = r.string(event, "path", "$", Need::kOptional);
  if (r.ok() && !resource && !path) r.fail("$.resource", "required (or $.path)");
  if (method) e.http_method = std::move(*method);
  e.resource = resource ? *resource : path.value_or("");
  e.path = path ? *path : e.resource;
  if (auto h = read_string_map(r, event, "headers", "$")) e.headers = std::move(*h);
  if (auto h = read_multi_map(r, event, "multiValueHeaders", "$")) {
    e.multi_value_headers = std::move(*h);
  }
  e.query_string_parameters = read_string_map(r, event, "queryStringParameters", "$");
  e.multi_value_query_string_parameters =
      read_multi_map(r, event, "multiValueQueryStringParameters", "$");
  e.path_parameters = read_string_map(r, event, "pathParameters", "$");
  e.stage_variables = read_string_map(r, event, "stageVariables", "$");
  read_request_context(r, event, e.request_context);
  e.body = r.string(event, "body", "$", Need::kOptional);
  e.is_base64_encoded = r.boolean(event, "isBase64Encoded", "$", Need::kOptional).value_or(false);
  if (!r.ok()) return invalid_argument(r.error());
  return e;
}

namespace {

// The fast reader below. Each function returns false on anything the DOM reader would either
// reject or read differently (a wrong type, a duplicate key), and the caller falls back.
using Kind = JsonScanner::Kind;

// The text members of requestContext in to_json's order; requestTimeEpoch comes after the
// first kContextTextBeforeEpoch of them. Shared by the fast reader and the direct writer.
template <typename Text>
constexpr std::pair<std::string_view, Text BasicProxyRequestContext<Text>::*> kContextText[] = {
    {"accountId", &BasicProxyRequestContext<Text>::account_id},
    {"apiId", &BasicProxyRequestContext<Text>::api_id},
    {"resourceId", &BasicProxyRequestContext<Text>::resource_id},
    {"resourcePath", &BasicProxyRequestContext<Text>::resource_path},
    {"httpMethod", &BasicProxyRequestContext<Text>::http_method},
    {"path", &BasicProxyRequestContext<Text>::path},
    {"stage", &BasicProxyRequestContext<Text>::stage},
    {"protocol", &BasicProxyRequestContext<Text>::protocol},
    {"requestId", &BasicProxyRequestContext<Text>::request_id},
    {"extendedRequestId", &BasicProxyRequestContext<Text>::extended_request_id},
    {"requestTime", &BasicProxyRequestContext<Text>::request_time},
    {"domainName", &BasicProxyRequestContext<Text>::domain_name},
    {"domainPrefix", &BasicProxyRequestContext<Text>::domain_prefix},
    {"deploymentId", &BasicProxyRequestContext<Text>::deployment_id}};
constexpr std::size_t kContextTextBeforeEpoch = 11;

// The members of requestContext.identity in to_json's order. Shared like kContextText.
template <typename Text>
constexpr std::pair<std::string_view, std::optional<Text> BasicProxyIdentity<Text>::*>
    kIdentityText[] = {
        {"accessKey", &BasicProxyIdentity<Text>::access_key},
        {"accountId", &BasicProxyIdentity<Text>::account_id},
        {"apiKey", &BasicProxyIdentity<Text>::api_key},
        {"apiKeyId", &BasicProxyIdentity<Text>::api_key_id},
        {"caller", &BasicProxyIdentity<Text>::caller},
        {"cognitoAuthenticationProvider",
         &BasicProxyIdentity<Text>::cognito_authentication_provider},
        {"cognitoAuthenticationType", &BasicProxyIdentity<Text>::cognito_authentication_type},
        {"cognitoIdentityId", &BasicProxyIdentity<Text>::cognito_identity_id},
        {"cognitoIdentityPoolId", &BasicProxyIdentity<Text>::cognito_identity_pool_id},
        {"principalOrgId", &BasicProxyIdentity<Text>::principal_org_id},
        {"sourceIp", &BasicProxyIdentity<Text>::source_ip},
        {"user", &BasicProxyIdentity<Text>::user},
        {"userAgent", &BasicProxyIdentity<Text>::user_agent},
        {"userArn", &BasicProxyIdentity<Text>::user_arn}};

// Members of the event that the fast reader knows; a repeat of one sends the event to the DOM
// reader, which decides what a duplicate means.
enum EventField : unsigned {
  kResource,
  kPath,
  kHttpMethod,
  kHeaders,
  kMultiValueHeaders,
  kQueryStringParameters,
  kMultiValueQueryStringParameters,
  kPathParameters,
  kStageVariables,
  kRequestContext,
  kBody,
  kIsBase64Encoded,
  kRecords,
  kUnknownField,
};

constexpr std::pair<std::string_view, EventField> kEventFields[] = {
    {"resource", kResource},
    {"path", kPath},
    {"httpMethod", kHttpMethod},
    {"headers", kHeaders},
    {"multiValueHeaders", kMultiValueHeaders},
    {"queryStringParameters", kQueryStringParameters},
    {"multiValueQueryStringParameters", kMultiValueQueryStringParameters},
    {"pathParameters", kPathParameters},
    {"stageVariables", kStageVariables},
    {"requestContext", kRequestContext},
    {"body", kBody},
    {"isBase64Encoded", kIsBase64Encoded},
    {"Records", kRecords}};

// The keys read_canonical() compares where they must stand, made when the program is compiled:
// the event's members by EventField, requestContext's text members in kContextText's order, and
// identity's in kIdentityText's.
constexpr auto kFirst = [](const auto& entry) { return entry.first; };
constexpr auto kEventKeys = json_text::compact_keys(kEventFields, kFirst);
constexpr auto kContextKeys = json_text::compact_keys(kContextText<std::string_view>, kFirst);
constexpr auto kIdentityKeys = json_text::compact_keys(kIdentityText<std::string_view>, kFirst);
constexpr json_text::CompactKey kEpochKey("requestTimeEpoch");
constexpr json_text::CompactKey kIdentityKey("identity");

// The index of `key` in `names` (names.size() when absent), trying `guess` first: API Gateway
// writes members in one fixed order, so the member after the last one found is nearly always
// the next, and the search costs one comparison.
template <typename Names>
unsigned find_name(const Names& names, std::string_view key, unsigned& guess) {
  const auto count = static_cast<unsigned>(std::size(names));
  if (guess < count && names[guess].first == key) return guess++;
  for (unsigned i = 0; i < count; ++i) {
    if (names[i].first == key) {
      guess = i + 1;
      return i;
    }
  }
  return count;
}

// Marks `bit` in `seen`; false when it was already there.
bool first_time(std::uint32_t& seen, unsigned bit) {
  std::uint32_t mask = std::uint32_t{1} << bit;
  if (seen & mask) return false;
  seen |= mask;
  return true;
}

template <typename Pairs>
bool has_name(const Pairs& pairs, std::string_view name) {
  for (const auto& pair : pairs) {
    if (pair.first == name) return true;
  }
  return false;
}

// The fast reader for either kind of event. Text is std::string (strings are copied out of the
// JSON text) or std::string_view (strings are views of the text, and those with escapes views
// of `decoded`, which the reader fills).
template <typename Text>
class FastEventReader {
 public:
  using Event = BasicProxyEvent<Text>;
  using Pairs = BasicStringPairs<Text>;
  using Multi = BasicMultiValues<Text>;

  FastEventReader(std::string_view text, std::string* decoded)
      : s_(text), decoded_(decoded), p_(text.data()), end_(text.data() + text.size()) {}

  bool read(Event& e) {
    if (!s_.begin_object()) return false;
    std::uint32_t seen = 0;
    unsigned guess = 0;
    std::string_view key;
    unsigned i = 0;
    while (next_member(kEventFields, guess, key, i)) {
      EventField field = i < std::size(kEventFields) ? kEventFields[i].second : kUnknownField;
      if (field != kUnknownField && !first_time(seen, field)) return false;
      if (!member(field, e)) return false;
    }
    return s_.finish() && finish(e);
  }

  // The event in its canonical form, read in one forward pass: written without white space,
  // with its members and those of requestContext and identity in to_json's order (the order
  // API Gateway and the gateway fake write), any of them absent, and no other member. Each key
  // is compared where it must stand and each null or plain string is taken where it lies; the
  // maps, the integer, and strings with escapes or UTF-8 are read by the scanner (as read()
  // reads them). False for any text not in that form, before or after reading part of it: the
  // caller then reads the text again with read() on a new event, which accepts or refuses it.
  // Whatever this accepts, read() accepts with the same values (tests compare both readers on
  // every event they have). Only for views (Text = std::string_view).
  bool read_canonical(Event& e) {
    char lead = '{';
    auto optional_string = [this](std::optional<Text>& out) {
      return null_at() || string_at(out.emplace());
    };
    auto text = [this](Text& out) { return null_at() || string_at(out); };
    auto pairs = [this](std::optional<Pairs>& out) {
      return null_at() || scanned([&] { return string_map(out); });
    };
    auto multi = [this](std::optional<Multi>& out) {
      return null_at() || scanned([&] { return multi_map(out); });
    };
    if ((key_at(lead, kEventKeys[kResource]) && !optional_string(resource_)) ||
        (key_at(lead, kEventKeys[kPath]) && !optional_string(path_)) ||
        (key_at(lead, kEventKeys[kHttpMethod]) && !string_at(method_.emplace()))) {
      return false;
    }
    std::optional<Pairs> headers;
    std::optional<Multi> multi_value_headers;
    if ((key_at(lead, kEventKeys[kHeaders]) && !pairs(headers)) ||
        (key_at(lead, kEventKeys[kMultiValueHeaders]) && !multi(multi_value_headers)) ||
        (key_at(lead, kEventKeys[kQueryStringParameters]) && !pairs(e.query_string_parameters)) ||
        (key_at(lead, kEventKeys[kMultiValueQueryStringParameters]) &&
         !multi(e.multi_value_query_string_parameters)) ||
        (key_at(lead, kEventKeys[kPathParameters]) && !pairs(e.path_parameters)) ||
        (key_at(lead, kEventKeys[kStageVariables]) && !pairs(e.stage_variables))) {
      return false;
    }
    if (headers) e.headers = std::move(*headers);
    if (multi_value_headers) e.multi_value_headers = std::move(*multi_value_headers);
    if (key_at(lead, kEventKeys[kRequestContext]) && !null_at()) {
      BasicProxyRequestContext<Text>& c = e.request_context;
      constexpr auto& kText = kContextText<Text>;
      char inner = '{';
      for (std::size_t i = 0; i < kContextTextBeforeEpoch; ++i) {
        if (key_at(inner, kContextKeys[i]) && !text(c.*kText[i].second)) return false;
      }
      if (key_at(inner, kEpochKey) && !null_at() &&
          !scanned([&] { return s_.integer(c.request_time_epoch_ms); })) {
        return false;
      }
      for (std::size_t i = kContextTextBeforeEpoch; i < std::size(kText); ++i) {
        if (key_at(inner, kContextKeys[i]) && !text(c.*kText[i].second)) return false;
      }
      if (key_at(inner, kIdentityKey) && !null_at()) {
        char field = '{';
        for (std::size_t i = 0; i < std::size(kIdentityKeys); ++i) {
          if (key_at(field, kIdentityKeys[i]) &&
              !optional_string(c.identity.*kIdentityText<Text>[i].second)) {
            return false;
          }
        }
        if (!close_at(field)) return false;
      }
      if (!close_at(inner)) return false;
    }
    if ((key_at(lead, kEventKeys[kBody]) && !optional_string(e.body)) ||
        (key_at(lead, kEventKeys[kIsBase64Encoded]) && !null_at() &&
         !boolean_at(e.is_base64_encoded))) {
      return false;
    }
    return close_at(lead) && p_ == end_ && finish(e);
  }

 private:
  // What both readers do last: httpMethod and one of resource and path are required.
  bool finish(Event& e) {
    if (!method_ || (!resource_ && !path_)) return false;
    e.http_method = std::move(*method_);
    e.resource = resource_ ? *resource_ : path_.value_or(Text());
    e.path = path_ ? std::move(*path_) : e.resource;
    return true;
  }

  // read_canonical()'s steps, each at p_. A member's key where it must stand: `lead` (the '{' of
  // the object, or ',' after a member), then `"name":`; consumed with `lead` set to ',' when it
  // is there, else nothing is consumed (the member is absent, or the text is not canonical).
  bool key_at(char& lead, const json_text::CompactKey& key) {
    const char* after = json_text::compact_key_at(p_, end_, lead, key);
    if (after == nullptr) return false;
    p_ = after;
    lead = ',';
    return true;
  }
  // The end of an object whose members were read with `lead`: "{}" when none was there.
  bool close_at(char lead) {
    if (lead == '{') {
      if (end_ - p_ < 2 || p_[0] != '{' || p_[1] != '}') return false;
      p_ += 2;
      return true;
    }
    if (p_ == end_ || *p_ != '}') return false;
    ++p_;
    return true;
  }
  bool null_at() {
    if (end_ - p_ < 4 || !json_text::same_bytes(p_, "null", 4)) return false;
    p_ += 4;
    return true;
  }
  bool boolean_at(bool& out) {
    if (end_ - p_ >= 4 && json_text::same_bytes(p_, "true", 4)) {
      out = true;
      p_ += 4;
      return true;
    }
    if (end_ - p_ >= 5 && json_text::same_bytes(p_, "false", 5)) {
      out = false;
      p_ += 5;
      return true;
    }
    return false;
  }
  // A string: a plain one (no escape, control byte or UTF-8) as a view where it lies, any other
  // through the scanner, which checks and decodes it.
  bool string_at(Text& out) {
    if (p_ == end_ || *p_ != '"') return false;
    const char* stop = json_text::find_special(p_ + 1, end_, true);
    if (stop != end_ && *stop == '"') {
      out = Text(p_ + 1, static_cast<std::size_t>(stop - p_ - 1));
      p_ = stop + 1;
      return true;
    }
    return scanned([&] { return s_.string_kept(out, *decoded_); });
  }
  // One value read by the scanner from p_ on; p_ moves past it.
  template <typename Read>
  bool scanned(Read read) {
    s_ = JsonScanner(std::string_view(p_, static_cast<std::size_t>(end_ - p_)));
    if (!read()) return false;
    p_ = s_.position();
    return true;
  }

  // The next member of an object whose known members are `names`: its key, and in `index` its
  // place in `names` (names.size() for another key). The name after the last one found is
  // tried first, against the text itself. False at the closing brace or on a syntax error.
  template <typename Names>
  bool next_member(const Names& names, unsigned& guess, std::string_view& key, unsigned& index) {
    if (guess < std::size(names) && s_.next_key_is(names[guess].first)) {
      key = names[guess].first;
      index = guess++;
      return true;
    }
    if (!s_.next_key(key)) return false;
    index = find_name(names, key, guess);
    return true;
  }

  bool string(Text& out) {
    std::string_view v;
    if constexpr (std::is_same_v<Text, std::string_view>) {
      return s_.string_kept(out, *decoded_);
    } else {
      if (!s_.string(v, scratch_)) return false;
      out.assign(v);
      return true;
    }
  }

  // A string or null; null leaves `out` as it is (JsonReader's Need::kOptional).
  bool optional_string(std::optional<Text>& out) {
    if (s_.take_null()) return true;
    return string(out.emplace());
  }

  bool text(Text& out) {
    if (s_.take_null()) return true;
    return string(out);
  }

  // An object of names to values, or null (leaving `out` empty); `read_value` reads each value.
  template <typename Map, typename ReadValue>
  bool name_map(std::optional<Map>& out, ReadValue read_value) {
    if (s_.take_null()) return true;
    if (!s_.begin_object()) return false;
    Map& pairs = out.emplace();
    std::string_view name;
    while (s_.next_key(name)) {
      if (has_name(pairs, name)) return false;
      if (!read_value(
              pairs.emplace_back(Text(name), typename Map::value_type::second_type()).second)) {
        return false;
      }
    }
    return !s_.failed();
  }

  bool string_map(std::optional<Pairs>& out) {
    return name_map(out, [this](Text& value) { return string(value); });
  }

  bool multi_map(std::optional<Multi>& out) {
    return name_map(out, [this](std::vector<Text>& values) {
      if (!s_.begin_array()) return false;
      while (s_.next_element()) {
        if (!string(values.emplace_back())) return false;
      }
      return !s_.failed();
    });
  }

  bool identity(BasicProxyIdentity<Text>& id) {
    if (s_.take_null()) return true;
    if (!s_.begin_object()) return false;
    std::uint32_t seen = 0;
    unsigned guess = 0;
    std::string_view key;
    unsigned i = 0;
    while (next_member(kIdentityText<Text>, guess, key, i)) {
      bool ok = i == std::size(kIdentityText<Text>)
                    ? s_.skip()
                    : first_time(seen, i) && optional_string(id.*kIdentityText<Text>[i].second);
      if (!ok) return false;
    }
    return !s_.failed();
  }

  bool request_context(BasicProxyRequestContext<Text>& c) {
    if (s_.take_null()) return true;
    if (!s_.begin_object()) return false;
    constexpr auto& kText = kContextText<Text>;
    constexpr unsigned kEpochBit = std::size(kText);
    constexpr unsigned kIdentityBit = kEpochBit + 1;
    std::uint32_t seen = 0;
    unsigned guess = 0;
    std::string_view key;
    unsigned i = 0;
    while (next_member(kText, guess, key, i)) {
      bool ok;
      if (i < std::size(kText)) {
        ok = first_time(seen, i) && text(c.*kText[i].second);
      } else if (key == "requestTimeEpoch") {
        ok = first_time(seen, kEpochBit) && (s_.take_null() || s_.integer(c.request_time_epoch_ms));
      } else if (key == "identity") {
        ok = first_time(seen, kIdentityBit) && identity(c.identity);
      } else {
        ok = s_.skip();
      }
      if (!ok) return false;
    }
    return !s_.failed();
  }

  bool member(EventField field, Event& e) {
    switch (field) {
      case kResource:
        return optional_string(resource_);
      case kPath:
        return optional_string(path_);
      case kHttpMethod:
        return s_.peek() == Kind::kString && optional_string(method_);
      case kHeaders: {
        std::optional<Pairs> pairs;
        if (!string_map(pairs)) return false;
        if (pairs) e.headers = std::move(*pairs);
        return true;
      }
      case kMultiValueHeaders: {
        std::optional<Multi> multi;
        if (!multi_map(multi)) return false;
        if (multi) e.multi_value_headers = std::move(*multi);
        return true;
      }
      case kQueryStringParameters:
        return string_map(e.query_string_parameters);
      case kMultiValueQueryStringParameters:
        return multi_map(e.multi_value_query_string_parameters);
      case kPathParameters:
        return string_map(e.path_parameters);
      case kStageVariables:
        return string_map(e.stage_variables);
      case kRequestContext:
        return request_context(e.request_context);
      case kBody:
        return optional_string(e.body);
      case kIsBase64Encoded:
        return s_.take_null() || s_.boolean(e.is_base64_encoded);
      case kRecords:
        return false;  // an SQS event: the caller routes it
      case kUnknownField:
        return s_.skip();
    }
    return false;
  }

  JsonScanner s_;
  std::string* decoded_;  // the view reader's decoded strings
  std::string scratch_;   // the owning reader's decoded string, copied out at once
  std::optional<Text> resource_, path_, method_;
  const char* p_;  // read_canonical()'s position
  const char* const end_;
};

}  // namespace

bool read_proxy_event_fast(std::string_view text, ProxyEvent& e) {
  return FastEventReader<std::string>(text, nullptr).read(e);
}

bool read_proxy_event_fast(std::string_view text, ProxyEventView& e, std::string& decoded) {
  if (read_proxy_event_canonical(text, e, decoded)) return true;
  e = ProxyEventView();
  decoded.clear();  // keeps the room string_kept needs, which the first step made
  return FastEventReader<std::string_view>(text, &decoded).read(e);
}

bool read_proxy_event_canonical(std::string_view text, ProxyEventView& e, std::string& decoded) {
  decoded.clear();
  decoded.reserve(text.size() + JsonScanner::kDecodeSlackBytes);
  return FastEventReader<std::string_view>(text, &decoded).read_canonical(e);
}

json::object to_json(const ProxyEvent& e) {
  const ProxyRequestContext& c = e.request_context;
  json::object ctx;
  ctx["accountId"] = c.account_id;
  ctx["apiId"] = c.api_id;
  ctx["resourceId"] = c.resource_id;
  ctx["resourcePath"] = c.resource_path;
  ctx["httpMethod"] = c.http_method;
  ctx["path"] = c.path;
  ctx["stage"] = c.stage;
  ctx["protocol"] = c.protocol;
  ctx["requestId"] = c.request_id;
  ctx["extendedRequestId"] = c.extended_request_id;
  ctx["requestTime"] = c.request_time;
  ctx["requestTimeEpoch"] = c.request_time_epoch_ms;
  ctx["domainName"] = c.domain_name;
  ctx["domainPrefix"] = c.domain_prefix;
  ctx["deploymentId"] = c.deployment_id;
  ctx["identity"] = identity_json(c.identity);

  json::object o;
  o["resource"] = e.resource;
  o["path"] = e.path;
  o["httpMethod"] = e.http_method;
  o["headers"] = string_map(e.headers);
  o["multiValueHeaders"] = multi_map(e.multi_value_headers);
  o["queryStringParameters"] = optional_map(e.query_string_parameters);
  o["multiValueQueryStringParameters"] =
      e.multi_value_query_string_parameters
          ? json::value(multi_map(*e.multi_value_query_string_parameters))
          : json::value(nullptr);
  o["pathParameters"] = optional_map(e.path_parameters);
  o["stageVariables"] = optional_map(e.stage_variables);
  o["requestContext"] = std::move(ctx);
  o["body"] = optional_string(e.body);
  o["isBase64Encoded"] = e.is_base64_encoded;
  return o;
}

namespace {

// Writers for serialize(const ProxyEvent&), byte for byte what boost::json::serialize makes of
// to_json(): a repeated name keeps its first position and takes its last value, as assigning
// into a json::object does.
template <typename Pairs>
bool first_of_name(const Pairs& pairs, std::size_t i) {
  for (std::size_t k = 0; k < i; ++k) {
    if (pairs[k].first == pairs[i].first) return false;
  }
  return true;
}

template <typename Pairs>
const auto& last_value(const Pairs& pairs, std::size_t i) {
  std::size_t last = i;
  for (std::size_t k = i + 1; k < pairs.size(); ++k) {
    if (pairs[k].first == pairs[i].first) last = k;
  }
  return pairs[last].second;
}

template <typename Pairs, typename WriteValue>
void write_map(std::string& out, const Pairs& pairs, WriteValue write_value) {
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (!first_of_name(pairs, i)) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(out, pairs[i].first);
    out += ':';
    write_value(last_value(pairs, i));
  }
  out += '}';
}

template <typename Pairs>
void write_string_map(std::string& out, const Pairs& pairs) {
  write_map(out, pairs, [&out](std::string_view value) { append_json_string(out, value); });
}

template <typename Multi>
void write_multi_map(std::string& out, const Multi& pairs) {
  write_map(out, pairs, [&out](const auto& values) {
    out += '[';
    for (std::size_t v = 0; v < values.size(); ++v) {
      if (v != 0) out += ',';
      append_json_string(out, values[v]);
    }
    out += ']';
  });
}

void write_member(std::string& out, std::string_view name) {
  if (out.back() != '{') out += ',';
  append_json_string(out, name);
  out += ':';
}

template <typename Text>
void write_optional(std::string& out, std::string_view name, const std::optional<Text>& v) {
  write_member(out, name);
  if (v) {
    append_json_string(out, *v);
  } else {
    out += "null";
  }
}

template <typename Text>
std::string write_event(const BasicProxyEvent<Text>& e) {
  std::string out;
  out.reserve(1024 + (e.body ? e.body->size() * 5 / 4 : 0));
  out += '{';
  write_member(out, "resource");
  append_json_string(out, e.resource);
  write_member(out, "path");
  append_json_string(out, e.path);
  write_member(out, "httpMethod");
  append_json_string(out, e.http_method);
  write_member(out, "headers");
  write_string_map(out, e.headers);
  write_member(out, "multiValueHeaders");
  write_multi_map(out, e.multi_value_headers);
  auto optional_map = [&out](std::string_view name,
                             const std::optional<BasicStringPairs<Text>>& m) {
    write_member(out, name);
    if (m) {
      write_string_map(out, *m);
    } else {
      out += "null";
    }
  };
  optional_map("queryStringParameters", e.query_string_parameters);
  write_member(out, "multiValueQueryStringParameters");
  if (e.multi_value_query_string_parameters) {
    write_multi_map(out, *e.multi_value_query_string_parameters);
  } else {
    out += "null";
  }
  optional_map("pathParameters", e.path_parameters);
  optional_map("stageVariables", e.stage_variables);
  const BasicProxyRequestContext<Text>& c = e.request_context;
  write_member(out, "requestContext");
  out += '{';
  for (std::size_t i = 0; i < std::size(kContextText<Text>); ++i) {
    if (i == kContextTextBeforeEpoch) {
      write_member(out, "requestTimeEpoch");
      out += std::to_string(c.request_time_epoch_ms);
    }
    write_member(out, kContextText<Text>[i].first);
    append_json_string(out, c.*kContextText<Text>[i].second);
  }
  write_member(out, "identity");
  out += '{';
  for (const auto& [name, member] : kIdentityText<Text>) {
    const std::optional<Text>& value = c.identity.*member;
    // API Gateway leaves these two out entirely on methods that need no key (reference 1.4).
    if (!value && (name == "apiKey" || name == "apiKeyId")) continue;
    write_optional(out, name, value);
  }
  out += "}}";
  write_optional(out, "body", e.body);
  write_member(out, "isBase64Encoded");
  out += e.is_base64_encoded ? "true" : "false";
  out += '}';
  return out;
}

}  // namespace

std::string serialize(const ProxyEvent& event) { return write_event(event); }
std::string serialize(const ProxyEventView& event) { return write_event(event); }

json::object to_json(const ProxyResponse& r) {
  json::object o;
  o["statusCode"] = r.status_code;
  o["headers"] = string_map(r.headers);
  if (!r.multi_value_headers.empty()) o["multiValueHeaders"] = multi_map(r.multi_value_headers);
  o["body"] = r.body;
  o["isBase64Encoded"] = r.is_base64_encoded;
  return o;
}

namespace {

// The general form, with multiValueHeaders: written by appends.
std::string serialize_appending(const ProxyResponse& r, BodyText body) {
  std::string out;
  out.reserve(96 + r.body.size() * 5 / 4);
  out += "{\"statusCode\":";
  out += std::to_string(r.status_code);
  out += ",\"headers\":{";
  bool first = true;
  for (const auto& [name, value] : r.headers) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, name);
    out += ':';
    append_json_string(out, value);
  }
  out += '}';
  if (!r.multi_value_headers.empty()) {
    out += ",\"multiValueHeaders\":";
    out += json::serialize(multi_map(r.multi_value_headers));
  }
  out += ",\"body\":";
  if (body == BodyText::kEscaped) {
    out += '"';
    out += r.body;
    out += '"';
  } else {
    append_json_string(out, r.body);
  }
  out += ",\"isBase64Encoded\":";
  out += r.is_base64_encoded ? "true" : "false";
  out += '}';
  return out;
}

}  // namespace

std::string serialize(const ProxyResponse& r, BodyText body) {
  // Written directly, in to_json's member order: this runs once per request. The usual response
  // is written through a pointer into room made for it (the body's escaped size exactly, the
  // headers' worst case) and trimmed.
  if (!r.multi_value_headers.empty()) return serialize_appending(r, body);
  const bool escaped = body == BodyText::kEscaped;
  const std::size_t body_bytes = escaped ? r.body.size() : json_escaped_size(r.body);
  std::size_t bytes = 96 + body_bytes + kJsonEscapeSlackBytes;
  for (const auto& [name, value] : r.headers) {
    bytes += json_escaped_room(name.size()) + json_escaped_room(value.size()) + 6;
  }
  std::string out(bytes, '\0');
  char* p = out.data();
  auto put = [&p](std::string_view text) {
    p = json_text::copy_bytes(p, text.data(), text.size());
  };
  put("{\"statusCode\":");
  p = std::to_chars(p, p + 12, r.status_code).ptr;
  put(",\"headers\":{");
  bool first = true;
  for (const auto& [name, value] : r.headers) {
    if (!first) *p++ = ',';
    first = false;
    *p++ = '"';
    p = write_json_escaped(p, name);
    put("\":\"");
    p = write_json_escaped(p, value);
    *p++ = '"';
  }
  put("},\"body\":\"");
  p = escaped ? json_text::copy_bytes(p, r.body.data(), r.body.size())
              : write_json_escaped(p, r.body);
  put(r.is_base64_encoded ? "\",\"isBase64Encoded\":true}" : "\",\"isBase64Encoded\":false}");
  out.resize(static_cast<std::size_t>(p - out.data()));
  return out;
}

}  // namespace twin::core

namespace twin::core {
namespace {

// API Gateway renders scalar header values as text: true -> "true", 5 -> "5".
std::optional<std::string> header_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_number()) return json::serialize(v);
  return std::nullopt;
}

std::optional<int> status_code_of(const json::value& v) {
  if (v.is_int64() && v.get_int64() >= 100 && v.get_int64() <= 599) {
    return static_cast<int>(v.get_int64());
  }
  if (v.is_uint64() && v.get_uint64() >= 100 && v.get_uint64() <= 599) {
    return static_cast<int>(v.get_uint64());
  }
  if (v.is_string()) {
    const json::string& s = v.get_string();
    if (s.size() != 3) return std::nullopt;
    int code = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      code = code * 10 + (c - '0');
    }
    if (code >= 100 && code <= 599) return code;
  }
  return std::nullopt;
}

}  // namespace

bool read_proxy_response_fast(std::string_view text, ProxyResponse& out) {
  JsonScanner s(text);
  std::string scratch;
  if (!s.begin_object()) return false;
  std::uint32_t seen = 0;
  std::string_view key, value;
  while (s.next_key(key)) {
    unsigned bit = key == "statusCode"        ? 0
                   : key == "headers"         ? 1
                   : key == "body"            ? 2
                   : key == "isBase64Encoded" ? 3
                                              : 4;
    if (bit == 4 || !first_time(seen, bit)) return false;  // the tree reader decides
    bool ok = true;
    switch (bit) {
      case 0: {
        std::int64_t code = 0;
        ok = s.peek() == Kind::kNumber && s.integer(code) && code >= 100 && code <= 599;
        out.status_code = static_cast<int>(code);
        break;
      }
      case 1:
        if (s.peek() == Kind::kNull) {
          ok = s.null();
          break;
        }
        ok = s.begin_object();
        while (ok && s.next_key(key)) {
          std::string name(key);
          ok = s.peek() == Kind::kString && s.string(value, scratch);
          if (ok) out.headers.emplace_back(std::move(name), std::string(value));
        }
        ok = ok && !s.failed();
        break;
      case 2:
        if (s.peek() == Kind::kNull) {
          ok = s.null();
        } else if ((ok = s.string(value, scratch))) {
          out.body.assign(value);
        }
        break;
      default:
        ok = s.boolean(out.is_base64_encoded);
    }
    if (!ok) return false;
  }
  return s.finish();
}

Result<ProxyResponse> parse_proxy_response(const json::value& payload) {
  if (!payload.is_object()) {
    return invalid_argument("$: expected object, got " + std::string(json_kind_name(payload)));
  }
  ProxyResponse out;
  for (const auto& [key, value] : payload.get_object()) {
    std::string path = json_path_join("$", std::string_view(key.data(), key.size()));
    if (key == "statusCode") {
      auto code = status_code_of(value);
      if (!code) return invalid_argument(path + ": not an HTTP status code");
      out.status_code = *code;
    } else if (key == "headers") {
      if (value.is_null()) continue;
      if (!value.is_object()) return invalid_argument(path + ": expected object");
      for (const auto& [name, v] : value.get_object()) {
        auto text = header_text(v);
        if (!text) return invalid_argument(json_path_join(path, name) + ": not a header value");
        out.headers.emplace_back(std::string(name), std::move(*text));
      }
    } else if (key == "multiValueHeaders") {
      if (value.is_null()) continue;
      if (!value.is_object()) return invalid_argument(path + ": expected object");
      for (const auto& [name, v] : value.get_object()) {
        std::string item_path = json_path_join(path, name);
        if (!v.is_array()) return invalid_argument(item_path + ": expected array");
        std::vector<std::string> values;
        for (const auto& item : v.get_array()) {
          auto text = header_text(item);
          if (!text) return invalid_argument(item_path + ": not a header value");
          values.push_back(std::move(*text));
        }
        out.multi_value_headers.emplace_back(std::string(name), std::move(values));
      }
    } else if (key == "body") {
      if (value.is_null()) continue;
      if (!value.is_string()) return invalid_argument(path + ": expected string");
      out.body = std::string(value.get_string());
    } else if (key == "isBase64Encoded") {
      if (!value.is_bool()) return invalid_argument(path + ": expected boolean");
      out.is_base64_encoded = value.get_bool();
    } else {
      return invalid_argument(path + ": unexpected key in a proxy response");
    }
  }
  return out;
}

}  // namespace twin::core
