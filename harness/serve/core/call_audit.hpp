// Turns an answered API call into an ApiCallRecord for the CallRecorder: which service and
// operation (as the router routed it), the decoded input (secrets masked as CloudTrail masks them),
// the resources it named, the error code when it failed. Called once per request by the router.
#pragma once

#include "harness/aws/protocol/codec.hpp"
#include "harness/serve/core/serve_context.hpp"

namespace migsim::harness::serve {

// Records the call when it mutates (or always when `all` is set); control paths are never calls.
void audit_call(const aws::WireRequest& req, const aws::WireResponse& res, ServeContext& ctx, bool all = false);

}  // namespace migsim::harness::serve
