// MGN operations that change state (rest-json, POST /<Operation>), acting on the live MGN model
// (models/mgn: one SourceServer per migrated machine, its Launcher for jobs): InitializeService,
// ChangeServerLifeCycleState, StartTest, StartCutover, FinalizeCutover, TerminateTargetInstances,
// MarkAsArchived, GetLaunchConfiguration, UpdateLaunchConfiguration. A request the lifecycle does
// not allow (models/mgn/lifecycle.hpp's tables) is a 409 ConflictException naming the state; an
// unknown server a 404 ResourceNotFoundException; bad values a 400 ValidationException.
// The account counts as initialized when the scenario migrates with MGN (its agents are installed
// by the scenario); InitializeService is idempotent.
#pragma once

#include "harness/serve/core/services_state.hpp"

#include <vector>

namespace migsim::harness::serve {

// The operations, for registration with the wire layer.
const std::vector<OpDef>& mgn_ops();

}  // namespace migsim::harness::serve
