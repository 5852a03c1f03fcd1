// Wires the platform services to each other and to the call recorder when the server starts: the
// resource timeline follows the recorder (and prints to the serve log), WAFv2 refuses to delete a web
// ACL a CloudFront distribution uses, CloudFront refuses a web ACL that does not exist, and EFS mount
// targets find their subnet (availability zone, VPC, CIDR) in EC2's networking.
#include "harness/serve/cloudfront/backend.hpp"
#include "harness/serve/core/call_recorder.hpp"
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/serve_context.hpp"
#include "harness/serve/ec2/network.hpp"
#include "harness/serve/efs/backend.hpp"
#include "harness/serve/wafv2/backend.hpp"

namespace migsim::harness::serve {

void install_platform_hooks(ServeContext& ctx)
{
  follow_calls(ctx.state<ResourceTimeline>(), ctx.state<CallRecorder>());
  auto& waf = ctx.state<wafv2::WafBackend>();
  auto& cf = ctx.state<cloudfront::CloudFrontBackend>();
  waf.in_use = [&cf](const std::string& arn) { return cf.uses_web_acl(arn); };
  cf.web_acl_exists = [&waf](const std::string& arn) { return waf.by_arn(arn) != nullptr; };
  ctx.state<efs::EfsBackend>().subnet_lookup = [&ctx](const std::string& id) -> std::optional<efs::SubnetInfo> {
    const auto& subnets = ec2net::network(ctx).subnets;
    const auto it = subnets.find(id);
    if (it == subnets.end())
      return std::nullopt;
    return efs::SubnetInfo{it->second.value("AvailabilityZone", ""), it->second.value("VpcId", ""),
                           it->second.value("CidrBlock", "")};
  };
}

}  // namespace migsim::harness::serve
