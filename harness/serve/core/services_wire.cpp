#include "harness/serve/core/services_wire.hpp"

#include "harness/aws/protocol/codec.hpp"
#include "harness/serve/core/chaos.hpp"
#include "harness/serve/core/events.hpp"
#include "harness/serve/core/services_state.hpp"

#include <cmath>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;
using aws::AwsError;

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

std::string path_of(const Request& req)
{
  std::string p(req.target());
  return p.substr(0, p.find('?'));
}

// The region of a SigV4 credential scope ("us-east-1" when absent).
std::string scope_region(const aws::WireRequest& w)
{
  auto it = w.headers.find("Authorization");
  if (it == w.headers.end())
    return "us-east-1";
  const std::string& auth = it->second;
  const auto at = auth.find("Credential=");
  if (at == std::string::npos)
    return "us-east-1";
  std::string scope = auth.substr(at + 11);
  scope = scope.substr(0, scope.find_first_of(", "));
  const auto a = scope.find('/'), b = scope.find('/', a + 1), c = scope.find('/', b + 1);
  if (a == std::string::npos || b == std::string::npos || c == std::string::npos)
    return "us-east-1";
  return scope.substr(b + 1, c - b - 1);
}

aws::WireRequest to_wire(const Request& req)
{
  aws::WireRequest w;
  w.method = std::string(req.method_string());
  w.target = std::string(req.target());
  for (const auto& field : req)
    w.headers[std::string(field.name_string())] = std::string(field.value());
  w.body = req.body();
  return w;
}

Response from_wire(const aws::WireResponse& w)
{
  Response res{static_cast<http::status>(w.status), 11};
  for (const auto& [k, v] : w.headers)
    res.set(k, v);
  res.body() = w.body;
  return res;
}

}  // namespace

std::optional<Response> handle_service_control(const Request& req, ServeContext& ctx)
{
  const std::string path = path_of(req);
  if (starts_with(path, "/_localstack/chaos/"))
    return service_state(ctx).chaos->handle(path, req);
  if (path == "/_migsim/events")
    return service_state(ctx).events->handle(path, req, ctx);
  return std::nullopt;
}

std::optional<Response> route_services(const Request& req, ServeContext& ctx)
{
  ServiceState& state = service_state(ctx);
  evaluate_alarms(ctx);
  if (state.chaos->rules().empty())  // fast path: nothing to decode here
    return std::nullopt;
  const aws::WireRequest w = to_wire(req);
  const std::string service = aws::identify_service(w);
  if (service.empty() || !aws::find_service(service))
    return std::nullopt;
  const aws::Protocol p = aws::request_protocol(service, w);
  const std::string op = aws::operation_of(service, w);
  if (auto fault = state.chaos->fault_for(service, op, scope_region(w)))
    return from_wire(aws::serialize_error(
        service, AwsError(fault->code, fault->message, fault->status, fault->status < 500), ctx.request_id, p));
  return std::nullopt;
}

void apply_chaos_effects(const Request& req, Response& res, ServeContext& ctx)
{
  const std::string path = path_of(req);
  if (starts_with(path, "/_localstack/") || starts_with(path, "/_migsim/"))
    return;
  const double ms = service_state(ctx).chaos->latency_ms();
  if (ms > 0)
    res.set(kDelayHeader, std::to_string(static_cast<long>(std::lround(ms))));
}

}  // namespace migsim::harness::serve
