// CloudWatch on the mock endpoint: metrics from the simulation's registry (metrics.hpp) and alarms
// evaluated on simulated data (alarms.hpp), as this server holds them. api.cpp answers ListMetrics,
// GetMetricStatistics, GetMetricData, PutMetricAlarm, DescribeAlarms, DeleteAlarms, SetAlarmState,
// DescribeAlarmHistory (the shared codec speaks smithy-rpc-v2-cbor, json 1.0 and query to them);
// alarm_tags.cpp the alarms' tags.
#pragma once

#include "harness/serve/cloudwatch/alarms.hpp"
#include "harness/serve/core/serve_context.hpp"

namespace migsim::harness::serve {

class Registry;

// The endpoint's alarms (created on first use; alarm actions publish to the SNS backend).
cloudwatch::AlarmBook& alarm_book(ServeContext& ctx);
// What CloudWatch reads from this context's simulation.
cloudwatch::CatalogContext catalog_context(ServeContext& ctx);
// Evaluates the alarms up to the current simulated time (cheap when no minute passed); runs before
// every AWS request, so alarm actions fire whichever service is called.
void evaluate_alarms(ServeContext& ctx);

void register_cloudwatch(Registry& r);

}  // namespace migsim::harness::serve
