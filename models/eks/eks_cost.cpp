#include "models/eks/eks_cost.hpp"

#include "models/rds/instance_class.hpp"
#include "models/rds/rds_spec.hpp"
#include "sim/json_reader.hpp"

#include <algorithm>
#include <cmath>

namespace migsim::models::eks {

EksCostSpec parse_eks_cost(const nlohmann::json& raw, const std::string& path, const sim::Scenario& sc)
{
  EksCostSpec c;
  sim::ObjectReader r(raw, path);
  c.node_volume_type = r.string("node_volume_type", {.def = c.node_volume_type, .allowed = {"gp2", "gp3"},
                                                     .help = "EBS type of every node's root volume."});
  c.node_volume_gb = r.number("node_volume_gb", {.def = c.node_volume_gb, .min = 1, .max = 16384, .unit = "GB",
                                                 .help = "Root volume per node (managed node group diskSize, "
                                                         "default 20)."});
  c.nat_gateways = static_cast<int>(r.integer("nat_gateways", {.def = c.nat_gateways, .min = 0, .max = 16,
                                                               .unit = "gateways",
                                                               .help = "NAT gateways (one per AZ for resilience)."}));
  c.nat_processed_gb_per_hour = r.number("nat_processed_gb_per_hour",
                                         {.def = c.nat_processed_gb_per_hour, .min = 0, .max = 1e5, .unit = "GB/h",
                                          .help = "Outbound traffic of the nodes through NAT (image pulls, APIs)."});
  c.route53_hosted_zones = static_cast<int>(r.integer("route53_hosted_zones", {.def = c.route53_hosted_zones,
                                                                               .min = 0, .max = 100, .unit = "zones",
                                                                               .help = "Hosted zones."}));
  c.route53_queries_per_request = r.number("route53_queries_per_request",
                                           {.def = c.route53_queries_per_request, .min = 0, .max = 10,
                                            .unit = "queries",
                                            .help = "DNS queries reaching Route 53 per request (resolvers cache)."});
  c.requests_per_connection = r.number("requests_per_connection",
                                       {.def = c.requests_per_connection, .min = 1, .max = 1e6, .unit = "requests",
                                        .help = "HTTP requests per client connection (ALB new-connection LCUs)."});
  c.alb_rules = static_cast<int>(r.integer("alb_rules", {.def = c.alb_rules, .min = -1, .max = 100, .unit = "rules",
                                                         .help = "Ingress listener rules evaluated per request "
                                                                 "(-1: one per Deployment; the first 10 are free)."}));
  c.efs_write_share = r.number("efs_write_share", {.def = c.efs_write_share, .min = 0, .max = 1, .unit = "share",
                                                   .help = "Share of the EFS bytes per request that are writes "
                                                           "(Elastic throughput prices reads and writes apart)."});
  if (auto d = r.object("database", false, "The RDS database outside the cluster (the rds section wins).")) {
    c.database = d->boolean("priced", {.def = true, .help = "Put the database on the EKS bill."});
    c.database_service = d->string("service", {.def = c.database_service,
                                               .help = "Service name of the database in request-class stages "
                                                       "(their bytes cross AZs from pods in other zones)."});
    c.database_zone = d->string("zone", {.def = std::string(""), .help = "Zone of the primary (default: the first "
                                                                         "of /eks/zones)."});
    c.rds_instance_class = d->string("instance_class", {.def = c.rds_instance_class,
                                                        .help = "RDS instance class (as /aws/database)."});
    c.rds_multi_az = d->boolean("multi_az", {.def = c.rds_multi_az, .help = "Multi-AZ deployment."});
    c.rds_storage_type = d->string("storage_type", {.def = c.rds_storage_type, .allowed = {"gp2", "gp3"},
                                                    .help = "Storage type."});
    c.rds_storage_gb = d->number("storage_gb", {.def = c.rds_storage_gb, .min = 20, .max = 65536, .unit = "GB",
                                                .help = "Allocated storage."});
    const auto zones = sc.eks.value("zones", nlohmann::json::array());
    if (!c.database_zone.empty() && std::find(zones.begin(), zones.end(), c.database_zone) == zones.end())
      throw sim::InputError(d->path_of("zone"), "\"" + c.database_zone + "\" is not in /eks/zones");
    rds::require_priced_class(c.rds_instance_class, c.rds_multi_az, true, d->path_of("instance_class"));
    d->finish();
  }
  r.finish();
  if (!sc.rds.is_null()) {
    // The scenario's RDS instance is the database the EKS estate pays for.
    const auto rds = rds::parse_rds(sc);
    c.rds_instance_class = rds.instance.instance_class;
    c.rds_multi_az = rds.instance.multi_az;
    rds::require_priced_class(c.rds_instance_class, c.rds_multi_az, true, "/rds/instance_class");
    c.rds_storage_type = rds::to_string(rds.instance.storage.type);
    c.rds_storage_gb = rds.instance.storage.allocated_gib;
    c.database_service = rds.service;
    c.database_zone = rds.instance.az;
    if (c.rds_storage_type == "io1")
      throw sim::InputError("/rds/storage/type", "io1 storage has no price in models/cost/prices-us-east-1.json "
                                                 "(the EKS bill prices gp2 and gp3)");
  }
  return c;
}

namespace {

// A counter of the run, 0 when the model never created it.
double counter(const sim::Registry& m, const std::string& name)
{
  const auto& c = m.counters();
  auto it = c.find(name);
  return it == c.end() ? 0.0 : static_cast<double>(*it->second);
}

// Per hour of the run: requests (the per-minute "arrivals" series) and connection-seconds (the
// per-minute means of "requests_in_system": every request in flight holds a client connection).
void hourly_traffic(const sim::Registry& m, double t_end, std::vector<double>& requests, std::vector<double>& conn_s)
{
  const auto minutes = static_cast<size_t>(std::ceil(t_end / 60.0));
  const size_t hours = static_cast<size_t>(std::ceil(t_end / 3600.0));
  requests.assign(hours, 0.0);
  conn_s.assign(hours, 0.0);
  if (auto it = m.all_series().find("arrivals"); it != m.all_series().end()) {
    const auto v = it->second->values(minutes);
    for (size_t k = 0; k < v.size(); ++k)
      requests[std::min(hours - 1, k / 60)] += v[k];
  }
  if (auto it = m.all_time_weighted().find("requests_in_system"); it != m.all_time_weighted().end()) {
    const auto v = it->second->step_means(minutes, t_end);
    for (size_t k = 0; k < v.size(); ++k)
      conn_s[std::min(hours - 1, k / 60)] += v[k] * (std::min(t_end, 60.0 * static_cast<double>(k + 1)) - 60.0 * static_cast<double>(k));
  }
}

}  // namespace

EksCostInputs eks_cost_inputs(const sim::Scenario& sc, const EksSpec& spec, const sim::Registry& m,
                              const EksNodeUsage& nodes, double t_end)
{
  const EksCostSpec& c = spec.cost;
  EksCostInputs in;
  auto& q = in.quantities;
  const double hours = t_end / 3600.0;
  q.cluster_hours = hours;  // one cluster, standard support
  double node_hours = 0;
  for (const auto& [type, h] : nodes.hours_by_type) {
    q.nodes.instance_hours[type] += h;
    node_hours += h;
  }
  q.nodes.ebs_type = c.node_volume_type;
  q.nodes.ebs_gb_each = c.node_volume_gb;
  auto& s = q.shared;
  s.hours = hours;

  // Per class: requests, bytes through the ALB (first stage's request + the response, as the as-is
  // estate counts them), internet egress, database bytes, EFS bytes.
  const std::string db_zone = c.database_zone.empty() ? spec.zones.front() : c.database_zone;
  double off_zone_share = 0;
  if (node_hours > 0) {
    auto it = nodes.hours_by_zone.find(db_zone);
    off_zone_share = 1.0 - (it == nodes.hours_by_zone.end() ? 0.0 : it->second) / node_hours;
  }
  double arrived_total = 0, alb_kb = 0, out_kb = 0, db_kb = 0;
  std::vector<double> efs_kib(spec.efs.size(), 0.0);
  for (const auto& cls : sc.workload.classes) {
    const double arrived = counter(m, "requests_arrived{class=" + cls.name + "}");
    const double completed = counter(m, "requests_completed{class=" + cls.name + "}");
    arrived_total += arrived;
    alb_kb += arrived * (cls.stages.front().request_kb + cls.response_kb);
    out_kb += completed * cls.response_kb;
    for (const auto& st : cls.stages) {
      if (c.database && st.service == c.database_service)
        db_kb += arrived * 2 * st.request_kb;  // the query, and a result of about the same size back
      for (const auto& d : spec.deployments)
        if (d.name == st.service && !d.efs_volume.empty())
          for (size_t v = 0; v < spec.efs.size(); ++v)
            if (spec.efs[v].name == d.efs_volume)
              efs_kib[v] += completed * d.efs_kb_per_request;
    }
  }

  // ALB: hours, and LCU-hours per hour of the run with the as-is formula.
  s.alb_hours = hours;
  std::vector<double> hour_requests, hour_conn_s;
  hourly_traffic(m, t_end, hour_requests, hour_conn_s);
  const double kb_per_request = arrived_total > 0 ? alb_kb / arrived_total : 0.0;
  const double rules = c.alb_rules >= 0 ? c.alb_rules : static_cast<double>(spec.deployments.size());
  for (size_t h = 0; h < hour_requests.size(); ++h) {
    const double span_s = std::min(3600.0, t_end - 3600.0 * static_cast<double>(h));
    if (span_s <= 0)
      break;
    in.alb_spans.push_back({span_s, hour_requests[h], hour_requests[h] / c.requests_per_connection, hour_conn_s[h],
                            hour_requests[h] * kb_per_request * 1e3, rules});
  }
  s.alb_lcu_hours = cost::alb_lcu_hours(in.alb_spans);

  s.nat_gateway_hours = c.nat_gateways * hours;
  s.nat_processed_gb = c.nat_processed_gb_per_hour * hours;
  s.internet_out_gb = out_kb / 1e6;
  s.inter_az_gb = db_kb * off_zone_share / 1e6;
  s.route53_hosted_zones = c.route53_hosted_zones;
  s.route53_queries = arrived_total * c.route53_queries_per_request;
  if (c.database) {
    s.rds_instance_class = c.rds_instance_class;
    s.rds_multi_az = c.rds_multi_az;
    s.rds_instance_hours = hours;
    s.rds_storage_type = c.rds_storage_type;
    s.rds_storage_gb = c.rds_storage_gb;
  }
  for (size_t v = 0; v < spec.efs.size(); ++v) {
    q.efs_storage_gb += spec.efs[v].size_gib;
    if (spec.efs[v].mode == "elastic") {  // bursting: throughput is in the storage price
      const double gb = efs_kib[v] * 1024 / 1e9;
      q.efs_read_gb += gb * (1 - c.efs_write_share);
      q.efs_write_gb += gb * c.efs_write_share;
    }
  }
  return in;
}

cost::Bill eks_bill(const EksCostInputs& in)
{
  if (!(in.quantities.shared.hours > 0))
    return {};  // nothing ran
  return cost::compute(cost::default_price_table(), cost::eks_usage(in.quantities), in.quantities.shared.hours);
}

}  // namespace migsim::models::eks
