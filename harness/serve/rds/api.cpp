// RDS (query protocol, 2014-10-31) in the serve registry: each operation's handler and the input
// members it honours; an RdsError from the model becomes the AwsError the codec encodes.
#include "harness/serve/rds/rds_handlers.hpp"
#include "harness/serve/core/registry.hpp"
#include "models/rds/db_instance.hpp"

namespace migsim::harness::serve {

namespace {

// An RDS handler whose model refusals (RdsError) answer as the AwsError of the same code.
Handler wrap(json (*fn)(const json&, ServeContext&))
{
  return [fn](const json& in, ServeContext& ctx) {
    return errors::from_model<models::rds::RdsError>([&] { return fn(in, ctx); });
  };
}

}  // namespace

void register_rds_subnet_groups(Registry& r);  // subnet_groups.cpp

// Adds the RDS operations on the simulated DB instance.
void register_rds(Registry& r)
{
  register_rds_subnet_groups(r);
  r.add("rds", "DescribeDBInstances", {"DBInstanceIdentifier", "Filters"}, wrap(rds::describe_db_instances));
  r.add("rds", "RebootDBInstance", {"DBInstanceIdentifier", "ForceFailover"}, wrap(rds::reboot_db_instance));
  r.add("rds", "ModifyDBInstance",
        {"DBInstanceIdentifier", "DBInstanceClass", "AllocatedStorage", "MultiAZ", "ApplyImmediately"},
        wrap(rds::modify_db_instance));
  r.add("rds", "CreateDBInstance",
        {"DBInstanceIdentifier", "DBInstanceClass", "Engine", "EngineVersion", "MasterUsername", "MasterUserPassword",
         "ManageMasterUserPassword", "MultiAZ", "AvailabilityZone", "AllocatedStorage", "StorageType", "Iops",
         "StorageThroughput", "BackupRetentionPeriod", "DBName", "DBSubnetGroupName", "VpcSecurityGroupIds",
         "PreferredBackupWindow", "PreferredMaintenanceWindow", "Port", "PubliclyAccessible", "StorageEncrypted",
         "DeletionProtection", "CopyTagsToSnapshot", "AutoMinorVersionUpgrade", "DBParameterGroupName", "Tags"},
        wrap(rds::create_db_instance));
  r.add("rds", "CreateDBInstanceReadReplica",
        {"DBInstanceIdentifier", "SourceDBInstanceIdentifier", "DBInstanceClass", "AvailabilityZone", "Tags"},
        wrap(rds::create_db_instance_read_replica));
  r.add("rds", "DeleteDBInstance", {"DBInstanceIdentifier", "SkipFinalSnapshot", "FinalDBSnapshotIdentifier"},
        wrap(rds::delete_db_instance));
  r.add("rds", "PromoteReadReplica", {"DBInstanceIdentifier"}, wrap(rds::promote_read_replica));
}

}  // namespace migsim::harness::serve
