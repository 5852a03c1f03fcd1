// The services of `migsim serve`: each one's register_* adds its handlers to the registry. To add a
// service: write its backend and wire files (see harness/aws/README.md), declare its register_*
// below and call it in register_all_services.
#include "harness/serve/registry.hpp"

namespace migsim::harness::serve {

void register_dms(Registry& r);
void register_mgn(Registry& r);
void register_sts(Registry& r);
void register_sns(Registry& r);
void register_s3(Registry& r);
void register_ssm(Registry& r);
void register_route53(Registry& r);     // route53_wire.cpp
void register_cloudwatch(Registry& r);  // cloudwatch_ops.cpp
void register_dms_ops(Registry& r);     // dms_ops.cpp (after register_dms: skips what it registered)
void register_mgn_ops(Registry& r);     // mgn_ops.cpp

void register_all_services(Registry& r)
{
  register_dms(r);
  register_mgn(r);
  register_sts(r);
  register_sns(r);
  register_s3(r);
  register_ssm(r);
  register_route53(r);
  register_cloudwatch(r);
  register_dms_ops(r);
  register_mgn_ops(r);
}

}  // namespace migsim::harness::serve
