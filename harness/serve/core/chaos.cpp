#include "harness/serve/core/chaos.hpp"
#include "sim/json_text.hpp"

#include "harness/aws/protocol/codec.hpp"
#include "harness/serve/core/router.hpp"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <set>

namespace migsim::harness::serve {

namespace {

// An error code as AWS spells them ("ThrottlingException", "Throttling", "aws.protocoltests#Err"):
// nothing that could end a header line.
bool valid_error_code(const std::string& code)
{
  if (code.empty() || code.size() > 128)
    return false;
  for (unsigned char c : code)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != ':' && c != '#')
      return false;
  return true;
}

using nlohmann::json;

// A 400 of the chaos paths naming what is wrong.
struct ChaosInputError {
  std::string message;
};

// Lower-case copy (services and regions compare case-insensitively).
std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Validates one rule and returns it as stored.
json checked_rule(const json& r, size_t index)
{
  const std::string where = "rule " + std::to_string(index);
  if (!r.is_object())
    throw ChaosInputError{where + ": must be an object"};
  static const std::set<std::string> kKeys = {"service", "region", "operation", "probability", "error"};
  for (const auto& [k, v] : r.items()) {
    if (!kKeys.count(k))
      throw ChaosInputError{where + ": unknown field \"" + k + "\" (service, region, operation, probability, error)"};
    if ((k == "service" || k == "region" || k == "operation") && !v.is_string())
      throw ChaosInputError{where + ": \"" + k + "\" must be a string"};
  }
  if (r.contains("probability")) {
    const json& p = r["probability"];
    if (!p.is_number() || p.get<double>() < 0 || p.get<double>() > 1)
      throw ChaosInputError{where + ": \"probability\" must be a number from 0 to 1"};
  }
  if (r.contains("error")) {
    const json& e = r["error"];
    if (!e.is_object())
      throw ChaosInputError{where + ": \"error\" must be an object {statusCode, code}"};
    for (const auto& [k, v] : e.items())
      if (k != "statusCode" && k != "code")
        throw ChaosInputError{where + ": unknown field \"error." + k + "\" (statusCode, code)"};
    if (e.contains("statusCode") &&
        (!e["statusCode"].is_number_integer() || e["statusCode"].get<int>() < 400 || e["statusCode"].get<int>() > 599))
      throw ChaosInputError{where + ": \"error.statusCode\" must be an integer from 400 to 599"};
    if (e.contains("code") && (!e["code"].is_string() || !valid_error_code(e["code"].get<std::string>())))
      throw ChaosInputError{where + ": \"error.code\" must be an AWS error code: 1 to 128 letters, digits, '.', "
                                    "'_', ':' or '#' (it goes into the x-amzn-ErrorType header)"};
  }
  return r;
}

// The body as a list of rules.
json rules_of(const Request& req)
{
  const json body = sim::parse_wire_json(req.body());
  if (body.is_discarded() || !body.is_array())
    throw ChaosInputError{"the body must be a JSON list of rules"};
  json out = json::array();
  for (size_t i = 0; i < body.size(); ++i)
    out.push_back(checked_rule(body[i], i));
  return out;
}

Response error_response(const std::string& message)
{
  return json_response(http::status::bad_request, {{"error", "InvalidChaosConfiguration"}, {"message", message}});
}

}  // namespace

std::optional<aws::AwsError> ChaosState::fault_for(const std::string& service, const std::string& operation,
                                              const std::string& region)
{
  for (const json& r : rules_) {
    if (r.contains("service") && lower(r["service"]) != lower(service))
      continue;
    if (r.contains("operation") && r["operation"] != operation)
      continue;
    if (r.contains("region") && lower(r["region"]) != lower(region))
      continue;
    const double p = r.value("probability", 1.0);
    if (p < 1.0) {
      ++draws_;
      if (!(rng_.uniform01() < p))
        continue;  // this rule did not fire: the next ones may
    }
    const json e = r.value("error", json::object());
    return errors::error(e.value("code", std::string("ServiceUnavailable")),
                    "Operation " + operation + " of service " + service + " failed: fault injected by the chaos API",
                    e.value("statusCode", 503));
  }
  return std::nullopt;
}

void ChaosState::skip_to(uint64_t n)
{
  for (; draws_ < n; ++draws_)
    rng_.uniform01();
}

std::optional<Response> ChaosState::handle(const std::string& path, const Request& req)
{
  const auto m = req.method();
  try {
    if (path == "/_localstack/chaos/faults") {
      if (m == http::verb::post)
        rules_ = rules_of(req);
      else if (m == http::verb::patch)
        for (const json& r : rules_of(req))
          rules_.push_back(r);
      else if (m == http::verb::delete_) {
        const json gone = rules_of(req);
        json kept = json::array();
        for (const json& r : rules_)
          if (std::find(gone.begin(), gone.end(), r) == gone.end())
            kept.push_back(r);
        rules_ = kept;
      } else if (m != http::verb::get && m != http::verb::head)
        return json_response(http::status::method_not_allowed,
                             {{"error", "MethodNotAllowed"}, {"message", "GET, POST, PATCH or DELETE"}});
      return json_response(http::status::ok, rules_);
    }
    if (path == "/_localstack/chaos/effects") {
      if (m == http::verb::post) {
        const json body = sim::parse_wire_json(req.body());
        if (body.is_discarded() || !body.is_object())
          throw ChaosInputError{"the body must be a JSON object {\"latency\": ms}"};
        for (const auto& [k, v] : body.items())
          if (k != "latency")
            throw ChaosInputError{"unknown field \"" + k + "\" (latency)"};
        if (body.contains("latency")) {
          if (!body["latency"].is_number() || body["latency"].get<double>() < 0 || body["latency"].get<double>() > 600000)
            throw ChaosInputError{"\"latency\" must be a number of milliseconds from 0 to 600000"};
          latency_ms_ = body["latency"].get<double>();
        }
      } else if (m != http::verb::get && m != http::verb::head) {
        return json_response(http::status::method_not_allowed, {{"error", "MethodNotAllowed"}, {"message", "GET or POST"}});
      }
      return json_response(http::status::ok, {{"latency", latency_ms_}});
    }
  } catch (const ChaosInputError& e) {
    return error_response(e.message);
  }
  return std::nullopt;
}

ChaosState& chaos_state(ServeContext& ctx)
{
  return ctx.state<ChaosState>([&ctx] { return std::make_unique<ChaosState>(ctx.simulation.scenario().seed); });
}

std::optional<Response> chaos_fault(const Request& req, ServeContext& ctx)
{
  ChaosState& chaos = chaos_state(ctx);
  if (chaos.rules().empty())  // fast path: nothing to decode here
    return std::nullopt;
  const aws::WireRequest w = to_wire(req);
  const std::string service = aws::identify_service(w);
  if (service.empty() || !aws::find_service(service))
    return std::nullopt;
  const aws::Protocol p = aws::request_protocol(service, w);
  const std::string op = aws::operation_of(service, w);
  const auto auth = w.headers.find("Authorization");
  const std::string region = auth == w.headers.end() ? "" : credential_scope_region(auth->second);
  if (auto fault = chaos.fault_for(service, op, region.empty() ? "us-east-1" : region))
    return from_wire(aws::serialize_error(service, *fault, ctx.request_id, p));
  return std::nullopt;
}

void apply_chaos_effects(const Request& req, Response& res, ServeContext& ctx)
{
  std::string path(req.target());
  path = path.substr(0, path.find('?'));
  if (path.rfind("/_localstack/", 0) == 0 || path.rfind("/_migsim/", 0) == 0)
    return;
  const double ms = chaos_state(ctx).latency_ms();
  if (ms > 0)
    res.set(kDelayHeader, std::to_string(static_cast<long>(std::lround(ms))));
}

}  // namespace migsim::harness::serve
