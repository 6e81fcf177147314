// The API Gateway management API over HTTP values (sim/http/apigw_management.h): each
// operation's wire shape as botocore's apigateway model sends and reads it, its errors as
// rest-json errors, and the seed's provisioning commands end to end.
//
// Request bodies below are byte for byte what botocore 1.43.11 serialises for the command named
// beside them (the seed's, as awscli 1.45.11 sends them with --debug; json.dumps's ", " / ": ").
#include "sim/http/apigw_management.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "tests/fakes/apigw_fixture.h"

namespace twin::sim::http {
namespace {

namespace json = boost::json;
using fakes::apigw::ApigwFixture;
using fakes::apigw::kApiId;
using fakes::apigw::kSecond;
using fakes::apigw::kStartUs;

constexpr std::int64_t kStartSeconds = kStartUs / core::kMicrosPerSecond;

class ApigwManagementApiTest : public ApigwFixture {
 public:
  WireResponse call(std::string method, std::string target, std::string body = "") {
    WireRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    if (!body.empty()) request.headers = {{"Content-Type", "application/json"}};
    request.body = std::move(body);
    return api_->handle(request);
  }
  static json::object parsed(const WireResponse& response) {
    return json::parse(response.body).as_object();
  }
  // The response is rest-json error `type` with `status` and exactly `message`.
  static void expect_error(const WireResponse& response, int status, std::string_view type,
                           const std::string& message) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.header("x-amzn-ErrorType").value_or(""), type);
    EXPECT_EQ(response.header("Content-Type").value_or(""), "application/json");
    EXPECT_EQ(response.body, json::serialize(json::object{{"message", message}}));
  }
  // The seed's `aws apigateway create-api-key --name UrmstonTownRegistrationKey --enabled`.
  json::object create_seed_key() {
    const WireResponse created =
        call("POST", "/apikeys", R"({"name": "UrmstonTownRegistrationKey", "enabled": true})");
    EXPECT_EQ(created.status, 201) << created.body;
    return parsed(created);
  }

  void SetUp() override {
    ApigwFixture::SetUp();
    api_ = std::make_unique<ApigwManagementApi>(*gateway_);
  }

  std::unique_ptr<ApigwManagementApi> api_;
};

// "%4A": the character percent-encoded, as a client may send any byte of a label.
std::string percent_encoded(char c) {
  constexpr char kHex[] = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(c);
  return {'%', kHex[byte >> 4], kHex[byte & 15]};
}

TEST_F(ApigwManagementApiTest, CreateApiKeyAnswersAwsShape) {
  const WireResponse created =
      call("POST", "/apikeys", R"({"name": "UrmstonTownRegistrationKey", "enabled": true})");
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.header("Content-Type").value_or(""), "application/json");
  const json::object key = parsed(created);
  const std::string id(key.at("id").as_string()), value(key.at("value").as_string());
  EXPECT_EQ(id.size(), fakes::apigw::kGeneratedIdLength);
  EXPECT_EQ(value.size(), fakes::apigw::kGeneratedKeyValueLength);
  // Exactly AWS's recorded members, timestamps as epoch seconds, no empty optionals.
  EXPECT_EQ(created.body, R"({"id":")" + id + R"(","value":")" + value +
                              R"(","name":"UrmstonTownRegistrationKey","enabled":true,)"
                              R"("createdDate":)" +
                              std::to_string(kStartSeconds) + R"(,"lastUpdatedDate":)" +
                              std::to_string(kStartSeconds) + R"(,"stageKeys":[]})");
  const WireResponse full =
      call("POST", "/apikeys",
           R"({"name": "k2", "description": "d", "enabled": false, "generateDistinctId": true, )"
           R"("value": "abcdefghijABCDEFGHIJ0123", "customerId": "club", "tags": {"a": "b"}})");
  ASSERT_EQ(full.status, 201) << full.body;
  const json::object k2 = parsed(full);
  EXPECT_EQ(k2.at("value"), "abcdefghijABCDEFGHIJ0123");
  EXPECT_EQ(k2.at("customerId"), "club");
  EXPECT_EQ(k2.at("description"), "d");
  EXPECT_EQ(k2.at("enabled"), false);
  EXPECT_EQ(k2.at("tags"), (json::object{{"a", "b"}}));
  expect_error(call("POST", "/apikeys", R"({"value": "abcdefghijABCDEFGHIJ0123"})"), 409,
               "ConflictException", "API Key value already exists");
}

TEST_F(ApigwManagementApiTest, GetApiKeysListsAsItemAndHidesValues) {
  create_seed_key();
  // aws apigateway get-api-keys --include-values --name-query Urm --limit 1
  WireResponse listed = call("GET", "/apikeys?includeValues=true&name=Urm&limit=1");
  ASSERT_EQ(listed.status, 200) << listed.body;
  json::object page = parsed(listed);
  ASSERT_EQ(page.at("item").as_array().size(), 1u);  // botocore's `items` travels as "item"
  EXPECT_FALSE(page.contains("items"));
  EXPECT_FALSE(page.contains("position"));
  const json::object& key = page.at("item").as_array()[0].as_object();
  EXPECT_EQ(key.at("name"), "UrmstonTownRegistrationKey");
  EXPECT_TRUE(key.contains("value"));
  page = parsed(call("GET", "/apikeys?limit=1"));
  ASSERT_EQ(page.at("item").as_array().size(), 1u);
  EXPECT_FALSE(page.at("item").as_array()[0].as_object().contains("value"));
  ASSERT_TRUE(page.contains("position"));
  const std::string position(page.at("position").as_string());
  page = parsed(call("GET", "/apikeys?limit=1&position=" + position));
  EXPECT_EQ(page.at("item").as_array()[0].as_object().at("id").as_string(), position);
  page = parsed(call("GET", "/apikeys?customerId=nobody"));
  EXPECT_TRUE(page.at("item").as_array().empty());
  expect_error(call("GET", "/apikeys?includeValues=yes"), 400, "BadRequestException",
               "Invalid query parameter includeValues='yes': must be true or false");
  expect_error(call("GET", "/apikeys?limit=ten"), 400, "BadRequestException",
               "Invalid query parameter limit='ten': must be an integer");
  expect_error(call("GET", "/apikeys?limit=0"), 400, "BadRequestException",
               "limit must be between 1 and 500");
}

TEST_F(ApigwManagementApiTest, GetAndUpdateApiKey) {
  const std::string id(create_seed_key().at("id").as_string());
  json::object key = parsed(call("GET", "/apikeys/" + id + "?includeValue=true"));
  EXPECT_EQ(key.at("id").as_string(), id);
  EXPECT_TRUE(key.contains("value"));
  EXPECT_FALSE(parsed(call("GET", "/apikeys/" + id)).contains("value"));
  expect_error(call("GET", "/apikeys/nope"), 404, "NotFoundException",
               "Invalid API Key identifier specified");
  executor_.advance(3 * kSecond);
  // aws apigateway update-api-key --api-key ID --patch-operations op=replace,path=/enabled,...
  const WireResponse updated =
      call("PATCH", "/apikeys/" + id,
           R"({"patchOperations": [{"op": "replace", "path": "/enabled", "value": "false"}]})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  key = parsed(updated);
  EXPECT_EQ(key.at("enabled"), false);
  EXPECT_FALSE(key.contains("value"));  // UpdateApiKey does not return the value
  EXPECT_EQ(key.at("lastUpdatedDate"), kStartSeconds + 3);
  expect_error(call("PATCH", "/apikeys/" + id,
                    R"({"patchOperations": [{"op": "replace", "path": "/value", "value": "x"}]})"),
               400, "BadRequestException",
               "Invalid patch path '/value' specified for op 'replace'. Must be one of: [/name, "
               "/description, /enabled, /customerId]");
}

TEST_F(ApigwManagementApiTest, UsagePlanOperationsAnswerAwsShapes) {
  // aws apigateway create-usage-plan --name p --throttle rateLimit=25,burstLimit=50
  //   --quota limit=1000,offset=0,period=DAY --api-stages '[{"apiId":"abc123","stage":"prod",
  //   "throttle":{"/trigger/POST":{"burstLimit":5,"rateLimit":2.5}}}]'
  const WireResponse created =
      call("POST", "/usageplans",
           R"({"name": "p", "throttle": {"rateLimit": 25, "burstLimit": 50}, "apiStages": )"
           R"([{"apiId": "abc123", "stage": "prod", "throttle": {"/trigger/POST": )"
           R"({"burstLimit": 5, "rateLimit": 2.5}}}], "quota": {"limit": 1000, "offset": 0, )"
           R"("period": "DAY"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(parsed(created).at("id").as_string());
  EXPECT_EQ(created.body,
            R"({"id":")" + id +
                R"(","name":"p","apiStages":[{"apiId":"abc123","stage":"prod","throttle":)"
                R"({"/trigger/POST":{"burstLimit":5,"rateLimit":2.5}}}],)"
                R"("throttle":{"burstLimit":50,"rateLimit":25.0},)"
                R"("quota":{"limit":1000,"offset":0,"period":"DAY"}})");
  EXPECT_EQ(call("GET", "/usageplans/" + id).body, created.body);
  const json::object listed = parsed(call("GET", "/usageplans"));
  ASSERT_EQ(listed.at("item").as_array().size(), 1u);
  EXPECT_EQ(listed.at("item").as_array()[0].as_object().at("id").as_string(), id);
  // aws apigateway update-usage-plan --usage-plan-id ID
  //   --patch-operations op=replace,path=/throttle/rateLimit,value=10
  const WireResponse updated = call(
      "PATCH", "/usageplans/" + id,
      R"({"patchOperations": [{"op": "replace", "path": "/throttle/rateLimit", "value": "10"}]})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(parsed(updated).at("throttle"),
            (json::object{{"burstLimit", 50}, {"rateLimit", 10.0}}));
  EXPECT_NE(updated.body.find(R"("rateLimit":10.0)"), std::string::npos);
  expect_error(call("GET", "/usageplans/nope"), 404, "NotFoundException",
               "Invalid Usage Plan ID specified");
  expect_error(call("POST", "/usageplans",
                    R"({"name": "q", "apiStages": [{"apiId": "abc123", "stage": "dev"}]})"),
               404, "NotFoundException",
               "Invalid API Stage {api: abc123, stage: dev} specified for usageplan ");
}

TEST_F(ApigwManagementApiTest, UsagePlanKeysAndUsage) {
  const json::object key = create_seed_key();
  const std::string key_id(key.at("id").as_string());
  const std::string plan_id(parsed(call("POST", "/usageplans",
                                        R"({"name": "p", "quota": {"limit": 10, "period": )"
                                        R"("DAY"}, "apiStages": [{"apiId": "abc123", )"
                                        R"("stage": "prod"}]})"))
                                .at("id")
                                .as_string());
  // aws apigateway create-usage-plan-key --usage-plan-id P --key-id K --key-type API_KEY
  const WireResponse linked = call("POST", "/usageplans/" + plan_id + "/keys",
                                   R"({"keyId": ")" + key_id + R"(", "keyType": "API_KEY"})");
  ASSERT_EQ(linked.status, 201) << linked.body;
  EXPECT_EQ(linked.body, R"({"id":")" + key_id + R"(","type":"API_KEY","value":")" +
                             std::string(key.at("value").as_string()) +
                             R"(","name":"UrmstonTownRegistrationKey"})");
  const json::object keys = parsed(call("GET", "/usageplans/" + plan_id + "/keys"));
  ASSERT_EQ(keys.at("item").as_array().size(), 1u);
  EXPECT_EQ(keys.at("item").as_array()[0].as_object().at("id").as_string(), key_id);
  const json::object plans = parsed(call("GET", "/usageplans?keyId=" + key_id));
  EXPECT_EQ(plans.at("item").as_array().size(), 1u);
  // Two requests today count in GetUsage ("values", one [used, remaining] per day).
  EXPECT_EQ(status(trigger(std::string(key.at("value").as_string()))), 200);
  EXPECT_EQ(status(trigger(std::string(key.at("value").as_string()))), 200);
  const WireResponse usage =
      call("GET", "/usageplans/" + plan_id +
                      "/usage?startDate=2026-01-01&endDate=2026-01-02&keyId=" + key_id);
  ASSERT_EQ(usage.status, 200) << usage.body;
  EXPECT_EQ(usage.body, R"({"usagePlanId":")" + plan_id +
                            R"(","startDate":"2026-01-01","endDate":"2026-01-02","values":{")" +
                            key_id + R"(":[[2,8],[0,10]]}})");
  expect_error(call("GET", "/usageplans/" + plan_id + "/usage?startDate=2026-01-01"), 400,
               "BadRequestException", "Invalid endDate: expected yyyy-MM-dd");
  expect_error(call("POST", "/usageplans/" + plan_id + "/keys", R"({"keyType": "API_KEY"})"), 400,
               "BadRequestException", "Invalid request body: 'keyId' is required");
  expect_error(call("POST", "/usageplans/" + plan_id + "/keys",
                    R"({"keyId": ")" + key_id + R"(", "keyType": "API_KEY"})"),
               409, "ConflictException", "Usage Plan Key already exists");
}

TEST_F(ApigwManagementApiTest, RestApisAndStages) {
  make_gateway({}, {{"*/*", {100.0, 200}}, {"/trigger/POST", {25.0, 50}}});
  ApigwManagementApi api(*gateway_);
  auto get = [&](std::string target) {
    WireRequest request;
    request.method = "GET";
    request.target = std::move(target);
    return api.handle(request);
  };
  EXPECT_EQ(get("/restapis").body,
            R"({"item":[{"id":"abc123","name":"registration-bot","rootResourceId":"res-root",)"
            R"("apiKeySource":"HEADER"}]})");
  EXPECT_EQ(get("/restapis/abc123").body,
            R"({"id":"abc123","name":"registration-bot","rootResourceId":"res-root",)"
            R"("apiKeySource":"HEADER"})");
  const WireResponse prod = get("/restapis/abc123/stages/prod");
  EXPECT_EQ(prod.body, R"({"deploymentId":"dep1","stageName":"prod","methodSettings":{"*/*":)"
                       R"({"throttlingBurstLimit":200,"throttlingRateLimit":100.0},"trigger/POST":)"
                       R"({"throttlingBurstLimit":50,"throttlingRateLimit":25.0}}})");
  const json::object stages = parsed(get("/restapis/abc123/stages"));
  ASSERT_EQ(stages.at("item").as_array().size(), 2u);
  EXPECT_EQ(parsed(get("/restapis/abc123/stages?deploymentId=dep2")).at("item").as_array().size(),
            1u);
  expect_error(get("/restapis/nope"), 404, "NotFoundException",
               "Invalid API identifier specified 123456789012:nope");
  expect_error(get("/restapis/abc123/stages/dev"), 404, "NotFoundException",
               "Invalid Stage identifier specified");
}

TEST_F(ApigwManagementApiTest, BodiesAreReadStrictly) {
  expect_error(call("POST", "/apikeys", R"({"name": )"), 400, "BadRequestException",
               "Could not parse request body into json: incomplete JSON");
  expect_error(call("POST", "/apikeys", R"(["k"])"), 400, "BadRequestException",
               "Invalid request body: the body must be a JSON object");
  expect_error(call("POST", "/apikeys", R"({"name": "k", "enable": true})"), 400,
               "BadRequestException",
               "Invalid request body: 'enable' is not a member of CreateApiKey's input");
  expect_error(call("POST", "/apikeys", R"({"name": "k", "enabled": "true"})"), 400,
               "BadRequestException", "Invalid request body: 'enabled' must be true or false");
  expect_error(call("POST", "/apikeys", R"({"stageKeys": [{"restApiId": "abc123"}]})"), 400,
               "BadRequestException",
               "CreateApiKey: stageKeys (deprecated) is not supported by the twin; add the key "
               "to a usage plan of the stage instead");
  expect_error(call("POST", "/usageplans",
                    R"({"name": "p", "throttle": {"rateLimit": "25", "burstLimit": 50}})"),
               400, "BadRequestException",
               "Invalid request body: 'throttle.rateLimit' must be a number");
  expect_error(call("POST", "/usageplans",
                    R"({"name": "p", "apiStages": [{"apiId": "abc123", "stage": "prod", )"
                    R"("throttle": {"/trigger/POST": {"burst": 1}}}]})"),
               400, "BadRequestException",
               "Invalid request body: 'apiStages[0].throttle[\"/trigger/POST\"].burst' is not a "
               "member of CreateUsagePlan's input");
  expect_error(call("POST", "/usageplans", R"({"name": "p", "quota": {"limit": 5}})"), 400,
               "BadRequestException", "Invalid quota.period '': must be DAY, WEEK or MONTH");
  expect_error(call("POST", "/usageplans", R"({"throttle": {"burstLimit": 2.5}})"), 400,
               "BadRequestException",
               "Invalid request body: 'throttle.burstLimit' must be an integer");
  // Nothing was created by any of them.
  EXPECT_EQ(parsed(call("GET", "/apikeys")).at("item").as_array().size(), 1u);  // the fixture's
  EXPECT_TRUE(parsed(call("GET", "/usageplans")).at("item").as_array().empty());
}

TEST_F(ApigwManagementApiTest, UnsupportedOperationsSayWhich) {
  expect_error(call("DELETE", "/apikeys/" + key_.id), 400, "BadRequestException",
               "DeleteApiKey is not supported by the twin");
  expect_error(call("POST", "/apikeys?mode=import&format=csv", "name,key\n"), 400,
               "BadRequestException", "ImportApiKeys is not supported by the twin");
  expect_error(call("POST", "/restapis", R"({"name": "x"})"), 400, "BadRequestException",
               "CreateRestApi is not supported by the twin");
  expect_error(call("GET", "/usageplans/p/keys/k"), 400, "BadRequestException",
               "GetUsagePlanKey is not supported by the twin");
  expect_error(call("GET", "/domainnames"), 400, "BadRequestException",
               "GetDomainNames is not supported by the twin");
  expect_error(call("PUT", "/apikeys"), 404, "NotFoundException",
               "No API Gateway management operation is PUT /apikeys (not supported by the twin)");
  expect_error(call("GET", "/apikeys/a/b"), 404, "NotFoundException",
               "No API Gateway management operation is GET /apikeys/a/b (not supported by the "
               "twin)");
  expect_error(call("GET", "/apikeys/a%zz"), 400, "BadRequestException",
               "Invalid request: a percent-escape in the path or query is malformed");
  // A percent-encoded label is decoded before the lookup.
  EXPECT_EQ(call("GET", "/apikeys/" + key_.id.substr(0, 2) + percent_encoded(key_.id[2]) +
                            key_.id.substr(3))
                .status,
            200);
}

TEST_F(ApigwManagementApiTest, TellsManagementRequestsApart) {
  auto request = [](std::string method, std::string target, Headers headers = {}) {
    WireRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.headers = std::move(headers);
    return r;
  };
  auto signed_for = [](std::string service) {
    return Headers{{"Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/"
                    "us-east-1/" +
                        service +
                        "/aws4_request, SignedHeaders=host;x-amz-date, "
                        "Signature=abc"}};
  };
  using Api = ApigwManagementApi;
  EXPECT_TRUE(Api::is_management_request(request("POST", "/apikeys")));
  EXPECT_TRUE(Api::is_management_request(request("GET", "/usageplans/up1/usage?startDate=x")));
  EXPECT_TRUE(Api::is_management_request(request("GET", "/restapis/abc123/stages")));
  EXPECT_TRUE(Api::is_management_request(request("GET", "/domainnames")));
  EXPECT_TRUE(Api::is_management_request(request("GET", "/whatever", signed_for("apigateway"))));
  EXPECT_FALSE(Api::is_management_request(request("POST", "/prod/trigger")));
  EXPECT_FALSE(Api::is_management_request(request("POST", "/prod/apikeys")));
  EXPECT_FALSE(Api::is_management_request(request("GET", "/_twin/health")));
  EXPECT_FALSE(Api::is_management_request(request("GET", "/apikeysx")));
  EXPECT_FALSE(Api::is_management_request(request("POST", "/", signed_for("sqs"))));
  EXPECT_FALSE(Api::is_management_request(
      request("POST", "/apikeys", {{"X-Amz-Target", "AmazonSQS.ListQueues"}})));
  EXPECT_FALSE(Api::is_management_request(request("GET", "/apikeys", signed_for("execute-api"))));
}

// The seed's provisioning, verbatim but for --endpoint-url, then the key at work: refused until
// its plan covers the stage, then held to the plan's throttle (rate 25, burst 50).
TEST_F(ApigwManagementApiTest, SeedProvisioningFlowThenTheKeyIsHonoured) {
  const json::object key = create_seed_key();
  const std::string key_id(key.at("id").as_string());
  const std::string key_value(key.at("value").as_string());
  EXPECT_EQ(status(trigger(key_value)), 403);  // in no usage plan yet
  // aws apigateway create-usage-plan --name UrmstonTownRegistrationPlan
  //   --throttle rateLimit=25,burstLimit=50 --api-stages apiId=abc123,stage=prod
  const WireResponse plan =
      call("POST", "/usageplans",
           R"({"name": "UrmstonTownRegistrationPlan", "apiStages": [{"apiId": "abc123", )"
           R"("stage": "prod"}], "throttle": {"rateLimit": 25.0, "burstLimit": 50}})");
  ASSERT_EQ(plan.status, 201) << plan.body;
  const std::string plan_id(parsed(plan).at("id").as_string());
  EXPECT_EQ(status(trigger(key_value)), 403);  // the plan does not hold the key yet
  // aws apigateway create-usage-plan-key --usage-plan-id P --key-id K --key-type API_KEY
  ASSERT_EQ(call("POST", "/usageplans/" + plan_id + "/keys",
                 R"({"keyId": ")" + key_id + R"(", "keyType": "API_KEY"})")
                .status,
            201);
  std::map<int, int> by_status;
  for (int i = 0; i < 60; ++i) ++by_status[status(trigger(key_value))];
  EXPECT_EQ(by_status, (std::map<int, int>{{200, 50}, {429, 10}}));
  executor_.advance(kSecond);  // 25 tokens back
  by_status.clear();
  for (int i = 0; i < 30; ++i) ++by_status[status(trigger(key_value))];
  EXPECT_EQ(by_status, (std::map<int, int>{{200, 25}, {429, 5}}));
  // Disabled through the API, the key is refused at once.
  ASSERT_EQ(
      call("PATCH", "/apikeys/" + key_id,
           R"({"patchOperations": [{"op": "replace", "path": "/enabled", "value": "false"}]})")
          .status,
      200);
  executor_.advance(kSecond);
  EXPECT_EQ(status(trigger(key_value)), 403);
}

}  // namespace
}  // namespace twin::sim::http
