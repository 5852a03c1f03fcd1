// CloudFront on the mock endpoint: distributions (InProgress -> Deployed on the simulated clock after
// every create or update, ProvisioningTimes cloudfront_deploy_s), ETag/If-Match versioning as
// CloudFront does it, deletion only once disabled and deployed (DistributionNotDisabled), origin
// access controls (in use by a distribution: OriginAccessControlInUse). The distribution
// config is kept as given, with the defaults CloudFront fills in added.
#pragma once

#include "harness/serve/core/platform_ids.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve::cloudfront {

struct Distribution {
  std::string id, arn, domain, etag;
  nlohmann::json config;
  double created_s = 0, modified_s = 0, deployed_s = 0;
  int version = 1;
};

struct OriginAccessControl {
  std::string id, etag;
  nlohmann::json config;
  int version = 1;
};

class CloudFrontBackend {
public:
  // Whether a WAF web ACL ARN exists (set when the WAFv2 side is connected).
  std::function<bool(const std::string& arn)> web_acl_exists;

  Distribution& create(nlohmann::json config, double t, double deploy_s);
  Distribution& get(const std::string& id);
  Distribution& update(const std::string& id, const std::string& if_match, nlohmann::json config, double t,
                       double deploy_s);
  void remove(const std::string& id, const std::string& if_match, double t);
  std::vector<const Distribution*> all() const;
  std::string status(const Distribution& d, double t) const { return t < d.deployed_s ? "InProgress" : "Deployed"; }
  Distribution& by_arn(const std::string& arn);
  bool uses_web_acl(const std::string& arn) const;

  OriginAccessControl& create_oac(nlohmann::json config);
  OriginAccessControl& oac(const std::string& id);
  OriginAccessControl& update_oac(const std::string& id, const std::string& if_match, nlohmann::json config);
  void remove_oac(const std::string& id, const std::string& if_match);
  std::vector<const OriginAccessControl*> oacs() const;

private:
  void validate(nlohmann::json& config) const;
  std::map<std::string, Distribution> dists_;
  std::map<std::string, OriginAccessControl> oacs_;
  uint64_t next_ = 1;
};

}  // namespace migsim::harness::serve::cloudfront
