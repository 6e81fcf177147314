#include "core/log.h"

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>

#include <array>

#include "core/encoding.h"

namespace twin::core {
namespace json = boost::json;
namespace {

// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm, proleptic Gregorian).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

// Writes a JSON value with the values of secret-named keys replaced, at any depth.
void append_redacted(std::string& line, const json::value& value) {
  if (!value.is_object()) {
    line += json::serialize(value);
    return;
  }
  line += '{';
  bool first = true;
  for (const auto& [key, member] : value.get_object()) {
    if (!first) line += ',';
    first = false;
    std::string_view name(key.data(), key.size());
    append_json_string(line, name);
    line += ':';
    if (is_secret_name(name)) {
      append_json_string(line, kRedacted);
    } else {
      append_redacted(line, member);
    }
  }
  line += '}';
}

// Writes the integer at `out` (at most 21 bytes) and returns the end.
char* write_integer(char* out, std::uint64_t magnitude, bool negative) {
  char digits[24];
  char* end = digits + sizeof digits;
  char* p = end;
  do {
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (negative) *--p = '-';
  const auto n = static_cast<std::size_t>(end - p);
  std::memcpy(out, p, n);
  return out + n;
}

}  // namespace

std::size_t LogField::bytes_max() const {
  // "name": and the value: an escaped text, or at most 20 digits and a sign.
  const std::size_t value = name_.secret()         ? kRedacted.size() + 2
                            : kind_ == Kind::kText ? json_escaped_room(text_.size()) + 2
                                                   : 21;
  return name_.text().size() + 3 + value;
}

char* LogField::write_to(char* p) const {
  auto put = [&p](std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  };
  *p++ = '"';
  put(name_.text());
  put("\":");
  if (name_.secret()) {
    *p++ = '"';
    put(kRedacted);
    *p++ = '"';
    return p;
  }
  switch (kind_) {
    case Kind::kText:
      *p++ = '"';
      p = write_json_escaped(p, text_);
      *p++ = '"';
      break;
    case Kind::kInteger:
      p = write_integer(p,
                        integer_ < 0 ? 0 - static_cast<std::uint64_t>(integer_)
                                     : static_cast<std::uint64_t>(integer_),
                        integer_ < 0);
      break;
    case Kind::kUnsigned:
      p = write_integer(p, unsigned_, false);
      break;
    case Kind::kBoolean:
      put(integer_ != 0 ? "true" : "false");
      break;
    case Kind::kJson:  // written by append_to(); Log::write does not call this for them
      break;
  }
  return p;
}

void LogField::append_to(std::string& line) const {
  if (kind_ != Kind::kJson || name_.secret()) {
    // Written as Log::write writes it, into room for its longest form, then trimmed.
    const std::size_t at = line.size();
    line.resize(at + bytes_max());
    line.resize(static_cast<std::size_t>(write_to(line.data() + at) - line.data()));
    return;
  }
  line += '"';
  line += name_.text();
  line += "\":";
  append_redacted(line, *json_);
}

namespace {
template <typename Pairs>
json::object redact(const Pairs& headers) {
  json::object out;
  for (const auto& [name, value] : headers) {
    if (is_secret_name(name)) {
      out[name] = kRedacted;
    } else {
      out[name] = value;
    }
  }
  return out;
}
}  // namespace

json::object redacted_headers(const StringPairs& headers) { return redact(headers); }
json::object redacted_headers(const BasicStringPairs<std::string_view>& headers) {
  return redact(headers);
}

std::string format_timestamp_us(TimeUs t) {
  std::string out;
  append_timestamp_us(out, t);
  return out;
}

void append_timestamp_us(std::string& out, TimeUs t) {
  char buf[kTimestampBytesMax];
  out.append(buf, static_cast<std::size_t>(write_timestamp_us(buf, t) - buf));
}

char* write_timestamp_us(char* out, TimeUs t) {
  std::int64_t days = t >= 0 ? t / (86400 * kMicrosPerSecond)
                             : (t - 86400 * kMicrosPerSecond + 1) / (86400 * kMicrosPerSecond);
  std::int64_t rest = t - days * 86400 * kMicrosPerSecond;  // 0 <= rest < one day
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  std::int64_t secs = rest / kMicrosPerSecond;
  if (y < 0 || y > 9999) {
    return fmt::format_to_n(out, kTimestampBytesMax, "{}-{:02}-{:02}T00:00:00.000000Z", y, m, d)
        .out;
  }
  // Written by hand, two digits at a time from a table: this runs once per log line, and fmt's
  // parsing of a format string costs more than the whole conversion.
  static constexpr auto kPairs = [] {
    std::array<char, 200> digits{};
    for (int i = 0; i < 100; ++i) {
      digits[2 * i] = static_cast<char>('0' + i / 10);
      digits[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
    return digits;
  }();
  auto pair = [out](int at, std::int64_t value) {  // 0 <= value < 100
    std::memcpy(out + at, &kPairs[static_cast<std::size_t>(2 * value)], 2);
  };
  const std::int64_t micros = rest % kMicrosPerSecond;
  pair(0, y / 100);
  pair(2, y % 100);
  out[4] = '-';
  pair(5, m);
  out[7] = '-';
  pair(8, d);
  out[10] = 'T';
  pair(11, secs / 3600);
  out[13] = ':';
  pair(14, secs / 60 % 60);
  out[16] = ':';
  pair(17, secs % 60);
  out[19] = '.';
  pair(20, micros / 10000);
  pair(22, micros / 100 % 100);
  pair(24, micros % 100);
  out[26] = 'Z';
  return out + 27;
}

std::shared_ptr<spdlog::logger> make_json_logger(std::string name, spdlog::sink_ptr sink) {
  auto logger = std::make_shared<spdlog::logger>(std::move(name), std::move(sink));
  logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      "%v", spdlog::pattern_time_type::utc, std::string("\n")));
  return logger;
}

Log::Log(std::shared_ptr<spdlog::logger> logger, const Clock& clock)
    : logger_(std::move(logger)), clock_(clock) {
  after_level_ = "\",\"logger\":";
  append_json_string(after_level_, logger_->name());
  after_level_ += ",\"message\":";
}

void Log::write(spdlog::level::level_enum level, std::string_view request_id,
                std::string_view message, LogFields fields) const {
  // The line is written straight into one reused string: building a JSON object only to
  // serialise it doubled the cost of every request.
  std::string& line = line_;
  line.clear();
  bool json_fields = false;
  std::size_t bytes = kLineFixedBytes + after_level_.size() + json_escaped_room(message.size()) +
                      json_escaped_room(request_id.size());
  for (const LogField& field : fields) {
    json_fields = json_fields || field.is_json();
    bytes += 1 + field.bytes_max();
  }
  if (!json_fields) {
    // The usual line, written through a pointer into room made for its longest form.
    line.resize(bytes);
    char* p = line.data();
    auto put = [&p](std::string_view text) {
      std::memcpy(p, text.data(), text.size());
      p += text.size();
    };
    put("{\"timestamp\":\"");
    p = write_timestamp_us(p, clock_.now());
    put("\",\"level\":\"");
    put(level_name(level));
    put(after_level_);
    *p++ = '"';
    p = write_json_escaped(p, message);
    put("\",\"request_id\":\"");
    p = write_json_escaped(p, request_id);
    *p++ = '"';
    for (const LogField& field : fields) {
      *p++ = ',';
      p = field.write_to(p);
    }
    *p++ = '}';
    line.resize(static_cast<std::size_t>(p - line.data()));
    logger_->log(level, spdlog::string_view_t(line.data(), line.size()));
    return;
  }
  line += "{\"timestamp\":\"";
  append_timestamp_us(line, clock_.now());
  line += "\",\"level\":\"";
  line += level_name(level);
  line += after_level_;
  append_json_string(line, message);
  line += ",\"request_id\":";
  append_json_string(line, request_id);
  for (const LogField& field : fields) {
    line += ',';
    field.append_to(line);
  }
  line += '}';
  logger_->log(level, spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace twin::core
