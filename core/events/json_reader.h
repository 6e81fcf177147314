// JsonReader: typed reads out of Boost.JSON values that name the JSON path of the first problem.
//
// Owned by core. A reader keeps its first error and makes every later read a no-op that returns
// an empty value, so a parser reads straight through and checks ok() once at the end.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace twin::core {

enum class Need { kRequired, kOptional };  // kOptional: absent or null reads as nullopt

// "$.a" + "b" -> "$.a.b"; keys that are not plain words get brackets: $.headers["a b"].
std::string json_path_join(std::string_view parent, std::string_view key);
std::string json_path_index(std::string_view parent, std::size_t index);
std::string_view json_kind_name(const boost::json::value& value);

class JsonReader {
 public:
  const boost::json::object* object(const boost::json::object& parent, std::string_view key,
                                    std::string_view parent_path, Need need);
  const boost::json::array* array(const boost::json::object& parent, std::string_view key,
                                  std::string_view parent_path, Need need);
  std::optional<std::string> string(const boost::json::object& parent, std::string_view key,
                                    std::string_view parent_path, Need need);
  std::optional<std::int64_t> integer(const boost::json::object& parent, std::string_view key,
                                      std::string_view parent_path, Need need);
  std::optional<bool> boolean(const boost::json::object& parent, std::string_view key,
                              std::string_view parent_path, Need need);

  // Checks that `value`, found at parent_path + key (or + [index]), is a string. The path is
  // only put together when there is an error to report.
  std::optional<std::string> as_string(const boost::json::value& value,
                                       std::string_view parent_path, std::string_view key);
  std::optional<std::string> as_string(const boost::json::value& value,
                                       std::string_view parent_path, std::size_t index);

  void fail(std::string_view path, std::string_view what);
  bool ok() const { return error_.empty(); }
  // "$.headers.Host: expected string, got number"
  const std::string& error() const { return error_; }

 private:
  // The member, or nullptr when absent or null (after recording an error if it was required).
  const boost::json::value* member(const boost::json::object& parent, std::string_view key,
                                   std::string_view parent_path, Need need);
  void fail_kind(std::string_view path, std::string_view expected, const boost::json::value& got);

  std::string error_;
};

}  // namespace twin::core
