// IdSource: where every identifier that reaches a response, a log or a trace comes from.
//
// Contract
// - next_uuid() returns RFC 4122 version 4 text: 36 lowercase characters, 8-4-4-4-12 hex digits,
//   version nibble 4, variant bits 10xx. Request ids and registration ids are such UUIDs.
// - In `twin replay` the source is seeded, so the same seed gives the same ids in the same order.
// - Not thread-safe; it belongs to the executor's thread like everything else.
#pragma once

#include <string>

namespace twin::core {

class IdSource {
 public:
  virtual ~IdSource() = default;
  virtual std::string next_uuid() = 0;
};

}  // namespace twin::core
