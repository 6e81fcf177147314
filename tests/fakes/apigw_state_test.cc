// The Gateway's management state across a restart: export_management_state() and
// import_management_state() into a fresh Gateway (what `twin serve --data-dir` does).
#include <boost/json.hpp>

#include "tests/fakes/apigw_fixture.h"

namespace twin::fakes::apigw {
namespace {

namespace json = boost::json;

class ApigwState : public ApigwFixture {
 public:
  // A second gateway on the same clock with the fixture's API and nothing else: the process
  // after a restart, before its import. Its ids come from another seed, so an id it keeps can
  // only have come from the document.
  std::unique_ptr<Gateway> fresh_gateway() {
    auto gateway = std::make_unique<Gateway>(executor_, restarted_ids_, integration_);
    EXPECT_TRUE(gateway->put_rest_api(*gateway_->rest_api(kApiId)).is_ok());
    return gateway;
  }

  // A state with something in every part of the document: keys with every field, a disabled
  // key, a WEEK quota with an offset, a per-method throttle whose rate has no short decimal
  // form, one key in two plans of different stages, and usage on two days.
  void build_rich_state() {
    CreateApiKeyRequest second{
        "team-b", "the second team", true, false, std::string("abcdefghijABCDEFGHIJ0123"),
        "club-7", {{"env", "dev"}}};
    ASSERT_TRUE(gateway_->create_api_key(second).is_ok());
    ASSERT_TRUE(gateway_->create_api_key({"off", "", false, false, std::nullopt, "", {}}).is_ok());
    plan_ = add_plan(ThrottleSettings{1000.0 / 3, 50}, QuotaSettings{5, 1, QuotaPeriod::kWeek},
                     {{"/trigger/POST", ThrottleSettings{2.5, 10}}});
    CreateUsagePlanRequest on_test;
    on_test.name = "test-stage";
    on_test.description = "the test stage";
    on_test.api_stages = {{kApiId, "test", {}}};
    on_test.tags = {{"team", "ops"}};
    auto test_plan = gateway_->create_usage_plan(on_test);
    ASSERT_TRUE(test_plan.is_ok());
    ASSERT_TRUE(gateway_->create_usage_plan_key({test_plan->id, key_.id, "API_KEY"}).is_ok());
    ASSERT_TRUE(gateway_->update_api_key({key_.id, {{"replace", "/name", "renamed", {}}}}).is_ok());
    EXPECT_EQ(burst(2), (std::map<int, int>{{200, 2}}));
    executor_.advance_to(kStartUs + 24 * core::kMicrosPerHour);
    EXPECT_EQ(burst(1), (std::map<int, int>{{200, 1}}));
  }

  GetUsageRequest usage_request(const std::string& plan_id) const {
    return {plan_id, std::nullopt, "2025-12-30", "2026-01-03", std::nullopt, std::nullopt};
  }

  SeededIdSource restarted_ids_{99};
  UsagePlan plan_;
};

// Every management read of `a` answers as `b`'s does.
void expect_same_answers(const Gateway& a, const Gateway& b, const GetUsageRequest& usage) {
  GetApiKeysRequest keys_request;
  keys_request.include_values = true;
  auto keys = a.get_api_keys(keys_request);
  ASSERT_TRUE(keys.is_ok());
  EXPECT_EQ(*keys, *b.get_api_keys(keys_request));
  EXPECT_EQ(*a.get_api_keys({}), *b.get_api_keys({}));
  for (const ApiKey& key : keys->items) {
    EXPECT_EQ(*a.get_api_key({key.id, true}), *b.get_api_key({key.id, true}));
    GetUsagePlansRequest by_key;
    by_key.key_id = key.id;
    EXPECT_EQ(*a.get_usage_plans(by_key), *b.get_usage_plans(by_key));
  }
  auto plans = a.get_usage_plans({});
  ASSERT_TRUE(plans.is_ok());
  EXPECT_EQ(*plans, *b.get_usage_plans({}));
  for (const UsagePlan& plan : plans->items) {
    EXPECT_EQ(*a.get_usage_plan(plan.id), *b.get_usage_plan(plan.id));
    GetUsagePlanKeysRequest plan_keys;
    plan_keys.usage_plan_id = plan.id;
    EXPECT_EQ(*a.get_usage_plan_keys(plan_keys), *b.get_usage_plan_keys(plan_keys));
    GetUsageRequest request = usage;
    request.usage_plan_id = plan.id;
    EXPECT_EQ(*a.get_usage(request), *b.get_usage(request));
  }
}

TEST_F(ApigwState, RoundTripAnswersEveryGetTheSame) {
  build_rich_state();
  const std::string document = gateway_->export_management_state();
  auto restarted = fresh_gateway();
  const core::Status st = restarted->import_management_state(document);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  expect_same_answers(*gateway_, *restarted, usage_request(plan_.id));
  EXPECT_EQ(restarted->get_usage_plans({})->items.size(), 2u);
  EXPECT_EQ(restarted->get_api_key({key_.id, true})->value, key_.value);
  EXPECT_EQ(restarted->get_usage_plan(plan_.id)->throttle->rate_limit, 1000.0 / 3);
  // The same state writes the same text.
  EXPECT_EQ(restarted->export_management_state(), document);
}

TEST_F(ApigwState, UsageCountsSurviveAndTheQuotaGoesOn) {
  build_rich_state();  // 3 of the week's 5 requests used (the week starts on Monday, offset 1)
  auto restarted = fresh_gateway();
  ASSERT_TRUE(restarted->import_management_state(gateway_->export_management_state()).is_ok());
  auto usage = restarted->get_usage(usage_request(plan_.id));
  ASSERT_TRUE(usage.is_ok());
  const std::vector<DailyUsage> days = usage->items.at(key_.id);
  ASSERT_EQ(days.size(), 5u);  // 2025-12-30 .. 2026-01-03
  EXPECT_EQ(days[2].used, 2);  // 2026-01-01
  EXPECT_EQ(days[3].used, 1);
  EXPECT_EQ(days[3].remaining, 2);
  gateway_ = std::move(restarted);
  EXPECT_EQ(burst(3), (std::map<int, int>{{200, 2}, {429, 1}}));
  EXPECT_EQ(gateway_->counters().quota_exceeded, 1);
}

TEST_F(ApigwState, ImportedKeysAreHonouredAndNewIdsDoNotCollide) {
  add_plan(ThrottleSettings{25, 50});
  auto restarted = fresh_gateway();
  ASSERT_TRUE(restarted->import_management_state(gateway_->export_management_state()).is_ok());
  gateway_ = std::move(restarted);
  EXPECT_EQ(status(trigger()), 200);
  EXPECT_EQ(status(trigger("not-a-key-of-this-gateway-at-all")), 403);
  auto created = gateway_->create_api_key({"later", "", true, false, std::nullopt, "", {}});
  ASSERT_TRUE(created.is_ok());
  EXPECT_NE(created->id, key_.id);
  EXPECT_EQ(gateway_->get_api_keys({})->items.size(), 2u);
}

TEST_F(ApigwState, ImportReplacesWhatTheGatewayHeld) {
  add_plan(ThrottleSettings{25, 50});
  const std::string document = gateway_->export_management_state();
  auto other = fresh_gateway();
  ASSERT_TRUE(other->create_api_key({"stack key", "", true, false, std::nullopt, "", {}}).is_ok());
  ASSERT_TRUE(other->import_management_state(document).is_ok());
  auto keys = other->get_api_keys({});
  ASSERT_EQ(keys->items.size(), 1u);
  EXPECT_EQ(keys->items[0].id, key_.id);
}

TEST_F(ApigwState, EmptyStateRoundTrips) {
  auto empty = fresh_gateway();
  const std::string document = empty->export_management_state();
  EXPECT_EQ(document, R"({"format":"twin.apigw.management-state","version":1,"apiKeys":[],)"
                      R"("usagePlans":[],"usage":[]})");
  auto restarted = fresh_gateway();
  ASSERT_TRUE(restarted->import_management_state(document).is_ok());
  EXPECT_TRUE(restarted->get_api_keys({})->items.empty());
}

// Each malformed document is refused with its JSON path, and the gateway keeps its state.
class ApigwStateImportErrors : public ApigwState {
 public:
  void SetUp() override {
    ApigwState::SetUp();
    add_plan(ThrottleSettings{25, 50}, QuotaSettings{100, 0, QuotaPeriod::kDay});
    EXPECT_EQ(status(trigger()), 200);
    good_ = json::parse(gateway_->export_management_state());
    target_ = fresh_gateway();
    ASSERT_TRUE(target_->create_api_key({"kept", "", true, false, std::nullopt, "", {}}).is_ok());
    before_ = target_->export_management_state();
  }
  json::object& doc() { return doc_.as_object(); }
  json::object& key0() { return doc()["apiKeys"].as_array()[0].as_object(); }
  json::object& plan0() { return doc()["usagePlans"].as_array()[0].as_object(); }
  // Imports doc_ (reset to the good document after) and expects `message` in the error.
  void expect_refused(const std::string& message) {
    const core::Status st = target_->import_management_state(json::serialize(doc_));
    EXPECT_EQ(st.code(), core::StatusCode::kInvalidArgument) << st.to_string();
    EXPECT_EQ(st.message(), "management state: " + message);
    EXPECT_EQ(target_->export_management_state(), before_) << "half imported";
    doc_ = good_;
  }

  json::value good_;
  json::value doc_;
  std::unique_ptr<Gateway> target_;
  std::string before_;
};

TEST_F(ApigwStateImportErrors, NotJsonOrNotOurs) {
  const core::Status st = target_->import_management_state("{\"format\":");
  EXPECT_EQ(st.code(), core::StatusCode::kInvalidArgument);
  EXPECT_TRUE(st.message().starts_with("management state: not JSON: ")) << st.message();
  EXPECT_EQ(target_->export_management_state(), before_);
  doc_ = json::array{};
  expect_refused("$: expected an object");
  doc_ = good_;
  doc()["format"] = "something else";
  expect_refused("$.format: expected \"twin.apigw.management-state\"");
  doc_ = good_;
  doc()["version"] = 2;
  expect_refused("$.version: expected 1");
  doc_ = good_;
  doc()["extra"] = true;
  expect_refused("$.extra: unknown member");
}

TEST_F(ApigwStateImportErrors, ApiKeys) {
  doc_ = good_;
  key0().erase("enabled");
  expect_refused("$.apiKeys[0].enabled: missing");
  key0()["enabled"] = "yes";
  expect_refused("$.apiKeys[0].enabled: expected true or false");
  key0()["value"] = "short";
  expect_refused("$.apiKeys[0].value: expected 20 to 128 alphanumeric characters");
  key0()["createdDateUs"] = 1.5;
  expect_refused("$.apiKeys[0].createdDateUs: expected an integer of at least 0");
  key0()["id"] = "";
  expect_refused("$.apiKeys[0].id: expected a non-empty id");
  key0()["tags"] = json::object{{"a", 1}};
  expect_refused("$.apiKeys[0].tags.a: expected a string");
  json::value same = key0();
  doc()["apiKeys"].as_array().push_back(same);
  expect_refused("$.apiKeys[1].id: duplicate id");
  json::object copy = key0();
  copy["id"] = "another";
  doc()["apiKeys"].as_array().push_back(copy);
  expect_refused("$.apiKeys[1].value: duplicate value");
}

TEST_F(ApigwStateImportErrors, UsagePlans) {
  doc_ = good_;
  plan0()["keys"] = json::array{"nokey"};
  expect_refused("$.usagePlans[0].keys[0]: no API key has id nokey");
  plan0()["throttle"] = json::object{{"rateLimit", 25}};
  expect_refused(
      "$.usagePlans[0].throttle.rateLimit: expected a number written as a string (\"25\", "
      "\"2.5\")");
  plan0()["throttle"] = json::object{{"rate", "25"}};
  expect_refused("$.usagePlans[0].throttle.rate: unknown member");
  plan0()["quota"].as_object()["period"] = "YEAR";
  expect_refused("$.usagePlans[0].quota.period: expected DAY, WEEK or MONTH");
  plan0()["createdDate"] = "2026-02-30";
  expect_refused("$.usagePlans[0].createdDate: expected a yyyy-MM-dd date");
  plan0()["apiStages"].as_array()[0].as_object()["stage"] = "gone";
  expect_refused("$.usagePlans[0]: Invalid API Stage {api: abc123, stage: gone} specified for " +
                 std::string("usageplan ") + std::string(plan0()["id"].as_string()));
  plan0()["quota"].as_object()["limit"] = 0;
  expect_refused("$.usagePlans[0]: Invalid quota.limit: must be a positive integer");
  json::object copy = plan0();
  copy["id"] = "zz-second";
  doc()["usagePlans"].as_array().push_back(copy);
  expect_refused("$.usagePlans[1].keys: API key " + key_.id +
                 " is in another usage plan of API stage abc123:prod");
}

TEST_F(ApigwStateImportErrors, Usage) {
  doc_ = good_;
  json::object& entry = doc()["usage"].as_array()[0].as_object();
  EXPECT_EQ(entry["count"].as_int64(), 1);
  entry["count"] = 0;
  expect_refused("$.usage[0].count: expected an integer of at least 1");
  doc()["usage"].as_array()[0].as_object()["keyId"] = "other";
  expect_refused("$.usage[0].keyId: usage plan " + std::string(plan0()["id"].as_string()) +
                 " holds no key other");
  json::value twice = doc()["usage"].as_array()[0];
  doc()["usage"].as_array().push_back(twice);
  expect_refused("$.usage[1]: a second count for the same plan, key and date");
}

}  // namespace
}  // namespace twin::fakes::apigw
