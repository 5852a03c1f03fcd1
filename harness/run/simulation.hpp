// The shared simulation: one scenario's engine, metrics and models, advanced on demand. `migsim run`
// runs it to the end at once; `migsim serve` and `migsim rehearse` advance it with the paced clock
// while the mock AWS endpoint reads and changes its models. Implemented in run_command.cpp (which
// also collects its results).
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
class ApiEstate;
}
namespace eks {
class EksCluster;
}
}  // namespace migsim::models

namespace migsim::harness {

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
  models::aws::AwsEstate* aws() { return aws_.get(); }  // null without an aws section, or with aws.from_api
  models::aws::ApiEstate* api_estate() { return api_estate_.get(); }  // the hosts API-built resources run on (aws.from_api)
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
  std::unique_ptr<models::aws::ApiEstate> api_estate_;
  std::unique_ptr<models::eks::EksCluster> eks_;
};

}  // namespace migsim::harness
