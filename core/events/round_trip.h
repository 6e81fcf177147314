// Whether a value core writes as JSON (its serialize()) reads back as the same value through
// the reader that consumes that text, and a bound on the size of the text. The Lambda fake uses
// these to hand core::Handler a typed event instead of its JSON text, and to hand the gateway
// and the event source mapping the handler's typed answer, when nobody could tell the
// difference (fakes/lambda/payload.h).
//
// A value reads back exactly when
// - every string in it is well-formed UTF-8 (the readers refuse anything else, so the text is an
//   error, not the value);
// - no map in it repeats a name (the text keeps one entry per name);
// - for a proxy response, the status code is one API Gateway accepts (100 to 599).
// The readers meant: read_proxy_event_fast, else parse_proxy_event (the handler, for proxy
// events); read_proxy_response_fast, else parse_proxy_response (the gateway, for the function's
// answer); read_sqs_event_fast, else parse_sqs_event (the handler, for SQS events); and the
// event source mapping's reading of a batch response (fakes/esm, parse_batch_item_failures),
// whose only strings are the itemIdentifiers.
//
// Owned by core; pure functions. tests/core/round_trip_test.cc holds them to the readers.
#pragma once

#include <cstddef>

#include "core/events/proxy_event.h"
#include "core/events/sqs_event.h"

namespace twin::core {

struct JsonRoundTrip {
  bool exact = true;               // the text reads back as the same value
  std::size_t json_bytes_max = 0;  // serialize(value).size() <= json_bytes_max, always
};

JsonRoundTrip json_round_trip(const ProxyEvent& event);
JsonRoundTrip json_round_trip(const ProxyResponse& response);
JsonRoundTrip json_round_trip(const SqsEvent& event);
JsonRoundTrip json_round_trip(const SqsBatchResponse& response);

}  // namespace twin::core
