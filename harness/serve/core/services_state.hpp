// The state of the services this branch adds to `migsim serve` (Route 53, CloudWatch alarms, chaos
// rules, injected events, DMS/MGN resources created through the API), one per ServeContext, and the
// shape every operation has before it is registered with the wire layer: a name, the input members
// it honours and a handler from validated input (botocore member names) to output. Handlers throw
// ApiError for anything the caller did wrong.
#pragma once

#include "harness/serve/cloudwatch/alarms.hpp"
#include "harness/serve/route53/backend.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace migsim::harness::serve {

// An error of an AWS API as the caller sees it.
struct ApiError {
  std::string code;
  std::string message;
  int status = 400;
};

using OpFn = std::function<nlohmann::json(const nlohmann::json& input, ServeContext& ctx)>;
// One operation of a service.
struct OpDef {
  std::string name;
  std::vector<std::string> honoured;
  OpFn fn;
};

class Registry;
// Registers a table of operations for `service`, their ApiError / CloudWatchError as AwsError.
void register_ops(Registry& r, const std::string& service, const std::vector<OpDef>& ops);

class ChaosState;
class EventBook;
class DmsResources;

// Everything the added services keep between requests.
struct ServiceState {
  ServiceState();
  ~ServiceState();
  std::unique_ptr<route53::Backend> route53;
  cloudwatch::AlarmBook alarms;
  std::unique_ptr<ChaosState> chaos;
  std::unique_ptr<EventBook> events;
  std::unique_ptr<DmsResources> dms;
};

// The state of this context's services (created on first use from the context's simulation).
ServiceState& service_state(ServeContext& ctx);
// What CloudWatch reads from this context's simulation.
cloudwatch::CatalogContext catalog_context(ServeContext& ctx);
// Evaluates the CloudWatch alarms up to the current simulated time (cheap when no minute passed).
void evaluate_alarms(ServeContext& ctx);

}  // namespace migsim::harness::serve
