#include "sim/calendar.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace migsim::sim {

namespace {

Calendar g_output_calendar;

// Broken-down local time of simulated second T (whole seconds, rounded down).
std::tm local_tm(const Calendar& c, double t_s)
{
  const auto local = static_cast<std::time_t>(std::floor(c.start_epoch_s + c.utc_offset_s + t_s + 1e-6));
  std::tm tm{};
  gmtime_r(&local, &tm);
  return tm;
}

bool digits(const std::string& s, size_t at, size_t n)
{
  if (at + n > s.size())
    return false;
  for (size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

int number(const std::string& s, size_t at, size_t n) { return std::stoi(s.substr(at, n)); }

}  // namespace

std::string Calendar::datetime(double t_s) const
{
  const std::tm tm = local_tm(*this, t_s);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string Calendar::time_of_day(double t_s) const { return datetime(t_s).substr(11); }

double Calendar::hour_of_day(double t_s) const
{
  const double local = start_epoch_s + utc_offset_s + t_s;
  double h = std::fmod(local, 86400.0) / 3600.0;
  return h < 0 ? h + 24.0 : h;
}

std::string Calendar::zone() const
{
  if (utc_offset_s == 0)
    return "UTC";
  const int a = std::abs(utc_offset_s);
  char buf[16];
  std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", utc_offset_s < 0 ? '-' : '+', a / 3600, a / 60 % 60);
  return buf;
}

std::string Calendar::iso(double t_s) const
{
  std::string d = datetime(t_s);
  d[10] = 'T';
  return d + (utc_offset_s == 0 ? std::string("Z") : zone().substr(3));
}

std::optional<Calendar> parse_calendar(const std::string& s, std::string* why)
{
  auto fail = [&](const std::string& w) -> std::optional<Calendar> {
    if (why)
      *why = w;
    return std::nullopt;
  };
  // YYYY-MM-DDTHH:MM[:SS][Z|(+|-)HH:MM]
  if (!(digits(s, 0, 4) && s.size() > 4 && s[4] == '-' && digits(s, 5, 2) && s.size() > 7 && s[7] == '-' &&
        digits(s, 8, 2) && s.size() > 10 && (s[10] == 'T' || s[10] == ' ') && digits(s, 11, 2) && s.size() > 13 &&
        s[13] == ':' && digits(s, 14, 2)))
    return fail("expected a date and time such as \"2025-11-28T16:00:00Z\" or \"2025-11-28T16:00-03:00\", got \"" +
                s + "\"");
  std::tm tm{};
  tm.tm_year = number(s, 0, 4) - 1900;
  tm.tm_mon = number(s, 5, 2) - 1;
  tm.tm_mday = number(s, 8, 2);
  tm.tm_hour = number(s, 11, 2);
  tm.tm_min = number(s, 14, 2);
  size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!digits(s, i + 1, 2))
      return fail("seconds must be two digits in \"" + s + "\"");
    tm.tm_sec = number(s, i + 1, 2);
    i += 3;
  }
  int offset = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' && i + 1 == s.size()) {
      // UTC
    } else if ((s[i] == '+' || s[i] == '-') && digits(s, i + 1, 2) && i + 3 < s.size() && s[i + 3] == ':' &&
               digits(s, i + 4, 2) && i + 6 == s.size()) {
      const int h = number(s, i + 1, 2), m = number(s, i + 4, 2);
      if (h > 14 || m > 59)
        return fail("UTC offset out of range in \"" + s + "\"");
      offset = (s[i] == '-' ? -1 : 1) * (h * 3600 + m * 60);
    } else {
      return fail("expected Z or a UTC offset such as -03:00 after the time in \"" + s + "\"");
    }
  }
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
    return fail("not a valid date and time: \"" + s + "\"");
  const std::tm asked = tm;
  const std::time_t local = timegm(&tm);  // normalises: 2025-02-30 becomes 2025-03-02
  if (tm.tm_mday != asked.tm_mday || tm.tm_mon != asked.tm_mon)
    return fail("no such date: \"" + s + "\"");
  if (tm.tm_year + 1900 < 1970 || tm.tm_year + 1900 > 2200)
    return fail("year out of range (1970-2200) in \"" + s + "\"");
  Calendar c;
  c.start_epoch_s = static_cast<double>(local) - offset;
  c.utc_offset_s = offset;
  return c;
}

void set_output_calendar(const Calendar& c) { g_output_calendar = c; }
const Calendar& output_calendar() { return g_output_calendar; }

}  // namespace migsim::sim
