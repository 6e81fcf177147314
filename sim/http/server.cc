#include "sim/http/server.h"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace twin::sim::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class Server::Session : public std::enable_shared_from_this<Server::Session> {
 public:
  Session(tcp::socket socket, Server& server) : stream_(std::move(socket)), server_(server) {}

  void start() { read(); }

  // At shutdown: an idle connection closes now; a busy one after its answer.
  void stop() {
    stopping_ = true;
    if (!busy_) close();
  }
  bool busy() const { return busy_; }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options_.body_bytes_max);
    parser_->header_limit(kRequestHeaderBytesMax);
    stream_.expires_after(server_.options_.read_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || stopping_) {
      return close();
    }
    if (ec == bhttp::error::body_limit) {
      return write_error(
          413, "request body over " + std::to_string(server_.options_.body_bytes_max) + " bytes");
    }
    if (ec == bhttp::error::header_limit) return write_error(431, "request headers too large");
    if (ec) {
      if (ec.category() == beast::error_code(bhttp::error::bad_target).category()) {
        return write_error(400, "malformed HTTP request: " + ec.message());
      }
      return close();  // the peer went away
    }
    auto message = parser_->release();
    keep_alive_ = message.keep_alive();
    WireRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_ip = remote_ip();
    request.received_at_us = server_.clock_.now();
    busy_ = true;
    stream_.expires_never();
    // The handler may answer now or later; the session stays alive until it does.
    server_.handler_(std::move(request), [self = shared_from_this()](WireResponse response) {
      asio::post(self->stream_.get_executor(),
                 [self, response = std::move(response)]() mutable { self->write(response); });
    });
  }

  std::string remote_ip() {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    return ec ? std::string("127.0.0.1") : endpoint.address().to_string();
  }

  void write_error(int status, const std::string& message) {
    keep_alive_ = false;
    WireResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = "{\"message\":\"" + message + "\"}";
    write(r);
  }

  void write(const WireResponse& response) {
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
    out->version(11);
    out->result(static_cast<unsigned>(response.status));
    for (const auto& [name, value] : response.headers) out->insert(name, value);
    out->set(bhttp::field::server, "twin");
    out->body() = response.body;
    out->keep_alive(keep_alive_ && !stopping_);
    out->prepare_payload();
    ++server_.served_;
    bhttp::async_write(stream_, *out,
                       [self = shared_from_this(), out](beast::error_code ec, std::size_t) {
                         self->busy_ = false;
                         if (ec || !out->keep_alive()) return self->close();
                         self->read();
                       });
  }

  void close() {
    busy_ = false;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  Server& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool keep_alive_ = true;
  bool busy_ = false;
  bool stopping_ = false;
};

Server::Server(asio::io_context& io, ServerOptions options, RequestHandler handler,
               const core::Clock& clock)
    : io_(io),
      options_(std::move(options)),
      handler_(std::move(handler)),
      clock_(clock),
      acceptor_(io) {}

Server::~Server() = default;

core::Status Server::listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) {
    return core::Status(core::StatusCode::kInvalidArgument,
                        "--host " + options_.host + ": not an IP address");
  }
  tcp::endpoint endpoint(address, options_.port);
  auto fail = [&](const char* what) {
    return core::Status(core::StatusCode::kUnavailable, std::string(what) + " " + options_.host +
                                                            ":" + std::to_string(options_.port) +
                                                            ": " + ec.message());
  };
  if (acceptor_.open(endpoint.protocol(), ec); ec) return fail("cannot open");
  if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec); ec)
    return fail("cannot set up");
  if (acceptor_.bind(endpoint, ec); ec) return fail("cannot bind");
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec)
    return fail("cannot listen on");
  port_ = acceptor_.local_endpoint().port();
  accept();
  return core::Status::ok();
}

void Server::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (stopping_ || ec == asio::error::operation_aborted) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      auto session = std::make_shared<Session>(std::move(socket), *this);
      sessions_.remove_if([](const auto& w) { return w.expired(); });
      sessions_.push_back(session);
      session->start();
    }
    accept();
  });
}

void Server::stop() {
  stopping_ = true;
  beast::error_code ignored;
  acceptor_.close(ignored);
  for (auto& weak : sessions_) {
    if (auto s = weak.lock()) s->stop();
  }
}

bool Server::drained() const {
  for (const auto& weak : sessions_) {
    if (auto s = weak.lock(); s && s->busy()) return false;
  }
  return true;
}

}  // namespace twin::sim::http
