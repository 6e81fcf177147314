#include "core/events/json_scan.h"

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

bool JsonScanner::decode_string(const char* begin, const char* stop, std::string_view& out,
                                std::string& buffer, bool append) {
  // Decoded text is never longer than its escaped form, so room as long as the rest of the text
  // holds it and the 16-byte stores below.
  const std::size_t at = append ? buffer.size() : 0;
  const auto room = static_cast<std::size_t>(end_ - begin);
  if (append && buffer.capacity() - at < room) return fail();  // views of `buffer` would move
  buffer.resize(at + room);
  char* const first = buffer.data() + at;
  char* o = first + (stop - begin);
  std::memcpy(first, begin, static_cast<std::size_t>(stop - begin));
  const char* i = stop;
  bool escaped = false;
  for (;;) {
    if (i == end_) return fail();
    auto c = static_cast<unsigned char>(*i);
    if (c == '"') break;
    if (c < 0x20) return fail();
    if (c >= 0x80) {
      std::size_t len =
          utf8_sequence_length(std::string_view(i, static_cast<std::size_t>(end_ - i)), 0);
      if (len == 0) return fail();
      std::memcpy(o, i, len);
      o += len;
      i += len;
    } else {  // a backslash
      escaped = true;
      if (end_ - i < 2) return fail();
      switch (i[1]) {
        case '"':
        case '\\':
        case '/':
          *o++ = i[1];
          break;
        case 'b':
          *o++ = '\b';
          break;
        case 'f':
          *o++ = '\f';
          break;
        case 'n':
          *o++ = '\n';
          break;
        case 'r':
          *o++ = '\r';
          break;
        case 't':
          *o++ = '\t';
          break;
        case 'u': {
          const std::string_view rest(i, static_cast<std::size_t>(end_ - i));
          std::size_t next = 0;
          long cp = unicode_escape(rest, 1, next);
          if (cp < 0) return fail();
          o = append_utf8(o, cp);
          i += next - 2;  // one or two \uXXXX; the common step below adds the last two bytes
          break;
        }
        default:
          return fail();
      }
      i += 2;
    }
    // The next plain run (the buffer is as long as the rest of the text, which leaves
    // copy_plain the room it needs).
    json_text::copy_plain(i, end_, o, true);
  }
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
