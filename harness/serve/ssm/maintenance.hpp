// The maintenance switch of the company's application on the mock endpoint: SSM parameter
// /fast/maintenance-mode = on|off stops or resumes writes at the simulation's on-prem site.
#pragma once

#include "harness/serve/core/serve_context.hpp"

namespace migsim::harness::serve {

inline constexpr const char* kMaintenanceParameter = "/fast/maintenance-mode";

// Installs the PutParameter hook on the context's SSM backend (once per server).
void install_ssm_maintenance(ServeContext& ctx);

}  // namespace migsim::harness::serve
