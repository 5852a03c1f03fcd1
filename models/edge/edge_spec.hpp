// The "edge" section of a scenario: CloudFront (+ WAF, + S3 for static assets) in front of the
// estate, and the runtime that puts it there (the request flow's at_edge hook). Every key is
// declared here once (scenarios/README.md lists them).
#pragma once

#include "models/common/request_flow.hpp"
#include "models/edge/cloudfront.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>

namespace migsim::models::edge {

// Parses an edge section found at `path` (throws sim::InputError with the JSON pointer).
EdgeSettings parse_edge(const nlohmann::json& section, const std::string& path, const sim::Scenario& scenario);

// CloudFront live in a simulation: every arriving request goes through it first.
class EdgeRuntime {
public:
  EdgeRuntime(const sim::Scenario& scenario, const nlohmann::json& section, const std::string& path,
              RequestFlow& flow, sim::Registry& metrics);

  const CloudFront& cloudfront() const { return *cf_; }
  nlohmann::json report(double t_end) const;
  std::map<std::string, double> metrics(double t_end) const;

private:
  const sim::Scenario& scenario_;
  std::unique_ptr<CloudFront> cf_;
  sim::TimeSeries* ts_blocked_;
  sim::TimeSeries* ts_hits_;
};

}  // namespace migsim::models::edge
