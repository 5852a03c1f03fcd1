#include "harness/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <sstream>

namespace migsim::harness::svg {

namespace {

constexpr int kLeft = 70, kRight = 34, kTop = 48, kBottom = 46, kLegendRow = 14;

std::string num(double v, int decimals = 1)
{
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.')
      s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

// Compact JSON number for the tooltip data (null for NaN).
std::string json_num(double v)
{
  if (!std::isfinite(v))
    return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// Bucket maxima: keeps peaks visible when a long run is drawn on a few hundred pixels.
Series reduce(const Series& s, size_t max_points)
{
  if (s.x.size() <= max_points || max_points < 2)
    return s;
  Series r = s;
  r.x.clear();
  r.y.clear();
  r.lo.clear();
  r.hi.clear();
  const size_t n = s.x.size();
  const bool band = s.lo.size() == n && s.hi.size() == n;
  // The extreme of v over [i0, i1) by better (NaN when none is finite).
  auto extreme = [](const std::vector<double>& v, size_t i0, size_t i1, auto better) {
    double out = std::numeric_limits<double>::quiet_NaN();
    for (size_t i = i0; i < i1 && i < v.size(); ++i)
      if (std::isfinite(v[i]))
        out = std::isfinite(out) ? better(out, v[i]) : v[i];
    return out;
  };
  auto larger = [](double a, double b) { return std::max(a, b); };
  auto smaller = [](double a, double b) { return std::min(a, b); };
  for (size_t b = 0; b < max_points; ++b) {
    const size_t i0 = b * n / max_points, i1 = std::max(i0 + 1, (b + 1) * n / max_points);
    r.x.push_back(s.x[i0]);
    r.y.push_back(extreme(s.y, i0, i1, larger));
    if (band) {
      r.lo.push_back(extreme(s.lo, i0, i1, smaller));
      r.hi.push_back(extreme(s.hi, i0, i1, larger));
    }
  }
  return r;
}

// Broken-down local time of simulated second T on the calendar.
std::tm local_tm(const sim::Calendar& c, double t_s)
{
  const auto local = static_cast<std::time_t>(std::floor(c.start_epoch_s + c.utc_offset_s + t_s + 1e-6));
  std::tm tm{};
  gmtime_r(&local, &tm);
  return tm;
}

}  // namespace

Ticks nice_ticks(double lo, double hi, int target)
{
  Ticks t;
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (hi < lo)
    std::swap(lo, hi);
  if (hi == lo) {
    lo = lo - (lo == 0 ? 0 : std::abs(lo) * 0.5);
    hi = hi + (hi == 0 ? 1 : std::abs(hi) * 0.5);
  }
  target = std::max(1, target);
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  t.step = (norm <= 1.0 + 1e-9 ? 1 : norm <= 2.0 + 1e-9 ? 2 : norm <= 5.0 + 1e-9 ? 5 : 10) * mag;
  const long long k0 = static_cast<long long>(std::floor(lo / t.step + 1e-9));
  const long long k1 = static_cast<long long>(std::ceil(hi / t.step - 1e-9));
  t.lo = static_cast<double>(k0) * t.step;
  t.hi = static_cast<double>(k1) * t.step;
  for (long long k = k0; k <= k1; ++k) {
    double v = static_cast<double>(k) * t.step;
    if (std::abs(v) < t.step * 1e-9)
      v = 0;
    t.values.push_back(v);
  }
  return t;
}

Ticks time_ticks(double lo_s, double hi_s, int target, const sim::Calendar& cal)
{
  static const double kSteps[] = {60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200,
                                  86400, 172800, 604800, 1209600, 2592000};
  Ticks t;
  t.lo = lo_s;
  t.hi = hi_s > lo_s ? hi_s : lo_s + 60;
  t.step = kSteps[std::size(kSteps) - 1];
  for (double s : kSteps)
    if ((t.hi - t.lo) / s <= std::max(1, target)) {
      t.step = s;
      break;
    }
  // Ticks fall where the local time is a multiple of the step (of a day for longer steps): local
  // seconds since the epoch are t + origin.
  const double origin = cal.start_epoch_s + cal.utc_offset_s, align = std::min(t.step, 86400.0);
  const double first_local = std::ceil((t.lo + origin) / align - 1e-9) * align;
  for (double v = first_local - origin; v <= t.hi + 1e-9; v += t.step)
    t.values.push_back(v);
  return t;
}

Ticks log_ticks(double lo, double hi)
{
  Ticks t;
  lo = std::max(lo, 1e-12);
  hi = std::max(hi, lo);
  const int k0 = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  int k1 = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
  if (k1 <= k0)
    k1 = k0 + 1;
  t.lo = std::pow(10.0, k0);
  t.hi = std::pow(10.0, k1);
  t.step = 0;
  for (int k = k0; k <= k1; ++k)
    for (double m : {1.0, 2.0, 5.0}) {
      const double v = m * std::pow(10.0, k);
      if (v <= t.hi * (1 + 1e-9))
        t.values.push_back(v);
    }
  return t;
}

std::string tick_label(double v, double step)
{
  auto decimals = [](double st) { return st >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(st) - 1e-9)); };
  if (v == 0)
    return "0";
  if (step >= 1e5 && std::abs(v) >= 1e6)
    return num(v / 1e6, decimals(step / 1e6)) + "M";
  if (step >= 1e3 || std::abs(v) >= 1e5)
    return num(v / 1e3, decimals(step / 1e3)) + "k";
  return num(v, decimals(step));
}

TimeLabel time_label(const sim::Calendar& cal, double t_s, double step_s, bool with_date)
{
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::tm tm = local_tm(cal, t_s);
  char date[32], time[16];
  std::snprintf(date, sizeof date, "%s %d %s", kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12]);
  std::snprintf(time, sizeof time, "%02d:%02d", tm.tm_hour, tm.tm_min);
  if (step_s >= 86400)
    return {date, ""};
  return {time, with_date ? date : ""};
}

std::string escape(const std::string& s)
{
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&': o += "&amp;"; break;
    case '<': o += "&lt;"; break;
    case '>': o += "&gt;"; break;
    case '"': o += "&quot;"; break;
    case '\'': o += "&#39;"; break;
    default: o += c;
    }
  }
  return o;
}

std::string color(size_t index)
{
  static const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                   "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#d62728"};
  return kPalette[index % std::size(kPalette)];
}

namespace {

// The ticks and labels of a time axis: the time of day, and under it the date on the first tick and
// wherever the day changes. Tick lines run from y_from to y_to; labels start under axis_y.
void time_axis(std::ostringstream& o, const Ticks& xt, const Scale& sx, const sim::Calendar& cal, double y_from,
               double y_to, double axis_y, const char* line_class)
{
  std::string last_date;
  for (double v : xt.values) {
    const double x = sx(v);
    const TimeLabel full = time_label(cal, v, xt.step, true);
    const bool new_day = full.date != last_date;
    last_date = full.date;
    const TimeLabel l = xt.step >= 86400 ? full : time_label(cal, v, xt.step, new_day);
    o << "<line class=\"" << line_class << "\" x1=\"" << num(x) << "\" x2=\"" << num(x) << "\" y1=\"" << num(y_from)
      << "\" y2=\"" << num(y_to) << "\"/><text class=\"xtick\" x=\"" << num(x) << "\" y=\"" << num(axis_y + 16)
      << "\">" << escape(l.time);
    if (!l.date.empty())
      o << "<tspan class=\"xdate\" x=\"" << num(x) << "\" dy=\"13\">" << escape(l.date) << "</tspan>";
    o << "</text>\n";
  }
}

}  // namespace

std::string render(const LineChart& c, size_t max_points)
{
  std::vector<Series> series;
  for (size_t i = 0; i < c.series.size(); ++i) {
    Series in = c.series[i];
    if (c.x_max > c.x_min) {  // an explicit range: keep the points inside it
      Series kept = in;
      kept.x.clear();
      kept.y.clear();
      kept.lo.clear();
      kept.hi.clear();
      const bool band = in.lo.size() == in.x.size() && in.hi.size() == in.x.size();
      for (size_t k = 0; k < in.x.size(); ++k)
        if (in.x[k] >= c.x_min && in.x[k] <= c.x_max) {
          kept.x.push_back(in.x[k]);
          kept.y.push_back(in.y[k]);
          if (band) {
            kept.lo.push_back(in.lo[k]);
            kept.hi.push_back(in.hi[k]);
          }
        }
      in = std::move(kept);
    }
    series.push_back(reduce(in, max_points));
    if (series.back().color.empty())
      series.back().color = color(i);
  }
  double x0 = c.x_min, x1 = c.x_max, ymax = 0, ymin = 0;
  const bool x_from_data = !(x1 > x0);
  if (x_from_data) {
    x0 = std::numeric_limits<double>::infinity();
    x1 = -x0;
  }
  auto widen_y = [&](double v) {
    if (std::isfinite(v)) {
      ymax = std::max(ymax, v);
      ymin = std::min(ymin, v);
    }
  };
  for (const auto& s : series)
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (x_from_data) {
        x0 = std::min(x0, s.x[i]);
        x1 = std::max(x1, s.x[i]);
      }
      widen_y(s.y[i]);
      if (i < s.hi.size()) {
        widen_y(s.lo[i]);
        widen_y(s.hi[i]);
      }
    }
  if (!(x1 > x0)) {
    x0 = 0;
    x1 = 60;
  }
  // Legend rows first: the legend sits above the plot and each extra row makes the chart taller.
  std::vector<std::pair<double, int>> legend_pos;  // x, row
  {
    double lx = kLeft;
    int row = 0;
    for (const auto& s : series) {
      const double w = 30 + 6.8 * static_cast<double>(s.name.size());
      if (lx + w > c.width - kRight && lx > kLeft) {
        lx = kLeft;
        ++row;
      }
      legend_pos.emplace_back(lx, row);
      lx += w;
    }
  }
  const int extra_rows = legend_pos.empty() ? 0 : legend_pos.back().second;
  const int top = kTop + kLegendRow * extra_rows, height = c.height + kLegendRow * extra_rows;
  const double pw = c.width - kLeft - kRight, ph = std::max(40.0, static_cast<double>(c.height - kTop - kBottom));
  // About one y tick per 40 px of plot, so their labels never touch.
  const Ticks yt = nice_ticks(c.y_min.value_or(ymin), c.y_max.value_or(ymax), std::clamp(static_cast<int>(ph / 40), 2, 5));
  const Ticks xt = time_ticks(x0, x1, 8, c.calendar);
  const Scale sx{x0, x1, static_cast<double>(kLeft), kLeft + pw};
  const Scale sy{yt.lo, yt.hi, top + ph, static_cast<double>(top)};

  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"" << escape(c.id) << "\" viewBox=\"0 0 "
    << c.width << " " << height << "\" width=\"" << c.width << "\" height=\"" << height << "\" role=\"img\""
    << " data-x0=\"" << num(x0, 3) << "\" data-x1=\"" << num(x1, 3) << "\" data-px0=\"" << kLeft
    << "\" data-px1=\"" << num(kLeft + pw) << "\" data-top=\"" << top << "\" data-bottom=\"" << num(top + ph)
    << "\" data-t0=\"" << num(c.calendar.start_epoch_s + c.calendar.utc_offset_s, 0) << "\" data-unit=\""
    << escape(c.y_unit) << "\">\n";
  o << "<title>" << escape(c.title) << "</title>\n";
  o << "<text class=\"ctitle\" x=\"" << kLeft << "\" y=\"18\">" << escape(c.title)
    << (c.y_unit.empty() ? "" : " (" + escape(c.y_unit) + ")") << "</text>\n";
  for (size_t i = 0; i < series.size(); ++i) {
    const double lx = legend_pos[i].first, ly = 27 + kLegendRow * legend_pos[i].second;
    const bool band = !series[i].hi.empty();
    o << "<g class=\"legend\"><rect x=\"" << num(lx) << "\" y=\"" << num(band ? ly - 2 : ly) << "\" width=\"12\" height=\""
      << (band ? 8 : 4) << "\" fill=\"" << series[i].color << "\"" << (band ? " fill-opacity=\"0.45\"" : "")
      << "/><text x=\"" << num(lx + 16) << "\" y=\"" << num(ly + 6) << "\">" << escape(series[i].name) << "</text></g>\n";
  }
  // Bands (downtime) under everything.
  for (const auto& b : c.bands) {
    const double a = sx(std::clamp(b.x0, x0, x1)), z = sx(std::clamp(b.x1, x0, x1));
    o << "<rect class=\"band\" x=\"" << num(a) << "\" y=\"" << top << "\" width=\"" << num(std::max(z - a, 1.5))
      << "\" height=\"" << num(ph) << "\" fill=\"" << b.color << "\" fill-opacity=\"0.18\"><title>"
      << escape(b.label) << "</title></rect>\n";
  }
  // Grid and axes.
  for (double v : yt.values) {
    const double y = sy(v);
    o << "<line class=\"grid\" x1=\"" << kLeft << "\" x2=\"" << num(kLeft + pw) << "\" y1=\"" << num(y) << "\" y2=\""
      << num(y) << "\"/><text class=\"ytick\" x=\"" << kLeft - 6 << "\" y=\"" << num(y + 4) << "\">"
      << tick_label(v, yt.step) << "</text>\n";
  }
  time_axis(o, xt, sx, c.calendar, top + ph, top + ph + 5, top + ph, "tick");
  o << "<line class=\"axis\" x1=\"" << kLeft << "\" x2=\"" << num(kLeft + pw) << "\" y1=\"" << num(top + ph)
    << "\" y2=\"" << num(top + ph) << "\"/>\n";
  // Markers.
  for (const auto& m : c.markers) {
    if (m.x < x0 || m.x > x1)
      continue;
    const double x = sx(m.x);
    o << "<line class=\"marker\" x1=\"" << num(x) << "\" x2=\"" << num(x) << "\" y1=\"" << top << "\" y2=\""
      << num(top + ph) << "\"><title>" << escape(m.label) << "</title></line>\n";
  }
  // Series: the min-max bands first, then the lines over them.
  o << "<g class=\"series\">\n";
  for (const auto& s : series) {
    if (s.hi.empty())
      continue;
    // One closed polygon per run of finite points: along hi, back along lo.
    std::string d;
    for (size_t i = 0; i < s.x.size();) {
      if (!std::isfinite(s.lo[i]) || !std::isfinite(s.hi[i])) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < s.x.size() && std::isfinite(s.lo[j]) && std::isfinite(s.hi[j]))
        ++j;
      for (size_t k = i; k < j; ++k)
        d += (k == i ? "M" : "L") + num(sx(s.x[k])) + "," + num(sy(std::clamp(s.hi[k], yt.lo, yt.hi)));
      for (size_t k = j; k-- > i;)
        d += "L" + num(sx(s.x[k])) + "," + num(sy(std::clamp(s.lo[k], yt.lo, yt.hi)));
      d += "Z";
      i = j;
    }
    o << "<path class=\"range\" d=\"" << d << "\" fill=\"" << s.color << "\" fill-opacity=\"0.16\" stroke=\"none\"><title>"
      << escape(s.name) << ": min to max</title></path>\n";
  }
  for (const auto& s : series) {
    std::string d;
    bool pen = false;
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.y[i])) {
        pen = false;
        continue;
      }
      d += (pen ? "L" : "M") + num(sx(s.x[i])) + "," + num(sy(std::clamp(s.y[i], yt.lo, yt.hi)));
      pen = true;
    }
    o << "<path d=\"" << d << "\" fill=\"none\" stroke=\"" << s.color << "\" stroke-width=\"1.6\""
      << (s.dashed ? " stroke-dasharray=\"5,3\"" : "") << "><title>" << escape(s.name) << "</title></path>\n";
  }
  o << "</g>\n";
  // Tooltip data: the x values and each series' y values (and its band's).
  auto list = [&](const std::vector<double>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i)
      out += (i ? "," : "") + json_num(v[i]);
    return out;
  };
  o << "<desc class=\"data\">{\"x\":[" << list(series.empty() ? std::vector<double>{} : series.front().x) << "],\"s\":[";
  for (size_t k = 0; k < series.size(); ++k) {
    o << (k ? "," : "") << "{\"n\":\"" << escape(series[k].name) << "\",\"c\":\"" << series[k].color << "\",\"y\":["
      << list(series[k].y) << "]";
    if (!series[k].hi.empty())
      o << ",\"lo\":[" << list(series[k].lo) << "],\"hi\":[" << list(series[k].hi) << "]";
    o << "}";
  }
  o << "]}</desc>\n</svg>\n";
  return o.str();
}

std::string render(const ScatterChart& c)
{
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const auto& p : c.points) {
    x0 = std::min(x0, p.x);
    x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y);
    y1 = std::max(y1, p.y);
  }
  if (c.points.empty())
    x0 = y0 = 0, x1 = y1 = 1;
  const bool log_y = c.log_y && y0 > 0;
  const Ticks xt = nice_ticks(x0, x1, 6), yt = log_y ? log_ticks(y0, y1) : nice_ticks(std::min(0.0, y0), y1, 5);
  const int left = 80, bottom = 50;
  const double pw = c.width - left - kRight, ph = c.height - kTop - bottom;
  const Scale sx{xt.lo, xt.hi, static_cast<double>(left), left + pw};
  const Scale lin{yt.lo, yt.hi, kTop + ph, static_cast<double>(kTop)};
  const Scale logs{std::log10(yt.lo), std::log10(yt.hi), kTop + ph, static_cast<double>(kTop)};
  auto sy = [&](double v) { return log_y ? logs(std::log10(std::max(v, yt.lo))) : lin(v); };
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart scatter\" id=\"" << escape(c.id) << "\" viewBox=\"0 0 "
    << c.width << " " << c.height << "\" width=\"" << c.width << "\" height=\"" << c.height << "\" role=\"img\">\n";
  o << "<title>" << escape(c.title) << "</title>\n<text class=\"ctitle\" x=\"" << left << "\" y=\"18\">"
    << escape(c.title) << "</text>\n";
  for (double v : yt.values)
    o << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << num(left + pw) << "\" y1=\"" << num(sy(v))
      << "\" y2=\"" << num(sy(v)) << "\"/><text class=\"ytick\" x=\"" << left - 6 << "\" y=\"" << num(sy(v) + 4)
      << "\">" << tick_label(v, log_y ? v : yt.step) << "</text>\n";
  for (double v : xt.values)
    o << "<line class=\"grid\" x1=\"" << num(sx(v)) << "\" x2=\"" << num(sx(v)) << "\" y1=\"" << kTop << "\" y2=\""
      << num(kTop + ph) << "\"/><text class=\"xtick\" x=\"" << num(sx(v)) << "\" y=\"" << num(kTop + ph + 18)
      << "\">" << tick_label(v, xt.step) << "</text>\n";
  o << "<text class=\"atitle\" x=\"" << num(left + pw / 2) << "\" y=\"" << c.height - 8 << "\">" << escape(c.x_title)
    << "</text>\n<text class=\"atitle\" transform=\"translate(16," << num(kTop + ph / 2) << ") rotate(-90)\">"
    << escape(c.y_title) << "</text>\n";
  if (c.connect_highlighted) {
    std::vector<const Point*> front;
    for (const auto& p : c.points)
      if (p.highlighted)
        front.push_back(&p);
    std::sort(front.begin(), front.end(), [](auto* a, auto* b) { return a->x < b->x || (a->x == b->x && a->y < b->y); });
    std::string d;
    for (size_t i = 0; i < front.size(); ++i) {
      if (i)
        d += "L" + num(sx(front[i]->x)) + "," + num(sy(front[i - 1]->y));
      d += (i ? "L" : "M") + num(sx(front[i]->x)) + "," + num(sy(front[i]->y));
    }
    if (!d.empty())
      o << "<path class=\"front\" d=\"" << d << "\" fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"2\"/>\n";
  }
  for (const auto& p : c.points) {
    const std::string fill = p.failed ? "white" : (p.highlighted ? "#ff7f0e" : "#1f77b4");
    o << "<circle cx=\"" << num(sx(p.x)) << "\" cy=\"" << num(sy(p.y)) << "\" r=\"" << (p.highlighted ? 6 : 4.5)
      << "\" fill=\"" << fill << "\" stroke=\"" << (p.highlighted ? "#c55a00" : "#1f77b4")
      << "\" stroke-width=\"1.5\"><title>" << escape(p.label) << "</title></circle>\n";
  }
  o << "</svg>\n";
  return o.str();
}

std::string render(const Timeline& c)
{
  const int label_w = 190, row_h = 24, top = 30, bottom = 46;
  const double x0 = c.x_min, x1 = c.x_max > c.x_min ? c.x_max : c.x_min + 60;
  const int height = top + row_h * static_cast<int>(c.rows.size()) + bottom;
  const double pw = c.width - label_w - kRight, ph = row_h * static_cast<double>(c.rows.size());
  const Scale sx{x0, x1, static_cast<double>(label_w), label_w + pw};
  const Ticks xt = time_ticks(x0, x1, 8, c.calendar);
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart timeline\" id=\"" << escape(c.id)
    << "\" viewBox=\"0 0 " << c.width << " " << height << "\" width=\"" << c.width << "\" height=\"" << height
    << "\" role=\"img\">\n<title>" << escape(c.title) << "</title>\n<text class=\"ctitle\" x=\"8\" y=\"18\">"
    << escape(c.title) << "</text>\n";
  for (const auto& b : c.bands) {
    const double a = sx(std::clamp(b.x0, x0, x1)), z = sx(std::clamp(b.x1, x0, x1));
    o << "<rect class=\"band\" x=\"" << num(a) << "\" y=\"" << top << "\" width=\"" << num(std::max(z - a, 2.0))
      << "\" height=\"" << num(ph) << "\" fill=\"" << b.color << "\" fill-opacity=\"0.25\"><title>"
      << escape(b.label) << "</title></rect>\n";
  }
  time_axis(o, xt, sx, c.calendar, top, top + ph, top + ph, "grid");
  for (size_t i = 0; i < c.rows.size(); ++i) {
    const auto& r = c.rows[i];
    const double y = top + row_h * static_cast<double>(i);
    const double a = sx(std::clamp(r.start_s, x0, x1)), z = sx(std::clamp(r.end_s, x0, x1));
    o << "<text class=\"rowlabel\" x=\"" << label_w - 8 << "\" y=\"" << num(y + 16) << "\">" << escape(r.label)
      << "</text>\n<rect class=\"bar\" x=\"" << num(a) << "\" y=\"" << num(y + 5) << "\" width=\""
      << num(std::max(z - a, 2.0)) << "\" height=\"" << row_h - 10 << "\" rx=\"3\" fill=\"" << color(i) << "\""
      << (r.running ? " fill-opacity=\"0.5\"" : "") << "><title>" << escape(r.label + ": " + r.detail)
      << "</title></rect>\n";
  }
  // Markers with staggered labels under the axis labels so they do not overlap each other.
  for (size_t i = 0; i < c.markers.size(); ++i) {
    const auto& m = c.markers[i];
    if (m.x < x0 || m.x > x1)
      continue;
    o << "<line class=\"marker\" x1=\"" << num(sx(m.x)) << "\" x2=\"" << num(sx(m.x)) << "\" y1=\"" << top
      << "\" y2=\"" << num(top + ph) << "\"><title>" << escape(m.label) << "</title></line>\n";
  }
  o << "<line class=\"axis\" x1=\"" << label_w << "\" x2=\"" << num(label_w + pw) << "\" y1=\"" << num(top + ph)
    << "\" y2=\"" << num(top + ph) << "\"/>\n</svg>\n";
  return o.str();
}

}  // namespace migsim::harness::svg
