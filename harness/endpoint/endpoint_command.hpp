// `migsim terraform-override` and `migsim env`: point AWS tools at a local `migsim serve` in one
// line. terraform-override prints a provider override file (every endpoint key of the hashicorp/aws
// provider at the local URL, test credentials, no account or metadata lookups, path-style S3), as
// tflocal writes; env prints the shell exports the AWS CLI and SDKs read (AWS_ENDPOINT_URL, ...).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace migsim::harness::endpoint {

// What both commands are told.
struct EndpointArgs {
  std::string endpoint_url = "http://127.0.0.1:4566";
  std::string region = "us-east-1";
  std::string provider_alias;  // terraform-override: an aliased provider block ("" = the default one)
};

// The hashicorp/aws provider's `endpoints {}` keys the override sets (services migsim serves and
// the ones a terraform configuration of this migration uses).
const std::vector<std::string>& provider_endpoint_keys();

// The override file's text; the env exports' text (POSIX shell).
std::string terraform_override(const EndpointArgs& a);
std::string env_exports(const EndpointArgs& a);

// Whether a URL is one these commands accept (http or https, a host, an optional port and no
// path); the reason when it is not.
std::optional<std::string> url_problem(const std::string& url);

// The two subcommands on the CLI app.
class EndpointCli {
public:
  explicit EndpointCli(CLI::App& app);
  // The exit code when one of them was chosen (0, or 2 for a bad URL); nullopt otherwise.
  std::optional<int> run(std::ostream& out, std::ostream& err) const;

private:
  CLI::App* override_ = nullptr;
  CLI::App* env_ = nullptr;
  EndpointArgs override_args_, env_args_;
};

}  // namespace migsim::harness::endpoint
