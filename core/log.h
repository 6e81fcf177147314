// JSON-lines logging for the handler: one object per line with timestamp (from the Clock),
// level, logger, message, request_id and fields, written through spdlog.
//
// Owned by whoever builds the Handler; one Log per executor thread. The timestamp comes from the
// injected Clock, never the wall clock, so in `twin replay` logs carry virtual time and diff
// cleanly. Secrets never reach a line: fields whose names look like secrets are redacted here,
// whatever the caller passed, and callers log headers only through redacted_headers().
#pragma once

#include <spdlog/logger.h>

#include <boost/json.hpp>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "core/encoding.h"
#include "core/events/proxy_event.h"
#include "core/ports/clock.h"

namespace twin::core {

inline constexpr std::string_view kRedacted = "[REDACTED]";

// True for names whose values are secrets: x-api-key, authorization, x-twilio-signature,
// cookies, and any name containing "token", "secret", "password" or "api_key"/"apikey", in any
// case. constexpr so that a log field's name is judged when the program is compiled.
constexpr bool is_secret_name(std::string_view name) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  // Whether `word` (lower case) is at name[at], in any case.
  auto word_at = [&](std::size_t at, std::string_view word) {
    if (name.size() - at < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (lower(name[at + k]) != word[k]) return false;
    }
    return true;
  };
  auto is = [&](std::string_view word) { return name.size() == word.size() && word_at(0, word); };
  if (is("x-api-key") || is("authorization") || is("cookie") || is("set-cookie")) return true;
  for (std::size_t i = 0; i < name.size(); ++i) {
    switch (lower(name[i])) {  // compare only where a secret word can start
      case 't':
        if (word_at(i, "token")) return true;
        break;
      case 's':
        if (word_at(i, "secret") || word_at(i, "signature")) return true;
        break;
      case 'p':
        if (word_at(i, "password")) return true;
        break;
      case 'a':
        if (word_at(i, "api_key") || word_at(i, "apikey")) return true;
        break;
      default:
        break;
    }
  }
  return false;
}
// Headers as a JSON object with secret values replaced by kRedacted.
boost::json::object redacted_headers(const StringPairs& headers);
boost::json::object redacted_headers(const BasicStringPairs<std::string_view>& headers);

// "2026-01-01T00:00:00.000000Z"
std::string format_timestamp_us(TimeUs t);
void append_timestamp_us(std::string& out, TimeUs t);
// The same at `out`, which has room for kTimestampBytesMax bytes; returns the end.
inline constexpr std::size_t kTimestampBytesMax = 64;
char* write_timestamp_us(char* out, TimeUs t);

// A spdlog logger that writes each message as it is (pattern "%v") to the given sink.
std::shared_ptr<spdlog::logger> make_json_logger(std::string name, spdlog::sink_ptr sink);

// A log field's name: a string literal, judged when the program is compiled. Whether its value
// is a secret is decided then, and a name that would need a JSON escape does not compile, so a
// line is written without checking either.
class LogFieldName {
 public:
  consteval LogFieldName(const char* name) : text_(name), secret_(is_secret_name(text_)) {
    if (!is_plain_json_text(text_)) throw "a log field name must be written without escapes";
  }
  std::string_view text() const { return text_; }
  bool secret() const { return secret_; }

 private:
  std::string_view text_;
  bool secret_;
};

// One field of a log line, built implicitly from a name and a value so that call sites read
// `log.info(id, "request handled", {{"status", 200}, {"resource", resource}})`. A field only
// refers to its value: it lives for the one call that writes the line.
class LogField {
 public:
  enum class Kind { kText, kInteger, kUnsigned, kBoolean, kJson };

  LogField(LogFieldName name, std::string_view text)
      : name_(name), kind_(Kind::kText), text_(text) {}
  LogField(LogFieldName name, const std::string& text) : LogField(name, std::string_view(text)) {}
  LogField(LogFieldName name, const char* text) : LogField(name, std::string_view(text)) {}
  LogField(LogFieldName name, bool flag) : name_(name), kind_(Kind::kBoolean), integer_(flag) {}
  template <std::signed_integral T>
  LogField(LogFieldName name, T number) : name_(name), kind_(Kind::kInteger), integer_(number) {}
  template <std::unsigned_integral T>
  requires(!std::same_as<T, bool>) LogField(LogFieldName name, T number)
      : name_(name), kind_(Kind::kUnsigned), unsigned_(number) {}
  LogField(LogFieldName name, const boost::json::value& json)
      : name_(name), kind_(Kind::kJson), json_(&json) {}

  std::string_view name() const { return name_.text(); }
  // Appends `"name":value` (the value redacted when the name, or a nested key, is a secret).
  void append_to(std::string& line) const;
  // For the fields that are not JSON values: at most how many bytes write_to() writes (with
  // the escape writer's slack), and the writing itself at `p`, returning the end.
  bool is_json() const { return kind_ == Kind::kJson; }
  std::size_t bytes_max() const;
  char* write_to(char* p) const;

 private:
  LogFieldName name_;
  Kind kind_;
  std::string_view text_;
  std::int64_t integer_ = 0;
  std::uint64_t unsigned_ = 0;
  const boost::json::value* json_ = nullptr;
};

using LogFields = std::initializer_list<LogField>;

class Log {
 public:
  Log(std::shared_ptr<spdlog::logger> logger, const Clock& clock);

  bool enabled(spdlog::level::level_enum level) const { return logger_->should_log(level); }
  void write(spdlog::level::level_enum level, std::string_view request_id, std::string_view message,
             LogFields fields = {}) const;

  void debug(std::string_view request_id, std::string_view message, LogFields fields = {}) const {
    if (enabled(spdlog::level::debug)) write(spdlog::level::debug, request_id, message, fields);
  }
  void info(std::string_view request_id, std::string_view message, LogFields fields = {}) const {
    if (enabled(spdlog::level::info)) write(spdlog::level::info, request_id, message, fields);
  }
  void warn(std::string_view request_id, std::string_view message, LogFields fields = {}) const {
    if (enabled(spdlog::level::warn)) write(spdlog::level::warn, request_id, message, fields);
  }
  void error(std::string_view request_id, std::string_view message, LogFields fields = {}) const {
    if (enabled(spdlog::level::err)) write(spdlog::level::err, request_id, message, fields);
  }

 private:
  std::shared_ptr<spdlog::logger> logger_;
  const Clock& clock_;
  // The text between the level and the message, which names the logger: written once here.
  std::string after_level_;
  // The bytes of a line besides the level name, after_level_, the message, the request id and
  // the fields: the punctuation, member names and timestamp written around them.
  static constexpr std::size_t kLineFixedBytes = 64 + kTimestampBytesMax;
  // The line being written, kept so that its capacity is reused.
  mutable std::string line_;
};

}  // namespace twin::core
