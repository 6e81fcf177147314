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
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "core/events/proxy_event.h"
#include "core/ports/clock.h"

namespace twin::core {

inline constexpr std::string_view kRedacted = "[REDACTED]";

// True for names whose values are secrets: x-api-key, authorization, x-twilio-signature,
// cookies, and any name containing "token", "secret", "password" or "api_key"/"apikey".
bool is_secret_name(std::string_view name);
// Headers as a JSON object with secret values replaced by kRedacted.
boost::json::object redacted_headers(const StringPairs& headers);

// "2026-01-01T00:00:00.000000Z"
std::string format_timestamp_us(TimeUs t);
void append_timestamp_us(std::string& out, TimeUs t);

// A spdlog logger that writes each message as it is (pattern "%v") to the given sink.
std::shared_ptr<spdlog::logger> make_json_logger(std::string name, spdlog::sink_ptr sink);

// One field of a log line, built implicitly from a name and a value so that call sites read
// `log.info(id, "request handled", {{"status", 200}, {"resource", resource}})`. A field only
// refers to its value: it lives for the one call that writes the line.
class LogField {
 public:
  enum class Kind { kText, kInteger, kUnsigned, kBoolean, kJson };

  LogField(std::string_view name, std::string_view text)
      : name_(name), kind_(Kind::kText), text_(text) {}
  LogField(std::string_view name, const std::string& text)
      : LogField(name, std::string_view(text)) {}
  LogField(std::string_view name, const char* text) : LogField(name, std::string_view(text)) {}
  LogField(std::string_view name, bool flag) : name_(name), kind_(Kind::kBoolean), integer_(flag) {}
  template <std::signed_integral T>
  LogField(std::string_view name, T number)
      : name_(name), kind_(Kind::kInteger), integer_(number) {}
  template <std::unsigned_integral T>
  requires(!std::same_as<T, bool>) LogField(std::string_view name, T number)
      : name_(name), kind_(Kind::kUnsigned), unsigned_(number) {}
  LogField(std::string_view name, const boost::json::value& json)
      : name_(name), kind_(Kind::kJson), json_(&json) {}

  std::string_view name() const { return name_; }
  // Appends `"name":value` (the value redacted when the name, or a nested key, is a secret).
  void append_to(std::string& line) const;

 private:
  std::string_view name_;
  Kind kind_;
  std::string_view text_;
  std::int64_t integer_ = 0;
  std::uint64_t unsigned_ = 0;
  const boost::json::value* json_ = nullptr;
};

using LogFields = std::initializer_list<LogField>;

class Log {
 public:
  Log(std::shared_ptr<spdlog::logger> logger, const Clock& clock)
      : logger_(std::move(logger)), clock_(clock) {}

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
  // The line being written, kept so that its capacity is reused.
  mutable std::string line_;
};

}  // namespace twin::core
