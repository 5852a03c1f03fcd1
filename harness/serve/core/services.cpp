// The services of `migsim serve`: each one's register_* adds its handlers to the registry. To add a
// service: write its backend and wire files (see harness/aws/README.md), declare its register_*
// below and call it in register_all_services. Hooks that connect other code to a service's state
// when the server starts go in install_serve_hooks.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/ssm/maintenance.hpp"

namespace migsim::harness::serve {

void register_dms(Registry& r);
void register_mgn(Registry& r);
void register_sts(Registry& r);
void register_sns(Registry& r);
void register_s3(Registry& r);
void register_ssm(Registry& r);
void register_eks(Registry& r);
void register_route53(Registry& r);     // route53_wire.cpp
void register_cloudwatch(Registry& r);  // cloudwatch_ops.cpp
void register_dms_ops(Registry& r);     // dms_ops.cpp (after register_dms: skips what it registered)
void register_mgn_ops(Registry& r);     // mgn_ops.cpp
void register_runbook_services(Registry& r);  // ELBv2 target health, ListHostedZonesByName
void register_elbv2(Registry& r);
void register_autoscaling(Registry& r);
void register_rds(Registry& r);  // rds_api.cpp
void register_ec2(Registry& r);  // ec2_api.cpp: launch templates, DescribeInstances
// The platform services (harness/serve/<service>/api.cpp).
void register_iam(Registry& r);
void register_kms(Registry& r);
void register_secretsmanager(Registry& r);
void register_ecr(Registry& r);
void register_efs(Registry& r);
void register_cloudtrail(Registry& r);
void register_wafv2(Registry& r);
void register_cloudfront(Registry& r);
void install_platform_hooks(ServeContext& ctx);  // core/platform_hooks.cpp

void register_all_services(Registry& r)
{
  register_dms(r);
  register_mgn(r);
  register_sts(r);
  register_sns(r);
  register_s3(r);
  register_ssm(r);
  register_eks(r);
  register_route53(r);
  register_cloudwatch(r);
  register_dms_ops(r);
  register_mgn_ops(r);
  register_runbook_services(r);
  register_elbv2(r);
  register_autoscaling(r);
  register_rds(r);
  register_ec2(r);
  register_iam(r);
  register_kms(r);
  register_secretsmanager(r);
  register_ecr(r);
  register_efs(r);
  register_cloudtrail(r);
  register_wafv2(r);
  register_cloudfront(r);
}

void install_serve_hooks(ServeContext& ctx)
{
  install_ssm_maintenance(ctx);  // SSM /fast/maintenance-mode -> the simulation's write block
  install_platform_hooks(ctx);   // the call recorder's readers; WAF <-> CloudFront references
}

}  // namespace migsim::harness::serve
