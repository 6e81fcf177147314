// replay(): runs one fixture through the stack on virtual time and builds its report.
//
// The run: a Scheduler starting at the fixture's start time, a SimStack and the Traffic built
// from the fixture and the seed (the fixture's, or the one given), then advance-and-settle until
// the fixture's duration is reached. Work still in flight at that instant is not waited for
// (the event source mapping polls forever); a fixture leaves time for its traffic to settle.
// A run that does not reach its end within the fixture's event bound stops there and fails.
//
// Every sample_interval the replay samples each queue's depth (visible + in flight + delayed)
// and the function's concurrent executions, skipping the SQLite query when nothing ran since
// the last sample; samples are trace lines and the charts' data. depth_max is exact for queues
// that receive sends (the depth is also read after every send, the only moment it rises); for
// a dead-letter queue, which grows inside a receive, it is the largest sample.
//
// The report (a JSON object, keys in a fixed order) has the figures issue 5 lists; the
// fixture's expectations are checked against it by their place in it (sim/fixture.h).
// Pure function of (fixture, seed): no wall clock, no unordered iteration, no thread.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "sim/fixture.h"
#include "sim/traffic.h"

namespace twin::sim {

struct ReplayOptions {
  std::optional<std::uint64_t> seed;  // overrides the fixture's
  bool keep_trace = false;            // keep the trace lines (for --trace)
  std::string fixture_path;           // for the report and the line that reproduces the run
  // Called now and then with the share of virtual time done, in [0, 1].
  std::function<void(double)> progress;
};

struct Sample {
  core::DurationUs t_us;
  std::int64_t concurrency;
  std::vector<std::int64_t> depths;  // in the order of ReplayOutput::queue_names
};

struct ExpectationResult {
  std::string name;
  bool ok = false;
  Bound expected;
  double actual = 0;
};

struct ReplayOutput {
  boost::json::object report;
  bool ok = false;
  std::uint64_t seed = 0;
  std::string digest;
  std::string trace;  // the lines, when kept
  std::vector<ExpectationResult> expectations;
  std::vector<std::string> queue_names;
  std::vector<Sample> samples;
  std::vector<Outcome> outcomes;
  std::string error;      // the run could not finish (event bound)
  std::string reproduce;  // "twin replay FILE --seed N"
};

// kInvalidArgument when the stack cannot be built from the fixture (the JSON path named).
core::Result<ReplayOutput> replay(const Fixture& fixture, const ReplayOptions& options);

// The human summary of one run (the table `twin replay` prints).
std::string summary_text(const Fixture& fixture, const ReplayOutput& out);

}  // namespace twin::sim
