#include "harness/serve/kms/backend.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

namespace migsim::harness::serve::kms {

namespace {

AwsError not_found(const std::string& what) { return errors::not_found(what, "NotFoundException"); }

}  // namespace

std::string default_key_policy()
{
  return nlohmann::json{{"Version", "2012-10-17"},
                        {"Id", "key-default-1"},
                        {"Statement",
                         {{{"Sid", "Enable IAM User Permissions"},
                           {"Effect", "Allow"},
                           {"Principal", {{"AWS", arn_in("", "iam", "root")}}},
                           {"Action", "kms:*"},
                           {"Resource", "*"}}}}}
      .dump();
}

Key& KmsBackend::create_key(const std::string& region, const std::string& description, const std::string& usage,
                            const std::string& spec, const std::string& policy, bool multi_region, double t)
{
  if (!policy.empty() && !nlohmann::json::accept(policy))
    throw errors::validation("The new key policy will not allow you to update the key policy in the future.",
                             "MalformedPolicyDocumentException");
  const std::string id = platform::uuid_id(0x6b, next_++);
  Key& k = keys_[id];
  k.id = id;
  k.arn = arn_in(region, "kms", "key/" + id);
  k.description = description;
  k.usage = usage.empty() ? "ENCRYPT_DECRYPT" : usage;
  k.spec = spec.empty() ? "SYMMETRIC_DEFAULT" : spec;
  k.policy = policy.empty() ? default_key_policy() : policy;
  k.multi_region = multi_region;
  k.created_s = t;
  return k;
}

Key& KmsBackend::key(const std::string& ref)
{
  std::string id = ref;
  if (ref.rfind("arn:", 0) == 0) {
    const auto slash = ref.find(":key/");
    if (slash != std::string::npos)
      id = ref.substr(slash + 5);
    else if (auto a = ref.find(":alias/"); a != std::string::npos)
      id = alias(ref.substr(a + 1)).target_key_id;
  } else if (ref.rfind("alias/", 0) == 0) {
    id = alias(ref).target_key_id;
  }
  auto it = keys_.find(id);
  if (it == keys_.end())
    throw not_found("Key 'key/" + id + "' does not exist");
  return it->second;
}

Key& KmsBackend::usable_key(const std::string& ref)
{
  Key& k = key(ref);
  if (k.state == "PendingDeletion")
    throw errors::invalid_state(k.arn + " is pending deletion.", "KMSInvalidStateException");
  return k;
}

void KmsBackend::schedule_deletion(const std::string& ref, int window_days, double t)
{
  Key& k = usable_key(ref);
  if (window_days < 7 || window_days > 30)
    throw errors::validation("PendingWindowInDays must be between 7 and 30.", "ValidationException");
  k.state = "PendingDeletion";
  k.pending_window_days = window_days;
  k.deletion_s = t + window_days * 86400.0;
}

void KmsBackend::cancel_deletion(const std::string& ref)
{
  Key& k = key(ref);
  if (k.state != "PendingDeletion")
    throw errors::invalid_state(k.arn + " is not pending deletion.", "KMSInvalidStateException");
  k.state = "Disabled";  // as KMS does: a cancelled deletion leaves the key disabled
  k.deletion_s = -1;
  k.pending_window_days = 0;
}

std::vector<const Key*> KmsBackend::keys() const
{
  std::vector<const Key*> out;
  for (const auto& [_, k] : keys_)
    out.push_back(&k);
  return out;
}

std::string KmsBackend::alias_arn(const std::string& region, const std::string& name)
{
  return arn_in(region, "kms", name);
}

Alias& KmsBackend::create_alias(const std::string& region, const std::string& name, const std::string& target,
                                double t)
{
  if (name.rfind("alias/", 0) != 0 || name.size() > 256)
    throw errors::validation("Alias must start with the prefix \"alias/\" and be at most 256 characters.",
                             "ValidationException");
  if (name.rfind("alias/aws/", 0) == 0)
    throw errors::validation("Cannot create alias with prefix 'alias/aws/'", "NotAuthorizedException");
  if (aliases_.count(name))
    throw errors::already_exists("An alias with the name " + alias_arn(region, name) + " already exists",
                                 "AlreadyExistsException");
  Key& k = usable_key(target);
  Alias& a = aliases_[name];
  a.name = name;
  a.target_key_id = k.id;
  a.created_s = a.updated_s = t;
  return a;
}

void KmsBackend::delete_alias(const std::string& name)
{
  alias(name);
  aliases_.erase(name);
}

Alias& KmsBackend::alias(const std::string& name)
{
  auto it = aliases_.find(name);
  if (it == aliases_.end())
    throw not_found("Alias " + name + " is not found.");
  return it->second;
}

std::vector<const Alias*> KmsBackend::aliases(const std::string& key_id) const
{
  std::vector<const Alias*> out;
  for (const auto& [_, a] : aliases_)
    if (key_id.empty() || a.target_key_id == key_id)
      out.push_back(&a);
  return out;
}

void KmsBackend::expire(double t)
{
  for (auto it = keys_.begin(); it != keys_.end();) {
    if (it->second.deletion_s >= 0 && it->second.deletion_s <= t) {
      for (auto a = aliases_.begin(); a != aliases_.end();)
        a = a->second.target_key_id == it->first ? aliases_.erase(a) : std::next(a);
      it = keys_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace migsim::harness::serve::kms
