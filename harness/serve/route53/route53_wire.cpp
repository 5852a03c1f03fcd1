// Route 53 on the mock endpoint (rest-xml through the shared codec): the operations over the
// backend (route53_backend), registered with the serve registry.
#include "harness/serve/route53/route53_wire.hpp"

#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve {

using nlohmann::json;

const std::vector<OpDef>& route53_ops()
{
  using route53::Route53Error;
  // Each backend call, its errors as ApiError.
  auto wrap = [](auto fn) {
    return [fn](const json& in, ServeContext& ctx) -> json {
      try {
        return fn(*service_state(ctx).route53, in, ctx.simulation.now());
      } catch (const Route53Error& e) {
        throw ApiError{e.code, e.message, e.status};
      }
    };
  };
  using B = route53::Backend;
  static const std::vector<OpDef> ops = {
      {"CreateHostedZone", {"Name", "CallerReference", "HostedZoneConfig"},
       wrap([](B& b, const json& in, double t) { return b.create_hosted_zone(in, t); })},
      {"GetHostedZone", {"Id"}, wrap([](B& b, const json& in, double) { return b.get_hosted_zone(in); })},
      {"ListHostedZones", {"Marker", "MaxItems"}, wrap([](B& b, const json& in, double) { return b.list_hosted_zones(in); })},
      {"DeleteHostedZone", {"Id"}, wrap([](B& b, const json& in, double t) { return b.delete_hosted_zone(in, t); })},
      {"ChangeResourceRecordSets", {"HostedZoneId", "ChangeBatch"},
       wrap([](B& b, const json& in, double t) { return b.change_resource_record_sets(in, t); })},
      {"ListResourceRecordSets", {"HostedZoneId", "StartRecordName", "StartRecordType", "MaxItems"},
       wrap([](B& b, const json& in, double) { return b.list_resource_record_sets(in); })},
      {"GetChange", {"Id"}, wrap([](B& b, const json& in, double t) { return b.get_change(in, t); })},
      {"CreateHealthCheck", {"CallerReference", "HealthCheckConfig"},
       wrap([](B& b, const json& in, double) { return b.create_health_check(in); })},
      {"GetHealthCheck", {"HealthCheckId"}, wrap([](B& b, const json& in, double) { return b.get_health_check(in); })},
      {"ListHealthChecks", {"Marker", "MaxItems"}, wrap([](B& b, const json& in, double) { return b.list_health_checks(in); })},
      {"DeleteHealthCheck", {"HealthCheckId"}, wrap([](B& b, const json& in, double) { return b.delete_health_check(in); })},
  };
  return ops;
}

void register_route53(Registry& r) { register_ops(r, "route53", route53_ops()); }

}  // namespace migsim::harness::serve
