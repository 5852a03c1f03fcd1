// Route 53 on the mock endpoint: the operations over route53_backend, for the serve registry
// (rest-xml is the shared codec's).
#pragma once

#include "harness/serve/core/services_state.hpp"

#include <vector>

namespace migsim::harness::serve {

const std::vector<OpDef>& route53_ops();

}  // namespace migsim::harness::serve
