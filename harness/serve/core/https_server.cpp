#include "harness/serve/core/https_server.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <cstdio>
#include <optional>

namespace migsim::harness::serve {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

struct Shared {
  HttpHandlers handlers;
  HttpLimits limits;
  ssl::context tls{ssl::context::tls_server};
};

// One TLS connection: handshake, then read a request, answer it (or stream its body), repeat.
class TlsSession : public std::enable_shared_from_this<TlsSession> {
public:
  TlsSession(tcp::socket&& socket, std::shared_ptr<Shared> shared)
      : shared_(std::move(shared)), stream_(std::move(socket), shared_->tls)
  {
  }

  void start()
  {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
      if (ec)
        return self->close();
      self->read_next();
    });
  }

private:
  void read_next()
  {
    parser_.emplace();
    parser_->body_limit(shared_->limits.body_limit_bytes);
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::milliseconds(static_cast<long>(shared_->limits.idle_timeout_s * 1000)));
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec)
  {
    if (ec == http::error::body_limit) {
      send(shared_->handlers.on_error(http::status::payload_too_large, "request body exceeds the limit for API calls",
                                      &parser_->get()),
           false);
      return;
    }
    if (ec)
      return close();
    const Request req = parser_->release();
    Response res = shared_->handlers.on_request(req);
    res.version(req.version());
    const bool keep = req.keep_alive();
    if (auto body = shared_->handlers.take_stream ? shared_->handlers.take_stream() : nullptr) {
      start_stream(std::move(res), std::move(body), keep);
      return;
    }
    send(std::move(res), keep);
  }

  void send(Response res, bool keep)
  {
    res.keep_alive(keep);
    res_ = std::make_shared<Response>(std::move(res));
    http::async_write(stream_, *res_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      const bool keep_on = self->res_->keep_alive();
      self->res_.reset();
      if (ec || !keep_on)
        return self->close();
      self->read_next();
    });
  }

  void start_stream(Response res, std::shared_ptr<ChunkStream> body, bool keep)
  {
    body_ = std::move(body);
    keep_ = keep;
    head_ = std::make_shared<http::response<http::empty_body>>(res.result(), res.version());
    for (const auto& field : res)
      if (field.name() != http::field::content_length)
        head_->set(field.name_string(), field.value());
    head_->chunked(true);
    head_->keep_alive(keep);
    head_sr_ = std::make_shared<http::response_serializer<http::empty_body>>(*head_);
    std::weak_ptr<TlsSession> weak = shared_from_this();
    body_->on_ready([weak] {
      if (auto self = weak.lock())
        self->pump();
    });
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    http::async_write_header(stream_, *head_sr_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      beast::get_lowest_layer(self->stream_).expires_never();
      if (ec)
        return self->abort_stream();
      self->head_sent_ = true;
      beast::get_lowest_layer(self->stream_).socket().async_wait(tcp::socket::wait_read, [self](beast::error_code wec) {
        if (wec != net::error::operation_aborted && self->body_)
          self->abort_stream();  // the client hung up
      });
      self->pump();
    });
  }

  void pump()
  {
    if (!body_ || writing_ || !head_sent_)
      return;
    const bool last = !body_->has_data() && body_->ended();
    std::string out;
    if (body_->has_data()) {
      const std::string data = body_->take();
      char size[24];
      std::snprintf(size, sizeof size, "%zx\r\n", data.size());
      out = size + data + "\r\n";
    } else if (last) {
      out = "0\r\n\r\n";
    } else {
      return;
    }
    writing_ = true;
    chunk_ = std::make_shared<std::string>(std::move(out));
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    net::async_write(stream_, net::buffer(*chunk_), [self = shared_from_this(), last](beast::error_code ec, std::size_t) {
      beast::get_lowest_layer(self->stream_).expires_never();
      self->writing_ = false;
      self->chunk_.reset();
      if (ec)
        return self->abort_stream();
      if (!last)
        return self->pump();
      self->body_.reset();
      self->head_sent_ = false;
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().cancel(ignored);  // the wait for a hang-up
      if (self->keep_)
        self->read_next();
      else
        self->close();
    });
  }

  void abort_stream()
  {
    if (body_)
      body_->cancel();
    body_.reset();
    close();
  }

  void close()
  {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

  std::shared_ptr<Shared> shared_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> res_;
  std::shared_ptr<ChunkStream> body_;
  std::shared_ptr<http::response<http::empty_body>> head_;
  std::shared_ptr<http::response_serializer<http::empty_body>> head_sr_;
  std::shared_ptr<std::string> chunk_;
  bool keep_ = false, head_sent_ = false, writing_ = false;
};

}  // namespace

struct HttpsServer::Listener : std::enable_shared_from_this<HttpsServer::Listener> {
  Listener(net::io_context& ioc, const tcp::endpoint& endpoint, std::shared_ptr<Shared> shared)
      : ioc(ioc), acceptor(ioc), shared(std::move(shared))
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
        std::make_shared<TlsSession>(std::move(socket), self->shared)->start();
      self->accept();
    });
  }

  net::io_context& ioc;
  tcp::acceptor acceptor;
  std::shared_ptr<Shared> shared;
};

HttpsServer::HttpsServer(net::io_context& ioc, const tcp::endpoint& endpoint, const TlsIdentity& identity,
                         HttpHandlers handlers, HttpLimits limits)
{
  auto shared = std::make_shared<Shared>();
  shared->handlers = std::move(handlers);
  shared->limits = limits;
  shared->tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                          ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  shared->tls.use_certificate_chain(net::buffer(identity.cert_pem));
  shared->tls.use_private_key(net::buffer(identity.key_pem), ssl::context::pem);
  listener_ = std::make_shared<Listener>(ioc, endpoint, std::move(shared));
  listener_->accept();
}

HttpsServer::~HttpsServer() { close(); }

tcp::endpoint HttpsServer::local_endpoint() const { return listener_->acceptor.local_endpoint(); }

void HttpsServer::close()
{
  beast::error_code ignored;
  listener_->acceptor.close(ignored);
}

}  // namespace migsim::harness::serve
