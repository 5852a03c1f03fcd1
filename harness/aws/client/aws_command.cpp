// `migsim aws` (see aws_command.hpp).
#include "harness/aws/client/aws_command.hpp"

#include "harness/aws/client/aws_client.hpp"
#include "harness/aws/client/request_log.hpp"

#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

namespace migsim::aws {

int run_aws_command(const AwsCommandArgs& args, std::ostream& out, std::ostream& err)
{
  std::string text = args.input;
  if (text.rfind("file://", 0) == 0) {
    std::ifstream in(text.substr(7), std::ios::binary);
    if (!in) {
      err << "migsim: aws: cannot read " << text.substr(7) << "\n";
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  const auto input = nlohmann::json::parse(text, nullptr, false);
  if (input.is_discarded() || !input.is_object()) {
    err << "migsim: aws: --input must be a JSON object (or file://PATH holding one)\n";
    return 2;
  }
  if (args.debug)
    aws_logger()->set_level(spdlog::level::debug);
  // Failures of the caller's making, as opposed to the call's.
  static const std::set<std::string> bad_input{"UnknownOperation", "UnknownService", "ParamValidation",
                                               "ValidationException", "NoRegion", "NoCredentials",
                                               "PartialCredentials", "InvalidEndpoint", "CodecUnavailable"};
  try {
    AwsClientOptions opt;
    opt.endpoint_url = args.endpoint_url;
    opt.region = args.region;
    opt.profile = args.profile;
    opt.max_attempts = args.max_attempts;
    AwsClient client(opt);
    const auto output = client.call(args.service, args.operation, input);
    out << output.dump(2) << "\n";
    return 0;
  } catch (const AwsClientError& e) {
    err << "migsim: aws " << args.service << " " << args.operation << ": " << e.code;
    if (e.status)
      err << " (HTTP " << e.status << (e.request_id.empty() ? "" : ", request id " + e.request_id) << ")";
    if (e.attempts > 1)
      err << " after " << e.attempts << " attempts";
    err << ": " << e.message << "\n";
    return bad_input.count(e.code) && e.status == 0 ? 2 : 1;
  }
}

}  // namespace migsim::aws
