// JsonScanner: a strict pull reader over one JSON text that builds nothing, for the fast path
// of reading events and request bodies.
//
// Owned by core; one scanner per text, single-threaded, no allocation except when a string
// with escapes is decoded into a caller's buffer.
//
// The contract is one-sided. The scanner accepts a subset of JSON (RFC 8259 with Boost.JSON's
// default limits) and fails on anything it is not sure of: a syntax error, a nesting deeper
// than kDepthMax, an escape in an object key, a lone UTF-16 surrogate, a number it would have
// to round. It never says why: a caller that gets `false` reads the same text again with
// Boost.JSON, which either accepts it or names the error and its JSON path. So the only
// property that matters is that everything the scanner accepts, Boost.JSON accepts with the
// same values; tests/core/json_scan_test.cc checks that on every fixture and on mutations of
// them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/json_text.h"

namespace twin::core {

class JsonScanner {
 public:
  enum class Kind { kObject, kArray, kString, kNumber, kTrue, kFalse, kNull, kEnd, kInvalid };

  // Nesting deeper than this fails (Boost.JSON's default limit is 32).
  static constexpr int kDepthMax = 24;
  // What a decoded string's buffer needs beyond the text: its 16-byte stores may write past the
  // decoded bytes.
  static constexpr std::size_t kDecodeSlackBytes = json_text::kBlockBytes;

  explicit JsonScanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  // The kind of the next value, after white space. Consumes nothing else.
  Kind peek() {
    if (failed_) return Kind::kInvalid;
    skip_space();
    if (p_ == end_) return Kind::kEnd;
    switch (*p_) {
      case '{':
        return Kind::kObject;
      case '[':
        return Kind::kArray;
      case '"':
        return Kind::kString;
      case 't':
        return Kind::kTrue;
      case 'f':
        return Kind::kFalse;
      case 'n':
        return Kind::kNull;
      default:
        return *p_ == '-' || (*p_ >= '0' && *p_ <= '9') ? Kind::kNumber : Kind::kInvalid;
    }
  }

  // Objects: begin_object() consumes '{'; next_key() reads `"key":` and returns true, or
  // consumes the closing '}' and returns false. Keys are views into the text (a key with an
  // escape fails).
  bool begin_object() { return open('{'); }
  bool next_key(std::string_view& key) {
    if (!next_item('}')) return false;
    if (p_ == end_ || *p_ != '"') return fail();
    const char* begin = ++p_;
    const char* stop = json_text::find_special(p_, end_, true);
    if (stop == end_ || *stop != '"') {
      bool escaped = false;
      if (!finish_string(stop, escaped) || escaped) return fail();
    }
    key = std::string_view(begin, static_cast<std::size_t>(stop - begin));
    p_ = stop + 1;
    skip_space();
    if (p_ == end_ || *p_ != ':') return fail();
    ++p_;
    return true;
  }
  // True when the next member's key is `name` (plain text, as the callers' tables of member
  // names are): consumes it and its colon, as next_key() would. Otherwise it consumes nothing
  // but white space and returns false, and the caller goes on with next_key(): the member may
  // have another name, or the object may end. Readers of events whose members come in a known
  // order try the expected name first, which costs one comparison with the text.
  bool next_key_is(std::string_view name) {
    if (failed_) return false;
    // Events are mostly written without white space: `,"name":` (no comma first) is compared
    // at once, and only a text with white space around it takes the longer way.
    const std::size_t n = name.size();
    if (end_ - p_ >= static_cast<std::ptrdiff_t>(n + (first_ ? 3 : 4)) && (first_ || *p_ == ',')) {
      const char* p = first_ ? p_ : p_ + 1;
      if (p[0] == '"' && p[n + 1] == '"' && p[n + 2] == ':' &&
          json_text::same_bytes(p + 1, name.data(), n)) {
        p_ = p + n + 3;
        first_ = false;
        return true;
      }
    }
    return next_key_is_spaced(name);
  }
  // Arrays: begin_array() consumes '['; next_element() returns true when a value follows, or
  // consumes the closing ']' and returns false.
  bool begin_array() { return open('['); }
  bool next_element() { return next_item(']'); }

  // A string value, decoded: a view into the text when it has no escape, else decoded into
  // `scratch` (replacing its contents) and a view of that.
  bool string(std::string_view& out, std::string& scratch) {
    return read_string(out, scratch, false);
  }
  // The same, except that a decoded string is appended to `kept` instead of replacing it, so
  // that views of the strings decoded before stay valid. `kept` must have the capacity of the
  // whole text plus kDecodeSlackBytes (decoded strings are never longer than their escaped
  // form, so they all fit): a string that would make it reallocate fails instead.
  bool string_kept(std::string_view& out, std::string& kept) {
    return read_string(out, kept, true);
  }
  bool null() { return literal("null"); }
  // Consumes a null and returns true when the next value is null; otherwise consumes nothing
  // but white space and returns false (also after a failure). One word compare: members that
  // are usually null cost little.
  bool take_null() {
    if (failed_) return false;
    skip_space();
    if (end_ - p_ < 4 || !json_text::same_bytes(p_, "null", 4)) return false;
    p_ += 4;
    return true;
  }
  bool boolean(bool& out);
  // An integer without fraction or exponent that fits an int64 (at most 18 digits).
  bool integer(std::int64_t& out);
  // A number's text after checking its grammar (RFC 8259 section 6).
  bool number(std::string_view& text);
  // Any value, checked and discarded.
  bool skip();
  // True when only white space is left and every container was closed.
  bool finish() {
    if (failed_) return false;
    skip_space();
    return depth_ == 0 && p_ == end_;
  }

  bool failed() const { return failed_; }
  // Where the scanner stands in its text: just after what it has read.
  const char* position() const { return p_; }

 private:
  bool fail() {
    failed_ = true;
    return false;
  }
  // Events are mostly written without white space: one comparison rules out every byte above
  // ' ' before the four that are white space are told apart.
  static bool is_space(char c) {
    return static_cast<unsigned char>(c) <= ' ' &&
           (c == ' ' || c == '\n' || c == '\r' || c == '\t');
  }
  // Inline for the usual case of no white space at all; the loop is out of line.
  void skip_space() {
    if (p_ != end_ && static_cast<unsigned char>(*p_) <= ' ') skip_space_run();
  }
  void skip_space_run();
  // next_key_is() where white space may come before or after the comma or the name.
  bool next_key_is_spaced(std::string_view name);
  bool open(char bracket) {
    if (failed_) return false;
    skip_space();
    if (p_ == end_ || *p_ != bracket) return fail();
    ++p_;
    if (++depth_ > kDepthMax) return fail();
    first_ = true;
    return true;
  }
  // Before a member or element: consumes the separating ',' (none before the first) and
  // returns true, or consumes `close` and returns false.
  bool next_item(char close) {
    if (failed_) return false;
    skip_space();
    if (p_ == end_) return fail();
    if (*p_ == close) {
      ++p_;
      --depth_;
      first_ = false;
      return false;
    }
    if (!first_) {
      if (*p_ != ',') return fail();
      ++p_;
      skip_space();
    }
    first_ = false;
    return true;
  }
  bool literal(std::string_view word) {
    if (failed_) return false;
    skip_space();
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return fail();
    }
    p_ += word.size();
    return true;
  }
  // Continues a string from `stop` (a byte find_special stopped at) to its closing quote, which
  // `stop` is left on; checks escapes and UTF-8 and sets `escaped` when there is an escape.
  bool finish_string(const char*& stop, bool& escaped);
  bool read_string(std::string_view& out, std::string& buffer, bool append) {
    if (failed_) return false;
    skip_space();
    if (p_ == end_ || *p_ != '"') return fail();
    const char* begin = ++p_;
    const char* stop = json_text::find_special(p_, end_, true);
    if (stop == end_ || *stop != '"') return decode_string(begin, stop, out, buffer, append);
    p_ = stop + 1;
    out = std::string_view(begin, static_cast<std::size_t>(stop - begin));
    return true;
  }
  // Decodes the special byte at `i` that is not a closing quote (an escape, or a UTF-8
  // sequence, which it checks) at `o`, and returns the byte after it; nullptr when it is
  // malformed (a control byte among them). Sets `escaped` for an escape.
  const char* decode_special(const char* i, char*& o, bool& escaped) const;
  // The rest of a string value whose plain run ended at `stop`: checks and decodes it in one
  // pass into `buffer` (replacing its contents, or after them when `append`), and sets `out` (a
  // view of the text when there was no escape after all).
  bool decode_string(const char* begin, const char* stop, std::string_view& out,
                     std::string& buffer, bool append);

  const char* p_;
  const char* end_;
  int depth_ = 0;
  bool first_ = false;  // just after '{' or '[': no comma expected before the next member
  bool failed_ = false;
};

}  // namespace twin::core
