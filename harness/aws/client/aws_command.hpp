// `migsim aws SERVICE OPERATION [--input JSON] [--endpoint-url URL] [--region R] [--profile P]`:
// one call through AwsClient, its output printed as JSON. For humans and shell tests.
#pragma once

#include <iosfwd>
#include <string>

namespace migsim::aws {

// The command's arguments.
struct AwsCommandArgs {
  std::string service;
  std::string operation;
  std::string input = "{}";  // JSON text, or file://PATH
  std::string endpoint_url;
  std::string region;
  std::string profile;
  int max_attempts = 3;
  bool debug = false;  // log each request (secrets masked) on stderr
};

// Runs the call; prints the output (2-space JSON) on `out`, errors on `err`. Returns 0 on success,
// 1 when the call failed (the service's error, or no answer), 2 for bad input (input not a JSON
// object, unknown operation, no region or credentials, bad endpoint URL).
int run_aws_command(const AwsCommandArgs& args, std::ostream& out, std::ostream& err);

}  // namespace migsim::aws
