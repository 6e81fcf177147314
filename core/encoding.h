// Text encodings the handler meets at its edges: base64 bodies, form-urlencoded Twilio
// webhooks, UTF-8 validation, ASCII case folding.
//
// Owned by core; pure functions, no state.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twin::core {

// Lower-case hexadecimal, two digits per byte (digests as AWS and Twilio print them).
std::string hex_encode(std::string_view bytes);

// Standard base64 (RFC 4648 section 4) with padding.
std::string base64_encode(std::string_view bytes);
// The same, written over `out`, whose capacity is kept: for encoding on every request.
void base64_encode_into(std::string& out, std::string_view bytes);
// Strict decoder: the standard alphabet, length a multiple of 4, padding only at the end,
// unused bits zero. nullopt on anything else.
std::optional<std::string> base64_decode(std::string_view text);
// The same into `out`, which has room for base64_decoded_room(text.size()) bytes: the number
// of bytes written, nullopt as above. For short texts decoded often (receipt handles), into a
// buffer on the stack.
constexpr std::size_t base64_decoded_room(std::size_t text_bytes) { return text_bytes / 4 * 3; }
std::optional<std::size_t> base64_decode_to(char* out, std::string_view text);

// Percent-decoding for application/x-www-form-urlencoded ('+' is a space). nullopt when a '%'
// is not followed by two hex digits.
std::optional<std::string> form_decode(std::string_view text);
// Percent-encoding of everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);

using FormField = std::pair<std::string, std::string>;
// Splits and decodes a form body into its fields, in order, keeping repeated names. Empty
// segments ("a=1&&b=2") are skipped; a segment without '=' is a name with an empty value.
// nullopt with `error` set when a name or value has a bad escape or decodes to bytes that are
// not UTF-8.
std::optional<std::vector<FormField>> parse_form(std::string_view body, std::string* error);

// Appends `text` as a JSON string literal, escaped the way Boost.JSON's serializer escapes
// (quotes, backslashes, control characters; other bytes as they are).
void append_json_string(std::string& out, std::string_view text);
// The same without the quotes: `text` escaped, for a caller that writes one JSON string from
// several pieces.
void append_json_escaped(std::string& out, std::string_view text);
// True when `text` can be written between quotes as it is: printable ASCII, no quote, no
// backslash. For names fixed in the code, checked when the program is compiled.
constexpr bool is_plain_json_text(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\' || static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
  }
  return true;
}
// The same into a buffer: writes `text` escaped at `out` and returns the end of what it wrote.
// `out` must have room for the escaped text plus kJsonEscapeSlackBytes, the slack of the
// writer's 16-byte stores, which may write past the end of the escaped text but never past
// that room. json_escaped_room(text.size()) is that room for any text (a control byte becomes
// \u00XX); json_escaped_size(text) + kJsonEscapeSlackBytes is it exactly.
inline constexpr std::size_t kJsonEscapedBytesMax = 6;
inline constexpr std::size_t kJsonEscapeSlackBytes = 16;
constexpr std::size_t json_escaped_room(std::size_t bytes) {
  return kJsonEscapedBytesMax * bytes + kJsonEscapeSlackBytes;
}
char* write_json_escaped(char* out, std::string_view text);
// How many bytes `text` takes escaped (without the quotes).
std::size_t json_escaped_size(std::string_view text);
// `text` escaped twice, for a JSON text that is itself written as the content of a JSON string
// (a Lambda response's body): escaping the escape of a byte takes at most seven bytes (a
// control byte's \u00XX becomes \\u00XX). `out` needs json_escaped_twice_room(text.size()).
inline constexpr std::size_t kJsonEscapedTwiceBytesMax = 7;
constexpr std::size_t json_escaped_twice_room(std::size_t bytes) {
  return kJsonEscapedTwiceBytesMax * bytes + kJsonEscapeSlackBytes;
}
char* write_json_escaped_twice(char* out, std::string_view text);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool is_valid_utf8(std::string_view text);
// Length of the well-formed UTF-8 sequence starting at text[at] (1 for ASCII), 0 if malformed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

std::string ascii_lower(std::string_view text);
constexpr char ascii_lower_char(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
bool ascii_iequals(std::string_view a, std::string_view b);
// Removes ASCII white space at both ends. Inline: most texts have none, which costs two tests.
inline std::string_view trim(std::string_view text) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace twin::core
