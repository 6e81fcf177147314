// to_json(): the report's JSON text. Boost.JSON writes every double in exponent form ("4.5E2");
// a report people read wants 450.5, so numbers are written here: integers as integers, other
// doubles in their shortest round-trip form (fmt's "{}"), which is deterministic for a given
// value. Objects keep their insertion order. `indent` > 0 pretty-prints.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace twin::sim {

std::string to_json(const boost::json::value& v, int indent = 0);

}  // namespace twin::sim
