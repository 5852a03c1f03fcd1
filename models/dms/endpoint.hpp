// DMS endpoints (a source or target database with where it lives on the platform) and the
// connection test DMS runs against them: a tiny message from the replication's host to the
// endpoint's host and back over the route (the VPN for an on-prem source). "testing" while the
// round trip is on the wire, then "successful", or "failed" with a message when a host is off or
// a link on the route is down (see channel.hpp).
#pragma once

#include "models/dms/channel.hpp"
#include "sim/engine.hpp"
#include "sim/platform.hpp"

#include <functional>
#include <string>

namespace migsim::models::dms {

enum class EndpointRole { Source, Target };

// One endpoint: id, role, engine and the hosts standing for its server, network and disk.
struct EndpointSpec {
  std::string id;
  EndpointRole role = EndpointRole::Source;
  std::string engine = "mysql";
  simgrid::s4u::Host* host = nullptr;         // network host of the database server
  simgrid::s4u::Host* disk_reader = nullptr;  // its disk, read side (bytes/s host)
  simgrid::s4u::Host* disk_writer = nullptr;  // its disk, write side
};

// The endpoint standing for a server of the platform.
inline EndpointSpec endpoint_on(const sim::Platform& platform, std::string id, EndpointRole role,
                                const std::string& server)
{
  return {std::move(id), role, "mysql", platform.host(server), platform.disk_reader(server), platform.disk_writer(server)};
}

// What DescribeConnections shows for one endpoint.
struct ConnectionStatus {
  std::string endpoint_id;
  std::string status = "not tested";  // testing | successful | failed
  std::string last_failure_message;
  double tested_at_s = -1.0;
};

// test_connection: one round trip from `from` (the replication's host) to the endpoint's host.
class ConnectionTest {
public:
  static constexpr double kProbeBytes = 512.0;  // a login handshake's worth

  ConnectionTest(EndpointSpec endpoint, simgrid::s4u::Host* from)
      : ep_(std::move(endpoint)), there_(from, ep_.host), back_(ep_.host, from)
  {
    status_.endpoint_id = ep_.id;
  }

  // Starts a test (ignored while one is running); on_done runs when the status is final.
  void start(std::function<void()> on_done = {})
  {
    if (status_.status == "testing")
      return;
    on_done_ = std::move(on_done);
    status_.status = "testing";
    status_.tested_at_s = sim::Engine::instance().now();
    const std::string why = !ep_.host->is_on() ? "its host " + ep_.host->get_name() + " is off"
                                               : std::string("a link on the route is down");
    there_.send(kProbeBytes, [this, why](bool ok) {
      if (!ok) {
        finish("failed", "endpoint " + ep_.id + " unreachable from the replication: " + why);
        return;
      }
      back_.send(kProbeBytes, [this](bool ok2) {
        if (ok2)
          finish("successful", "");
        else
          finish("failed", "connection to endpoint " + ep_.id + " lost during the test");
      });
    });
  }

  const ConnectionStatus& status() const { return status_; }
  const EndpointSpec& endpoint() const { return ep_; }

private:
  void finish(const std::string& status, const std::string& message)
  {
    status_.status = status;
    if (!message.empty())
      status_.last_failure_message = message;
    if (auto done = std::move(on_done_)) {
      on_done_ = nullptr;
      done();
    }
  }

  EndpointSpec ep_;
  Channel there_, back_;
  ConnectionStatus status_;
  std::function<void()> on_done_;
};

}  // namespace migsim::models::dms
