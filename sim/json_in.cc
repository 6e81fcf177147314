#include "sim/json_in.h"

#include <cctype>
#include <cmath>
#include <limits>

#include "sim/fixture.h"
#include "sim/json_out.h"

namespace twin::sim {
namespace {

bool is_identifier(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string format_number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return to_json(boost::json::value(v));
}

}  // namespace

std::string member_path(const std::string& parent, std::string_view key) {
  if (is_identifier(key)) return parent + "." + std::string(key);
  return parent + "[" + boost::json::serialize(boost::json::value(key)) + "]";
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string type_name(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

std::string read_string(const boost::json::value& v, const std::string& path) {
  if (!v.is_string()) throw JsonInError(path, "expected a string, got " + type_name(v));
  return std::string(v.get_string());
}

double read_number(const boost::json::value& v, const std::string& path, double lo, double hi) {
  if (!v.is_number()) throw JsonInError(path, "expected a number, got " + type_name(v));
  double d = v.to_number<double>();
  if (!std::isfinite(d) || d < lo || d > hi) {
    throw JsonInError(path, "must be between " + format_number(lo) + " and " + format_number(hi) +
                                ", got " + format_number(d));
  }
  return d;
}

std::int64_t read_integer(const boost::json::value& v, const std::string& path, std::int64_t lo,
                          std::int64_t hi) {
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(hi)) {
    n = static_cast<std::int64_t>(v.get_uint64());
  } else if (v.is_double() && v.get_double() == std::floor(v.get_double()) &&
             std::fabs(v.get_double()) < 9e15) {
    n = static_cast<std::int64_t>(v.get_double());
  } else if (v.is_number()) {
    throw JsonInError(path, "expected an integer, got " + to_json(v));
  } else {
    throw JsonInError(path, "expected an integer, got " + type_name(v));
  }
  if (n < lo || n > hi) {
    throw JsonInError(path, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                                ", got " + std::to_string(n));
  }
  return n;
}

core::DurationUs read_duration(const boost::json::value& v, const std::string& path) {
  if (v.is_number()) {
    double s = v.to_number<double>();
    if (!std::isfinite(s) || s < 0 || s > 1e9) {
      throw JsonInError(path, "a duration in seconds must be between 0 and 1e9");
    }
    return std::llround(s * 1e6);
  }
  if (!v.is_string()) {
    throw JsonInError(path,
                      "expected a duration (\"250ms\", \"1.5s\" or seconds), got " + type_name(v));
  }
  auto parsed = parse_duration(v.get_string());
  if (!parsed.is_ok()) throw JsonInError(path, parsed.status().message());
  return *parsed;
}

const boost::json::object& empty_object() {
  static const boost::json::object empty;
  return empty;
}

ObjectIn::ObjectIn(const boost::json::value& v, std::string path)
    : object_(v.is_object() ? v.get_object() : empty_object()), path_(std::move(path)) {
  if (!v.is_object()) throw JsonInError(path_, "expected an object, got " + type_name(v));
}

const boost::json::value* ObjectIn::find(std::string_view key) {
  auto it = object_.find(key);
  if (it == object_.end()) return nullptr;
  taken_.emplace(key);
  return it->value().is_null() ? nullptr : &it->value();
}

const boost::json::value& ObjectIn::need(std::string_view key) {
  const auto* v = find(key);
  if (v == nullptr) throw JsonInError(child(key), "required");
  return *v;
}

std::string ObjectIn::str(std::string_view key) {
  auto s = read_string(need(key), child(key));
  if (s.empty()) throw JsonInError(child(key), "must not be empty");
  return s;
}

std::optional<std::string> ObjectIn::opt_str(std::string_view key) {
  const auto* v = find(key);
  if (v == nullptr) return std::nullopt;
  return read_string(*v, child(key));
}

std::int64_t ObjectIn::integer(std::string_view key, std::int64_t lo, std::int64_t hi) {
  return read_integer(need(key), child(key), lo, hi);
}

std::optional<std::int64_t> ObjectIn::opt_integer(std::string_view key, std::int64_t lo,
                                                  std::int64_t hi) {
  const auto* v = find(key);
  if (v == nullptr) return std::nullopt;
  return read_integer(*v, child(key), lo, hi);
}

double ObjectIn::number(std::string_view key, double lo, double hi) {
  return read_number(need(key), child(key), lo, hi);
}

std::optional<double> ObjectIn::opt_number(std::string_view key, double lo, double hi) {
  const auto* v = find(key);
  if (v == nullptr) return std::nullopt;
  return read_number(*v, child(key), lo, hi);
}

std::optional<bool> ObjectIn::opt_bool(std::string_view key) {
  const auto* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) throw JsonInError(child(key), "expected a boolean, got " + type_name(*v));
  return v->get_bool();
}

std::optional<core::DurationUs> ObjectIn::opt_duration(std::string_view key, core::DurationUs lo,
                                                       core::DurationUs hi) {
  const auto* v = find(key);
  if (v == nullptr) return std::nullopt;
  auto d = read_duration(*v, child(key));
  if (d < lo || d > hi) {
    throw JsonInError(child(key), "must be between " + std::to_string(lo) + " us and " +
                                      std::to_string(hi) + " us, got " + std::to_string(d) + " us");
  }
  return d;
}

core::DurationUs ObjectIn::duration(std::string_view key, core::DurationUs lo,
                                    core::DurationUs hi) {
  need(key);
  return *opt_duration(key, lo, hi);
}

const boost::json::array* ObjectIn::opt_array(std::string_view key) {
  const auto* v = find(key);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) throw JsonInError(child(key), "expected an array, got " + type_name(*v));
  return &v->get_array();
}

void ObjectIn::take_all() {
  for (const auto& kv : object_) taken_.emplace(kv.key());
}

void ObjectIn::done() const {
  for (const auto& kv : object_) {
    if (!taken_.contains(kv.key())) throw JsonInError(member_path(path_, kv.key()), "unknown key");
  }
}

}  // namespace twin::sim
