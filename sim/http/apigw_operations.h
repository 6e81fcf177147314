// Which API Gateway management operation (botocore `apigateway` 2015-07-09, rest-json) an HTTP
// request is, from its method, path and query, as AWS routes them. The table lists every
// operation of the model, the twin's and the rest, so a request for one the twin lacks is
// answered with that operation's name ("DeleteApiKey is not supported by the twin") rather than
// a guess or a silence.
//
// Values and a constant table; no state, no threading concerns.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twin::sim::http {

struct ApigwOperation {
  std::string_view name;                      // "GetUsage"
  std::map<std::string, std::string> labels;  // the URI's labels: {"usageplanId": "up1"}
};

// The path's segments ("/usageplans/up1/keys" -> usageplans, up1, keys), each percent-decoded
// ('+' stays '+': it is a space only in a query). nullopt when an escape is malformed.
std::optional<std::vector<std::string>> split_path(std::string_view path);

// The operation whose URI template matches; a literal segment beats a label. `mode` is the
// query's `mode` parameter: the model's two "?mode=import" operations (ImportApiKeys,
// ImportRestApi) match only when it is "import". nullopt when no operation has this method and
// path.
std::optional<ApigwOperation> match_apigw_operation(std::string_view method,
                                                    const std::vector<std::string>& segments,
                                                    std::string_view mode);

// True when `segment` starts the path of some management operation ("apikeys", "restapis").
bool is_apigw_collection(std::string_view segment);

}  // namespace twin::sim::http
