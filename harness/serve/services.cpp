// The services of `migsim serve`: each one's register_* adds its handlers to the registry. To add a
// service: write its backend and wire files (see harness/aws/README.md), declare its register_*
// below and call it in register_all_services. Hooks that connect other code to a service's state
// when the server starts go in install_serve_hooks.
#include "harness/serve/registry.hpp"

namespace migsim::harness::serve {

void register_dms(Registry& r);
void register_mgn(Registry& r);
void register_sts(Registry& r);
void register_sns(Registry& r);
void register_s3(Registry& r);
void register_ssm(Registry& r);
void register_elbv2(Registry& r);
void register_autoscaling(Registry& r);

void register_all_services(Registry& r)
{
  register_dms(r);
  register_mgn(r);
  register_sts(r);
  register_sns(r);
  register_s3(r);
  register_ssm(r);
  register_elbv2(r);
  register_autoscaling(r);
}

void install_serve_hooks(ServeContext& ctx)
{
  (void)ctx;  // no hooks yet: add e.g. ctx.state<SsmBackend>().on_put(...) here
}

}  // namespace migsim::harness::serve
