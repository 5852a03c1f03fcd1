// The endpoint's HTTPS listener: the same handlers as the plain HTTP port, over TLS with the
// server's self-signed identity. It exists for the EKS clusters' Kubernetes API, because kubectl
// sends credentials (the `aws eks get-token` token) only over TLS. One request at a time per
// connection, keep-alive, 1 MiB bodies, bodies produced over time (watches) sent chunked.
#pragma once

#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/tls_identity.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

namespace migsim::harness::serve {

class HttpsServer {
public:
  // Binds and listens; throws boost::system::system_error when the address cannot be used.
  HttpsServer(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint, const TlsIdentity& identity,
              HttpHandlers handlers, HttpLimits limits = {});
  ~HttpsServer();
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void close();

private:
  struct Listener;
  std::shared_ptr<Listener> listener_;
};

}  // namespace migsim::harness::serve
