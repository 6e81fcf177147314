// JsonIn: strict reading of a JSON document that a person wrote (a fixture, a stack file), with
// every error naming the JSON path of the value at fault ("$.stack.queues[1].QueueName").
//
// An ObjectIn hands out its members by name and remembers which were taken; done() then
// refuses the first member nobody asked for, so a misspelt key is an error instead of a silently
// ignored setting. Readers throw JsonInError; the loader that uses them catches it at its edge
// (parse_fixture) and returns a Status, so no exception leaves the sim layer.
//
// Values only; single-threaded.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/ports/clock.h"

namespace twin::sim {

class JsonInError : public std::runtime_error {
 public:
  JsonInError(const std::string& path, const std::string& what)
      : std::runtime_error(path + ": " + what) {}
};

// "$.a" + "b" -> "$.a.b"; keys that are not identifiers are quoted: "$.routes[\"POST /t\"]".
std::string member_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, std::size_t index);

// "250ms" / "1.5s" / "2h" / 3 (seconds) -> microseconds; throws naming `path`.
core::DurationUs read_duration(const boost::json::value& v, const std::string& path);
std::string type_name(const boost::json::value& v);

class ObjectIn {
 public:
  ObjectIn(const boost::json::value& v, std::string path);

  const std::string& path() const { return path_; }
  const boost::json::object& raw() const { return object_; }
  bool has(std::string_view key) const { return object_.contains(key); }
  // The member, marked as taken; nullptr when absent (null counts as absent).
  const boost::json::value* find(std::string_view key);
  const boost::json::value& need(std::string_view key);
  std::string child(std::string_view key) const { return member_path(path_, key); }

  std::string str(std::string_view key);  // required, non-empty
  std::optional<std::string> opt_str(std::string_view key);
  std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi);
  std::optional<std::int64_t> opt_integer(std::string_view key, std::int64_t lo, std::int64_t hi);
  double number(std::string_view key, double lo, double hi);
  std::optional<double> opt_number(std::string_view key, double lo, double hi);
  std::optional<bool> opt_bool(std::string_view key);
  std::optional<core::DurationUs> opt_duration(std::string_view key, core::DurationUs lo,
                                               core::DurationUs hi);
  core::DurationUs duration(std::string_view key, core::DurationUs lo, core::DurationUs hi);
  const boost::json::array* opt_array(std::string_view key);
  // Marks every member taken (for maps whose keys are data, read through raw()).
  void take_all();
  // Throws on the first member (in document order) that was not taken.
  void done() const;

 private:
  const boost::json::object& object_;
  std::string path_;
  std::set<std::string, std::less<>> taken_;
};

// Free readers for a value at a path.
std::string read_string(const boost::json::value& v, const std::string& path);
std::int64_t read_integer(const boost::json::value& v, const std::string& path, std::int64_t lo,
                          std::int64_t hi);
double read_number(const boost::json::value& v, const std::string& path, double lo, double hi);

}  // namespace twin::sim
