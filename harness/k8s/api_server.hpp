// The Kubernetes API of each EKS cluster, served by `migsim serve` under
// /_migsim/eks/<cluster-name>/ (the cluster's `endpoint` in DescribeCluster): /version, discovery,
// OpenAPI v3, and the served resources' verbs (harness/k8s/verbs.cpp). A request must carry the
// bearer token of `aws eks get-token` (k8s-aws-v1.*); the cluster must exist and be ACTIVE.
// docs/kubernetes-api.md describes what is served and its limits.
#pragma once

#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/serve_context.hpp"

namespace migsim::harness::k8s {

// The response to a request under /_migsim/eks/ (a watch hands its body over in ctx.stream).
serve::Response handle_request(const serve::Request& req, serve::ServeContext& ctx);

// Moves every cluster's controllers to the simulated now and ends the watches that timed out or
// whose client left (called on each clock tick of `migsim serve`).
void advance(serve::ServeContext& ctx);

}  // namespace migsim::harness::k8s
