// Server: the HTTP/1.1 front of `twin serve`, on Boost.Beast over one Asio io_context thread.
//
// A listener accepts on the given address (127.0.0.1 by default; port 0 picks a free port,
// port() tells which); each connection gets a Session that reads one request at a time with a
// timeout on every read and a body limit, hands it to the Handler as a WireRequest, and writes
// the WireResponse the handler gives back, whenever it comes (a long poll answers seconds
// later). Connections stay open between requests (keep-alive) unless the client says close.
//
// stop(): stop accepting, close the connections that wait for a request, and let those with a
// request in flight finish it, then close; drained() says when none is left. Nothing locks:
// everything runs on the io_context's thread, as the fakes behind the handler do.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>

#include "core/status.h"
#include "sim/http/wire.h"

namespace twin::sim::http {

inline constexpr std::size_t kRequestBodyBytesMax = 11 * 1024 * 1024;  // API Gateway's 10 MB, +
inline constexpr std::size_t kRequestHeaderBytesMax = 64 * 1024;
inline constexpr std::chrono::seconds kReadTimeout{60};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4566;
  std::size_t body_bytes_max = kRequestBodyBytesMax;
  std::chrono::steady_clock::duration read_timeout = kReadTimeout;
};

using RequestHandler = std::function<void(WireRequest, Respond)>;

class Server {
 public:
  Server(boost::asio::io_context& io, ServerOptions options, RequestHandler handler,
         const core::Clock& clock);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting. Errors: kUnavailable naming the address (in use, say).
  core::Status listen();
  std::uint16_t port() const { return port_; }

  void stop();
  bool drained() const;
  std::uint64_t requests_served() const { return served_; }

  class Session;  // one connection (server.cc)

 private:
  void accept();

  boost::asio::io_context& io_;
  ServerOptions options_;
  RequestHandler handler_;
  const core::Clock& clock_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  bool stopping_ = false;
  std::list<std::weak_ptr<Session>> sessions_;
  std::uint64_t served_ = 0;
};

}  // namespace twin::sim::http
