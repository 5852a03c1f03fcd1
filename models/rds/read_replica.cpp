#include "models/rds/read_replica.hpp"

#include <algorithm>

namespace migsim::models::rds {

ReadReplica::ReadReplica(std::string identifier, ReplicaSettings settings)
    : identifier_(std::move(identifier)), settings_(settings)
{}

double ReadReplica::apply_rate_tps(int rows) const
{
  return 1000.0 / (settings_.apply_ms_per_tx + rows * settings_.apply_ms_per_row);
}

void ReadReplica::on_commit(double t, uint64_t seq, int rows)
{
  settle(t);
  const double start = std::max(last_finish_, t);
  last_finish_ = start + (settings_.apply_ms_per_tx + rows * settings_.apply_ms_per_row) / 1000.0;
  queue_.push_back({t, last_finish_, seq});
  ++received_;
}

void ReadReplica::settle(double t)
{
  while (!queue_.empty() && queue_.front().finish_t <= t) {
    applied_seq_ = queue_.front().seq;
    queue_.pop_front();
  }
}

double ReadReplica::lag_s(double t)
{
  settle(t);
  // The head of the queue is the transaction being applied (or waiting for the SQL thread).
  const double lag = queue_.empty() ? 0.0 : std::max(0.0, t - queue_.front().commit_t);
  max_lag_s_ = std::max(max_lag_s_, lag);
  return lag;
}

uint64_t ReadReplica::applied_seq(double t)
{
  settle(t);
  return applied_seq_;
}

uint64_t ReadReplica::backlog(double t)
{
  settle(t);
  return queue_.size();
}

}  // namespace migsim::models::rds
