// A rehearsal's setup commands (`migsim rehearse --setup CMD`): the team's own provisioning
// (`terraform apply`, `kubectl apply`, a script of AWS CLI calls) run before the runbook against
// the rehearsal's mock endpoint. Each runs under /bin/sh with the endpoint exported the way AWS
// clients read it (AWS_ENDPOINT_URL, test credentials, the scenario's region, instance metadata
// off so no client looks for 169.254.169.254), its output in a log file, and is recorded with its
// exit code, its wall time and the simulated interval it took.
#pragma once

#include <string>
#include <vector>

namespace migsim::harness::rehearse {

struct SetupEnvironment {
  std::string endpoint_url, region;
};

// What the child process gets on top of this process's environment (KEY=VALUE).
std::vector<std::string> setup_environment(const SetupEnvironment& env);

struct ShellResult {
  int exit_code = 0;     // the command's, 128 + N when killed by signal N, 124 on timeout
  bool timed_out = false;
  double wall_s = 0;
};

// Runs `/bin/sh -c command` in its own process group with stdin from /dev/null and stdout and
// stderr appended to log_path, the extra variables set; kills the group after timeout_s of wall
// time. Throws std::runtime_error when the process cannot be started or the log not opened.
ShellResult run_shell(const std::string& command, const std::vector<std::string>& extra_env,
                      const std::string& log_path, double timeout_s);

// The last `lines` lines of a text file ("" when unreadable): shown when a setup command fails.
std::string tail_of(const std::string& path, int lines);

}  // namespace migsim::harness::rehearse
