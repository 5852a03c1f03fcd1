// What the models hold as state rather than as measurements (workers busy, queue lengths, pods and
// their phases, link throughput, open database connections), published into the metrics registry
// as gauges right before the registry is exported, so the exporter reads one source only.
#pragma once

namespace migsim::harness {
class Simulation;
}

namespace migsim::harness::observe {

// Sets the state gauges for the simulation's current time. Series of objects that no longer exist
// (a deleted pod, a terminated node) are set to NaN, which the exporter leaves out, as
// kube-state-metrics stops exporting a deleted object.
void publish_state_gauges(Simulation& simulation);

}  // namespace migsim::harness::observe
