// ECR on the mock endpoint: repositories with their settings (tag mutability, scan on push,
// encryption), lifecycle and repository policies. Images cannot be pushed here (there is
// no registry protocol), so every repository holds none and the image calls answer that truthfully.
#pragma once

#include "harness/serve/core/platform_ids.hpp"

#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve::ecr {

struct Repository {
  std::string name, arn, uri, tag_mutability = "MUTABLE", encryption_type = "AES256", kms_key;
  bool scan_on_push = false;
  std::string lifecycle_policy, policy;
  double created_s = 0;
};

class EcrBackend {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  // A repository in `region` (its ARN's and URI's; tags are the Tags store's, core/resource.hpp).
  Repository& create(const std::string& region, const std::string& name, double t);
  Repository& repo(const std::string& name);
  Repository& by_arn(const std::string& arn);
  void remove(const std::string& name, bool force);
  std::vector<const Repository*> all() const;

private:
  std::map<std::string, Repository> repos_;
};

}  // namespace migsim::harness::serve::ecr
