// Config: the handler's settings, as the Lambda function's environment would give them.
//
// A plain value built by the caller (the CLI, the simulator, tests); core never reads the
// environment itself. Secrets held here are never logged.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/ports/clock.h"

namespace twin::core {

struct Config {
  // The API key POST /trigger accepts. When unset, /trigger refuses every request (fail closed).
  std::optional<std::string> api_key;
  // Twilio's auth token. When set, /webhook requires a valid X-Twilio-Signature over a form
  // body; when unset (local development), signatures are not checked and JSON bodies are taken.
  std::optional<std::string> twilio_auth_token;
  // Whether /webhook puts messages on the webhook queue (true) or processes them at once.
  bool webhook_queue_enabled = false;
  // The public URL prefix Twilio calls, e.g. "https://club.example.org/api" for a custom
  // domain. When unset the signed URL is rebuilt as "https://" + Host + requestContext.path.
  std::optional<std::string> public_base_url;
  // How long a processed MessageSid is remembered.
  DurationUs idempotency_ttl_us = 24 * kMicrosPerHour;
  // Largest request body a route accepts (after base64 decoding).
  std::size_t body_bytes_max = 64 * 1024;
};

}  // namespace twin::core
