// The AWS operations a runbook may call: for each boto3 client name (dms, mgn, route53, elbv2,
// autoscaling, rds, eks, cloudwatch, sns, ssm, sts, s3), every operation with its input members
// and the required ones, generated from the botocore service models (gen_operations.py) and
// compiled in, so a runbook naming an unknown Api or input fails before any call.
#pragma once

#include <string>
#include <vector>

namespace migsim::harness::runbook {

struct OperationInfo {
  std::vector<std::string> members;
  std::vector<std::string> required;
};

// Whether the service (boto3 client name) is in the table.
bool known_service(const std::string& service);
// The operation, or nullptr when the service has no such operation.
const OperationInfo* find_operation(const std::string& service, const std::string& api);
// Every service name in the table, sorted.
std::vector<std::string> known_services();
// The botocore version the table was generated from.
std::string operations_source();

}  // namespace migsim::harness::runbook
