// SqsJsonApi: the SQS API in the AWS JSON 1.0 protocol (reference 3.1-3.2, 3.13), as the live
// server's handler for it, over the SQS fake (fakes/sqs/sqs_service.h).
//
// Wire (what botocore 1.43 / awscli 1.45 send): `POST /` with `X-Amz-Target:
// AmazonSQS.<Operation>` and `Content-Type: application/x-amz-json-1.0`, a JSON object body
// with AWS's member names. Signed or unsigned alike: Authorization and the other signing headers
// are neither checked nor read, so they cannot reach a log from here. Answers are
// `application/x-amz-json-1.0`: the output members (optional ones omitted when empty, as AWS
// does), `{}` for operations without output.
//
// Errors: the fake's Status maps 1:1 onto the wire: HTTP status from the Status, body
// `{"__type":"<namespace>#<shape>","message":"..."}` and `x-amzn-query-error: <query
// code>;Sender`, so botocore raises the modelled class (client.exceptions.QueueDoesNotExist)
// with Error.Code = the legacy query code (reference 3.1). Errors of the protocol itself: a body
// that is not a JSON object, or a member of the wrong type, is 400 SerializationException
// naming the member's JSON path; a missing X-Amz-Target or an operation the twin does not
// implement is 400 UnknownOperationException naming it. A failure of the twin itself (SQLite,
// an exception) is 500 InternalFailure. Nothing is ever answered with a fake success.
//
// Queue URLs: QueueUrl is handed to the fake untouched. The one place that decides which URLs
// name a queue is SqsService::find_queue (see sqs_service.h): it matches the last two path
// segments (account id and queue name) whatever the scheme, host and port, so a URL built for
// http://localhost:4566 works against a server whose endpoint is http://127.0.0.1:4566.
//
// Choices where AWS or botocore is unclear (reference 3.1, 6.8):
// - `__type` namespaces: shapes in SQS's model use `com.amazonaws.sqs#`; the unmodelled
//   InvalidParameterValueException and MissingRequiredParameterException, and the protocol
//   errors, use `com.amazon.coral.service#` (reference 3.1 gives that for InvalidParameterValue).
// - The HTTP status is the Status's (PurgeQueueInProgress and OverLimit stay 403) whether or
//   not the client sent `x-amzn-query-mode`.
// - Every error carries x-amzn-query-error, the protocol errors with their own code, so
//   Error.Type is always set (Sender, or Receiver for the twin's own 5xx).
// - An empty body reads as `{}`; the Content-Type is not checked (curl users forget it).
// - x-amzn-RequestId is left to the server, which stamps every endpoint's answers alike.
//
// Threading: runs on the executor's thread like the fake. handle() answers through `respond`
// exactly once: before it returns, except for a ReceiveMessage long poll, which answers when
// the fake's receive_message_async does. The pending answer does not refer to this object.
#pragma once

#include "fakes/sqs/sqs_service.h"
#include "sim/http/wire.h"

namespace twin::sim::http {

inline constexpr std::string_view kSqsTargetPrefix = "AmazonSQS.";
inline constexpr std::string_view kAmzJson10 = "application/x-amz-json-1.0";

class SqsJsonApi {
 public:
  explicit SqsJsonApi(fakes::sqs::SqsService& sqs) : sqs_(sqs) {}

  // True for a POST whose X-Amz-Target names SQS (at any path: AWS also takes requests sent to
  // the queue URL), or a POST to `/` in the JSON 1.0 content type (so one without a target is
  // answered here, with UnknownOperationException).
  static bool is_sqs_request(const WireRequest& request);

  void handle(const WireRequest& request, Respond respond);

 private:
  void dispatch(std::string_view operation, const WireRequest& request, Respond& respond);

  fakes::sqs::SqsService& sqs_;
};

}  // namespace twin::sim::http
