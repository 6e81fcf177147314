// Trace: the replay's record of every event, one JSON object per line, and its SHA-256 digest.
//
// Every line starts with "t" (microseconds since the run's start) and "ev" (what happened);
// the rest depends on the event (see fixtures/README.md, "The trace"). Lines are written in
// the order events run, so the trace, and with it the digest, is a pure function of the fixture
// and the seed. The digest is computed whether or not the lines are kept; keep_lines() keeps
// them for --trace. No secret is ever written: API keys appear by name, never by value.
//
// Owned by the replay; single-threaded.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/ports/clock.h"

namespace twin::sim {

class Trace {
 public:
  Trace(const core::Clock& clock, core::TimeUs start);
  ~Trace();
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  // Starts a line: {"t":...,"ev":"<event>"  The caller appends ,"key":value pairs through the
  // helpers below, then end().
  Trace& begin(std::string_view event);
  Trace& field(std::string_view key, std::string_view value);
  Trace& field(std::string_view key, std::int64_t value);
  Trace& field(std::string_view key, bool value);
  Trace& raw(std::string_view key, std::string_view json);
  void end();

  void keep_lines() { keep_ = true; }
  const std::string& lines() const { return lines_; }
  std::uint64_t line_count() const { return count_; }
  // Lower-case hex SHA-256 of every line written so far (newlines included).
  std::string digest_hex() const;

 private:
  const core::Clock& clock_;
  core::TimeUs start_;
  std::string line_;
  std::string lines_;
  bool keep_ = false;
  std::uint64_t count_ = 0;
  EVP_MD_CTX* sha_;
};

}  // namespace twin::sim
