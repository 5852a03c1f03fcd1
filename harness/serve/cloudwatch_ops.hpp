// The CloudWatch operations of the mock endpoint (metrics from the registry, alarms evaluated on
// simulated data): ListMetrics, GetMetricStatistics, GetMetricData, PutMetricAlarm,
// DescribeAlarms, DeleteAlarms, SetAlarmState, DescribeAlarmHistory. Handlers throw
// cloudwatch::CloudWatchError; cloudwatch_wire.cpp speaks both json 1.0 and query to them.
#pragma once

#include "harness/serve/services_state.hpp"

#include <vector>

namespace migsim::harness::serve {

const std::vector<OpDef>& cloudwatch_ops();

}  // namespace migsim::harness::serve
