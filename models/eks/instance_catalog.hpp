// The EC2 instance types EKS worker nodes may use (m5, m6i, c6i, large to 4xlarge): the VPC CNI's
// max pods (ENIs x (IPv4 per ENI - 1) + 2, from the EKS AMI's eni-max-pods table) is this file's
// own figure; vCPUs and memory come from the shared EC2 catalogue (models/ec2/instance_types.json)
// and the us-east-1 Linux on-demand price from the shared price table
// (models/cost/prices-us-east-1.json), so the EKS model, the as-is estate and every bill read one
// source of prices. Also the allocatable a node reports after the EKS AMI's reservations
// (kube-reserved CPU: 6 % of the first core, 1 % of the second, 0.5 % of the next two, 0.25 % of
// the rest; memory 255 MiB + 11 MiB per max pod; eviction threshold 100 MiB).
#pragma once

#include "models/eks/resources.hpp"

#include <string>
#include <vector>

namespace migsim::models::eks {

struct InstanceType {
  std::string name;
  int vcpu = 0;
  int64_t memory_mib = 0;
  int max_pods = 0;
  double usd_per_hour = 0;  // models/cost price item "ec2.<name>"
  Resources allocatable;  // filled by the catalogue from the formula
};

// kube-reserved CPU (millicores) on a node with `vcpu` cores, per the EKS AMI's formula.
int64_t kube_reserved_cpu_m(int vcpu);
// kube-reserved memory (MiB): 255 + 11 x max pods.
int64_t kube_reserved_memory_mib(int max_pods);
// capacity - kube-reserved - eviction threshold (100 MiB).
Resources eks_allocatable(int vcpu, int64_t memory_mib, int max_pods);

// The catalogue (sorted by name); throws std::out_of_range for an unknown type.
const std::vector<InstanceType>& instance_catalog();
const InstanceType& instance_type(const std::string& name);

}  // namespace migsim::models::eks
