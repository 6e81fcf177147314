// Readers of the fixture's sections, shared by sim/fixture.cc and sim/fixture_stack.cc (and
// `twin serve --stack`). Each throws JsonInError naming the JSON path; parse_fixture() is the
// edge that turns it into a Status.
#pragma once

#include <string>

#include "sim/fixture.h"
#include "sim/json_in.h"

namespace twin::sim {

// {"fixed": "200ms"} | {"uniform": {"min": .., "max": ..}} | {"log_normal": {"median": ..,
// "sigma": ..}}
fakes::lambda::DurationModel read_duration_model(const boost::json::value& v,
                                                 const std::string& path);
void read_stack(const boost::json::value& v, const std::string& path, StackSpec& stack);

}  // namespace twin::sim
