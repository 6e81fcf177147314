// GetRestApis, GetRestApi, GetStages, GetStage: read-only views of what put_rest_api stored
// (the fake has no CreateRestApi; a deployment comes from the stack).
#include "fakes/apigw/gateway.h"
#include "fakes/apigw/paging.h"

namespace twin::fakes::apigw {
namespace {

core::Status api_not_found(const std::string& account_id, const std::string& rest_api_id) {
  // AWS's text names the account and the API.
  return not_found_error("Invalid API identifier specified " + account_id + ":" + rest_api_id);
}

}  // namespace

core::Result<GetRestApisResponse> Gateway::get_rest_apis(const GetRestApisRequest& request) const {
  GetRestApisResponse out;
  const core::Status st = page(
      apis_, request.position, request.limit, out, [](const RestApi&) { return true; },
      [](const RestApi& api) { return api; });
  if (!st.is_ok()) return st;
  return out;
}

core::Result<RestApi> Gateway::get_rest_api(const std::string& rest_api_id) const {
  const RestApi* api = rest_api(rest_api_id);
  if (api == nullptr) return api_not_found(options_.account_id, rest_api_id);
  return *api;
}

core::Result<std::vector<Stage>> Gateway::get_stages(
    const std::string& rest_api_id, const std::optional<std::string>& deployment_id) const {
  const RestApi* api = rest_api(rest_api_id);
  if (api == nullptr) return api_not_found(options_.account_id, rest_api_id);
  std::vector<Stage> out;
  for (const auto& [name, stage] : api->stages) {
    if (!deployment_id || stage.deployment_id == *deployment_id) out.push_back(stage);
  }
  return out;
}

core::Result<Stage> Gateway::get_stage(const std::string& rest_api_id,
                                       const std::string& stage_name) const {
  const RestApi* api = rest_api(rest_api_id);
  if (api == nullptr) return api_not_found(options_.account_id, rest_api_id);
  const auto it = api->stages.find(stage_name);
  if (it == api->stages.end()) return not_found_error("Invalid Stage identifier specified");
  return it->second;
}

}  // namespace twin::fakes::apigw
