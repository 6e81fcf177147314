// Token buckets and the throttle order of the API Gateway fake (reference 1.1), with exact
// counts: the seed's usage plan is rateLimit 25 / burstLimit 50.
#include "fakes/apigw/token_bucket.h"
#include "tests/fakes/apigw_fixture.h"

namespace twin::fakes::apigw {
namespace {

using ApigwThrottle = ApigwFixture;

TEST(TokenBucket, StartsFullRefillsContinuouslyCapsAtBurst) {
  TokenBucket bucket(rate_limit_to_milli_rps(25), 50, 0);
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(bucket.try_take(0)) << i;
  EXPECT_FALSE(bucket.try_take(0));
  EXPECT_FALSE(bucket.try_take(39'999));  // one token takes exactly 40 ms at 25 rps
  EXPECT_TRUE(bucket.try_take(40'000));
  EXPECT_FALSE(bucket.try_take(40'000));
  EXPECT_TRUE(bucket.has_token(3'600 * kSecond));
  EXPECT_EQ(bucket.tokens(), 50);  // a long idle span fills it to the burst, no further
  TokenBucket fractional(rate_limit_to_milli_rps(0.5), 1, 0);
  EXPECT_TRUE(fractional.try_take(0));
  EXPECT_FALSE(fractional.try_take(1'999'999));
  EXPECT_TRUE(fractional.try_take(2'000'000));
  TokenBucket closed(rate_limit_to_milli_rps(100), 0, 0);
  EXPECT_FALSE(closed.try_take(10 * kSecond));
  EXPECT_EQ(rate_limit_to_milli_rps(-1), 0);
  EXPECT_EQ(rate_limit_to_milli_rps(2.0004), 2'000);
}

TEST_F(ApigwThrottle, SixtyAtOneInstantGiveFiftyAndTenThrottled) {
  add_plan(ThrottleSettings{25.0, 50});
  EXPECT_EQ(burst(60), (std::map<int, int>{{200, 50}, {429, 10}}));
  auto r = send(trigger());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, R"({"message":"Too Many Requests"})");
  EXPECT_EQ(r->header("x-amzn-ErrorType"), "TooManyRequestsException");
  EXPECT_EQ(r->gateway_response, GatewayResponseType::kThrottled);
  EXPECT_EQ(integration_.call_count(), 50u);
}

TEST_F(ApigwThrottle, ThirtySpacedAHundredMillisecondsApartAllPass) {
  add_plan(ThrottleSettings{25.0, 50});
  std::map<int, int> by_status;
  for (int i = 0; i < 30; ++i) {
    executor_.advance_to(kStartUs + i * 100 * kMilli);
    ++by_status[status(trigger())];
  }
  EXPECT_EQ(by_status, (std::map<int, int>{{200, 30}}));
}

TEST_F(ApigwThrottle, SteadyFortyPerSecondForAMinute) {
  add_plan(ThrottleSettings{25.0, 50});
  // 2,400 requests at t_k = 25 ms * k, k = 0..2399; the last at 59.975 s.
  // While every request passes, the bucket before request k holds 50 + 25 * 0.025k - k =
  // 50 - 0.375k tokens, at least one while k <= 130: the first 131 pass. From then on arrivals
  // outrun the refill, so the bucket never reaches its cap again and no refill is lost: the
  // requests that pass are exactly the tokens that ever existed by the last arrival,
  // floor(50 + 25 tokens/s * 59.975 s) = floor(1,549.375) = 1,549. The rest, 851, get 429.
  std::map<int, int> by_status;
  for (int k = 0; k < 2'400; ++k) {
    executor_.advance_to(kStartUs + k * 25 * kMilli);
    ++by_status[status(trigger())];
  }
  EXPECT_EQ(by_status, (std::map<int, int>{{200, 1'549}, {429, 851}}));
}

TEST_F(ApigwThrottle, ThrottleIsPerKey) {
  UsagePlan plan = add_plan(ThrottleSettings{1.0, 2});
  auto other = gateway_->create_api_key({"other", "", true, false, std::nullopt, "", {}});
  ASSERT_TRUE(other.is_ok());
  ASSERT_TRUE(gateway_->create_usage_plan_key({plan.id, other->id, "API_KEY"}).is_ok());
  EXPECT_EQ(burst(3), (std::map<int, int>{{200, 2}, {429, 1}}));
  EXPECT_EQ(status(trigger(other->value)), 200);
  EXPECT_EQ(status(trigger(other->value)), 200);
  EXPECT_EQ(status(trigger(other->value)), 429);
}

TEST_F(ApigwThrottle, PlanMethodThrottleReplacesPlanWide) {
  add_plan(ThrottleSettings{1.0, 1}, std::nullopt, {{"/trigger/POST", {100.0, 3}}});
  EXPECT_EQ(burst(5), (std::map<int, int>{{200, 3}, {429, 2}}));
}

TEST_F(ApigwThrottle, PlanMethodThrottleAddsWhenConfigured) {
  GatewayOptions options;
  options.plan_method_throttle_replaces_plan = false;
  make_gateway(options);
  add_plan(ThrottleSettings{1.0, 1}, std::nullopt, {{"/trigger/POST", {100.0, 3}}});
  EXPECT_EQ(burst(5), (std::map<int, int>{{200, 1}, {429, 4}}));
}

TEST_F(ApigwThrottle, StageMethodSettingThenDefaultThenAccount) {
  make_gateway({}, {{"*/*", {100.0, 4}}, {"/trigger/POST", {100.0, 2}}});
  add_plan(ThrottleSettings{100.0, 100});
  EXPECT_EQ(burst(3), (std::map<int, int>{{200, 2}, {429, 1}}));  // the method's own setting
  HttpRequest hook = trigger();
  hook.path = "/prod/webhook";
  std::map<int, int> hooks;
  for (int i = 0; i < 6; ++i) ++hooks[status(hook)];
  EXPECT_EQ(hooks, (std::map<int, int>{{200, 4}, {429, 2}}));  // the stage default, per method
  ASSERT_TRUE(gateway_->set_account_throttle(10, 1).is_ok());
  executor_.advance(10 * kSecond);
  EXPECT_EQ(status(hook), 200);
  EXPECT_EQ(status(hook), 429);  // the account bucket (burst 1) is empty now
  EXPECT_EQ(status(trigger()), 429);
  EXPECT_AWS_ERROR(gateway_->set_account_throttle(-1, 5), kBadRequest, 400);
}

TEST_F(ApigwThrottle, LaterLevelRejectionKeepsEarlierTokensByDefault) {
  make_gateway({}, {{"/trigger/POST", {0.0, 1}}});
  add_plan(ThrottleSettings{0.0, 3});  // neither bucket refills
  // Request 1 takes a plan and a stage token; 2 and 3 take a plan token and fail at the stage.
  EXPECT_EQ(burst(4), (std::map<int, int>{{200, 1}, {429, 3}}));
}

TEST_F(ApigwThrottle, LaterLevelRejectionRefundsWhenConfigured) {
  GatewayOptions options;
  options.refund_on_later_rejection = true;
  make_gateway(options, {{"/trigger/POST", {0.0, 1}}});
  add_plan(ThrottleSettings{0.0, 3});
  EXPECT_EQ(burst(4), (std::map<int, int>{{200, 1}, {429, 3}}));
  // Nothing was taken from the plan bucket by the rejected requests: two tokens are left, which
  // a later stage token would let through.
  ASSERT_TRUE(gateway_->put_rest_api(*gateway_->rest_api(kApiId)).is_ok());  // stage buckets anew
  EXPECT_EQ(burst(3), (std::map<int, int>{{200, 1}, {429, 2}}));
}

TEST_F(ApigwThrottle, WithoutRefundRejectedRequestsDrainedThePlanBucket) {
  make_gateway({}, {{"/trigger/POST", {0.0, 1}}});
  add_plan(ThrottleSettings{0.0, 3});
  EXPECT_EQ(burst(4), (std::map<int, int>{{200, 1}, {429, 3}}));
  ASSERT_TRUE(gateway_->put_rest_api(*gateway_->rest_api(kApiId)).is_ok());
  EXPECT_EQ(burst(2), (std::map<int, int>{{429, 2}}));  // the plan bucket is empty
}

TEST_F(ApigwThrottle, ThrottledRequestsUseNoQuota) {
  UsagePlan plan = add_plan(ThrottleSettings{25.0, 50}, QuotaSettings{1'000, 0, QuotaPeriod::kDay});
  EXPECT_EQ(burst(60), (std::map<int, int>{{200, 50}, {429, 10}}));
  auto usage = gateway_->get_usage({plan.id, std::nullopt, "2026-01-01", "2026-01-01", {}, {}});
  ASSERT_TRUE(usage.is_ok());
  EXPECT_EQ(usage->items.at(key_.id).at(0).used, 50);
  EXPECT_EQ(usage->items.at(key_.id).at(0).remaining, 950);
}

TEST_F(ApigwThrottle, UpdatingThePlanThrottleTakesEffect) {
  UsagePlan plan = add_plan(ThrottleSettings{25.0, 50});
  EXPECT_EQ(burst(50), (std::map<int, int>{{200, 50}}));
  auto updated = gateway_->update_usage_plan(
      {plan.id, {{"replace", "/throttle/burstLimit", "5", std::nullopt}}});
  ASSERT_TRUE(updated.is_ok()) << updated.status().to_string();
  EXPECT_EQ(updated->throttle->burst_limit, 5);
  EXPECT_EQ(burst(6), (std::map<int, int>{{200, 5}, {429, 1}}));
}

}  // namespace
}  // namespace twin::fakes::apigw
