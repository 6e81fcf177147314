// `twin replay` as a user runs it: the summary, --json, the files it writes, and its exit codes.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/crypto.h"
#include "tests/support/cli_run.h"

namespace {
namespace json = boost::json;
using twin::testing::run_twin;

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class TwinReplay : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    return dir_.write(name, text);
  }
  twin::testing::TestDir dir_;
};

TEST_F(TwinReplay, PrintsTheSummaryAndExits0WhenExpectationsHold) {
  auto r = run_twin("replay fixtures/scenarios/burst_60.json");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("POST /trigger"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("200x50 429x10"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
}

TEST_F(TwinReplay, JsonReportHasTheIssuesFields) {
  auto r = run_twin("replay fixtures/scenarios/seed_webhook_concurrency_queued.json --json");
  ASSERT_EQ(r.exit_code, 0);
  auto report = json::parse(r.out).as_object();
  for (const char* key :
       {"fixture", "seed", "digest", "ok", "routes", "lambda", "queues", "registrations",
        "invitations_sent", "messages_processed", "expectations"}) {
    EXPECT_TRUE(report.contains(key)) << key;
  }
  EXPECT_EQ(report.at("digest").as_string().size(), 64u);
  const auto& route = report.at("routes").at("POST /webhook").as_object();
  EXPECT_EQ(route.at("status_counts").at("200").as_int64(), 20);
  for (const char* p : {"p50", "p90", "p99", "max"}) {
    EXPECT_TRUE(route.at("latency_ms").as_object().contains(p)) << p;
  }
  for (const char* k : {"invocations", "throttles", "errors", "cold_starts", "concurrency_max"}) {
    EXPECT_TRUE(report.at("lambda").as_object().contains(k)) << k;
  }
  EXPECT_EQ(report.at("queues").at("webhooks").at("depth_end").as_int64(), 0);
  const auto& e = report.at("expectations").as_array().at(0).as_object();
  for (const char* k : {"name", "ok", "expected", "actual"}) EXPECT_TRUE(e.contains(k)) << k;
}

TEST_F(TwinReplay, WritesReportTraceAndHtmlAndTheTraceHashesToTheDigest) {
  auto report = (dir_.path() / "report.json").string();
  auto trace = (dir_.path() / "trace.jsonl").string();
  auto html = (dir_.path() / "report.html").string();
  auto r = run_twin("replay fixtures/scenarios/poison_to_dlq.json --report " + report +
                    " --trace " + trace + " --html " + html);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto parsed = json::parse(read(report)).as_object();
  std::string lines = read(trace);
  ASSERT_FALSE(lines.empty());
  std::istringstream in(lines);
  std::string line;
  std::size_t count = 0;
  while (std::getline(in, line)) {
    auto event = json::parse(line).as_object();
    EXPECT_TRUE(event.contains("t") && event.contains("ev")) << line;
    ++count;
  }
  EXPECT_EQ(static_cast<std::int64_t>(count), parsed.at("trace_lines").as_int64());
  std::string page = read(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);  // opens offline, nothing to run
  EXPECT_EQ(page.find("http://", page.find("<body")), page.find("http://www.w3.org/2000/svg"));
  // The trace is the digest's input: the file's SHA-256 is the report's digest.
  EXPECT_EQ(twin::core::sha256_hex(lines), parsed.at("digest").as_string());
}

TEST_F(TwinReplay, AFailedExpectationExits1AndNamesItWithTheLineThatReproducesIt) {
  auto fixture = write("failing.json", R"({
    "name": "failing", "seed": 7, "duration": "2s",
    "stack": {"apiKeys": [{"name": "k", "value": "TwinDevKey0123456789abcdef0123"}],
              "usagePlans": [{"name": "p", "throttle": {"rateLimit": 1, "burstLimit": 1},
                              "apiKeys": ["k"]}]},
    "traffic": [{"type": "burst", "route": "/trigger", "count": 3, "api_key": "k"}],
    "expect": {"routes": {"POST /trigger": {"status_counts": {"200": 3}}}}
  })");
  auto r = run_twin("replay " + fixture);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAILED routes.POST /trigger.status_counts.200: expected 3, actual 1"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("twin replay " + fixture + " --seed 7"), std::string::npos) << r.out;
}

TEST_F(TwinReplay, AnUnusableFixtureOrCommandLineExits2) {
  auto bad = write("bad.json", R"({"name": "x", "seed": 1, "duration": "1s", "stack": {},
                                  "traffic": [], "bogus": 1})");
  auto r = run_twin("replay " + bad, true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("$.bogus: unknown key"), std::string::npos) << r.out;
  EXPECT_EQ(run_twin("replay fixtures/scenarios/does_not_exist.json").exit_code, 2);
  EXPECT_EQ(run_twin("replay").exit_code, 2);
  EXPECT_EQ(run_twin("replay fixtures/scenarios/burst_60.json --seed notanumber").exit_code, 2);
  // Several fixtures need {name} in an output path.
  EXPECT_EQ(run_twin("replay fixtures/scenarios/burst_60.json fixtures/scenarios/seed_api_key.json"
                     " --report " +
                     (dir_.path() / "one.json").string())
                .exit_code,
            2);
}

TEST_F(TwinReplay, SeedOptionChangesAStochasticRunAndIsReported) {
  const std::string fixture = "replay fixtures/scenarios/seed_webhook_concurrency_queued.json";
  auto a = json::parse(run_twin(fixture + " --json --seed 5").out);
  auto b = json::parse(run_twin(fixture + " --json --seed 6").out);
  EXPECT_EQ(a.at("seed").as_int64(), 5);
  EXPECT_NE(a.at("digest"), b.at("digest"));
}

}  // namespace
