// The services of `migsim serve`: handlers registered under (service, operation), each with the
// input members it honours. The router decodes a request with the protocol codec
// (harness/aws/protocol/codec.hpp), calls the handler with the validated input (botocore member
// names, like a boto3 dict) and encodes its output or the AwsError it throws. Handlers never see
// bytes, headers or XML. How to add one: harness/aws/README.md.
#pragma once

#include "harness/aws/protocol/codec.hpp"
#include "harness/serve/core/errors.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace migsim::harness::serve {

using nlohmann::json;
using aws::AwsError;

// One operation: validated input in, output out (throws AwsError for anything the caller did wrong).
using Handler = std::function<json(const json& input, ServeContext& ctx)>;

// A registered operation.
struct HandlerEntry {
  std::string service;                // the codec's service name: "dms", "sns", "s3"
  std::string operation;              // "DescribeReplications"
  std::vector<std::string> honoured;  // input members the handler reads (the coverage table shows them)
  Handler handler;
};

// The handlers by (service, operation).
class Registry {
public:
  // Registers a handler; throws std::logic_error when the operation is not in the generated tables
  // (regenerate them, harness/aws/README.md) or is registered twice.
  void add(const std::string& service, const std::string& operation, std::vector<std::string> honoured,
           Handler handler);
  // The handler of an operation; nullptr when none is registered.
  const HandlerEntry* find(const std::string& service, const std::string& operation) const;
  // Every entry, sorted by service then operation.
  std::vector<const HandlerEntry*> entries() const;
  // Whether any operation of `service` is registered.
  bool has_service(const std::string& service) const;
  // Adds work to do before every AWS request (CloudWatch evaluates its alarms up to the simulated now).
  void before_each_request(std::function<void(ServeContext&)> hook);
  // Runs that work.
  void run_before_each_request(ServeContext& ctx) const;
  // Adds a check of every decoded input of one service, run before its handler (a rule the whole
  // service applies, like EC2's tag limits); it throws AwsError to refuse the request unchanged.
  void check_inputs(const std::string& service, std::function<void(const json& input)> check);
  // Runs a service's checks on an input.
  void run_input_checks(const std::string& service, const json& input) const;

private:
  std::map<std::pair<std::string, std::string>, HandlerEntry> entries_;
  std::vector<std::function<void(ServeContext&)>> before_each_;
  std::map<std::string, std::vector<std::function<void(const json&)>>> input_checks_;
};

// The registry of every service migsim implements (built once, by register_all_services).
const Registry& registry();

// Adds every service's handlers: one line per service in registry.cpp calls its register_* function.
void register_all_services(Registry& r);

// Connects code outside the handlers to the services' state when `migsim serve` starts (e.g. an
// SsmBackend::on_put hook mapping a parameter to the simulation); one line per hook in services.cpp.
void install_serve_hooks(ServeContext& ctx);


// The coverage table (markdown): service, operation, protocol, honoured members.
std::string coverage_markdown(const Registry& r);

}  // namespace migsim::harness::serve
