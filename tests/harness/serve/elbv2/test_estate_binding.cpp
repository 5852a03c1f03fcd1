// The estate built through the API carries the traffic (harness/serve/elbv2/estate_binding.cpp,
// models/aws/api_estate.cpp, docs/estate-from-api.md): routing by listener rules, the scenario's
// aws.from_api checks, and a live simulation whose load balancer, target groups, Auto Scaling groups
// and RDS instance are created through the serve registry as a client would, then carry the
// requests: tagged instances run their service, an untagged one runs nothing and gets no traffic,
// the database host follows the tagged RDS instance, target tracking scales on simulated CPU.
// The wire and the comparison with a scenario-declared estate: tests/e2e/test_serve_estate_from_api.py.
#include "harness/run/run_command.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/elbv2/backend.hpp"
#include "harness/serve/elbv2/estate_binding.hpp"
#include "models/aws/api_estate.hpp"
#include "sim/event_log.hpp"
#include "sim/json_reader.hpp"
#include "sim/scenario.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace migsim;
using namespace migsim::harness::serve;
using nlohmann::json;

namespace {

json app_doc()
{
  return json::parse(R"({
    "name": "estate-binding", "seed": 5, "duration_s": 3600,
    "platform": {
      "zones": [{"name": "internet"}, {"name": "onprem"}],
      "servers": [{"name": "web", "zone": "onprem", "cores": 2}, {"name": "db", "zone": "onprem", "cores": 2}],
      "links": [{"name": "uplink", "from_zone": "internet", "to_zone": "onprem"}],
      "services": [{"name": "nginx", "server": "web", "kind": "proxy", "workers": 100},
                   {"name": "front", "server": "web", "workers": 32},
                   {"name": "api", "server": "web", "workers": 32},
                   {"name": "mysql", "server": "db", "kind": "database", "workers": 100}]
    },
    "workload": {"client_zone": "internet", "base_rps": 20,
                 "classes": [{"name": "page", "weight": 1, "path": "/",
                              "stages": [{"service": "nginx", "cpu_ms": 0.3}, {"service": "front", "cpu_ms": 5}]},
                             {"name": "browse", "weight": 1, "path": "/api/items",
                              "stages": [{"service": "nginx", "cpu_ms": 0.3}, {"service": "api", "cpu_ms": 20},
                                         {"service": "mysql", "cpu_ms": 2}]}]},
    "events": [{"at_s": 1800, "action": "set_multiplier", "value": 12}],
    "aws": {
      "azs": ["us-east-1a", "us-east-1b"], "alb_replaces": ["nginx"],
      "from_api": {"entry_load_balancer": "shop", "hosts_per_az": 3, "instance_types": ["c6i.large"],
                   "services": [{"name": "front", "serves": ["front", "nginx"], "health_check_paths": ["/health"]},
                                {"name": "api", "health_check_paths": ["/api/health"]}]},
      "database": {"serves": ["mysql"]}
    }
  })");
}

json call(ServeContext& ctx, const std::string& service, const std::string& op, const json& in)
{
  const auto* e = registry().find(service, op);
  REQUIRE(e);
  return e->handler(in, ctx);
}

std::string load_error(const json& doc)
{
  try {
    harness::parse_full_scenario(doc, "t");
    return "";
  } catch (const migsim::sim::InputError& e) {
    return e.what();
  }
}

double series_total(harness::Simulation& sim, const std::string& name)
{
  const auto& all = sim.metrics().all_series();
  auto it = all.find(name);
  return it == all.end() ? -1.0 : it->second->total();
}

// What a client builds: load balancer "shop" (60 s to provision), target groups web (/health) and
// api (/api/health), listener with the rule /api/* -> api, launch template, groups web and api
// tagged migsim:service, an untagged group "stray" in the web target group, and the RDS instance
// tagged mysql. Returns the target group ARNs and the load balancer as CreateLoadBalancer answers it.
std::map<std::string, json> build_estate(ServeContext& ctx)
{
  ctx.state<elbv2::Store>().provisioning_s = 60;

  const json lb = call(ctx, "elbv2", "CreateLoadBalancer", {{"Name", "shop"}, {"Subnets", {"subnet-1", "subnet-2"}}})["LoadBalancers"][0];
  std::map<std::string, std::string> tg;
  for (const auto& [name, path] : {std::pair{"web", "/health"}, std::pair{"api", "/api/health"}})
    tg[name] = call(ctx, "elbv2", "CreateTargetGroup",
                    {{"Name", name}, {"Protocol", "HTTP"}, {"Port", 8080}, {"VpcId", lb["VpcId"]}, {"HealthCheckPath", path}})
                   ["TargetGroups"][0]["TargetGroupArn"];
  const std::string listener = call(ctx, "elbv2", "CreateListener",
                                    {{"LoadBalancerArn", lb["LoadBalancerArn"]}, {"Protocol", "HTTP"}, {"Port", 80},
                                     {"DefaultActions", json::array({{{"Type", "forward"}, {"TargetGroupArn", tg["web"]}}})}})["Listeners"][0]["ListenerArn"];
  call(ctx, "elbv2", "CreateRule", {{"ListenerArn", listener}, {"Priority", 10},
                                    {"Conditions", json::array({{{"Field", "path-pattern"}, {"Values", json::array({"/api/*"})}}})},
                                    {"Actions", json::array({{{"Type", "forward"}, {"TargetGroupArn", tg["api"]}}})}});
  call(ctx, "ec2", "CreateLaunchTemplate", {{"LaunchTemplateName", "app"}, {"LaunchTemplateData", {{"ImageId", "ami-1"}, {"InstanceType", "c6i.large"}}}});
  auto group = [&](const std::string& name, const std::string& service, const std::string& target_group, int desired) {
    json in = {{"AutoScalingGroupName", name}, {"LaunchTemplate", {{"LaunchTemplateName", "app"}}}, {"MinSize", desired},
               {"MaxSize", 4}, {"DesiredCapacity", desired}, {"AvailabilityZones", {"us-east-1a", "us-east-1b"}},
               {"TargetGroupARNs", json::array({target_group})}};
    if (!service.empty())
      in["Tags"] = json::array({{{"Key", "migsim:service"}, {"Value", service}, {"PropagateAtLaunch", true}}});
    call(ctx, "autoscaling", "CreateAutoScalingGroup", in);
  };
  group("web", "front", tg["web"], 2);
  group("api", "api", tg["api"], 2);
  group("stray", "", tg["web"], 1);  // no tag: runs nothing
  call(ctx, "rds", "CreateDBInstance", {{"DBInstanceIdentifier", "shop-db"}, {"DBInstanceClass", "db.m5.large"}, {"Engine", "mysql"},
                                        {"MasterUsername", "admin"}, {"MasterUserPassword", "secret123"}, {"AllocatedStorage", 100},
                                        {"Tags", json::array({{{"Key", "migsim:service"}, {"Value", "mysql"}}})}});

  std::map<std::string, json> out{{"lb", lb}};
  for (const auto& [k, v] : tg)
    out[k] = v;
  return out;
}

}  // namespace

TEST_CASE("estate binding: a path follows the rules by priority, then the default action", "[estatebinding]")
{
  using elbv2::Route;
  const std::vector<Route> routes = {{{"/api/cart/*"}, "cart"}, {{"/api/*", "/v?/x"}, "api"}, {{}, "web"}};
  CHECK(elbv2::route_path(routes, "/api/cart/add") == "cart");
  CHECK(elbv2::route_path(routes, "/api/orders") == "api");
  CHECK(elbv2::route_path(routes, "/v2/x") == "api");
  CHECK(elbv2::route_path(routes, "/static/app.js") == "web");
  CHECK(elbv2::route_path({{{"/api/*"}, "api"}}, "/") == "");  // no default route: nothing answers
  CHECK(elbv2::route_path({}, "/") == "");
}

TEST_CASE("estate binding: aws.from_api reserves hosts and checks class paths and services", "[estatebinding]")
{
  const auto sc = harness::parse_full_scenario(app_doc(), "t");
  // 2 services x 1 type x 2 AZs x 3 hosts, the ALB and the database.
  CHECK(std::count_if(sc.platform.servers.begin(), sc.platform.servers.end(),
                      [](auto& s) { return s.name.rfind("api-c6i.large-", 0) == 0; }) == 6);
  CHECK(sc.server("front-c6i.large-us-east-1b-3"));
  CHECK(sc.server("front-c6i.large-us-east-1b-3")->cores == 2);
  CHECK(sc.workload.classes[1].stages.size() == 3);  // alb, api (on the picked instance), database
  CHECK(sc.workload.classes[1].stages[1].on_target);

  json d = app_doc();
  d["workload"]["classes"][1].erase("path");
  CHECK(load_error(d).find("/workload/classes/1/path") != std::string::npos);
  d = app_doc();
  d["workload"]["classes"][0]["path"] = "api/x";
  CHECK(load_error(d).find("/workload/classes/0/path") != std::string::npos);
  d = app_doc();
  d["workload"]["classes"][0]["stages"].push_back({{"service", "api"}, {"cpu_ms", 1}});
  CHECK(load_error(d).find("an instance runs one service") != std::string::npos);
  d = app_doc();
  d["aws"]["tiers"] = json::array();
  CHECK(load_error(d).find("either aws.tiers or aws.from_api") != std::string::npos);
  d = app_doc();
  d["events"] = json::array({{{"at_s", 10}, {"action", "az_down"}, {"target", "us-east-1a"}}});
  CHECK(load_error(d).find("/events/0/action") != std::string::npos);
  d = app_doc();
  d["aws"]["from_api"]["instance_types"] = json::array({"t9.huge"});
  CHECK(load_error(d).find("/aws/from_api/instance_types/0") != std::string::npos);
}

TEST_CASE("estate binding: what the API builds carries the requests", "[estatebinding][aws]")
{
  const auto sc = harness::parse_full_scenario(app_doc(), "estate-binding");
  harness::Simulation sim(sc);
  ServeContext ctx{sim};
  elbv2::install_estate_binding(ctx);
  auto* estate = sim.api_estate();
  REQUIRE(estate);
  const auto built = build_estate(ctx);
  std::map<std::string, std::string> tg{{"web", built.at("web")}, {"api", built.at("api")}};

  // Before the database is available (RDS create: 480 s creating, then backing-up and reachable),
  // browse requests fail; pages do not need it.
  sim.advance_to(470);
  CHECK_FALSE(estate->database_up());
  const auto failed_early = sim.metrics().counter("requests_server_error{class=browse}");
  CHECK(failed_early > 0);
  sim.advance_to(1200);
  CHECK(estate->database_up());

  auto instances = [&](const std::string& name) {
    std::vector<std::string> out;
    const json groups = call(ctx, "autoscaling", "DescribeAutoScalingGroups", json::object());
    for (const auto& g : groups["AutoScalingGroups"])
      if (g["AutoScalingGroupName"] == name)
        for (const auto& i : g["Instances"])
          out.push_back(i["InstanceId"]);
    return out;
  };
  for (const auto& id : instances("api"))
    CHECK(estate->host_of(id).rfind("api-c6i.large-", 0) == 0);
  for (const auto& id : instances("web"))
    CHECK(estate->host_of(id).rfind("front-c6i.large-", 0) == 0);
  const std::string stray = instances("stray").at(0);
  CHECK(estate->host_of(stray).empty());
  const auto& log = migsim::sim::EventLog::instance().entries();
  CHECK(std::count_if(log.begin(), log.end(), [&](auto& e) { return e.message == stray + " runs nothing: no migsim:service tag (group stray)"; }) == 1);

  // The untagged instance never turns healthy; the tagged ones are, and DescribeTargetHealth says so.
  std::map<std::string, std::string> health;
  const json described = call(ctx, "elbv2", "DescribeTargetHealth", {{"TargetGroupArn", tg["web"]}});
  for (const auto& t : described["TargetHealthDescriptions"])
    health[t["Target"]["Id"]] = t["TargetHealth"]["State"];
  CHECK(health.size() == 3);
  CHECK(health[stray] == "unhealthy");
  CHECK(std::count_if(health.begin(), health.end(), [](auto& h) { return h.second == "healthy"; }) == 2);

  // From 900 s (everything up) the requests go through: both groups count requests, nothing fails.
  const auto errors_before = sim.metrics().counter("requests_server_error{class=browse}") + sim.metrics().counter("requests_server_error{class=page}");
  const double web_5xx_before = series_total(sim, "alb_target_5xx{target_group=web}");
  sim.advance_to(1740);
  const auto errors_after = sim.metrics().counter("requests_server_error{class=browse}") + sim.metrics().counter("requests_server_error{class=page}");
  CHECK(errors_after == errors_before);
  CHECK(series_total(sim, "alb_request_count{target_group=api}") > 10000);
  CHECK(series_total(sim, "alb_request_count{target_group=web}") > 10000);
  CHECK(series_total(sim, "alb_target_5xx{target_group=web}") == web_5xx_before);  // the untagged instance gets nothing

  // Target tracking put through the API scales the api group on simulated CPU (x12 traffic at 1800 s).
  call(ctx, "autoscaling", "PutScalingPolicy",
       {{"AutoScalingGroupName", "api"}, {"PolicyName", "cpu50"}, {"PolicyType", "TargetTrackingScaling"},
        {"TargetTrackingConfiguration", {{"PredefinedMetricSpecification", {{"PredefinedMetricType", "ASGAverageCPUUtilization"}}},
                                         {"TargetValue", 50.0}}}});
  CHECK(estate->cpu_pct(instances("api")[0]) < 50);
  sim.advance_to(2700);
  const auto now_api = instances("api");
  CHECK(now_api.size() > 2);
  const std::string added = now_api.back();
  CHECK_FALSE(estate->host_of(added).empty());
  CHECK(estate->cpu_pct(added) > 0);  // it joined the target group and takes requests
}

TEST_CASE("estate binding: users follow the Route 53 record that aliases the load balancer", "[estatebinding][aws]")
{
  json doc = app_doc();
  doc["aws"]["from_api"].erase("entry_load_balancer");
  doc["aws"]["from_api"]["entry_record"] = "shop.example.com";
  doc["events"] = json::array();
  const auto sc = harness::parse_full_scenario(doc, "estate-binding-dns");
  harness::Simulation sim(sc);
  ServeContext ctx{sim};
  elbv2::install_estate_binding(ctx);
  const auto built = build_estate(ctx);
  sim.advance_to(900);
  // Everything is up, but no record sends the users there: the requests find no load balancer.
  CHECK(series_total(sim, "alb_request_count{target_group=web}") < 0);  // no group in use yet
  const auto refused = sim.api_estate()->http_503();
  CHECK(refused > 0);

  const json zone = call(ctx, "route53", "CreateHostedZone", {{"Name", "example.com"}, {"CallerReference", "z1"}})["HostedZone"];
  const json& lb = built.at("lb");
  json alias = {{"HostedZoneId", lb["CanonicalHostedZoneId"]},
                {"DNSName", "dualstack." + lb["DNSName"].get<std::string>() + "."},
                {"EvaluateTargetHealth", false}};
  json record = {{"Name", "shop.example.com"}, {"Type", "A"}, {"AliasTarget", alias}};
  json change = {{"Action", "UPSERT"}, {"ResourceRecordSet", record}};
  json batch = {{"Changes", json::array({change})}};
  call(ctx, "route53", "ChangeResourceRecordSets", {{"HostedZoneId", zone["Id"]}, {"ChangeBatch", batch}});
  sim.advance_to(1500);
  CHECK(series_total(sim, "alb_request_count{target_group=web}") > 1000);
  CHECK(series_total(sim, "alb_request_count{target_group=api}") > 1000);
  // Routing starts when the target groups come into use: their targets pass 5 checks (150 s) first.
  CHECK(sim.api_estate()->http_503() - refused < 160 * 20);
}
