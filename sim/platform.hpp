// Builds the SimGrid platform from a scenario: one host per server (cores, per-core speed), a disk
// per server (modelled as two single-core hosts whose speed is the read and the write bandwidth in
// bytes/s, so concurrent I/Os share it fairly: SimGrid 3.32's own Io activities degrade
// quadratically when started from the main loop, measured in DESIGN-notes of sim/README.md), a full-duplex network card per server, a LAN per zone, the links between zones, and
// a "clients" host in every zone standing for the users there. Routes are computed once, through
// the zone graph (fewest links).
#pragma once

#include "sim/scenario.hpp"

#include <simgrid/forward.h>

#include <map>
#include <string>
#include <vector>

namespace migsim::sim {

// Links of the route between two hosts (empty for the same host).
std::vector<simgrid::s4u::Link*> route_links(simgrid::s4u::Host* from, simgrid::s4u::Host* to);
// True when every link on the route is up (SimGrid leaves a transfer started on a down link hanging).
bool route_up(const std::vector<simgrid::s4u::Link*>& links);

class Platform {
public:
  // Builds and seals the platform; the Engine must exist.
  explicit Platform(const PlatformSpec& spec);

  simgrid::s4u::Host* host(const std::string& server) const;
  // Hosts standing for the server's disk: an I/O of B bytes is an execution of B flops on them.
  simgrid::s4u::Host* disk_reader(const std::string& server) const;
  simgrid::s4u::Host* disk_writer(const std::string& server) const;
  simgrid::s4u::Host* clients(const std::string& zone) const;
  simgrid::s4u::Link* link(const std::string& name) const;  // an inter-zone link
  // Takes an inter-zone link down (both directions: transfers on it fail) or back up.
  void set_link_up(const std::string& name, bool up);
  bool link_up(const std::string& name) const;
  // Bytes/s an inter-zone link carries now, both directions together (what a throughput graph of
  // the link shows at this instant).
  double link_usage_Bps(const std::string& name) const;
  // A tunnel of a two-tunnel link (a VPN) goes down or up: when the one carrying traffic drops and
  // the other is up, traffic stops for failover_s, then continues on the other.
  void set_tunnel_up(const std::string& name, int tunnel, bool up);
  // Per-connection TCP throughput cap (bytes/s) on a route, from the loss of its links (Mathis:
  // MSS / RTT x 1.22 / sqrt(loss)); infinity without loss.
  double tcp_connection_cap_Bps(const std::vector<simgrid::s4u::Link*>& route, double rtt_s) const;
  const ServerSpec& server(const std::string& name) const;
  // Burstable instances: the server runs at its throttled speed (throttled_fraction) or at full speed.
  void set_throttled(const std::string& server, bool throttled);
  // Zone names on the path between two zones (both included), empty when not connected.
  std::vector<std::string> zone_path(const std::string& from, const std::string& to) const;

private:
  const PlatformSpec& spec_;
  std::map<std::string, simgrid::s4u::Host*> hosts_;
  std::map<std::string, simgrid::s4u::Host*> disk_readers_;
  std::map<std::string, simgrid::s4u::Host*> disk_writers_;
  std::map<std::string, simgrid::s4u::Host*> clients_;
  std::map<std::string, simgrid::s4u::Link*> links_;
  struct TunnelState {
    bool up[2] = {true, true};
    int active = 0;
    uint64_t failover_epoch = 0;
  };
  std::map<std::string, TunnelState> tunnels_;
};

// The platform being simulated (set by its constructor), for models that only hold activities.
const Platform* current_platform();

}  // namespace migsim::sim
