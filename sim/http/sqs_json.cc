#include "sim/http/sqs_json.h"

#include <boost/json.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "core/encoding.h"
#include "core/events/json_reader.h"
#include "fakes/sqs/sqs_errors.h"
#include "sim/http/sqs_json_codec.h"

namespace twin::sim::http {
namespace {

namespace json = boost::json;
namespace sqs = fakes::sqs;
using sqs_json::Read;
using sqs_json::ReadError;

constexpr std::string_view kSqsNamespace = "com.amazonaws.sqs#";
constexpr std::string_view kCoralNamespace = "com.amazon.coral.service#";
// Protocol-level errors (not the fake's): AWS's generic JSON-protocol codes.
constexpr std::string_view kSerializationException = "SerializationException";
constexpr std::string_view kUnknownOperationException = "UnknownOperationException";
constexpr std::string_view kInternalFailure = "InternalFailure";
constexpr std::string_view kServiceUnavailable = "ServiceUnavailable";

// Error shapes that SQS's model does not define (reference 3.2), in coral's namespace.
bool is_coral_shape(std::string_view shape) {
  return shape == "InvalidParameterValueException" ||
         shape == "MissingRequiredParameterException" || shape == kSerializationException ||
         shape == kUnknownOperationException || shape == kInternalFailure ||
         shape == kServiceUnavailable;
}

WireResponse json_response(int status, const json::object& body) {
  WireResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", kAmzJson10);
  r.body = json::serialize(body);
  return r;
}

// `shape` is the JSON `__type` shape, `query_code` the legacy code botocore reports as
// Error.Code (reference 3.1: the exception class comes from the shape).
WireResponse error_response(int status, std::string_view shape, std::string_view query_code,
                            std::string_view message) {
  std::string type(is_coral_shape(shape) ? kCoralNamespace : kSqsNamespace);
  type += shape;
  WireResponse r = json_response(status, {{"__type", type}, {"message", message}});
  std::string query_error(query_code);
  query_error += status >= 500 ? ";Receiver" : ";Sender";
  r.headers.emplace_back("x-amzn-query-error", std::move(query_error));
  return r;
}

WireResponse protocol_error(std::string_view code, std::string_view message) {
  return error_response(400, code, code, message);
}

WireResponse internal_failure(std::string_view message) {
  return error_response(500, kInternalFailure, kInternalFailure, message);
}

// The one conversion from the fake's Status to the wire.
WireResponse status_response(const core::Status& s) {
  if (s.aws_code().empty()) {
    if (s.code() == core::StatusCode::kUnavailable) {
      return error_response(503, kServiceUnavailable, kServiceUnavailable, s.message());
    }
    return internal_failure(s.message());
  }
  int http_status = s.http_status() != 0 ? s.http_status() : 400;
  return error_response(http_status, sqs::sqs_error_type(s.aws_code()), s.aws_code(), s.message());
}

WireResponse read_error_response(const ReadError& e) {
  if (e.refused) return status_response(sqs::sqs_error(sqs::kInvalidParameterValue, e.message));
  return protocol_error(kSerializationException, "Invalid request body: " + e.message);
}

WireResponse answer(const core::Status& s) {
  return s.is_ok() ? json_response(200, {}) : status_response(s);
}
template <typename T>
WireResponse answer(const core::Result<T>& r) {
  return r.is_ok() ? json_response(200, sqs_json::to_json(*r)) : status_response(r.status());
}

// Reads the request, then runs `call` on it and answers with its result.
template <typename Request, typename Call>
WireResponse run(Read<Request> read, Call&& call) {
  if (const auto* e = std::get_if<ReadError>(&read)) return read_error_response(*e);
  return answer(call(std::get<Request>(read)));
}

using SyncHandler = WireResponse (*)(sqs::SqsService&, const json::object&);
struct Operation {
  std::string_view name;
  SyncHandler handler;
};

// One synchronous operation: read the body with Reader, call the fake's Method.
template <auto Reader, auto Method>
WireResponse sync_operation(sqs::SqsService& s, const json::object& body) {
  return run(Reader(body), [&](const auto& request) { return (s.*Method)(request); });
}

// Every operation of the fake but ReceiveMessage (which may answer later; see dispatch).
using sqs::SqsService;
const Operation kOperations[] = {
    {"CreateQueue", sync_operation<sqs_json::read_create_queue, &SqsService::create_queue>},
    {"GetQueueUrl", sync_operation<sqs_json::read_get_queue_url, &SqsService::get_queue_url>},
    {"ListQueues", sync_operation<sqs_json::read_list_queues, &SqsService::list_queues>},
    {"DeleteQueue", sync_operation<sqs_json::read_delete_queue, &SqsService::delete_queue>},
    {"PurgeQueue", sync_operation<sqs_json::read_purge_queue, &SqsService::purge_queue>},
    {"GetQueueAttributes",
     sync_operation<sqs_json::read_get_queue_attributes, &SqsService::get_queue_attributes>},
    {"SetQueueAttributes",
     sync_operation<sqs_json::read_set_queue_attributes, &SqsService::set_queue_attributes>},
    {"ListDeadLetterSourceQueues", sync_operation<sqs_json::read_list_dead_letter_source_queues,
                                                  &SqsService::list_dead_letter_source_queues>},
    {"SendMessage", sync_operation<sqs_json::read_send_message, &SqsService::send_message>},
    {"SendMessageBatch",
     sync_operation<sqs_json::read_send_message_batch, &SqsService::send_message_batch>},
    {"DeleteMessage", sync_operation<sqs_json::read_delete_message, &SqsService::delete_message>},
    {"DeleteMessageBatch",
     sync_operation<sqs_json::read_delete_message_batch, &SqsService::delete_message_batch>},
    {"ChangeMessageVisibility", sync_operation<sqs_json::read_change_message_visibility,
                                               &SqsService::change_message_visibility>},
    {"ChangeMessageVisibilityBatch", sync_operation<sqs_json::read_change_message_visibility_batch,
                                                    &SqsService::change_message_visibility_batch>},
};

const Operation* find_operation(std::string_view name) {
  for (const auto& op : kOperations) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

// The media type of a Content-Type value, without parameters, lower-cased.
std::string media_type(std::optional<std::string_view> content_type) {
  if (!content_type) return {};
  std::string_view t = *content_type;
  return core::ascii_lower(core::trim(t.substr(0, t.find(';'))));
}

// The request body as a JSON object, or the SerializationException that says why not.
std::variant<json::object, WireResponse> parse_body(std::string_view body) {
  if (core::trim(body).empty()) return json::object();
  json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t used = parser.write(body.data(), body.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    return protocol_error(kSerializationException, "The request body is not valid JSON (" +
                                                       ec.message() + " at byte " +
                                                       std::to_string(used) + ").");
  }
  json::value v = parser.release();
  if (!v.is_object()) {
    return protocol_error(kSerializationException, "The request body must be a JSON object, got " +
                                                       std::string(core::json_kind_name(v)) + ".");
  }
  return std::move(v.get_object());
}

// Calls the server's Respond once at most, however the handler ends (an exception after a
// long poll took the answer over included).
struct RespondOnce {
  Respond respond;
  bool done = false;
  void operator()(WireResponse r) {
    if (done) return;
    done = true;
    respond(std::move(r));
  }
};

}  // namespace

bool SqsJsonApi::is_sqs_request(const WireRequest& request) {
  if (request.method != "POST") return false;
  auto target = request.header("X-Amz-Target");
  if (target && target->starts_with(kSqsTargetPrefix)) return true;
  if (request.path() != "/") return false;
  std::string type = media_type(request.header("Content-Type"));
  // The form type is the query protocol (Action=SendMessage): answered here so that an old SDK
  // learns why it is refused.
  return type == kAmzJson10 || type == "application/x-www-form-urlencoded";
}

void SqsJsonApi::handle(const WireRequest& request, Respond respond) {
  auto once = std::make_shared<RespondOnce>(RespondOnce{std::move(respond)});
  Respond answer_once = [once](WireResponse r) { (*once)(std::move(r)); };
  try {
    auto target = request.header("X-Amz-Target");
    if (!target) {
      bool query = media_type(request.header("Content-Type")) != kAmzJson10;
      answer_once(protocol_error(
          kUnknownOperationException,
          query ? "The SQS query protocol (Action=...) is not supported by the twin; it speaks "
                  "the JSON 1.0 protocol (X-Amz-Target: AmazonSQS.<Operation>) that botocore "
                  "1.43 uses."
                : "Missing X-Amz-Target header: the twin's SQS API needs X-Amz-Target: "
                  "AmazonSQS.<Operation>."));
      return;
    }
    if (request.method != "POST") {
      answer_once(protocol_error(kUnknownOperationException,
                                 "Operation " + std::string(*target) + " sent as " +
                                     request.method + " is not supported by the twin (use POST)."));
      return;
    }
    dispatch(*target, request, answer_once);
  } catch (const std::exception& e) {
    answer_once(internal_failure(std::string("The twin failed: ") + e.what()));
  }
}

void SqsJsonApi::dispatch(std::string_view target, const WireRequest& request, Respond& respond) {
  std::string_view name = target.starts_with(kSqsTargetPrefix)
                              ? target.substr(kSqsTargetPrefix.size())
                              : std::string_view();
  const Operation* op = find_operation(name);
  if (op == nullptr && name != "ReceiveMessage") {
    respond(protocol_error(kUnknownOperationException,
                           "Operation " + std::string(target) + " is not supported by the twin."));
    return;
  }
  auto body = parse_body(request.body);
  if (auto* e = std::get_if<WireResponse>(&body)) {
    respond(std::move(*e));
    return;
  }
  const json::object& object = std::get<json::object>(body);
  if (op != nullptr) {
    respond(op->handler(sqs_, object));
    return;
  }
  auto read = sqs_json::read_receive_message(object);
  if (const auto* e = std::get_if<ReadError>(&read)) {
    respond(read_error_response(*e));
    return;
  }
  // A long poll answers later, on the executor; the callback needs nothing of `this`.
  sqs_.receive_message_async(
      std::get<sqs::ReceiveMessageRequest>(read),
      [respond](core::Result<sqs::ReceiveMessageResponse> result) {
        try {
          respond(answer(result));
        } catch (const std::exception& e) {
          respond(internal_failure(std::string("The twin failed: ") + e.what()));
        }
      });
}

}  // namespace twin::sim::http
