#include "core/events/json_scan.h"

#include <array>
#include <cstring>

#include "core/encoding.h"

namespace twin::core {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at text[at..at+4) as a code unit, or -1.
long hex4(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return -1;
  long unit = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    int d = hex_digit(text[at + k]);
    if (d < 0) return -1;
    unit = unit << 4 | d;
  }
  return unit;
}

// Reads the \u escape whose 'u' is at text[at]: one code unit, or a surrogate pair written as
// two escapes. Returns the code point and sets `next` past the escape, or -1 (lone surrogate,
// bad hex).
long unicode_escape(std::string_view text, std::size_t at, std::size_t& next) {
  long unit = hex4(text, at + 1);
  if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return -1;
  next = at + 5;
  if (unit < 0xD800 || unit > 0xDBFF) return unit;
  if (next + 6 > text.size() || text[next] != '\\' || text[next + 1] != 'u') return -1;
  long low = hex4(text, next + 2);
  if (low < 0xDC00 || low > 0xDFFF) return -1;
  next += 6;
  return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
}

// Writes code point `cp` as UTF-8 at p (an escape of 6 or 12 bytes always has room for it).
char* append_utf8(char* p, long cp) {
  auto put = [&p](long byte) { *p++ = static_cast<char>(byte); };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | cp >> 6);
    put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | cp >> 12);
    put(0x80 | (cp >> 6 & 0x3F));
    put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | cp >> 18);
    put(0x80 | (cp >> 12 & 0x3F));
    put(0x80 | (cp >> 6 & 0x3F));
    put(0x80 | (cp & 0x3F));
  }
  return p;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

void JsonScanner::skip_space_run() {
  while (p_ != end_ && is_space(*p_)) ++p_;
}

bool JsonScanner::next_key_is_spaced(std::string_view name) {
  skip_space();
  const char* p = p_;
  if (!first_) {
    if (p == end_ || *p != ',') return false;
    ++p;
    while (p != end_ && is_space(*p)) ++p;
  }
  const std::size_t n = name.size();
  if (static_cast<std::size_t>(end_ - p) < n + 3 || p[0] != '"' || p[n + 1] != '"' ||
      !json_text::same_bytes(p + 1, name.data(), n)) {
    return false;
  }
  p += n + 2;
  while (p != end_ && is_space(*p)) ++p;
  if (p == end_ || *p != ':') return false;
  p_ = p + 1;
  first_ = false;
  return true;
}

bool JsonScanner::finish_string(const char*& stop, bool& escaped) {
  const std::string_view text(p_, static_cast<std::size_t>(end_ - p_));
  std::size_t i = static_cast<std::size_t>(stop - p_);
  const std::size_t n = text.size();
  for (;;) {
    if (i >= n) return fail();
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '"') {
      stop = p_ + i;
      return true;
    }
    if (c < 0x20) return fail();
    if (c >= 0x80) {
      std::size_t len = utf8_sequence_length(text, i);
      if (len == 0) return fail();
      i += len;
    } else {  // a backslash
      escaped = true;
      if (i + 1 >= n) return fail();
      char e = text[i + 1];
      if (e == 'u') {
        std::size_t next = 0;
        if (unicode_escape(text, i + 1, next) < 0) return fail();
        i = next;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't') {
        i += 2;
      } else {
        return fail();
      }
    }
    i = static_cast<std::size_t>(json_text::find_special(p_ + i, end_, true) - p_);
  }
}

const char* JsonScanner::decode_special(const char* i, char*& o, bool& escaped) const {
  const auto c = static_cast<unsigned char>(*i);
  if (c >= 0x80) {
    const std::size_t len =
        utf8_sequence_length(std::string_view(i, static_cast<std::size_t>(end_ - i)), 0);
    if (len == 0) return nullptr;
    std::memcpy(o, i, len);
    o += len;
    return i + len;
  }
  if (c != '\\' || end_ - i < 2) return nullptr;  // a control byte, or a string cut short
  escaped = true;
  const auto e = static_cast<unsigned char>(i[1]);
  if (e < json_text::kUnescapedBytes.size() && json_text::kUnescapedBytes[e] != 0) {
    *o++ = json_text::kUnescapedBytes[e];
    return i + 2;
  }
  if (e != 'u') return nullptr;
  std::size_t next = 0;
  const long cp = unicode_escape(std::string_view(i, static_cast<std::size_t>(end_ - i)), 1, next);
  if (cp < 0) return nullptr;
  o = append_utf8(o, cp);
  return i + next;
}

bool JsonScanner::decode_string(const char* begin, const char* stop, std::string_view& out,
                                std::string& buffer, bool append) {
  constexpr std::size_t kBlock = json_text::kBlockBytes;
  // Decoded text is never longer than its escaped form, so room as long as the rest of the text
  // holds it, plus the slack of the 16-byte stores below.
  const std::size_t at = append ? buffer.size() : 0;
  const auto room = static_cast<std::size_t>(end_ - begin) + kDecodeSlackBytes;
  if (append && buffer.capacity() - at < room) return fail();  // views of `buffer` would move
  buffer.resize(at + room);
  char* const first = buffer.data() + at;
  char* o = first + (stop - begin);
  std::memcpy(first, begin, static_cast<std::size_t>(stop - begin));
  const char* i = stop;
  bool escaped = false;
  // While a whole block is left, each is tested once: its plain runs are copied sixteen bytes
  // at a time and only its special bytes are looked at one by one. The runs are copied from the
  // text while another block follows, else from a padded copy, so no copy reads past the text.
  while (static_cast<std::size_t>(end_ - i) >= kBlock) {
    const char* const block = i;
    char padded[2 * kBlock];
    const char* copy = block;
    if (static_cast<std::size_t>(end_ - block) < 2 * kBlock) {
      std::memset(padded + kBlock, ' ', kBlock);
      std::memcpy(padded, block, kBlock);
      copy = padded;
    }
    const json_text::SpecialBytes special = json_text::special_bytes(block, true);
    std::size_t done = 0;  // the bytes of the block decoded so far
    // A backslash in the last byte escapes the byte after the block.
    const bool straddles = (special.backslashes & 0x8000u) != 0;
    if (special.others == 0 && ((special.backslashes << 1) & 0xFFFFu) == special.quotes &&
        (!straddles || (block + kBlock < end_ && block[kBlock] == '"'))) {
      // Every special byte is an escaped quote (JSON-in-JSON): each backslash is dropped and
      // its quote copied as the first byte of the run after it.
      for (unsigned mask = special.backslashes; mask != 0; mask &= mask - 1) {
        const auto b = static_cast<std::size_t>(__builtin_ctz(mask));
        std::memcpy(o, copy + done, kBlock);
        o += b - done;
        done = b + 1;
        escaped = true;
      }
      if (straddles) {
        *o++ = '"';
        i = block + kBlock + 1;
      } else {
        std::memcpy(o, copy + done, kBlock);
        o += kBlock - done;
        i = block + kBlock;
      }
      continue;
    }
    unsigned mask = special.quotes | special.backslashes | special.others;
    while (mask != 0) {
      const auto b = static_cast<std::size_t>(__builtin_ctz(mask));
      std::memcpy(o, copy + done, kBlock);
      o += b - done;
      const char* here = block + b;
      const char* next;
      const auto after = static_cast<unsigned char>(here + 1 < end_ ? here[1] : 0);
      if (*here == '\\' && after < json_text::kUnescapedBytes.size() &&
          json_text::kUnescapedBytes[after] != 0) {
        *o++ = json_text::kUnescapedBytes[after];  // the usual escape, inline
        escaped = true;
        next = here + 2;
      } else if (*here == '"') {
        i = here;
        goto closed;
      } else {
        next = decode_special(here, o, escaped);
        if (next == nullptr) return fail();
      }
      done = static_cast<std::size_t>(next - block);
      if (done >= kBlock) break;
      mask &= ~0u << done;  // the bytes the escape or sequence took are not looked at again
    }
    if (done < kBlock) {
      std::memcpy(o, copy + done, kBlock);
      o += kBlock - done;
      done = kBlock;
    }
    i = block + done;
  }
  // The last bytes one at a time.
  for (;;) {
    if (i == end_) return fail();
    if (*i == '"') break;
    if (!json_text::is_special(*i, true)) {
      *o++ = *i++;
      continue;
    }
    i = decode_special(i, o, escaped);
    if (i == nullptr) return fail();
  }
closed:
  p_ = i + 1;
  if (!escaped) {
    buffer.resize(at);
    out = std::string_view(begin, static_cast<std::size_t>(i - begin));
  } else {
    buffer.resize(at + static_cast<std::size_t>(o - first));
    out = std::string_view(buffer.data() + at, static_cast<std::size_t>(o - first));
  }
  return true;
}

bool JsonScanner::boolean(bool& out) {
  Kind k = peek();
  if (k != Kind::kTrue && k != Kind::kFalse) return fail();
  out = k == Kind::kTrue;
  return literal(out ? "true" : "false");
}

bool JsonScanner::number(std::string_view& text) {
  if (failed_) return false;
  skip_space();
  const char* i = p_;
  if (i < end_ && *i == '-') ++i;
  if (i >= end_ || !is_digit(*i)) return fail();
  if (*i == '0') {
    ++i;
  } else {
    while (i < end_ && is_digit(*i)) ++i;
  }
  if (i < end_ && *i == '.') {
    ++i;
    if (i >= end_ || !is_digit(*i)) return fail();
    while (i < end_ && is_digit(*i)) ++i;
  }
  // Exponents are valid JSON but left to Boost.JSON, whose range rules are its own.
  if (i < end_ && (*i == 'e' || *i == 'E')) return fail();
  // So are numbers too long to be read exactly.
  if (i - p_ > 19) return fail();
  text = std::string_view(p_, static_cast<std::size_t>(i - p_));
  p_ = i;
  return true;
}

bool JsonScanner::integer(std::int64_t& out) {
  std::string_view text;
  if (!number(text)) return false;
  bool negative = text.front() == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (digits.size() > 18 || digits.find('.') != std::string_view::npos) return fail();
  std::int64_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  out = negative ? -value : value;
  return true;
}

bool JsonScanner::skip() {
  std::string_view ignored;
  switch (peek()) {
    case Kind::kObject:
      if (!begin_object()) return false;
      while (next_key(ignored)) {
        if (!skip()) return false;
      }
      return !failed_;
    case Kind::kArray:
      if (!begin_array()) return false;
      while (next_element()) {
        if (!skip()) return false;
      }
      return !failed_;
    case Kind::kString: {  // checked, never decoded
      const char* stop = json_text::find_special(++p_, end_, true);
      bool escaped = false;
      if ((stop == end_ || *stop != '"') && !finish_string(stop, escaped)) return false;
      p_ = stop + 1;
      return true;
    }
    case Kind::kNumber:
      return number(ignored);
    case Kind::kTrue:
      return literal("true");
    case Kind::kFalse:
      return literal("false");
    case Kind::kNull:
      return literal("null");
    default:
      return fail();
  }
}

}  // namespace twin::core
