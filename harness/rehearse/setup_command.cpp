#include "harness/rehearse/setup_command.hpp"

#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace migsim::harness::rehearse {

std::vector<std::string> setup_environment(const SetupEnvironment& env)
{
  return {"AWS_ENDPOINT_URL=" + env.endpoint_url,
          "MIGSIM_ENDPOINT_URL=" + env.endpoint_url,
          "AWS_ACCESS_KEY_ID=test",
          "AWS_SECRET_ACCESS_KEY=test",
          "AWS_REGION=" + env.region,
          "AWS_DEFAULT_REGION=" + env.region,
          "AWS_EC2_METADATA_DISABLED=true"};
}

namespace {

// This process's environment with `extra` overriding (and the variables that would send a client
// to a real account's profile or session removed).
std::vector<std::string> child_environment(const std::vector<std::string>& extra)
{
  std::map<std::string, std::string> vars;
  for (char** e = environ; e && *e; ++e) {
    const std::string kv = *e;
    const auto eq = kv.find('=');
    if (eq != std::string::npos)
      vars[kv.substr(0, eq)] = kv;
  }
  for (const char* drop : {"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN",
                           "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                           "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"})
    vars.erase(drop);
  for (const auto& kv : extra)
    vars[kv.substr(0, kv.find('='))] = kv;
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (auto& [k, kv] : vars)
    out.push_back(std::move(kv));
  return out;
}

}  // namespace

ShellResult run_shell(const std::string& command, const std::vector<std::string>& extra_env,
                      const std::string& log_path, double timeout_s)
{
  const std::vector<std::string> env = child_environment(extra_env);
  std::vector<char*> envp;
  for (const auto& kv : env)
    envp.push_back(const_cast<char*>(kv.c_str()));
  envp.push_back(nullptr);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&files, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group: a timeout kills terraform's providers too
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);

  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/bin/sh", &files, &attr, const_cast<char* const*>(argv), envp.data());
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  if (rc != 0)
    throw std::runtime_error("cannot start /bin/sh for a setup command: " + std::string(std::strerror(rc)));

  ShellResult out;
  int status = 0;
  for (;;) {
    const pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid)
      break;
    if (w < 0 && errno != EINTR)
      throw std::runtime_error("waiting for a setup command: " + std::string(std::strerror(errno)));
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!out.timed_out && elapsed > timeout_s) {
      out.timed_out = true;
      kill(-pid, SIGTERM);
      std::this_thread::sleep_for(std::chrono::seconds(2));
      kill(-pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (out.timed_out)
    out.exit_code = 124;
  else if (WIFEXITED(status))
    out.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    out.exit_code = 128 + WTERMSIG(status);
  return out;
}

std::string tail_of(const std::string& path, int lines)
{
  std::ifstream in(path);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines)
      last.pop_front();
  }
  std::string out;
  for (const auto& l : last)
    out += l + "\n";
  return out;
}

}  // namespace migsim::harness::rehearse
