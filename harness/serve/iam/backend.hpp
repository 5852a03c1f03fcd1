// IAM on the mock endpoint: roles (trust policy, inline and attached policies), customer managed
// policies with versions, instance profiles and OpenID Connect providers. IAM is global (ARNs carry
// no region) and changes are visible at once (AWS's eventual consistency is not modelled); tags are
// in the Tags store of core/resource.hpp, by ARN.
#pragma once

#include "harness/serve/core/platform_ids.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace migsim::harness::serve::iam {

struct Role {
  std::string name, id, arn, path = "/", trust_policy, description;
  int max_session_s = 3600;
  double created_s = 0;
  std::map<std::string, std::string> inline_policies;  // name -> document
  std::set<std::string> attached;                      // policy ARNs
};

struct PolicyVersion {
  std::string id, document;  // "v1"
  double created_s = 0;
};

struct Policy {
  std::string name, id, arn, path = "/", description;
  double created_s = 0, updated_s = 0;
  std::vector<PolicyVersion> versions;
  std::string default_version = "v1";
  int next_version = 2;
  bool aws_managed = false;
};

struct InstanceProfile {
  std::string name, id, arn, path = "/";
  double created_s = 0;
  std::vector<std::string> roles;
};

struct OidcProvider {
  std::string arn, url;  // url without "https://"
  std::vector<std::string> client_ids, thumbprints;
  double created_s = 0;
};

class IamBackend {
public:
  IamBackend();

  Role& create_role(const std::string& name, const std::string& path, const std::string& trust,
                    const std::string& description, int max_session_s, double t);
  Role& role(const std::string& name);
  void delete_role(const std::string& name);
  std::vector<const Role*> roles(const std::string& path_prefix) const;
  void attach(const std::string& role_name, const std::string& policy_arn);
  void detach(const std::string& role_name, const std::string& policy_arn);

  Policy& create_policy(const std::string& name, const std::string& path, const std::string& document,
                        const std::string& description, double t);
  Policy& policy(const std::string& arn);
  void delete_policy(const std::string& arn);
  std::vector<const Policy*> policies(const std::string& scope, bool only_attached) const;
  PolicyVersion& create_version(const std::string& arn, const std::string& document, bool set_default, double t);
  void delete_version(const std::string& arn, const std::string& version);
  int attachment_count(const std::string& arn) const;
  std::vector<const Role*> roles_attached_to(const std::string& arn) const;

  InstanceProfile& create_profile(const std::string& name, const std::string& path, double t);
  InstanceProfile& profile(const std::string& name);
  void delete_profile(const std::string& name);
  void add_role(const std::string& profile_name, const std::string& role_name);
  void remove_role(const std::string& profile_name, const std::string& role_name);
  std::vector<const InstanceProfile*> profiles_of(const std::string& role_name) const;
  std::vector<const InstanceProfile*> profiles() const;

  OidcProvider& create_oidc(const std::string& url, std::vector<std::string> client_ids,
                            std::vector<std::string> thumbprints, double t);
  OidcProvider& oidc(const std::string& arn);
  void delete_oidc(const std::string& arn);
  std::vector<const OidcProvider*> oidcs() const;

private:
  std::map<std::string, Role> roles_;
  std::map<std::string, Policy> policies_;  // by ARN (AWS managed ones included)
  std::map<std::string, InstanceProfile> profiles_;
  std::map<std::string, OidcProvider> oidcs_;
  uint64_t next_id_ = 1;
};

}  // namespace migsim::harness::serve::iam
