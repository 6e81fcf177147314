// html_report(): one self-contained HTML page for a replay, with inline SVG charts that open
// offline (no script, no external resource): requests by status over time (per route),
// Lambda concurrency and queue depths over time (from the replay's samples), and latency
// percentiles per route; then the report's figures and the expectations.
//
// A pure function of the replay's output, so the page is as deterministic as the report.
#pragma once

#include <string>

#include "sim/fixture.h"
#include "sim/replay.h"

namespace twin::sim {

std::string html_report(const Fixture& fixture, const ReplayOutput& out);

}  // namespace twin::sim
