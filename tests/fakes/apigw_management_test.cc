// The API Gateway fake's management operations and their validation errors (reference 1.7).
#include "tests/fakes/apigw_fixture.h"

namespace twin::fakes::apigw {
namespace {

using ApigwManagement = ApigwFixture;

TEST_F(ApigwManagement, CreateApiKeyGeneratesDeterministicIdsAndValues) {
  EXPECT_EQ(key_.id.size(), kGeneratedIdLength);
  EXPECT_EQ(key_.value.size(), kGeneratedKeyValueLength);
  EXPECT_EQ(key_.created_date, kStartUs);
  EXPECT_TRUE(key_.enabled);
  auto explicit_value = gateway_->create_api_key(
      {"k2", "", false, false, std::string("abcdefghijABCDEFGHIJ0123"), "cust", {}});
  ASSERT_TRUE(explicit_value.is_ok());
  EXPECT_EQ(explicit_value->value, "abcdefghijABCDEFGHIJ0123");
  EXPECT_FALSE(explicit_value->enabled);
  // The same seed gives the same id and value.
  ManualExecutor executor(kStartUs);
  SeededIdSource ids(11);
  ScriptedIntegration integration(executor);
  Gateway again(executor, ids, integration);
  RestApi api;
  api.id = kApiId;
  ASSERT_TRUE(again.put_rest_api(api).is_ok());
  auto same = again.create_api_key({"manager", "", true, false, std::nullopt, "", {}});
  ASSERT_TRUE(same.is_ok());
  EXPECT_EQ(same->id, key_.id);
  EXPECT_EQ(same->value, key_.value);
}

TEST_F(ApigwManagement, CreateApiKeyValidation) {
  auto req = [](std::string value) {
    return CreateApiKeyRequest{"k", "", true, false, std::move(value), "", {}};
  };
  EXPECT_AWS_ERROR(gateway_->create_api_key(req(std::string(19, 'a'))).status(), kBadRequest, 400);
  EXPECT_AWS_ERROR(gateway_->create_api_key(req(std::string(129, 'a'))).status(), kBadRequest, 400);
  EXPECT_AWS_ERROR(gateway_->create_api_key(req(std::string(20, 'a') + "-")).status(), kBadRequest,
                   400);
  EXPECT_AWS_ERROR(gateway_->create_api_key(req(key_.value)).status(), kConflict, 409);
  auto all = gateway_->get_api_keys({});
  ASSERT_TRUE(all.is_ok());
  EXPECT_EQ(all->items.size(), 1u);  // nothing half-written
}

TEST_F(ApigwManagement, GetApiKeysPagesFiltersAndHidesValues) {
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(gateway_
                    ->create_api_key({"team-" + std::to_string(i),
                                      "",
                                      true,
                                      false,
                                      std::nullopt,
                                      i % 2 == 0 ? "even" : "odd",
                                      {}})
                    .is_ok());
  }
  GetApiKeysRequest req;
  req.limit = 2;
  auto first = gateway_->get_api_keys(req);
  ASSERT_TRUE(first.is_ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_TRUE(first->items[0].value.empty());
  ASSERT_TRUE(first->position.has_value());
  req.position = first->position;
  auto second = gateway_->get_api_keys(req);
  ASSERT_TRUE(second.is_ok());
  req.position = second->position;
  auto third = gateway_->get_api_keys(req);
  ASSERT_TRUE(third.is_ok());
  EXPECT_EQ(first->items.size() + second->items.size() + third->items.size(), 5u);
  EXPECT_FALSE(third->position.has_value());
  GetApiKeysRequest named;
  named.name_query = "team-";
  named.include_values = true;
  named.customer_id = "even";
  auto found = gateway_->get_api_keys(named);
  ASSERT_TRUE(found.is_ok());
  ASSERT_EQ(found->items.size(), 2u);
  EXPECT_EQ(found->items[0].value.size(), kGeneratedKeyValueLength);
  GetApiKeysRequest too_many;
  too_many.limit = 501;
  EXPECT_AWS_ERROR(gateway_->get_api_keys(too_many).status(), kBadRequest, 400);
  EXPECT_AWS_ERROR(gateway_->get_api_key({"nope", false}).status(), kNotFound, 404);
  auto one = gateway_->get_api_key({key_.id, true});
  ASSERT_TRUE(one.is_ok());
  EXPECT_EQ(one->value, key_.value);
  EXPECT_TRUE(gateway_->get_api_key({key_.id, false})->value.empty());
}

TEST_F(ApigwManagement, CreateUsagePlanValidation) {
  CreateUsagePlanRequest ok;
  ok.name = "p";
  ok.throttle = ThrottleSettings{25.0, 50};
  ok.quota = QuotaSettings{1'000, 0, QuotaPeriod::kDay};
  ok.api_stages = {{kApiId, "prod", {{"/trigger/POST", {5.0, 10}}}}};
  ASSERT_TRUE(gateway_->create_usage_plan(ok).is_ok());
  auto with = [&](auto change) {
    CreateUsagePlanRequest r = ok;
    change(r);
    return gateway_->create_usage_plan(r).status();
  };
  EXPECT_AWS_ERROR(with([](auto& r) { r.name.clear(); }), kBadRequest, 400);
  EXPECT_AWS_ERROR(with([](auto& r) { r.throttle->rate_limit = -1; }), kBadRequest, 400);
  EXPECT_AWS_ERROR(with([](auto& r) { r.throttle->burst_limit = -1; }), kBadRequest, 400);
  EXPECT_AWS_ERROR(with([](auto& r) { r.quota->limit = 0; }), kBadRequest, 400);
  EXPECT_AWS_ERROR(with([](auto& r) { r.quota->offset = 1; }), kBadRequest, 400);  // DAY
  EXPECT_AWS_ERROR(with([](auto& r) {
                     r.quota = QuotaSettings{5, 7, QuotaPeriod::kWeek};
                   }),
                   kBadRequest, 400);
  EXPECT_AWS_ERROR(with([](auto& r) {
                     r.quota = QuotaSettings{5, 28, QuotaPeriod::kMonth};
                   }),
                   kBadRequest, 400);
  auto missing_stage = with([](auto& r) { r.api_stages[0].stage = "dev"; });
  EXPECT_AWS_ERROR(missing_stage, kNotFound, 404);
  EXPECT_EQ(missing_stage.message(),
            "Invalid API Stage {api: abc123, stage: dev} specified for usageplan ");
  EXPECT_AWS_ERROR(with([](auto& r) { r.api_stages[0].api_id = "zzz"; }), kNotFound, 404);
  EXPECT_AWS_ERROR(with([](auto& r) { r.api_stages.push_back(r.api_stages[0]); }), kBadRequest,
                   400);
  EXPECT_AWS_ERROR(with([](auto& r) {
                     r.api_stages[0].throttle = {{"/nope/GET", {1.0, 1}}};
                   }),
                   kBadRequest, 400);
  auto plans = gateway_->get_usage_plans({});
  ASSERT_TRUE(plans.is_ok());
  EXPECT_EQ(plans->items.size(), 1u);
}

TEST_F(ApigwManagement, UsagePlanKeys) {
  UsagePlan plan = add_plan(ThrottleSettings{25.0, 50});
  EXPECT_AWS_ERROR(gateway_->create_usage_plan_key({plan.id, key_.id, "API_KEY"}).status(),
                   kConflict, 409);
  EXPECT_AWS_ERROR(gateway_->create_usage_plan_key({"nope", key_.id, "API_KEY"}).status(),
                   kNotFound, 404);
  EXPECT_AWS_ERROR(gateway_->create_usage_plan_key({plan.id, "nope", "API_KEY"}).status(),
                   kNotFound, 404);
  EXPECT_AWS_ERROR(gateway_->create_usage_plan_key({plan.id, key_.id, "OTHER"}).status(),
                   kBadRequest, 400);
  // A second plan on the same stage cannot take the same key.
  CreateUsagePlanRequest second;
  second.name = "second";
  second.api_stages = {{kApiId, "prod", {}}};
  auto other = gateway_->create_usage_plan(second);
  ASSERT_TRUE(other.is_ok());
  EXPECT_AWS_ERROR(gateway_->create_usage_plan_key({other->id, key_.id, "API_KEY"}).status(),
                   kBadRequest, 400);
  auto keys = gateway_->get_usage_plan_keys({plan.id, {}, {}, {}});
  ASSERT_TRUE(keys.is_ok());
  ASSERT_EQ(keys->items.size(), 1u);
  EXPECT_EQ(keys->items[0].id, key_.id);
  EXPECT_EQ(keys->items[0].value, key_.value);
  EXPECT_EQ(keys->items[0].type, "API_KEY");
  GetUsagePlansRequest by_key;
  by_key.key_id = key_.id;
  auto plans = gateway_->get_usage_plans(by_key);
  ASSERT_TRUE(plans.is_ok());
  ASSERT_EQ(plans->items.size(), 1u);
  EXPECT_EQ(plans->items[0].id, plan.id);
}

TEST_F(ApigwManagement, UpdateUsagePlanPatchOperations) {
  UsagePlan plan = add_plan(ThrottleSettings{25.0, 50});
  auto updated = gateway_->update_usage_plan(
      {plan.id,
       {{"replace", "/name", "renamed", {}},
        {"replace", "/throttle/rateLimit", "12.5", {}},
        {"replace", "/quota/limit", "100", {}},
        {"replace", "/quota/period", "WEEK", {}},
        {"replace", "/quota/offset", "1", {}},
        {"replace", "/apiStages/abc123:prod/throttle/~1trigger/POST/rateLimit", "2", {}},
        {"replace", "/apiStages/abc123:prod/throttle//trigger/POST/burstLimit", "3", {}},
        {"add", "/apiStages", "abc123:test", {}}}});
  ASSERT_TRUE(updated.is_ok()) << updated.status().to_string();
  EXPECT_EQ(updated->name, "renamed");
  EXPECT_EQ(updated->throttle->rate_limit, 12.5);
  EXPECT_EQ(updated->quota->limit, 100);
  EXPECT_EQ(updated->quota->period, QuotaPeriod::kWeek);
  EXPECT_EQ(updated->quota->offset, 1);
  ASSERT_EQ(updated->api_stages.size(), 2u);
  EXPECT_EQ(updated->api_stages[0].throttle.at("/trigger/POST").rate_limit, 2.0);
  EXPECT_EQ(updated->api_stages[0].throttle.at("/trigger/POST").burst_limit, 3);
  EXPECT_EQ(burst(4), (std::map<int, int>{{200, 3}, {429, 1}}));
  // A bad operation anywhere changes nothing.
  auto bad = gateway_->update_usage_plan(
      {plan.id,
       {{"replace", "/name", "again", {}}, {"replace", "/throttle/rateLimit", "fast", {}}}});
  EXPECT_AWS_ERROR(bad.status(), kBadRequest, 400);
  EXPECT_EQ(gateway_->get_usage_plan(plan.id)->name, "renamed");
  EXPECT_AWS_ERROR(gateway_->update_usage_plan({plan.id, {{"replace", "/nope", "x", {}}}}).status(),
                   kBadRequest, 400);
  EXPECT_AWS_ERROR(
      gateway_->update_usage_plan({plan.id, {{"replace", "/quota/period", "YEAR", {}}}}).status(),
      kBadRequest, 400);
  EXPECT_AWS_ERROR(
      gateway_->update_usage_plan({plan.id, {{"replace", "/quota/offset", "9", {}}}}).status(),
      kBadRequest, 400);
  EXPECT_AWS_ERROR(
      gateway_->update_usage_plan({plan.id, {{"add", "/apiStages", "abc123:dev", {}}}}).status(),
      kNotFound, 404);
  EXPECT_AWS_ERROR(gateway_->update_usage_plan({"nope", {}}).status(), kNotFound, 404);
  auto removed = gateway_->update_usage_plan(
      {plan.id,
       {{"remove", "/apiStages/abc123:prod/throttle/~1trigger/POST", {}, {}},
        {"remove", "/quota", {}, {}},
        {"remove", "/throttle", {}, {}}}});
  ASSERT_TRUE(removed.is_ok()) << removed.status().to_string();
  EXPECT_FALSE(removed->quota.has_value());
  EXPECT_FALSE(removed->throttle.has_value());
  EXPECT_TRUE(removed->api_stages[0].throttle.empty());
}

TEST_F(ApigwManagement, GetUsageValidationAndPerDayCounts) {
  UsagePlan plan = add_plan(std::nullopt, QuotaSettings{10, 0, QuotaPeriod::kMonth});
  EXPECT_EQ(burst(2), (std::map<int, int>{{200, 2}}));
  executor_.advance(24 * core::kMicrosPerHour);
  EXPECT_EQ(burst(3), (std::map<int, int>{{200, 3}}));
  auto usage = gateway_->get_usage({plan.id, key_.id, "2026-01-01", "2026-01-03", {}, {}});
  ASSERT_TRUE(usage.is_ok()) << usage.status().to_string();
  EXPECT_EQ(usage->usage_plan_id, plan.id);
  const auto& days = usage->items.at(key_.id);
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[0].used, 2);
  EXPECT_EQ(days[0].remaining, 8);
  EXPECT_EQ(days[1].used, 3);
  EXPECT_EQ(days[1].remaining, 5);
  EXPECT_EQ(days[2].used, 0);
  EXPECT_EQ(days[2].remaining, 5);
  auto get = [&](std::string start, std::string end) {
    return gateway_->get_usage({plan.id, std::nullopt, start, end, {}, {}}).status();
  };
  EXPECT_AWS_ERROR(get("2026-1-01", "2026-01-02"), kBadRequest, 400);
  EXPECT_AWS_ERROR(get("2026-02-30", "2026-03-01"), kBadRequest, 400);
  EXPECT_AWS_ERROR(get("2026-01-03", "2026-01-02"), kBadRequest, 400);
  EXPECT_AWS_ERROR(get("2026-01-01", "2026-04-01"), kBadRequest, 400);
  EXPECT_TRUE(get("2026-01-01", "2026-03-31").is_ok());  // 90 days
  EXPECT_AWS_ERROR(gateway_->get_usage({"nope", {}, "2026-01-01", "2026-01-01", {}, {}}).status(),
                   kNotFound, 404);
}

TEST_F(ApigwManagement, PutRestApiValidation) {
  RestApi bad;
  bad.resources = {{"", "trigger", {}}};
  EXPECT_AWS_ERROR(gateway_->put_rest_api(bad).status(), kBadRequest, 400);
  bad.resources = {{"", "/a", {}}, {"", "/a", {}}};
  EXPECT_AWS_ERROR(gateway_->put_rest_api(bad).status(), kConflict, 409);
}

TEST_F(ApigwManagement, UpdateApiKeyPatchOperations) {
  executor_.advance(kSecond);
  auto updated = gateway_->update_api_key({key_.id,
                                           {{"replace", "/enabled", "false", {}},
                                            {"replace", "/name", "renamed", {}},
                                            {"replace", "/description", "d", {}},
                                            {"replace", "/customerId", "c", {}}}});
  ASSERT_TRUE(updated.is_ok()) << updated.status().to_string();
  EXPECT_FALSE(updated->enabled);
  EXPECT_EQ(updated->name, "renamed");
  EXPECT_EQ(updated->description, "d");
  EXPECT_EQ(updated->customer_id, "c");
  EXPECT_TRUE(updated->value.empty());  // UpdateApiKey does not answer the value
  EXPECT_EQ(updated->created_date, kStartUs);
  EXPECT_EQ(updated->last_updated_date, kStartUs + kSecond);
  EXPECT_EQ(status(trigger()), 403);  // disabled
  // All or nothing: one bad operation leaves the key as it was.
  const ApiKey before = *gateway_->get_api_key({key_.id, true});
  auto update = [&](std::string op, std::string path, std::string value) {
    return gateway_
        ->update_api_key({key_.id, {{"replace", "/name", "x", {}}, {op, path, value, {}}}})
        .status();
  };
  EXPECT_AWS_ERROR(update("replace", "/enabled", "yes"), kBadRequest, 400);
  EXPECT_AWS_ERROR(update("replace", "/value", "abc"), kBadRequest, 400);
  EXPECT_AWS_ERROR(update("add", "/stages", "abc123/prod"), kBadRequest, 400);
  EXPECT_EQ(*gateway_->get_api_key({key_.id, true}), before);
  EXPECT_AWS_ERROR(gateway_->update_api_key({"nope", {}}).status(), kNotFound, 404);
}

TEST_F(ApigwManagement, RestApisAndStages) {
  auto apis = gateway_->get_rest_apis({});
  ASSERT_TRUE(apis.is_ok());
  ASSERT_EQ(apis->items.size(), 1u);
  EXPECT_EQ(apis->items[0].id, kApiId);
  EXPECT_EQ(*gateway_->get_rest_api(kApiId), apis->items[0]);
  auto stages = gateway_->get_stages(kApiId, std::nullopt);
  ASSERT_TRUE(stages.is_ok());
  ASSERT_EQ(stages->size(), 2u);
  EXPECT_EQ((*stages)[0].stage_name, "prod");
  EXPECT_EQ(gateway_->get_stages(kApiId, std::string("dep2"))->size(), 1u);
  EXPECT_EQ(gateway_->get_stage(kApiId, "test")->deployment_id, "dep2");
  const core::Status missing_api = gateway_->get_rest_api("nope").status();
  EXPECT_AWS_ERROR(missing_api, kNotFound, 404);
  EXPECT_EQ(missing_api.message(), "Invalid API identifier specified 123456789012:nope");
  EXPECT_AWS_ERROR(gateway_->get_stages("nope", std::nullopt).status(), kNotFound, 404);
  EXPECT_AWS_ERROR(gateway_->get_stage(kApiId, "dev").status(), kNotFound, 404);
  GetRestApisRequest bad_limit;
  bad_limit.limit = 0;
  EXPECT_AWS_ERROR(gateway_->get_rest_apis(bad_limit).status(), kBadRequest, 400);
}

}  // namespace
}  // namespace twin::fakes::apigw
