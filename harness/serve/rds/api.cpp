// RDS (query protocol, 2014-10-31) in the serve registry: each operation's handler and the input
// members it honours (rds/backend answers the model's refusals as AwsError).
#include "harness/serve/rds/backend.hpp"
#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve {

void register_rds_subnet_groups(Registry& r);  // subnet_groups.cpp

// Adds the RDS operations on the simulated DB instance.
void register_rds(Registry& r)
{
  register_rds_subnet_groups(r);
  r.add("rds", "DescribeDBInstances", {"DBInstanceIdentifier", "Filters"}, rds::describe_db_instances);
  r.add("rds", "RebootDBInstance", {"DBInstanceIdentifier", "ForceFailover"}, rds::reboot_db_instance);
  r.add("rds", "ModifyDBInstance",
        {"DBInstanceIdentifier", "DBInstanceClass", "AllocatedStorage", "MultiAZ", "ApplyImmediately"},
        rds::modify_db_instance);
  r.add("rds", "CreateDBInstance",
        {"DBInstanceIdentifier", "DBInstanceClass", "Engine", "EngineVersion", "MasterUsername", "MasterUserPassword",
         "ManageMasterUserPassword", "MultiAZ", "AvailabilityZone", "AllocatedStorage", "StorageType", "Iops",
         "StorageThroughput", "BackupRetentionPeriod", "DBName", "DBSubnetGroupName", "VpcSecurityGroupIds",
         "PreferredBackupWindow", "PreferredMaintenanceWindow", "Port", "PubliclyAccessible", "StorageEncrypted",
         "DeletionProtection", "CopyTagsToSnapshot", "AutoMinorVersionUpgrade", "DBParameterGroupName", "Tags"},
        rds::create_db_instance);
  r.add("rds", "CreateDBInstanceReadReplica",
        {"DBInstanceIdentifier", "SourceDBInstanceIdentifier", "DBInstanceClass", "AvailabilityZone", "Tags"},
        rds::create_db_instance_read_replica);
  r.add("rds", "DeleteDBInstance", {"DBInstanceIdentifier", "SkipFinalSnapshot", "FinalDBSnapshotIdentifier"},
        rds::delete_db_instance);
  r.add("rds", "PromoteReadReplica", {"DBInstanceIdentifier"}, rds::promote_read_replica);
}

}  // namespace migsim::harness::serve
