// Beast-based HTTP/1.1 + TLS client (see http_client.hpp). Each operation runs asynchronously on
// the client's own io_context with a tcp_stream expiry, which is how Beast expresses timeouts;
// the caller sees a blocking call.
#include "harness/aws/client/http_client.hpp"
#include "harness/aws/protocol/text.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <map>

namespace migsim::aws {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr std::uint64_t kBodyLimitBytes = 256ull << 20;

std::chrono::steady_clock::duration seconds(double s)
{
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

bool iequals(const std::string& a, const std::string& b)
{
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

// One open connection, plain or TLS.
struct Connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

}  // namespace

std::string Url::host_header() const
{
  const bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  const bool v6 = host.find(':') != std::string::npos;
  const auto h = v6 ? "[" + host + "]" : host;
  return default_port ? h : h + ":" + std::to_string(port);
}

Url parse_url(const std::string& url)
{
  Url u;
  const auto sep = url.find("://");
  if (sep == std::string::npos)
    throw std::invalid_argument("endpoint URL " + url + ": expected scheme://host[:port][/path]");
  u.scheme = url.substr(0, sep);
  std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (u.scheme != "http" && u.scheme != "https")
    throw std::invalid_argument("endpoint URL " + url + ": scheme must be http or https");
  auto rest = url.substr(sep + 3);
  const auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  u.base_path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!u.base_path.empty() && u.base_path.back() == '/')
    u.base_path.pop_back();
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos)
      throw std::invalid_argument("endpoint URL " + url + ": unterminated [IPv6] host");
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos)
      port = authority.substr(colon + 1);
  }
  if (u.host.empty())
    throw std::invalid_argument("endpoint URL " + url + ": no host");
  if (port.empty()) {
    u.port = u.scheme == "https" ? 443 : 80;
  } else {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); }) ||
        std::stoi(port) == 0 || std::stoi(port) > 65535)
      throw std::invalid_argument("endpoint URL " + url + ": bad port " + port);
    u.port = static_cast<unsigned short>(std::stoi(port));
  }
  return u;
}

std::string HttpResponse::header(const std::string& name) const
{
  for (const auto& [k, v] : headers)
    if (iequals(k, name))
      return v;
  return "";
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& value)
{
  std::tm tm{};
  const char* end = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0')
    return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

HttpTransportError::HttpTransportError(std::string kind_, const std::string& what)
    : std::runtime_error(kind_ + ": " + what), kind(std::move(kind_)), detail(what)
{
}

struct HttpClient::Impl {
  HttpClientOptions opt;
  net::io_context ioc;
  ssl::context tls_ctx{ssl::context::tls_client};
  std::map<std::string, std::unique_ptr<Connection>> pool;
  int opened = 0;

  // Runs one asynchronous operation to completion on the private io_context.
  template <class Start>
  beast::error_code run(Start&& start)
  {
    beast::error_code result = net::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  std::unique_ptr<Connection> connect(const Url& url)
  {
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(url.host, std::to_string(url.port), ec);
    if (ec)
      throw HttpTransportError("ConnectionError", "cannot resolve " + url.host + ": " + ec.message());
    auto c = std::make_unique<Connection>();
    if (url.scheme == "https") {
      c->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, tls_ctx);
      SSL* ssl_handle = c->tls->native_handle();
      boost::system::error_code addr_ec;
      net::ip::make_address(url.host, addr_ec);
      if (addr_ec)  // SNI only for names, as RFC 6066 says
        SSL_set_tlsext_host_name(ssl_handle, url.host.c_str());
      if (opt.verify_tls) {
        c->tls->set_verify_mode(ssl::verify_peer);
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
        if (addr_ec)
          X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), 0);
        else
          X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
      } else {
        c->tls->set_verify_mode(ssl::verify_none);
      }
    } else {
      c->plain = std::make_unique<beast::tcp_stream>(ioc);
    }
    auto& low = c->lowest();
    low.expires_after(seconds(opt.connect_timeout_s));
    ec = run([&](auto handler) { low.async_connect(endpoints, handler); });
    if (ec == beast::error::timeout)
      throw HttpTransportError("ConnectTimeout", "connecting to " + url.host_header() + " took longer than " +
                                                     std::to_string(opt.connect_timeout_s) + " s");
    if (ec)
      throw HttpTransportError("ConnectionError", "cannot connect to " + url.host_header() + ": " + ec.message());
    low.socket().set_option(tcp::no_delay(true), ec);
    if (c->tls) {
      low.expires_after(seconds(opt.connect_timeout_s));
      ec = run([&](auto handler) { c->tls->async_handshake(ssl::stream_base::client, handler); });
      if (ec == beast::error::timeout)
        throw HttpTransportError("ConnectTimeout", "TLS handshake with " + url.host_header() + " timed out");
      if (ec) {
        const long verify = SSL_get_verify_result(c->tls->native_handle());
        throw HttpTransportError("TlsError", "TLS handshake with " + url.host_header() + " failed: " + ec.message() +
                                                 (verify != X509_V_OK ? std::string(" (certificate: ") +
                                                                            X509_verify_cert_error_string(verify) + ")"
                                                                      : ""));
      }
    }
    ++opened;
    return c;
  }

  template <class Op>
  beast::error_code on_stream(Connection& c, Op&& op)
  {
    return c.tls ? op(*c.tls) : op(*c.plain);
  }
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>())
{
  impl_->opt = std::move(options);
  impl_->tls_ctx.set_default_verify_paths();
  if (!impl_->opt.ca_file.empty()) {
    boost::system::error_code ec;
    impl_->tls_ctx.load_verify_file(impl_->opt.ca_file, ec);
    if (ec)
      throw std::invalid_argument("CA bundle " + impl_->opt.ca_file + ": " + ec.message());
  }
}

HttpClient::~HttpClient() = default;

int HttpClient::connections_opened() const { return impl_->opened; }

HttpResponse HttpClient::send(const Url& url, const std::string& method, const std::string& target,
                              const HeaderList& headers, const std::string& body)
{
  const auto key = url.scheme + "://" + url.host_header();
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  for (const auto& [k, v] : headers) {
    if (!text::valid_header_name(k) || !text::valid_header_value(v))
      throw std::invalid_argument("header " + k + " cannot be sent: it holds CR, LF or another control character");
    req.insert(k, v);
  }
  req.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    req.prepare_payload();

  for (int round = 0;; ++round) {
    auto& slot = impl_->pool[key];
    const bool reused = slot != nullptr;
    if (!slot)
      slot = impl_->connect(url);
    Connection& c = *slot;
    auto drop = [&] { impl_->pool.erase(key); };
    c.lowest().expires_after(seconds(impl_->opt.read_timeout_s));
    auto ec = impl_->on_stream(c, [&](auto& s) {
      return impl_->run([&](auto handler) { http::async_write(s, req, handler); });
    });
    if (ec) {
      drop();
      if (ec == beast::error::timeout)
        throw HttpTransportError("ReadTimeout", "sending to " + key + " timed out");
      if (reused && round == 0)
        continue;  // the server closed an idle kept-alive connection: reopen once
      throw HttpTransportError("ConnectionError", "sending to " + key + ": " + ec.message());
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(kBodyLimitBytes);
    if (method == "HEAD")
      parser.skip(true);
    ec = impl_->on_stream(c, [&](auto& s) {
      return impl_->run([&](auto handler) { http::async_read(s, c.buffer, parser, handler); });
    });
    if (ec) {
      const bool nothing_read = !parser.got_some();
      drop();
      if (ec == beast::error::timeout)
        throw HttpTransportError("ReadTimeout", "no complete response from " + key + " within " +
                                                    std::to_string(impl_->opt.read_timeout_s) + " s");
      if (reused && round == 0 && nothing_read)
        continue;
      throw HttpTransportError("ConnectionError", "reading from " + key + ": " + ec.message());
    }
    auto res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res)
      out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive())
      drop();
    return out;
  }
}

}  // namespace migsim::aws
