#include "harness/serve/core/http_server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include <chrono>
#include <cstdlib>
#include <optional>

namespace migsim::harness::serve {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// The handlers and limits, shared by the listener and its sessions (they may outlive each other).
struct Shared {
  HttpHandlers handlers;
  HttpLimits limits;
};

// One connection: read a request, answer it, repeat while keep-alive holds.
class Session : public std::enable_shared_from_this<Session> {
public:
  Session(tcp::socket&& socket, std::shared_ptr<const Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)), handlers_(shared_->handlers), limits_(shared_->limits)
  {
  }

  void start() { read_next(); }

private:
  void read_next()
  {
    parser_.emplace();
    parser_->body_limit(limits_.body_limit_bytes);
    stream_.expires_after(std::chrono::milliseconds(static_cast<long>(limits_.idle_timeout_s * 1000)));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  // After the header: answer "100 Continue" when the client waits for it (S3 uploads), then read the body.
  void on_header(beast::error_code ec)
  {
    if (ec) {
      on_read(ec);
      return;
    }
    const auto expect = parser_->get()[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue), [self = shared_from_this()](beast::error_code wec, std::size_t) {
        if (wec) {
          self->close();
          return;
        }
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body()
  {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec)
  {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      close();
      return;
    }
    if (ec == http::error::body_limit) {
      send(handlers_.on_error(http::status::payload_too_large,
                              "request body exceeds " + std::to_string(limits_.body_limit_bytes) + " bytes",
                              &parser_->get()),
           false);
      return;
    }
    if (ec) {
      send(handlers_.on_error(http::status::bad_request, "malformed HTTP request: " + ec.message(), nullptr), false);
      return;
    }
    const Request req = parser_->release();
    Response res = handlers_.on_request(req);
    res.version(req.version());
    const bool keep = req.keep_alive();
    // A handler may ask for the response to be delayed (chaos latency): a timer, never a sleep.
    if (auto delay = res.find("X-Migsim-Delay-Ms"); delay != res.end()) {
      const long ms = std::atol(std::string(delay->value()).c_str());
      res.erase(delay);
      if (ms > 0) {
        timer_ = std::make_shared<net::steady_timer>(stream_.get_executor());
        timer_->expires_after(std::chrono::milliseconds(ms));
        auto held = std::make_shared<Response>(std::move(res));
        timer_->async_wait([self = shared_from_this(), held, keep](beast::error_code) {
          self->send(std::move(*held), keep);
        });
        return;
      }
    }
    send(std::move(res), keep);
  }

  void send(Response res, bool keep_alive)
  {
    res.keep_alive(keep_alive);
    res_ = std::make_shared<Response>(std::move(res));
    http::async_write(stream_, *res_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_write(ec);
    });
  }

  void on_write(beast::error_code ec)
  {
    const bool keep = res_->keep_alive();
    res_.reset();
    if (ec || !keep) {
      close();
      return;
    }
    read_next();
  }

  void close()
  {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> res_;
  std::shared_ptr<net::steady_timer> timer_;
  std::shared_ptr<const Shared> shared_;
  const HttpHandlers& handlers_;
  const HttpLimits& limits_;
};

}  // namespace

// Accepts connections until closed.
struct HttpServer::Listener : std::enable_shared_from_this<HttpServer::Listener> {
  Listener(net::io_context& ioc, const tcp::endpoint& endpoint, HttpHandlers h, HttpLimits l)
      : ioc(ioc), acceptor(ioc), shared(std::make_shared<const Shared>(Shared{std::move(h), l}))
  {
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
  }

  void accept()
  {
    acceptor.async_accept(ioc, [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !self->acceptor.is_open())
        return;
      if (!ec)
        std::make_shared<Session>(std::move(socket), self->shared)->start();
      self->accept();
    });
  }

  net::io_context& ioc;
  tcp::acceptor acceptor;
  std::shared_ptr<const Shared> shared;
};

HttpServer::HttpServer(net::io_context& ioc, const tcp::endpoint& endpoint, HttpHandlers handlers, HttpLimits limits)
    : listener_(std::make_shared<Listener>(ioc, endpoint, std::move(handlers), limits))
{
  listener_->accept();
}

HttpServer::~HttpServer() { close(); }

tcp::endpoint HttpServer::local_endpoint() const { return listener_->acceptor.local_endpoint(); }

void HttpServer::close()
{
  beast::error_code ignored;
  listener_->acceptor.close(ignored);
}

}  // namespace migsim::harness::serve
