// The service table (see service_table.hpp). Rows from botocore 1.43's models.
#include "harness/aws/client/service_table.hpp"

#include <algorithm>
#include <cctype>

namespace migsim::aws {

const std::vector<ServiceEndpointInfo>& service_table()
{
  static const std::vector<ServiceEndpointInfo> table{
      {"application-autoscaling", "Application Auto Scaling", "application-autoscaling", "application-autoscaling",
       "json"},
      {"autoscaling", "Auto Scaling", "autoscaling", "autoscaling", "query"},
      {"cloudfront", "CloudFront", "cloudfront", "cloudfront", "rest-xml", true},
      // botocore 1.43 prefers smithy-rpc-v2-cbor for CloudWatch; it also speaks json and query.
      {"cloudwatch", "CloudWatch", "monitoring", "monitoring", "query"},
      {"dms", "Database Migration Service", "dms", "dms", "json"},
      {"ec2", "EC2", "ec2", "ec2", "ec2"},
      {"eks", "EKS", "eks", "eks", "rest-json"},
      {"elb", "Elastic Load Balancing", "elasticloadbalancing", "elasticloadbalancing", "query"},
      {"elbv2", "Elastic Load Balancing v2", "elasticloadbalancing", "elasticloadbalancing", "query"},
      {"iam", "IAM", "iam", "iam", "query", true},
      {"lambda", "Lambda", "lambda", "lambda", "rest-json"},
      {"logs", "CloudWatch Logs", "logs", "logs", "json"},
      {"mgn", "mgn", "mgn", "mgn", "rest-json"},
      {"rds", "RDS", "rds", "rds", "query"},
      {"route53", "Route 53", "route53", "route53", "rest-xml", true},
      {"s3", "S3", "s3", "s3", "rest-xml"},
      {"service-quotas", "Service Quotas", "servicequotas", "servicequotas", "json"},
      {"sns", "SNS", "sns", "sns", "query"},
      {"sqs", "SQS", "sqs", "sqs", "json"},
      {"ssm", "SSM", "ssm", "ssm", "json"},
      {"sts", "STS", "sts", "sts", "query"},
  };
  return table;
}

const ServiceEndpointInfo* find_service_endpoint(const std::string& name)
{
  for (const auto& s : service_table())
    if (s.name == name)
      return &s;
  return nullptr;
}

std::string endpoint_env_var(const std::string& service_id)
{
  std::string out = "AWS_ENDPOINT_URL_";
  for (unsigned char c : service_id)
    out.push_back(c == ' ' || c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  return out;
}

}  // namespace migsim::aws
