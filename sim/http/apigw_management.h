// ApigwManagementApi: the API Gateway management API (rest-json, botocore `apigateway`
// 2015-07-09; reference 1.7) over the Gateway fake, for `twin serve`, so the seed's
// `aws apigateway create-api-key / create-usage-plan / create-usage-plan-key` commands, boto3
// and curl provision the twin as they would AWS.
//
// Supported (botocore's operation names; wire shapes as the model serialises them):
//   POST  /apikeys                    CreateApiKey (201)
//   GET   /apikeys                    GetApiKeys ?includeValues&name&customerId&position&limit
//   GET   /apikeys/{api_Key}          GetApiKey ?includeValue
//   PATCH /apikeys/{api_Key}          UpdateApiKey: /enabled /name /description /customerId
//   POST  /usageplans                 CreateUsagePlan (201)
//   GET   /usageplans                 GetUsagePlans ?keyId&position&limit
//   GET   /usageplans/{id}            GetUsagePlan
//   PATCH /usageplans/{id}            UpdateUsagePlan: the patch paths of gateway_patch.cc
//   POST  /usageplans/{id}/keys       CreateUsagePlanKey (201)
//   GET   /usageplans/{id}/keys       GetUsagePlanKeys ?name&position&limit
//   GET   /usageplans/{id}/usage      GetUsage ?startDate&endDate&keyId&position&limit
//   GET   /restapis[/{id}]            GetRestApis ?position&limit, GetRestApi
//   GET   /restapis/{id}/stages[/{stage_name}]    GetStages ?deploymentId, GetStage
// Every other operation of the model answers 400 BadRequestException "<Operation> is not
// supported by the twin" (400, not 404, so that a "delete, ignoring NotFound" script fails
// loudly); a method and path that is no operation at all answers 404 NotFoundException.
// Errors are rest-json's: the Status's HTTP status, `x-amzn-ErrorType: <Exception>` and
// {"message": "..."}, so botocore raises client.exceptions.<Exception>.
//
// Choices where AWS or botocore leave room:
// - Bodies are read strictly: a member the operation does not have, or one of the wrong type, is
//   a BadRequestException naming it; CreateApiKey's deprecated stageKeys (non-empty) is "not
//   supported by the twin". Unknown query parameters are ignored (botocore sends none); the name
//   filters are ?name= (botocore's wire name for nameQuery).
// - createdDate / lastUpdatedDate are whole epoch seconds (rest-json's default timestamp
//   format, which botocore parses); a rateLimit keeps its point ("25.0") as AWS's does.
// - GetStage's methodSettings keys drop the resource path's leading '/' ("trigger/POST"): the
//   Terraform provider's docs say AWS's keys carry none (not confirmed against AWS). Usage plans
//   keep it ("/trigger/POST"), as AWS's documented examples do.
// - No x-amzn-RequestId header: the API holds no IdSource, and botocore does not need one.
//
// Ownership and threading: holds a reference to the Gateway, which must outlive it; runs on the
// executor's thread like the Gateway; every call answers at once.
#pragma once

#include "fakes/apigw/gateway.h"
#include "sim/http/wire.h"

namespace twin::sim::http {

class ApigwManagementApi {
 public:
  explicit ApigwManagementApi(fakes::apigw::Gateway& gateway);

  // True for a request meant for the management API: one signed (SigV4) for the `apigateway`
  // service, or, unsigned, one whose first path segment is a management collection (apikeys,
  // usageplans, restapis, ...: an execute-api stage of that name would be shadowed). A request
  // signed for another service (sqs, execute-api) or carrying X-Amz-Target never is.
  static bool is_management_request(const WireRequest& request);

  // Answers one management request; never fails silently (see above).
  WireResponse handle(const WireRequest& request);

 private:
  fakes::apigw::Gateway& gateway_;
};

}  // namespace twin::sim::http
