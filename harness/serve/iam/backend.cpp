#include "harness/serve/iam/backend.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include <algorithm>

namespace migsim::harness::serve::iam {

namespace {

// The AWS managed policies migsim knows (attaching any other arn:aws:iam::aws:policy/... answers
// NoSuchEntity, as AWS does for a name it does not have): those EKS, ECR, EC2 fleets, SSM and
// CloudWatch agents use, and the broad job-function ones.
const char* const kAwsManaged[] = {
    "AmazonEKSClusterPolicy", "AmazonEKSServicePolicy", "AmazonEKSVPCResourceController",
    "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEC2ContainerRegistryPowerUser", "AmazonEBSCSIDriverPolicy", "AmazonSSMManagedInstanceCore",
    "CloudWatchAgentServerPolicy", "AmazonS3ReadOnlyAccess", "AmazonS3FullAccess", "AmazonRDSFullAccess",
    "AmazonDMSVPCManagementRole", "AmazonDMSCloudWatchLogsRole", "AdministratorAccess", "ReadOnlyAccess",
    "PowerUserAccess", "ElasticLoadBalancingFullAccess", "AutoScalingFullAccess",
};

const std::string kEmptyPolicy = R"({"Version":"2012-10-17","Statement":[]})";

void check_name(const std::string& what, const std::string& name, size_t max)
{
  if (name.empty() || name.size() > max)
    throw errors::validation("1 validation error detected: Value '" + name + "' at '" + what +
                                 "' failed to satisfy constraint: Member must have length less than or equal to " +
                                 std::to_string(max),
                             "ValidationError");
}

AwsError no_such(const std::string& what) { return errors::not_found(what, "NoSuchEntity", 404); }
AwsError conflict(const std::string& what) { return AwsError("DeleteConflict", what, 409); }

}  // namespace

IamBackend::IamBackend()
{
  for (const char* name : kAwsManaged) {
    Policy p;
    p.name = name;
    p.arn = std::string("arn:aws:iam::aws:policy/") + name;
    p.id = platform::upper_id("ANPA", next_id_++);
    p.aws_managed = true;
    p.versions.push_back({"v1", kEmptyPolicy, 0});
    policies_[p.arn] = p;
  }
}

Role& IamBackend::create_role(const std::string& name, const std::string& path, const std::string& trust,
                              const std::string& description, int max_session_s, double t)
{
  check_name("roleName", name, 64);
  if (roles_.count(name))
    throw errors::already_exists("Role with name " + name + " already exists.", "EntityAlreadyExists", 409);
  if (max_session_s < 3600 || max_session_s > 43200)
    throw errors::validation("The requested MaxSessionDuration " + std::to_string(max_session_s) +
                                 " is outside 3600-43200 seconds.",
                             "ValidationError");
  Role& r = roles_[name];
  r.name = name;
  r.path = path.empty() ? "/" : path;
  r.id = platform::upper_id("AROA", next_id_++);
  r.arn = arn_in("", "iam", "role" + r.path + name);
  r.trust_policy = trust;
  r.description = description;
  r.max_session_s = max_session_s;
  r.created_s = t;
  return r;
}

Role& IamBackend::role(const std::string& name)
{
  auto it = roles_.find(name);
  if (it == roles_.end())
    throw no_such("The role with name " + name + " cannot be found.");
  return it->second;
}

void IamBackend::delete_role(const std::string& name)
{
  Role& r = role(name);
  if (!r.attached.empty())
    throw conflict("Cannot delete entity, must detach all policies first.");
  if (!r.inline_policies.empty())
    throw conflict("Cannot delete entity, must delete policies first.");
  if (!profiles_of(name).empty())
    throw conflict("Cannot delete entity, must remove roles from instance profile first.");
  roles_.erase(name);
}

std::vector<const Role*> IamBackend::roles(const std::string& path_prefix) const
{
  std::vector<const Role*> out;
  for (const auto& [_, r] : roles_)
    if (r.path.rfind(path_prefix.empty() ? "/" : path_prefix, 0) == 0)
      out.push_back(&r);
  return out;
}

void IamBackend::attach(const std::string& role_name, const std::string& policy_arn)
{
  Role& r = role(role_name);
  if (!policies_.count(policy_arn))
    throw no_such("Policy " + policy_arn + " does not exist or is not attachable.");
  r.attached.insert(policy_arn);
}

void IamBackend::detach(const std::string& role_name, const std::string& policy_arn)
{
  Role& r = role(role_name);
  if (!r.attached.erase(policy_arn))
    throw no_such("Policy " + policy_arn + " was not found.");
}

Policy& IamBackend::create_policy(const std::string& name, const std::string& path, const std::string& document,
                                  const std::string& description, double t)
{
  check_name("policyName", name, 128);
  const std::string p = path.empty() ? "/" : path;
  const std::string arn = arn_in("", "iam", "policy" + p + name);
  if (policies_.count(arn))
    throw errors::already_exists("A policy called " + name + " already exists. Duplicate names are not allowed.",
                                 "EntityAlreadyExists", 409);
  if (!nlohmann::json::accept(document))
    throw errors::validation("Syntax errors in policy.", "MalformedPolicyDocument");
  Policy& pol = policies_[arn];
  pol.name = name;
  pol.arn = arn;
  pol.path = p;
  pol.id = platform::upper_id("ANPA", next_id_++);
  pol.description = description;
  pol.created_s = pol.updated_s = t;
  pol.versions.push_back({"v1", document, t});
  return pol;
}

Policy& IamBackend::policy(const std::string& arn)
{
  auto it = policies_.find(arn);
  if (it == policies_.end())
    throw no_such("Policy " + arn + " was not found.");
  return it->second;
}

void IamBackend::delete_policy(const std::string& arn)
{
  Policy& p = policy(arn);
  if (p.aws_managed)
    throw AwsError("AccessDenied", "AWS managed policies cannot be deleted.", 403);
  if (attachment_count(arn) > 0)
    throw conflict("Cannot delete a policy attached to entities.");
  if (p.versions.size() > 1)
    throw conflict("Cannot delete a policy with non-default versions; delete them first.");
  policies_.erase(arn);
}

std::vector<const Policy*> IamBackend::policies(const std::string& scope, bool only_attached) const
{
  std::vector<const Policy*> out;
  for (const auto& [_, p] : policies_)
    if ((scope == "All" || scope.empty() || (scope == "AWS") == p.aws_managed) &&
        (!only_attached || attachment_count(p.arn) > 0))
      out.push_back(&p);
  return out;
}

PolicyVersion& IamBackend::create_version(const std::string& arn, const std::string& document, bool set_default,
                                          double t)
{
  Policy& p = policy(arn);
  if (p.versions.size() >= 5)
    throw AwsError("LimitExceeded", "A managed policy can have up to 5 versions.", 409);
  if (!nlohmann::json::accept(document))
    throw errors::validation("Syntax errors in policy.", "MalformedPolicyDocument");
  p.versions.push_back({"v" + std::to_string(p.next_version++), document, t});
  p.updated_s = t;
  if (set_default)
    p.default_version = p.versions.back().id;
  return p.versions.back();
}

void IamBackend::delete_version(const std::string& arn, const std::string& version)
{
  Policy& p = policy(arn);
  if (version == p.default_version)
    throw conflict("Cannot delete the default version of a policy.");
  auto it = std::find_if(p.versions.begin(), p.versions.end(), [&](const auto& v) { return v.id == version; });
  if (it == p.versions.end())
    throw no_such("Policy " + arn + " version " + version + " does not exist.");
  p.versions.erase(it);
}

int IamBackend::attachment_count(const std::string& arn) const
{
  return static_cast<int>(roles_attached_to(arn).size());
}

std::vector<const Role*> IamBackend::roles_attached_to(const std::string& arn) const
{
  std::vector<const Role*> out;
  for (const auto& [_, r] : roles_)
    if (r.attached.count(arn))
      out.push_back(&r);
  return out;
}

InstanceProfile& IamBackend::create_profile(const std::string& name, const std::string& path, double t)
{
  check_name("instanceProfileName", name, 128);
  if (profiles_.count(name))
    throw errors::already_exists("Instance Profile " + name + " already exists.", "EntityAlreadyExists", 409);
  InstanceProfile& p = profiles_[name];
  p.name = name;
  p.path = path.empty() ? "/" : path;
  p.id = platform::upper_id("AIPA", next_id_++);
  p.arn = arn_in("", "iam", "instance-profile" + p.path + name);
  p.created_s = t;
  return p;
}

InstanceProfile& IamBackend::profile(const std::string& name)
{
  auto it = profiles_.find(name);
  if (it == profiles_.end())
    throw no_such("Instance Profile " + name + " cannot be found.");
  return it->second;
}

void IamBackend::delete_profile(const std::string& name)
{
  if (!profile(name).roles.empty())
    throw conflict("Cannot delete entity, must remove roles from instance profile first.");
  profiles_.erase(name);
}

void IamBackend::add_role(const std::string& profile_name, const std::string& role_name)
{
  InstanceProfile& p = profile(profile_name);
  role(role_name);
  if (!p.roles.empty())
    throw AwsError("LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1", 409);
  p.roles.push_back(role_name);
}

void IamBackend::remove_role(const std::string& profile_name, const std::string& role_name)
{
  InstanceProfile& p = profile(profile_name);
  auto it = std::find(p.roles.begin(), p.roles.end(), role_name);
  if (it == p.roles.end())
    throw no_such("The role " + role_name + " is not in instance profile " + profile_name + ".");
  p.roles.erase(it);
}

std::vector<const InstanceProfile*> IamBackend::profiles_of(const std::string& role_name) const
{
  std::vector<const InstanceProfile*> out;
  for (const auto& [_, p] : profiles_)
    if (std::find(p.roles.begin(), p.roles.end(), role_name) != p.roles.end())
      out.push_back(&p);
  return out;
}

std::vector<const InstanceProfile*> IamBackend::profiles() const
{
  std::vector<const InstanceProfile*> out;
  for (const auto& [_, p] : profiles_)
    out.push_back(&p);
  return out;
}

OidcProvider& IamBackend::create_oidc(const std::string& url, std::vector<std::string> client_ids,
                                      std::vector<std::string> thumbprints, double t)
{
  if (url.rfind("https://", 0) != 0)
    throw errors::validation("The URL of an OpenID Connect provider must begin with https://: " + url,
                             "InvalidInput");
  const std::string host = url.substr(8);
  const std::string arn = arn_in("", "iam", "oidc-provider/" + host);
  if (oidcs_.count(arn))
    throw errors::already_exists("Provider with url " + url + " already exists.", "EntityAlreadyExists", 409);
  for (const auto& tp : thumbprints)
    if (tp.size() != 40)
      throw errors::validation("Thumbprint " + tp + " must be 40 hexadecimal characters.", "InvalidInput");
  OidcProvider& o = oidcs_[arn];
  o.arn = arn;
  o.url = host;
  o.client_ids = std::move(client_ids);
  o.thumbprints = std::move(thumbprints);
  o.created_s = t;
  return o;
}

OidcProvider& IamBackend::oidc(const std::string& arn)
{
  auto it = oidcs_.find(arn);
  if (it == oidcs_.end())
    throw no_such("OpenIDConnect Provider not found for arn " + arn);
  return it->second;
}

void IamBackend::delete_oidc(const std::string& arn)
{
  oidc(arn);
  oidcs_.erase(arn);
}

std::vector<const OidcProvider*> IamBackend::oidcs() const
{
  std::vector<const OidcProvider*> out;
  for (const auto& [_, o] : oidcs_)
    out.push_back(&o);
  return out;
}

}  // namespace migsim::harness::serve::iam
