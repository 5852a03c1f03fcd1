// Wires the platform services to each other and to the call recorder when the server starts: the
// resource timeline follows the recorder (and prints to the serve log), WAFv2 refuses to delete a web
// ACL a CloudFront distribution uses and CloudFront refuses a web ACL that does not exist (both
// global). Regional states wire themselves when made (EFS finds its subnets in efs/api.cpp).
#include "harness/serve/cloudfront/backend.hpp"
#include "harness/serve/core/call_recorder.hpp"
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/serve_context.hpp"
#include "harness/serve/wafv2/backend.hpp"

namespace migsim::harness::serve {

void install_platform_hooks(ServeContext& ctx)
{
  follow_calls(ctx.state<ResourceTimeline>(), ctx.state<CallRecorder>());
  auto& waf = ctx.state<wafv2::WafBackend>();
  auto& cf = ctx.state<cloudfront::CloudFrontBackend>();
  waf.in_use = [&cf](const std::string& arn) { return cf.uses_web_acl(arn); };
  // CloudFront is global and takes only CLOUDFRONT-scope (global) web ACLs.
  cf.web_acl_exists = [&waf](const std::string& arn) { return waf.by_arn("", arn) != nullptr; };
}

}  // namespace migsim::harness::serve
