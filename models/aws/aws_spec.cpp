#include "models/aws/aws_spec.hpp"

#include "models/ec2/instance_catalog.hpp"
#include "models/rds/instance_class.hpp"
#include "sim/json_reader.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace migsim::models::aws {

using sim::InputError;
using sim::ObjectReader;

namespace {

// Reads a list of logical service names; each must exist in the logical platform when checked.
std::vector<std::string> read_names(ObjectReader& r, const std::string& key, bool required, const char* help,
                                    const sim::Scenario& sc, bool check)
{
  std::vector<std::string> out;
  const auto* a = r.array(key, required, help);
  if (!a)
    return out;
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string path = r.path_of(key + "/" + std::to_string(i));
    if (!(*a)[i].is_string())
      throw InputError(path, "must be a string, got " + sim::json_type_name((*a)[i]));
    out.push_back((*a)[i].get<std::string>());
    if (check && !sc.service(out.back()))
      throw InputError(path, "unknown service \"" + out.back() + "\" (not in /platform/services)");
  }
  return out;
}

alb::HealthCheckSettings read_health(ObjectReader& t)
{
  alb::HealthCheckSettings h;
  auto hc = t.object("health_check", false, "ALB health check of the target group (documented defaults).");
  if (!hc)
    return h;
  h.interval_s = hc->number("interval_s", {.def = 30.0, .min = 5, .max = 300, .unit = "s",
                                           .help = "HealthCheckIntervalSeconds."});
  h.timeout_s = hc->number("timeout_s", {.def = 5.0, .min = 2, .max = 120, .unit = "s",
                                         .help = "HealthCheckTimeoutSeconds: no answer within it is a failure."});
  h.healthy_threshold = static_cast<int>(hc->integer("healthy_threshold", {.def = 5, .min = 2, .max = 10, .unit = "checks",
                                                                           .help = "Consecutive successes to become healthy."}));
  h.unhealthy_threshold = static_cast<int>(hc->integer(
      "unhealthy_threshold", {.def = 2, .min = 2, .max = 10, .unit = "checks", .help = "Consecutive failures to become unhealthy."}));
  if (h.timeout_s >= h.interval_s)
    throw InputError(hc->path_of("timeout_s"), "must be less than interval_s");
  hc->finish();
  return h;
}

asg::TargetTrackingPolicy read_policy(ObjectReader& o, const std::string& tier)
{
  asg::TargetTrackingPolicy p;
  p.name = o.string("name", {.help = "Policy name (PolicyName)."});
  const std::string metric = o.string("metric", {.allowed = {"ASGAverageCPUUtilization", "ALBRequestCountPerTarget"},
                                                 .help = "Predefined metric tracked."});
  p.metric = metric == "ASGAverageCPUUtilization" ? asg::PredefinedMetric::ASGAverageCPUUtilization
                                                  : asg::PredefinedMetric::ALBRequestCountPerTarget;
  p.resource_label = tier;
  p.target = o.number("target", {.min = 0, .max = 1e9, .unit = "% or requests/target/min",
                                 .help = "TargetValue: CPU percent, or requests per target per minute.",
                                 .exclusive_min = true});
  p.disable_scale_in = o.boolean("disable_scale_in", {.def = false, .help = "DisableScaleIn."});
  p.scale_out_datapoints = static_cast<int>(o.integer(
      "scale_out_datapoints", {.def = 3, .min = 1, .max = 60, .unit = "minutes",
                               .help = "High alarm: this many one-minute datapoints above the target (3 of 3)."}));
  p.scale_in_datapoints = static_cast<int>(o.integer(
      "scale_in_datapoints", {.def = 15, .min = 1, .max = 60, .unit = "minutes",
                              .help = "Low alarm: this many one-minute datapoints below the low threshold (15 of 15)."}));
  p.scale_in_fraction = o.number("scale_in_fraction", {.def = 0.7, .min = 0, .max = 1, .unit = "x target",
                                                       .help = "Low alarm threshold as a share of the target (about "
                                                               "0.7 observed in the alarms target tracking creates).",
                                                       .exclusive_min = true});
  return p;
}

TierSpec read_tier(ObjectReader& t, const sim::Scenario& sc, bool check)
{
  TierSpec x;
  x.name = t.string("name", {.help = "Tier name: its Auto Scaling group and target group."});
  x.serves = read_names(t, "serves", true, "Logical services (from /platform/services) its instances run.", sc, check);
  if (x.serves.empty())
    throw InputError(t.path_of("serves"), "must name at least one service");
  {
    const auto* pp = t.array("path_patterns", false, "ALB rule path patterns forwarding to this tier ('*', '?'); "
                                                      "absent: this tier is the listener's default action.");
    if (pp)
      for (size_t i = 0; i < pp->size(); ++i) {
        if (!(*pp)[i].is_string() || (*pp)[i].get<std::string>().empty())
          throw InputError(t.path_of("path_patterns/" + std::to_string(i)), "must be a non-empty string");
        x.path_patterns.push_back((*pp)[i].get<std::string>());
      }
  }
  x.priority = static_cast<int>(t.integer("priority", {.def = 0, .min = 0, .max = 50000, .unit = "",
                                                       .help = "Rule priority, lowest evaluated first (1-50000; "
                                                               "required with path_patterns)."}));
  if (!x.path_patterns.empty() && x.priority < 1)
    throw InputError(t.path_of("priority"), "a tier with path_patterns needs a priority 1-50000");
  x.instance_type = t.string("instance_type", {.def = std::string("t3.small"), .help = "EC2 instance type (models/ec2/instance_types.json)."});
  if (!ec2::default_instance_catalog().types.count(x.instance_type))
    throw InputError(t.path_of("instance_type"), "unknown instance type \"" + x.instance_type + "\"");
  x.credit_mode = t.string("credit_mode", {.def = std::string("unlimited"), .allowed = {"standard", "unlimited"},
                                           .help = "Burstable types (AWS default for t3/t3a: unlimited): standard (throttled to the baseline when the "
                                                   "credit balance is empty) or unlimited (surplus credits billed)."});
  x.initial_credits_fraction = t.number("initial_credits_fraction",
                                        {.def = 1.0, .min = 0, .max = 1, .unit = "share",
                                         .help = "Credit balance of the instances running at t = 0, as a share of "
                                                 "the maximum (24 h of earnings); instances launched later start at 0."});
  x.speed_gflops = t.number("speed_gflops", {.def = 1.0, .min = 0.001, .max = 1e3, .unit = "Gflop/s per vCPU",
                                             .help = "Per-vCPU speed against the 1 Gflop/s reference of stage CPU demands."});
  x.min_size = static_cast<int>(t.integer("min_size", {.def = 1, .min = 0, .max = 100, .unit = "instances", .help = "MinSize."}));
  x.max_size = static_cast<int>(t.integer("max_size", {.def = 4, .min = 1, .max = 100, .unit = "instances", .help = "MaxSize."}));
  x.desired = static_cast<int>(t.integer("desired", {.def = x.min_size, .min = 0, .max = 100, .unit = "instances",
                                                     .help = "DesiredCapacity at t = 0 (InService and warmed up)."}));
  if (x.min_size > x.max_size)
    throw InputError(t.path_of("min_size"), "is above max_size");
  if (x.desired < x.min_size || x.desired > x.max_size)
    throw InputError(t.path_of("desired"), "must be within [min_size, max_size]");
  x.workers = static_cast<int>(t.integer("workers", {.def = 32, .min = 1, .max = 100000, .unit = "requests",
                                                     .help = "Requests an instance serves concurrently."}));
  x.queue_limit = static_cast<int>(t.integer("queue_limit", {.def = 256, .min = 0, .max = 1000000, .unit = "requests",
                                                             .help = "Requests waiting per instance (0 = unbounded)."}));
  x.queue_timeout_s = t.number("queue_timeout_s", {.def = 30.0, .min = 0, .max = 3600, .unit = "s",
                                                   .help = "A request waiting longer for a worker fails."});
  x.boot_mean_s = t.number("boot_mean_s", {.def = 120.0, .min = 0, .max = 3600, .unit = "s",
                                           .help = "Mean launch-to-InService time (not published: parameter)."});
  x.boot_cv = t.number("boot_cv", {.def = 0.2, .min = 0, .max = 3, .unit = "",
                                   .help = "Coefficient of variation of the boot time (lognormal; 0 = constant)."});
  x.warmup_s = t.number("warmup_s", {.def = 300.0, .min = 0, .max = 3600, .unit = "s",
                                     .help = "Instance warm-up: excluded from the metric and from capacity."});
  x.health_check_grace_s = t.number("health_check_grace_s", {.def = 300.0, .min = 0, .max = 7200, .unit = "s",
                                                             .help = "HealthCheckGracePeriod (console default 300)."});
  x.health_check_type = t.string("health_check_type", {.def = std::string("ELB"), .allowed = {"EC2", "ELB"},
                                                       .help = "EC2: status checks only; ELB: also the target group's."});
  x.ec2_status_check_s = t.number("ec2_status_check_s", {.def = 60.0, .min = 0, .max = 3600, .unit = "s",
                                                         .help = "Delay before a failed instance fails its EC2 status "
                                                                 "checks (not published: parameter)."});
  x.ebs_gb = t.number("ebs_gb", {.def = 8.0, .min = 1, .max = 16384, .unit = "GB", .help = "gp3 root volume per instance."});

  x.target_group.name = x.name;
  const std::string algo = t.string("algorithm", {.def = std::string("round_robin"),
                                                  .allowed = {"round_robin", "least_outstanding_requests"},
                                                  .help = "Target group routing algorithm."});
  x.target_group.algorithm =
      algo == "round_robin" ? alb::Algorithm::round_robin : alb::Algorithm::least_outstanding_requests;
  x.target_group.slow_start_s = t.number("slow_start_s", {.def = 0.0, .min = 0, .max = 900, .unit = "s",
                                                          .help = "Slow start: 0 (off) or 30-900; not with least "
                                                                  "outstanding requests."});
  if (x.target_group.slow_start_s > 0 && x.target_group.slow_start_s < 30)
    throw InputError(t.path_of("slow_start_s"), "must be 0 or 30-900");
  if (x.target_group.slow_start_s > 0 && x.target_group.algorithm != alb::Algorithm::round_robin)
    throw InputError(t.path_of("slow_start_s"), "slow start is not supported with least outstanding requests");
  x.target_group.deregistration_delay_s = t.number("deregistration_delay_s",
                                                   {.def = 300.0, .min = 0, .max = 3600, .unit = "s",
                                                    .help = "Draining time for requests in flight."});
  x.target_group.health = read_health(t);
  if (const auto* pol = t.array("policies", false, "Target tracking scaling policies.")) {
    sim::for_each_object(*pol, t.path_of("policies"), [&](ObjectReader& o, size_t) { x.policies.push_back(read_policy(o, x.name)); });
  }
  return x;
}

FromApiSpec read_from_api(ObjectReader& f, const sim::Scenario& sc, bool check)
{
  FromApiSpec x;
  x.enabled = true;
  x.entry_load_balancer = f.string("entry_load_balancer", {.def = std::string(), .help = "Name of the load balancer "
                                                                   "(created through the API) the users are sent to."});
  x.entry_record = f.string("entry_record", {.def = std::string(), .help = "Or: the Route 53 record (FQDN) users resolve; "
                                                                     "they go to the load balancer it aliases."});
  if (x.entry_load_balancer.empty() == x.entry_record.empty())
    throw InputError(f.path_of("entry_load_balancer"), "give exactly one of entry_load_balancer and entry_record "
                                                        "(where the users are sent)");
  x.hosts_per_az = static_cast<int>(f.integer("hosts_per_az", {.def = 4, .min = 1, .max = 100, .unit = "hosts",
                                                               .help = "Hosts reserved per service, instance type and "
                                                                       "AZ for the instances the API launches."}));
  const auto* types = f.array("instance_types", true, "Instance types the API may launch (hosts are reserved for each).");
  for (size_t i = 0; i < types->size(); ++i) {
    const std::string path = f.path_of("instance_types/" + std::to_string(i));
    if (!(*types)[i].is_string())
      throw InputError(path, "must be a string");
    x.instance_types.push_back((*types)[i].get<std::string>());
    if (!ec2::default_instance_catalog().types.count(x.instance_types.back()))
      throw InputError(path, "unknown instance type \"" + x.instance_types.back() + "\"");
    if (std::count(x.instance_types.begin(), x.instance_types.end(), x.instance_types.back()) > 1)
      throw InputError(path, "duplicate instance type");
  }
  if (x.instance_types.empty())
    throw InputError(f.path_of("instance_types"), "must list at least one instance type");
  const auto* services = f.array("services", true, "Scenario services that run on instances created through the API.");
  sim::for_each_object(*services, f.path_of("services"), [&](ObjectReader& o, size_t i) {
    ApiServiceSpec s;
    s.name = o.string("name", {.help = "A service of /platform/services (the value of the tag migsim:service)."});
    if (check && !sc.service(s.name))
      throw InputError(o.path_of("name"), "unknown service \"" + s.name + "\" (not in /platform/services)");
    if (x.service(s.name))
      throw InputError(f.path_of("services/" + std::to_string(i) + "/name"), "duplicate service");
    s.serves = read_names(o, "serves", false, "Logical services its instances run (default: the name), e.g. "
                                              "frontend-app and nginx.", sc, check);
    if (s.serves.empty())
      s.serves.push_back(s.name);
    for (size_t k = 0; k < s.serves.size(); ++k)
      if (const auto* other = x.owner(s.serves[k]))
        throw InputError(o.path_of("serves/" + std::to_string(k)), "\"" + s.serves[k] + "\" already runs on \"" +
                                                                        other->name + "\"");
    s.workers = static_cast<int>(o.integer("workers", {.def = 32, .min = 1, .max = 100000, .unit = "requests",
                                                       .help = "Requests an instance serves concurrently."}));
    s.queue_limit = static_cast<int>(o.integer("queue_limit", {.def = 256, .min = 0, .max = 1000000, .unit = "requests",
                                                               .help = "Requests waiting per instance (0 = unbounded)."}));
    s.queue_timeout_s = o.number("queue_timeout_s", {.def = 30.0, .min = 0, .max = 3600, .unit = "s",
                                                     .help = "A request waiting longer for a worker fails."});
    s.speed_gflops = o.number("speed_gflops", {.def = 1.0, .min = 0.001, .max = 1e3, .unit = "Gflop/s per vCPU",
                                               .help = "Per-vCPU speed against the 1 Gflop/s reference of stage CPU demands."});
    if (const auto* hp = o.array("health_check_paths", false, "Paths the service answers 200 on (default [\"/\"]).")) {
      s.health_check_paths.clear();
      for (size_t k = 0; k < hp->size(); ++k) {
        if (!(*hp)[k].is_string() || (*hp)[k].get<std::string>().empty() || (*hp)[k].get<std::string>()[0] != '/')
          throw InputError(o.path_of("health_check_paths/" + std::to_string(k)), "must be a path starting with /");
        s.health_check_paths.push_back((*hp)[k].get<std::string>());
      }
    }
    x.services.push_back(s);
  });
  if (x.services.empty())
    throw InputError(f.path_of("services"), "must list at least one service");
  return x;
}

}  // namespace

std::string api_host_name(const std::string& service, const std::string& type, const std::string& az, int k)
{
  return service + "-" + type + "-" + az + "-" + std::to_string(k + 1);
}

std::string slot_server_name(const std::string& tier, const std::string& az, int k)
{
  return tier + "-" + az + "-" + std::to_string(k + 1);
}

const TierSpec& route_class(const AwsSpec& spec, const std::string& request_class)
{
  auto it = spec.class_paths.find(request_class);
  const std::string path = it == spec.class_paths.end() ? "/" : it->second;
  std::vector<const TierSpec*> ordered;
  const TierSpec* fallback = nullptr;
  for (const auto& t : spec.tiers) {
    if (t.path_patterns.empty())
      fallback = &t;
    else
      ordered.push_back(&t);
  }
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->priority < b->priority; });
  for (const auto* t : ordered)
    for (const auto& p : t->path_patterns)
      if (alb::path_matches(p, path))
        return *t;
  return *fallback;
}

AwsSpec parse_aws_checked(const sim::Scenario& sc, bool check);

AwsSpec parse_aws(const sim::Scenario& sc) { return parse_aws_checked(sc, sc.platform.servers.empty() || !sc.server(kAlbServer)); }

AwsSpec parse_aws_checked(const sim::Scenario& sc, bool check)
{
  AwsSpec a;
  ObjectReader r(sc.aws, "/aws");
  a.region = r.string("region", {.def = std::string("us-east-1"), .help = "AWS region (prices are us-east-1's)."});
  const auto* azs = r.array("azs", true, "Availability Zones of the VPC's subnets (at least two for an ALB).");
  for (size_t i = 0; i < azs->size(); ++i) {
    if (!(*azs)[i].is_string())
      throw InputError(r.path_of("azs/" + std::to_string(i)), "must be a string");
    a.azs.push_back((*azs)[i].get<std::string>());
    if (std::count(a.azs.begin(), a.azs.end(), a.azs.back()) > 1)
      throw InputError(r.path_of("azs/" + std::to_string(i)), "duplicate Availability Zone");
  }
  if (a.azs.size() < 2)
    throw InputError(r.path_of("azs"), "an ALB needs at least two Availability Zones");
  a.client_latency_ms = r.number("client_latency_ms", {.def = 20.0, .min = 0, .max = 1000, .unit = "ms",
                                                       .help = "One-way latency from the clients to the region."});
  a.inter_az_latency_ms = r.number("inter_az_latency_ms", {.def = 0.6, .min = 0, .max = 100, .unit = "ms",
                                                           .help = "One-way latency between two AZs (half of it "
                                                                   "between the ALB and an AZ)."});
  a.internet_mbps = r.number("internet_mbps", {.def = 10000.0, .min = 0.01, .max = 1e7, .unit = "Mbit/s",
                                               .help = "Bandwidth between the clients and the region."});
  a.alb_name = r.string("alb_name", {.def = std::string("shop-alb"), .help = "Load balancer name."});
  a.alb_replaces = read_names(r, "alb_replaces", false, "Logical services the ALB stands in for (their stages are "
                                                        "dropped unless the routed tier serves them), e.g. nginx.", sc, check);
  if (const auto* paths = r.raw("class_paths", "object", "Request class -> the URL path its requests ask for (default /).")) {
    if (!paths->is_object())
      throw InputError(r.path_of("class_paths"), "must be an object");
    for (auto it = paths->begin(); it != paths->end(); ++it) {
      const std::string path = r.path_of("class_paths/" + it.key());
      if (std::none_of(sc.workload.classes.begin(), sc.workload.classes.end(), [&](auto& c) { return c.name == it.key(); }))
        throw InputError(path, "unknown request class \"" + it.key() + "\"");
      if (!it->is_string() || it->get<std::string>().empty() || it->get<std::string>()[0] != '/')
        throw InputError(path, "must be a path starting with /");
      a.class_paths[it.key()] = it->get<std::string>();
    }
  }
  for (const auto& c : sc.workload.classes)
    if (!c.path.empty())
      a.class_paths.emplace(c.name, c.path);  // aws.class_paths, where given, wins
  if (auto f = r.object("from_api", false, "The estate is built through the API (docs/estate-from-api.md): hosts "
                                            "reserved for its instances, the load balancer users go to.")) {
    if (r.has("tiers"))
      throw InputError(r.path_of("tiers"), "a scenario has either aws.tiers or aws.from_api, not both");
    a.from_api = read_from_api(*f, sc, check);
    f->finish();
  } else {
    const auto* tiers = r.array("tiers", true, "Tiers: an Auto Scaling group behind an ALB target group each.");
    sim::for_each_object(*tiers, r.path_of("tiers"), [&](ObjectReader& t, size_t) { a.tiers.push_back(read_tier(t, sc, check)); });
    if (a.tiers.empty())
      throw InputError(r.path_of("tiers"), "must list at least one tier");
  }
  int defaults = a.from_api.enabled ? 1 : 0;
  std::set<int> priorities;
  std::set<std::string> names;
  for (size_t i = 0; i < a.tiers.size(); ++i) {
    const auto& t = a.tiers[i];
    defaults += t.path_patterns.empty();
    if (!t.path_patterns.empty() && !priorities.insert(t.priority).second)
      throw InputError(r.path_of("tiers/" + std::to_string(i) + "/priority"), "duplicate rule priority");
    if (!names.insert(t.name).second)
      throw InputError(r.path_of("tiers/" + std::to_string(i) + "/name"), "duplicate tier name");
  }
  if (defaults != 1)
    throw InputError(r.path_of("tiers"), "exactly one tier must have no path_patterns (the listener's default action), got " +
                                             std::to_string(defaults));

  auto db = r.object("database", true, "The database tier (a single station until the RDS model replaces it).");
  auto& d = a.database;
  d.name = db->string("name", {.def = std::string("rds"), .help = "Server (and service) name of the database."});
  d.az = db->string("az", {.def = a.azs.front(), .help = "Availability Zone of the primary."});
  if (std::find(a.azs.begin(), a.azs.end(), d.az) == a.azs.end())
    throw InputError(db->path_of("az"), "not one of /aws/azs");
  d.serves = read_names(*db, "serves", true, "Logical database services it serves (mysql).", sc, check);
  d.cores = static_cast<int>(db->integer("cores", {.def = 2, .min = 1, .max = 128, .unit = "vCPU", .help = "vCPUs."}));
  d.speed_gflops = db->number("speed_gflops", {.def = 1.0, .min = 0.001, .max = 1e3, .unit = "Gflop/s per vCPU",
                                               .help = "Per-vCPU speed."});
  d.ram_gb = db->number("ram_gb", {.def = 8.0, .min = 0, .max = 1e5, .unit = "GB", .help = "Memory.", .exclusive_min = true});
  d.disk_read_mbps = db->number("disk_read_mbps", {.def = 250.0, .min = 0.01, .max = 1e5, .unit = "MB/s",
                                                   .help = "Storage read throughput."});
  d.disk_write_mbps = db->number("disk_write_mbps", {.def = 250.0, .min = 0.01, .max = 1e5, .unit = "MB/s",
                                                     .help = "Storage write throughput."});
  d.workers = static_cast<int>(db->integer("workers", {.def = 151, .min = 1, .max = 100000, .unit = "connections",
                                                       .help = "max_connections."}));
  d.queue_limit = static_cast<int>(db->integer("queue_limit", {.def = 1000, .min = 0, .max = 1000000, .unit = "requests",
                                                               .help = "Requests waiting for a connection."}));
  d.queue_timeout_s = db->number("queue_timeout_s", {.def = 10.0, .min = 0, .max = 3600, .unit = "s",
                                                     .help = "A query waiting longer fails."});
  d.instance_class = db->string("instance_class", {.def = std::string("db.m5.large"), .help = "RDS instance class (cost)."});
  d.multi_az = db->boolean("multi_az", {.def = true, .help = "Multi-AZ deployment (cost)."});
  d.storage_type = db->string("storage_type", {.def = std::string("gp3"), .allowed = {"gp2", "gp3"}, .help = "Storage type (cost)."});
  d.storage_gb = db->number("storage_gb", {.def = 500.0, .min = 20, .max = 65536, .unit = "GB", .help = "Allocated storage (cost)."});
  rds::require_priced_class(d.instance_class, d.multi_az, false, db->path_of("instance_class"));
  db->finish();

  // CloudFront + S3 + WAF are the top-level "edge" section; accepting them here would be ignoring them.
  if (r.has("edge"))
    throw sim::InputError(r.path_of("edge"), "is not read: CloudFront + S3 + WAF go in the top-level \"edge\" "
                                             "section of the scenario");

  if (auto c = r.object("cost", false, "Recurring cost inputs the traffic does not determine.")) {
    a.cost.nat_gateways = static_cast<int>(c->integer("nat_gateways", {.def = 1, .min = 0, .max = 16, .unit = "gateways",
                                                                       .help = "NAT gateways (one per AZ for resilience)."}));
    a.cost.nat_processed_gb_per_hour = c->number("nat_processed_gb_per_hour",
                                                 {.def = 0.1, .min = 0, .max = 1e5, .unit = "GB/h",
                                                  .help = "Outbound traffic of the instances through NAT (updates, APIs)."});
    a.cost.route53_hosted_zones = static_cast<int>(c->integer("route53_hosted_zones", {.def = 1, .min = 0, .max = 100,
                                                                                       .unit = "zones", .help = "Hosted zones."}));
    a.cost.route53_queries_per_request = c->number("route53_queries_per_request",
                                                   {.def = 0.01, .min = 0, .max = 10, .unit = "queries",
                                                    .help = "DNS queries reaching Route 53 per request (resolvers cache)."});
    a.cost.requests_per_connection = c->number("requests_per_connection",
                                               {.def = 1.0, .min = 1, .max = 1e6, .unit = "requests",
                                                .help = "HTTP requests per client connection (ALB new-connection LCUs)."});
    c->finish();
  }
  r.finish();
  return a;
}

namespace {

// The database tier's server and service (hook point: the RDS model builds its own here).
void expand_database_tier(const DatabaseTierSpec& d, sim::PlatformSpec& p)
{
  sim::ServerSpec s;
  s.name = d.name;
  s.zone = d.az;
  s.cores = d.cores;
  s.speed_gflops = d.speed_gflops;
  s.ram_gb = d.ram_gb;
  s.disk_gb = 1000;
  s.disk_read_mbps = d.disk_read_mbps;
  s.disk_write_mbps = d.disk_write_mbps;
  s.nic_mbps = 10000;
  p.servers.push_back(s);
  p.services.push_back({d.name, d.name, "database", d.workers, d.queue_limit, d.queue_timeout_s});
}

bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// from_api: the hosts reserved for the instances the API launches, per service, type and AZ.
void expand_api_hosts(const AwsSpec& a, sim::PlatformSpec& p)
{
  const auto& catalog = ec2::default_instance_catalog();
  for (const auto& svc : a.from_api.services)
    for (const auto& type_name : a.from_api.instance_types) {
      const auto& type = catalog.at(type_name);
      for (const auto& az : a.azs)
        for (int k = 0; k < a.from_api.hosts_per_az; ++k) {
          sim::ServerSpec s;
          s.name = api_host_name(svc.name, type_name, az, k);
          s.zone = az;
          s.cores = type.vcpu;
          s.speed_gflops = svc.speed_gflops;
          s.ram_gb = type.memory_gib;
          s.disk_gb = 8;
          s.disk_read_mbps = 125;  // gp3 baseline throughput
          s.disk_write_mbps = 125;
          s.nic_mbps = type.network_gbps * 1000;
          s.throttled_fraction = type.baseline_fraction;
          p.servers.push_back(s);
          p.services.push_back({s.name, s.name, "app", svc.workers, svc.queue_limit, svc.queue_timeout_s});
        }
    }
}

// from_api: a class runs the ALB, then its one API-hosted service on the picked instance, then the
// database's stages.
sim::RequestClassSpec expand_api_class(const AwsSpec& a, const sim::RequestClassSpec& c, size_t ci)
{
  const std::string where = "/workload/classes/" + std::to_string(ci);
  if (c.path.empty())
    throw InputError(where + "/path", "class \"" + c.name + "\" needs a path: with aws.from_api the load balancer's "
                                                           "listener rules route requests by path");
  sim::RequestClassSpec out = c;
  out.stages.clear();
  sim::StageSpec front;
  front.service = kAlbServer;
  front.cpu_ms = 0;
  front.cpu_dist = "constant";
  front.request_kb = c.stages.front().request_kb;
  out.stages.push_back(front);
  // The instance's service: the one running the class's stages the ALB does not replace (else the
  // one running a replaced stage, as the frontend runs nginx's static files).
  std::string bound;
  for (int replaced = 0; replaced < 2 && bound.empty(); ++replaced)
    for (const auto& st : c.stages)
      if (const auto* owner = a.from_api.owner(st.service); owner && contains(a.alb_replaces, st.service) == (replaced == 1))
        if (bound.empty())
          bound = owner->name;
  if (bound.empty())
    throw InputError(where + "/stages", "class \"" + c.name + "\" visits no service of aws.from_api.services");
  const auto& runs = a.from_api.service(bound)->serves;
  for (size_t si = 0; si < c.stages.size(); ++si) {
    sim::StageSpec st = c.stages[si];
    const std::string at = where + "/stages/" + std::to_string(si) + "/service";
    if (contains(runs, st.service)) {
      st.service = api_host_name(bound, a.from_api.instance_types.front(), a.azs.front(), 0);  // nominal: picked per request
      st.on_target = true;
    } else if (contains(a.database.serves, st.service)) {
      st.service = a.database.name;
    } else if (contains(a.alb_replaces, st.service)) {
      continue;
    } else {
      throw InputError(at, "\"" + st.service + "\" does not run on \"" + bound + "\" (where class \"" + c.name +
                               "\" goes: an instance runs one service), nor on the database, nor is it replaced by the "
                               "ALB (/aws/alb_replaces)");
    }
    out.stages.push_back(st);
  }
  return out;
}

}  // namespace

namespace {
void check_events(sim::Scenario& sc, const AwsSpec& a, const sim::PlatformSpec& p);
}  // namespace

void expand_scenario(sim::Scenario& sc)
{
  if (!sc.migration.is_null())
    throw InputError("/aws", "a scenario has either a migration or an aws section, not both");
  const AwsSpec a = parse_aws_checked(sc, true);
  const sim::Scenario logical = sc;
  sim::PlatformSpec p;
  for (const auto& z : logical.platform.zones)
    if (z.name == logical.workload.client_zone)
      p.zones.push_back(z);
  p.zones.push_back({a.region, 0.05});
  for (const auto& az : a.azs)
    p.zones.push_back({az, 0.05});
  p.links.push_back({"internet-" + a.region, logical.workload.client_zone, a.region, a.internet_mbps, a.client_latency_ms});
  for (const auto& az : a.azs)
    p.links.push_back({a.region + "-" + az, a.region, az, 100000.0, a.inter_az_latency_ms / 2});
  // The ALB: a managed proxy in the region that scales itself (never the bottleneck here).
  sim::ServerSpec alb;
  alb.name = kAlbServer;
  alb.zone = a.region;
  alb.cores = 1024;
  alb.speed_gflops = 100;
  alb.nic_mbps = 1e6;
  p.servers.push_back(alb);
  p.services.push_back({kAlbServer, kAlbServer, "proxy", 1000000, 0, 0.0});
  expand_database_tier(a.database, p);
  if (a.from_api.enabled) {
    expand_api_hosts(a, p);
    std::vector<sim::RequestClassSpec> classes;
    for (size_t ci = 0; ci < logical.workload.classes.size(); ++ci)
      classes.push_back(expand_api_class(a, logical.workload.classes[ci], ci));
    sc.platform = p;
    sc.workload.classes = classes;
    for (size_t i = 0; i < sc.events.size(); ++i)
      if (sc.events[i].action == "az_down" || sc.events[i].action == "az_up")
        throw InputError("/events/" + std::to_string(i) + "/action", sc.events[i].action +
                                                                     " is not simulated on an estate built through the API (aws.from_api)");
    check_events(sc, a, p);
    return;
  }
  const auto& catalog = ec2::default_instance_catalog();
  for (const auto& t : a.tiers) {
    const auto& type = catalog.at(t.instance_type);
    for (const auto& az : a.azs)
      for (int k = 0; k < t.max_size; ++k) {
        sim::ServerSpec s;
        s.name = slot_server_name(t.name, az, k);
        s.zone = az;
        s.cores = type.vcpu;
        s.speed_gflops = t.speed_gflops;
        s.ram_gb = type.memory_gib;
        s.disk_gb = t.ebs_gb;
        s.disk_read_mbps = 125;  // gp3 baseline throughput
        s.disk_write_mbps = 125;
        s.nic_mbps = type.network_gbps * 1000;
        s.throttled_fraction = type.baseline_fraction;
        p.servers.push_back(s);
        p.services.push_back({s.name, s.name, "app", t.workers, t.queue_limit, t.queue_timeout_s});
      }
  }

  // Request classes: ALB, then the routed tier's stages (on the picked instance), then the database's.
  std::vector<sim::RequestClassSpec> classes;
  for (size_t ci = 0; ci < logical.workload.classes.size(); ++ci) {
    const auto& c = logical.workload.classes[ci];
    const TierSpec& tier = route_class(a, c.name);
    sim::RequestClassSpec out = c;
    out.stages.clear();
    sim::StageSpec front;
    front.service = kAlbServer;
    front.cpu_ms = 0;
    front.cpu_dist = "constant";
    front.request_kb = c.stages.front().request_kb;
    out.stages.push_back(front);
    bool on_target = false;
    for (size_t si = 0; si < c.stages.size(); ++si) {
      sim::StageSpec st = c.stages[si];
      if (contains(tier.serves, st.service)) {
        st.service = slot_server_name(tier.name, a.azs.front(), 0);  // nominal: the ALB picks per request
        st.on_target = true;
        on_target = true;
      } else if (contains(a.database.serves, st.service)) {
        st.service = a.database.name;
      } else if (contains(a.alb_replaces, st.service)) {
        continue;
      } else {
        throw InputError("/workload/classes/" + std::to_string(ci) + "/stages/" + std::to_string(si) + "/service",
                         "\"" + st.service + "\" runs neither on tier \"" + tier.name + "\" (where the ALB routes class \"" +
                             c.name + "\"), nor on the database tier, nor is it replaced by the ALB (/aws/alb_replaces)");
      }
      out.stages.push_back(st);
    }
    if (!on_target)
      throw InputError("/aws/class_paths", "class \"" + c.name + "\" is routed to tier \"" + tier.name +
                                               "\" but visits none of the services it serves");
    classes.push_back(out);
  }
  sc.platform = p;
  sc.workload.classes = classes;
  check_events(sc, a, p);
}

namespace {

// Events and expectations now name the AWS estate.
void check_events(sim::Scenario& sc, const AwsSpec& a, const sim::PlatformSpec& p)
{
  for (size_t i = 0; i < sc.events.size(); ++i) {
    const auto& e = sc.events[i];
    const std::string path = "/events/" + std::to_string(i) + "/target";
    auto tier_of = [&](const std::string& n) {
      return std::any_of(a.tiers.begin(), a.tiers.end(), [&](auto& t) { return t.name == n; });
    };
    if ((e.action == "az_down" || e.action == "az_up") && !contains(a.azs, e.target))
      throw InputError(path, "unknown Availability Zone \"" + e.target + "\" (not in /aws/azs)");
    if ((e.action == "instance_fail" || e.action == "set_desired" || e.action == "instance_refresh") && !tier_of(e.target))
      throw InputError(path, "unknown Auto Scaling group \"" + e.target + "\" (not in /aws/tiers)");
    if (e.action == "set_desired") {
      const auto& t = *std::find_if(a.tiers.begin(), a.tiers.end(), [&](auto& x) { return x.name == e.target; });
      if (e.value != std::floor(e.value) || e.value < t.min_size || e.value > t.max_size)
        throw InputError("/events/" + std::to_string(i) + "/value", "desired capacity must be a whole number within [" +
                                                                       std::to_string(t.min_size) + ", " +
                                                                       std::to_string(t.max_size) + "]");
    }
    if (e.action == "instance_refresh" && (e.value != std::floor(e.value) || e.value > 100))
      throw InputError("/events/" + std::to_string(i) + "/value",
                       "MinHealthyPercentage must be a whole number within [0, 100] (0: the default, 90)");
    if ((e.action == "server_down" || e.action == "server_up") && !sc.server(e.target))
      throw InputError(path, "server \"" + e.target + "\" is not in the AWS estate (use az_down or instance_fail)");
    if (e.action == "set_workers" && !sc.service(e.target))
      throw InputError(path, "service \"" + e.target + "\" is not in the AWS estate");
    if (e.action.rfind("link_", 0) == 0 || e.action.rfind("tunnel_", 0) == 0)
      if (std::none_of(p.links.begin(), p.links.end(), [&](auto& l) { return l.name == e.target; }))
        throw InputError(path, "link \"" + e.target + "\" is not in the AWS estate");
  }
  for (size_t i = 0; i < sc.expectations.size(); ++i)
    if (!sc.expectations[i].server.empty() && !sc.server(sc.expectations[i].server))
      throw InputError("/expectations/" + std::to_string(i) + "/server",
                       "server \"" + sc.expectations[i].server + "\" is not in the AWS estate");
}

}  // namespace

}  // namespace migsim::models::aws
