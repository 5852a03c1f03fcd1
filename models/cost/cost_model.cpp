#include "models/cost/cost_model.hpp"

#include "cost/default_prices.hpp"

#include "sim/json_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

namespace migsim::models::cost {

using sim::InputError;
using sim::ObjectReader;

namespace {

// Keeps price-file keys out of the scenario key table (sim::field_docs documents scenario keys).
class FieldDocsGuard {
public:
  FieldDocsGuard() : saved_(sim::field_docs()) {}
  ~FieldDocsGuard() { sim::field_docs() = std::move(saved_); }
  FieldDocsGuard(const FieldDocsGuard&) = delete;
  FieldDocsGuard& operator=(const FieldDocsGuard&) = delete;

private:
  std::map<std::string, sim::FieldDoc> saved_;
};

// Item keys are lowercase words joined by '.' or '-', so their JSON pointers need no escaping.
bool valid_item_key(const std::string& key)
{
  if (key.empty())
    return false;
  for (char c : key)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.' ||
          c == '-'))
      return false;
  return true;
}

// YYYY-MM-DD with a plausible month and day.
bool valid_date(const std::string& s)
{
  if (s.size() != 10 || s[4] != '-' || s[7] != '-')
    return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i])))
      return false;
  const int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// One entry of /items, read strictly.
PriceItem read_item(const nlohmann::json& value, const std::string& key, const PriceTable& table)
{
  const std::string path = "/items/" + key;
  if (!valid_item_key(key))
    throw InputError(path, "item keys use lowercase letters, digits, '.' and '-' only");
  ObjectReader r(value, path);
  PriceItem item;
  item.key = key;
  item.service = r.string("service", {.help = "AWS service, a key of /pages (bills are subtotalled by it)"});
  if (!table.pages.count(item.service))
    throw InputError(r.path_of("service"), "\"" + item.service + "\" has no pricing page in /pages");
  item.unit = r.string("unit", {.help = "what one unit of quantity is (instance-hour, GB-month, ...)"});
  item.usd = r.number("usd", {.min = 0.0, .unit = "USD", .help = "list price per unit"});
  item.free_quantity_each =
      r.number("free_quantity_each", {.def = 0.0, .min = 0.0, .help = "free quantity per counted unit (server)"});
  item.description = r.string("description", {.help = "what is priced, as the pricing page says it"});
  if (r.has("note"))
    item.note = r.string("note", {.help = "why the figure is uncertain, or what it leaves out"});
  r.finish();
  return item;
}

// Throws std::invalid_argument naming the usage line.
[[noreturn]] void bad_line(size_t index, const UsageLine& line, const std::string& why)
{
  throw std::invalid_argument("usage line " + std::to_string(index) + " (" + line.item + "): " + why);
}

// Rounds to cents for presentation.
double cents_value(double usd) { return static_cast<double>(to_cents(usd)) / 100.0; }

nlohmann::json cents_map(const std::map<std::string, double>& m)
{
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : m)
    out[k] = cents_value(v);
  return out;
}

std::string fmt(double v) { return sim::format_number(v); }

}  // namespace

// --- Price table -------------------------------------------------------------------------------

const PriceItem& PriceTable::at(const std::string& key) const
{
  auto it = items.find(key);
  if (it == items.end())
    throw UnknownItemError(key, "unknown price item \"" + key + "\": not in the price table " +
                                    (file.empty() ? std::string() : "\"" + file + "\" ") + "(" + region + ", as of " +
                                    as_of + ")");
  return it->second;
}

PriceTable parse_price_table(const nlohmann::json& doc, const std::string& origin)
{
  FieldDocsGuard guard;
  ObjectReader r(doc, "");
  PriceTable t;
  t.file = origin;
  t.region = r.string("region", {.help = "AWS region the prices are for"});
  t.as_of = r.string("as_of", {.help = "date (YYYY-MM-DD) the figures are believed valid on"});
  if (!valid_date(t.as_of))
    throw InputError(r.path_of("as_of"), "must be a date YYYY-MM-DD, got \"" + t.as_of + "\"");
  t.currency = r.string("currency", {.allowed = {"USD"}, .help = "currency of every price"});
  t.source = r.string("source", {.help = "where the figures come from"});
  const auto* pages = r.raw("pages", "object", "service -> its public pricing page");
  if (!pages)
    throw InputError(r.path_of("pages"), "required object is missing");
  if (!pages->is_object())
    throw InputError(r.path_of("pages"), "must be an object, got " + sim::json_type_name(*pages));
  for (auto it = pages->begin(); it != pages->end(); ++it) {
    if (!it->is_string() || it->get<std::string>().empty())
      throw InputError(r.path_of("pages") + "/" + it.key(), "must be a non-empty string (the page's address)");
    t.pages[it.key()] = it->get<std::string>();
  }
  const auto* items = r.raw("items", "object", "item key -> {service, unit, usd, description, note}");
  if (!items)
    throw InputError(r.path_of("items"), "required object is missing");
  if (!items->is_object() || items->empty())
    throw InputError(r.path_of("items"), "must be a non-empty object, got " + sim::json_type_name(*items));
  for (auto it = items->begin(); it != items->end(); ++it)
    t.items[it.key()] = read_item(*it, it.key(), t);
  r.finish();
  return t;
}

PriceTable load_price_table(const std::string& path)
{
  const std::string where = " (price file \"" + path + "\")";
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError("", "cannot open the price file" + where);
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(ss.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError("", "invalid JSON at byte " + std::to_string(e.byte) + where);
  }
  try {
    return parse_price_table(doc, path);
  } catch (const InputError& e) {
    // what() is "<pointer>: <message>"; keep the pointer first and name the file after.
    const std::string what = e.what();
    const size_t colon = what.find(": ");
    throw InputError(e.path(), (colon == std::string::npos ? what : what.substr(colon + 2)) + where);
  }
}

const PriceTable& default_price_table()
{
  static const PriceTable table =
      parse_price_table(nlohmann::json::parse(kDefaultPriceTableJson), "built-in prices-us-east-1.json");
  return table;
}

std::string price_table_path(const std::string& source_dir) { return source_dir + "/" + kPriceTableRelativePath; }

// --- Usage and bill ----------------------------------------------------------------------------

const char* to_string(Phase phase) { return phase == Phase::migration ? "migration" : "run"; }

UsageLine& Usage::add(Phase phase, std::string item, double quantity, std::string unit, std::string note,
                      double count)
{
  lines.push_back({"", std::move(item), quantity, std::move(unit), phase, std::move(note), count});
  return lines.back();
}

void Usage::append(const Usage& other) { lines.insert(lines.end(), other.lines.begin(), other.lines.end()); }

long long to_cents(double usd)
{
  // The nudge keeps amounts like 1.005 (stored as 1.00499...) rounding as written in decimal.
  return std::llround(usd * 100.0 + (usd >= 0 ? 1e-7 : -1e-7));
}

double gb_months(double gb, double hours) { return gb * hours / kHoursPerMonth; }

Bill compute(const PriceTable& prices, const Usage& usage, double simulated_hours)
{
  if (!std::isfinite(simulated_hours) || simulated_hours < 0)
    throw std::invalid_argument("simulated_hours must be finite and >= 0, got " + fmt(simulated_hours));
  Bill bill;
  bill.region = prices.region;
  bill.as_of = prices.as_of;
  bill.currency = prices.currency;
  bill.simulated_hours = simulated_hours;
  for (size_t i = 0; i < usage.lines.size(); ++i) {
    const UsageLine& u = usage.lines[i];
    const PriceItem& p = prices.at(u.item);
    if (!u.service.empty() && u.service != p.service)
      bad_line(i, u, "service \"" + u.service + "\" but the price table has it under \"" + p.service + "\"");
    if (!u.unit.empty() && u.unit != p.unit)
      bad_line(i, u, "unit \"" + u.unit + "\" but the price table prices it per \"" + p.unit + "\"");
    if (!std::isfinite(u.quantity) || u.quantity < 0)
      bad_line(i, u, "quantity must be finite and >= 0, got " + fmt(u.quantity));
    if (!std::isfinite(u.count) || u.count <= 0)
      bad_line(i, u, "count must be finite and > 0, got " + fmt(u.count));
    if (u.phase == Phase::run && simulated_hours <= 0)
      bad_line(i, u, "a run-phase line needs simulated_hours > 0 to scale it to a month");

    BillLine line;
    line.service = p.service;
    line.item = p.key;
    line.phase = u.phase;
    line.count = u.count;
    line.quantity = u.count * u.quantity;
    line.billable_quantity = u.count * std::max(0.0, u.quantity - p.free_quantity_each);
    line.free_quantity = line.quantity - line.billable_quantity;
    line.unit = p.unit;
    line.unit_usd = p.usd;
    line.cost_usd = line.billable_quantity * p.usd;
    line.note = u.note;

    bill.by_service_usd[p.service] += line.cost_usd;
    if (u.phase == Phase::migration) {
      bill.migration_by_service_usd[p.service] += line.cost_usd;
      bill.migration_total_usd += line.cost_usd;
    } else {
      bill.run_by_service_usd[p.service] += line.cost_usd;
      bill.run_total_usd += line.cost_usd;
    }
    bill.lines.push_back(std::move(line));
  }
  if (simulated_hours > 0) {
    const double scale = kHoursPerMonth / simulated_hours;
    for (const auto& [service, usd] : bill.run_by_service_usd)
      bill.monthly_by_service_usd[service] = usd * scale;
    bill.monthly_run_rate_usd = bill.run_total_usd * scale;
  }
  return bill;
}

nlohmann::json Bill::to_json() const
{
  nlohmann::json out = {{"region", region},         {"as_of", as_of},
                        {"currency", currency},     {"simulated_hours", simulated_hours},
                        {"hours_per_month", kHoursPerMonth}};
  nlohmann::json items = nlohmann::json::array();
  for (const auto& l : lines)
    items.push_back({{"service", l.service},
                     {"item", l.item},
                     {"phase", to_string(l.phase)},
                     {"count", l.count},
                     {"quantity", l.quantity},
                     {"free_quantity", l.free_quantity},
                     {"billable_quantity", l.billable_quantity},
                     {"unit", l.unit},
                     {"unit_usd", l.unit_usd},
                     {"cost_usd", cents_value(l.cost_usd)},
                     {"note", l.note}});
  out["lines"] = std::move(items);
  out["by_service_usd"] = cents_map(by_service_usd);
  out["migration_by_service_usd"] = cents_map(migration_by_service_usd);
  out["run_by_service_usd"] = cents_map(run_by_service_usd);
  out["monthly_by_service_usd"] = cents_map(monthly_by_service_usd);
  out["migration_total_usd"] = cents_value(migration_total_usd);
  out["run_total_usd"] = cents_value(run_total_usd);
  out["monthly_run_rate_usd"] = cents_value(monthly_run_rate_usd);
  return out;
}

// --- Estimate builders -------------------------------------------------------------------------

namespace {

// Adds a line unless its quantity is zero (an itemised bill lists only what was used).
void add_if(Usage& u, Phase phase, const std::string& item, double quantity, const std::string& unit,
            const std::string& note)
{
  if (quantity > 0)
    u.add(phase, item, quantity, unit, note);
}

// EC2 instance-hours by type and their EBS volumes (GB-months = GB each x instance-hours / 730).
void add_fleet(Usage& u, const InstanceFleet& f, const std::string& what)
{
  double instance_hours = 0;
  for (const auto& [type, hours] : f.instance_hours) {
    add_if(u, Phase::run, "ec2." + type, hours, "instance-hour", what + " " + type);
    instance_hours += hours;
  }
  const double months = instance_hours / kHoursPerMonth;
  add_if(u, Phase::run, "ebs." + f.ebs_type, f.ebs_gb_each * months, "GB-month",
         what + ": " + fmt(f.ebs_gb_each) + " GB per instance");
  add_if(u, Phase::run, "ebs.gp3.iops", f.ebs_extra_iops_each * months, "IOPS-month",
         what + ": " + fmt(f.ebs_extra_iops_each) + " IOPS above 3,000 per instance");
  add_if(u, Phase::run, "ebs.gp3.throughput", f.ebs_extra_mbps_each * months, "MBps-month",
         what + ": " + fmt(f.ebs_extra_mbps_each) + " MB/s above 125 per instance");
}

// RDS, ALB, NAT, CloudFront, S3, data transfer, Route 53, CloudWatch, WAF and the platform services
// (SNS, CloudTrail, KMS, Secrets Manager, ECR, Managed Prometheus and Grafana) over q.hours.
void add_shared(Usage& u, const SharedQuantities& q)
{
  const double months = q.hours / kHoursPerMonth;
  const std::string deployment = q.rds_multi_az ? "multi-az" : "single-az";
  add_if(u, Phase::run, "rds.mysql." + deployment + "." + q.rds_instance_class, q.rds_instance_hours, "instance-hour",
         "primary, " + deployment);
  add_if(u, Phase::run, "rds.storage." + deployment + "." + q.rds_storage_type, q.rds_storage_gb * months, "GB-month",
         fmt(q.rds_storage_gb) + " GB allocated");
  add_if(u, Phase::run, "rds.mysql.single-az." + q.rds_instance_class, q.rds_replica_instance_hours, "instance-hour",
         "read replicas");
  add_if(u, Phase::run, "rds.storage.single-az." + q.rds_storage_type,
         q.rds_storage_gb * q.rds_replica_instance_hours / kHoursPerMonth, "GB-month",
         "read replicas: " + fmt(q.rds_storage_gb) + " GB each");
  add_if(u, Phase::run, "alb.hour", q.alb_hours, "ALB-hour", "");
  add_if(u, Phase::run, "alb.lcu-hour", q.alb_lcu_hours, "LCU-hour", "");
  add_if(u, Phase::run, "nat.hour", q.nat_gateway_hours, "NAT-gateway-hour", "");
  add_if(u, Phase::run, "nat.gb-processed", q.nat_processed_gb, "GB", "");
  add_if(u, Phase::run, "cloudfront.gb-out", q.cloudfront_gb, "GB", "");
  add_if(u, Phase::run, "cloudfront.https-10k", q.cloudfront_https_requests / 1e4, "10,000 requests",
         fmt(q.cloudfront_https_requests) + " requests");
  add_if(u, Phase::run, "s3.standard.gb-month", q.s3_storage_gb * months, "GB-month", fmt(q.s3_storage_gb) + " GB");
  add_if(u, Phase::run, "s3.standard.put-1k", q.s3_put_requests / 1e3, "1,000 requests",
         fmt(q.s3_put_requests) + " requests");
  add_if(u, Phase::run, "s3.standard.get-1k", q.s3_get_requests / 1e3, "1,000 requests",
         fmt(q.s3_get_requests) + " requests");
  add_if(u, Phase::run, "transfer.internet-out.gb", q.internet_out_gb, "GB", "first 100 GB/month free not deducted");
  add_if(u, Phase::run, "transfer.inter-az.gb", 2 * q.inter_az_gb, "GB",
         fmt(q.inter_az_gb) + " GB crossing AZs, billed out and in");
  add_if(u, Phase::run, "route53.hosted-zone-month", q.route53_hosted_zones * months, "hosted-zone-month",
         fmt(q.route53_hosted_zones) + " zones");
  add_if(u, Phase::run, "route53.million-queries", q.route53_queries / 1e6, "million queries",
         fmt(q.route53_queries) + " queries");
  add_if(u, Phase::run, "cloudwatch.metric-month", q.cloudwatch_metrics * months, "metric-month",
         fmt(q.cloudwatch_metrics) + " metrics");
  add_if(u, Phase::run, "cloudwatch.alarm-month", q.cloudwatch_alarms * months, "alarm-month",
         fmt(q.cloudwatch_alarms) + " alarms");
  add_if(u, Phase::run, "waf.web-acl-month", q.waf_web_acls * months, "web-ACL-month", fmt(q.waf_web_acls) + " web ACLs");
  add_if(u, Phase::run, "waf.rule-month", q.waf_rules * months, "rule-month", fmt(q.waf_rules) + " rules");
  add_if(u, Phase::run, "waf.million-requests", q.waf_requests / 1e6, "million requests",
         fmt(q.waf_requests) + " requests");
  add_if(u, Phase::run, "sns.million-requests", q.sns_requests / 1e6, "million requests", fmt(q.sns_requests) + " publishes");
  add_if(u, Phase::run, "sns.email-100k", q.sns_email_notifications / 1e5, "100,000 notifications",
         fmt(q.sns_email_notifications) + " emails");
  // The first trail's management events are free, each further trail pays for its copy: the line is
  // listed (at $0 for one trail) so the bill shows CloudTrail is there.
  if (q.cloudtrail_trails > 0)
    u.add(Phase::run, "cloudtrail.management-events-100k",
          std::max(0.0, q.cloudtrail_trails - 1) * q.cloudtrail_management_events / 1e5, "100,000 events",
          fmt(q.cloudtrail_trails) + " trails of " + fmt(q.cloudtrail_management_events) +
              " management events, the first free");
  add_if(u, Phase::run, "cloudtrail.data-events-100k", q.cloudtrail_data_events / 1e5, "100,000 events",
         fmt(q.cloudtrail_data_events) + " data events");
  add_if(u, Phase::run, "kms.key-month", q.kms_keys * months, "key-month", fmt(q.kms_keys) + " customer managed keys");
  add_if(u, Phase::run, "kms.requests-10k", q.kms_requests / 1e4, "10,000 requests", fmt(q.kms_requests) + " requests");
  add_if(u, Phase::run, "secretsmanager.secret-month", q.secrets * months, "secret-month", fmt(q.secrets) + " secrets");
  add_if(u, Phase::run, "secretsmanager.api-10k", q.secrets_api_calls / 1e4, "10,000 API calls",
         fmt(q.secrets_api_calls) + " calls");
  add_if(u, Phase::run, "ecr.gb-month", q.ecr_storage_gb * months, "GB-month", fmt(q.ecr_storage_gb) + " GB of images");
  add_if(u, Phase::run, "amp.samples-10m", q.amp_samples / 1e7, "10 million samples", fmt(q.amp_samples) + " samples");
  add_if(u, Phase::run, "amp.storage.gb-month", q.amp_storage_gb * months, "GB-month", fmt(q.amp_storage_gb) + " GB");
  add_if(u, Phase::run, "amp.query-billion-samples", q.amp_query_samples / 1e9, "billion samples",
         fmt(q.amp_query_samples) + " samples queried");
  add_if(u, Phase::run, "amg.editor-month", q.amg_editors * months, "user-month", fmt(q.amg_editors) + " editors");
  add_if(u, Phase::run, "amg.viewer-month", q.amg_viewers * months, "user-month", fmt(q.amg_viewers) + " viewers");
}

}  // namespace

Usage migration_usage(const MigrationQuantities& q)
{
  Usage u;
  const auto m = Phase::migration;
  add_if(u, m, "dms.serverless.dcu-hour", q.dms_dcu_hours, "DCU-hour", "");
  for (size_t i = 0; i < q.mgn_server_hours.size(); ++i)
    u.add(m, "mgn.server-hour", q.mgn_server_hours[i], "server-hour",
          "source server " + std::to_string(i + 1) + " of " + std::to_string(q.mgn_server_hours.size()));
  add_if(u, m, "ec2." + q.replication_server_type, q.replication_server_instance_hours, "instance-hour",
         "MGN replication servers");
  add_if(u, m, "ebs." + q.staging_ebs_type, q.staging_ebs_gb_months, "GB-month", "MGN staging volumes");
  add_if(u, m, "ec2." + q.test_instance_type, q.test_instance_hours, "instance-hour", "MGN test launches");
  add_if(u, m, "ebs." + q.test_ebs_type, q.test_ebs_gb_months, "GB-month", "MGN test instances' volumes");
  add_if(u, m, "vpn.connection-hour", q.vpn_connection_hours, "connection-hour", "");
  add_if(u, m, "transfer.internet-out.gb", q.internet_out_gb, "GB", "first 100 GB/month free not deducted");
  add_if(u, m, "transfer.inter-az.gb", 2 * q.inter_az_gb, "GB", fmt(q.inter_az_gb) + " GB crossing AZs, billed out and in");
  return u;
}

Usage asis_usage(const AsIsQuantities& q)
{
  Usage u;
  add_fleet(u, q.ec2, "Auto Scaling group");
  add_shared(u, q.shared);
  return u;
}

Usage eks_usage(const EksQuantities& q)
{
  Usage u;
  add_if(u, Phase::run, "eks.cluster-hour", q.cluster_hours, "cluster-hour", "control plane");
  add_fleet(u, q.nodes, "EKS nodes");
  add_shared(u, q.shared);
  add_if(u, Phase::run, "efs.standard.gb-month", q.efs_storage_gb * q.shared.hours / kHoursPerMonth, "GB-month",
         fmt(q.efs_storage_gb) + " GB stored");
  add_if(u, Phase::run, "efs.elastic.read-gb", q.efs_read_gb, "GB", "Elastic throughput");
  add_if(u, Phase::run, "efs.elastic.write-gb", q.efs_write_gb, "GB", "Elastic throughput");
  return u;
}

Bill migration_estimate(const PriceTable& prices, const MigrationQuantities& q)
{
  return compute(prices, migration_usage(q), q.hours);
}

Bill asis_monthly_estimate(const PriceTable& prices, const AsIsQuantities& q)
{
  return compute(prices, asis_usage(q), q.shared.hours);
}

Bill eks_monthly_estimate(const PriceTable& prices, const EksQuantities& q)
{
  return compute(prices, eks_usage(q), q.shared.hours);
}

}  // namespace migsim::models::cost
