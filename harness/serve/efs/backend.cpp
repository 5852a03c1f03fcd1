#include "harness/serve/efs/backend.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

namespace migsim::harness::serve::efs {

namespace {

AwsError fs_not_found(const std::string& id)
{
  return errors::not_found("File system '" + id + "' does not exist.", "FileSystemNotFound", 404);
}

}  // namespace

FileSystem& EfsBackend::create_fs(const std::string& region, const std::string& token, double t, double create_s)
{
  if (token.empty() || token.size() > 64)
    throw errors::validation("CreationToken must be 1-64 characters.", "BadRequest");
  for (const auto& [_, f] : fss_)
    if (f.creation_token == token)
      throw errors::already_exists("File system '" + f.id + "' already exists with creation token '" + token + "'",
                                   "FileSystemAlreadyExists", 409);
  const std::string id = platform::hex_id("fs-", next_++, 17);
  FileSystem& f = fss_[id];
  f.id = id;
  f.arn = arn_in(region, "elasticfilesystem", "file-system/" + id);
  f.creation_token = token;
  f.created_s = t;
  f.available_s = t + create_s;
  return f;
}

FileSystem& EfsBackend::fs(const std::string& id, double)
{
  auto it = fss_.find(id);
  if (it == fss_.end())
    throw fs_not_found(id);
  return it->second;
}

std::string EfsBackend::fs_state(const FileSystem& f, double t) const { return t < f.available_s ? "creating" : "available"; }

int EfsBackend::mount_target_count(const std::string& fs_id, double t) const
{
  int n = 0;
  for (const auto& [_, m] : mts_)
    n += m.fs_id == fs_id && (m.gone_s < 0 || t < m.gone_s);
  return n;
}

void EfsBackend::delete_fs(const std::string& id, double t)
{
  FileSystem& f = fs(id, t);
  if (mount_target_count(id, t) > 0)
    throw errors::invalid_state("File system '" + id + "' has mount targets and cannot be deleted.", "FileSystemInUse", 409);
  for (auto it = aps_.begin(); it != aps_.end();)
    it = it->second.fs_id == id ? aps_.erase(it) : std::next(it);
  fss_.erase(f.id);
}

std::vector<const FileSystem*> EfsBackend::file_systems() const
{
  std::vector<const FileSystem*> out;
  for (const auto& [_, f] : fss_)
    out.push_back(&f);
  return out;
}

MountTarget& EfsBackend::create_mt(const std::string& fs_id, const std::string& subnet_id, const std::string& ip,
                                   std::vector<std::string> security_groups, double t, double create_s)
{
  FileSystem& f = fs(fs_id, t);
  if (fs_state(f, t) != "available")
    throw errors::invalid_state("File system '" + fs_id + "' is " + fs_state(f, t) + ": mount targets need it available.",
                                "IncorrectFileSystemLifeCycleState", 409);
  SubnetInfo subnet;
  if (subnet_lookup) {
    auto found = subnet_lookup(subnet_id);
    if (!found)
      throw errors::not_found("The subnet ID '" + subnet_id + "' does not exist", "SubnetNotFound", 400);
    subnet = *found;
  }
  if (security_groups.size() > 5)
    throw errors::validation("A mount target can have at most 5 security groups.", "SecurityGroupLimitExceeded");
  for (const auto& [_, m] : mts_)
    if (m.fs_id == fs_id && (m.gone_s < 0 || t < m.gone_s) &&
        (m.subnet_id == subnet_id || (!subnet.availability_zone.empty() && m.az == subnet.availability_zone)))
      throw errors::already_exists("File system '" + fs_id + "' already has a mount target in " +
                                       (m.az.empty() ? "subnet " + subnet_id : "availability zone " + m.az),
                                   "MountTargetConflict", 409);
  const uint64_t n = next_++;
  const std::string id = platform::hex_id("fsmt-", n, 17);
  MountTarget& m = mts_[id];
  m.id = id;
  m.fs_id = fs_id;
  m.subnet_id = subnet_id;
  m.az = subnet.availability_zone;
  m.vpc_id = subnet.vpc_id;
  m.ip = ip.empty() ? "10.0." + std::to_string((n / 250) % 250) + "." + std::to_string(4 + n % 250) : ip;
  m.eni_id = platform::hex_id("eni-", n, 17);
  m.security_groups = std::move(security_groups);
  m.created_s = t;
  m.available_s = t + create_s;
  return m;
}

MountTarget& EfsBackend::mt(const std::string& id, double t)
{
  auto it = mts_.find(id);
  if (it == mts_.end() || (it->second.gone_s >= 0 && t >= it->second.gone_s))
    throw errors::not_found("Mount target '" + id + "' does not exist.", "MountTargetNotFound", 404);
  return it->second;
}

std::string EfsBackend::mt_state(const MountTarget& m, double t) const
{
  if (m.delete_start_s >= 0)
    return "deleting";
  return t < m.available_s ? "creating" : "available";
}

void EfsBackend::delete_mt(const std::string& id, double t, double delete_s)
{
  MountTarget& m = mt(id, t);
  if (m.delete_start_s >= 0)
    return;
  m.delete_start_s = t;
  m.gone_s = t + delete_s;
}

std::vector<MountTarget*> EfsBackend::mount_targets(const std::string& fs_id, double t)
{
  std::vector<MountTarget*> out;
  for (auto it = mts_.begin(); it != mts_.end();) {
    if (it->second.gone_s >= 0 && t >= it->second.gone_s) {
      it = mts_.erase(it);
      continue;
    }
    if (fs_id.empty() || it->second.fs_id == fs_id)
      out.push_back(&it->second);
    ++it;
  }
  return out;
}

AccessPoint& EfsBackend::create_ap(const std::string& region, const std::string& fs_id, const std::string& client_token,
                                   double t)
{
  FileSystem& f = fs(fs_id, t);
  if (fs_state(f, t) != "available")
    throw errors::invalid_state("File system '" + fs_id + "' is " + fs_state(f, t) + ".",
                                "IncorrectFileSystemLifeCycleState", 409);
  for (auto& [_, a] : aps_)
    if (!client_token.empty() && a.client_token == client_token)
      return a;  // an idempotent retry
  if (access_points(fs_id).size() >= 10000)
    throw AwsError("AccessPointLimitExceeded", "A file system can have at most 10,000 access points.", 403);
  const std::string id = platform::hex_id("fsap-", next_++, 17);
  AccessPoint& a = aps_[id];
  a.id = id;
  a.arn = arn_in(region, "elasticfilesystem", "access-point/" + id);
  a.fs_id = fs_id;
  a.client_token = client_token;
  a.created_s = t;
  return a;
}

AccessPoint& EfsBackend::ap(const std::string& id)
{
  auto it = aps_.find(id);
  if (it == aps_.end())
    throw errors::not_found("Access point '" + id + "' does not exist.", "AccessPointNotFound", 404);
  return it->second;
}

void EfsBackend::delete_ap(const std::string& id) { aps_.erase(ap(id).id); }

std::vector<const AccessPoint*> EfsBackend::access_points(const std::string& fs_id) const
{
  std::vector<const AccessPoint*> out;
  for (const auto& [_, a] : aps_)
    if (fs_id.empty() || a.fs_id == fs_id)
      out.push_back(&a);
  return out;
}

std::string EfsBackend::arn_of(const std::string& resource_id, double t)
{
  std::string id = resource_id;
  if (auto slash = id.rfind('/'); id.rfind("arn:", 0) == 0 && slash != std::string::npos)
    id = id.substr(slash + 1);
  if (id.rfind("fsap-", 0) == 0)
    return ap(id).arn;
  return fs(id, t).arn;
}

}  // namespace migsim::harness::serve::efs
