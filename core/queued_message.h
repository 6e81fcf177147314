// The webhook queue's message: what /webhook puts on the queue when the queue is enabled and
// what the queue consumer reads back from each SQS record's body,
// {"MessageSid":..,"From":..,"To":..,"Body":..,"received_at_us":..}.
//
// Owned by core; pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/ports/clock.h"
#include "core/ports/registration_store.h"
#include "core/status.h"

namespace twin::core {

std::string queue_payload(const InboundMessage& message);

// Reads a record body: MessageSid, From and To required and MessageSid not empty, Body optional
// (""), received_at_us optional (`now`), other members ignored. kInvalidArgument naming the
// JSON path ("$.body...") otherwise.
Result<InboundMessage> parse_queued_message(std::string_view body, TimeUs now);

// The fast path of parse_queued_message: no JSON tree. False for anything it is not sure of
// (a syntax error, a null, a wrong type, a repeated member, a missing one); the caller then
// calls parse_queued_message, which accepts it or names the error. For every body it accepts
// it reads what parse_queued_message would (tests/core/queued_message_test.cc).
bool read_queued_message_fast(std::string_view body, TimeUs now, InboundMessage& out);

}  // namespace twin::core
