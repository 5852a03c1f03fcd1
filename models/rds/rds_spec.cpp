#include "models/rds/rds_spec.hpp"

#include "models/rds/instance_class.hpp"
#include "sim/json_reader.hpp"

#include <algorithm>

namespace migsim::models::rds {

namespace {

std::vector<std::string> class_names()
{
  std::vector<std::string> v;
  for (const auto& c : db_instance_classes())
    v.push_back(c.name);
  return v;
}

}  // namespace

RdsSpec parse_rds(const sim::Scenario& sc)
{
  RdsSpec s;
  auto& i = s.instance;
  sim::ObjectReader r(sc.rds, "/rds");
  i.identifier = r.string("identifier", {.def = std::string("shop-db"), .help = "DBInstanceIdentifier."});
  s.server = r.string("server", {.help = "The platform server standing for the instance (a server name)."});
  if (!sc.server(s.server))
    throw sim::InputError(r.path_of("server"), "unknown server \"" + s.server + "\" (not in /platform/servers)");
  s.service = r.string("service", {.def = s.server, .help = "Its database service (default: the server's name)."});
  const auto* svc = sc.service(s.service);
  if (!svc || svc->server != s.server)
    throw sim::InputError(r.path_of("service"), "must name a service of /platform/services running on " + s.server);
  i.instance_class = r.string("instance_class", {.def = std::string("db.m5.large"), .allowed = class_names(),
                                                 .help = "DB instance class (vCPU and memory from the catalogue)."});
  i.multi_az = r.boolean("multi_az", {.def = true, .help = "Multi-AZ instance deployment (synchronous standby)."});
  i.az = r.string("az", {.def = std::string("us-east-1a"), .help = "Availability Zone of the primary."});
  i.secondary_az = r.string("secondary_az", {.def = std::string("us-east-1b"), .help = "Availability Zone of the standby."});
  if (i.multi_az && i.az == i.secondary_az)
    throw sim::InputError(r.path_of("secondary_az"), "must differ from az for a Multi-AZ instance");
  if (auto st = r.object("storage", false, "Allocated storage.")) {
    try {
      i.storage.type = parse_storage_type(st->string("type", {.def = std::string("gp3"), .allowed = {"gp2", "gp3", "io1"},
                                                              .help = "gp3, gp2 or io1."}));
    } catch (const std::invalid_argument& e) {
      throw sim::InputError(st->path_of("type"), e.what());
    }
    i.storage.allocated_gib = st->number("allocated_gb", {.def = 100, .min = 20, .max = 65536, .unit = "GiB",
                                                           .help = "Allocated storage."});
    i.storage.provisioned_iops = st->number("iops", {.def = 0, .min = 0, .max = 256000, .unit = "IOPS",
                                                     .help = "Provisioned IOPS (io1: required; gp3: above the "
                                                             "baseline; 0 = baseline)."});
    i.storage.provisioned_mibps = st->number("throughput_mbps", {.def = 0, .min = 0, .max = 4000, .unit = "MiB/s",
                                                                 .help = "Provisioned throughput (gp3 above the "
                                                                         "baseline, io1 cap; 0 = default)."});
    if (i.storage.type == StorageType::io1 && i.storage.provisioned_iops < 1000)
      throw sim::InputError(st->path_of("iops"), "io1 needs at least 1000 provisioned IOPS");
    st->finish();
  }
  s.io_kib = r.number("io_kib", {.def = 16, .min = 1, .max = 1024, .unit = "KiB",
                                 .help = "I/O size of disk-bound queries (16 KiB: an InnoDB page); the disk "
                                         "bandwidth is min(throughput, IOPS x io_kib)."});
  s.reserved_memory_share = r.number("reserved_memory_share",
                                     {.def = 0, .min = 0, .max = 0.9, .unit = "share",
                                      .help = "Class memory RDS keeps for itself (not published; lowers the "
                                              "default max_connections)."});
  i.max_connections = static_cast<int>(r.integer("max_connections",
                                                 {.def = 0, .min = 0, .max = 100000, .unit = "connections",
                                                  .help = "Parameter group override (0: MySQL's default "
                                                          "{DBInstanceClassMemory/12582880})."}));
  if (i.max_connections == 0)
    i.max_connections = default_max_connections(find_db_instance_class(i.instance_class)->memory_gib,
                                                 s.reserved_memory_share);
  s.size_server = r.boolean("size_server", {.def = true,
                                            .help = "Give the server the class's vCPUs and memory and the "
                                                    "storage's disk bandwidth (the service always gets "
                                                    "max_connections workers)."});
  s.refuse_when_full = r.boolean("refuse_when_full", {.def = true,
                                                      .help = "A query finding all max_connections busy is refused "
                                                              "(error 1040) instead of queueing."});
  i.failover_min_s = r.number("failover_min_s", {.def = 60, .min = 0, .max = 3600, .unit = "s",
                                                 .help = "Shortest Multi-AZ failover (documented 60-120 s)."});
  i.failover_max_s = r.number("failover_max_s", {.def = 120, .min = 0, .max = 3600, .unit = "s",
                                                 .help = "Longest Multi-AZ failover; the window is uniform between."});
  if (i.failover_max_s < i.failover_min_s)
    throw sim::InputError(r.path_of("failover_max_s"), "is below failover_min_s");
  if (auto rr = r.object("read_replica", false, "An asynchronous read replica.")) {
    s.replica_identifier = rr->string("identifier", {.def = i.identifier + "-replica", .help = "Its identifier."});
    ReplicaSettings rs;
    rs.apply_ms_per_tx = rr->number("apply_ms_per_tx", {.def = 2.0, .min = 0, .max = 1e4, .unit = "ms",
                                                        .help = "Single-threaded apply time per transaction (not "
                                                                "published)."});
    rs.apply_ms_per_row = rr->number("apply_ms_per_row", {.def = 0.0, .min = 0, .max = 1e4, .unit = "ms",
                                                          .help = "Apply time per row change."});
    if (rs.apply_ms_per_tx + rs.apply_ms_per_row <= 0)
      throw sim::InputError(rr->path_of("apply_ms_per_tx"), "apply time must be > 0");
    s.replica = rs;
    rr->finish();
  }
  if (auto a = r.object("api", false, "Durations of what the mock endpoint's RDS API starts (not published by AWS).")) {
    auto& t = s.api;
    t.create_s = a->number("create_s", {.def = 600, .min = 0, .max = 86400, .unit = "s",
                                        .help = "CreateDBInstance: creating then backing-up, in all."});
    t.backup_s = a->number("backup_s", {.def = 120, .min = 0, .max = 86400, .unit = "s",
                                        .help = "Of create_s, the first automated backup (status backing-up)."});
    if (t.backup_s > t.create_s)
      throw sim::InputError(a->path_of("backup_s"), "is above create_s");
    t.replica_create_s = a->number("replica_create_s", {.def = 600, .min = 0, .max = 86400, .unit = "s",
                                                        .help = "CreateDBInstanceReadReplica: creating."});
    t.delete_s = a->number("delete_s", {.def = 120, .min = 0, .max = 86400, .unit = "s",
                                        .help = "DeleteDBInstance: deleting, then gone."});
    t.promote_s = a->number("promote_s", {.def = 180, .min = 0, .max = 86400, .unit = "s",
                                          .help = "PromoteReadReplica: modifying, then standalone."});
    a->finish();
  }
  r.finish();
  return s;
}

void apply_rds_to_platform(sim::Scenario& sc)
{
  if (sc.rds.is_null())
    return;
  const auto spec = parse_rds(sc);
  for (auto& v : sc.platform.services)
    if (v.name == spec.service)
      v.workers = spec.instance.max_connections;
  if (!spec.size_server)
    return;
  const auto* cls = find_db_instance_class(spec.instance.instance_class);
  const auto limits = storage_limits(spec.instance.storage);
  const double mb_per_s = sustained_bandwidth_Bps(limits, spec.io_kib) / 1e6;  // ServerSpec disks are MB/s
  for (auto& s : sc.platform.servers)
    if (s.name == spec.server) {
      s.cores = cls->vcpu;
      s.ram_gb = cls->memory_gib * 1.073741824;
      s.disk_gb = spec.instance.storage.allocated_gib * 1.073741824;
      s.disk_read_mbps = mb_per_s;
      s.disk_write_mbps = mb_per_s;
    }
}

}  // namespace migsim::models::rds
