#include "harness/observe/metrics_endpoint.hpp"

#include "harness/observe/prometheus_text.hpp"
#include "harness/observe/state_gauges.hpp"

namespace migsim::harness::observe {

std::optional<serve::Response> handle_metrics(const serve::Request& req, serve::ServeContext& ctx)
{
  namespace http = serve::http;
  const std::string_view target(req.target().data(), req.target().size());
  if (target.substr(0, target.find('?')) != "/metrics")
    return std::nullopt;
  serve::Response res;
  res.version(req.version());
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    res.result(http::status::method_not_allowed);
    res.set(http::field::allow, "GET, HEAD");
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = std::string(req.method_string()) + " is not allowed on /metrics (GET or HEAD)\n";
    return res;
  }
  publish_state_gauges(ctx.simulation);
  const auto families = collect_families(ctx.simulation.metrics(), ctx.simulation.now());
  const auto accept = req[http::field::accept];
  const bool om = accepts_openmetrics(std::string_view(accept.data(), accept.size()));
  res.result(http::status::ok);
  res.set(http::field::content_type, om ? kOpenMetricsContentType : kTextContentType);
  res.body() = om ? to_openmetrics(families) : to_text_format(families);
  return res;
}

}  // namespace migsim::harness::observe
