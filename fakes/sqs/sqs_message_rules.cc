#include "fakes/sqs/sqs_message_rules.h"

#include <openssl/evp.h>

#include <cassert>
#include <cstdint>
#include <memory>

#include "core/encoding.h"
#include "fakes/sqs/sqs_errors.h"

namespace twin::fakes::sqs {
namespace {

constexpr std::uint8_t kTransportString = 1;
constexpr std::uint8_t kTransportBinary = 2;
constexpr std::int64_t kNumberExponentMax = 126;
constexpr std::int64_t kNumberExponentMin = -128;

void append_length_prefixed(std::string& out, std::string_view bytes) {
  auto n = static_cast<std::uint32_t>(bytes.size());
  out += static_cast<char>((n >> 24) & 0xff);
  out += static_cast<char>((n >> 16) & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  out += static_cast<char>(n & 0xff);
  out += bytes;
}

// Reads one length-prefixed field at `at`; nullopt past the end.
std::optional<std::string> read_length_prefixed(std::string_view bytes, std::size_t& at) {
  if (bytes.size() - at < 4) return std::nullopt;
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n = (n << 8) | static_cast<std::uint8_t>(bytes[at + i]);
  at += 4;
  if (bytes.size() - at < n) return std::nullopt;
  std::string out(bytes.substr(at, n));
  at += n;
  return out;
}

bool is_binary_type(std::string_view data_type) { return data_type.substr(0, 6) == "Binary"; }

// The base type ("String", "Number", "Binary") of a data type, or empty when it has none.
std::string_view base_type(std::string_view data_type) {
  for (std::string_view base : {"String", "Number", "Binary"}) {
    if (data_type == base) return base;
    if (data_type.size() > base.size() + 1 && data_type.substr(0, base.size()) == base &&
        data_type[base.size()] == '.') {
      return base;
    }
  }
  return {};
}

bool is_valid_attribute_name(std::string_view name) {
  if (name.empty() || name.size() > kAttributeNameLengthMax) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  std::string lower = core::ascii_lower(name);
  if (lower.rfind("aws.", 0) == 0 || lower.rfind("amazon.", 0) == 0) return false;
  if (name.front() == '.' || name.back() == '.') return false;
  return name.find("..") == std::string_view::npos;
}

// A decimal number of at most 38 significant digits between 10^-128 and 10^126 in magnitude.
bool is_valid_number(std::string_view text) {
  std::size_t at = 0;
  if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
  std::string digits;
  std::int64_t point_shift = 0;  // exponent of the first digit relative to the decimal point
  bool seen_point = false;
  bool any_digit = false;
  for (; at < text.size() && text[at] != 'e' && text[at] != 'E'; ++at) {
    char c = text[at];
    if (c == '.') {
      if (seen_point) return false;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    any_digit = true;
    if (digits.empty() && c == '0') {
      if (seen_point) --point_shift;
      continue;
    }
    if (!seen_point) ++point_shift;
    digits += c;
  }
  if (!any_digit) return false;
  std::int64_t exponent = 0;
  if (at < text.size()) {
    ++at;
    bool negative = at < text.size() && text[at] == '-';
    if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
    if (at == text.size() || text.size() - at > 4) return false;
    for (; at < text.size(); ++at) {
      if (text[at] < '0' || text[at] > '9') return false;
      exponent = exponent * 10 + (text[at] - '0');
    }
    if (negative) exponent = -exponent;
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (digits.empty()) return true;  // zero
  if (digits.size() > kNumberDigitsMax) return false;
  std::int64_t magnitude = point_shift + exponent - 1;  // power of ten of the first digit
  return magnitude >= kNumberExponentMin && magnitude <= kNumberExponentMax;
}

core::Status attribute_error(std::string_view name, std::string_view reason) {
  return sqs_error(kInvalidParameterValue,
                   "Message (user) attribute '" + std::string(name) + "' " + std::string(reason));
}

core::Status validate_attribute_value(const std::string& name, const MessageAttributeValue& v) {
  std::string_view base = base_type(v.data_type);
  if (v.data_type.empty()) return attribute_error(name, "must contain a non-empty DataType.");
  if (base.empty() || v.data_type.size() > kDataTypeLengthMax) {
    return attribute_error(name,
                           "has an invalid message attribute type, the set of supported type "
                           "prefixes is Binary, Number, and String.");
  }
  if (base == "Binary") {
    if (!v.binary_value || v.binary_value->empty() || v.string_value) {
      return attribute_error(name, "must contain a non-empty value of type 'Binary'.");
    }
    return core::Status::ok();
  }
  if (!v.string_value || v.string_value->empty() || v.binary_value) {
    return attribute_error(name,
                           "must contain a non-empty value of type '" + std::string(base) + "'.");
  }
  if (!has_only_allowed_characters(*v.string_value)) {
    return sqs_error(kInvalidParameterValue, "Message (user) attribute '" + name +
                                                 "' contains characters outside the allowed set.");
  }
  if (base == "Number" && !is_valid_number(*v.string_value)) {
    return sqs_error(kInvalidParameterValue,
                     "Value " + *v.string_value + " for parameter MessageAttributes." + name +
                         " is invalid. Reason: Can't be converted to a Number of at most 38 "
                         "digits between 10^-128 and 10^126.");
  }
  return core::Status::ok();
}

}  // namespace

std::string md5_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // The digest is fetched once and the context reused: OpenSSL 3 looks EVP_md5() up in its
  // provider tables on every call, and building a context per digest cost more than the MD5.
  static EVP_MD* const kMd5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                               &EVP_MD_CTX_free);
  int ok = EVP_DigestInit_ex2(context.get(), kMd5, nullptr) == 1 &&
           EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) == 1 &&
           EVP_DigestFinal_ex(context.get(), digest, &length) == 1;
  assert(ok == 1 && "MD5 cannot fail on valid arguments");
  (void)ok;
  return core::hex_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string encode_message_attributes(const MessageAttributeMap& attributes) {
  std::string out;
  for (const auto& [name, value] : attributes) {
    append_length_prefixed(out, name);
    append_length_prefixed(out, value.data_type);
    if (is_binary_type(value.data_type)) {
      out += static_cast<char>(kTransportBinary);
      append_length_prefixed(out, value.binary_value.value_or(""));
    } else {
      out += static_cast<char>(kTransportString);
      append_length_prefixed(out, value.string_value.value_or(""));
    }
  }
  return out;
}

std::optional<MessageAttributeMap> decode_message_attributes(std::string_view bytes) {
  MessageAttributeMap out;
  std::size_t at = 0;
  while (at < bytes.size()) {
    auto name = read_length_prefixed(bytes, at);
    if (!name) return std::nullopt;
    auto type = read_length_prefixed(bytes, at);
    if (!type || at >= bytes.size()) return std::nullopt;
    auto transport = static_cast<std::uint8_t>(bytes[at++]);
    auto value = read_length_prefixed(bytes, at);
    if (!value) return std::nullopt;
    MessageAttributeValue v{*type, std::nullopt, std::nullopt};
    if (transport == kTransportBinary) {
      v.binary_value = std::move(*value);
    } else {
      v.string_value = std::move(*value);
    }
    out.emplace(std::move(*name), std::move(v));
  }
  return out;
}

std::string md5_of_message_attributes(const MessageAttributeMap& attributes) {
  return md5_hex(encode_message_attributes(attributes));
}

std::int64_t message_size(std::string_view body, const MessageAttributeMap& attributes) {
  auto size = static_cast<std::int64_t>(body.size());
  for (const auto& [name, value] : attributes) {
    size += static_cast<std::int64_t>(name.size() + value.data_type.size());
    size += static_cast<std::int64_t>(value.string_value.value_or("").size() +
                                      value.binary_value.value_or("").size());
  }
  return size;
}

bool has_only_allowed_characters(std::string_view text) {
  if (!core::is_valid_utf8(text)) return false;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<std::uint8_t>(text[i]);
    std::uint32_t cp = 0;
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<std::uint8_t>(text[i + k]) & 0x3F);
    i += static_cast<std::size_t>(n);
    bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
              (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    if (!ok) return false;
  }
  return true;
}

core::Status validate_message_body(std::string_view body) {
  if (body.empty()) return missing_parameter("MessageBody");
  if (!has_only_allowed_characters(body)) {
    return sqs_error(kInvalidMessageContents,
                     "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | "
                     "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
  }
  return core::Status::ok();
}

core::Status validate_message_attributes(const MessageAttributeMap& attributes) {
  if (attributes.size() > kMessageAttributesMax) {
    return sqs_error(kInvalidParameterValue, "Number of message attributes [" +
                                                 std::to_string(attributes.size()) +
                                                 "] exceeds the allowed maximum [10].");
  }
  for (const auto& [name, value] : attributes) {
    if (!is_valid_attribute_name(name)) {
      return sqs_error(kInvalidParameterValue,
                       "Message (user) attribute name '" + name +
                           "' is invalid. Names are 1-256 characters of A-Z, a-z, 0-9, _, - "
                           "and ., not starting with AWS. or Amazon., without a leading or "
                           "trailing period or two periods in a row.");
    }
    if (core::Status s = validate_attribute_value(name, value); !s.is_ok()) return s;
  }
  return core::Status::ok();
}

core::Status validate_message_system_attributes(const MessageAttributeMap& attributes) {
  for (const auto& [name, value] : attributes) {
    if (name != "AWSTraceHeader") {
      return sqs_error(kInvalidParameterValue,
                       "Message system attribute name '" + name + "' is invalid.");
    }
    if (value.data_type != "String" || !value.string_value || value.string_value->empty() ||
        value.binary_value) {
      return sqs_error(kInvalidParameterValue,
                       "Message system attribute 'AWSTraceHeader' must contain a non-empty value "
                       "of type 'String'.");
    }
  }
  return core::Status::ok();
}

core::Status validate_fifo_id(std::string_view parameter, std::string_view value) {
  bool ok = !value.empty() && value.size() <= kFifoIdLengthMax;
  for (char c : value) {
    if (c < 0x21 || c > 0x7e) ok = false;  // alphanumeric and punctuation only
  }
  if (ok) return core::Status::ok();
  return sqs_error(kInvalidParameterValue,
                   "Value " + std::string(value) + " for parameter " + std::string(parameter) +
                       " is invalid. Reason: " + std::string(parameter) +
                       " can only include alphanumeric and punctuation characters. 1 to 128 in "
                       "length.");
}

bool is_valid_batch_entry_id(std::string_view id) {
  if (id.empty() || id.size() > kBatchEntryIdLengthMax) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

core::Status validate_queue_name(std::string_view name, bool fifo) {
  if (name.empty()) return missing_parameter("QueueName");
  constexpr std::string_view kFifoSuffix = ".fifo";
  bool has_suffix = name.size() > kFifoSuffix.size() &&
                    name.substr(name.size() - kFifoSuffix.size()) == kFifoSuffix;
  std::string_view stem = has_suffix ? name.substr(0, name.size() - kFifoSuffix.size()) : name;
  bool ok = name.size() <= kQueueNameLengthMax && has_suffix == fifo;
  for (char c : stem) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-')) {
      ok = false;
    }
  }
  if (ok) return core::Status::ok();
  if (fifo) {
    return sqs_error(kInvalidParameterValue,
                     "The name of a FIFO queue can only include alphanumeric characters, hyphens, "
                     "or underscores, must end with .fifo suffix and be 1 to 80 in length.");
  }
  return sqs_error(kInvalidParameterValue,
                   "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 "
                   "in length");
}

bool attribute_filter_matches(std::string_view filter, std::string_view name) {
  if (filter == "All" || filter == ".*" || filter == "*") return true;
  if (filter.size() > 2 && filter.substr(filter.size() - 2) == ".*") {
    // AWS treats "Hel.*" as the prefix "Hel": it selects "Hello" and "Help.Me" (reference 3.5).
    std::string_view prefix = filter.substr(0, filter.size() - 2);
    return name.substr(0, prefix.size()) == prefix;
  }
  return filter == name;
}

}  // namespace twin::fakes::sqs
