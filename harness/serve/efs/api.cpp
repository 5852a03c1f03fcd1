// EFS's operation table (rest-json): decoded input -> EfsBackend -> output.
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/ec2/network.hpp"
#include "harness/serve/efs/backend.hpp"

namespace migsim::harness::serve {

namespace {

using efs::EfsBackend;

// This region's EFS, its mount targets finding their subnet (availability zone, VPC, CIDR) in the
// same region's EC2 networking.
EfsBackend& be(ServeContext& ctx)
{
  return ctx.state<EfsBackend>([&ctx] {
    auto b = std::make_unique<EfsBackend>();
    b->subnet_lookup = [&ctx](const std::string& id) -> std::optional<efs::SubnetInfo> {
      const auto& subnets = ec2net::network(ctx).subnets;
      const auto it = subnets.find(id);
      if (it == subnets.end())
        return std::nullopt;
      return efs::SubnetInfo{it->second.value("AvailabilityZone", ""), it->second.value("VpcId", ""),
                             it->second.value("CidrBlock", "")};
    };
    return b;
  });
}
double now(ServeContext& ctx) { return ctx.simulation.now(); }
std::string str(const json& in, const char* k) { return in.value(k, std::string()); }

json fs_json(ServeContext& ctx, EfsBackend& b, const efs::FileSystem& f, double t)
{
  json j = {{"OwnerId", kAccountId},
            {"CreationToken", f.creation_token},
            {"FileSystemId", f.id},
            {"FileSystemArn", f.arn},
            {"CreationTime", epoch_s(f.created_s)},
            {"LifeCycleState", b.fs_state(f, t)},
            {"NumberOfMountTargets", b.mount_target_count(f.id, t)},
            {"SizeInBytes", {{"Value", 6144}, {"Timestamp", epoch_s(t)}, {"ValueInIA", 0}, {"ValueInStandard", 6144},
                             {"ValueInArchive", 0}}},
            {"PerformanceMode", f.performance_mode},
            {"Encrypted", f.encrypted},
            {"ThroughputMode", f.throughput_mode},
            {"Tags", ctx.state<Tags>().list(f.arn)},
            {"FileSystemProtection", {{"ReplicationOverwriteProtection", "ENABLED"}}}};
  if (const std::string name = ctx.state<Tags>().value(f.arn, "Name"); !name.empty())
    j["Name"] = name;
  if (f.encrypted)
    j["KmsKeyId"] = f.kms_key_id;
  if (f.throughput_mode == "provisioned")
    j["ProvisionedThroughputInMibps"] = f.provisioned_mibps;
  return j;
}

json mt_json(EfsBackend& b, const efs::MountTarget& m, double t)
{
  json j = {{"OwnerId", kAccountId}, {"MountTargetId", m.id},     {"FileSystemId", m.fs_id},
            {"SubnetId", m.subnet_id},       {"LifeCycleState", b.mt_state(m, t)}, {"IpAddress", m.ip},
            {"NetworkInterfaceId", m.eni_id}};
  if (!m.az.empty()) {
    j["AvailabilityZoneName"] = m.az;
    j["AvailabilityZoneId"] = "use1-az" + std::to_string(1 + (m.az.back() - 'a'));
  }
  if (!m.vpc_id.empty())
    j["VpcId"] = m.vpc_id;
  return j;
}

json ap_json(ServeContext& ctx, const efs::AccessPoint& a)
{
  json j = {{"ClientToken", a.client_token},      {"Tags", ctx.state<Tags>().list(a.arn)}, {"AccessPointId", a.id},
            {"AccessPointArn", a.arn},            {"FileSystemId", a.fs_id},              {"OwnerId", kAccountId},
            {"LifeCycleState", "available"}};
  if (const std::string name = ctx.state<Tags>().value(a.arn, "Name"); !name.empty())
    j["Name"] = name;
  if (!a.posix_user.is_null())
    j["PosixUser"] = a.posix_user;
  j["RootDirectory"] = a.root_directory.is_null() ? json{{"Path", "/"}} : a.root_directory;
  return j;
}

// EFS's Marker/MaxItems paging.
json page(const json& in, const json& items, const char* key)
{
  auto p = platform::marker_page(items, platform::marker_offset(in, "Marker", "BadRequest"), in.value("MaxItems", 100));
  json out = {{key, std::move(p.items)}};
  if (!p.next.empty())
    out["NextMarker"] = p.next;
  return out;
}

void register_file_systems(Registry& r)
{
  r.add("efs", "CreateFileSystem",
        {"CreationToken", "PerformanceMode", "Encrypted", "KmsKeyId", "ThroughputMode", "ProvisionedThroughputInMibps", "Tags"},
        [](const json& in, ServeContext& ctx) {
          const std::string perf = in.value("PerformanceMode", "generalPurpose");
          const std::string tput = in.value("ThroughputMode", "bursting");
          if (perf == "maxIO" && tput == "elastic")
            throw errors::validation("Elastic throughput is not supported with the maxIO performance mode.", "BadRequest");
          if (tput == "provisioned" && !in.contains("ProvisionedThroughputInMibps"))
            throw errors::validation("ProvisionedThroughputInMibps is required with the provisioned throughput mode.",
                                     "BadRequest");
          const TagMap tags = tags_from(in.value("Tags", json::array()));
          auto& f = be(ctx).create_fs(region(ctx), str(in, "CreationToken"), now(ctx),
                                      ctx.state<ProvisioningTimes>()("efs_file_system_create_s"));
          f.performance_mode = perf;
          f.throughput_mode = tput;
          f.provisioned_mibps = in.value("ProvisionedThroughputInMibps", 0.0);
          f.encrypted = in.value("Encrypted", false);
          if (f.encrypted)
            f.kms_key_id = in.value("KmsKeyId", arn(ctx, "kms", "alias/aws/elasticfilesystem"));
          ctx.state<Tags>().forget(f.arn);
          ctx.state<Tags>().tag(f.arn, tags);
          ctx.state<ResourceTimeline>().created("efs", "FileSystem", f.id, f.created_s, f.available_s, ctx.request_id);
          return fs_json(ctx, be(ctx), f, now(ctx));
        });
  r.add("efs", "DescribeFileSystems", {"FileSystemId", "CreationToken", "MaxItems", "Marker"},
        [](const json& in, ServeContext& ctx) {
          json items = json::array();
          if (in.contains("FileSystemId"))
            items.push_back(fs_json(ctx, be(ctx), be(ctx).fs(str(in, "FileSystemId"), now(ctx)), now(ctx)));
          else
            for (const auto* f : be(ctx).file_systems())
              if (!in.contains("CreationToken") || f->creation_token == str(in, "CreationToken"))
                items.push_back(fs_json(ctx, be(ctx), *f, now(ctx)));
          return page(in, items, "FileSystems");
        });
  r.add("efs", "UpdateFileSystem", {"FileSystemId", "ThroughputMode", "ProvisionedThroughputInMibps"},
        [](const json& in, ServeContext& ctx) {
          auto& f = be(ctx).fs(str(in, "FileSystemId"), now(ctx));
          f.throughput_mode = in.value("ThroughputMode", f.throughput_mode);
          f.provisioned_mibps = in.value("ProvisionedThroughputInMibps", f.provisioned_mibps);
          return fs_json(ctx, be(ctx), f, now(ctx));
        });
  r.add("efs", "DeleteFileSystem", {"FileSystemId"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = be(ctx).fs(str(in, "FileSystemId"), now(ctx)).arn;
    be(ctx).delete_fs(str(in, "FileSystemId"), now(ctx));
    ctx.state<Tags>().forget(arn);
    return json::object();
  });
  r.add("efs", "PutLifecycleConfiguration", {"FileSystemId", "LifecyclePolicies"}, [](const json& in, ServeContext& ctx) {
    auto& f = be(ctx).fs(str(in, "FileSystemId"), now(ctx));
    f.lifecycle_policies.clear();
    for (const auto& p : in.value("LifecyclePolicies", json::array()))
      f.lifecycle_policies.push_back(p);
    return json{{"LifecyclePolicies", f.lifecycle_policies}};
  });
  r.add("efs", "DescribeLifecycleConfiguration", {"FileSystemId"}, [](const json& in, ServeContext& ctx) {
    return json{{"LifecyclePolicies", be(ctx).fs(str(in, "FileSystemId"), now(ctx)).lifecycle_policies}};
  });
  r.add("efs", "PutBackupPolicy", {"FileSystemId", "BackupPolicy.Status"}, [](const json& in, ServeContext& ctx) {
    auto& f = be(ctx).fs(str(in, "FileSystemId"), now(ctx));
    f.backup_status = in.value("BackupPolicy", json::object()).value("Status", "DISABLED");
    return json{{"BackupPolicy", {{"Status", f.backup_status}}}};
  });
  r.add("efs", "DescribeBackupPolicy", {"FileSystemId"}, [](const json& in, ServeContext& ctx) {
    auto& f = be(ctx).fs(str(in, "FileSystemId"), now(ctx));
    return json{{"BackupPolicy", {{"Status", f.backup_status.empty() ? "DISABLED" : f.backup_status}}}};
  });
  r.add("efs", "PutFileSystemPolicy", {"FileSystemId", "Policy"}, [](const json& in, ServeContext& ctx) {
    if (!json::accept(str(in, "Policy")))
      throw errors::validation("Policy is not valid JSON.", "InvalidPolicyException");
    auto& f = be(ctx).fs(str(in, "FileSystemId"), now(ctx));
    f.policy = str(in, "Policy");
    return json{{"FileSystemId", f.id}, {"Policy", f.policy}};
  });
  r.add("efs", "DescribeFileSystemPolicy", {"FileSystemId"}, [](const json& in, ServeContext& ctx) {
    auto& f = be(ctx).fs(str(in, "FileSystemId"), now(ctx));
    if (f.policy.empty())
      throw errors::not_found("File system '" + f.id + "' has no policy.", "PolicyNotFound", 404);
    return json{{"FileSystemId", f.id}, {"Policy", f.policy}};
  });
  r.add("efs", "DeleteFileSystemPolicy", {"FileSystemId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).fs(str(in, "FileSystemId"), now(ctx)).policy.clear();
    return json::object();
  });
  r.add("efs", "DescribeReplicationConfigurations", {"FileSystemId"}, [](const json& in, ServeContext& ctx) {
    if (in.contains("FileSystemId"))
      be(ctx).fs(str(in, "FileSystemId"), now(ctx));
    throw errors::not_found("No replication configuration found.", "ReplicationNotFound", 404);
    return json::object();
  });
}

void register_mount_targets_and_access_points(Registry& r)
{
  r.add("efs", "CreateMountTarget", {"FileSystemId", "SubnetId", "IpAddress", "SecurityGroups"},
        [](const json& in, ServeContext& ctx) {
          auto& m = be(ctx).create_mt(str(in, "FileSystemId"), str(in, "SubnetId"), str(in, "IpAddress"),
                                      strings(in, "SecurityGroups"), now(ctx),
                                      ctx.state<ProvisioningTimes>()("efs_mount_target_create_s"));
          ctx.state<ResourceTimeline>().created("efs", "MountTarget", m.id, m.created_s, m.available_s, ctx.request_id);
          return mt_json(be(ctx), m, now(ctx));
        });
  r.add("efs", "DescribeMountTargets", {"FileSystemId", "MountTargetId", "AccessPointId", "MaxItems", "Marker"},
        [](const json& in, ServeContext& ctx) {
          const double t = now(ctx);
          json items = json::array();
          if (in.contains("MountTargetId")) {
            items.push_back(mt_json(be(ctx), be(ctx).mt(str(in, "MountTargetId"), t), t));
          } else {
            std::string fs_id = str(in, "FileSystemId");
            if (in.contains("AccessPointId"))
              fs_id = be(ctx).ap(str(in, "AccessPointId")).fs_id;
            if (fs_id.empty())
              throw errors::validation("One of FileSystemId, MountTargetId or AccessPointId is required.", "BadRequest");
            be(ctx).fs(fs_id, t);
            for (auto* m : be(ctx).mount_targets(fs_id, t))
              items.push_back(mt_json(be(ctx), *m, t));
          }
          return page(in, items, "MountTargets");
        });
  r.add("efs", "DeleteMountTarget", {"MountTargetId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).delete_mt(str(in, "MountTargetId"), now(ctx), ctx.state<ProvisioningTimes>()("efs_mount_target_delete_s"));
    return json::object();
  });
  r.add("efs", "DescribeMountTargetSecurityGroups", {"MountTargetId"}, [](const json& in, ServeContext& ctx) {
    return json{{"SecurityGroups", be(ctx).mt(str(in, "MountTargetId"), now(ctx)).security_groups}};
  });
  r.add("efs", "ModifyMountTargetSecurityGroups", {"MountTargetId", "SecurityGroups"}, [](const json& in, ServeContext& ctx) {
    auto& m = be(ctx).mt(str(in, "MountTargetId"), now(ctx));
    if (be(ctx).mt_state(m, now(ctx)) != "available")
      throw errors::invalid_state("Mount target '" + m.id + "' is " + be(ctx).mt_state(m, now(ctx)) + ".",
                                  "IncorrectMountTargetState", 409);
    m.security_groups = strings(in, "SecurityGroups");
    return json::object();
  });
  r.add("efs", "CreateAccessPoint", {"ClientToken", "Tags", "FileSystemId", "PosixUser", "RootDirectory"},
        [](const json& in, ServeContext& ctx) {
          const TagMap tags = tags_from(in.value("Tags", json::array()));
          auto& a = be(ctx).create_ap(region(ctx), str(in, "FileSystemId"), str(in, "ClientToken"), now(ctx));
          ctx.state<Tags>().tag(a.arn, tags);
          if (in.contains("PosixUser"))
            a.posix_user = in["PosixUser"];
          if (in.contains("RootDirectory"))
            a.root_directory = in["RootDirectory"];
          return ap_json(ctx, a);
        });
  r.add("efs", "DescribeAccessPoints", {"FileSystemId", "AccessPointId", "MaxResults", "NextToken"},
        [](const json& in, ServeContext& ctx) {
          json items = json::array();
          if (in.contains("AccessPointId"))
            items.push_back(ap_json(ctx, be(ctx).ap(str(in, "AccessPointId"))));
          else
            for (const auto* a : be(ctx).access_points(str(in, "FileSystemId")))
              items.push_back(ap_json(ctx, *a));
          const Page page = paginate(items, in);
          json out = {{"AccessPoints", page.items}};
          if (!page.next_token.empty())
            out["NextToken"] = page.next_token;
          return out;
        });
  r.add("efs", "DeleteAccessPoint", {"AccessPointId"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = be(ctx).ap(str(in, "AccessPointId")).arn;
    be(ctx).delete_ap(str(in, "AccessPointId"));
    ctx.state<Tags>().forget(arn);
    return json::object();
  });
  r.add("efs", "TagResource", {"ResourceId", "Tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(be(ctx).arn_of(str(in, "ResourceId"), now(ctx)), tags_from(in["Tags"]));
    return json::object();
  });
  r.add("efs", "UntagResource", {"ResourceId", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().untag(be(ctx).arn_of(str(in, "ResourceId"), now(ctx)),
                            in["TagKeys"].get<std::vector<std::string>>());
    return json::object();
  });
  r.add("efs", "ListTagsForResource", {"ResourceId"}, [](const json& in, ServeContext& ctx) {
    return json{{"Tags", ctx.state<Tags>().list(be(ctx).arn_of(str(in, "ResourceId"), now(ctx)))}};
  });
}

}  // namespace

// Registers EFS (rest-json): file systems, mount targets, access points, policies, tags.
void register_efs(Registry& r)
{
  register_file_systems(r);
  register_mount_targets_and_access_points(r);
}

}  // namespace migsim::harness::serve
