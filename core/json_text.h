// The byte scans under JSON string reading and writing: finding the next byte a JSON string
// cannot hold as it is ('"', '\\', a control character; and, for a reader that checks UTF-8
// itself, any byte >= 0x80), sixteen bytes at a time where SSE2 is available.
//
// Owned by core; pure inline functions. JsonScanner and append_json_string share them, so the
// block logic exists once. Without SSE2 the same functions work byte by byte.
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

namespace twin::core::json_text {

inline constexpr std::size_t kBlockBytes = 16;

inline bool is_special(char c, bool non_ascii) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == '"' || u == '\\' || (non_ascii && u >= 0x80);
}

// The two-character escapes of JSON (RFC 8259 section 7): the byte and the letter after the
// backslash. '/' may be written escaped but is written as it is, so only readers use it.
struct ShortEscape {
  char byte;
  char letter;
};
inline constexpr ShortEscape kShortEscapes[] = {{'"', '"'},  {'\\', '\\'}, {'\n', 'n'}, {'\r', 'r'},
                                                {'\t', 't'}, {'\b', 'b'},  {'\f', 'f'}};
// For writers: the letter of each byte's short escape, 0 when it has none.
inline constexpr auto kEscapeLetters = [] {
  std::array<char, 128> t{};
  for (const ShortEscape& e : kShortEscapes) t[static_cast<unsigned char>(e.byte)] = e.letter;
  return t;
}();
// For readers: the byte each escape letter stands for, 0 for the letters that start no short
// escape.
inline constexpr auto kUnescapedBytes = [] {
  std::array<char, 128> t{};
  for (const ShortEscape& e : kShortEscapes) t[static_cast<unsigned char>(e.letter)] = e.byte;
  t['/'] = '/';
  return t;
}();

// One bit per byte of the block at p (bit i for p[i]) that is_special() holds for.
inline unsigned special_mask(const char* p, bool non_ascii) {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i control_max = _mm_set1_epi8(0x1F);
  __m128i hit =
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
  // v <= 0x1F (unsigned) exactly when max(v, 0x1F) == 0x1F.
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_max_epu8(v, control_max), control_max));
  auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
  if (non_ascii) mask |= static_cast<unsigned>(_mm_movemask_epi8(v));
  return mask;
#else
  unsigned mask = 0;
  for (std::size_t i = 0; i < kBlockBytes; ++i) {
    if (is_special(p[i], non_ascii)) mask |= 1u << i;
  }
  return mask;
#endif
}

// The special bytes of the block at p by kind, one bit per byte as in special_mask(): quotes,
// backslashes, and the others (control bytes and, with `non_ascii`, bytes >= 0x80). Escaped
// quotes and backslashes are most of what JSON-in-JSON holds, and they can be handled a block
// at a time when nothing else is there.
struct SpecialBytes {
  unsigned quotes;
  unsigned backslashes;
  unsigned others;
};
inline SpecialBytes special_bytes(const char* p, bool non_ascii) {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i control_max = _mm_set1_epi8(0x1F);
  SpecialBytes s;
  s.quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
  s.backslashes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
  s.others = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, control_max), control_max)));
  if (non_ascii) s.others |= static_cast<unsigned>(_mm_movemask_epi8(v));
  return s;
#else
  SpecialBytes s{0, 0, 0};
  for (std::size_t i = 0; i < kBlockBytes; ++i) {
    if (p[i] == '"')
      s.quotes |= 1u << i;
    else if (p[i] == '\\')
      s.backslashes |= 1u << i;
    else if (is_special(p[i], non_ascii))
      s.others |= 1u << i;
  }
  return s;
#endif
}

// Whether the n bytes at a and b are the same: memcmp's equality, inline and a word at a time,
// for the short names and literals of JSON readers (a call to memcmp costs more than the
// comparison itself at these sizes). Words may overlap; nothing outside the n bytes is read.
inline bool same_bytes(const char* a, const char* b, std::size_t n) {
  auto word8 = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  auto word4 = [](const char* p) {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  };
  // The first and the last word, which overlap: at most sixteen bytes need nothing more.
  auto ends_differ8 = [&] { return (word8(a) ^ word8(b)) | (word8(a + n - 8) ^ word8(b + n - 8)); };
  auto ends_differ4 = [&] { return (word4(a) ^ word4(b)) | (word4(a + n - 4) ^ word4(b + n - 4)); };
  if (n >= 8) {
    if (ends_differ8() != 0) return false;
    for (std::size_t i = 8; i + 8 < n; i += 8) {
      if (word8(a + i) != word8(b + i)) return false;
    }
    return true;
  }
  if (n >= 4) return ends_differ4() == 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// A member key as a compact text writes it, `"name":`, made when the program is compiled (the
// names are literals and constant tables), so that a reader compares the whole key as bytes.
class CompactKey {
 public:
  static constexpr std::size_t kNameBytesMax = 40;
  constexpr CompactKey(std::string_view name) : size_(name.size() + 3) {
    if (name.size() > kNameBytesMax) throw "a compact key's name is too long";
    bytes_[0] = '"';
    for (std::size_t i = 0; i < name.size(); ++i) bytes_[i + 1] = name[i];
    bytes_[name.size() + 1] = '"';
    bytes_[name.size() + 2] = ':';
  }
  constexpr const char* data() const { return bytes_; }
  constexpr std::size_t size() const { return size_; }

 private:
  char bytes_[kNameBytesMax + 3]{};
  std::size_t size_;
};

// The compact keys of a constant table's entries, in its order; `name_of` gives an entry's name.
template <typename Entry, std::size_t N, typename NameOf>
constexpr std::array<CompactKey, N> compact_keys(const Entry (&table)[N], NameOf name_of) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<CompactKey, N>{CompactKey(name_of(table[I]))...};
  }
  (std::make_index_sequence<N>());
}

// The compactly written member key `lead"name":` at p (lead: the object's '{' before its first
// member, ',' before the others), if it stands there whole before `end`: the byte after its
// colon; else nullptr. For readers of texts whose members come in a known order.
inline const char* compact_key_at(const char* p, const char* end, char lead,
                                  const CompactKey& key) {
  const std::size_t n = key.size();
  if (static_cast<std::size_t>(end - p) <= n || p[0] != lead || !same_bytes(p + 1, key.data(), n)) {
    return nullptr;
  }
  return p + 1 + n;
}

// Copies n bytes from `in` to `out` and returns out + n: short copies, which are most of what
// JSON writers copy, as two overlapping words instead of a call to memcpy.
inline char* copy_bytes(char* out, const char* in, std::size_t n) {
  // kWidth <= n <= 2 * kWidth bytes as the first and the last kWidth, which overlap.
  auto two = [out, in, n]<std::size_t kWidth>() {
    char head[kWidth], tail[kWidth];
    std::memcpy(head, in, kWidth);
    std::memcpy(tail, in + n - kWidth, kWidth);
    std::memcpy(out, head, kWidth);
    std::memcpy(out + n - kWidth, tail, kWidth);
  };
  if (n > 32) {
    std::memcpy(out, in, n);
  } else if (n >= 16) {
    two.operator()<16>();
  } else if (n >= 8) {
    two.operator()<8>();
  } else if (n >= 4) {
    two.operator()<4>();
  } else {
    for (std::size_t i = 0; i < n; ++i) out[i] = in[i];
  }
  return out + n;
}

// The first special byte in [p, end), or end. When [p, end) holds a whole block, its last
// bytes are tested as the end of a block that overlaps the bytes already tested.
inline const char* find_special(const char* p, const char* end, bool non_ascii) {
  const char* const begin = p;
  for (; end - p >= static_cast<std::ptrdiff_t>(kBlockBytes); p += kBlockBytes) {
    if (unsigned mask = special_mask(p, non_ascii)) return p + __builtin_ctz(mask);
  }
  if (p == end) return end;
  if (end - begin >= static_cast<std::ptrdiff_t>(kBlockBytes)) {
    const char* last = end - kBlockBytes;
    const unsigned mask = special_mask(last, non_ascii) >> (p - last);
    return mask != 0 ? p + __builtin_ctz(mask) : end;
  }
  while (p < end && !is_special(*p, non_ascii)) ++p;
  return p;
}

// The first byte >= 0x80 in [p, end), or end: ASCII runs are skipped sixteen bytes at a time.
inline const char* skip_ascii(const char* p, const char* end) {
#if defined(__SSE2__)
  for (; end - p >= static_cast<std::ptrdiff_t>(kBlockBytes); p += kBlockBytes) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(v))) {
      return p + __builtin_ctz(mask);
    }
  }
#endif
  for (; end - p >= 8; p += 8) {  // short strings and tails: eight bytes at a time
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    if (word & 0x8080808080808080ULL) break;
  }
  while (p < end && static_cast<unsigned char>(*p) < 0x80) ++p;
  return p;
}

}  // namespace twin::core::json_text
