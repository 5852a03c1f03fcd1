// The path of every user request through the estate: arrival from the clients' zone, then for each
// stage of its class a network hop to the stage's server, a worker of the stage's service (or a
// place in its queue), CPU on that server, disk reads and writes; then the response back to the
// client. A request keeps the workers it took until the stages after them have answered, as a
// thread-per-request server does, which is how overload in one tier backs up into the others.
//
// Each step is one SimGrid activity started from the main loop; there is no actor per request.
// Request objects are pooled, so memory follows the number in flight, not the simulated duration.
#pragma once

#include "models/common/station.hpp"
#include "sim/engine.hpp"
#include "sim/metrics.hpp"
#include "sim/platform.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"
#include "sim/traffic.hpp"

#include <array>
#include <map>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace simgrid::s4u {
class Link;
}

namespace migsim::models {

class RequestFlow;

enum class Phase : uint8_t { Hop, Waiting, Cpu, DiskRead, DiskWrite, Response };

struct Request final : sim::CompletionTarget {
  RequestFlow* flow = nullptr;
  Request* next_in_queue = nullptr;  // station FIFO link, or free-list link when pooled
  double arrival_t = 0.0;
  double deadline_t = 0.0;
  double enqueued_t = 0.0;
  uint32_t cls = 0;
  uint8_t site = 0;  // which copy of the estate serves it (0: the scenario's own; see add_site)
  uint16_t stage = 0;
  uint16_t held = 0;  // stages whose worker this request holds (stages [0, held))
  Phase phase = Phase::Hop;
  bool committed = false;
  bool in_use = false;
  bool counted_write = false;  // counted in the site's writes in flight
  Station* target = nullptr;   // chosen by pick_target for the stages marked on_target

  void on_activity_end(bool ok) override;
};

enum class CpuDist : uint8_t { Exponential, Constant, Lognormal };

// Why a request failed, as a client sees it.
enum class Failure : uint8_t { Rejected, Timeout, ServerError };

class RequestFlow {
public:
  RequestFlow(const sim::Scenario& scenario, sim::Platform& platform, sim::Registry& metrics);
  ~RequestFlow();

  // Schedules the arrival process on the engine for [0, duration).
  void start();
  // Closes the books at the end of the run (time-weighted gauges, in-flight counts).
  void finish(double t_end);

  // Scenario actions.
  void server_down(const std::string& server);
  void server_up(const std::string& server);
  void set_workers(const std::string& service, int workers);
  void set_multiplier(double m);

  // Another copy of the estate (e.g. the migrated one in AWS): every class's stages are mapped
  // through `services` (logical name in the classes -> service that serves it there). Returns the
  // site index.
  int add_site(const std::string& name, const std::map<std::string, std::string>& services);
  // Picks the site of each arriving request (DNS); default: site 0.
  std::function<int(double t)> choose_site;
  // Maintenance mode: write requests arriving at the site are refused (HTTP 503).
  void set_writes_blocked(int site, bool blocked);
  bool writes_blocked(int site) const { return writes_blocked_.at(static_cast<size_t>(site)); }
  // Write requests admitted at the site and not finished yet (they may still commit).
  uint64_t writes_in_flight(int site) const { return writes_in_flight_.at(static_cast<size_t>(site)); }
  const std::vector<std::string>& site_names() const { return site_names_; }

  // What the edge (CloudFront + WAF) does with an arriving request: let it in, answer it itself
  // after latency_s (a cache hit, or a miss served from S3), or block it (attack traffic: not a
  // user request, not counted in arrivals or errors, only in Totals::edge_blocked).
  struct EdgeVerdict {
    enum class Kind : uint8_t { Origin, Answered, Blocked } kind = Kind::Origin;
    double latency_s = 0.0;
  };
  std::function<EdgeVerdict(double t, uint32_t cls)> at_edge;
  // Load-balanced stages (sim::StageSpec::on_target): picks the station serving them for this request
  // when it arrives; nullptr refuses it (HTTP 503). The AWS estate's ALB hooks here.
  std::function<Station*(Request&)> pick_target;
  // Called when a request leaves the system (completed or failed).
  std::function<void(Request&)> on_leave;

  // Called for each committed write (t, class, rows, site); the binlog of later models hooks here.
  std::function<void(double, const sim::RequestClassSpec&, int, int)> on_commit;
  // Called for each disk write (server index in the platform's servers, bytes): feeds block
  // replication.
  std::function<void(int, double)> on_disk_write;

  struct Totals {
    uint64_t arrivals = 0, completed = 0, failed = 0, in_flight = 0;
    uint64_t rejected = 0, timeouts = 0, server_errors = 0;
    uint64_t maintenance = 0;  // of the rejected: writes refused while writes were stopped
    uint64_t in_flight_past_deadline = 0;  // clients already gave up on these
    uint64_t edge_blocked = 0;             // blocked by WAF at the edge (not in arrivals)
    double sojourn_sum_s = 0.0;            // time in system of every request, in-flight ones up to t_end
  };
  const Totals& totals() const { return totals_; }
  const std::vector<std::unique_ptr<Station>>& stations() const { return stations_; }
  const sim::TrafficProfile& profile() const { return profile_; }

  void advance(Request* r, bool ok);  // a step of r ended

private:
  struct ClassMetrics {
    uint64_t* arrivals;
    uint64_t* completed;
    uint64_t* rejected;
    uint64_t* timeouts;
    uint64_t* server_errors;
    sim::Histogram* latency;
  };
  struct ServerState {
    std::string name;
    int cores;
    int running = 0;  // CPU activities running on it
    bool up = true;
    sim::TimeWeighted* busy_cores;
  };
  struct ClassPlan {
    const sim::RequestClassSpec* spec;
    std::vector<Station*> stations;
    std::vector<CpuDist> cpu_dist;
    std::vector<double> hop_latency_s;  // per stage, from the previous hop (clients for stage 0)
    std::vector<std::vector<simgrid::s4u::Link*>> hop_links;
    double response_latency_s;
    std::vector<simgrid::s4u::Link*> response_links;
    std::vector<char> on_target;  // per stage: served by the request's picked target
    bool has_target;
  };

  void schedule_next_arrival(double after);
  void arrive();
  void enter_stage(Request* r);
  void begin_work(Request* r);
  void start_cpu(Request* r);
  void after_cpu(Request* r);
  void start_disk(Request* r, bool write);
  void next_stage(Request* r);
  void respond(Request* r);
  void complete(Request* r);
  void fail(Request* r, Failure why);
  void release_workers(Request* r, uint16_t keep);
  void serve_queue(Station* s);
  void cpu_started(int server_index);
  void cpu_ended(int server_index);
  void leave(Request* r);
  void flush_minute(double t);
  Request* allocate();

  const sim::Scenario& scenario_;
  sim::Platform& platform_;
  sim::Engine& engine_;
  sim::Registry& metrics_;
  sim::TrafficProfile profile_;
  sim::ArrivalGenerator arrivals_;
  sim::RandomStream mix_rng_;
  std::vector<double> class_cumulative_;
  ClassPlan build_plan(const sim::RequestClassSpec& c, const std::map<std::string, std::string>& services);
  const ClassPlan& plan_of(const Request* r) const { return site_plans_[r->site][r->cls]; }
  Station* station_at(const Request* r, size_t stage) const
  {
    const auto& p = plan_of(r);
    return p.on_target[stage] ? r->target : p.stations[stage];
  }
  std::vector<std::vector<ClassPlan>> site_plans_;
  std::vector<std::string> site_names_;
  std::vector<bool> writes_blocked_;
  std::vector<uint64_t> writes_in_flight_;
  std::vector<sim::TimeSeries*> ts_site_arrivals_;
  // Per site: completed, failed, latency of the completed (what a dashboard per site shows).
  struct SiteMetrics {
    uint64_t* completed;
    uint64_t* failed;
    sim::Histogram* latency;
  };
  std::vector<SiteMetrics> site_metrics_;
  sim::TimeSeries* ts_maintenance_;
  std::vector<std::unique_ptr<Station>> stations_;
  std::vector<ServerState> servers_;
  std::vector<ClassMetrics> class_metrics_;
  sim::Histogram* all_latency_;
  sim::Histogram minute_latency_;
  double minute_start_ = 0.0;
  sim::TimeSeries* ts_arrivals_;
  sim::TimeSeries* ts_completed_;
  sim::TimeSeries* ts_errors_;
  sim::TimeSeries* ts_p50_;
  sim::TimeSeries* ts_p95_;
  sim::TimeSeries* ts_p99_;
  sim::TimeSeries* ts_transactions_;
  sim::TimeWeighted* in_system_;
  uint64_t* transactions_committed_;
  uint64_t* rows_committed_;
  Totals totals_;
  uint64_t arrival_generation_ = 0;  // bumps when the rate changes: the pending draw is void
  std::vector<std::unique_ptr<Request>> pool_storage_;
  Request* free_list_ = nullptr;
};

}  // namespace migsim::models
