// Route 53 ListHostedZonesByName on the mock endpoint (the runbooks find the shop's zone by name, as
// a runbook against real AWS must): the zones of the Route 53 backend in DNS order (labels right to
// left) starting at DNSName, at most MaxItems (default 100). Added by the runbook branch beside the
// services branch's Route 53 (which lists zones but not by name).
#pragma once

#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

namespace migsim::harness::serve::route53 {

// Input and output as boto3 dicts; throws Route53Error (route53_backend.hpp) on bad input.
nlohmann::json list_hosted_zones_by_name(const nlohmann::json& input, ServeContext& ctx);

}  // namespace migsim::harness::serve::route53
