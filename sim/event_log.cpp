#include "sim/event_log.hpp"

#include "sim/calendar.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>

namespace migsim::sim {

EventLog& EventLog::instance()
{
  static EventLog log;
  return log;
}

std::shared_ptr<spdlog::logger> EventLog::logger_for(const std::string& component)
{
  auto logger = spdlog::get(component);
  if (!logger) {
    logger = spdlog::stderr_logger_st(component);
    logger->set_pattern("%v");
  }
  return logger;
}

void EventLog::record(double t_s, const std::string& component, const std::string& message)
{
  entries_.push_back({t_s, component, message});
  if (echo_) {
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "[%12.3fs]", t_s);
    logger_for(component)->info("{} {}: {}", stamp, component, message);
  }
}

std::string format_sim_time(double t_s) { return output_calendar().datetime(t_s); }

std::string format_duration(double s)
{
  char buf[48];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%d min %d s", static_cast<int>(s / 60), static_cast<int>(std::fmod(s, 60)));
  else
    std::snprintf(buf, sizeof buf, "%d h %d min", static_cast<int>(s / 3600), static_cast<int>(std::fmod(s, 3600) / 60));
  return buf;
}

}  // namespace migsim::sim
