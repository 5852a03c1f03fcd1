// A small synchronous HTTP/1.1 client on Boost.Beast: plain TCP or TLS (OpenSSL, certificate and
// host name verification, SNI), one kept-alive connection per scheme/host/port reused across
// requests, and connect/read timeouts. Knows nothing about AWS.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace migsim::aws {

// An endpoint URL split up: "https://host:port/base".
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;
  unsigned short port = 0;
  std::string base_path;  // "" or "/base" (no trailing slash)
  // The Host header value: host, plus ":port" when not the scheme's default.
  std::string host_header() const;
};
// Parses an endpoint URL; throws std::invalid_argument naming what is wrong.
Url parse_url(const std::string& url);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A response as received.
struct HttpResponse {
  int status = 0;
  HeaderList headers;
  std::string body;
  // The first header of that name (case-insensitive), or "".
  std::string header(const std::string& name) const;
};

// A transport failure: no (complete) response. kind is "ConnectTimeout", "ReadTimeout",
// "ConnectionError" (refused, reset, closed early, DNS) or "TlsError" (handshake/verification).
struct HttpTransportError : std::runtime_error {
  std::string kind;
  std::string detail;  // what() without the kind
  HttpTransportError(std::string kind, const std::string& what);
};

// The time in an HTTP Date header (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"); nullopt when
// absent or malformed.
std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& value);

// Transport settings.
struct HttpClientOptions {
  double connect_timeout_s = 10;
  double read_timeout_s = 60;
  bool verify_tls = true;
  std::string ca_file;  // extra trust anchors (PEM); the system store is always used
};

// The client: keeps its connections; not thread-safe.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request to `url`'s host; `target` is path + query. `headers` must hold Host. A kept-
  // alive connection the server closed meanwhile is reopened once transparently. Throws
  // HttpTransportError.
  HttpResponse send(const Url& url, const std::string& method, const std::string& target, const HeaderList& headers,
                    const std::string& body);

  // Connections opened so far (tests check keep-alive reuse with it).
  int connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace migsim::aws
