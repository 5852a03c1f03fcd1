#include "harness/run/extra_series.hpp"

#include "models/cutover/migration.hpp"
#include "models/dms/replication.hpp"
#include "sim/engine.hpp"
#include "sim/metrics.hpp"

#include <algorithm>
#include <map>
#include <memory>

namespace migsim::harness {

namespace {

// Adds one column (values per minute row) unless a column of that name exists.
void append_column(RunResult& r, const std::string& name, const std::vector<double>& v)
{
  if (std::find(r.series_columns.begin(), r.series_columns.end(), name) != r.series_columns.end())
    return;
  r.series_columns.push_back(name);
  for (size_t i = 0; i < r.series_rows.size(); ++i)
    r.series_rows[i].push_back(v[i]);
}

// Level of a step function given (time, level) changes, at the end of each minute row.
std::vector<double> levels_at_minute_ends(double initial, std::vector<std::pair<double, double>> changes, size_t n,
                                          double duration_s)
{
  std::stable_sort(changes.begin(), changes.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<double> v(n, initial);
  double level = initial;
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    const double end = std::min((static_cast<double>(i) + 1) * 60.0, duration_s);
    while (k < changes.size() && changes[k].first <= end)
      level = changes[k++].second;
    v[i] = level;
  }
  return v;
}

}  // namespace

void append_capacity_series(const sim::Scenario& sc, RunResult& r)
{
  if (!sc.eks.is_null())
    return;  // an EKS run serves the workload on its pods: the platform's servers are not used
  const size_t n = r.series_rows.size();
  // Servers up per zone: each server's own up/down history, summed by zone.
  std::map<std::string, std::vector<double>> by_zone;
  for (const auto& z : sc.platform.zones)
    for (const auto& s : sc.platform.servers)
      if (s.zone == z.name) {
        std::vector<std::pair<double, double>> changes;
        for (const auto& e : sc.events)
          if (e.target == s.name && (e.action == "server_down" || e.action == "server_up"))
            changes.emplace_back(e.at_s, e.action == "server_up" ? 1.0 : 0.0);
        const auto up = levels_at_minute_ends(1.0, changes, n, r.duration_s);
        auto& sum = by_zone[z.name];
        sum.resize(n, 0.0);
        for (size_t i = 0; i < n; ++i)
          sum[i] += up[i];
      }
  for (const auto& z : sc.platform.zones)
    if (by_zone.count(z.name))
      append_column(r, "capacity_servers{zone=" + z.name + "}", by_zone[z.name]);
  for (const auto& svc : sc.platform.services) {
    std::vector<std::pair<double, double>> changes;
    for (const auto& e : sc.events)
      if (e.action == "set_workers" && e.target == svc.name)
        changes.emplace_back(e.at_s, e.value);
    append_column(r, "capacity_workers{service=" + svc.name + "}",
                  levels_at_minute_ends(svc.workers, changes, n, r.duration_s));
  }
}

// Reads model state at each minute end and reschedules itself; each pending event owns it.
struct MinuteSampler : std::enable_shared_from_this<MinuteSampler> {
  sim::Engine& engine;
  sim::Registry& metrics;
  const models::Migration& migration;
  double duration_s = 0, snapshot_rows = 0;

  MinuteSampler(sim::Engine& e, sim::Registry& m, const models::Migration& g, double d)
      : engine(e), metrics(m), migration(g), duration_s(d)
  {
    for (const auto& t : migration.spec().tables)
      snapshot_rows += static_cast<double>(t.rows);
  }
  void schedule(double t) { engine.at(t, [self = shared_from_this(), t] { self->sample(t); }); }
  void sample(double t)
  {
    if (const auto* dms = migration.dms(); dms && snapshot_rows > 0) {
      double loaded = 0;
      for (const auto& s : dms->table_statistics())
        loaded += static_cast<double>(s.full_load_rows);
      // Dated inside the minute that just ended.
      metrics.series(dms->metric("dms_full_load_pct"), sim::TimeSeries::Kind::Last)
          .add(std::max(0.0, t - 30.0), 100.0 * std::min(1.0, loaded / snapshot_rows));
    }
    if (t < duration_s)
      schedule(std::min(duration_s, t + 60.0));
  }
};

void start_minute_sampler(sim::Engine& engine, sim::Registry& metrics, const models::Migration& migration,
                          double duration_s)
{
  std::make_shared<MinuteSampler>(engine, metrics, migration, duration_s)->schedule(std::min(60.0, duration_s));
}

}  // namespace migsim::harness
