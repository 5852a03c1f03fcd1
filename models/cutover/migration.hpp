// The company's phase 1 as a simulation: the on-prem estate keeps serving users while MGN replicates
// its servers and DMS its database over the VPN; then the cutover: stop writes, drain CDC, validate,
// stop DMS, launch the cutover instances, point the app at RDS, switch DNS, watch, finalize. Every
// duration comes from the models (bytes, bandwidth, write rates, capacity), none is a fixed delay
// except the documented or parameterised launch and propagation times.
//
// The cutover's steps are also callable one by one, so an external runbook (the HTTP endpoint of
// a later issue) can drive the same operations.
#pragma once

#include "models/common/request_flow.hpp"
#include "models/cost/cost_model.hpp"
#include "models/cost/design_estimates.hpp"
#include "models/cutover/migration_spec.hpp"
#include "models/mysql/database.hpp"
#include "models/route53/dns_switch.hpp"
#include "sim/metrics.hpp"
#include "sim/platform.hpp"

#include <memory>
#include <string>
#include <vector>

namespace migsim::models {

namespace dms {
class Replication;
}
namespace mgn {
class SourceServer;
}

struct PhaseRecord {
  std::string name;
  double start_s = -1;
  double end_s = -1;  // -1 while running
  std::string detail;
  bool skipped = false;  // the step did not run (detail says why); start_s = end_s = when it was due
};

struct CutoverOutcome {
  std::string result = "not started";  // not started, running, completed, rolled back, aborted
  std::string failed_step;
  std::string reason;
  double started_s = -1, writes_stopped_s = -1, drained_s = -1, validated_s = -1, dms_stopped_s = -1,
         launched_s = -1, app_on_rds_s = -1, dns_switched_s = -1, dns_insync_s = -1, finalized_s = -1,
         ended_s = -1;
};

struct MigrationReport {
  std::vector<PhaseRecord> phases;
  CutoverOutcome cutover;
  mysql::IntegrityReport integrity;  // at the moment DMS stopped (or the end of the run)
  bool integrity_checked_at_stop = false;
  // Committed on-prem, not on RDS, with on-prem still the primary at the end: behind, not lost
  // (integrity.lost_transactions counts them only once RDS has become the primary).
  uint64_t behind_transactions = 0;
  uint64_t refused_writes = 0;        // writes refused while writes were stopped
  double writes_unavailable_s = 0;    // stop writes -> writes accepted at the new site
  double shift_95_s = -1;             // DNS switch -> 95 % of requests at the new site
  double rto_s = -1;                  // cutover start -> 95 % of requests at the new site
  uint64_t target_site_commits = 0;   // write transactions committed on RDS after the cutover
  std::vector<std::pair<double, double>> dns_shift;  // (t, share at the new site) each minute
  double vpn_bytes = 0;
  int dms_dcu_peak = 0;
  std::vector<std::pair<double, int>> dms_capacity;  // (t, DCU) each time the serverless capacity changed
  std::string dms_status;
  std::vector<std::pair<std::string, std::string>> mgn_states;  // server -> lifecycle
  // The one-time migration bill: over the calendar (/migration/calendar) from what the run measured,
  // or over the simulated window without one.
  cost::Bill cost;
  bool calendar_given = false;
  cost::MigrationCalendar calendar;
  // The design's monthly estimates after the migration, from the run's traffic scaled to a month.
  cost::Bill post_migration, post_modernisation;
  cost::MonthlyTraffic monthly_traffic;
};

class Migration {
public:
  Migration(const sim::Scenario& scenario, sim::Platform& platform, RequestFlow& flow, sim::Registry& metrics);
  ~Migration();

  void start();                         // schedules DMS start and MGN agent installs
  void handle(const sim::EventSpec& e); // migration events of the scenario
  MigrationReport report(double t_end) const;

  // Operations (each also used by the automated cutover).
  void stop_writes();
  void resume_writes(int site);
  void switch_dns(int site);
  void test_launch();
  void start_cutover();                 // the automated cutover, step by step
  // StartReplication / StopReplication as an API call would do them (throws std::logic_error, with
  // the current status, when the replication is in no state to do it).
  void start_replication();
  void stop_replication();
  // ModifyReplicationConfig of the ErrorBehavior settings (throws std::logic_error while the
  // replication starts, runs or stops; std::invalid_argument for a bad value).
  void set_dms_error_behavior(const dms::ErrorBehavior& e);

  const MigrationSpec& spec() const { return spec_; }
  mysql::SourceDatabase& source() { return *source_; }
  mysql::TargetDatabase& target() { return *target_; }
  int target_site() const { return target_site_; }
  // The live tool models (nullptr / empty until started), for the mock AWS endpoint.
  dms::Replication* dms() const { return dms_.get(); }
  const std::vector<std::unique_ptr<mgn::SourceServer>>& mgn_servers() const { return mgn_; }
  route53::RecordSwitch& dns() const { return *dns_; }

private:
  void on_commit(double t, const sim::RequestClassSpec& c, int rows, int site);
  void begin_phase(const std::string& name, const std::string& detail = "");
  void end_phase(const std::string& name, const std::string& detail = "");
  void wait_until(const std::string& what, std::function<bool()> cond, double timeout_s, std::function<void()> then,
                  std::function<void()> on_timeout);
  void fail_cutover(const std::string& step, const std::string& reason);
  void watch_progress();

  // Adapters to the DMS and MGN models.
  void dms_create_and_start();
  void dms_stop();
  void dms_resume();
  bool dms_running() const;
  bool dms_full_load_done() const;
  double dms_cdc_latency_s() const;
  bool dms_drained() const;
  void mgn_install();
  bool mgn_all_ready_for_cutover() const;
  bool mgn_all_ready_for_test() const;
  void mgn_start_test();
  void mgn_start_cutover();
  int mgn_jobs_state() const;  // 0 running, 1 all completed, -1 a job failed
  void mgn_finalize();
  std::vector<std::pair<std::string, std::string>> mgn_lifecycles() const;
  void mgn_mark_ready_for_cutover();
  void dms_notify_commit();
  void watch_phase_progress();
  void fill_tool_report(MigrationReport& r) const;
  cost::Bill migration_bill(double t_end) const;
  cost::MonthlyTraffic monthly_traffic(double t_end) const;
  // The cutover as reported: the automated one, or one driven step by step through the API
  // (writes stopped, DNS moved, MGN finalized: api_cutover.cpp).
  CutoverOutcome effective_cutover(double t_end) const;

  const sim::Scenario& scenario_;
  MigrationSpec spec_;
  sim::Platform& platform_;
  RequestFlow& flow_;
  sim::Registry& metrics_;
  std::unique_ptr<mysql::SourceDatabase> source_;
  std::unique_ptr<mysql::TargetDatabase> target_;
  std::unique_ptr<dms::Replication> dms_;
  std::vector<std::unique_ptr<mgn::SourceServer>> mgn_;
  std::vector<int> mgn_server_index_;  // platform server index of each source server
  std::vector<std::string> mgn_jobs_;   // ids of the launch jobs of the current launch
  std::unique_ptr<route53::RecordSwitch> dns_;
  int target_site_ = 1;
  std::vector<PhaseRecord> phases_;
  CutoverOutcome cutover_;
  mysql::IntegrityReport integrity_at_stop_;
  bool integrity_checked_ = false;
  uint64_t target_site_commits_ = 0;
  bool full_load_reported_ = false;
  bool initial_sync_reported_ = false;
  double mgn_installed_s_ = -1;
  double finalized_s_ = -1;
  double onprem_writes_resumed_s_ = -1;  // the last resume_writes(0)
};

}  // namespace migsim::models
