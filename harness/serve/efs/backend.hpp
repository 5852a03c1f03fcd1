// EFS on the mock endpoint: file systems (creating -> available), mount targets (creating ->
// available, deleting -> gone) and access points, on the simulated clock with the durations of
// ProvisioningTimes (efs_*). A file system with mount targets cannot be deleted (FileSystemInUse),
// and one mount target per availability zone is allowed (MountTargetConflict).
#pragma once

#include "harness/serve/core/platform_ids.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::serve::efs {

struct FileSystem {
  std::string id, arn, creation_token, performance_mode = "generalPurpose", throughput_mode = "bursting", kms_key_id;
  bool encrypted = false;
  double provisioned_mibps = 0;
  double created_s = 0, available_s = 0;
  std::vector<nlohmann::json> lifecycle_policies;
  std::string backup_status, policy;
};

struct MountTarget {
  std::string id, fs_id, subnet_id, ip, eni_id, az, vpc_id;
  std::vector<std::string> security_groups;
  double created_s = 0, available_s = 0, delete_start_s = -1, gone_s = -1;
};

struct AccessPoint {
  std::string id, arn, fs_id, client_token;
  nlohmann::json posix_user, root_directory;
  double created_s = 0;
};

// What EFS needs to know of a subnet (from the EC2 backend when one is connected).
struct SubnetInfo {
  std::string availability_zone, vpc_id, cidr;
};

class EfsBackend {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  // Connects the EC2 side: the subnet of an id, or nullopt when it does not exist.
  std::function<std::optional<SubnetInfo>(const std::string&)> subnet_lookup;

  // File systems and access points in `region` (their ARNs'; tags are the Tags store's, core/resource.hpp).
  FileSystem& create_fs(const std::string& region, const std::string& token, double t, double create_s);
  FileSystem& fs(const std::string& id, double t);
  std::string fs_state(const FileSystem& f, double t) const;
  void delete_fs(const std::string& id, double t);
  std::vector<const FileSystem*> file_systems() const;
  int mount_target_count(const std::string& fs_id, double t) const;

  MountTarget& create_mt(const std::string& fs_id, const std::string& subnet_id, const std::string& ip,
                         std::vector<std::string> security_groups, double t, double create_s);
  MountTarget& mt(const std::string& id, double t);
  std::string mt_state(const MountTarget& m, double t) const;
  void delete_mt(const std::string& id, double t, double delete_s);
  std::vector<MountTarget*> mount_targets(const std::string& fs_id, double t);

  AccessPoint& create_ap(const std::string& region, const std::string& fs_id, const std::string& client_token, double t);
  AccessPoint& ap(const std::string& id);
  void delete_ap(const std::string& id);
  std::vector<const AccessPoint*> access_points(const std::string& fs_id) const;

  // The ARN of a file system or access point given by id or ARN (not found: FileSystemNotFound,
  // AccessPointNotFound).
  std::string arn_of(const std::string& resource_id, double t);

private:
  std::map<std::string, FileSystem> fss_;
  std::map<std::string, MountTarget> mts_;
  std::map<std::string, AccessPoint> aps_;
  uint64_t next_ = 1;
};

}  // namespace migsim::harness::serve::efs
