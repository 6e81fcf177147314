// Wire: one HTTP request and response as the live server's handlers see them, without sockets.
//
// The HTTP front (sim/http/server.*) turns each Beast message into a WireRequest, hands it to
// the handler for its endpoint (execute-api, the SQS JSON protocol, API Gateway management,
// /_twin), and writes the WireResponse it gets back. Handlers are plain functions of these
// values plus the fakes they drive, so tests call them directly, with no port and no thread.
// A handler answers through a callback because some answers come later (a ReceiveMessage long
// poll, a Lambda invocation's modelled duration); it calls it exactly once, on the executor's
// thread.
//
// Values only; no Asio or Beast here (those stay in the server's files).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/encoding.h"
#include "core/ports/clock.h"

namespace twin::sim::http {

using Headers = std::vector<std::pair<std::string, std::string>>;  // in order; names may repeat

// Header names compare case-insensitively (core's one ASCII comparison).
inline bool iequals(std::string_view a, std::string_view b) { return core::ascii_iequals(a, b); }

struct WireRequest {
  std::string method;  // "POST"
  std::string target;  // path and query as sent: "/prod/trigger?x=1"
  Headers headers;
  std::string body;
  std::string remote_ip = "127.0.0.1";
  core::TimeUs received_at_us = 0;

  // The first header with this name (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (iequals(k, name)) return std::string_view(v);
    }
    return std::nullopt;
  }
  std::string_view path() const {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
  }
  std::string_view query() const {
    std::string_view t = target;
    auto q = t.find('?');
    return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
  }
};

struct WireResponse {
  int status = 200;
  Headers headers;
  std::string body;

  std::optional<std::string_view> header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (iequals(k, name)) return std::string_view(v);
    }
    return std::nullopt;
  }
};

using Respond = std::function<void(WireResponse)>;

}  // namespace twin::sim::http
