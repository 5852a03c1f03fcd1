// `migsim runbook check FILE...` and `migsim runbook run FILE [--endpoint-url URL] [-p k=v]...
// [--log out.json]`: validate runbooks, or run one against any AWS endpoint (real AWS, LocalStack,
// moto, `migsim serve`). Exit codes: 0 the runbook succeeded, 1 it failed (a step failed), 2 the
// runbook or a parameter is invalid (nothing was called), 4 the log could not be written.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::runbook {

// Parses repeated "-p key=value" options; throws std::invalid_argument naming the bad one.
std::map<std::string, std::string> parse_key_values(const std::vector<std::string>& pairs);

// Writes a JSON document to a file (pretty-printed); false when it cannot be written.
bool write_json_file(const std::string& path, const nlohmann::json& doc);

// The `runbook` subcommands, registered on the app; run() is the exit code once parsed
// (nullopt when no runbook subcommand was given).
class RunbookCli {
public:
  explicit RunbookCli(CLI::App& app);
  std::optional<int> run() const;

private:
  CLI::App* check_ = nullptr;
  CLI::App* run_ = nullptr;
  std::vector<std::string> check_files_;
  std::string file_, endpoint_url_, region_, log_path_;
  std::vector<std::string> params_;
  double poll_s_ = 15;
};

}  // namespace migsim::harness::runbook
