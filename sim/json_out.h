// to_json(): the report's JSON text. Boost.JSON writes every double in exponent form ("4.5E2");
// a report people read wants 450.5, so numbers are written here: integers as integers, other
// doubles in their shortest round-trip form (fmt's "{}"), which is deterministic for a given
// value. Objects keep their insertion order. `indent` > 0 pretty-prints. A whole double is
// written as an integer ("25") unless `whole` is kWithPoint ("25.0"): AWS's JSON keeps the
// point on double members (a usage plan's rateLimit), and Python clients see 25.0, not 25.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace twin::sim {

enum class WholeDoubles { kAsIntegers, kWithPoint };

std::string to_json(const boost::json::value& v, int indent = 0,
                    WholeDoubles whole = WholeDoubles::kAsIntegers);

}  // namespace twin::sim
