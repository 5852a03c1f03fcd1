// The RDS instance of a scenario, live in the simulation: the DB instance state (db_instance) fed
// with every transaction the request flow commits, its read replica's lag, and the scenario's
// rds_failover / rds_reboot events acting on the estate: the instance's server goes down for the
// failover window (queries queued or running there fail, nothing commits meanwhile), then serves
// again from the standby. Measures what a failover costs: the window, the write gap (last commit
// before to first commit after), the errors inside and outside the windows, lost transactions.
#pragma once

#include "models/common/request_flow.hpp"
#include "models/rds/rds_spec.hpp"
#include "sim/metrics.hpp"
#include "sim/platform.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace migsim::models::rds {

class RdsRuntime {
public:
  RdsRuntime(const sim::Scenario& scenario, RequestFlow& flow, sim::Registry& metrics);

  // Applies an rds_* event; false when the event is not an RDS one.
  bool handle(const sim::EventSpec& e);
  // Operations the mock endpoint and events call (throw RdsError as the API would).
  FailoverRecord reboot(bool force_failover);
  void az_lost(const std::string& az);
  void az_restored(const std::string& az);
  // ModifyDBInstance applied immediately (DbInstance::modify); an outage it causes (the failover
  // ending a Multi-AZ class change, a Single-AZ class change) takes the server down as a reboot does.
  void modify(const std::string& new_class, bool multi_az, const StorageSpec* storage);

  DbInstance& instance() { return *db_; }
  ReadReplica* replica() { return replica_.get(); }
  const RdsSpec& spec() const { return spec_; }
  // Called with every transaction the primary commits (replicas created through the API).
  std::function<void(double t, uint64_t seq, int rows)> commit_listener;
  // Samples `fn` into the Max series `name` now and every 10 s until it returns nullopt (a negative
  // value: no sample this time); used for the ReplicaLag of replicas created through the API.
  void sample_every_10s(const std::string& name, std::function<std::optional<double>(double t)> fn);

  // Report for summary.json and the expectation metrics (rds_*, errors_outside_failover).
  nlohmann::json report(double t_end) const;
  std::map<std::string, double> metrics(double t_end) const;

private:
  struct Window {
    double start_s, end_s;
    uint64_t failed_at_start = 0, failed_at_end = 0;
    double last_commit_before_s = -1, first_commit_after_s = -1;
    bool ended = false;
  };
  void outage(double start_s, double end_s);
  void on_commit(double t, int rows);
  void sample_lag();

  const sim::Scenario& scenario_;
  RequestFlow& flow_;
  sim::Engine& engine_;
  RdsSpec spec_;
  std::unique_ptr<DbInstance> db_;
  std::unique_ptr<ReadReplica> replica_;
  std::vector<Window> windows_;
  std::vector<FailoverRecord> reboots_;  // every outage started by an event or an API call
  double last_commit_s_ = -1;
  uint64_t commits_refused_ = 0;  // commits the flow made while the instance was unavailable (a bug if > 0)
  sim::TimeSeries* ts_lag_ = nullptr;
  sim::TimeSeries* ts_unavailable_ = nullptr;
  sim::Registry* metrics_ = nullptr;
};

}  // namespace migsim::models::rds
