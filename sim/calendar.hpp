// The scenario's calendar: simulated second 0 is the scenario's `start`, a date and time of day with
// a UTC offset (the estate's local time). Every output says times on it: the CLI summary, the
// reports, the rehearsal timeline, the mock endpoint's Date header and CloudWatch timestamps (the
// same instants, in UTC where the protocol wants UTC).
#pragma once

#include <optional>
#include <string>

namespace migsim::sim {

struct Calendar {
  // 2025-01-01T00:00:00Z, the start when a scenario does not give one.
  static constexpr double kDefaultStartEpoch_s = 1735689600.0;

  double start_epoch_s = kDefaultStartEpoch_s;  // the UTC instant of simulated t = 0
  int utc_offset_s = 0;                         // local time = UTC + offset

  // Unix time (UTC) of simulated second T, and back.
  double epoch_s(double t_s) const { return start_epoch_s + t_s; }
  double sim_s(double epoch) const { return epoch - start_epoch_s; }
  // Local date and time of day: "2025-11-28 18:00:00" (seconds and days included, no fraction).
  std::string datetime(double t_s) const;
  // Local time of day, "18:00:00", for tables whose day is clear from the context.
  std::string time_of_day(double t_s) const;
  // Local hour of day at T, 0 <= h < 24 (the daily traffic curve is read from it).
  double hour_of_day(double t_s) const;
  // ISO 8601 with the offset: "2025-11-28T18:00:00-03:00" (the scenario key's form).
  std::string iso(double t_s) const;
  // The offset as "UTC", "UTC-03:00".
  std::string zone() const;
};

// "2025-11-28T16:00", "2025-11-28T16:00:00Z", "2025-11-28T16:00:00-03:00" (seconds optional; no
// offset means UTC). Empty when the text is not such a date and time; *why says what is wrong.
std::optional<Calendar> parse_calendar(const std::string& text, std::string* why = nullptr);

// The calendar outputs of this process are written on (one scenario per process): set once the
// scenario is loaded; format_sim_time() reads it.
void set_output_calendar(const Calendar& c);
const Calendar& output_calendar();

}  // namespace migsim::sim
