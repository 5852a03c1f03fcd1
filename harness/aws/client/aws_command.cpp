// `migsim aws` (see aws_command.hpp).
#include "harness/aws/client/aws_command.hpp"

#include "harness/aws/client/aws_client.hpp"
#include "harness/aws/client/request_log.hpp"
#include "sim/json_text.hpp"

#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

namespace migsim::aws {

int run_aws_command(const AwsCommandArgs& args, std::ostream& out, std::ostream& err)
{
  std::string text = args.input;
  if (text.rfind("file://", 0) == 0) {
    try {
      text = sim::read_input_file(text.substr(7), "--input file");
    } catch (const sim::InputFileError& e) {
      err << "migsim: aws: " << e.what() << "\n";
      return 2;
    }
  }
  sim::JsonTextError parse_err;
  const auto input = sim::parse_json_text(text, sim::JsonTextLimits{sim::kWireMaxDepth, true}, &parse_err);
  if (input.is_discarded()) {
    err << "migsim: aws: --input is not a valid JSON object: " << parse_err.describe() << "\n";
    return 2;
  }
  if (!input.is_object()) {
    err << "migsim: aws: --input must be a JSON object (or file://PATH holding one)\n";
    return 2;
  }
  if (args.debug)
    aws_logger()->set_level(spdlog::level::debug);
  // Failures of the caller's making, as opposed to the call's.
  static const std::set<std::string> bad_input{"UnknownOperation", "UnknownService", "ParamValidation",
                                               "ValidationException", "NoRegion", "NoCredentials",
                                               "PartialCredentials", "InvalidEndpoint", "CodecUnavailable",
                                               "InvalidRegion", "InvalidHeaderValue"};
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
