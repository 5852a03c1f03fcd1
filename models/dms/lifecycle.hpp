// The replication lifecycle as a table: the documented start-up sequence, each status held for
// its duration parameter (testing_connection also runs the connection tests), then running; from
// running or start-up, stop() leads to stopping -> stopped and a fatal error to failed; start()
// is allowed again from stopped or failed (a resume from the checkpoint).
#pragma once

#include "models/dms/describe.hpp"
#include "models/dms/settings.hpp"

#include <string>

namespace migsim::models::dms {

// One start-up status and the parameter that says how long it lasts.
struct StartupStep {
  const char* status;
  double ReplicationSettings::*duration_s;
};

inline constexpr StartupStep kStartupSequence[] = {
    {"initializing", &ReplicationSettings::initializing_s},
    {"preparing_metadata_resources", &ReplicationSettings::preparing_metadata_resources_s},
    {"testing_connection", &ReplicationSettings::testing_connection_s},
    {"fetching_metadata", &ReplicationSettings::fetching_metadata_s},
    {"calculating_capacity", &ReplicationSettings::calculating_capacity_s},
    {"provisioning_capacity", &ReplicationSettings::provisioning_capacity_s},
    {"replication_starting", &ReplicationSettings::replication_starting_s},
};  // then kStatusRunning

// StartReplication is accepted in these statuses.
inline bool can_start(const std::string& status)
{
  return status == kStatusCreated || status == kStatusStopped || status == kStatusFailed;
}

// StopReplication is accepted during start-up and while running.
inline bool can_stop(const std::string& status)
{
  return !can_start(status) && status != kStatusStopping;
}

}  // namespace migsim::models::dms
