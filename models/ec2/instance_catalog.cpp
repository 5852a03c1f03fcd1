#include "models/ec2/instance_catalog.hpp"

#include "ec2/default_instance_types.hpp"
#include "sim/json_reader.hpp"

#include <stdexcept>

namespace migsim::models::ec2 {

namespace {

// Keeps catalogue keys out of the scenario key table (sim::field_docs documents scenario keys).
class FieldDocsGuard {
public:
  FieldDocsGuard() : saved_(sim::field_docs()) {}
  ~FieldDocsGuard() { sim::field_docs() = std::move(saved_); }
  FieldDocsGuard(const FieldDocsGuard&) = delete;
  FieldDocsGuard& operator=(const FieldDocsGuard&) = delete;

private:
  std::map<std::string, sim::FieldDoc> saved_;
};

}  // namespace

const InstanceType& InstanceCatalog::at(const std::string& name) const
{
  auto it = types.find(name);
  if (it == types.end()) {
    std::string known;
    for (const auto& [n, t] : types)
      known += (known.empty() ? "" : ", ") + n;
    throw std::out_of_range("unknown instance type \"" + name + "\" (the catalogue has " + known + ")");
  }
  return it->second;
}

std::vector<std::string> InstanceCatalog::names() const
{
  std::vector<std::string> out;
  for (const auto& [n, t] : types)
    out.push_back(n);
  return out;
}

InstanceCatalog parse_instance_catalog(const nlohmann::json& doc, const std::string& origin)
{
  FieldDocsGuard guard;
  sim::ObjectReader r(doc, "");
  InstanceCatalog c;
  c.region = r.string("region", {.help = "region of the prices"});
  c.as_of = r.string("as_of", {.help = "date the figures are believed valid on"});
  c.source = r.string("source", {.help = "where the figures come from"});
  c.surplus_usd_per_vcpu_hour = r.number("unlimited_surplus_usd_per_vcpu_hour", {.min = 0, .unit = "USD"});
  const auto* types = r.raw("types", "object", "type name -> figures");
  if (!types || !types->is_object() || types->empty())
    throw sim::InputError("/types", "must be a non-empty object (" + origin + ")");
  for (auto it = types->begin(); it != types->end(); ++it) {
    sim::ObjectReader t(*it, "/types/" + it.key());
    InstanceType x;
    x.name = it.key();
    x.vcpu = static_cast<int>(t.integer("vcpu", {.min = 1, .max = 448, .unit = "vCPU"}));
    x.memory_gib = t.number("memory_gib", {.min = 0, .unit = "GiB", .exclusive_min = true});
    x.network_gbps = t.number("network_gbps", {.min = 0, .unit = "Gbit/s", .exclusive_min = true});
    x.network_burst = t.boolean("network_burst", {.def = false});
    x.usd_per_hour = t.number("usd_per_hour", {.min = 0, .unit = "USD"});
    x.baseline_fraction = t.number("baseline_pct", {.def = 0.0, .min = 0, .max = 100, .unit = "%"}) / 100.0;
    x.credits_per_hour = t.number("credits_per_hour", {.def = 0.0, .min = 0, .unit = "credits/h"});
    if ((x.baseline_fraction > 0) != (x.credits_per_hour > 0))
      throw sim::InputError("/types/" + it.key(), "a burstable type needs both baseline_pct and credits_per_hour");
    // Credits per hour = vCPUs x baseline x 60 minutes, by definition of a credit.
    if (x.burstable() && std::abs(x.credits_per_hour - x.vcpu * x.baseline_fraction * 60.0) > 1e-6)
      throw sim::InputError("/types/" + it.key() + "/credits_per_hour",
                            "must equal vcpu x baseline x 60 (" + sim::format_number(x.vcpu * x.baseline_fraction * 60) +
                                ")");
    t.finish();
    c.types[x.name] = x;
  }
  r.finish();
  return c;
}

const InstanceCatalog& default_instance_catalog()
{
  static const InstanceCatalog catalog =
      parse_instance_catalog(nlohmann::json::parse(kDefaultInstanceTypesJson), "built-in instance_types.json");
  return catalog;
}

}  // namespace migsim::models::ec2
