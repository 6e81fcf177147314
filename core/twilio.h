// Twilio inbound webhooks: the request signature (reference 5.2) and the TwiML answer (5.3).
//
// Owned by core; pure functions. The Twilio fake signs requests with the same code it is
// checked with here, and the reference's published vectors pin both.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.h"

namespace twin::core {

// The empty TwiML document: "received, no reply". Content-Type text/xml.
inline constexpr std::string_view kEmptyTwiml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

// base64(HMAC-SHA1(auth_token, url + for each param sorted by name then value: name + value)).
std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             std::vector<FormField> params);

// Checks `signature` against the URL as given and with its default port added or removed
// (Twilio's SDKs accept both forms); each comparison is constant-time.
bool twilio_signature_valid(std::string_view auth_token, std::string_view url,
                            const std::vector<FormField>& params, std::string_view signature);

// "https://host/path" <-> "https://host:443/path" (":80" for http). Empty when `url` has a
// non-default port or is not http(s).
std::string twilio_alternate_port_url(std::string_view url);

}  // namespace twin::core
