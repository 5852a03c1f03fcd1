// The event log: what happened when, stamped with simulated time (scenario events, faults, phase
// changes; never one line per request). Kept in memory for reports and mirrored to a spdlog logger
// per component when verbose.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace migsim::sim {

struct LogEntry {
  double t_s;
  std::string component;
  std::string message;
};

class EventLog {
public:
  static EventLog& instance();

  void record(double t_s, const std::string& component, const std::string& message);
  const std::vector<LogEntry>& entries() const { return entries_; }
  // When true, entries are also printed to stderr as "[   123.456s] component: message".
  void set_echo(bool on) { echo_ = on; }

private:
  std::shared_ptr<spdlog::logger> logger_for(const std::string& component);
  std::vector<LogEntry> entries_;
  bool echo_ = false;
};

// Simulated time as a local date and time on the scenario's calendar, "2025-11-28 18:00:00"
// (output_calendar(), set when the scenario is loaded).
std::string format_sim_time(double t_s);
// A duration as "1 h 12 min" / "45.2 s" for humans.
std::string format_duration(double s);

}  // namespace migsim::sim
