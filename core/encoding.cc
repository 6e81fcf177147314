#include "core/encoding.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "core/json_text.h"

namespace twin::core {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> make_base64_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < kBase64Alphabet.size(); ++i) {
    table[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr auto kBase64Table = make_base64_table();

// The two letters that encode each 12-bit value: three bytes are two lookups, not four.
constexpr auto kBase64Pairs = [] {
  std::array<char, 2 * 4096> pairs{};
  for (std::size_t i = 0; i < 4096; ++i) {
    pairs[2 * i] = kBase64Alphabet[i >> 6];
    pairs[2 * i + 1] = kBase64Alphabet[i & 63];
  }
  return pairs;
}();

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  base64_encode_into(out, bytes);
  return out;
}

void base64_encode_into(std::string& out, std::string_view bytes) {
  // Written through a pointer into a presized string: receipt handles and request ids are
  // encoded on every queue receive and gateway request, and a checked append per character
  // cost more than the encoding itself.
  out.assign((bytes.size() + 2) / 3 * 4, '=');
  char* o = out.data();
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  auto put = [&o](std::uint32_t n) {  // the 24 bits of three bytes, as four letters
    std::memcpy(o, &kBase64Pairs[2 * (n >> 12)], 2);
    std::memcpy(o + 2, &kBase64Pairs[2 * (n & 0xFFF)], 2);
    o += 4;
  };
  // Three bytes at a time through one four-byte big-endian load while a fourth byte follows.
  for (; i + 4 <= bytes.size(); i += 3) {
    std::uint32_t word;
    std::memcpy(&word, bytes.data() + i, 4);
    if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap32(word);
    put(word >> 8);
  }
  for (; i + 3 <= bytes.size(); i += 3) put(byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2));
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {  // "xx=="
    std::uint32_t n = byte(i) << 16;
    *o++ = kBase64Alphabet[n >> 18 & 63];
    *o++ = kBase64Alphabet[n >> 12 & 63];
  } else if (rest == 2) {  // "xxx="
    std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8;
    *o++ = kBase64Alphabet[n >> 18 & 63];
    *o++ = kBase64Alphabet[n >> 12 & 63];
    *o++ = kBase64Alphabet[n >> 6 & 63];
  }
}

std::optional<std::string> base64_decode(std::string_view text) {
  // Written through a pointer into a presized string, then trimmed by the padding.
  std::string out(base64_decoded_room(text.size()), '\0');
  const std::optional<std::size_t> n = base64_decode_to(out.data(), text);
  if (!n) return std::nullopt;
  out.resize(*n);
  return out;
}

std::optional<std::size_t> base64_decode_to(char* const out, std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  char* o = out;
  // Every quantum but the last holds four letters of the alphabet: one test of the four
  // looked-up values (any -1 is negative) instead of one per letter and per padding rule.
  std::size_t i = 0;
  for (; i + 4 < text.size(); i += 4) {
    const auto value = [&](std::size_t k) {
      return static_cast<std::int32_t>(kBase64Table[static_cast<unsigned char>(text[i + k])]);
    };
    const std::int32_t a = value(0), b = value(1), c = value(2), d = value(3);
    if ((a | b | c | d) < 0) return std::nullopt;
    const auto n = static_cast<std::uint32_t>(a << 18 | b << 12 | c << 6 | d);
    *o++ = static_cast<char>(n >> 16 & 0xFF);
    *o++ = static_cast<char>(n >> 8 & 0xFF);
    *o++ = static_cast<char>(n & 0xFF);
  }
  for (; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    std::uint32_t n = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      char c = text[i + k];
      if (c == '=' && last && k >= 2) {
        // Padding may only close the final quantum: "xx==" or "xxx=".
        if (k == 2 && text[i + 3] != '=') return std::nullopt;
        ++pad;
        n <<= 6;
        continue;
      }
      if (pad > 0) return std::nullopt;
      std::int8_t v = kBase64Table[static_cast<unsigned char>(c)];
      if (v < 0) return std::nullopt;
      n = n << 6 | static_cast<std::uint32_t>(v);
    }
    // Bits that padding drops must be zero, or the text is not canonical base64.
    if ((pad == 1 && (n & 0xFF) != 0) || (pad == 2 && (n & 0xFFFF) != 0)) return std::nullopt;
    *o++ = static_cast<char>(n >> 16 & 0xFF);
    if (pad < 2) *o++ = static_cast<char>(n >> 8 & 0xFF);
    if (pad < 1) *o++ = static_cast<char>(n & 0xFF);
  }
  return static_cast<std::size_t>(o - out);
}

std::optional<std::string> form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi << 4 | lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
                      u == '-' || u == '.' || u == '_' || u == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::optional<std::vector<FormField>> parse_form(std::string_view body, std::string* error) {
  std::vector<FormField> fields;
  while (!body.empty()) {
    std::size_t amp = body.find('&');
    std::string_view segment = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (segment.empty()) continue;
    std::size_t eq = segment.find('=');
    std::string_view raw_name = segment.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view{} : segment.substr(eq + 1);
    auto name = form_decode(raw_name);
    auto value = form_decode(raw_value);
    if (!name || !value) {
      if (error) *error = "bad percent-escape in form field '" + std::string(raw_name) + "'";
      return std::nullopt;
    }
    // Percent-escapes can spell bytes that are not UTF-8 (Body=%FF) in a body that is.
    if (!is_valid_utf8(*name) || !is_valid_utf8(*value)) {
      if (error) *error = "form field '" + std::string(raw_name) + "' is not valid UTF-8";
      return std::nullopt;
    }
    fields.emplace_back(std::move(*name), std::move(*value));
  }
  return fields;
}

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(at);
  if (c < 0x80) return 1;
  std::size_t len;
  std::uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;  // continuation byte, overlong lead (C0, C1) or beyond F4
  }
  if (at + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    unsigned char cc = byte(at + k);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (cc & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;  // overlong
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;                            // surrogate
  if (cp > 0x10FFFF) return 0;
  return len;
}

bool is_valid_utf8(std::string_view text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  std::size_t i = 0;
  while (i < text.size()) {
    // ASCII in blocks: every string of an event is checked before it is handed over typed.
    i = static_cast<std::size_t>(json_text::skip_ascii(begin + i, end) - begin);
    if (i == text.size()) break;
    std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

namespace {

// The index of the first byte of text[from..) that a JSON string cannot hold as it is;
// text.size() when there is none.
std::size_t find_json_special(std::string_view text, std::size_t from) {
  const char* end = text.data() + text.size();
  return static_cast<std::size_t>(json_text::find_special(text.data() + from, end, false) -
                                  text.data());
}

// find_json_special for texts shorter than a 16-byte block (names, ids, small values: most of
// what is written): eight bytes at a time as one integer, from four bytes on; only a text with
// a special byte or of one to three bytes is looked at byte by byte.
std::size_t short_json_special(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  // A byte of x is zero exactly when the matching high bit of this is set (for any x).
  auto zero_bytes = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  auto special = [&](std::uint64_t x) {
    return ((x - kOnes * 0x20) & ~x & kHigh) | zero_bytes(x ^ (kOnes * '"')) |
           zero_bytes(x ^ (kOnes * '\\'));
  };
  if (text.size() >= 8) {
    std::uint64_t head, tail;
    std::memcpy(&head, text.data(), 8);
    std::memcpy(&tail, text.data() + text.size() - 8, 8);
    if ((special(head) | special(tail)) == 0) return text.size();
  } else if (text.size() >= 4) {  // the first four bytes and the last four, which overlap
    std::uint32_t head, tail;
    std::memcpy(&head, text.data(), 4);
    std::memcpy(&tail, text.data() + text.size() - 4, 4);
    if (special(head | static_cast<std::uint64_t>(tail) << 32) == 0) return text.size();
  }
  return find_json_special(text, 0);
}

// The index of the first byte of `text` that needs an escape, or text.size(). Inlined into
// the writers, which call it for every value.
[[gnu::always_inline]] inline std::size_t first_json_special(std::string_view text) {
  return text.size() < 16 ? short_json_special(text) : find_json_special(text, 0);
}

// Writes the escape of the special byte `c` at `p`; returns its end.
char* write_escape(char* p, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (const char e = json_text::kEscapeLetters[c]; e != 0) {
    p[0] = '\\';
    p[1] = e;
    return p + 2;
  }
  std::memcpy(p, "\\u00", 4);
  p[4] = kHex[c >> 4];
  p[5] = kHex[c & 15];
  return p + 6;
}

// Writes the 16-byte block at `block` escaped at `p` and returns the end. `special` marks its
// special bytes, and `tail` is how many of its bytes are the text's (16 for a whole block). The
// plain runs are copied sixteen bytes at a time from `copy`, which holds the block and at least
// 15 readable bytes after it; `p` needs kBlockBytes of room beyond what is kept.
inline char* write_escaped_block(char* p, const char* block, const char* copy,
                                 json_text::SpecialBytes special, std::size_t tail) {
  constexpr std::size_t kBlock = json_text::kBlockBytes;
  std::size_t at = 0;  // the first byte of the block not written yet
  const unsigned quoted = special.quotes | special.backslashes;
  if (special.others == 0) {
    // Only quotes and backslashes (JSON-in-JSON): each is written as a backslash and then
    // itself, as the first byte of the run after it.
    for (unsigned mask = quoted; mask != 0; mask &= mask - 1) {
      const auto b = static_cast<std::size_t>(__builtin_ctz(mask));
      std::memcpy(p, copy + at, kBlock);
      p += b - at;
      *p++ = '\\';
      at = b;
    }
  } else {
    for (unsigned mask = quoted | special.others; mask != 0; mask &= mask - 1) {
      const auto b = static_cast<std::size_t>(__builtin_ctz(mask));
      std::memcpy(p, copy + at, kBlock);
      p += b - at;
      p = write_escape(p, static_cast<unsigned char>(block[b]));
      at = b + 1;
    }
  }
  std::memcpy(p, copy + at, kBlock);
  return p + (tail - at);
}

// Writes `text` escaped at `p`, given that text[first] is the first byte that needs an escape;
// returns the end. Each block of sixteen bytes is tested once: its plain runs are copied whole
// and only its special bytes are looked at one by one. `p` needs kBlockBytes of room beyond
// the escaped text.
char* write_escaped_from(char* p, std::string_view text, std::size_t first) {
  constexpr std::size_t kBlock = json_text::kBlockBytes;
  if (first != 0) std::memcpy(p, text.data(), first);  // text.data() may be null when empty
  p += first;
  const char* in = text.data() + first;
  const char* const end = text.data() + text.size();
  // Blocks with another block after them: their runs are copied from the text itself.
  for (; static_cast<std::size_t>(end - in) >= 2 * kBlock; in += kBlock) {
    p = write_escaped_block(p, in, in, json_text::special_bytes(in, false), kBlock);
  }
  // The last one or two blocks, from a copy padded with plain bytes (masked out of a part
  // block), so that no copy reads past the text.
  while (in != end) {
    const std::size_t tail = std::min(kBlock, static_cast<std::size_t>(end - in));
    char padded[2 * kBlock];
    std::memset(padded, ' ', sizeof padded);
    std::memcpy(padded, in, tail);
    p = write_escaped_block(p, padded, padded, json_text::special_bytes(padded, false), tail);
    in += tail;
  }
  return p;
}

// How many bytes escaping [p, end) adds: one for a two-byte escape, five for \u00XX.
std::size_t escape_growth(const char* p, const char* end) {
  auto growth = [](char c) {
    return json_text::kEscapeLetters[static_cast<unsigned char>(c)] != 0 ? 1 : 5;
  };
  // The specials of the block at p, one by one.
  auto block_growth = [&growth](const char* block) {
    const json_text::SpecialBytes special = json_text::special_bytes(block, false);
    std::size_t n = 0;
    for (unsigned mask = special.quotes | special.backslashes; mask != 0; mask &= mask - 1) ++n;
    for (unsigned mask = special.others; mask != 0; mask &= mask - 1) {
      n += growth(block[__builtin_ctz(mask)]);
    }
    return n;
  };
  constexpr auto kBlock = static_cast<std::ptrdiff_t>(json_text::kBlockBytes);
  std::size_t n = 0;
#if defined(__SSE2__)
  // Quotes and backslashes, the specials of JSON-in-JSON, are counted in sixteen byte lanes at
  // once, each lane added up before it could pass 255; a block with a control byte is counted
  // one special at a time.
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control_max = _mm_set1_epi8(0x1F);
  auto add_up = [&n](__m128i lanes) {
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());  // two 64-bit halves
    n += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
         static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
  };
  __m128i lanes = _mm_setzero_si128();
  int blocks_in_lanes = 0;
  for (; end - p >= kBlock; p += kBlock) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, control_max), control_max)) != 0) {
      n += block_growth(p);
      continue;
    }
    // A match is all ones, -1: subtracting it adds one to its lane.
    lanes =
        _mm_sub_epi8(lanes, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (++blocks_in_lanes == 255) {
      add_up(lanes);
      lanes = _mm_setzero_si128();
      blocks_in_lanes = 0;
    }
  }
  add_up(lanes);
#else
  for (; end - p >= kBlock; p += kBlock) n += block_growth(p);
#endif
  for (; p != end; ++p) n += json_text::is_special(*p, false) ? growth(*p) : 0;
  return n;
}

// Appends `text` escaped, given that text[first] is the first byte that needs an escape: sized
// exactly (plus the writer's slack, trimmed), so that a caller that reserved for the escaped
// text never reallocates.
void append_escaped_from(std::string& out, std::string_view text, std::size_t first) {
  const std::size_t start = out.size();
  const std::size_t escaped =
      text.size() + escape_growth(text.data() + first, text.data() + text.size());
  out.resize(start + escaped + kJsonEscapeSlackBytes);
  write_escaped_from(out.data() + start, text, first);
  out.resize(start + escaped);
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  const std::size_t first = first_json_special(text);
  out += '"';
  if (first == text.size()) {  // the common case: nothing to escape
    out.append(text);
  } else {
    append_escaped_from(out, text, first);
  }
  out += '"';
}

char* write_json_escaped(char* out, std::string_view text) {
  const std::size_t first = first_json_special(text);
  if (first == text.size()) return json_text::copy_bytes(out, text.data(), text.size());
  return write_escaped_from(out, text, first);
}

namespace {

// write_json_escaped_twice past text[first], the first byte that needs an escape: the first
// escape goes through a buffer. Rare (a quote or a control byte in a value), so kept out of
// line, and the usual call saves no registers for it.
[[gnu::noinline]] char* write_escaped_twice_from(char* out, std::string_view text,
                                                 std::size_t first) {
  std::string once(json_escaped_room(text.size()), '\0');
  once.resize(static_cast<std::size_t>(write_escaped_from(once.data(), text, first) - once.data()));
  return write_json_escaped(out, once);
}

}  // namespace

char* write_json_escaped_twice(char* out, std::string_view text) {
  const std::size_t first = first_json_special(text);
  if (first == text.size()) return json_text::copy_bytes(out, text.data(), text.size());
  return write_escaped_twice_from(out, text, first);
}

std::size_t json_escaped_size(std::string_view text) {
  const std::size_t first = first_json_special(text);
  if (first == text.size()) return text.size();
  return text.size() + escape_growth(text.data() + first, text.data() + text.size());
}

void append_json_escaped(std::string& out, std::string_view text) {
  const std::size_t first = first_json_special(text);
  if (first == text.size()) {
    out.append(text);
  } else {
    append_escaped_from(out, text, first);
  }
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kHex[b >> 4];
    out[2 * i + 1] = kHex[b & 15];
  }
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Names mostly come as they are looked up (x-api-key): a word at a time first.
  if (json_text::same_bytes(a.data(), b.data(), a.size())) return true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace twin::core
