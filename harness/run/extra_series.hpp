// Per-minute series the harness adds to timeseries.csv for the report: capacity over time and the
// DMS full-load progress. Naming convention (scenarios/README.md, docs/reports-and-sweeps.md): every
// per-minute series named `capacity_<unit>{<label>=<value>}` is a capacity level (servers,
// workers, instances, pods, nodes ...), and the HTML report draws one chart per <unit> with one
// line per label, so a model that registers e.g. capacity_pods{deployment=api} shows up unchanged.
#pragma once

#include "harness/run/simulation.hpp"  // the forward declarations of the engine, registry and models

namespace migsim::harness {

// capacity_servers{zone=Z} (servers up in the zone) and capacity_workers{service=S}, at the end of
// each minute, from the platform and the scenario's server_down/server_up/set_workers events.
// Appended to r's series (after the columns already there); skipped when a column of that name
// exists (a model registered it).
void append_capacity_series(const sim::Scenario& sc, RunResult& r);

// Samples model state at the end of every simulated minute into Last-kind series:
// dms_full_load_pct{replication=ID} (snapshot rows committed on the target / snapshot rows, %).
void start_minute_sampler(sim::Engine& engine, sim::Registry& metrics, const models::Migration& migration,
                          double duration_s);

}  // namespace migsim::harness
