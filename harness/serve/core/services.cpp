// The services of `migsim serve`: each one's register_<service> (in harness/serve/<service>/) adds
// its operations to the registry. To add a service: see harness/aws/README.md ("Add a handler"),
// declare its register_<service> below and call it in register_all_services. Hooks that connect
// other code to a service's state when the server starts go in install_serve_hooks.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/ssm/maintenance.hpp"

namespace migsim::harness::serve {

void register_autoscaling(Registry& r);
void register_cloudfront(Registry& r);
void register_cloudtrail(Registry& r);
void register_cloudwatch(Registry& r);
void register_dms(Registry& r);
void register_ec2(Registry& r);
void register_ec2_network(Registry& r);  // ec2/network.cpp: VPCs, subnets, gateways, routes, groups, ACLs
void register_ecr(Registry& r);
void register_efs(Registry& r);
void register_eks(Registry& r);
void register_elbv2(Registry& r);
void register_iam(Registry& r);
void register_kms(Registry& r);
void register_mgn(Registry& r);
void register_rds(Registry& r);
void register_route53(Registry& r);
void register_s3(Registry& r);
void register_amp(Registry& r);
void register_secretsmanager(Registry& r);
void register_sns(Registry& r);
void register_ssm(Registry& r);
void register_sts(Registry& r);
void register_wafv2(Registry& r);
void install_platform_hooks(ServeContext& ctx);  // core/platform_hooks.cpp
namespace elbv2 {
void install_estate_binding(ServeContext& ctx);  // elbv2/estate_binding.cpp
}

void register_all_services(Registry& r)
{
  register_autoscaling(r);
  register_cloudfront(r);
  register_cloudtrail(r);
  register_cloudwatch(r);
  register_dms(r);
  register_ec2(r);
  register_ec2_network(r);
  register_ecr(r);
  register_efs(r);
  register_eks(r);
  register_elbv2(r);
  register_iam(r);
  register_kms(r);
  register_mgn(r);
  register_rds(r);
  register_route53(r);
  register_s3(r);
  register_amp(r);
  register_secretsmanager(r);
  register_sns(r);
  register_ssm(r);
  register_sts(r);
  register_wafv2(r);
}

void install_serve_hooks(ServeContext& ctx)
{
  install_ssm_maintenance(ctx);  // SSM /fast/maintenance-mode -> the simulation's write block
  install_platform_hooks(ctx);   // the call recorder's readers; WAF <-> CloudFront references
  elbv2::install_estate_binding(ctx);  // aws.from_api: what the API builds carries the traffic
}

}  // namespace migsim::harness::serve
