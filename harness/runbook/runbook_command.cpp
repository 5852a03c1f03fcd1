#include "harness/runbook/runbook_command.hpp"

#include "harness/run/output_file.hpp"

#include "harness/runbook/aws_caller.hpp"
#include "harness/runbook/executor.hpp"

#include <fstream>
#include <iostream>

namespace migsim::harness::runbook {

std::map<std::string, std::string> parse_key_values(const std::vector<std::string>& pairs)
{
  std::map<std::string, std::string> out;
  for (const auto& p : pairs) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      throw std::invalid_argument("-p " + p + ": expected key=value");
    out[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return out;
}

bool write_json_file(const std::string& path, const nlohmann::json& doc)
{
  try {
    write_text_file(path, doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return true;
  } catch (const OutputError&) {
    return false;
  }
}

RunbookCli::RunbookCli(CLI::App& app)
{
  auto* rb = app.add_subcommand("runbook", "Validate or run SSM-Automation-style runbooks (schemaVersion 0.3 JSON).");
  rb->require_subcommand(1);
  check_ = rb->add_subcommand("check", "Validate runbooks without calling anything (exit 2 naming the step and "
                                       "field of the first error).");
  check_->add_option("files", check_files_, "Runbook JSON files")->required();
  run_ = rb->add_subcommand("run", "Run a runbook against an AWS endpoint (real AWS, LocalStack, moto, migsim "
                                   "serve); exit 0 success, 1 a step failed, 2 invalid runbook or parameter.");
  run_->add_option("file", file_, "Runbook JSON file")->required();
  run_->add_option("--endpoint-url", endpoint_url_, "Endpoint for every service (else as the AWS SDKs resolve it)");
  run_->add_option("--region", region_, "Region (else AWS_REGION, AWS_DEFAULT_REGION, the config file)");
  run_->add_option("-p,--parameter", params_, "A runbook parameter, key=value (repeatable)");
  run_->add_option("--log", log_path_, "Write the execution log (JSON) to this file");
  run_->add_option("--poll-s", poll_s_, "Seconds of server time between polls of wait steps")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
}

std::optional<int> RunbookCli::run() const
{
  if (*check_) {
    for (const auto& f : check_files_) {
      try {
        const auto rb = load_runbook(f);
        std::cout << f << ": ok (" << rb.steps.size() << " steps, " << rb.parameters.size() << " parameters)\n";
      } catch (const RunbookError& e) {
        std::cerr << "migsim: " << f << ": " << e.what() << "\n";
        return 2;
      }
    }
    return 0;
  }
  if (!*run_)
    return std::nullopt;
  Runbook rb;
  std::map<std::string, json> params;
  try {
    rb = load_runbook(file_);
    params = resolve_parameters(rb, parse_key_values(params_));
  } catch (const RunbookError& e) {
    std::cerr << "migsim: " << file_ << ": " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return 2;
  }
  CallerOptions copt;
  copt.endpoint_url = endpoint_url_;
  copt.region = region_;
  std::unique_ptr<AwsCaller> caller;
  try {
    caller = make_aws_caller(copt);
  } catch (const std::exception& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return 2;
  }
  DateHeaderClock clock;
  ExecutorOptions opt;
  opt.poll_s = poll_s_;
  opt.out = &std::cout;
  std::cout << "runbook " << file_ << " (" << rb.steps.size() << " steps)\n";
  Executor ex(rb, *caller, clock, opt);
  const json log = ex.run(params);
  std::cout << "runbook " << log["status"].get<std::string>();
  if (log.contains("failed_step"))
    std::cout << ": step " << log["failed_step"].get<std::string>() << " failed: " << log["failure_reason"].get<std::string>();
  std::cout << " (" << log["duration_s"].get<double>() << " s on the server's clock)\n";
  if (!log_path_.empty() && !write_json_file(log_path_, log)) {
    std::cerr << "migsim: cannot write " << log_path_ << "\n";
    return 4;
  }
  return log["status"] == "Success" ? 0 : 1;
}

}  // namespace migsim::harness::runbook
