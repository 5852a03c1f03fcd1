// The operations the runbook branch adds to `migsim serve` for the cutover runbook, registered
// with the codec's handler registry: Route 53 ListHostedZonesByName (route53_by_name.cpp). ELBv2
// DescribeTargetHealth/DescribeTargetGroups of the migration's sites (elbv2_targets.cpp) answer through
// elbv2_api.cpp when the scenario has no aws estate.
#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/route53/backend.hpp"
#include "harness/serve/route53/by_name.hpp"

namespace migsim::harness::serve {

bool registry_before_services_wire(const Request& req)
{
  // Route 53's interim wire (services_wire.cpp) answers every /2013-04-01/ path itself; the one
  // Route 53 operation registered here must reach the registry first.
  const std::string target(req.target());
  return req.method() == http::verb::get && target.rfind("/2013-04-01/hostedzonesbyname", 0) == 0;
}

void register_runbook_services(Registry& r)
{
  r.add("route53", "ListHostedZonesByName", {"DNSName", "MaxItems"}, [](const json& in, ServeContext& ctx) {
    try {
      return route53::list_hosted_zones_by_name(in, ctx);
    } catch (const route53::Route53Error& e) {
      throw AwsError(e.code, e.message, e.status);
    }
  });
}

}  // namespace migsim::harness::serve
