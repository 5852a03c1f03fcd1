// KMS on the mock endpoint: customer managed keys (state, policy, rotation, scheduled deletion)
// and aliases. No cryptography: keys hold no material, so Encrypt/Decrypt are not offered.
#pragma once

#include "harness/serve/core/platform_ids.hpp"

#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve::kms {

// AWS's waiting period before a scheduled key is deleted: 7-30 days, 30 by default (KMS
// ScheduleKeyDeletion documentation).
inline constexpr int kDefaultPendingWindowDays = 30;

struct Key {
  std::string id, arn, description, policy, usage = "ENCRYPT_DECRYPT", spec = "SYMMETRIC_DEFAULT";
  std::string state = "Enabled";  // Enabled, Disabled, PendingDeletion
  bool rotation = false, multi_region = false;
  int rotation_period_days = 365;
  int pending_window_days = 0;
  double created_s = 0, deletion_s = -1;
};

struct Alias {
  std::string name, target_key_id;
  double created_s = 0, updated_s = 0;
};

class KmsBackend {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  // A key in `region` (its ARN's; tags are the Tags store's, core/resource.hpp).
  Key& create_key(const std::string& region, const std::string& description, const std::string& usage,
                  const std::string& spec, const std::string& policy, bool multi_region, double t);
  // A key by id, key ARN, alias name or alias ARN (NotFoundException otherwise).
  Key& key(const std::string& ref);
  // A key that may be used: not pending deletion (KMSInvalidStateException).
  Key& usable_key(const std::string& ref);
  void schedule_deletion(const std::string& ref, int window_days, double t);
  void cancel_deletion(const std::string& ref);
  std::vector<const Key*> keys() const;

  Alias& create_alias(const std::string& region, const std::string& name, const std::string& target, double t);
  void delete_alias(const std::string& name);
  Alias& alias(const std::string& name);
  std::vector<const Alias*> aliases(const std::string& key_id) const;
  static std::string alias_arn(const std::string& region, const std::string& name);

  // Drops keys whose deletion date has passed on the simulated clock.
  void expire(double t);

private:
  std::map<std::string, Key> keys_;
  std::map<std::string, Alias> aliases_;
  uint64_t next_ = 1;
};

// The default key policy KMS writes when CreateKey gives none: the account root may do everything.
std::string default_key_policy();

}  // namespace migsim::harness::serve::kms
