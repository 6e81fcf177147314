// The Lambda fake on a manual executor: every rule of fakes/lambda/lambda_service.h with exact
// counts. Golden durations and error counts come from an independent Python transcription of
// fakes/rng (seed 2026, streams "lambda.duration.fn" and "lambda.errors.fn").
#include "fakes/lambda/lambda_service.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"

namespace twin::fakes::lambda {
namespace {

constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr core::DurationUs kMs = core::kMicrosPerMilli;
constexpr core::DurationUs kSecond = core::kMicrosPerSecond;

// Echoes the event, or fails the way it is told to; records when it ran.
class ScriptedCode : public FunctionCode {
 public:
  enum class Mode { kEcho, kStatusError, kThrow };
  core::Result<std::string> run(std::string_view event_json) override {
    runs.push_back(executor->now());
    if (mode == Mode::kStatusError) return core::internal_error("store failed");
    if (mode == Mode::kThrow) throw std::runtime_error("Handler fails");
    return std::string(event_json);
  }
  Mode mode = Mode::kEcho;
  const core::Executor* executor = nullptr;
  std::vector<core::TimeUs> runs;
};

struct Done {
  InvokeResult result;
  core::TimeUs at = 0;
};

class LambdaTest : public ::testing::Test {
 protected:
  explicit LambdaTest(LambdaOptions options = {})
      : executor_(kStartUs), ids_(7), lambda_(executor_, ids_, rng::Rng(2026), options) {
    code_.executor = &executor_;
  }

  FunctionConfig config(DurationModel d = DurationModel::fixed(100 * kMs)) {
    FunctionConfig c;
    c.function_name = "fn";
    c.duration = d;
    c.init_duration_us = 250 * kMs;
    return c;
  }
  void create(const FunctionConfig& c) {
    auto s = lambda_.create_function(c, code_);
    ASSERT_TRUE(s.is_ok()) << s.to_string();
  }
  void invoke(Payload payload = R"({"x":1})", const std::string& name = "fn") {
    lambda_.invoke(name, std::move(payload), [this](InvokeResult r) {
      done_.push_back({std::move(r), executor_.now()});
    });
  }
  std::size_t count(InvokeResult::Kind kind) const {
    std::size_t n = 0;
    for (const auto& d : done_) n += d.result.kind == kind;
    return n;
  }
  const FunctionMetrics& metrics() { return *lambda_.metrics("fn"); }

  ManualExecutor executor_;
  SeededIdSource ids_;
  LambdaService lambda_;
  ScriptedCode code_;
  std::vector<Done> done_;
};

TEST_F(LambdaTest, ColdStartPaysInitThenAWarmEnvironmentIsReused) {
  create(config());
  invoke();
  EXPECT_TRUE(done_.empty());  // never answered re-entrantly
  executor_.advance(10 * kSecond);
  ASSERT_EQ(done_.size(), 1u);
  EXPECT_EQ(done_[0].result.kind, InvokeResult::Kind::kSuccess);
  EXPECT_EQ(done_[0].result.payload, R"({"x":1})");
  EXPECT_TRUE(done_[0].result.cold_start);
  EXPECT_EQ(done_[0].at, kStartUs + 350 * kMs);       // Init 250 ms + 100 ms
  EXPECT_EQ(code_.runs.at(0), kStartUs + 250 * kMs);  // the code runs after Init
  EXPECT_EQ(done_[0].result.duration_us, 100 * kMs);  // Init excluded
  const core::TimeUs second = executor_.now();
  invoke();
  executor_.advance(10 * kSecond);
  ASSERT_EQ(done_.size(), 2u);
  EXPECT_FALSE(done_[1].result.cold_start);
  EXPECT_EQ(done_[1].at, second + 100 * kMs);
  EXPECT_EQ(metrics().invocations, 2);
  EXPECT_EQ(metrics().cold_starts, 1);
  EXPECT_EQ(lambda_.environments("fn"), 1u);
}

TEST_F(LambdaTest, ConcurrentInvokesEachStartAnEnvironmentAndSetTheHighWaterMark) {
  create(config());
  for (int i = 0; i < 3; ++i) invoke();
  executor_.advance(200 * kMs);
  EXPECT_EQ(lambda_.concurrent_executions("fn"), 3);
  executor_.advance(kSecond);
  EXPECT_EQ(lambda_.concurrent_executions("fn"), 0);
  for (int i = 0; i < 2; ++i) invoke();  // two warm of three idle
  executor_.advance(kSecond);
  EXPECT_EQ(metrics().cold_starts, 3);
  EXPECT_EQ(metrics().concurrency_max, 3);
  EXPECT_EQ(lambda_.environments("fn"), 3u);
  EXPECT_EQ(count(InvokeResult::Kind::kSuccess), 5u);
}

TEST_F(LambdaTest, IdleEnvironmentIsReclaimedAfterTheConfiguredTime) {
  FunctionConfig c = config();
  c.idle_reclaim_us = 600 * kSecond;
  create(c);
  invoke();
  executor_.advance(350 * kMs);  // finished at start + 350 ms
  executor_.advance(300 * kSecond);
  invoke();  // reuse at +300 s restarts the idle clock
  executor_.advance(100 * kMs);
  executor_.advance(600 * kSecond - 1);
  EXPECT_EQ(lambda_.environments("fn"), 1u);  // the first reclaim timer was stale
  executor_.advance(1);
  EXPECT_EQ(lambda_.environments("fn"), 0u);
  invoke();
  executor_.advance(kSecond);
  EXPECT_EQ(metrics().cold_starts, 2);
  EXPECT_TRUE(done_.back().result.cold_start);
}

TEST_F(LambdaTest, ReservedConcurrencyThrottlesWithTheFunctionReason) {
  FunctionConfig c = config(DurationModel::fixed(kSecond));
  c.reserved_concurrent_executions = 2;
  create(c);
  for (int i = 0; i < 3; ++i) invoke();
  executor_.run_due();
  ASSERT_EQ(done_.size(), 1u);
  const InvokeResult& t = done_[0].result;
  EXPECT_EQ(t.kind, InvokeResult::Kind::kThrottled);
  EXPECT_EQ(t.throttle_reason, "ReservedFunctionConcurrentInvocationLimitExceeded");
  EXPECT_EQ(t.status.aws_code(), "TooManyRequestsException");
  EXPECT_EQ(t.status.http_status(), 429);
  EXPECT_EQ(t.payload,
            R"({"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User",)"
            R"("message":"Rate Exceeded."})");
  executor_.advance(2 * kSecond);
  EXPECT_EQ(count(InvokeResult::Kind::kSuccess), 2u);
  EXPECT_EQ(metrics().throttles, 1);
  EXPECT_EQ(metrics().invocations, 2);
  EXPECT_EQ(metrics().concurrency_max, 2);
}

TEST_F(LambdaTest, ReservationOfZeroThrottlesEverything) {
  FunctionConfig c = config();
  c.reserved_concurrent_executions = 0;
  create(c);
  invoke();
  invoke();
  executor_.advance(kSecond);
  EXPECT_EQ(count(InvokeResult::Kind::kThrottled), 2u);
  EXPECT_TRUE(code_.runs.empty());
}

class NewAccountTest : public LambdaTest {
 protected:
  NewAccountTest() : LambdaTest(new_account()) {}
  static LambdaOptions new_account() {
    LambdaOptions o;
    o.account_concurrency_limit = 10;
    return o;
  }
};

TEST_F(NewAccountTest, TwentyConcurrentInvokesOnTheUnreservedPoolOfTenThrottleTen) {
  create(config(DurationModel::fixed(kSecond)));
  for (int i = 0; i < 20; ++i) invoke();
  executor_.advance(5 * kSecond);
  EXPECT_EQ(count(InvokeResult::Kind::kSuccess), 10u);
  EXPECT_EQ(count(InvokeResult::Kind::kThrottled), 10u);
  for (const auto& d : done_) {
    if (d.result.kind == InvokeResult::Kind::kThrottled) {
      EXPECT_EQ(d.result.throttle_reason, "ConcurrentInvocationLimitExceeded");
      EXPECT_EQ(d.at, kStartUs);  // answered at once
    }
  }
  EXPECT_EQ(metrics().throttles, 10);
  EXPECT_EQ(metrics().concurrency_max, 10);
}

TEST_F(NewAccountTest, AnyReservationTakesTheUnreservedPoolBelowItsMinimumOfTen) {
  FunctionConfig c = config();
  c.reserved_concurrent_executions = 1;
  auto s = lambda_.create_function(c, code_);
  EXPECT_EQ(s.aws_code(), "InvalidParameterValueException");
  EXPECT_EQ(s.message(),
            "Specified ReservedConcurrentExecutions for function decreases account's "
            "UnreservedConcurrentExecution below its minimum value of [10].");
  EXPECT_EQ(lambda_.function_config("fn"), nullptr);  // nothing half-created
}

TEST_F(LambdaTest, ReservationsAreCarvedOutOfTheUnreservedPool) {
  FunctionConfig a = config();
  a.reserved_concurrent_executions = 900;
  create(a);
  EXPECT_EQ(lambda_.unreserved_concurrency_limit(), 100);
  FunctionConfig b = config();
  b.function_name = "other";
  b.reserved_concurrent_executions = 1;
  auto s = lambda_.create_function(b, code_);
  EXPECT_EQ(s.aws_code(), "InvalidParameterValueException");
  EXPECT_NE(s.message().find("minimum value of [100]"), std::string::npos);
  b.reserved_concurrent_executions.reset();
  ASSERT_TRUE(lambda_.create_function(b, code_).is_ok());
  EXPECT_EQ(lambda_.concurrency_limit("other"), 100);
  EXPECT_EQ(lambda_.concurrency_limit("fn"), 900);
  ASSERT_TRUE(lambda_.put_function_concurrency("fn", std::nullopt).is_ok());
  EXPECT_EQ(lambda_.unreserved_concurrency_limit(), 1000);
}

TEST_F(LambdaTest, OverTheTimeoutIsSandboxTimedoutAtTheTimeout) {
  FunctionConfig c = config(DurationModel::fixed(2 * kSecond));
  c.timeout_s = 1;
  create(c);
  invoke();
  executor_.advance(10 * kSecond);
  ASSERT_EQ(done_.size(), 1u);
  const InvokeResult& r = done_[0].result;
  EXPECT_EQ(r.kind, InvokeResult::Kind::kTimeout);
  EXPECT_EQ(r.error_type, "Sandbox.Timedout");
  EXPECT_EQ(r.error_message,
            "RequestId: " + r.request_id + " Error: Task timed out after 1.00 seconds");
  EXPECT_EQ(r.payload,
            R"({"errorType":"Sandbox.Timedout","errorMessage":")" + r.error_message + R"("})");
  EXPECT_EQ(done_[0].at, kStartUs + 250 * kMs + kSecond);
  EXPECT_EQ(code_.runs.size(), 1u);  // it ran; its effects stand
  EXPECT_EQ(metrics().errors, 1);
  EXPECT_EQ(metrics().timeouts, 1);
  EXPECT_EQ(metrics().durations_us, std::vector<core::DurationUs>{kSecond});
}

TEST_F(LambdaTest, StatusErrorsAndExceptionsAreFunctionErrors) {
  create(config());
  code_.mode = ScriptedCode::Mode::kStatusError;
  invoke();
  executor_.advance(kSecond);
  code_.mode = ScriptedCode::Mode::kThrow;
  invoke();
  executor_.advance(kSecond);
  ASSERT_EQ(done_.size(), 2u);
  EXPECT_EQ(done_[0].result.kind, InvokeResult::Kind::kFunctionError);
  EXPECT_EQ(done_[0].result.payload, R"({"errorType":"INTERNAL","errorMessage":"store failed"})");
  EXPECT_EQ(done_[1].result.payload, R"({"errorType":"Exception","errorMessage":"Handler fails"})");
  EXPECT_EQ(metrics().errors, 2);
  EXPECT_EQ(metrics().timeouts, 0);
}

TEST_F(LambdaTest, InjectedErrorsByWindowAndByRate) {
  FunctionConfig c = config();
  c.errors.windows = {{kStartUs + 10 * kSecond, kStartUs + 20 * kSecond}};
  create(c);
  executor_.advance_to(kStartUs + 15 * kSecond);
  invoke();
  executor_.advance_to(kStartUs + 20 * kSecond);
  invoke();
  executor_.advance(kSecond);
  ASSERT_EQ(done_.size(), 2u);
  EXPECT_EQ(done_[0].result.kind, InvokeResult::Kind::kFunctionError);
  EXPECT_EQ(done_[0].result.error_type, "Runtime.ExitError");
  EXPECT_EQ(done_[0].result.error_message, "RequestId: " + done_[0].result.request_id +
                                               " Error: Runtime exited without providing a reason");
  EXPECT_EQ(done_[1].result.kind, InvokeResult::Kind::kSuccess);  // window end is exclusive
  EXPECT_EQ(code_.runs.size(), 1u);                               // not run when injected
}

TEST_F(LambdaTest, InjectedErrorRateIsDrawnFromTheFunctionsOwnStream) {
  FunctionConfig c = config(DurationModel::fixed(kMs));
  c.errors.rate = 0.25;
  create(c);
  for (int i = 0; i < 1000; ++i) {
    invoke();
    executor_.advance(kSecond);
  }
  EXPECT_EQ(count(InvokeResult::Kind::kFunctionError), 274u);  // golden, seed 2026
  EXPECT_EQ(metrics().errors, 274);
  EXPECT_EQ(code_.runs.size(), 726u);
}

TEST_F(LambdaTest, UniformDurationsAreTheSeedsGoldenValues) {
  create(config(DurationModel::uniform(100 * kMs, 200 * kMs)));
  for (int i = 0; i < 3; ++i) {
    invoke();
    executor_.advance(kSecond);
  }
  EXPECT_EQ(metrics().durations_us, (std::vector<core::DurationUs>{102452, 108661, 106682}));
}

TEST_F(LambdaTest, LogNormalDurationsAreTheSeedsGoldenValues) {
  create(config(DurationModel::log_normal(100 * kMs, 0.5)));
  for (int i = 0; i < 3; ++i) {
    invoke();
    executor_.advance(kSecond);
  }
  EXPECT_EQ(metrics().durations_us, (std::vector<core::DurationUs>{110002, 108815, 84458}));
}

TEST_F(LambdaTest, RouteClassifierPicksTheDurationModel) {
  FunctionConfig c = config(DurationModel::fixed(10 * kMs));
  c.route_durations = {{"/trigger", DurationModel::fixed(50 * kMs)},
                       {"sqs", DurationModel::fixed(400 * kMs)}};
  create(c);
  for (const char* event : {R"({"resource":"/trigger","httpMethod":"POST"})", R"({"Records":[]})",
                            R"({"resource":"/other"})", "not json"}) {
    invoke(event);
    executor_.advance(kSecond);
  }
  EXPECT_EQ(metrics().durations_us,
            (std::vector<core::DurationUs>{50 * kMs, 400 * kMs, 10 * kMs, 10 * kMs}));
}

TEST_F(LambdaTest, DurationPercentilesAreNearestRank) {
  FunctionMetrics m;
  for (int i = 100; i >= 1; --i) m.durations_us.push_back(i * kMs);
  EXPECT_EQ(m.duration_percentile_us(50), 50 * kMs);
  EXPECT_EQ(m.duration_percentile_us(99), 99 * kMs);
  EXPECT_EQ(m.duration_percentile_us(100), 100 * kMs);
  EXPECT_EQ(FunctionMetrics{}.duration_percentile_us(50), 0);
}

TEST_F(LambdaTest, UnknownFunctionAndOversizedPayloadAreRequestErrors) {
  create(config());
  invoke("{}", "missing");
  invoke(std::string(kSyncPayloadBytesMax + 1, 'x'));
  executor_.run_due();
  ASSERT_EQ(done_.size(), 2u);
  EXPECT_EQ(done_[0].result.kind, InvokeResult::Kind::kRequestError);
  EXPECT_EQ(done_[0].result.status.aws_code(), "ResourceNotFoundException");
  EXPECT_EQ(done_[0].result.status.message(),
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing");
  EXPECT_EQ(done_[1].result.status.aws_code(), "RequestTooLargeException");
  EXPECT_EQ(done_[1].result.status.http_status(), 413);
  EXPECT_EQ(metrics().invocations, 0);
}

TEST_F(LambdaTest, SettingsOutOfRangeNameTheField) {
  FunctionConfig c = config();
  c.timeout_s = 0;
  auto s = lambda_.create_function(c, code_);
  EXPECT_EQ(s.aws_code(), "ValidationException");
  EXPECT_EQ(s.message(),
            "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1");
  c = config();
  c.memory_size_mb = 20'000;
  EXPECT_NE(lambda_.create_function(c, code_).message().find("'memorySize'"), std::string::npos);
  c = config(DurationModel::uniform(5, 1));
  EXPECT_EQ(lambda_.create_function(c, code_).aws_code(), "InvalidParameterValueException");
  c = config();
  c.function_name = "bad name";
  EXPECT_NE(lambda_.create_function(c, code_).message().find("'functionName'"), std::string::npos);
  create(config());
  EXPECT_EQ(lambda_.create_function(config(), code_).aws_code(), "ResourceConflictException");
}

// Answers every event with a typed proxy response whose body has `body_bytes` bytes.
class TypedResponseCode : public FunctionCode {
 public:
  core::Result<std::string> run(std::string_view) override { return invoke("{}")->json(); }
  core::Result<Payload> invoke(const Payload&) override {
    core::ProxyResponse r;
    r.body = std::string(body_bytes, 'x');
    return Payload::of(std::move(r));
  }
  std::size_t body_bytes = 0;
};

// Typed payloads (payload.h) meet the limits and take the routes of their text.
TEST_F(LambdaTest, TypedEventsTakeTheRoutesAndMeetTheLimitsOfTheirText) {
  FunctionConfig c = config(DurationModel::fixed(10 * kMs));
  c.route_durations = {{"/trigger", DurationModel::fixed(50 * kMs)},
                       {"sqs", DurationModel::fixed(400 * kMs)}};
  create(c);
  core::ProxyEvent event;
  event.resource = event.path = "/trigger";
  event.http_method = "POST";
  event.body = "";
  const std::string first_text = core::serialize(event);
  invoke(Payload::of(core::ProxyEvent(event)));
  executor_.advance(kSecond);
  invoke(Payload::of(core::SqsEvent{}));
  executor_.advance(kSecond);
  event.body = std::string(kSyncPayloadBytesMax - first_text.size(), 'x');  // exactly the limit
  invoke(Payload::of(core::ProxyEvent(event)));
  executor_.advance(kSecond);
  event.body->push_back('x');
  invoke(Payload::of(core::ProxyEvent(event)));
  executor_.advance(kSecond);
  ASSERT_EQ(done_.size(), 4u);
  EXPECT_EQ(metrics().durations_us, (std::vector<core::DurationUs>{50 * kMs, 400 * kMs, 50 * kMs}));
  EXPECT_EQ(done_[0].result.payload, first_text);  // the code echoed the event's text
  EXPECT_EQ(done_[2].result.kind, InvokeResult::Kind::kSuccess);
  EXPECT_EQ(done_[2].result.payload.json().size(), kSyncPayloadBytesMax);  // the echoed text
  EXPECT_EQ(done_[3].result.status.aws_code(), "RequestTooLargeException");
}

TEST_F(LambdaTest, ACustomClassifierReadsATypedEventsText) {
  FunctionConfig c = config(DurationModel::fixed(10 * kMs));
  c.route_durations = {{"typed", DurationModel::fixed(70 * kMs)}};
  c.classifier = [](const Payload& event) -> std::string {
    return event.json().find(R"("resource":"/trigger")") != std::string::npos ? "typed" : "";
  };
  create(c);
  core::ProxyEvent event;
  event.resource = event.path = "/trigger";
  event.http_method = "POST";
  invoke(Payload::of(std::move(event)));
  executor_.advance(kSecond);
  EXPECT_EQ(metrics().durations_us, (std::vector<core::DurationUs>{70 * kMs}));
}

TEST_F(LambdaTest, ATypedResponseOverTheLimitIsAFunctionError) {
  TypedResponseCode typed;
  ASSERT_TRUE(lambda_.create_function(config(), typed).is_ok());
  const std::size_t empty_body_bytes = Payload::of(core::ProxyResponse{}).json().size();
  typed.body_bytes = kResponsePayloadBytesMax - empty_body_bytes;  // exactly the limit
  invoke();
  executor_.advance(kSecond);
  typed.body_bytes += 1;
  invoke();
  executor_.advance(kSecond);
  ASSERT_EQ(done_.size(), 2u);
  EXPECT_EQ(done_[0].result.kind, InvokeResult::Kind::kSuccess);
  EXPECT_NE(done_[0].result.payload.proxy_response(), nullptr);
  EXPECT_EQ(done_[0].result.payload.json().size(), kResponsePayloadBytesMax);
  EXPECT_EQ(done_[1].result.kind, InvokeResult::Kind::kFunctionError);
  EXPECT_EQ(done_[1].result.error_type, "Function.ResponseSizeTooLarge");
}

}  // namespace
}  // namespace twin::fakes::lambda
