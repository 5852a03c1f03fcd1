// The report's alert timeline: the alerts `migsim alerts` found firing during the run (alerts.json
// in the run directory, carried into the page as the summary's "alerts" member).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace migsim::harness::html {

// One row per alert instance with its firing intervals drawn over the run; empty without alerts.
std::string alert_timeline(const nlohmann::json& summary);

}  // namespace migsim::harness::html
