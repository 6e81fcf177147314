#include "core/events/json_reader.h"

namespace twin::core {
namespace json = boost::json;

std::string json_path_join(std::string_view parent, std::string_view key) {
  bool plain = !key.empty();
  for (char c : key) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-';
    if (!word) plain = false;
  }
  std::string path(parent);
  if (plain) {
    path += '.';
    path += key;
  } else {
    // Appended piece by piece: `"[" + temporary` trips GCC 12's -Wrestrict false positive at -O3.
    path += '[';
    path += json::serialize(json::value(json::string_view(key.data(), key.size())));
    path += ']';
  }
  return path;
}

std::string json_path_index(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string_view json_kind_name(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "unknown";
}

void JsonReader::fail(std::string_view path, std::string_view what) {
  if (error_.empty()) error_ = std::string(path) + ": " + std::string(what);
}

void JsonReader::fail_kind(std::string_view path, std::string_view expected,
                           const json::value& got) {
  fail(path, "expected " + std::string(expected) + ", got " + std::string(json_kind_name(got)));
}

const json::value* JsonReader::member(const json::object& parent, std::string_view key,
                                      std::string_view parent_path, Need need) {
  if (!ok()) return nullptr;
  const json::value* v = parent.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr || v->is_null()) {
    if (need == Need::kRequired) {
      fail(json_path_join(parent_path, key), v == nullptr ? "required" : "must not be null");
    }
    return nullptr;
  }
  return v;
}

const json::object* JsonReader::object(const json::object& parent, std::string_view key,
                                       std::string_view parent_path, Need need) {
  const json::value* v = member(parent, key, parent_path, need);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    fail_kind(json_path_join(parent_path, key), "object", *v);
    return nullptr;
  }
  return &v->get_object();
}

const json::array* JsonReader::array(const json::object& parent, std::string_view key,
                                     std::string_view parent_path, Need need) {
  const json::value* v = member(parent, key, parent_path, need);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    fail_kind(json_path_join(parent_path, key), "array", *v);
    return nullptr;
  }
  return &v->get_array();
}

std::optional<std::string> JsonReader::string(const json::object& parent, std::string_view key,
                                              std::string_view parent_path, Need need) {
  const json::value* v = member(parent, key, parent_path, need);
  if (v == nullptr) return std::nullopt;
  return as_string(*v, parent_path, key);
}

std::optional<std::string> JsonReader::as_string(const json::value& value,
                                                 std::string_view parent_path,
                                                 std::string_view key) {
  if (!ok()) return std::nullopt;
  if (!value.is_string()) {
    fail_kind(json_path_join(parent_path, key), "string", value);
    return std::nullopt;
  }
  const json::string& s = value.get_string();
  return std::string(s.data(), s.size());
}

std::optional<std::string> JsonReader::as_string(const json::value& value,
                                                 std::string_view parent_path, std::size_t index) {
  if (!ok()) return std::nullopt;
  if (!value.is_string()) {
    fail_kind(json_path_index(parent_path, index), "string", value);
    return std::nullopt;
  }
  const json::string& s = value.get_string();
  return std::string(s.data(), s.size());
}

std::optional<std::int64_t> JsonReader::integer(const json::object& parent, std::string_view key,
                                                std::string_view parent_path, Need need) {
  const json::value* v = member(parent, key, parent_path, need);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->get_uint64());
  }
  if (v->is_double()) {
    double d = v->get_double();
    // Range check first: converting an out-of-range double to an integer is undefined.
    if (d >= -9.0e18 && d <= 9.0e18 && d == static_cast<double>(static_cast<std::int64_t>(d))) {
      return static_cast<std::int64_t>(d);
    }
  }
  fail_kind(json_path_join(parent_path, key), "integer", *v);
  return std::nullopt;
}

std::optional<bool> JsonReader::boolean(const json::object& parent, std::string_view key,
                                        std::string_view parent_path, Need need) {
  const json::value* v = member(parent, key, parent_path, need);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    fail_kind(json_path_join(parent_path, key), "boolean", *v);
    return std::nullopt;
  }
  return v->get_bool();
}

}  // namespace twin::core
