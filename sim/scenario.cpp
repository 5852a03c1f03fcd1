#include "sim/scenario.hpp"
#include "sim/region_name.hpp"

#include "sim/calendar.hpp"
#include "sim/default_scenario.hpp"
#include "sim/json_reader.hpp"
#include "sim/json_text.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace migsim::sim {

namespace {

const std::vector<std::string> kStageDists = {"exponential", "constant", "lognormal"};
const std::vector<std::string> kServiceKinds = {"proxy", "app", "database"};
const std::vector<std::string> kEventActions = {"server_down", "server_up", "set_workers", "set_multiplier",
                                                "link_down", "link_up", "tunnel_down", "tunnel_up",
                                                // migration actions (need a "migration" section)
                                                "test_launch", "cutover_start", "stop_writes", "resume_writes",
                                                "dns_switch", "dms_stop", "dms_resume",
                                                // AWS estate actions (need an "aws" section)
                                                "az_down", "az_up", "instance_fail", "set_desired", "instance_refresh",
                                                // EKS actions (need an "eks" section)
                                                "eks_node_failure", "eks_rolling_update",
                                                // RDS actions (need an "rds" section)
                                                "rds_failover", "rds_reboot"};

// Checks that names in a list are unique, reporting the second occurrence.
template <class T> void check_unique(const std::vector<T>& items, const std::string& path, const char* what)
{
  std::set<std::string> seen;
  for (size_t i = 0; i < items.size(); ++i)
    if (!seen.insert(items[i].name).second)
      throw InputError(path + "/" + std::to_string(i) + "/name", std::string("duplicate ") + what + " name \"" +
                                                                     items[i].name + "\"");
}

void read_platform(ObjectReader& r, PlatformSpec& p)
{
  const auto* zones = r.array("zones", true, "Network zones: a site, the internet, an AWS availability zone.");
  for_each_object(*zones, r.path_of("zones"), [&](ObjectReader& z, size_t) {
    ZoneSpec s;
    s.name = z.string("name", {.help = "Zone name, referenced by servers and links."});
    s.lan_latency_ms = z.number("lan_latency_ms", {.def = 0.2, .min = 0, .max = 1000, .unit = "ms",
                                                   .help = "One-way latency between two servers of this zone."});
    p.zones.push_back(s);
  });
  if (p.zones.empty())
    throw InputError(r.path_of("zones"), "must list at least one zone");
  check_unique(p.zones, r.path_of("zones"), "zone");

  const auto* servers = r.array("servers", true, "Machines (hosts) with their CPU, memory, disk and network card.");
  for_each_object(*servers, r.path_of("servers"), [&](ObjectReader& o, size_t) {
    ServerSpec s;
    s.name = o.string("name", {.help = "Server name, referenced by services and events."});
    s.zone = o.string("zone", {.help = "Zone the server is in (a name from /platform/zones)."});
    s.cores = static_cast<int>(o.integer("cores", {.min = 1, .max = 1024, .unit = "cores", .help = "CPU cores."}));
    s.speed_gflops = o.number("speed_gflops", {.def = 1.0, .min = 0.001, .max = 1e6, .unit = "Gflop/s per core",
                                               .help = "Per-core speed. Stage CPU demands are given in ms at 1 Gflop/s, "
                                                       "so a faster core finishes them proportionally sooner."});
    s.ram_gb = o.number("ram_gb", {.def = 1.0, .min = 0, .max = 1e5, .unit = "GB", .help = "Memory.", .exclusive_min = true});
    s.disk_gb = o.number("disk_gb", {.def = 10.0, .min = 0, .max = 1e6, .unit = "GB", .help = "Disk size.",
                                     .exclusive_min = true});
    s.disk_read_mbps = o.number("disk_read_mbps", {.def = 200.0, .min = 0.01, .max = 1e6, .unit = "MB/s",
                                                   .help = "Disk read bandwidth, shared by concurrent reads."});
    s.disk_write_mbps = o.number("disk_write_mbps", {.def = 150.0, .min = 0.01, .max = 1e6, .unit = "MB/s",
                                                     .help = "Disk write bandwidth, shared by concurrent writes."});
    s.nic_mbps = o.number("nic_mbps", {.def = 1000.0, .min = 0.01, .max = 1e6, .unit = "Mbit/s",
                                       .help = "Network card bandwidth in each direction."});
    p.servers.push_back(s);
  });
  if (p.servers.empty())
    throw InputError(r.path_of("servers"), "must list at least one server");
  check_unique(p.servers, r.path_of("servers"), "server");
  for (size_t i = 0; i < p.servers.size(); ++i) {
    bool found = false;
    for (const auto& z : p.zones)
      found |= z.name == p.servers[i].zone;
    if (!found)
      throw InputError(r.path_of("servers/" + std::to_string(i) + "/zone"),
                       "unknown zone \"" + p.servers[i].zone + "\" (not in /platform/zones)");
  }

  if (const auto* links = r.array("links", false, "Links between zones (internet uplink, VPN, ...).")) {
    for_each_object(*links, r.path_of("links"), [&](ObjectReader& o, size_t i) {
      LinkSpec s;
      s.name = o.string("name", {.help = "Link name."});
      s.from_zone = o.string("from_zone", {.help = "One end (a zone name)."});
      s.to_zone = o.string("to_zone", {.help = "Other end (a zone name)."});
      s.bandwidth_mbps = o.number("bandwidth_mbps", {.def = 1000.0, .min = 0.01, .max = 1e7, .unit = "Mbit/s",
                                                     .help = "Bandwidth in each direction."});
      s.latency_ms = o.number("latency_ms", {.def = 10.0, .min = 0, .max = 10000, .unit = "ms",
                                             .help = "One-way latency."});
      s.loss_rate = o.number("loss_rate", {.def = 0.0, .min = 0, .max = 0.5, .unit = "fraction",
                                           .help = "Packet loss. Each TCP connection crossing the link is capped "
                                                   "at MSS / RTT x 1.22 / sqrt(loss) (Mathis et al. 1997)."});
      s.mss_bytes = o.number("mss_bytes", {.def = 1460.0, .min = 500, .max = 9000, .unit = "B",
                                           .help = "TCP payload per packet (about 1380 inside IPsec)."});
      s.tunnels = static_cast<int>(o.integer("tunnels", {.def = 1, .min = 1, .max = 2, .unit = "tunnels",
                                                         .help = "2 for a Site-to-Site VPN: one tunnel carries the "
                                                                 "traffic, the other takes over when it drops."}));
      s.failover_s = o.number("failover_s", {.def = 30.0, .min = 0, .max = 3600, .unit = "s",
                                             .help = "Traffic stops this long when the active tunnel drops and the "
                                                     "standby takes over (dead peer detection, 30 s by default)."});
      for (const auto* end : {&s.from_zone, &s.to_zone}) {
        bool found = false;
        for (const auto& z : p.zones)
          found |= z.name == *end;
        if (!found)
          throw InputError(o.path_of(end == &s.from_zone ? "from_zone" : "to_zone"),
                           "unknown zone \"" + *end + "\" (not in /platform/zones)");
      }
      if (s.from_zone == s.to_zone)
        throw InputError(o.path_of("to_zone"), "a link must join two different zones");
      p.links.push_back(s);
      (void)i;
    });
    check_unique(p.links, r.path_of("links"), "link");
  }

  const auto* services = r.array("services", true, "Software on the servers that requests pass through.");
  for_each_object(*services, r.path_of("services"), [&](ObjectReader& o, size_t) {
    ServiceSpec s;
    s.name = o.string("name", {.help = "Service name, referenced by request stages."});
    s.server = o.string("server", {.help = "Server it runs on (a name from /platform/servers)."});
    s.kind = o.string("kind", {.def = std::string("app"), .allowed = kServiceKinds,
                               .help = "What it is; database services commit the rows written by requests."});
    s.workers = static_cast<int>(o.integer("workers", {.min = 1, .max = 1000000, .unit = "requests",
                                                       .help = "Requests served concurrently (worker threads, "
                                                               "processes or connections). A request holds its "
                                                               "worker until every later stage has answered."}));
    s.queue_limit = static_cast<int>(o.integer("queue_limit", {.def = 0, .min = 0, .max = 100000000, .unit = "requests",
                                                               .help = "Requests allowed to wait for a worker; "
                                                                       "more are rejected at once (0 = unbounded)."}));
    s.queue_timeout_s = o.number("queue_timeout_s", {.def = 0.0, .min = 0, .max = 86400, .unit = "s",
                                                     .help = "A request waiting longer for a worker is dropped "
                                                             "with an error (0 = waits forever)."});
    if (!p.servers.empty()) {
      bool found = false;
      for (const auto& sv : p.servers)
        found |= sv.name == s.server;
      if (!found)
        throw InputError(o.path_of("server"), "unknown server \"" + s.server + "\" (not in /platform/servers)");
    }
    p.services.push_back(s);
  });
  if (p.services.empty())
    throw InputError(r.path_of("services"), "must list at least one service");
  check_unique(p.services, r.path_of("services"), "service");
}

// True when the zone graph (links are bidirectional) joins a and b.
bool zones_connected(const PlatformSpec& p, const std::string& a, const std::string& b)
{
  std::set<std::string> seen{a};
  std::vector<std::string> todo{a};
  while (!todo.empty()) {
    const auto z = todo.back();
    todo.pop_back();
    if (z == b)
      return true;
    for (const auto& l : p.links) {
      const std::string next = l.from_zone == z ? l.to_zone : (l.to_zone == z ? l.from_zone : "");
      if (!next.empty() && seen.insert(next).second)
        todo.push_back(next);
    }
  }
  return false;
}

void read_workload(ObjectReader& r, Scenario& sc)
{
  auto& w = sc.workload;
  w.client_zone = r.string("client_zone", {.help = "Zone the clients' requests come from (usually the internet)."});
  bool zone_found = false;
  for (const auto& z : sc.platform.zones)
    zone_found |= z.name == w.client_zone;
  if (!zone_found)
    throw InputError(r.path_of("client_zone"), "unknown zone \"" + w.client_zone + "\" (not in /platform/zones)");
  w.base_rps = r.number("base_rps", {.min = 0.0001, .max = 1e7, .unit = "requests/s",
                                     .help = "Average arrival rate over an ordinary day (before multiplier and spikes)."});
  if (const auto* curve = r.array("daily_curve", false,
                                  "24 hourly factors (hour 0 first) shaping the day; normalised to mean 1 and "
                                  "interpolated linearly between hour midpoints. Absent: flat.")) {
    if (curve->size() != 24)
      throw InputError(r.path_of("daily_curve"), "must have 24 values, got " + std::to_string(curve->size()));
    double sum = 0;
    for (size_t i = 0; i < 24; ++i) {
      const auto& v = (*curve)[i];
      const std::string path = r.path_of("daily_curve/" + std::to_string(i));
      if (!v.is_number())
        throw InputError(path, "must be a number, got " + json_type_name(v));
      if (v.get<double>() < 0)
        throw InputError(path, "must be >= 0, got " + format_number(v.get<double>()));
      w.daily_curve.push_back(v.get<double>());
      sum += v.get<double>();
    }
    if (sum <= 0)
      throw InputError(r.path_of("daily_curve"), "must have a positive sum");
    for (auto& v : w.daily_curve)
      v *= 24.0 / sum;
  }
  w.multiplier = r.number("multiplier", {.def = 1.0, .min = 0.001, .max = 1000, .unit = "x",
                                         .help = "Multiplies the whole day's rate (about 5.9 for Black Friday / "
                                                 "Cyber Monday against an ordinary day).",
                                         });
  if (r.has("start_hour"))
    throw InputError(r.path_of("start_hour"), "replaced by the scenario's top-level \"start\" (a date and time, e.g. "
                                             "\"2025-11-28T16:00:00Z\"): the daily curve is read from its time of day");
  w.start_hour = sc.calendar.hour_of_day(0);
  if (const auto* spikes = r.array("spikes", false, "Flash sales: extra multipliers over short windows.")) {
    for_each_object(*spikes, r.path_of("spikes"), [&](ObjectReader& o, size_t) {
      SpikeSpec s;
      s.start_s = o.number("start_s", {.min = 0, .unit = "s", .help = "Start, in simulated seconds."});
      s.duration_s = o.number("duration_s", {.min = 0, .unit = "s", .help = "Length.", .exclusive_min = true});
      s.multiplier = o.number("multiplier", {.min = 0.001, .max = 1000, .unit = "x",
                                             .help = "Rate multiplier during the spike (on top of the others).",
                                             });
      if (s.start_s >= sc.duration_s)
        throw InputError(o.path_of("start_s"), "starts at or after the end of the run (duration_s = " +
                                                   format_number(sc.duration_s) + "): it would never happen");
      w.spikes.push_back(s);
    });
  }
  w.client_timeout_s = r.number("client_timeout_s", {.def = 30.0, .min = 0, .max = 3600, .unit = "s",
                                                     .help = "A client gives up after this long; the request counts "
                                                             "as an error (the server may still finish it).",
                                                     .exclusive_min = true});
  const auto* classes = r.array("classes", true, "The request mix.");
  for_each_object(*classes, r.path_of("classes"), [&](ObjectReader& o, size_t) {
    RequestClassSpec c;
    c.name = o.string("name", {.help = "Class name (static, browse, search, cart, checkout, ...)."});
    c.weight = o.number("weight", {.min = 0, .unit = "share", .help = "Relative share of arrivals.",
                                   .exclusive_min = true});
    c.response_kb = o.number("response_kb", {.def = 10.0, .min = 0, .max = 1e7, .unit = "KB",
                                             .help = "Response size sent back to the client."});
    c.rows_written = static_cast<int>(o.integer("rows_written", {.def = 0, .min = 0, .max = 100000, .unit = "rows",
                                                                 .help = "Rows committed per request on the "
                                                                         "database stage (orders: feed CDC)."}));
    c.is_write = c.rows_written > 0;
    c.path = o.string("path", {.def = std::string(), .help = "URL path its requests ask for (/api/cart/add): what ALB "
                                                             "listener rules match (path patterns)."});
    if (!c.path.empty() && (c.path[0] != '/' || c.path.find_first_of(" ?#\t") != std::string::npos))
      throw InputError(o.path_of("path"), "must be a URL path starting with / (no spaces, query or fragment), got \"" +
                                              c.path + "\"");
    const auto* stages = o.array("stages", true, "Services visited in order (e.g. nginx, api, mysql).");
    for_each_object(*stages, o.path_of("stages"), [&](ObjectReader& so, size_t) {
      StageSpec s;
      s.service = so.string("service", {.help = "Service visited (a name from /platform/services)."});
      if (!sc.service(s.service))
        throw InputError(so.path_of("service"), "unknown service \"" + s.service + "\" (not in /platform/services)");
      s.cpu_ms = so.number("cpu_ms", {.def = 0.0, .min = 0, .max = 3.6e6, .unit = "ms",
                                      .help = "Mean CPU time at 1 Gflop/s per core."});
      s.cpu_dist = so.string("cpu_dist", {.def = std::string("exponential"), .allowed = kStageDists,
                                          .help = "Distribution of the CPU time."});
      s.cpu_cv = so.number("cpu_cv", {.def = 1.0, .min = 0, .max = 100, .unit = "",
                                      .help = "Coefficient of variation (lognormal only)."});
      s.disk_read_kb = so.number("disk_read_kb", {.def = 0.0, .min = 0, .max = 1e8, .unit = "KB",
                                                  .help = "Bytes read from the server's disk (cache misses)."});
      s.disk_write_kb = so.number("disk_write_kb", {.def = 0.0, .min = 0, .max = 1e8, .unit = "KB",
                                                    .help = "Bytes written to the server's disk (logs, redo, binlog)."});
      s.request_kb = so.number("request_kb", {.def = 1.0, .min = 0, .max = 1e7, .unit = "KB",
                                              .help = "Bytes sent from the previous hop (or client) to this service."});
      c.stages.push_back(s);
    });
    if (c.stages.empty())
      throw InputError(o.path_of("stages"), "must list at least one stage");
    if (c.is_write) {
      bool has_db = false;
      for (const auto& s : c.stages)
        has_db |= sc.service(s.service)->kind == "database";
      if (!has_db)
        throw InputError(o.path_of("rows_written"), "a class that writes rows needs a stage on a database service");
    }
    w.classes.push_back(c);
  });
  if (w.classes.empty())
    throw InputError(r.path_of("classes"), "must list at least one request class");
  // Every server a request visits must be reachable from the clients through the zone links.
  for (size_t ci = 0; ci < w.classes.size(); ++ci) {
    for (size_t si = 0; si < w.classes[ci].stages.size(); ++si) {
      const auto* svc = sc.service(w.classes[ci].stages[si].service);
      const auto& zone = sc.server(svc->server)->zone;
      if (!zones_connected(sc.platform, w.client_zone, zone))
        throw InputError(r.path_of("classes/" + std::to_string(ci) + "/stages/" + std::to_string(si) + "/service"),
                         "service \"" + svc->name + "\" is in zone \"" + zone + "\", which no link connects to the "
                         "client zone \"" + w.client_zone + "\"");
    }
  }
  check_unique(w.classes, r.path_of("classes"), "request class");
}

void read_events(const nlohmann::json& events, const std::string& path, Scenario& sc)
{
  for_each_object(events, path, [&](ObjectReader& o, size_t) {
    EventSpec e;
    e.at_s = o.number("at_s", {.min = 0, .unit = "s", .help = "When, in simulated seconds."});
    if (e.at_s > sc.duration_s)
      throw InputError(o.path_of("at_s"), "is after the end of the run (duration_s = " + format_number(sc.duration_s) + ")");
    e.action = o.string("action", {.allowed = kEventActions,
                                   .help = "server_down / server_up (target: a server), set_workers (target: a "
                                           "service, value: workers), set_multiplier (value: workload multiplier), "
                                           "link_down / link_up (target: a link: an outage), tunnel_down / tunnel_up (target: a "
                                           "link, value: tunnel 1 or 2), and the migration "
                                           "actions test_launch, cutover_start, stop_writes, resume_writes, "
                                           "dns_switch (target: a site), dms_stop, dms_resume; and the AWS estate "
                                           "actions az_down / az_up (target: an Availability Zone), instance_fail "
                                           "(target: an Auto Scaling group, value: instances, default 1) and "
                                           "set_desired (target: a group, value: desired capacity), instance_refresh (target: a "
                                           "group, value: MinHealthyPercentage, default 90); with an eks section "
                                           "eks_node_failure (target: node group, zone or karpenter; value: "
                                           "nodes, default 1) and eks_rolling_update (target: a deployment); with an rds "
                                           "section rds_failover (RebootDBInstance with ForceFailover) and rds_reboot."});
    const bool aws_action = e.action == "az_down" || e.action == "az_up" || e.action == "instance_fail" ||
                            e.action == "set_desired" || e.action == "instance_refresh";
    const bool on_link = e.action == "link_down" || e.action == "link_up" || e.action == "tunnel_down" ||
                         e.action == "tunnel_up";
    const bool needs_target = e.action == "server_down" || e.action == "server_up" || e.action == "set_workers" ||
                              on_link || e.action == "dns_switch" || aws_action || e.action == "eks_node_failure" ||
                              e.action == "eks_rolling_update";
    if (!needs_target && o.has("target"))
      throw InputError(o.path_of("target"), e.action + " takes no target");
    e.target = o.string("target", {.def = std::string(""),
                                   .help = "Server (server_down, server_up), service (set_workers), link (link_down, "
                                           "link_up) or site (dns_switch); required for those actions."});
    e.value = o.number("value", {.def = 0.0, .min = 0, .help = "Action argument (workers, multiplier)."});
    if (needs_target) {
      if (!o.has("target"))
        throw InputError(o.path_of("target"), "required for action " + e.action);
      bool ok = true;
      std::string kind = "server";
      if (e.action == "set_workers") {
        kind = "service";
        ok = sc.service(e.target) != nullptr;
      } else if (on_link) {
        kind = "link";
        ok = std::any_of(sc.platform.links.begin(), sc.platform.links.end(),
                         [&](const LinkSpec& l) { return l.name == e.target; });
      } else if (aws_action) {
        kind = "AWS resource";
        ok = true;  // checked against the aws section when the estate is expanded (models/aws/aws_spec)
      } else if (e.action == "eks_node_failure" || e.action == "eks_rolling_update") {
        ok = true;  // checked against the eks section by the EKS model
      } else if (e.action == "dns_switch") {
        kind = "site";
        ok = true;  // checked against the migration section's sites by the migration model
      } else {
        ok = sc.server(e.target) != nullptr;
      }
      if (!ok)
        throw InputError(o.path_of("target"), "unknown " + kind + " \"" + e.target + "\"");
    }
    static const std::set<std::string> kMigrationActions = {"test_launch", "cutover_start", "stop_writes", "resume_writes",
                                                             "dns_switch", "dms_stop", "dms_resume"};
    if ((e.action == "eks_node_failure" || e.action == "eks_rolling_update") && sc.eks.is_null())
      throw InputError(o.path_of("action"), e.action + " needs an \"eks\" section in the scenario");
    if ((e.action == "rds_failover" || e.action == "rds_reboot") && sc.rds.is_null())
      throw InputError(o.path_of("action"), e.action + " needs an \"rds\" section in the scenario");
    if (kMigrationActions.count(e.action) && sc.migration.is_null())
      throw InputError(o.path_of("action"), e.action + " needs a \"migration\" section in the scenario");
    if (aws_action && sc.aws.is_null())
      throw InputError(o.path_of("action"), e.action + " needs an \"aws\" section in the scenario");
    if ((e.action == "tunnel_down" || e.action == "tunnel_up") && e.value != 1 && e.value != 2)
      throw InputError(o.path_of("value"), "the tunnel number must be 1 or 2, got " + format_number(e.value));
    if ((e.action == "tunnel_down" || e.action == "tunnel_up")) {
      for (const auto& l : sc.platform.links)
        if (l.name == e.target && e.value > l.tunnels)
          throw InputError(o.path_of("value"), "link \"" + l.name + "\" has " + std::to_string(l.tunnels) + " tunnel(s)");
    }
    if (e.action == "set_workers" && (e.value < 1 || e.value != std::floor(e.value)))
      throw InputError(o.path_of("value"), "set_workers needs a whole number of workers >= 1, got " +
                                               format_number(e.value));
    if (e.action == "set_multiplier" && e.value <= 0)
      throw InputError(o.path_of("value"), "set_multiplier needs value > 0");
    sc.events.push_back(e);
  });
}

void read_expectations(const nlohmann::json& list, const std::string& path, Scenario& sc)
{
  for_each_object(list, path, [&](ObjectReader& o, size_t i) {
    ExpectationSpec e;
    e.metric = o.string("metric", {.allowed = expectation_metrics(), .help = "What is measured (table below)."});
    e.name = o.string("name", {.def = std::string(""), .help = "Label in reports (default: built from the metric)."});
    e.request_class = o.string("class", {.def = std::string(""), .help = "Restrict to one request class."});
    e.server = o.string("server", {.def = std::string(""), .help = "Server, for utilisation."});
    e.min = o.optional_number("min", {.help = "Lower bound (inclusive), in the metric's unit."});
    e.max = o.optional_number("max", {.help = "Upper bound (inclusive), in the metric's unit."});
    e.from_s = o.optional_number("from_s", {.min = 0, .unit = "s",
                                            .help = "Window start (simulated time), for windowed metrics."});
    e.to_s = o.optional_number("to_s", {.min = 0, .unit = "s", .help = "Window end (exclusive), for windowed metrics."});
    e.phase = o.string("phase", {.def = std::string(""),
                                 .help = "Window = a phase of the migration report (dms_full_load, dms_cdc, cutover, "
                                         "...; full_load and cdc match too), for windowed metrics."});
    e.capacity = o.string("capacity", {.def = std::string(""),
                                       .help = "time_to_capacity_s: the capacity family (servers, workers, instances, "
                                               "pods, nodes ...: the per-minute series capacity_<family>{...})."});
    e.capacity_target = o.optional_number("capacity_target",
                                          {.min = 0, .unit = "", .help = "time_to_capacity_s: the level the family's "
                                                                         "summed series must reach."});
    e.pins_failure = o.boolean("pins_failure", {.def = false,
                                                .help = "The bound describes a failure the scenario is built to "
                                                        "show (e.g. p99 above 1 s on an estate that cannot take the "
                                                        "load): when it holds, the run reproduced the failure and "
                                                        "reports say the estate fails its SLOs, not PASS."});
    if (!e.min && !e.max)
      throw InputError(path + "/" + std::to_string(i), "needs \"min\", \"max\" or both");
    const auto& wm = windowed_metrics();
    const bool windowed = std::find(wm.begin(), wm.end(), e.metric) != wm.end();
    if ((e.from_s || e.to_s || !e.phase.empty()) && !windowed)
      throw InputError(o.path_of(e.phase.empty() ? (e.from_s ? "from_s" : "to_s") : "phase"),
                       "metric " + e.metric + " has no time window (windowed metrics: p50_ms, p95_ms, p99_ms, errors, "
                       "error_rate, completed, throughput_rps, max_cdc_latency_s, refused_writes, utilisation, "
                       "time_to_capacity_s)");
    if (!e.phase.empty() && (e.from_s || e.to_s))
      throw InputError(o.path_of("phase"), "give a phase or from_s/to_s, not both");
    if (e.from_s && e.to_s && *e.to_s <= *e.from_s)
      throw InputError(o.path_of("to_s"), "to_s must be after from_s");
    if ((e.from_s || e.to_s || !e.phase.empty()) && o.has("class"))
      throw InputError(o.path_of("class"), "a time window is measured on the per-minute series, which are not per "
                                           "request class");
    if (e.metric == "time_to_capacity_s" && (e.capacity.empty() || !e.capacity_target))
      throw InputError(path + "/" + std::to_string(i), "time_to_capacity_s needs \"capacity\" and \"capacity_target\"");
    if (e.metric != "time_to_capacity_s" && (o.has("capacity") || o.has("capacity_target")))
      throw InputError(o.path_of(o.has("capacity") ? "capacity" : "capacity_target"),
                       "only for metric time_to_capacity_s");
    if (e.min && e.max && *e.min > *e.max)
      throw InputError(o.path_of("min"), "min " + format_number(*e.min) + " is above max " + format_number(*e.max));
    const bool per_server = e.metric == "utilisation";
    static const std::set<std::string> kRunWide = {"transactions_committed", "lost_transactions",
                                                    "behind_transactions", "dms_peak_dcu", "write_downtime_s",
                                                    "refused_writes", "integrity_clean", "cutover_completed",
                                                    "cutover_duration_s", "rto_s", "max_cdc_latency_s",
                                                    "dns_shift_95_s", "migration_cost_usd",
                                                    "cost_per_month_usd", "time_to_capacity_s",
                                                    "aws_monthly_cost_usd", "aws_peak_instances",
                                                    "aws_scale_out_events", "aws_min_credit_balance",
                                                    "eks_time_to_capacity_s", "eks_cost_usd", "eks_monthly_cost_usd",
                                                    "eks_node_hours", "eks_max_pending_pods",
                                                    "rds_lost_transactions", "rds_unavailable_s", "rds_write_gap_s",
                                                    "rds_failovers", "errors_in_rds_outages",
                                                    "errors_outside_rds_outages", "rds_max_replica_lag_s",
                                                    "edge_hit_ratio", "waf_blocked", "waf_blocked_share",
                                                    "edge_monthly_cost_usd"};
    const bool per_class = !per_server && !kRunWide.count(e.metric);
    if (!per_class && o.has("class"))
      throw InputError(o.path_of("class"), "metric " + e.metric + " is not per request class");
    if (!per_server && o.has("server"))
      throw InputError(o.path_of("server"), "metric " + e.metric + " is not per server");
    if (!e.request_class.empty()) {
      bool found = false;
      for (const auto& c : sc.workload.classes)
        found |= c.name == e.request_class;
      if (!found)
        throw InputError(o.path_of("class"), "unknown request class \"" + e.request_class + "\"");
    }
    if (!e.server.empty() && !sc.server(e.server))
      throw InputError(o.path_of("server"), "unknown server \"" + e.server + "\"");
    if (e.metric == "utilisation" && e.server.empty())
      throw InputError(o.path_of("server"), "metric utilisation needs a server");
    if (e.name.empty())
      e.name = e.metric + (e.request_class.empty() ? "" : "[" + e.request_class + "]") +
               (e.server.empty() ? "" : "[" + e.server + "]") + (e.capacity.empty() ? "" : "[" + e.capacity + "]") +
               (e.phase.empty() ? "" : "@" + e.phase) +
               (e.from_s || e.to_s ? "@" + format_number(e.from_s.value_or(0)) + "-" +
                                         (e.to_s ? format_number(*e.to_s) : std::string("end")) + "s"
                                   : "");
    sc.expectations.push_back(e);
  });
}

// The scenario's region: the top-level `region`, else the aws section's, else us-east-1; both given
// must agree (the aws estate is the scenario's resources, so it lives in the scenario's region).
void read_region(ObjectReader& r, const nlohmann::json& doc, Scenario& sc)
{
  const bool given = doc.contains("region");
  sc.region = r.string("region", {.def = std::string("us-east-1"),
                                  .help = "AWS region of the scenario's resources (migsim serve answers for them "
                                          "there); resources created through the API live in their request's region."});
  if (!valid_region_name(sc.region))
    throw InputError(r.path_of("region"), "'" + sc.region + "' is not a region name (1-63 letters, digits and '-', "
                                          "not starting or ending with '-')");
  const nlohmann::json* aws = doc.contains("aws") && doc["aws"].is_object() ? &doc["aws"] : nullptr;
  if (!aws || !aws->contains("region") || !(*aws)["region"].is_string())
    return;
  const std::string estate = (*aws)["region"];
  if (!given)
    sc.region = estate;
  else if (estate != sc.region)
    throw InputError("/aws/region", "'" + estate + "' differs from the scenario's region '" + sc.region +
                                        "' (the aws estate lives in the scenario's region)");
}

}  // namespace

const std::vector<std::string>& expectation_metrics()
{
  static const std::vector<std::string> m = {"p50_ms",      "p95_ms",  "p99_ms",      "max_ms",
                                             "mean_ms",     "error_rate", "errors",  "completed",
                                             "rejected",    "timeouts", "server_errors", "utilisation", "transactions_committed",
                                             "throughput_rps", "lost_transactions", "behind_transactions",
                                             "dms_peak_dcu", "write_downtime_s",
                                             "refused_writes", "integrity_clean", "cutover_completed",
                                             "cutover_duration_s", "rto_s", "max_cdc_latency_s", "dns_shift_95_s",
                                             "migration_cost_usd", "cost_per_month_usd", "time_to_capacity_s",
                                             "aws_monthly_cost_usd", "aws_peak_instances",
                                             "aws_scale_out_events", "aws_min_credit_balance",
                                             "eks_time_to_capacity_s", "eks_cost_usd", "eks_monthly_cost_usd",
                                             "eks_node_hours", "eks_max_pending_pods",
                                             "rds_lost_transactions", "rds_unavailable_s", "rds_write_gap_s",
                                             "rds_failovers", "errors_in_rds_outages",
                                             "errors_outside_rds_outages", "rds_max_replica_lag_s",
                                             "edge_hit_ratio", "waf_blocked", "waf_blocked_share",
                                             "edge_monthly_cost_usd"};
  return m;
}

const std::vector<std::string>& windowed_metrics()
{
  static const std::vector<std::string> m = {"p50_ms",  "p95_ms",         "p99_ms",           "errors",
                                             "error_rate", "completed",   "throughput_rps",   "max_cdc_latency_s",
                                             "refused_writes", "utilisation", "time_to_capacity_s"};
  return m;
}

const ServerSpec* Scenario::server(const std::string& n) const
{
  for (const auto& s : platform.servers)
    if (s.name == n)
      return &s;
  return nullptr;
}

const ServiceSpec* Scenario::service(const std::string& n) const
{
  for (const auto& s : platform.services)
    if (s.name == n)
      return &s;
  return nullptr;
}

Scenario parse_scenario(const nlohmann::json& doc, const std::string& source)
{
  Scenario sc;
  sc.source = source;
  ObjectReader r(doc, "");
  sc.name = r.string("name", {.help = "Short name, used in reports."});
  sc.description = r.string("description", {.def = std::string(""), .help = "What the scenario shows."});
  sc.seed = static_cast<unsigned long long>(
      r.integer("seed", {.def = 1, .min = 0, .unit = "", .help = "Seed of every random stream (--seed overrides)."}));
  sc.duration_s = r.number("duration_s", {.min = 0, .max = 366 * 86400.0, .unit = "s",
                                          .help = "Simulated time to run.", .exclusive_min = true});
  const std::string start = r.string("start", {.def = std::string("2025-01-01T00:00:00Z"),
                                               .help = "Date and time of day at simulated t = 0, ISO 8601 with an "
                                                       "optional UTC offset (no offset: UTC), e.g. "
                                                       "\"2025-11-28T16:00:00-03:00\". Every output says times on "
                                                       "this calendar; the daily curve is read from its time of day."});
  std::string why;
  const auto calendar = parse_calendar(start, &why);
  if (!calendar)
    throw InputError(r.path_of("start"), why);
  sc.calendar = *calendar;
  sc.start = start;
  read_region(r, doc, sc);
  auto platform = r.object("platform", true, "What is simulated.");
  read_platform(*platform, sc.platform);
  platform->finish();
  auto workload = r.object("workload", true, "The traffic.");
  read_workload(*workload, sc);
  workload->finish();
  if (const auto* m = r.raw("migration", "object",
                             "The lift-and-shift: database replication (DMS), server replication (MGN), the "
                             "target site, DNS and the cutover. Keys: see the migration table."))
    sc.migration = *m;
  if (const auto* m = r.raw("rds", "object", "The RDS for MySQL instance behind a database server. Keys: see the rds table."))
    sc.rds = *m;
  if (const auto* m = r.raw("edge", "object", "CloudFront + S3 + WAF in front of the estate. Keys: see the edge table."))
    sc.edge = *m;
  if (const auto* a = r.raw("aws", "object",
                             "The AWS as-is estate: VPC Availability Zones, an ALB with path rules and target groups, "
                             "Auto Scaling groups of EC2 instances per tier, the database tier and cost inputs. Keys: "
                             "see the aws rows of this table."))
    sc.aws = *a;
  if (const auto* k = r.raw("eks", "object",
                             "The estate on EKS: node groups or Karpenter, Deployments with HPA, the Cluster "
                             "Autoscaler, EFS; replaces the platform's servers for serving the workload. Keys: "
                             "see the eks table."))
    sc.eks = *k;
  if (const auto* creds = r.array("credentials", false,
                                  "Access keys the mock endpoint accepts with serve --enforce-sigv4 (rehearsal keys, "
                                  "never real ones)."))
    for_each_object(*creds, r.path_of("credentials"), [&](ObjectReader& o, size_t) {
      CredentialSpec c;
      c.access_key_id = o.string("access_key_id", {.help = "The access key id clients sign with."});
      c.secret_access_key = o.string("secret_access_key", {.help = "Its secret."});
      for (const auto& other : sc.credentials)
        if (other.access_key_id == c.access_key_id)
          throw InputError(o.path_of("access_key_id"), "\"" + c.access_key_id + "\" is listed twice");
      sc.credentials.push_back(c);
    });
  if (const auto* events = r.array("events", false, "Timed actions and faults."))
    read_events(*events, r.path_of("events"), sc);
  if (const auto* ex = r.array("expectations", false, "Assertions checked at the end (exit 1 when one fails)."))
    read_expectations(*ex, r.path_of("expectations"), sc);
  r.finish();
  return sc;
}

Scenario load_scenario_file(const std::string& path) { return parse_scenario(read_scenario_json(path), path); }

nlohmann::json read_scenario_json(const std::string& path)
{
  std::string text;
  try {
    text = read_input_file(path, "scenario file");
  } catch (const InputFileError& e) {
    throw InputError("", e.what());
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw InputError("", "the file is empty (a scenario is a JSON object)");
  JsonTextError err;
  const nlohmann::json doc = parse_json_text(text, JsonTextLimits{}, &err);
  if (doc.is_discarded()) {
    if (err.line > 0)
      throw InputError("", "invalid JSON at " + err.describe());
    throw InputError(err.pointer, err.message);
  }
  return doc;
}

const char* default_scenario_json() { return kDefaultScenarioJson; }

}  // namespace migsim::sim
