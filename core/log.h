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

// A spdlog logger that writes each message as it is (pattern "%v") to the given sink.
std::shared_ptr<spdlog::logger> make_json_logger(std::string name, spdlog::sink_ptr sink);

class Log {
 public:
  Log(std::shared_ptr<spdlog::logger> logger, const Clock& clock)
      : logger_(std::move(logger)), clock_(clock) {}

  bool enabled(spdlog::level::level_enum level) const { return logger_->should_log(level); }
  void write(spdlog::level::level_enum level, std::string_view request_id, std::string_view message,
             boost::json::object fields = {}) const;

  void debug(std::string_view request_id, std::string_view message,
             boost::json::object fields = {}) const {
    if (enabled(spdlog::level::debug))
      write(spdlog::level::debug, request_id, message, std::move(fields));
  }
  void info(std::string_view request_id, std::string_view message,
            boost::json::object fields = {}) const {
    if (enabled(spdlog::level::info))
      write(spdlog::level::info, request_id, message, std::move(fields));
  }
  void warn(std::string_view request_id, std::string_view message,
            boost::json::object fields = {}) const {
    if (enabled(spdlog::level::warn))
      write(spdlog::level::warn, request_id, message, std::move(fields));
  }
  void error(std::string_view request_id, std::string_view message,
             boost::json::object fields = {}) const {
    if (enabled(spdlog::level::err))
      write(spdlog::level::err, request_id, message, std::move(fields));
  }

 private:
  std::shared_ptr<spdlog::logger> logger_;
  const Clock& clock_;
};

}  // namespace twin::core
