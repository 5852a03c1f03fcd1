// The AWS Load Balancer Controller on the simulated clock: every Ingress of IngressClass `alb` gets
// its ALB in the ELBv2 API (harness/serve/elbv2/ingress_alb.hpp) and its address in
// status.loadBalancer (kubectl get ingress: ADDRESS); a changed Ingress gets a new ALB, a deleted
// one's ALB is deleted. What ELBv2 refuses is a Warning Event on the Ingress (FailedDeployModel).
#pragma once

#include "harness/k8s/events.hpp"
#include "harness/k8s/store.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <functional>
#include <map>
#include <string>

namespace migsim::harness::k8s {

// The ALBs the controller made for a cluster's Ingresses: namespace/name -> (generation, ALB ARN).
using IngressAlbs = std::map<std::string, std::pair<int64_t, std::string>>;

void advance_ingresses(Store& store, IngressAlbs& albs, EventRecorder& events, serve::ServeContext& ctx,
                       const std::string& cluster, double now_s, const std::function<std::string(double)>& iso);

}  // namespace migsim::harness::k8s
