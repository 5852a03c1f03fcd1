// A small asynchronous HTTP/1.1 server on Boost.Beast: a listener accepting connections and one
// session per connection, reading one request at a time (so pipelined requests are answered in
// order) and keeping the connection alive when the client asks. It knows nothing about AWS: every
// request goes to a handler, every transport-level failure (body too large, malformed request) to
// an error handler, both running on the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace migsim::harness::serve {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// What the server calls: one response per request, or one response for a request it could not read
// (`partial` holds the request's header when it was read, e.g. before a too-large body; else null).
struct HttpHandlers {
  std::function<Response(const Request&)> on_request;
  std::function<Response(http::status, const std::string& reason, const Request* partial)> on_error;
};

struct HttpLimits {
  std::size_t body_limit_bytes = 1 << 20;  // larger bodies are answered 413 and the connection closed
  double idle_timeout_s = 60;              // an idle keep-alive connection is closed after this
};

// Accepts connections on one endpoint and starts a session for each.
class HttpServer {
public:
  // Binds and listens; throws boost::system::system_error when the address cannot be used.
  HttpServer(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint, HttpHandlers handlers,
             HttpLimits limits = {});
  ~HttpServer();
  // The bound endpoint (the actual port when asked for port 0).
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Stops accepting; open sessions end when the io_context stops.
  void close();

private:
  struct Listener;
  std::shared_ptr<Listener> listener_;
};

}  // namespace migsim::harness::serve
