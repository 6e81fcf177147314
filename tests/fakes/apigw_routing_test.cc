// Resource matching of the API Gateway fake: {param} and greedy {proxy+} path parts, the most
// specific resource, ANY, the proxy event's resource/path/pathParameters, method keys on
// templates, and what put_rest_api refuses (resource_path.h, gateway.h).
#include <boost/json.hpp>

#include "core/crypto.h"
#include "fakes/apigw/resource_path.h"
#include "tests/fakes/apigw_fixture.h"

namespace twin::fakes::apigw {
namespace {

namespace json = boost::json;

PathTemplate parsed(std::string_view path) {
  auto t = parse_resource_path(path);
  EXPECT_TRUE(t.is_ok()) << t.status().to_string();
  return t.is_ok() ? *t : PathTemplate{};
}

std::optional<core::StringPairs> captured(std::string_view path, std::string_view request) {
  core::StringPairs params;
  if (!match_path(parsed(path), request, &params)) return std::nullopt;
  return params;
}

TEST(ApigwResourcePath, ParsesLiteralParameterAndGreedyParts) {
  const PathTemplate t = parsed("/players/{id}/files/{rest+}");
  ASSERT_EQ(t.parts.size(), 4u);
  EXPECT_EQ(t.parts[0].kind, PathPartKind::kLiteral);
  EXPECT_EQ(t.parts[0].text, "players");
  EXPECT_EQ(t.parts[1].kind, PathPartKind::kParameter);
  EXPECT_EQ(t.parts[1].text, "id");
  EXPECT_EQ(t.parts[3].kind, PathPartKind::kGreedy);
  EXPECT_EQ(t.parts[3].text, "rest");
  EXPECT_TRUE(t.has_parameters());
  EXPECT_TRUE(parsed("/").parts.empty());
  EXPECT_FALSE(parsed("/events:batch/v1.2_a-b").has_parameters());
}

TEST(ApigwResourcePath, RefusesBadPathsNamingThem) {
  for (const char* bad : {"", "players", "/players/", "/a//b"}) {
    auto t = parse_resource_path(bad);
    EXPECT_AWS_ERROR(t.status(), "BadRequestException", 400);
    EXPECT_EQ(t.status().message(), "Invalid resource path: " + std::string(bad));
  }
  const std::string rule =
      "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the "
      "end and an optional plus sign before the closing brace: ";
  for (const char* part : {"{id", "{}", "{+}", "{a b}", "a{b}", "pla yers", "{id}x", "{a:b}"}) {
    const std::string path = std::string("/x/") + part;
    auto t = parse_resource_path(path);
    EXPECT_AWS_ERROR(t.status(), "BadRequestException", 400);
    EXPECT_EQ(t.status().message(), rule + "'" + part + "' in " + path);
  }
  auto twice = parse_resource_path("/{id}/x/{id+}");
  EXPECT_AWS_ERROR(twice.status(), "BadRequestException", 400);
  EXPECT_EQ(twice.status().message(),
            "Invalid resource path: /{id}/x/{id+} uses the path parameter id twice");
}

TEST(ApigwResourcePath, MatchesSegmentsAndCapturesRawValues) {
  EXPECT_EQ(captured("/players/{id}", "/players/7"), (core::StringPairs{{"id", "7"}}));
  EXPECT_EQ(captured("/players/{id}", "/players/7/"), (core::StringPairs{{"id", "7"}}));
  EXPECT_EQ(captured("/players/{id}", "/players/a%2Fb"), (core::StringPairs{{"id", "a%2Fb"}}));
  EXPECT_EQ(captured("/players/{id}", "/players/"), std::nullopt);  // {id} needs a segment
  EXPECT_EQ(captured("/players/{id}", "/players//"), std::nullopt);
  EXPECT_EQ(captured("/players/{id}", "/players/7/stats"), std::nullopt);
  EXPECT_EQ(captured("/{proxy+}", "/a"), (core::StringPairs{{"proxy", "a"}}));
  EXPECT_EQ(captured("/{proxy+}", "/a/b/"), (core::StringPairs{{"proxy", "a/b"}}));
  EXPECT_EQ(captured("/{proxy+}", "/user/test%2Balias@x.com/plus/test+alias@x.com"),
            (core::StringPairs{{"proxy", "user/test%2Balias@x.com/plus/test+alias@x.com"}}));
  EXPECT_EQ(captured("/{proxy+}", "/"), std::nullopt);  // one or more segments
  EXPECT_EQ(captured("/files/{p+}", "/files/"), std::nullopt);
  EXPECT_EQ(captured("/files/{p+}", "/files//"), std::nullopt);
  EXPECT_EQ(captured("/t/{a}/{b+}", "/t/1/2/3"), (core::StringPairs{{"a", "1"}, {"b", "2/3"}}));
  EXPECT_EQ(captured("/", "/"), core::StringPairs{});
  EXPECT_EQ(captured("/trigger", "/trigger/"), core::StringPairs{});
  EXPECT_EQ(captured("/trigger", "/trigger//"), std::nullopt);
  EXPECT_EQ(captured("/trigger", "/Trigger"), std::nullopt);  // paths are case-sensitive
  EXPECT_TRUE(match_path(parsed("/players/{id}"), "/players/7", nullptr));
}

TEST(ApigwResourcePath, LiteralBeatsParameterBeatsGreedy) {
  EXPECT_GT(compare_specificity(parsed("/players/me"), parsed("/players/{id}")), 0);
  EXPECT_GT(compare_specificity(parsed("/players/{id}"), parsed("/{proxy+}")), 0);
  EXPECT_GT(compare_specificity(parsed("/players/{p+}"), parsed("/{id}/x")), 0);
  EXPECT_LT(compare_specificity(parsed("/{proxy+}"), parsed("/players/{id}/stats")), 0);
  EXPECT_EQ(compare_specificity(parsed("/a/{b}"), parsed("/a/{b}")), 0);
}

TEST(ApigwResourcePath, TreeRulesUseAwsTexts) {
  auto tree = [](std::vector<std::string_view> paths) {
    std::vector<PathTemplate> ts;
    for (auto p : paths) ts.push_back(parsed(p));
    return validate_resource_tree(ts);
  };
  EXPECT_TRUE(tree({"/", "/{proxy+}", "/players", "/players/{id}", "/players/{id}/stats",
                    "/players/me", "/players/{id}/{proxy+}"})
                  .is_ok());
  core::Status sibling = tree({"/players/{id}", "/players/{name}/x"});
  EXPECT_AWS_ERROR(sibling, "BadRequestException", 400);
  EXPECT_EQ(sibling.message(),
            "A sibling ({id}) of this resource already has a variable path part -- only one is "
            "allowed (/players/{name}/x)");
  EXPECT_AWS_ERROR(tree({"/{proxy+}", "/{id}"}), "BadRequestException", 400);
  core::Status child = tree({"/files/{p+}/x"});
  EXPECT_AWS_ERROR(child, "BadRequestException", 400);
  EXPECT_EQ(child.message(),
            "Cannot create a child of a resource with a greedy path variable: {p+} "
            "(/files/{p+}/x)");
}

// The players API: literal, parameter and greedy resources next to the seed's two routes.
class ApigwRouting : public ApigwFixture {
 public:
  void put_players_api(GatewayOptions options = {},
                       std::map<std::string, MethodSetting> settings = {}) {
    gateway_ = std::make_unique<Gateway>(executor_, ids_, integration_, std::move(options));
    RestApi api;
    api.id = "players";
    api.resources = {
        {"r-root", "/", {{"GET", {"GET", false, "root"}}}},
        {"r-any", "/{proxy+}", {{"ANY", {"ANY", false, "catch-all"}}}},
        {"r-players", "/players", {{"GET", {"GET", false, "list"}}}},
        {"r-id", "/players/{id}", {{"GET", {"GET", false, "get"}}, {"PUT", {"PUT", true, "put"}}}},
        {"r-me", "/players/me", {{"GET", {"GET", false, "me"}}}},
        {"r-stats", "/players/{id}/stats", {{"ANY", {"ANY", false, "stats"}}}},
        {"r-files", "/players/{id}/files/{path+}", {{"GET", {"GET", false, "files"}}}},
    };
    Stage prod;
    prod.stage_name = "prod";
    prod.method_settings = std::move(settings);
    api.stages["prod"] = prod;
    auto put = gateway_->put_rest_api(api);
    ASSERT_TRUE(put.is_ok()) << put.status().to_string();
  }

  HttpRequest request(std::string method, std::string path) {
    HttpRequest r;
    r.rest_api_id = "players";
    r.http_method = std::move(method);
    r.path = std::move(path);
    return r;
  }

  // Sends the request and returns the event the function got, or null when none was invoked.
  json::value event_of(HttpRequest r) {
    const std::size_t before = integration_.calls().size();
    send(std::move(r));
    if (integration_.calls().size() == before) return nullptr;
    return json::parse(integration_.calls().back().event_json);
  }
};

TEST_F(ApigwRouting, TheMostSpecificResourceWins) {
  put_players_api();
  struct Case {
    const char* method;
    const char* path;
    const char* resource;
    const char* function;
  };
  const Case cases[] = {
      {"GET", "/prod/players/me", "/players/me", "me"},
      {"GET", "/prod/players/7", "/players/{id}", "get"},
      {"GET", "/prod/players", "/players", "list"},
      {"GET", "/prod/players/7/stats", "/players/{id}/stats", "stats"},
      {"GET", "/prod/players/me/stats", "/players/{id}/stats", "stats"},
      {"GET", "/prod/players/7/files/a/b.txt", "/players/{id}/files/{path+}", "files"},
      {"GET", "/prod/players/7/other", "/{proxy+}", "catch-all"},
      {"GET", "/prod/teams", "/{proxy+}", "catch-all"},
      {"GET", "/prod", "/", "root"},
      {"GET", "/prod/", "/", "root"},
  };
  for (const Case& c : cases) {
    const json::value event = event_of(request(c.method, c.path));
    ASSERT_TRUE(event.is_object()) << c.path;
    EXPECT_EQ(event.at("resource"), c.resource) << c.path;
    EXPECT_EQ(event.at("requestContext").at("resourcePath"), c.resource) << c.path;
    EXPECT_EQ(integration_.calls().back().function_name, c.function) << c.path;
  }
}

TEST_F(ApigwRouting, EventCarriesTemplatePathAndRawParameters) {
  put_players_api();
  json::value e = event_of(request("GET", "/prod/players/7/files/a%20b/c.txt/"));
  EXPECT_EQ(e.at("resource"), "/players/{id}/files/{path+}");
  EXPECT_EQ(e.at("path"), "/players/7/files/a%20b/c.txt/");  // as sent, trailing slash kept
  EXPECT_EQ(e.at("pathParameters"), json::parse(R"({"id":"7","path":"a%20b/c.txt"})"));
  EXPECT_EQ(e.at("requestContext").at("resourceId"), "r-files");
  EXPECT_EQ(e.at("requestContext").at("path"), "/prod/players/7/files/a%20b/c.txt/");
  e = event_of(request("POST", "/prod/a/b"));
  EXPECT_EQ(e.at("resource"), "/{proxy+}");
  EXPECT_EQ(e.at("path"), "/a/b");
  EXPECT_EQ(e.at("httpMethod"), "POST");  // the request's method, not ANY
  EXPECT_EQ(e.at("requestContext").at("httpMethod"), "POST");
  EXPECT_EQ(e.at("pathParameters"), json::parse(R"({"proxy":"a/b"})"));
  e = event_of(request("GET", "/prod/players/me"));
  EXPECT_TRUE(e.at("pathParameters").is_null());  // a literal resource has none
  e = event_of(request("GET", "/prod"));
  EXPECT_EQ(e.at("path"), "/");
  EXPECT_TRUE(e.at("pathParameters").is_null());
  // The event reads back the same through both readers (core/events).
  const std::string& text = integration_.calls().back().event_json;
  core::ProxyEvent fast;
  ASSERT_TRUE(core::read_proxy_event_fast(text, fast));
  EXPECT_EQ(core::serialize(fast), text);
}

TEST_F(ApigwRouting, AnyMatchesEveryMethodAndAnExplicitMethodWins) {
  put_players_api();
  for (const char* method : {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}) {
    EXPECT_EQ(status(request(method, "/prod/players/7/stats")), 200) << method;
    EXPECT_EQ(integration_.calls().back().function_name, "stats") << method;
  }
  // /players/{id} has GET and PUT: its GET wins over the ANY of /{proxy+}.
  EXPECT_EQ(status(request("GET", "/prod/players/7")), 200);
  EXPECT_EQ(integration_.calls().back().function_name, "get");
}

TEST_F(ApigwRouting, AMethodTheResourceLacksIsMissingAuthenticationToken) {
  put_players_api();
  const std::size_t calls = integration_.call_count();
  auto r = send(request("DELETE", "/prod/players/7"));  // /{proxy+} ANY is not tried
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code, 403);
  EXPECT_EQ(r->gateway_response, GatewayResponseType::kMissingAuthenticationToken);
  EXPECT_EQ(status(request("POST", "/prod")), 403);                  // the root has GET only
  EXPECT_EQ(status(request("GET", "/prod/players/7/files/")), 200);  // {path+} needs one: proxy
  EXPECT_EQ(integration_.calls().back().function_name, "catch-all");
  EXPECT_EQ(integration_.call_count(), calls + 1);
}

TEST_F(ApigwRouting, MethodMissCanTryLessSpecificResources) {
  GatewayOptions options;
  options.method_miss_tries_less_specific = true;
  put_players_api(options);
  const json::value e = event_of(request("DELETE", "/prod/players/7"));
  ASSERT_TRUE(e.is_object());
  EXPECT_EQ(e.at("resource"), "/{proxy+}");
  EXPECT_EQ(e.at("pathParameters"), json::parse(R"({"proxy":"players/7"})"));
  EXPECT_EQ(status(request("POST", "/prod")), 403);  // nothing less specific matches "/"
}

TEST_F(ApigwRouting, MethodKeysUseTheResourceTemplate) {
  // Stage throttle on one templated method: every id shares its bucket, other methods do not.
  put_players_api({}, {{"/players/{id}/GET", {1.0, 2}}, {"/{proxy+}/ANY", {1.0, 1}}});
  EXPECT_EQ(status(request("GET", "/prod/players/1")), 200);
  EXPECT_EQ(status(request("GET", "/prod/players/2")), 200);
  EXPECT_EQ(status(request("GET", "/prod/players/3")), 429);
  EXPECT_EQ(status(request("GET", "/prod/players/me")), 200);  // another method: no setting
  EXPECT_EQ(status(request("GET", "/prod/x")), 200);
  EXPECT_EQ(status(request("POST", "/prod/y")), 429);  // ANY /{proxy+}: one bucket
  // A usage plan's per-method throttle on the keyed PUT /players/{id}.
  auto key = gateway_->create_api_key({"k", "", true, false, std::nullopt, "", {}});
  ASSERT_TRUE(key.is_ok());
  CreateUsagePlanRequest plan;
  plan.name = "p";
  plan.throttle = ThrottleSettings{100.0, 100};
  plan.api_stages = {{"players", "prod", {{"/players/{id}/PUT", ThrottleSettings{1.0, 1}}}}};
  auto created = gateway_->create_usage_plan(plan);
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  ASSERT_TRUE(gateway_->create_usage_plan_key({created->id, key->id, "API_KEY"}).is_ok());
  HttpRequest put = request("PUT", "/prod/players/1");
  put.headers = {{"x-api-key", key->value}};
  EXPECT_EQ(status(put), 200);
  put.path = "/prod/players/2";
  EXPECT_EQ(status(put), 429);
  EXPECT_EQ(gateway_->counters().throttled.at(ThrottleLevel::kUsagePlan), 1);
  EXPECT_EQ(gateway_->counters().throttled.at(ThrottleLevel::kStageMethod), 2);
}

TEST_F(ApigwRouting, PutRestApiRefusesBadResourcesAndKeepsTheOldApi) {
  put_players_api();
  RestApi api = *gateway_->rest_api("players");
  auto expect_refused = [&](RestApi bad, std::string_view message) {
    auto r = gateway_->put_rest_api(std::move(bad));
    EXPECT_AWS_ERROR(r.status(), "BadRequestException", 400);
    EXPECT_EQ(r.status().message(), message);
    EXPECT_EQ(gateway_->rest_api("players")->resources.size(), api.resources.size());
  };
  RestApi bad = api;
  bad.resources.push_back({"", "/players/{name}", {}});
  expect_refused(bad,
                 "A sibling ({id}) of this resource already has a variable path part -- only one "
                 "is allowed (/players/{name})");
  bad = api;
  bad.resources.push_back({"", "/{proxy+}/x", {}});
  expect_refused(bad,
                 "Cannot create a child of a resource with a greedy path variable: {proxy+} "
                 "(/{proxy+}/x)");
  bad = api;
  bad.resources.push_back({"", "/teams/{id", {}});
  expect_refused(bad,
                 "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning "
                 "and the end and an optional plus sign before the closing brace: '{id' in "
                 "/teams/{id");
  bad = api;
  bad.resources.push_back({"", "/teams", {{"FETCH", {"FETCH", false, "f"}}}});
  expect_refused(bad,
                 "Invalid HttpMethod specified. Valid options are "
                 "GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY (/teams FETCH)");
  bad = api;
  bad.resources.push_back({"", "/players/{id}", {}});
  auto dup = gateway_->put_rest_api(bad);
  EXPECT_AWS_ERROR(dup.status(), "ConflictException", 409);
  EXPECT_EQ(status(request("GET", "/prod/players/7")), 200);  // the stored API still routes
}

TEST_F(ApigwFixture, TriggerAndWebhookEventsAreByteIdenticalToTheLiteralRouter) {
  // Digest of the three events below as the gateway built them before templates existed
  // (commit 63bb28a): the literal routes must not change by a byte.
  add_plan(std::nullopt);
  auto keyed = [&](std::string path, std::string query) {
    HttpRequest r = trigger();
    r.path = std::move(path);
    r.query_string = std::move(query);
    return r;
  };
  ASSERT_EQ(status(keyed("/prod/trigger", "")), 200);
  HttpRequest hook = keyed("/prod/webhook", "a=1&a=2");
  hook.headers = {{"Content-Type", "application/json"}};
  ASSERT_EQ(status(hook), 200);
  executor_.advance(1'500);
  ASSERT_EQ(status(keyed("/prod/trigger", "x=y")), 200);
  std::string all;
  for (const auto& call : integration_.calls()) all += call.event_json + "\n";
  EXPECT_EQ(core::sha256_hex(all),
            "9c680ea8b2c86a4402b68aba293933ec5a05a69f773001547f9c06a30f1efd20");
}

}  // namespace
}  // namespace twin::fakes::apigw
