// WAFv2 on the mock endpoint: web ACLs (CLOUDFRONT or REGIONAL scope) with their rules as given,
// optimistic locking by LockToken as WAF does (WAFOptimisticLockException), capacity units.
// Rules are stored, not evaluated: the simulated edge's traffic does not pass through them.
#pragma once

#include "harness/serve/core/platform_ids.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve::wafv2 {

struct WebAcl {
  std::string name, id, arn, scope, description, lock_token;
  std::string region;  // a REGIONAL one's; "" for CLOUDFRONT (global)
  nlohmann::json default_action, rules, visibility, custom_bodies, captcha, challenge, token_domains, association;
  double created_s = 0;
};

class WafBackend {
public:
  // Whether something (a CloudFront distribution) still uses a web ACL, by ARN (set by the CloudFront side).
  std::function<bool(const std::string& arn)> in_use;

  // A web ACL: REGIONAL ones in `region` and seen only from it, CLOUDFRONT ones global with an
  // us-east-1 ARN as AWS keeps them (AWS also requires their calls to be made in us-east-1; migsim
  // answers them from any region). Tags are the Tags store's, core/resource.hpp.
  WebAcl& create(const std::string& region, const std::string& name, const std::string& scope, double t);
  WebAcl& get(const std::string& region, const std::string& name, const std::string& scope, const std::string& id);
  WebAcl* by_arn(const std::string& region, const std::string& arn);
  void check_lock(const WebAcl& acl, const std::string& token) const;
  void relock(WebAcl& acl);
  void remove(const std::string& region, const std::string& name, const std::string& scope, const std::string& id,
              const std::string& token);
  std::vector<const WebAcl*> list(const std::string& region, const std::string& scope) const;

private:
  std::map<std::string, WebAcl> acls_;  // by id
  uint64_t next_ = 1;
};

// The web ACL capacity units (WCU) of a rule list: AWS's published costs for the managed rule groups
// migsim knows (e.g. AWSManagedRulesCommonRuleSet 700), 2 for a rate-based statement, 1 otherwise.
int capacity_units(const nlohmann::json& rules);

}  // namespace migsim::harness::serve::wafv2
