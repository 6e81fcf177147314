// The management API's rest-json bodies, both ways (internal to apigw_management.cc): requests
// read strictly into the Gateway's request structs, model values written with AWS's member
// names. Wire names are botocore's (apigateway 2015-07-09): lists are "item", GetUsage's map is
// "values".
//
// Pure functions; readers throw RequestError, which ApigwManagementApi::handle turns into a
// BadRequestException at the request's edge.
#pragma once

#include <boost/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/apigw/apigw_types.h"

namespace twin::sim::http::apigw_json {

// A body or query the operation cannot take; what() is the BadRequestException's message.
class RequestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The body as a JSON object; an empty body reads as {} (what botocore sends for no members).
boost::json::object parse_body(std::string_view body);

fakes::apigw::CreateApiKeyRequest read_create_api_key(const boost::json::object& body);
fakes::apigw::CreateUsagePlanRequest read_create_usage_plan(const boost::json::object& body);
// keyId and keyType are required.
fakes::apigw::CreateUsagePlanKeyRequest read_create_usage_plan_key(const boost::json::object& body);
// {"patchOperations": [{"op", "path", "value", "from"}]}, for `operation` (named in errors).
std::vector<fakes::apigw::PatchOperation> read_patch_operations(const boost::json::object& body,
                                                                std::string_view operation);

boost::json::object api_key_json(const fakes::apigw::ApiKey& key);
boost::json::object usage_plan_json(const fakes::apigw::UsagePlan& plan);
boost::json::object usage_plan_key_json(const fakes::apigw::UsagePlanKey& key);
boost::json::object usage_json(const fakes::apigw::GetUsageResponse& usage);
boost::json::object rest_api_json(const fakes::apigw::RestApi& api);
boost::json::object stage_json(const fakes::apigw::Stage& stage);

// Whole epoch seconds, rest-json's default timestamp format.
std::int64_t epoch_seconds(core::TimeUs t);

}  // namespace twin::sim::http::apigw_json
