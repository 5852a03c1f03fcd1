// Resource quantities as Kubernetes writes them ("250m", "0.5", "2" CPUs; "256Mi", "1Gi", "512M",
// "1e9" bytes), read into the EKS model's units: CPU millicores, memory MiB.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

namespace migsim::harness::k8s {

// The quantity's value in base units (cores, bytes); nullopt when `q` is not a quantity.
std::optional<double> quantity_value(const nlohmann::json& q);
// nullopt when `q` is not a quantity.
std::optional<int64_t> cpu_millicores(const nlohmann::json& q);
std::optional<int64_t> memory_mib(const nlohmann::json& q);  // rounded up to whole MiB

}  // namespace migsim::harness::k8s
