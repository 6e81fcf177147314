// Inbound WhatsApp webhooks as Twilio sends them (reference 5.1, 5.2): a form-encoded POST with
// the sandbox capture's fields in its order, signed with X-Twilio-Signature for the URL and
// auth token given. For traffic generators and tests; the result holds what an HTTP request
// needs (path, query, headers, body), so a caller turns it into the API Gateway fake's
// HttpRequest without this file knowing the gateway.
//
// Headers: Content-Type application/x-www-form-urlencoded, User-Agent TwilioProxy/1.1 (the
// reference's captured userAgent), X-Twilio-Signature, and I-Twilio-Idempotency-Token only
// when the message sets one (the reference marks it UNCERTAIN: Twilio adds it on retries).
// MessageType is sent when set (newer payloads); MessagingServiceSid only when set.
//
// Pure functions; the token never leaves the signature.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.h"
#include "core/events/proxy_event.h"
#include "core/ports/id_source.h"

namespace twin::fakes::twilio {

inline constexpr std::string_view kUserAgent = "TwilioProxy/1.1";
inline constexpr std::string_view kSandboxNumber = "whatsapp:+14155238886";
inline constexpr std::string_view kApiVersion = "2010-04-01";

struct InboundWhatsApp {
  std::string message_sid;  // "SM" + 32 hex; also SmsSid and SmsMessageSid
  std::string account_sid;  // "AC" + 32 hex
  std::string from;         // "whatsapp:+447700900123"
  std::string to = std::string(kSandboxNumber);
  std::string body;
  std::string profile_name;
  std::string wa_id;  // From's digits without '+', filled from `from` when empty
  std::optional<std::string> message_type = "text";
  std::optional<std::string> messaging_service_sid;
  int num_media = 0;
  int num_segments = 1;
  std::optional<std::string> idempotency_token;
};

struct WebhookRequest {
  std::string method = "POST";
  std::string url;           // what was signed
  std::string path;          // "/prod/webhook"
  std::string query_string;  // without '?'
  std::string host;
  core::StringPairs headers;
  std::string body;
  std::vector<core::FormField> fields;  // decoded, in body order
};

// "SM" + 32 lowercase hex digits from the id source (deterministic under a seeded source).
std::string next_message_sid(core::IdSource& ids);

// The fields in the order of the reference's sandbox capture.
std::vector<core::FormField> webhook_fields(const InboundWhatsApp& message);

// Builds the signed request. `url` must be an absolute http(s) URL.
WebhookRequest build_inbound_webhook(const InboundWhatsApp& message, std::string_view url,
                                     std::string_view auth_token);

}  // namespace twin::fakes::twilio
