#include "models/eks/instance_catalog.hpp"

#include <algorithm>
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
    // name, vCPU, memory MiB, max pods (ENI limits), USD/h (us-east-1, Linux, on-demand).
    std::vector<InstanceType> t = {
        {"c6i.2xlarge", 8, 16384, 58, 0.34, {}}, {"c6i.4xlarge", 16, 32768, 234, 0.68, {}},
        {"c6i.large", 2, 4096, 29, 0.085, {}},   {"c6i.xlarge", 4, 8192, 58, 0.17, {}},
        {"m5.2xlarge", 8, 32768, 58, 0.384, {}}, {"m5.4xlarge", 16, 65536, 234, 0.768, {}},
        {"m5.large", 2, 8192, 29, 0.096, {}},    {"m5.xlarge", 4, 16384, 58, 0.192, {}},
        {"m6i.2xlarge", 8, 32768, 58, 0.384, {}}, {"m6i.4xlarge", 16, 65536, 234, 0.768, {}},
        {"m6i.large", 2, 8192, 29, 0.096, {}},    {"m6i.xlarge", 4, 16384, 58, 0.192, {}},
    };
    for (auto& i : t)
      i.allocatable = eks_allocatable(i.vcpu, i.memory_mib, i.max_pods);
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
