#include "sim/platform.hpp"

#include "sim/engine.hpp"
#include "sim/json_reader.hpp"

#include <simgrid/s4u.hpp>

#include <cmath>
#include <deque>
#include <limits>
#include <set>
#include <stdexcept>

namespace sg4 = simgrid::s4u;

namespace migsim::sim {

namespace {
const Platform* g_platform = nullptr;
}  // namespace

const Platform* current_platform() { return g_platform; }

namespace {
constexpr double kMbit = 1e6 / 8.0;  // bytes per second in one Mbit/s
constexpr double kMB = 1e6;
constexpr double kFast = 1e15;       // bandwidth that never limits (clients, LAN fabric)
}  // namespace

Platform::Platform(const PlatformSpec& spec) : spec_(spec)
{
  auto* root = sg4::create_full_zone("migsim");

  // Per-zone LAN fabric: carries the zone's latency, never its bandwidth limit.
  std::map<std::string, sg4::Link*> lan;
  for (const auto& z : spec.zones)
    lan[z.name] = root->create_link("lan:" + z.name, kFast)
                      ->set_latency(z.lan_latency_ms / 1000.0)
                      ->set_sharing_policy(sg4::Link::SharingPolicy::FATPIPE)
                      ->seal();

  struct Node {
    sg4::Host* host;
    std::string zone;
    sg4::SplitDuplexLink* nic;
  };
  std::vector<Node> nodes;
  for (const auto& s : spec.servers) {
    std::vector<double> speeds{s.speed_gflops * 1e9};
    if (s.throttled_fraction > 0)
      speeds.push_back(s.speed_gflops * 1e9 * s.throttled_fraction);  // pstate 1: throttled
    auto* h = root->create_host(s.name, speeds)->set_core_count(s.cores);
    disk_readers_[s.name] = root->create_host("disk-read:" + s.name, s.disk_read_mbps * kMB)->seal();
    disk_writers_[s.name] = root->create_host("disk-write:" + s.name, s.disk_write_mbps * kMB)->seal();
    h->seal();
    hosts_[s.name] = h;
    auto* nic = root->create_split_duplex_link("nic:" + s.name, s.nic_mbps * kMbit);
    nic->set_latency(0)->seal();
    nodes.push_back({h, s.zone, nic});
  }
  for (const auto& z : spec.zones) {
    auto* h = root->create_host("clients@" + z.name, kFast)->set_core_count(1024)->seal();
    clients_[z.name] = h;
    auto* nic = root->create_split_duplex_link("nic:clients@" + z.name, kFast);
    nic->set_latency(0)->seal();
    nodes.push_back({h, z.name, nic});
  }
  std::map<std::string, sg4::SplitDuplexLink*> zlinks;
  for (const auto& l : spec.links) {
    auto* link = root->create_split_duplex_link("link:" + l.name, l.bandwidth_mbps * kMbit);
    link->set_latency(l.latency_ms / 1000.0)->seal();
    zlinks[l.name] = link;
    links_[l.name] = link;
  }

  // A route goes out of the source NIC, across its LAN, along the inter-zone links (UP when
  // travelled from_zone -> to_zone), across the destination LAN and into the destination NIC.
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (size_t j = 0; j < nodes.size(); ++j) {
      if (i == j)
        continue;
      const auto zones = zone_path(nodes[i].zone, nodes[j].zone);
      if (zones.empty())
        continue;  // unreachable (the loader rejects scenarios whose requests would need it)
      std::vector<sg4::LinkInRoute> route;
      route.emplace_back(nodes[i].nic, sg4::LinkInRoute::Direction::UP);
      route.emplace_back(lan[zones.front()]);
      for (size_t k = 0; k + 1 < zones.size(); ++k) {
        for (const auto& l : spec.links) {
          if (l.from_zone == zones[k] && l.to_zone == zones[k + 1]) {
            route.emplace_back(zlinks[l.name], sg4::LinkInRoute::Direction::UP);
            break;
          }
          if (l.to_zone == zones[k] && l.from_zone == zones[k + 1]) {
            route.emplace_back(zlinks[l.name], sg4::LinkInRoute::Direction::DOWN);
            break;
          }
        }
        route.emplace_back(lan[zones[k + 1]]);
      }
      route.emplace_back(nodes[j].nic, sg4::LinkInRoute::Direction::DOWN);
      root->add_route(nodes[i].host->get_netpoint(), nodes[j].host->get_netpoint(), nullptr, nullptr, route, false);
    }
  }
  root->seal();
  g_platform = this;
}

std::vector<std::string> Platform::zone_path(const std::string& from, const std::string& to) const
{
  // Breadth-first search over zones; links are taken in declaration order, so ties are stable.
  std::map<std::string, std::string> parent;
  std::deque<std::string> todo{from};
  parent[from] = "";
  while (!todo.empty()) {
    auto z = todo.front();
    todo.pop_front();
    if (z == to)
      break;
    for (const auto& l : spec_.links) {
      std::string next = l.from_zone == z ? l.to_zone : (l.to_zone == z ? l.from_zone : "");
      if (!next.empty() && !parent.count(next)) {
        parent[next] = z;
        todo.push_back(next);
      }
    }
  }
  if (!parent.count(to))
    return {};
  std::vector<std::string> path;
  for (std::string z = to; !z.empty(); z = parent[z])
    path.insert(path.begin(), z);
  return path;
}

void Platform::set_throttled(const std::string& server, bool throttled)
{
  auto* h = host(server);
  if (h->get_pstate_count() > 1)
    h->set_pstate(throttled ? 1 : 0);
}

sg4::Host* Platform::host(const std::string& server) const
{
  auto it = hosts_.find(server);
  if (it == hosts_.end())
    throw std::out_of_range("no server " + server);
  return it->second;
}

sg4::Host* Platform::disk_reader(const std::string& server) const
{
  auto it = disk_readers_.find(server);
  if (it == disk_readers_.end())
    throw std::out_of_range("no server " + server);
  return it->second;
}

sg4::Host* Platform::disk_writer(const std::string& server) const
{
  auto it = disk_writers_.find(server);
  if (it == disk_writers_.end())
    throw std::out_of_range("no server " + server);
  return it->second;
}

sg4::Host* Platform::clients(const std::string& zone) const
{
  auto it = clients_.find(zone);
  if (it == clients_.end())
    throw std::out_of_range("no zone " + zone);
  return it->second;
}

std::vector<sg4::Link*> route_links(sg4::Host* from, sg4::Host* to)
{
  std::vector<sg4::Link*> links;
  if (from != to) {
    double latency = 0.0;
    from->route_to(to, links, &latency);
  }
  return links;
}

bool route_up(const std::vector<sg4::Link*>& links)
{
  for (const auto* l : links)
    if (!l->is_on())
      return false;
  return true;
}

void Platform::set_link_up(const std::string& name, bool up)
{
  // Turning the duplex link off fails the transfers crossing it; its two directions are turned
  // off too so route checks see the outage (SimGrid would leave new transfers hanging).
  auto* l = dynamic_cast<sg4::SplitDuplexLink*>(link(name));
  for (sg4::Link* part : {static_cast<sg4::Link*>(l), l->get_link_up(), l->get_link_down()}) {
    if (up)
      part->turn_on();
    else
      part->turn_off();
  }
  Engine::instance().topology_changed();
}

void Platform::set_tunnel_up(const std::string& name, int tunnel, bool up)
{
  const LinkSpec* spec = nullptr;
  for (const auto& l : spec_.links)
    if (l.name == name)
      spec = &l;
  if (!spec)
    throw std::out_of_range("no link " + name);
  auto& st = tunnels_[name];
  const int i = tunnel - 1;
  if (st.up[i] == up)
    return;
  st.up[i] = up;
  auto& engine = Engine::instance();
  const int other = 1 - i;
  const bool other_usable = spec->tunnels == 2 && st.up[other];
  if (!up && st.active == i) {
    set_link_up(name, false);
    if (other_usable) {
      // The standby takes over once dead peer detection has declared the active tunnel gone.
      st.active = other;
      const uint64_t epoch = ++st.failover_epoch;
      engine.at(engine.now() + spec->failover_s, [this, name, epoch]() {
        auto& s = tunnels_[name];
        if (s.failover_epoch == epoch && s.up[s.active])
          set_link_up(name, true);
      });
    }
  } else if (up && !st.up[st.active]) {
    // Every tunnel was down: this one carries the traffic again.
    st.active = i;
    ++st.failover_epoch;
    set_link_up(name, true);
  }
}

double Platform::tcp_connection_cap_Bps(const std::vector<sg4::Link*>& route, double rtt_s) const
{
  double loss = 0.0, mss = 1460.0;
  for (const auto& l : spec_.links) {
    auto it = links_.find(l.name);
    if (it == links_.end() || l.loss_rate <= 0.0)
      continue;
    auto* duplex = dynamic_cast<sg4::SplitDuplexLink*>(it->second);
    for (const auto* r : route)
      if (r == duplex->get_link_up() || r == duplex->get_link_down()) {
        loss = 1.0 - (1.0 - loss) * (1.0 - l.loss_rate);
        mss = std::min(mss, l.mss_bytes);
      }
  }
  if (loss <= 0.0 || rtt_s <= 0.0)
    return std::numeric_limits<double>::infinity();
  return mss / rtt_s * 1.22 / std::sqrt(loss);
}

bool Platform::link_up(const std::string& name) const
{
  auto* l = dynamic_cast<sg4::SplitDuplexLink*>(link(name));
  return l->get_link_up()->is_on() && l->get_link_down()->is_on();
}

double Platform::link_usage_Bps(const std::string& name) const
{
  auto* l = dynamic_cast<sg4::SplitDuplexLink*>(link(name));
  if (!l)
    return link(name)->get_usage();
  return l->get_link_up()->get_usage() + l->get_link_down()->get_usage();
}

sg4::Link* Platform::link(const std::string& name) const
{
  auto it = links_.find(name);
  if (it == links_.end())
    throw std::out_of_range("no link " + name);
  return it->second;
}

const ServerSpec& Platform::server(const std::string& name) const
{
  for (const auto& s : spec_.servers)
    if (s.name == name)
      return s;
  throw std::out_of_range("no server " + name);
}

}  // namespace migsim::sim
