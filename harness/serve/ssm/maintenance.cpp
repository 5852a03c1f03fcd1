// The company's maintenance switch on the mock endpoint: an SSM PutParameter of
// /fast/maintenance-mode is what the application reads to refuse writes (maintenance page), so the
// mock applies it to the simulation's on-prem site: "on" stops writes there (Migration::stop_writes,
// the cutover's "stop writes" step), "off" lets them back in (Migration::resume_writes(0), the
// rollback). Any other value of that parameter is refused (ValidationException) so a typo in a
// runbook fails the step instead of silently leaving writes open. Installed on SSM's PutParameter
// hook (SsmBackend::on_put); without a migration in the scenario the parameter is only stored.
#include "harness/serve/ssm/maintenance.hpp"

#include "harness/run/run_command.hpp"
#include "harness/serve/ssm/backend.hpp"
#include "models/cutover/migration.hpp"

#include <algorithm>
#include <cctype>

namespace migsim::harness::serve {

void install_ssm_maintenance(ServeContext& ctx)
{
  ctx.state<SsmBackend>().on_put([](const SsmParameter& p, ServeContext& c) {
    if (p.name != kMaintenanceParameter)
      return;
    std::string v = p.value;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    const bool on = v == "on" || v == "true" || v == "enabled";
    const bool off = v == "off" || v == "false" || v == "disabled";
    if (!on && !off)
      throw aws::AwsError("ValidationException", std::string(kMaintenanceParameter) +
                                                     " is the maintenance switch: its value must be on or off, not '" +
                                                     p.value + "'");
    models::Migration* m = c.simulation.migration();
    if (!m)
      return;
    if (on)
      m->stop_writes();
    else
      m->resume_writes(0);
  });
}

}  // namespace migsim::harness::serve
