// What the client needs to know about each AWS service to address and sign it, copied from
// botocore's service models (metadata.serviceId, endpointPrefix, signingName, protocol) and
// endpoint rules (the partition-global services). tests/harness/test_aws_client_services.cpp
// checks every row against the installed botocore.
#pragma once

#include <string>
#include <vector>

namespace migsim::aws {

// One service, keyed by its botocore client name ("elbv2").
struct ServiceEndpointInfo {
  std::string name;             // botocore client name
  std::string service_id;       // metadata.serviceId ("Elastic Load Balancing v2")
  std::string endpoint_prefix;  // host prefix ("elasticloadbalancing")
  std::string signing_name;     // SigV4 credential-scope service
  std::string protocol;         // "json", "rest-json", "query", "rest-xml", "ec2"
  bool global = false;          // one endpoint per partition, signed in us-east-1 (route53, iam, cloudfront)
};

// Every service of the table, sorted by name.
const std::vector<ServiceEndpointInfo>& service_table();
// A service by client name; nullptr when not in the table.
const ServiceEndpointInfo* find_service_endpoint(const std::string& name);
// The SDKs' per-service endpoint variable: "AWS_ENDPOINT_URL_" + serviceId upper-cased with spaces
// as underscores ("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2").
std::string endpoint_env_var(const std::string& service_id);

}  // namespace migsim::aws
