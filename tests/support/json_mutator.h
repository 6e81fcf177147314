// Seeded mutations of JSON text, for the tests that hold a fast reader to the tree reader
// ("whatever the fast path accepts reads as the tree path reads it"): one to three edits
// (erase, insert a piece, overwrite a byte, truncate) of JSON's own troublesome pieces
// (quotes, escapes, surrogates, invalid UTF-8, control bytes, numbers, literals) plus the
// members of the document kind the caller names. SplitMix64, so a failure repeats exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace twin::testing {

class Mutator {
 public:
  Mutator(std::uint64_t seed, std::initializer_list<std::string_view> members)
      : state_(seed), pieces_({"\"",      "\\",  "{",    "}",        "[",       "]",
                               ",",       ":",   " ",    "\n",       "0",       "-",
                               "1.5",     "e5",  "null", "true",     "\\u00e9", "\\ud83d\\ude00",
                               "\\ud800", "\\x", "\x80", "\xC3\xA9", "\xFF",    "\x01"}) {
    pieces_.insert(pieces_.end(), members.begin(), members.end());
  }

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

  std::string mutate(std::string text) {
    int edits = 1 + static_cast<int>(below(3));
    for (int k = 0; k < edits && !text.empty(); ++k) {
      std::size_t at = below(text.size());
      switch (below(4)) {
        case 0:
          text.erase(at, 1 + below(4));
          break;
        case 1:
          text.insert(at, pieces_[below(pieces_.size())]);
          break;
        case 2:
          text[at] = pieces_[below(pieces_.size())][0];
          break;
        default:
          text.resize(at);
      }
    }
    return text;
  }

 private:
  std::uint64_t state_;
  std::vector<std::string_view> pieces_;
};

}  // namespace twin::testing
