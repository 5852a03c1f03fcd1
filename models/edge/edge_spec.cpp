#include "models/edge/edge_spec.hpp"

#include "sim/json_reader.hpp"

#include <algorithm>

namespace migsim::models::edge {

EdgeSettings parse_edge(const nlohmann::json& section, const std::string& path, const sim::Scenario& sc)
{
  EdgeSettings s;
  sim::ObjectReader r(section, path);
  s.edge_latency_ms = r.number("edge_latency_ms", {.def = 15, .min = 0, .max = 10000, .unit = "ms",
                                                   .help = "Time to answer from the edge (client round trip and "
                                                           "edge processing; not published: parameter)."});
  s.s3_fetch_ms = r.number("s3_fetch_ms", {.def = 40, .min = 0, .max = 10000, .unit = "ms",
                                           .help = "Added by an edge miss fetched from the S3 origin."});
  s.edge_locations = static_cast<int>(r.integer("edge_locations", {.def = 8, .min = 1, .max = 1000, .unit = "locations",
                                                                   .help = "Edge locations sharing the traffic "
                                                                           "evenly (each caches on its own)."}));
  if (auto w = r.object("waf", false, "AWS WAF web ACL on the distribution.")) {
    s.waf = w->boolean("enabled", {.def = true, .help = "A web ACL is attached."});
    s.malicious_share = w->number("malicious_share", {.def = 0, .min = 0, .max = 1, .unit = "share",
                                                      .help = "Share of all arriving requests that are attack "
                                                              "traffic (bots, scanners, credential stuffing)."});
    s.waf_block_share = w->number("block_share", {.def = 1, .min = 0, .max = 1, .unit = "share",
                                                  .help = "Of those, the share the rules block at the edge; the "
                                                          "rest reach the origin as ordinary requests."});
    s.waf_rules = static_cast<int>(w->integer("rules", {.def = 5, .min = 0, .max = 100, .unit = "rules",
                                                        .help = "Rules and rule groups in the web ACL (billed)."}));
    w->finish();
  } else {
    s.waf = false;
  }
  if (const auto* classes = r.array("classes", false, "Request classes cached at the edge (others pass to the ALB).")) {
    sim::for_each_object(*classes, r.path_of("classes"), [&](sim::ObjectReader& c, size_t) {
      EdgeClassSpec k;
      k.request_class = c.string("class", {.help = "A workload class name."});
      if (std::none_of(sc.workload.classes.begin(), sc.workload.classes.end(),
                       [&](const sim::RequestClassSpec& x) { return x.name == k.request_class; }))
        throw sim::InputError(c.path_of("class"), "unknown request class \"" + k.request_class + "\"");
      const auto* cls = &*std::find_if(sc.workload.classes.begin(), sc.workload.classes.end(),
                                       [&](const sim::RequestClassSpec& x) { return x.name == k.request_class; });
      k.origin = c.string("origin", {.def = std::string("s3"), .allowed = {"s3", "alb"},
                                     .help = "Where a miss is fetched: s3 (static assets) or alb (the estate)."}) == "s3"
                     ? Origin::s3
                     : Origin::alb;
      if (cls->is_write)
        throw sim::InputError(c.path_of("class"), "a write class cannot be cached");
      k.objects = static_cast<int>(c.integer("objects", {.def = 1000, .min = 1, .max = 10000000, .unit = "objects",
                                                         .help = "Distinct objects of the class."}));
      k.zipf_s = c.number("zipf_s", {.def = 0.8, .min = 0, .max = 3, .unit = "",
                                     .help = "Zipf popularity exponent of the objects."});
      k.ttl_s = c.number("ttl_s", {.def = 86400, .min = 0, .max = 31536000, .unit = "s",
                                   .help = "Cache TTL at the edge (Cache-Control max-age / default TTL)."});
      k.hit_ratio = c.optional_number("hit_ratio", {.min = 0, .max = 1, .unit = "share",
                                                    .help = "Stated hit ratio instead of the TTL-cache formula."});
      k.object_kb = c.number("object_kb", {.def = 0, .min = 0, .max = 1e7, .unit = "kB",
                                           .help = "Object size stored in S3 (0: the class's response_kb)."});
      s.classes.push_back(k);
    });
  }
  r.finish();
  return s;
}

EdgeRuntime::EdgeRuntime(const sim::Scenario& scenario, const nlohmann::json& section, const std::string& path,
                         RequestFlow& flow, sim::Registry& metrics)
    : scenario_(scenario)
{
  auto settings = parse_edge(section, path, scenario);
  // Mean request rate of each class over the run (users, and attack traffic that is not blocked).
  const double total = flow.profile().expected_arrivals(0.0, scenario.duration_s) / scenario.duration_s;
  const double reaching = 1.0 - (settings.waf ? settings.malicious_share * settings.waf_block_share : 0.0);
  double weights = 0;
  for (const auto& c : scenario.workload.classes)
    weights += c.weight;
  std::vector<std::string> names;
  std::vector<double> kb, rates;
  for (const auto& c : scenario.workload.classes) {
    names.push_back(c.name);
    kb.push_back(c.response_kb);
    rates.push_back(total * reaching * c.weight / weights);
  }
  cf_ = std::make_unique<CloudFront>(settings, names, kb, rates, sim::RandomStream(scenario.seed, "edge"));
  ts_blocked_ = &metrics.series("waf_blocked");
  ts_hits_ = &metrics.series("edge_answered");
  flow.at_edge = [this](double t, uint32_t cls) {
    const auto d = cf_->on_request(t, cls);
    using K = RequestFlow::EdgeVerdict::Kind;
    switch (d.kind) {
      case EdgeDecision::Kind::blocked: ts_blocked_->add(t, 1.0); return RequestFlow::EdgeVerdict{K::Blocked, 0.0};
      case EdgeDecision::Kind::answered: ts_hits_->add(t, 1.0); return RequestFlow::EdgeVerdict{K::Answered, d.latency_s};
      case EdgeDecision::Kind::origin: break;
    }
    return RequestFlow::EdgeVerdict{};
  };
}

std::map<std::string, double> EdgeRuntime::metrics(double t_end) const
{
  const auto& c = cf_->counters();
  std::map<std::string, double> m;
  m["edge_hit_ratio"] = c.hits + c.misses ? static_cast<double>(c.hits) / static_cast<double>(c.hits + c.misses) : 0.0;
  m["waf_blocked"] = static_cast<double>(c.blocked);
  m["waf_blocked_share"] = c.requests ? static_cast<double>(c.blocked) / static_cast<double>(c.requests) : 0.0;
  const auto bill = cost::compute(cost::default_price_table(), cf_->usage(t_end / 3600.0), t_end / 3600.0);
  m["edge_monthly_cost_usd"] = bill.monthly_run_rate_usd;
  return m;
}

nlohmann::json EdgeRuntime::report(double t_end) const
{
  const auto& c = cf_->counters();
  nlohmann::json j = {{"requests", c.requests},          {"hits", c.hits},
                      {"misses", c.misses},              {"s3_fetches", c.s3_fetches},
                      {"passed_to_alb", c.passed_to_alb}, {"malicious", c.malicious},
                      {"waf_blocked", c.blocked},        {"malicious_passed", c.malicious_passed},
                      {"gb_out", c.bytes_out / 1e9}};
  nlohmann::json classes = nlohmann::json::array();
  for (size_t i = 0; i < scenario_.workload.classes.size(); ++i)
    if (auto h = cf_->hit_ratio(static_cast<uint32_t>(i)))
      classes.push_back({{"class", scenario_.workload.classes[i].name}, {"hit_ratio", *h}});
  j["cached_classes"] = classes;
  const double hours = t_end / 3600.0;
  j["cost"] = cost::compute(cost::default_price_table(), cf_->usage(hours), hours).to_json();
  for (const auto& [k, v] : metrics(t_end))
    j["metrics"][k] = v;
  return j;
}

}  // namespace migsim::models::edge
