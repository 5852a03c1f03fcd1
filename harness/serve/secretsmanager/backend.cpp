#include "harness/serve/secretsmanager/backend.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include <algorithm>

namespace migsim::harness::serve::secretsmanager {

namespace {

AwsError not_found() { return errors::not_found("Secrets Manager can't find the specified secret.", "ResourceNotFoundException"); }
AwsError invalid(const std::string& what) { return errors::invalid_state(what, "InvalidRequestException"); }

// The six characters Secrets Manager appends to a secret's ARN (from a counter: deterministic).
std::string suffix(uint64_t n)
{
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string s;
  n = n * 2654435761u + 12345;
  for (int i = 0; i < 6; ++i, n /= 62)
    s += kAlphabet[n % 62];
  return s;
}

}  // namespace

Secret& SecretsBackend::create(const std::string& region, const std::string& name, const std::string& description,
                               const std::string& kms_key_id, double t)
{
  if (name.empty() || name.size() > 512)
    throw errors::validation("Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
                             "following: -/_+=.@! (1-512 characters).",
                             "InvalidParameterException");
  if (auto it = secrets_.find(name); it != secrets_.end()) {
    if (it->second.scheduled_for_deletion())
      throw invalid("You can't create this secret because a secret with this name is already scheduled for deletion.");
    throw errors::already_exists("The operation failed because the secret " + name + " already exists.",
                                 "ResourceExistsException");
  }
  Secret& s = secrets_[name];
  s.name = name;
  s.arn = arn_in(region, "secretsmanager", "secret:" + name + "-" + suffix(next_++));
  s.description = description;
  s.kms_key_id = kms_key_id;
  s.created_s = s.changed_s = t;
  return s;
}

Secret& SecretsBackend::find(const std::string& id)
{
  if (auto it = secrets_.find(id); it != secrets_.end())
    return it->second;
  for (auto& [_, s] : secrets_)
    if (s.arn == id)
      return s;
  throw not_found();
}

Secret& SecretsBackend::live(const std::string& id)
{
  Secret& s = find(id);
  if (s.scheduled_for_deletion())
    throw invalid("You can't perform this operation on the secret because it was marked for deletion.");
  return s;
}

SecretVersion& SecretsBackend::put_value(Secret& s, const std::string& version_id, const std::string& string_value,
                                         const std::string& binary_value, std::set<std::string> stages, double t)
{
  if (string_value.empty() && binary_value.empty())
    throw errors::validation("You must provide either SecretString or SecretBinary.", "InvalidRequestException");
  for (auto& v : s.versions)
    if (v.id == version_id) {
      if (v.string_value != string_value || v.binary_value != binary_value)
        throw errors::already_exists("You can't modify an existing version, you can only create a new version.",
                                     "ResourceExistsException");
      return v;  // an idempotent retry
    }
  if (stages.empty())
    stages.insert("AWSCURRENT");
  if (stages.count("AWSCURRENT")) {
    for (auto& v : s.versions)
      v.stages.erase("AWSPREVIOUS");
    for (auto& v : s.versions)
      if (v.stages.erase("AWSCURRENT"))
        v.stages.insert("AWSPREVIOUS");
  }
  for (auto& v : s.versions)
    for (const auto& st : stages)
      if (st != "AWSCURRENT")
        v.stages.erase(st);
  SecretVersion v;
  v.id = version_id.empty() ? platform::uuid_id(0x5e, next_++) : version_id;
  v.string_value = string_value;
  v.binary_value = binary_value;
  v.stages = std::move(stages);
  v.created_s = t;
  s.versions.push_back(std::move(v));
  s.versions.erase(std::remove_if(s.versions.begin(), s.versions.end(), [](const auto& x) { return x.stages.empty(); }),
                   s.versions.end());
  s.changed_s = t;
  return s.versions.back();
}

SecretVersion& SecretsBackend::version(Secret& s, const std::string& version_id, const std::string& stage)
{
  const std::string want = stage.empty() && version_id.empty() ? "AWSCURRENT" : stage;
  for (auto& v : s.versions)
    if ((version_id.empty() || v.id == version_id) && (want.empty() || v.stages.count(want)))
      return v;
  throw errors::not_found("Secrets Manager can't find the specified secret value for " +
                              (version_id.empty() ? "staging label: " + want : "VersionId: " + version_id),
                          "ResourceNotFoundException");
}

void SecretsBackend::move_stage(Secret& s, const std::string& stage, const std::string& from, const std::string& to)
{
  for (auto& v : s.versions)
    if (v.stages.count(stage) && !from.empty() && v.id != from)
      throw errors::validation("The staging label " + stage + " is attached to version " + v.id + ", not " + from + ".",
                               "InvalidParameterException");
  if (stage == "AWSCURRENT" && to.empty())
    throw errors::validation("You can't remove the AWSCURRENT staging label; move it to another version instead.",
                             "InvalidParameterException");
  for (auto& v : s.versions) {
    if (v.id == from)
      v.stages.erase(stage);
    if (v.id == to)
      v.stages.insert(stage);
  }
}

void SecretsBackend::remove(const std::string& id, int recovery_days, bool force, double t)
{
  Secret& s = find(id);
  if (force) {
    secrets_.erase(s.name);
    return;
  }
  if (s.scheduled_for_deletion())
    throw invalid("You can't delete secret " + s.name + " because it's already scheduled for deletion.");
  if (recovery_days < 7 || recovery_days > 30)
    throw errors::validation("RecoveryWindowInDays must be between 7 and 30 days.", "InvalidParameterException");
  s.deletion_s = t + recovery_days * 86400.0;
}

void SecretsBackend::restore(const std::string& id) { find(id).deletion_s = -1; }

std::vector<const Secret*> SecretsBackend::all() const
{
  std::vector<const Secret*> out;
  for (const auto& [_, s] : secrets_)
    out.push_back(&s);
  return out;
}

void SecretsBackend::expire(double t)
{
  for (auto it = secrets_.begin(); it != secrets_.end();)
    it = it->second.scheduled_for_deletion() && it->second.deletion_s <= t ? secrets_.erase(it) : std::next(it);
}

}  // namespace migsim::harness::serve::secretsmanager
