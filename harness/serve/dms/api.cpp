// DMS's operation table (json 1.1, X-Amz-Target: AmazonDMSv20160101.<Op>): decoded input ->
// dms/backend -> output. Replication subnet groups and DMS tags are in subnet_groups.cpp.
#include "harness/serve/dms/backend.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

namespace migsim::harness::serve {

namespace {

// DMS's code for a bad parameter (the codec's shape checks answer ValidationException before).
AwsError invalid_parameter(const std::string& message)
{
  return errors::validation(message, "InvalidParameterValueException");
}

// A required string member.
std::string required(const json& in, const char* key)
{
  if (!in.contains(key) || !in[key].is_string() || in[key].get<std::string>().empty())
    throw errors::error("InvalidParameterValueException", std::string(key) + " is required");
  return in[key];
}

// The ReplicationConfigArn of the serverless replication operations.
std::string config_arn(const json& in)
{
  if (!in.contains("ReplicationConfigArn") || !in["ReplicationConfigArn"].is_string())
    throw invalid_parameter("ReplicationConfigArn (string) is required");
  return in["ReplicationConfigArn"];
}

// Checks the paging parameters the serverless Describe* take (we never need more than one page).
void check_paging(const json& p)
{
  if (p.contains("MaxRecords")) {
    const json& n = p["MaxRecords"];
    if (!n.is_number_integer() || n.get<long long>() < 20 || n.get<long long>() > 100)
      throw invalid_parameter("MaxRecords must be an integer from 20 to 100");
  }
  if (p.contains("Marker") && !p["Marker"].is_string())
    throw invalid_parameter("Marker must be a string");
}

// DMS filters: values match case-insensitively (endpoint-type=source finds the SOURCE endpoint).
const FilterSyntax kDmsFilters{.case_insensitive = true, .code = "InvalidParameterValueException"};

// The filter names a Describe* accepts and the member each one matches.
FilterFields fields(const std::map<std::string, std::string>& names)
{
  FilterFields out;
  for (const auto& [name, member] : names)
    out[name] = [member = member](const json& item) { return item.contains(member) ? item[member].get<std::string>() : ""; };
  return out;
}

const FilterFields kConfigFilters = fields({{"replication-config-arn", "ReplicationConfigArn"},
                                            {"replication-config-id", "ReplicationConfigIdentifier"}});
const FilterFields kEndpointFilters = fields({{"endpoint-arn", "EndpointArn"},
                                              {"endpoint-id", "EndpointIdentifier"},
                                              {"endpoint-type", "EndpointType"},
                                              {"engine-name", "EngineName"}});
const FilterFields kTableFilters = fields({{"table-name", "TableName"}, {"table-state", "TableState"}});
const FilterFields kConnectionFilters = fields({{"endpoint-arn", "EndpointArn"},
                                                {"replication-instance-arn", "ReplicationInstanceArn"}});
const FilterFields kInstanceFilters = fields({{"replication-instance-arn", "ReplicationInstanceArn"},
                                              {"replication-instance-id", "ReplicationInstanceIdentifier"},
                                              {"replication-instance-class", "ReplicationInstanceClass"}});
const FilterFields kTaskFilters = fields({{"replication-task-arn", "ReplicationTaskArn"},
                                          {"replication-task-id", "ReplicationTaskIdentifier"},
                                          {"migration-type", "MigrationType"},
                                          {"endpoint-arn", "SourceEndpointArn"},
                                          {"replication-instance-arn", "ReplicationInstanceArn"}});

}  // namespace

void register_dms_subnet_groups(Registry& r);  // subnet_groups.cpp

void register_dms(Registry& r)
{
  register_dms_subnet_groups(r);

  // The serverless replications (the scenario's).
  r.add("dms", "DescribeReplications", {"Filters", "MaxRecords", "Marker"}, [](const json& in, ServeContext& ctx) {
    check_paging(in);
    return json{{"Replications", apply_filters(dms::replications(ctx), in, kConfigFilters, kDmsFilters)}};
  });
  r.add("dms", "DescribeReplicationTableStatistics", {"ReplicationConfigArn", "Filters", "MaxRecords", "Marker"},
        [](const json& in, ServeContext& ctx) {
          check_paging(in);
          const std::string arn = config_arn(in);
          return json{{"ReplicationConfigArn", arn},
                      {"ReplicationTableStatistics",
                       apply_filters(dms::table_statistics(ctx, arn), in, kTableFilters, kDmsFilters)}};
        });
  r.add("dms", "StartReplication", {"ReplicationConfigArn", "StartReplicationType"}, [](const json& in, ServeContext& ctx) {
    return json{{"Replication", dms::start_replication(ctx, config_arn(in), in.value("StartReplicationType", std::string()))}};
  });
  r.add("dms", "StopReplication", {"ReplicationConfigArn"}, [](const json& in, ServeContext& ctx) {
    return json{{"Replication", dms::stop_replication(ctx, config_arn(in))}};
  });

  // Replication configs.
  r.add("dms", "DescribeReplicationConfigs", {"Filters", "MaxRecords", "Marker"}, [](const json& in, ServeContext& ctx) {
    check_paging(in);
    return json{{"ReplicationConfigs", apply_filters(dms::configs(ctx), in, kConfigFilters, kDmsFilters)}};
  });
  r.add("dms", "CreateReplicationConfig",
        {"ReplicationConfigIdentifier", "SourceEndpointArn", "TargetEndpointArn", "ReplicationType", "ComputeConfig",
         "TableMappings", "ReplicationSettings", "SupplementalSettings", "Tags"},
        [](const json& in, ServeContext& ctx) {
          json c = dms::create_config(ctx, in);
          ctx.state<Tags>().add(c["ReplicationConfigArn"], in.value("Tags", json::array()));
          return json{{"ReplicationConfig", c}};
        });
  r.add("dms", "ModifyReplicationConfig", {"ReplicationConfigArn", "ReplicationSettings"},
        [](const json& in, ServeContext& ctx) {
          required(in, "ReplicationConfigArn");
          return json{{"ReplicationConfig", dms::modify_config(ctx, in)}};
        });
  r.add("dms", "DeleteReplicationConfig", {"ReplicationConfigArn"}, [](const json& in, ServeContext& ctx) {
    return json{{"ReplicationConfig", dms::delete_config(ctx, required(in, "ReplicationConfigArn"))}};
  });

  // Endpoints and connections.
  r.add("dms", "DescribeEndpoints", {"Filters", "MaxRecords", "Marker"}, [](const json& in, ServeContext& ctx) {
    check_paging(in);
    return json{{"Endpoints", apply_filters(dms::endpoints(ctx), in, kEndpointFilters, kDmsFilters)}};
  });
  r.add("dms", "CreateEndpoint",
        {"EndpointIdentifier", "EndpointType", "EngineName", "ServerName", "Port", "DatabaseName", "Username", "SslMode",
         "Tags"},
        [](const json& in, ServeContext& ctx) {
          json e = dms::create_endpoint(ctx, in);
          ctx.state<Tags>().add(e["EndpointArn"], in.value("Tags", json::array()));
          return json{{"Endpoint", e}};
        });
  r.add("dms", "DeleteEndpoint", {"EndpointArn"}, [](const json& in, ServeContext& ctx) {
    return json{{"Endpoint", dms::delete_endpoint(ctx, required(in, "EndpointArn"))}};
  });
  r.add("dms", "TestConnection", {"ReplicationInstanceArn", "EndpointArn"}, [](const json& in, ServeContext& ctx) {
    const std::string instance = required(in, "ReplicationInstanceArn"), endpoint = required(in, "EndpointArn");
    return json{{"Connection", dms::test_connection(ctx, instance, endpoint)}};
  });
  r.add("dms", "DescribeConnections", {"Filters"}, [](const json& in, ServeContext& ctx) {
    return json{{"Connections", apply_filters(dms::connections(ctx), in, kConnectionFilters, kDmsFilters)}};
  });

  // Classic replication instances and tasks.
  r.add("dms", "CreateReplicationInstance",
        {"ReplicationInstanceIdentifier", "ReplicationInstanceClass", "AllocatedStorage", "MultiAZ", "EngineVersion",
         "PubliclyAccessible"},
        [](const json& in, ServeContext& ctx) {
          return json{{"ReplicationInstance", dms::create_instance(ctx, in)}};
        });
  r.add("dms", "DescribeReplicationInstances", {"Filters"}, [](const json& in, ServeContext& ctx) {
    return json{{"ReplicationInstances", apply_filters(dms::instances(ctx), in, kInstanceFilters, kDmsFilters)}};
  });
  r.add("dms", "DeleteReplicationInstance", {"ReplicationInstanceArn"}, [](const json& in, ServeContext& ctx) {
    return json{{"ReplicationInstance", dms::delete_instance(ctx, required(in, "ReplicationInstanceArn"))}};
  });
  r.add("dms", "CreateReplicationTask",
        {"ReplicationTaskIdentifier", "SourceEndpointArn", "TargetEndpointArn", "ReplicationInstanceArn", "MigrationType",
         "TableMappings"},
        [](const json& in, ServeContext& ctx) { return json{{"ReplicationTask", dms::create_task(ctx, in)}}; });
  r.add("dms", "StartReplicationTask", {"ReplicationTaskArn", "StartReplicationTaskType"},
        [](const json& in, ServeContext& ctx) {
          const std::string task = required(in, "ReplicationTaskArn");
          return json{{"ReplicationTask", dms::start_task(ctx, task, in.value("StartReplicationTaskType", std::string()))}};
        });
  r.add("dms", "StopReplicationTask", {"ReplicationTaskArn"}, [](const json& in, ServeContext& ctx) {
    return json{{"ReplicationTask", dms::stop_task(ctx, required(in, "ReplicationTaskArn"))}};
  });
  r.add("dms", "DeleteReplicationTask", {"ReplicationTaskArn"}, [](const json& in, ServeContext& ctx) {
    return json{{"ReplicationTask", dms::delete_task(ctx, required(in, "ReplicationTaskArn"))}};
  });
  r.add("dms", "DescribeReplicationTasks", {"Filters", "WithoutSettings"}, [](const json& in, ServeContext& ctx) {
    return json{{"ReplicationTasks", apply_filters(dms::tasks(ctx), in, kTaskFilters, kDmsFilters)}};
  });
}

}  // namespace migsim::harness::serve
