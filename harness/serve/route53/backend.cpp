#include "harness/serve/route53/backend.hpp"

#include "harness/serve/core/serve_context.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace migsim::harness::serve::route53 {

namespace {

const std::set<std::string> kRecordTypes = {"A", "AAAA", "CAA", "CNAME", "DS", "MX", "NAPTR", "NS",
                                            "PTR", "SOA", "SPF", "SRV", "TXT"};
const std::set<std::string> kHealthCheckTypes = {"HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"};
constexpr double kPropagationMin_s = 10.0, kPropagationMax_s = 60.0;  // models/route53 DnsSettings defaults

// A DNS name in canonical form: lower case with the trailing dot.
std::string fqdn(std::string name)
{
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name.empty() || name.back() != '.')
    name += '.';
  return name;
}

// Strips "/hostedzone/", "/change/" or "/healthcheck/" (boto3 strips it, raw callers may not).
std::string bare_id(std::string id)
{
  const auto slash = id.rfind('/');
  return slash == std::string::npos ? id : id.substr(slash + 1);
}

// A required string member.
std::string str(const json& in, const char* key)
{
  if (!in.contains(key) || !in[key].is_string() || in[key].get<std::string>().empty())
    throw Route53Error{"InvalidInput", std::string(key) + " is required"};
  return in[key];
}

// An optional integer given as a number or a string (rest-xml MaxItems is a string).
long integer(const json& in, const char* key, long def)
{
  if (!in.contains(key))
    return def;
  try {
    return in[key].is_number() ? in[key].get<long>() : std::stol(in[key].get<std::string>());
  } catch (...) {
    throw Route53Error{"InvalidInput", std::string(key) + " must be an integer"};
  }
}

// Route 53 lists records in DNS order: labels compared right to left.
std::string reversed_labels(const std::string& name)
{
  std::vector<std::string> labels;
  size_t from = 0;
  for (size_t dot; (dot = name.find('.', from)) != std::string::npos; from = dot + 1)
    labels.push_back(name.substr(from, dot - from));
  std::string out;
  for (auto it = labels.rbegin(); it != labels.rend(); ++it)
    out += *it + '.';
  return out;
}

// The identity of a record set: name, type and set identifier.
std::string record_key(const json& r)
{
  return reversed_labels(r["Name"].get<std::string>()) + " " + r["Type"].get<std::string>() + " " +
         r.value("SetIdentifier", std::string());
}

// "[name='x', type='A']" as Route 53 names a record set in its errors.
std::string record_label(const json& r)
{
  std::string s = "[name='" + r["Name"].get<std::string>() + "', type='" + r["Type"].get<std::string>() + "'";
  if (r.contains("SetIdentifier"))
    s += ", set-identifier='" + r["SetIdentifier"].get<std::string>() + "'";
  return s + "]";
}

// Validates a ResourceRecordSet of a change and returns it in canonical form.
json canonical_record(const json& in, const std::string& zone_name)
{
  if (!in.is_object())
    throw Route53Error{"InvalidInput", "ResourceRecordSet is required"};
  json r = in;
  r["Name"] = fqdn(str(in, "Name"));
  const std::string type = str(in, "Type");
  if (!kRecordTypes.count(type))
    throw Route53Error{"InvalidInput", "Type '" + type + "' is not a valid record type"};
  const std::string name = r["Name"];
  if (name != zone_name && (name.size() <= zone_name.size() ||
                            name.compare(name.size() - zone_name.size() - 1, std::string::npos, "." + zone_name) != 0))
    throw Route53Error{"InvalidChangeBatch", "RRSet with DNS name " + name + " is not permitted in zone " + zone_name};
  const bool weighted = r.contains("Weight"), failover = r.contains("Failover");
  if ((weighted || failover) && !r.contains("SetIdentifier"))
    throw Route53Error{"InvalidChangeBatch", "Invalid request: Missing field 'SetIdentifier' in Change with [Action=..., Name=" +
                                                 name + ", Type=" + type + "]"};
  if (r.contains("SetIdentifier") && !weighted && !failover)
    throw Route53Error{"InvalidChangeBatch", "Invalid request: a SetIdentifier needs a routing policy (Weight or Failover)"};
  if (weighted) {
    const long w = integer(r, "Weight", 0);
    if (w < 0 || w > 255)
      throw Route53Error{"InvalidInput", "Weight must be from 0 to 255"};
    r["Weight"] = w;
  }
  if (failover && r["Failover"] != "PRIMARY" && r["Failover"] != "SECONDARY")
    throw Route53Error{"InvalidInput", "Failover must be PRIMARY or SECONDARY"};
  const bool alias = r.contains("AliasTarget");
  if (alias == r.contains("ResourceRecords"))
    throw Route53Error{"InvalidChangeBatch", "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]], "
                                             "but found " + std::string(alias ? "more than one" : "none") + " in Change with [Name=" + name + ", Type=" + type + "]"};
  if (!alias) {
    if (!r.contains("TTL"))
      throw Route53Error{"InvalidChangeBatch", "Invalid request: TTL is required with ResourceRecords for " + name};
    const long ttl = integer(r, "TTL", 0);
    if (ttl < 0 || ttl > 2147483647)
      throw Route53Error{"InvalidInput", "TTL must be from 0 to 2147483647"};
    r["TTL"] = ttl;
    if (!r["ResourceRecords"].is_array() || r["ResourceRecords"].empty())
      throw Route53Error{"InvalidChangeBatch", "ResourceRecords must hold at least one record"};
    for (const json& v : r["ResourceRecords"])
      if (!v.is_object() || !v.contains("Value") || !v["Value"].is_string())
        throw Route53Error{"InvalidInput", "each ResourceRecord needs a Value"};
    if (type == "CNAME" && r["ResourceRecords"].size() > 1)
      throw Route53Error{"InvalidChangeBatch", "RRSet of type CNAME with DNS name " + name + " is not permitted to have more than one value"};
  } else {
    r["AliasTarget"]["DNSName"] = fqdn(str(r["AliasTarget"], "DNSName"));
    str(r["AliasTarget"], "HostedZoneId");
    json& eth = r["AliasTarget"]["EvaluateTargetHealth"];
    eth = eth.is_null() ? json(false) : eth.is_string() ? json(eth == "true") : eth;
  }
  return r;
}

}  // namespace

std::string site_address(int site) { return "192.0.2." + std::to_string(10 + site); }
std::string site_alias(const std::string& site_name) { return fqdn(site_name + ".migsim.internal"); }

Backend::Backend(uint64_t seed, std::optional<DnsHook> hook) : rng_(seed, "route53.api"), hook_(std::move(hook))
{
  if (!hook_)
    return;
  // The company's zone exists before the rehearsal, with the record pointing on-prem.
  const std::string record = fqdn(hook_->record);
  const auto dot = record.find('.');
  const std::string zone_name = dot + 1 < record.size() ? record.substr(dot + 1) : record;
  json z = create_hosted_zone({{"Name", zone_name}, {"CallerReference", "migsim-migration-zone"},
                               {"HostedZoneConfig", {{"Comment", "the migration's zone (scenario migration.dns_record)"}}}},
                              0);
  Zone& zone = zones_.at(bare_id(z["HostedZone"]["Id"]));
  zone.records.push_back({{"Name", record},
                          {"Type", "A"},
                          {"TTL", static_cast<long>(hook_->ttl_s)},
                          {"ResourceRecords", json::array({{{"Value", site_address(hook_->initial_site)}}})}});
  changes_.clear();
  counter_ = 0;
}

std::string Backend::next_id(const char* prefix, int digits)
{
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string id = prefix;
  for (int i = 0; i < digits; ++i)
    id += kAlphabet[rng_.next_u64() % 36];
  ++counter_;
  return id;
}

const Backend::ChangeRecord& Backend::new_change(double now_s, std::string model_id)
{
  const double delay = rng_.uniform(kPropagationMin_s, kPropagationMax_s);
  changes_.push_back({next_id("C", 20), now_s, now_s + delay, std::move(model_id)});
  return changes_.back();
}

json Backend::change_info(const ChangeRecord& c, double now_s) const
{
  std::string status = now_s >= c.insync_s ? "INSYNC" : "PENDING";
  if (!c.model_id.empty() && hook_ && hook_->status)
    status = hook_->status(c.model_id);
  return {{"Id", "/change/" + c.id}, {"Status", status}, {"SubmittedAt", epoch_s(c.submitted_s)}};
}

Backend::Zone& Backend::zone(const json& in, const char* key)
{
  return const_cast<Zone&>(static_cast<const Backend*>(this)->zone(in, key));
}

const Backend::Zone& Backend::zone(const json& in, const char* key) const
{
  const std::string id = bare_id(str(in, key));
  auto it = zones_.find(id);
  if (it == zones_.end())
    throw Route53Error{"NoSuchHostedZone", "No hosted zone found with ID: " + id, 404};
  return it->second;
}

json Backend::zone_json(const Zone& z) const
{
  return {{"Id", "/hostedzone/" + z.id},
          {"Name", z.name},
          {"CallerReference", z.caller_reference},
          {"Config", {{"Comment", z.comment}, {"PrivateZone", z.private_zone}}},
          {"ResourceRecordSetCount", static_cast<long>(z.records.size())}};
}

json Backend::create_hosted_zone(const json& in, double now_s)
{
  const std::string name = fqdn(str(in, "Name"));
  const std::string ref = str(in, "CallerReference");
  for (const auto& [id, z] : zones_)
    if (z.caller_reference == ref)
      throw Route53Error{"HostedZoneAlreadyExists", "A hosted zone has already been created with the specified caller reference.", 409};
  Zone z;
  z.id = next_id("Z", 13);
  z.name = name;
  z.caller_reference = ref;
  if (in.contains("HostedZoneConfig")) {
    z.comment = in["HostedZoneConfig"].value("Comment", std::string());
    const json& p = in["HostedZoneConfig"].value("PrivateZone", json(false));
    z.private_zone = p.is_boolean() ? p.get<bool>() : p == "true";
  }
  const json ns = {"ns-2048.awsdns-64.com.", "ns-2049.awsdns-65.net.", "ns-2050.awsdns-66.org.", "ns-2051.awsdns-67.co.uk."};
  json ns_records = json::array();
  for (const auto& n : ns)
    ns_records.push_back({{"Value", n}});
  z.records.push_back({{"Name", name}, {"Type", "NS"}, {"TTL", 172800}, {"ResourceRecords", ns_records}});
  z.records.push_back({{"Name", name}, {"Type", "SOA"}, {"TTL", 900},
                       {"ResourceRecords", json::array({{{"Value", "ns-2048.awsdns-64.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}}})}});
  const std::string id = z.id;
  zones_.emplace(id, std::move(z));
  const ChangeRecord& c = new_change(now_s);
  return {{"HostedZone", zone_json(zones_.at(id))},
          {"ChangeInfo", change_info(c, now_s)},
          {"DelegationSet", {{"NameServers", ns}}},
          {"Location", "https://route53.amazonaws.com/2013-04-01/hostedzone/" + id}};
}

json Backend::get_hosted_zone(const json& in) const
{
  const Zone& z = zone(in);
  return {{"HostedZone", zone_json(z)},
          {"DelegationSet", {{"NameServers", {"ns-2048.awsdns-64.com.", "ns-2049.awsdns-65.net.", "ns-2050.awsdns-66.org.",
                                               "ns-2051.awsdns-67.co.uk."}}}}};
}

json Backend::list_hosted_zones(const json& in) const
{
  const long max_items = integer(in, "MaxItems", 100);
  std::vector<const Zone*> sorted;
  for (const auto& [id, z] : zones_)
    sorted.push_back(&z);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Zone* a, const Zone* b) {
    return std::make_pair(reversed_labels(a->name), a->id) < std::make_pair(reversed_labels(b->name), b->id);
  });
  const std::string marker = in.value("Marker", std::string());
  json items = json::array();
  bool started = marker.empty(), truncated = false;
  std::string next;
  for (const Zone* z : sorted) {
    if (!started && z->id == marker)
      started = true;
    if (!started)
      continue;
    if (static_cast<long>(items.size()) == max_items) {
      truncated = true;
      next = z->id;
      break;
    }
    items.push_back(zone_json(*z));
  }
  json out = {{"HostedZones", items}, {"IsTruncated", truncated}, {"MaxItems", std::to_string(max_items)}};
  if (!marker.empty())
    out["Marker"] = marker;
  if (truncated)
    out["NextMarker"] = next;
  return out;
}

json Backend::delete_hosted_zone(const json& in, double now_s)
{
  const Zone& z = zone(in);
  for (const json& r : z.records)
    if (!((r["Type"] == "NS" || r["Type"] == "SOA") && r["Name"] == z.name))
      throw Route53Error{"HostedZoneNotEmpty", "The specified hosted zone contains non-required resource record sets and so cannot be deleted."};
  zones_.erase(z.id);
  return {{"ChangeInfo", change_info(new_change(now_s), now_s)}};
}

int Backend::site_of(const json& r) const
{
  if (!hook_ || r["Name"] != fqdn(hook_->record) || r.contains("SetIdentifier"))
    return -1;
  if (r.contains("AliasTarget")) {
    for (size_t i = 0; i < hook_->sites.size(); ++i)
      if (r["AliasTarget"]["DNSName"] == site_alias(hook_->sites[i]))
        return static_cast<int>(i);
    return -1;
  }
  if (r["ResourceRecords"].size() != 1)
    return -1;
  const std::string v = r["ResourceRecords"][0]["Value"];
  for (size_t i = 0; i < hook_->sites.size(); ++i)
    if (v == site_address(static_cast<int>(i)) || fqdn(v) == site_alias(hook_->sites[i]))
      return static_cast<int>(i);
  return -1;
}

json Backend::change_resource_record_sets(const json& in, double now_s)
{
  Zone& z = zone(in, "HostedZoneId");
  if (!in.contains("ChangeBatch") || !in["ChangeBatch"].contains("Changes") || !in["ChangeBatch"]["Changes"].is_array() ||
      in["ChangeBatch"]["Changes"].empty())
    throw Route53Error{"InvalidInput", "ChangeBatch.Changes must hold at least one change"};
  // Applied to a copy: the batch is atomic.
  std::vector<json> records = z.records;
  std::set<std::string> touched;
  int moved_site = -1;
  for (const json& change : in["ChangeBatch"]["Changes"]) {
    const std::string action = str(change, "Action");
    if (action != "CREATE" && action != "UPSERT" && action != "DELETE")
      throw Route53Error{"InvalidInput", "Action must be CREATE, DELETE or UPSERT, got '" + action + "'"};
    const json r = canonical_record(change.value("ResourceRecordSet", json()), z.name);
    const std::string key = record_key(r);
    if (!touched.insert(key).second)
      throw Route53Error{"InvalidChangeBatch", "The request contains more than one change for " + record_label(r)};
    auto it = std::find_if(records.begin(), records.end(), [&](const json& x) { return record_key(x) == key; });
    if (action == "CREATE") {
      if (it != records.end())
        throw Route53Error{"InvalidChangeBatch", "Tried to create resource record set " + record_label(r) + " but it already exists"};
      records.push_back(r);
    } else if (action == "UPSERT") {
      if (it != records.end())
        *it = r;
      else
        records.push_back(r);
    } else {
      if (it == records.end())
        throw Route53Error{"InvalidChangeBatch", "Tried to delete resource record set " + record_label(r) + " but it was not found"};
      if (*it != r)
        throw Route53Error{"InvalidChangeBatch", "Tried to delete resource record set " + record_label(r) +
                                                     " but the values provided do not match the current values"};
      if ((r["Type"] == "SOA" || r["Type"] == "NS") && r["Name"] == z.name)
        throw Route53Error{"InvalidChangeBatch", "A HostedZone must contain exactly one SOA and one NS record set at its apex"};
      records.erase(it);
    }
    if (action != "DELETE" && site_of(r) >= 0)
      moved_site = site_of(r);
  }
  z.records = std::move(records);
  std::string model_id;
  if (moved_site >= 0 && hook_->upsert)
    model_id = hook_->upsert(moved_site);
  return {{"ChangeInfo", change_info(new_change(now_s, model_id), now_s)}};
}

json Backend::list_resource_record_sets(const json& in) const
{
  const Zone& z = zone(in, "HostedZoneId");
  const long max_items = integer(in, "MaxItems", 300);
  std::vector<json> sorted = z.records;
  std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) { return record_key(a) < record_key(b); });
  std::string start;
  if (in.contains("StartRecordName"))
    start = reversed_labels(fqdn(in["StartRecordName"])) + " " + in.value("StartRecordType", std::string());
  json items = json::array();
  json out = {{"IsTruncated", false}, {"MaxItems", std::to_string(max_items)}};
  for (const json& r : sorted) {
    if (!start.empty() && record_key(r) < start)
      continue;
    if (static_cast<long>(items.size()) == max_items) {
      out["IsTruncated"] = true;
      out["NextRecordName"] = r["Name"];
      out["NextRecordType"] = r["Type"];
      if (r.contains("SetIdentifier"))
        out["NextRecordIdentifier"] = r["SetIdentifier"];
      break;
    }
    items.push_back(r);
  }
  out["ResourceRecordSets"] = items;
  return out;
}

json Backend::get_change(const json& in, double now_s) const
{
  const std::string id = bare_id(str(in, "Id"));
  for (const auto& c : changes_)
    if (c.id == id)
      return {{"ChangeInfo", change_info(c, now_s)}};
  throw Route53Error{"NoSuchChange", "A change with the specified change ID does not exist: " + id, 404};
}

json Backend::create_health_check(const json& in)
{
  const std::string ref = str(in, "CallerReference");
  if (!in.contains("HealthCheckConfig") || !in["HealthCheckConfig"].is_object())
    throw Route53Error{"InvalidInput", "HealthCheckConfig is required"};
  json cfg = in["HealthCheckConfig"];
  const std::string type = str(cfg, "Type");
  if (!kHealthCheckTypes.count(type))
    throw Route53Error{"InvalidInput", "HealthCheckConfig.Type '" + type + "' is not simulated (HTTP, HTTPS, *_STR_MATCH, TCP)"};
  if (auto it = hc_by_reference_.find(ref); it != hc_by_reference_.end()) {
    if (health_checks_.at(it->second)["HealthCheckConfig"] != cfg)
      throw Route53Error{"HealthCheckAlreadyExists", "A health check with caller reference " + ref + " already exists with another configuration", 409};
    return {{"HealthCheck", health_checks_.at(it->second)}};
  }
  if (!cfg.contains("IPAddress") && !cfg.contains("FullyQualifiedDomainName"))
    throw Route53Error{"InvalidInput", "HealthCheckConfig needs IPAddress or FullyQualifiedDomainName"};
  cfg["RequestInterval"] = integer(cfg, "RequestInterval", 30);
  cfg["FailureThreshold"] = integer(cfg, "FailureThreshold", 3);
  if (cfg["RequestInterval"] != 10 && cfg["RequestInterval"] != 30)
    throw Route53Error{"InvalidInput", "RequestInterval must be 10 or 30"};
  cfg["Port"] = integer(cfg, "Port", type.rfind("HTTPS", 0) == 0 ? 443 : 80);
  const std::string id = next_id("", 8) + "-0000-4000-8000-" + next_id("", 12);
  std::string lower = id;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  json hc = {{"Id", lower}, {"CallerReference", ref}, {"HealthCheckConfig", cfg}, {"HealthCheckVersion", 1}};
  health_checks_[lower] = hc;
  hc_by_reference_[ref] = lower;
  return {{"HealthCheck", hc}, {"Location", "https://route53.amazonaws.com/2013-04-01/healthcheck/" + lower}};
}

json Backend::get_health_check(const json& in) const
{
  const std::string id = bare_id(str(in, "HealthCheckId"));
  auto it = health_checks_.find(id);
  if (it == health_checks_.end())
    throw Route53Error{"NoSuchHealthCheck", "No health check exists with the specified ID " + id, 404};
  return {{"HealthCheck", it->second}};
}

json Backend::list_health_checks(const json& in) const
{
  const long max_items = integer(in, "MaxItems", 100);
  json items = json::array();
  for (const auto& [id, hc] : health_checks_)
    if (static_cast<long>(items.size()) < max_items)
      items.push_back(hc);
  return {{"HealthChecks", items},
          {"Marker", in.value("Marker", std::string())},
          {"IsTruncated", static_cast<long>(health_checks_.size()) > max_items},
          {"MaxItems", std::to_string(max_items)}};
}

json Backend::delete_health_check(const json& in)
{
  const std::string id = bare_id(str(in, "HealthCheckId"));
  auto it = health_checks_.find(id);
  if (it == health_checks_.end())
    throw Route53Error{"NoSuchHealthCheck", "No health check exists with the specified ID " + id, 404};
  hc_by_reference_.erase(it->second["CallerReference"].get<std::string>());
  health_checks_.erase(it);
  return json::object();
}

}  // namespace migsim::harness::serve::route53
