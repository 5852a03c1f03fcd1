// `migsim run`: one batch simulation of a scenario from t = 0 to its duration.
#pragma once

#include "harness/run/run_result.hpp"
#include "sim/scenario.hpp"

#include <memory>

namespace migsim::sim {
class Engine;
class Registry;
}  // namespace migsim::sim
namespace migsim::models {
class OnpremEstate;
class Migration;
namespace rds {
class RdsRuntime;
}
namespace edge {
class EdgeRuntime;
}
namespace aws {
class AwsEstate;
}
namespace eks {
class EksCluster;
}
}  // namespace migsim::models

namespace migsim::harness {

struct RunOptions {
  bool progress = false;  // progress line on stderr (TTY only)
  bool verbose = false;   // echo the event log
};

// Loads and validates a scenario file, every section included (the migration's too); throws
// sim::InputError with the JSON pointer. An empty path loads the built-in default.
sim::Scenario load_scenario(const std::string& path);
// Same, from a parsed document.
sim::Scenario parse_full_scenario(const nlohmann::json& doc, const std::string& source);

// One simulation of a scenario, advanced on demand (batch runs and the mock AWS endpoint).
// One per process (SimGrid allows one engine per process).
class Simulation {
public:
  Simulation(const sim::Scenario& scenario, bool verbose = false);
  ~Simulation();

  double now() const;
  void advance_to(double t_s);  // runs every event up to t (at most the scenario's end)
  // Runs to the end, closes the books and returns the results.
  RunResult finish();

  const sim::Scenario& scenario() const { return sc_; }
  sim::Engine& engine() { return *engine_; }
  sim::Registry& metrics() { return *metrics_; }
  models::OnpremEstate& estate() { return *estate_; }
  models::Migration* migration() { return migration_.get(); }
  models::rds::RdsRuntime* rds() { return rds_.get(); }
  models::aws::AwsEstate* aws() { return aws_.get(); }  // null without an aws section
  models::eks::EksCluster* eks() { return eks_.get(); }

private:
  const sim::Scenario& sc_;
  std::unique_ptr<sim::Engine> engine_;
  std::unique_ptr<sim::Registry> metrics_;
  std::unique_ptr<models::OnpremEstate> estate_;
  std::unique_ptr<models::Migration> migration_;
  std::unique_ptr<models::rds::RdsRuntime> rds_;
  std::unique_ptr<models::edge::EdgeRuntime> edge_;
  std::unique_ptr<models::aws::AwsEstate> aws_;
  std::unique_ptr<models::eks::EksCluster> eks_;
};

// Runs the scenario in this process (one simulation per process: SimGrid's engine is a singleton).
RunResult run_scenario(const sim::Scenario& scenario, const RunOptions& options);

}  // namespace migsim::harness
