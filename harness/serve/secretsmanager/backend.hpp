// Secrets Manager on the mock endpoint: secrets with their versions and staging labels
// (AWSCURRENT, AWSPREVIOUS), resource policies, and deletion with a recovery window on the
// simulated clock (7-30 days, 30 by default, or at once when forced: DeleteSecret documentation).
#pragma once

#include "harness/serve/core/platform_ids.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace migsim::harness::serve::secretsmanager {

inline constexpr int kDefaultRecoveryWindowDays = 30;

struct SecretVersion {
  std::string id, string_value, binary_value;
  std::set<std::string> stages;
  double created_s = 0;
};

struct Secret {
  std::string name, arn, description, kms_key_id, policy;
  double created_s = 0, changed_s = 0, deletion_s = -1;
  std::vector<SecretVersion> versions;
  bool scheduled_for_deletion() const { return deletion_s >= 0; }
};

class SecretsBackend {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  // A secret in `region` (its ARN's; tags are the Tags store's, core/resource.hpp).
  Secret& create(const std::string& region, const std::string& name, const std::string& description,
                 const std::string& kms_key_id, double t);
  // By name or ARN; a secret scheduled for deletion is found (DescribeSecret shows it).
  Secret& find(const std::string& id);
  // One that may be changed or read: not scheduled for deletion (InvalidRequestException).
  Secret& live(const std::string& id);
  SecretVersion& put_value(Secret& s, const std::string& version_id, const std::string& string_value,
                           const std::string& binary_value, std::set<std::string> stages, double t);
  SecretVersion& version(Secret& s, const std::string& version_id, const std::string& stage);
  void move_stage(Secret& s, const std::string& stage, const std::string& from, const std::string& to);
  void remove(const std::string& id, int recovery_days, bool force, double t);
  void restore(const std::string& id);
  std::vector<const Secret*> all() const;
  // Drops secrets whose recovery window has passed on the simulated clock.
  void expire(double t);

private:
  std::map<std::string, Secret> secrets_;  // by name
  uint64_t next_ = 1;
};

}  // namespace migsim::harness::serve::secretsmanager
