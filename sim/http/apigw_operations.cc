#include "sim/http/apigw_operations.h"

#include <algorithm>
#include <array>
#include <vector>

namespace twin::sim::http {
namespace {

struct OperationRoute {
  std::string_view method;
  std::string_view uri;  // the model's requestUri: "/usageplans/{usageplanId}/keys"
  std::string_view name;
};

// Every operation of botocore 1.43.11's apigateway model (service-2.json), by requestUri.
constexpr std::array kOperations = {
    OperationRoute{"GET", "/account", "GetAccount"},
    OperationRoute{"PATCH", "/account", "UpdateAccount"},
    OperationRoute{"GET", "/apikeys", "GetApiKeys"},
    OperationRoute{"POST", "/apikeys", "CreateApiKey"},
    OperationRoute{"DELETE", "/apikeys/{api_Key}", "DeleteApiKey"},
    OperationRoute{"GET", "/apikeys/{api_Key}", "GetApiKey"},
    OperationRoute{"PATCH", "/apikeys/{api_Key}", "UpdateApiKey"},
    OperationRoute{"POST", "/apikeys?mode=import", "ImportApiKeys"},
    OperationRoute{"GET", "/clientcertificates", "GetClientCertificates"},
    OperationRoute{"POST", "/clientcertificates", "GenerateClientCertificate"},
    OperationRoute{"DELETE", "/clientcertificates/{clientcertificate_id}",
                   "DeleteClientCertificate"},
    OperationRoute{"GET", "/clientcertificates/{clientcertificate_id}", "GetClientCertificate"},
    OperationRoute{"PATCH", "/clientcertificates/{clientcertificate_id}",
                   "UpdateClientCertificate"},
    OperationRoute{"GET", "/domainnameaccessassociations", "GetDomainNameAccessAssociations"},
    OperationRoute{"POST", "/domainnameaccessassociations", "CreateDomainNameAccessAssociation"},
    OperationRoute{"DELETE", "/domainnameaccessassociations/{domain_name_access_association_arn}",
                   "DeleteDomainNameAccessAssociation"},
    OperationRoute{"GET", "/domainnames", "GetDomainNames"},
    OperationRoute{"POST", "/domainnames", "CreateDomainName"},
    OperationRoute{"DELETE", "/domainnames/{domain_name}", "DeleteDomainName"},
    OperationRoute{"GET", "/domainnames/{domain_name}", "GetDomainName"},
    OperationRoute{"PATCH", "/domainnames/{domain_name}", "UpdateDomainName"},
    OperationRoute{"GET", "/domainnames/{domain_name}/basepathmappings", "GetBasePathMappings"},
    OperationRoute{"POST", "/domainnames/{domain_name}/basepathmappings", "CreateBasePathMapping"},
    OperationRoute{"DELETE", "/domainnames/{domain_name}/basepathmappings/{base_path}",
                   "DeleteBasePathMapping"},
    OperationRoute{"GET", "/domainnames/{domain_name}/basepathmappings/{base_path}",
                   "GetBasePathMapping"},
    OperationRoute{"PATCH", "/domainnames/{domain_name}/basepathmappings/{base_path}",
                   "UpdateBasePathMapping"},
    OperationRoute{"POST", "/rejectdomainnameaccessassociations",
                   "RejectDomainNameAccessAssociation"},
    OperationRoute{"GET", "/restapis", "GetRestApis"},
    OperationRoute{"POST", "/restapis", "CreateRestApi"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}", "DeleteRestApi"},
    OperationRoute{"GET", "/restapis/{restapi_id}", "GetRestApi"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}", "UpdateRestApi"},
    OperationRoute{"PUT", "/restapis/{restapi_id}", "PutRestApi"},
    OperationRoute{"GET", "/restapis/{restapi_id}/authorizers", "GetAuthorizers"},
    OperationRoute{"POST", "/restapis/{restapi_id}/authorizers", "CreateAuthorizer"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/authorizers/{authorizer_id}",
                   "DeleteAuthorizer"},
    OperationRoute{"GET", "/restapis/{restapi_id}/authorizers/{authorizer_id}", "GetAuthorizer"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}/authorizers/{authorizer_id}",
                   "UpdateAuthorizer"},
    OperationRoute{"POST", "/restapis/{restapi_id}/authorizers/{authorizer_id}",
                   "TestInvokeAuthorizer"},
    OperationRoute{"GET", "/restapis/{restapi_id}/deployments", "GetDeployments"},
    OperationRoute{"POST", "/restapis/{restapi_id}/deployments", "CreateDeployment"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/deployments/{deployment_id}",
                   "DeleteDeployment"},
    OperationRoute{"GET", "/restapis/{restapi_id}/deployments/{deployment_id}", "GetDeployment"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}/deployments/{deployment_id}",
                   "UpdateDeployment"},
    OperationRoute{"GET", "/restapis/{restapi_id}/documentation/parts", "GetDocumentationParts"},
    OperationRoute{"POST", "/restapis/{restapi_id}/documentation/parts", "CreateDocumentationPart"},
    OperationRoute{"PUT", "/restapis/{restapi_id}/documentation/parts", "ImportDocumentationParts"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/documentation/parts/{part_id}",
                   "DeleteDocumentationPart"},
    OperationRoute{"GET", "/restapis/{restapi_id}/documentation/parts/{part_id}",
                   "GetDocumentationPart"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}/documentation/parts/{part_id}",
                   "UpdateDocumentationPart"},
    OperationRoute{"GET", "/restapis/{restapi_id}/documentation/versions",
                   "GetDocumentationVersions"},
    OperationRoute{"POST", "/restapis/{restapi_id}/documentation/versions",
                   "CreateDocumentationVersion"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/documentation/versions/{doc_version}",
                   "DeleteDocumentationVersion"},
    OperationRoute{"GET", "/restapis/{restapi_id}/documentation/versions/{doc_version}",
                   "GetDocumentationVersion"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}/documentation/versions/{doc_version}",
                   "UpdateDocumentationVersion"},
    OperationRoute{"GET", "/restapis/{restapi_id}/gatewayresponses", "GetGatewayResponses"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/gatewayresponses/{response_type}",
                   "DeleteGatewayResponse"},
    OperationRoute{"GET", "/restapis/{restapi_id}/gatewayresponses/{response_type}",
                   "GetGatewayResponse"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}/gatewayresponses/{response_type}",
                   "UpdateGatewayResponse"},
    OperationRoute{"PUT", "/restapis/{restapi_id}/gatewayresponses/{response_type}",
                   "PutGatewayResponse"},
    OperationRoute{"GET", "/restapis/{restapi_id}/models", "GetModels"},
    OperationRoute{"POST", "/restapis/{restapi_id}/models", "CreateModel"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/models/{model_name}", "DeleteModel"},
    OperationRoute{"GET", "/restapis/{restapi_id}/models/{model_name}", "GetModel"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}/models/{model_name}", "UpdateModel"},
    OperationRoute{"GET", "/restapis/{restapi_id}/models/{model_name}/default_template",
                   "GetModelTemplate"},
    OperationRoute{"GET", "/restapis/{restapi_id}/requestvalidators", "GetRequestValidators"},
    OperationRoute{"POST", "/restapis/{restapi_id}/requestvalidators", "CreateRequestValidator"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}",
                   "DeleteRequestValidator"},
    OperationRoute{"GET", "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}",
                   "GetRequestValidator"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}",
                   "UpdateRequestValidator"},
    OperationRoute{"GET", "/restapis/{restapi_id}/resources", "GetResources"},
    OperationRoute{"POST", "/restapis/{restapi_id}/resources/{parent_id}", "CreateResource"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/resources/{resource_id}", "DeleteResource"},
    OperationRoute{"GET", "/restapis/{restapi_id}/resources/{resource_id}", "GetResource"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}/resources/{resource_id}", "UpdateResource"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}",
                   "DeleteMethod"},
    OperationRoute{"GET", "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}",
                   "GetMethod"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}",
                   "UpdateMethod"},
    OperationRoute{"POST", "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}",
                   "TestInvokeMethod"},
    OperationRoute{"PUT", "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}",
                   "PutMethod"},
    OperationRoute{
        "DELETE",
        "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration",
        "DeleteIntegration"},
    OperationRoute{
        "GET", "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration",
        "GetIntegration"},
    OperationRoute{
        "PATCH", "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration",
        "UpdateIntegration"},
    OperationRoute{
        "PUT", "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration",
        "PutIntegration"},
    OperationRoute{"DELETE",
                   "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/"
                   "integration/responses/{status_code}",
                   "DeleteIntegrationResponse"},
    OperationRoute{"GET",
                   "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/"
                   "integration/responses/{status_code}",
                   "GetIntegrationResponse"},
    OperationRoute{"PATCH",
                   "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/"
                   "integration/responses/{status_code}",
                   "UpdateIntegrationResponse"},
    OperationRoute{"PUT",
                   "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/"
                   "integration/responses/{status_code}",
                   "PutIntegrationResponse"},
    OperationRoute{"DELETE",
                   "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/responses/"
                   "{status_code}",
                   "DeleteMethodResponse"},
    OperationRoute{"GET",
                   "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/responses/"
                   "{status_code}",
                   "GetMethodResponse"},
    OperationRoute{"PATCH",
                   "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/responses/"
                   "{status_code}",
                   "UpdateMethodResponse"},
    OperationRoute{"PUT",
                   "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/responses/"
                   "{status_code}",
                   "PutMethodResponse"},
    OperationRoute{"GET", "/restapis/{restapi_id}/stages", "GetStages"},
    OperationRoute{"POST", "/restapis/{restapi_id}/stages", "CreateStage"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/stages/{stage_name}", "DeleteStage"},
    OperationRoute{"GET", "/restapis/{restapi_id}/stages/{stage_name}", "GetStage"},
    OperationRoute{"PATCH", "/restapis/{restapi_id}/stages/{stage_name}", "UpdateStage"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/stages/{stage_name}/cache/authorizers",
                   "FlushStageAuthorizersCache"},
    OperationRoute{"DELETE", "/restapis/{restapi_id}/stages/{stage_name}/cache/data",
                   "FlushStageCache"},
    OperationRoute{"GET", "/restapis/{restapi_id}/stages/{stage_name}/exports/{export_type}",
                   "GetExport"},
    OperationRoute{"GET", "/restapis/{restapi_id}/stages/{stage_name}/sdks/{sdk_type}", "GetSdk"},
    OperationRoute{"POST", "/restapis?mode=import", "ImportRestApi"},
    OperationRoute{"GET", "/sdktypes", "GetSdkTypes"},
    OperationRoute{"GET", "/sdktypes/{sdktype_id}", "GetSdkType"},
    OperationRoute{"DELETE", "/tags/{resource_arn}", "UntagResource"},
    OperationRoute{"GET", "/tags/{resource_arn}", "GetTags"},
    OperationRoute{"PUT", "/tags/{resource_arn}", "TagResource"},
    OperationRoute{"GET", "/usageplans", "GetUsagePlans"},
    OperationRoute{"POST", "/usageplans", "CreateUsagePlan"},
    OperationRoute{"DELETE", "/usageplans/{usageplanId}", "DeleteUsagePlan"},
    OperationRoute{"GET", "/usageplans/{usageplanId}", "GetUsagePlan"},
    OperationRoute{"PATCH", "/usageplans/{usageplanId}", "UpdateUsagePlan"},
    OperationRoute{"GET", "/usageplans/{usageplanId}/keys", "GetUsagePlanKeys"},
    OperationRoute{"POST", "/usageplans/{usageplanId}/keys", "CreateUsagePlanKey"},
    OperationRoute{"DELETE", "/usageplans/{usageplanId}/keys/{keyId}", "DeleteUsagePlanKey"},
    OperationRoute{"GET", "/usageplans/{usageplanId}/keys/{keyId}", "GetUsagePlanKey"},
    OperationRoute{"PATCH", "/usageplans/{usageplanId}/keys/{keyId}/usage", "UpdateUsage"},
    OperationRoute{"GET", "/usageplans/{usageplanId}/usage", "GetUsage"},
    OperationRoute{"GET", "/vpclinks", "GetVpcLinks"},
    OperationRoute{"POST", "/vpclinks", "CreateVpcLink"},
    OperationRoute{"DELETE", "/vpclinks/{vpclink_id}", "DeleteVpcLink"},
    OperationRoute{"GET", "/vpclinks/{vpclink_id}", "GetVpcLink"},
    OperationRoute{"PATCH", "/vpclinks/{vpclink_id}", "UpdateVpcLink"},
};

constexpr std::string_view kImportQuery = "?mode=import";

std::vector<std::string_view> template_segments(std::string_view uri) {
  std::vector<std::string_view> out;
  uri.remove_prefix(1);  // the leading '/'
  while (true) {
    const std::size_t slash = uri.find('/');
    out.push_back(uri.substr(0, slash));
    if (slash == std::string_view::npos) break;
    uri.remove_prefix(slash + 1);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

std::optional<std::vector<std::string>> split_path(std::string_view path) {
  std::vector<std::string> out;
  if (path.empty() || path[0] != '/') return out;
  for (std::string_view segment : template_segments(path)) {
    auto decoded = percent_decode(segment);
    if (!decoded) return std::nullopt;
    out.push_back(std::move(*decoded));
  }
  return out;
}

std::optional<ApigwOperation> match_apigw_operation(std::string_view method,
                                                    const std::vector<std::string>& segments,
                                                    std::string_view mode) {
  std::optional<ApigwOperation> best;
  int best_literals = -1;
  for (const OperationRoute& route : kOperations) {
    if (route.method != method) continue;
    std::string_view uri = route.uri;
    const bool import_only = uri.ends_with(kImportQuery);
    if (import_only) uri.remove_suffix(kImportQuery.size());
    if (import_only != (mode == "import")) continue;
    const std::vector<std::string_view> parts = template_segments(uri);
    if (parts.size() != segments.size()) continue;
    ApigwOperation candidate{route.name, {}};
    int literals = 0;
    bool matches = true;
    for (std::size_t i = 0; i < parts.size() && matches; ++i) {
      if (parts[i].starts_with('{')) {
        std::string_view label = parts[i].substr(1, parts[i].size() - 2);
        if (label.ends_with('+')) label.remove_suffix(1);
        matches = !segments[i].empty();
        candidate.labels[std::string(label)] = segments[i];
      } else {
        matches = parts[i] == segments[i];
        ++literals;
      }
    }
    if (matches && literals > best_literals) {
      best = std::move(candidate);
      best_literals = literals;
    }
  }
  return best;
}

bool is_apigw_collection(std::string_view segment) {
  // Asked for every request the server gets, so the first segments are collected once.
  static const std::vector<std::string_view> collections = [] {
    std::vector<std::string_view> firsts;
    for (const OperationRoute& route : kOperations) {
      std::string_view first = route.uri.substr(1);
      firsts.push_back(first.substr(0, first.find_first_of("/?")));
    }
    std::sort(firsts.begin(), firsts.end());
    firsts.erase(std::unique(firsts.begin(), firsts.end()), firsts.end());
    return firsts;
  }();
  return std::binary_search(collections.begin(), collections.end(), segment);
}

}  // namespace twin::sim::http
