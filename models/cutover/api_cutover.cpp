// The cutover as the report tells it when it was driven operation by operation through the mock
// AWS endpoint (a runbook: maintenance mode on, DMS stopped, MGN StartCutover, Route 53 UPSERT,
// FinalizeCutover) rather than by the scenario's automated `cutover_start`. The times come from the
// models' own records: writes stopped, the Route 53 changes of the record, on-prem writes resumed,
// the MGN servers' lifecycle.
#include "models/cutover/migration.hpp"

#include "models/mgn/source_server.hpp"

#include <algorithm>
#include <cstdio>

namespace migsim::models {

namespace {

// Seconds since the Unix epoch of "YYYY-MM-DDTHH:MM:SS[.fff]Z" (-1 when malformed).
double parse_iso_epoch_s(const std::string& s)
{
  int y, mo, d, h, mi;
  double sec;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf", &y, &mo, &d, &h, &mi, &sec) != 6)
    return -1;
  const int yy = y - (mo <= 2);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(yy - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(mo + (mo > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const long days = static_cast<long>(era) * 146097 + static_cast<long>(doe) - 719468;
  return static_cast<double>(days) * 86400.0 + h * 3600.0 + mi * 60.0 + sec;
}

}  // namespace

CutoverOutcome Migration::effective_cutover(double t_end) const
{
  CutoverOutcome c = cutover_;
  // The automated cutover keeps its own record; without stopped writes nothing was driven.
  if (c.result != "not started" || c.writes_stopped_s < 0)
    return c;
  c.result = "running";
  c.started_s = c.writes_stopped_s;
  double rolled_back_s = -1;
  for (const auto& ch : dns_->changes()) {
    if (ch.submitted_s < c.writes_stopped_s || ch.submitted_s > t_end)
      continue;
    if (ch.value == target_site_ && c.dns_switched_s < 0) {
      // Writes go to RDS from the moment users reach the AWS site (its writes are never blocked).
      c.dns_switched_s = ch.submitted_s;
      c.dns_insync_s = ch.insync_s;
      c.app_on_rds_s = ch.submitted_s;
    } else if (ch.value == 0 && c.dns_switched_s >= 0) {
      rolled_back_s = std::max(rolled_back_s, ch.submitted_s);
    }
  }
  if (onprem_writes_resumed_s_ >= c.writes_stopped_s)
    rolled_back_s = std::max(rolled_back_s, onprem_writes_resumed_s_);
  if (rolled_back_s >= 0) {
    c.result = "rolled back";
    c.failed_step = "(driven through the API)";
    c.reason = "on-prem writes resumed or DNS pointed back";
    c.app_on_rds_s = -1;  // writes came back on-prem, not on RDS
    c.ended_s = rolled_back_s;
    return c;
  }
  bool all_finalized = !mgn_.empty();
  double finalized_s = -1;
  for (const auto& s : mgn_) {
    const auto d = s->describe();
    if (s->lifecycle_state() != mgn::LifeCycleState::DISCONNECTED || !d.life_cycle.last_cutover_finalized_date_time) {
      all_finalized = false;
      break;
    }
    finalized_s = std::max(finalized_s, parse_iso_epoch_s(*d.life_cycle.last_cutover_finalized_date_time) -
                                            s->settings().epoch_unix_s);
  }
  if (all_finalized && c.dns_switched_s >= 0) {
    c.result = "completed";
    c.finalized_s = finalized_s;
    c.ended_s = finalized_s;
  }
  return c;
}

}  // namespace migsim::models
