// The CloudWatch operations of the mock endpoint (metrics from the registry, alarms evaluated on
// simulated data): ListMetrics, GetMetricStatistics, GetMetricData, PutMetricAlarm,
// DescribeAlarms, DeleteAlarms, SetAlarmState, DescribeAlarmHistory. Handlers throw
// cloudwatch::CloudWatchError; registered with the serve registry, the shared codec speaks json 1.0
// and query to them (not smithy-rpc-v2-cbor).
#pragma once

#include "harness/serve/core/services_state.hpp"

#include <vector>

namespace migsim::harness::serve {

const std::vector<OpDef>& cloudwatch_ops();

}  // namespace migsim::harness::serve
