#include "harness/serve/core/http_server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <cstdio>
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
    // The header is read under the larger limit; on_header picks this request's own.
    parser_->body_limit(std::max(limits_.body_limit_bytes, limits_.data_body_limit_bytes));
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
    const bool data = handlers_.carries_data && handlers_.carries_data(parser_->get());
    const std::size_t limit = data ? limits_.data_body_limit_bytes : limits_.body_limit_bytes;
    if (auto declared = parser_->content_length(); declared && *declared > limit) {
      on_read(http::error::body_limit);  // refused before any body is read (and before 100 Continue)
      return;
    }
    parser_->body_limit(limit);
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
      const bool data = handlers_.carries_data && handlers_.carries_data(parser_->get());
      const std::size_t limit = data ? limits_.data_body_limit_bytes : limits_.body_limit_bytes;
      const auto declared = parser_->content_length();
      drain_left_ = declared ? *declared : std::numeric_limits<std::uint64_t>::max();
      draining_ = true;
      send(handlers_.on_error(http::status::payload_too_large,
                              "request body exceeds " + std::to_string(limit) + " bytes (the limit for " +
                                  (data ? "object data" : "API calls") + ")",
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
    if (auto body = handlers_.take_stream ? handlers_.take_stream() : nullptr) {
      start_stream(std::move(res), std::move(body), keep);
      return;
    }
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

  // A body produced over time: the header (chunked), then each chunk as it comes, then the last
  // chunk; the connection goes on (keep-alive) after it. The client closing the connection while
  // it waits cancels the body, so that its producer stops.
  void start_stream(Response res, std::shared_ptr<ChunkStream> body, bool keep_alive)
  {
    body_ = std::move(body);
    stream_keep_ = keep_alive;
    stream_head_ = std::make_shared<http::response<http::empty_body>>(res.result(), res.version());
    for (const auto& field : res)
      if (field.name() != http::field::content_length)
        stream_head_->set(field.name_string(), field.value());
    stream_head_->chunked(true);
    stream_head_->keep_alive(keep_alive);
    head_sr_ = std::make_shared<http::response_serializer<http::empty_body>>(*stream_head_);
    std::weak_ptr<Session> weak = shared_from_this();
    body_->on_ready([weak] {
      if (auto self = weak.lock())
        self->pump();
    });
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write_header(stream_, *head_sr_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->stream_.expires_never();
      if (ec) {
        self->abort_stream();
        return;
      }
      self->head_sent_ = true;
      self->stream_.socket().async_wait(tcp::socket::wait_read, [self](beast::error_code wec) {
        if (wec != net::error::operation_aborted && self->body_)
          self->abort_stream();  // the client hung up (or sent bytes in the middle of a body it reads)
      });
      self->pump();
    });
  }

  // Writes what the body has queued, or its end.
  void pump()
  {
    if (!body_ || writing_ || !head_sent_)
      return;
    std::string out;
    const bool last = !body_->has_data() && body_->ended();
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
    stream_.expires_after(std::chrono::seconds(30));
    net::async_write(stream_, net::buffer(*chunk_), [self = shared_from_this(), last](beast::error_code ec, std::size_t) {
      self->stream_.expires_never();
      self->writing_ = false;
      self->chunk_.reset();
      if (ec) {
        self->abort_stream();
        return;
      }
      if (!last) {
        self->pump();
        return;
      }
      self->body_.reset();
      self->head_sent_ = false;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);  // the wait for a hang-up
      if (self->stream_keep_)
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
    if (!ec && draining_) {
      drain();
      return;
    }
    if (ec || !keep) {
      close();
      return;
    }
    read_next();
  }

  // Reads and discards what is left of a refused body (until its declared length, the client's close
  // or a quiet spell), then closes: closing with unread data would reset the connection under the
  // client before it reads the 413.
  void drain()
  {
    const std::size_t buffered = buffer_.size();
    buffer_.consume(buffered);
    drain_left_ -= std::min<std::uint64_t>(drain_left_, buffered);
    if (drain_left_ == 0) {
      close();
      return;
    }
    stream_.expires_after(std::chrono::milliseconds(static_cast<long>(limits_.drain_timeout_s * 1000)));
    stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->drain_left_ -= std::min<std::uint64_t>(self->drain_left_, n);
      if (ec || self->drain_left_ == 0) {
        self->close();
        return;
      }
      self->drain();
    });
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
  std::shared_ptr<ChunkStream> body_;  // a body being streamed (null otherwise)
  std::shared_ptr<http::response<http::empty_body>> stream_head_;
  std::shared_ptr<http::response_serializer<http::empty_body>> head_sr_;
  std::shared_ptr<std::string> chunk_;
  bool stream_keep_ = false, head_sent_ = false, writing_ = false;
  std::shared_ptr<net::steady_timer> timer_;
  bool draining_ = false;          // a refused body is being discarded
  std::uint64_t drain_left_ = 0;   // bytes of it still expected
  std::array<char, 64 * 1024> scratch_{};
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
