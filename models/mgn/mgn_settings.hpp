// Every number MGN does not publish, declared once (name = scenario key, unit, default, range,
// help) in visit_settings(); the strict scenario reader and validate() both walk that one list.
// Published behaviour (REFERENCE.md "MGN") is fixed in code: 5 connections (default of `streams`),
// throttle 0-10,000 Mbit/s per server, default replication server t3.small, shared.
#pragma once

#include "models/mgn/launch_job.hpp"
#include "sim/json_reader.hpp"
#include "sim/scenario.hpp"

#include <string>
#include <vector>

namespace migsim::models::mgn {

struct MgnSettings {
  // Replication server and staging volumes (AWS side).
  std::string replication_server_instance_type = "t3.small";
  bool dedicated_replication_server = false;
  double replication_server_nic_mbps = 5000.0;  // Mbit/s ("up to 5 Gigabit" for t3.small)
  std::string staging_disk_type = "gp3";
  double staging_write_mbps = 0.0;               // MB/s; 0 = the figure of staging_disk_type
  // Transport (agent -> replication server).
  double throttle_mbps = 0.0;                    // Mbit/s on the wire per server; 0 = unlimited
  int streams = 5;                               // TCP connections
  double wire_overhead = 1.04;                   // wire bytes per payload byte (TLS, TCP/IP)
  double chunk_mb = 16.0;                        // MB per block batch sent
  double retry_after_s = 30.0;
  // Stage timings.
  double agent_install_s = 300.0;
  double initiation_s = 600.0;                   // replication server launch, volumes, pairing
  double first_snapshot_s = 60.0;                // CREATING_SNAPSHOT after the initial sync
  double snapshot_interval_s = 600.0;
  // Continuous replication.
  double feed_interval_s = 1.0;                  // disk writes are batched and sent this often
  double background_write_mbps = 0.0;           // MB/s written besides the workload's writes
  double backlog_threshold_mb = 64.0;            // unreplicated MB above which state is BACKLOG
  double lagging_after_s = 60.0;                 // lag above which the server counts as lagging
  double stall_after_s = 600.0;                  // no progress with a backlog for this long: STALLED
  double eta_window_s = 60.0;                    // throughput window behind etaDateTime
  // Launch jobs (durations not published).
  double job_start_delay_s = 0.0;
  double conversion_s = 300.0;
  double conversion_cv = 0.2;
  double boot_s = 120.0;
  double boot_cv = 0.2;
  double terminate_s = 60.0;
  double launch_failure_probability = 0.0;
  // Wall-clock mapping for DateTime fields.
  double epoch_unix_s = 1735689600.0;            // t = 0 is 2025-01-01T00:00:00Z
};

// Walks every setting once: v.number / v.integer / v.text / v.flag(key, field, declaration).
template <class V> void visit_settings(MgnSettings& s, V&& v)
{
  v.text("replication_server_instance_type", s.replication_server_instance_type, {},
         "EC2 type of the replication servers (MGN default t3.small).");
  v.flag("dedicated_replication_server", s.dedicated_replication_server,
         "One replication server per source server instead of shared ones (MGN default: shared).");
  v.number("replication_server_nic_mbps", s.replication_server_nic_mbps,
           {.min = 0, .max = 1e6, .unit = "Mbit/s", .help = "Network bandwidth of a replication server.",
            .exclusive_min = true});
  v.text("staging_disk_type", s.staging_disk_type, {"gp2", "gp3", "st1"}, "EBS type of the staging volumes.");
  v.number("staging_write_mbps", s.staging_write_mbps,
           {.min = 0, .max = 10000, .unit = "MB/s",
            .help = "Staging volume write throughput; 0 = by type: gp2 250, gp3 125 (baseline), st1 250 "
                    "(burst of a 1 TiB volume)."});
  v.number("throttle_mbps", s.throttle_mbps,
           {.min = 0, .max = 10000, .unit = "Mbit/s", .help = "Replication bandwidth throttle per source server "
                                                              "(0 = use all available bandwidth)."});
  v.integer("streams", s.streams, {.min = 1, .max = 64, .unit = "connections",
                                   .help = "Parallel TCP connections of the agent (MGN uses 5)."});
  v.number("wire_overhead", s.wire_overhead,
           {.min = 1, .max = 2, .unit = "ratio", .help = "Bytes on the wire per replicated byte (TLS, TCP/IP)."});
  v.number("chunk_mb", s.chunk_mb, {.min = 0.001, .max = 1024, .unit = "MB",
                                    .help = "Block batch the agent sends as one unit (model granularity)."});
  v.number("retry_after_s", s.retry_after_s,
           {.min = 0, .max = 3600, .unit = "s", .help = "Wait before resending a batch lost to an outage.",
            .exclusive_min = true});
  v.number("agent_install_s", s.agent_install_s,
           {.min = 0, .max = 86400, .unit = "s", .help = "PENDING_INSTALLATION duration."});
  v.number("initiation_s", s.initiation_s,
           {.min = 0, .max = 86400, .unit = "s",
            .help = "INITIATING duration: replication server launch, staging volumes, pairing."});
  v.number("first_snapshot_s", s.first_snapshot_s,
           {.min = 0, .max = 86400, .unit = "s", .help = "CREATING_SNAPSHOT duration after the initial sync."});
  v.number("snapshot_interval_s", s.snapshot_interval_s,
           {.min = 0, .max = 86400, .unit = "s", .help = "Snapshots of the staging volumes while continuous.",
            .exclusive_min = true});
  v.number("feed_interval_s", s.feed_interval_s,
           {.min = 0, .max = 3600, .unit = "s",
            .help = "Disk writes are batched and handed to the transfer this often; states, metrics and "
                    "snapshots are evaluated at the same instants.",
            .exclusive_min = true});
  v.number("background_write_mbps", s.background_write_mbps,
           {.min = 0, .max = 10000, .unit = "MB/s", .help = "Disk writes besides the workload's (logs, OS)."});
  v.number("backlog_threshold_mb", s.backlog_threshold_mb,
           {.min = 0, .max = 1e7, .unit = "MB",
            .help = "Unreplicated data (written before the last feed) above which the state is BACKLOG."});
  v.number("lagging_after_s", s.lagging_after_s,
           {.min = 0, .max = 1e7, .unit = "s", .help = "Lag above which a server counts as lagging."});
  v.number("stall_after_s", s.stall_after_s,
           {.min = 0, .max = 1e7, .unit = "s",
            .help = "No progress for this long with data to send: STALLED (0 = only on failed sends)."});
  v.number("eta_window_s", s.eta_window_s, {.min = 0, .max = 86400, .unit = "s",
                                            .help = "Window of the throughput behind etaDateTime.",
                                            .exclusive_min = true});
  v.number("job_start_delay_s", s.job_start_delay_s,
           {.min = 0, .max = 86400, .unit = "s", .help = "Launch job PENDING -> STARTED delay."});
  v.number("conversion_s", s.conversion_s,
           {.min = 0, .max = 86400, .unit = "s", .help = "Mean conversion-server time of a launch."});
  v.number("conversion_cv", s.conversion_cv,
           {.min = 0, .max = 10, .unit = "ratio", .help = "Spread (coefficient of variation, lognormal)."});
  v.number("boot_s", s.boot_s, {.min = 0, .max = 86400, .unit = "s", .help = "Mean boot time of a launched instance."});
  v.number("boot_cv", s.boot_cv,
           {.min = 0, .max = 10, .unit = "ratio", .help = "Spread (coefficient of variation, lognormal)."});
  v.number("terminate_s", s.terminate_s,
           {.min = 0, .max = 86400, .unit = "s", .help = "Duration of a TERMINATE job."});
  v.number("launch_failure_probability", s.launch_failure_probability,
           {.min = 0, .max = 1, .unit = "probability", .help = "Chance that a launch fails at boot."});
  v.number("epoch_unix_s", s.epoch_unix_s,
           {.min = 0, .max = 4e9, .unit = "s", .help = "Unix time of simulated t = 0 (for DateTime fields)."});
}

// Reads the settings from a scenario object (every key optional, defaults above); the caller
// finishes the reader.
inline MgnSettings read_mgn_settings(sim::ObjectReader& r)
{
  struct Reader {
    sim::ObjectReader& r;
    void number(const char* key, double& x, sim::NumberField f)
    {
      f.def = x;
      x = r.number(key, f);
    }
    void integer(const char* key, int& x, sim::IntegerField f)
    {
      f.def = x;
      x = static_cast<int>(r.integer(key, f));
    }
    void text(const char* key, std::string& x, std::vector<std::string> allowed, const char* help)
    {
      x = r.string(key, {.def = x, .allowed = std::move(allowed), .help = help});
    }
    void flag(const char* key, bool& x, const char* help) { x = r.boolean(key, {.def = x, .help = help}); }
  };
  MgnSettings s;
  visit_settings(s, Reader{r});
  return s;
}

// Checks every setting against its declared range; throws sim::InputError at path/key.
inline void validate(const MgnSettings& settings, const std::string& path = "/mgn")
{
  struct Checker {
    const std::string& path;
    void fail(const char* key, const std::string& why) const { throw sim::InputError(path + "/" + key, why); }
    void number(const char* key, const double& x, const sim::NumberField& f) const
    {
      if (!(x >= f.min && x <= f.max) || (f.exclusive_min && x == f.min))
        fail(key, sim::format_number(x) + " is out of range " + (f.exclusive_min ? "(" : "[") +
                      sim::format_number(f.min) + ", " + sim::format_number(f.max) + "] " + f.unit);
    }
    void integer(const char* key, const int& x, const sim::IntegerField& f) const
    {
      if (x < f.min || x > f.max)
        fail(key, std::to_string(x) + " is out of range [" + std::to_string(f.min) + ", " + std::to_string(f.max) + "]");
    }
    void text(const char* key, const std::string& x, const std::vector<std::string>& allowed, const char*) const
    {
      bool ok = allowed.empty() ? !x.empty() : false;
      for (const auto& a : allowed)
        ok |= a == x;
      if (!ok)
        fail(key, "\"" + x + "\" is not an allowed value");
    }
    void flag(const char*, const bool&, const char*) const {}
  };
  auto copy = settings;
  visit_settings(copy, Checker{path});
  if (!find_instance_type(settings.replication_server_instance_type))
    throw sim::InputError(path + "/replication_server_instance_type",
                          "unknown instance type \"" + settings.replication_server_instance_type + "\"");
}

// Write throughput of a staging volume in MB/s: the explicit setting, else the type's figure.
inline double staging_write_mbps(const MgnSettings& s)
{
  if (s.staging_write_mbps > 0.0)
    return s.staging_write_mbps;
  if (s.staging_disk_type == "gp2")
    return 250.0;
  if (s.staging_disk_type == "st1")
    return 250.0;
  return 125.0;
}

// Name of the replication server a source server uses (one shared, or one per source server).
inline std::string replication_server_name(const MgnSettings& s, const std::string& source_hostname)
{
  return s.dedicated_replication_server ? "mgn-replication-" + source_hostname : "mgn-replication";
}

// Platform entry for a replication server: its instance type's cores and memory, its network
// card, and a disk whose write bandwidth is the staging volume's. Add it to the scenario's
// servers; the SourceServer's staging writes then go to that server's disk_writer host.
inline sim::ServerSpec replication_server_spec(const std::string& name, const std::string& zone, const MgnSettings& s)
{
  const auto* type = find_instance_type(s.replication_server_instance_type);
  sim::ServerSpec spec;
  spec.name = name;
  spec.zone = zone;
  spec.cores = type ? type->vcpus : 2;
  spec.ram_gb = type ? type->memory_gib : 2.0;
  spec.disk_write_mbps = staging_write_mbps(s);
  spec.nic_mbps = s.replication_server_nic_mbps;
  return spec;
}

}  // namespace migsim::models::mgn
