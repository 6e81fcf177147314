// IdSource: where every identifier that reaches a response, a log or a trace comes from.
//
// Contract
// - next_uuid() returns RFC 4122 version 4 text: 36 lowercase characters, 8-4-4-4-12 hex digits,
//   version nibble 4, variant bits 10xx. Request ids and registration ids are such UUIDs.
// - In `twin replay` the source is seeded, so the same seed gives the same ids in the same order.
// - Not thread-safe; it belongs to the executor's thread like everything else.
// - An implementation writes the characters (write_uuid); next_uuid() and next_uuid_into() are
//   the same id as a new string, or into a string the caller keeps (no allocation once it has
//   the room), and take one id each.
#pragma once

#include <cstddef>
#include <string>

namespace twin::core {

class IdSource {
 public:
  static constexpr std::size_t kUuidChars = 36;

  virtual ~IdSource() = default;
  // Writes the next id's kUuidChars characters at `out`.
  virtual void write_uuid(char* out) = 0;

  std::string next_uuid() {
    std::string out(kUuidChars, '-');
    write_uuid(out.data());
    return out;
  }
  void next_uuid_into(std::string& out) {
    out.resize(kUuidChars);
    write_uuid(out.data());
  }
};

}  // namespace twin::core
