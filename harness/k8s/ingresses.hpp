// The AWS Load Balancer Controller on the simulated clock: every Ingress of IngressClass `alb` gets
// its ALB in the ELBv2 API (harness/serve/elbv2/ingress_alb.hpp) and its address in
// status.loadBalancer (kubectl get ingress: ADDRESS); a changed Ingress gets a new ALB, a deleted
// one's ALB is deleted. With target type ip, each backend Service's ready pods (their IPs and the
// Service's targetPort) are its target group's targets, registered and deregistered as pods come
// and go. What ELBv2 refuses is a Warning Event on the Ingress (FailedDeployModel).
#pragma once

#include "harness/k8s/events.hpp"
#include "harness/k8s/store.hpp"
#include "harness/serve/core/serve_context.hpp"
#include "harness/serve/elbv2/ingress_alb.hpp"

#include <functional>
#include <map>
#include <string>

namespace migsim::harness::k8s {

// The ALBs the controller made for a cluster's Ingresses, by namespace/name: for which generation
// of the Ingress (an empty ARN: ELBv2 refused it).
struct IngressAlbState {
  int64_t generation = 0;
  serve::elbv2::IngressAlb alb;
};
using IngressAlbs = std::map<std::string, IngressAlbState>;

void advance_ingresses(Store& store, IngressAlbs& albs, EventRecorder& events, serve::ServeContext& ctx,
                       const std::string& cluster, double now_s, const std::function<std::string(double)>& iso);

}  // namespace migsim::harness::k8s
