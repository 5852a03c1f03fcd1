// An RDS read replica: MySQL asynchronous replication. The primary's commits reach the replica's
// relay log at once (network time neglected) and one SQL thread applies them in commit order, each
// taking apply_ms_per_tx + rows x apply_ms_per_row (not published: parameters). ReplicaLag is
// MySQL's Seconds_Behind_Master: now minus the original commit time of the transaction being
// applied, 0 when the replica has caught up. When writes arrive faster than the apply rate a, the
// lag grows at 1 - a / w per second of write rate w, and drains at (a - w) x backlog afterwards.
// A read served by the replica sees the data as of lag seconds ago.
//
// Completions are computed exactly and lazily: transaction i finishes at
// max(finish(i-1), commit(i)) + apply time(i), so no timer is needed.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

namespace migsim::models::rds {

struct ReplicaSettings {
  double apply_ms_per_tx = 2.0;   // per transaction (parse, commit, fsync of the relay position)
  double apply_ms_per_row = 0.0;  // per row change
};

class ReadReplica {
public:
  ReadReplica(std::string identifier, ReplicaSettings settings);

  // A transaction committed on the primary at t (t never goes backwards).
  void on_commit(double t, uint64_t seq, int rows);
  // The SQL thread starts applying at t (a replica restored from a snapshot: commits received
  // before t wait in the relay log until then).
  void start_applying_at(double t) { last_finish_ = t > last_finish_ ? t : last_finish_; }

  // Seconds_Behind_Master at t (t never goes backwards across calls).
  double lag_s(double t);
  // Last transaction applied by t: a read at t sees the primary as of that commit.
  uint64_t applied_seq(double t);
  // Transactions received and not applied yet at t.
  uint64_t backlog(double t);
  // Transactions per second the SQL thread applies for transactions of `rows` rows.
  double apply_rate_tps(int rows) const;

  const std::string& identifier() const { return identifier_; }
  const ReplicaSettings& settings() const { return settings_; }
  uint64_t received() const { return received_; }
  double max_lag_s() const { return max_lag_s_; }

private:
  struct Pending {
    double commit_t;
    double finish_t;
    uint64_t seq;
  };
  void settle(double t);

  std::string identifier_;
  ReplicaSettings settings_;
  std::deque<Pending> queue_;
  double last_finish_ = 0;
  uint64_t applied_seq_ = 0;
  uint64_t received_ = 0;
  double max_lag_s_ = 0;
};

}  // namespace migsim::models::rds
