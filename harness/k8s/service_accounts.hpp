// The ServiceAccount controller: every namespace has a ServiceAccount named `default` (made when the
// namespace appears, made again when deleted), as kube-controller-manager keeps it.
#pragma once

#include "harness/k8s/store.hpp"

#include <functional>
#include <string>

namespace migsim::harness::k8s {

void advance_service_accounts(Store& store, double now_s, const std::function<std::string(double)>& iso);

}  // namespace migsim::harness::k8s
