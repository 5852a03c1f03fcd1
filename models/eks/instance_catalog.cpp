#include "models/eks/instance_catalog.hpp"

#include "models/cost/cost_model.hpp"
#include "models/ec2/instance_catalog.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace migsim::models::eks {

int64_t kube_reserved_cpu_m(int vcpu)
{
  // 6 % of the first core, 1 % of the second, 0.5 % of cores 3-4, 0.25 % of every core above 4.
  double m = 0;
  for (int c = 1; c <= vcpu; ++c)
    m += c == 1 ? 60 : c == 2 ? 10 : c <= 4 ? 5 : 2.5;
  return static_cast<int64_t>(m);
}

int64_t kube_reserved_memory_mib(int max_pods) { return 255 + 11 * static_cast<int64_t>(max_pods); }

Resources eks_allocatable(int vcpu, int64_t memory_mib, int max_pods)
{
  constexpr int64_t kEvictionHardMib = 100;
  return {vcpu * 1000 - kube_reserved_cpu_m(vcpu), memory_mib - kube_reserved_memory_mib(max_pods) - kEvictionHardMib};
}

const std::vector<InstanceType>& instance_catalog()
{
  static const std::vector<InstanceType> table = [] {
    // name and max pods (VPC CNI, ENI limits); sorted by name. The rest comes from the shared
    // catalogues: a type missing from either is a build-time data error caught by the tests.
    const std::vector<std::pair<const char*, int>> max_pods = {
        {"c6i.2xlarge", 58}, {"c6i.4xlarge", 234}, {"c6i.large", 29},  {"c6i.xlarge", 58},
        {"m5.2xlarge", 58},  {"m5.4xlarge", 234},  {"m5.large", 29},   {"m5.xlarge", 58},
        {"m6i.2xlarge", 58}, {"m6i.4xlarge", 234}, {"m6i.large", 29},  {"m6i.xlarge", 58},
    };
    const auto& ec2 = ec2::default_instance_catalog();
    const auto& prices = cost::default_price_table();
    std::vector<InstanceType> t;
    for (const auto& [name, pods] : max_pods) {
      const auto& e = ec2.at(name);
      InstanceType i;
      i.name = name;
      i.vcpu = e.vcpu;
      i.memory_mib = static_cast<int64_t>(std::llround(e.memory_gib * 1024));
      i.max_pods = pods;
      i.usd_per_hour = prices.at(std::string("ec2.") + name).usd;
      i.allocatable = eks_allocatable(i.vcpu, i.memory_mib, i.max_pods);
      t.push_back(std::move(i));
    }
    return t;
  }();
  return table;
}

const InstanceType& instance_type(const std::string& name)
{
  const auto& t = instance_catalog();
  auto it = std::find_if(t.begin(), t.end(), [&](auto& i) { return i.name == name; });
  if (it == t.end())
    throw std::out_of_range("unknown instance type \"" + name + "\"");
  return *it;
}

}  // namespace migsim::models::eks
