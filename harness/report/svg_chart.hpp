// Inline SVG charts drawn by our own code (no JavaScript library, no CDN): axis ticks at "nice"
// numbers, linear scales, line charts over simulated time with shaded bands and markers, and a
// scatter chart (the sweep's Pareto page). The output is a self-contained <svg> element.
//
// Time axes are on the scenario's calendar: ticks fall on round local times of day (every 3 h at
// 00:00, 03:00, ...), labelled with the time of day and, under it, the date where the day changes;
// the tooltip adds the time elapsed since the start.
#pragma once

#include "sim/calendar.hpp"

#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::svg {

// Tick positions covering [lo, hi]: first and last tick bracket the data, steps are 1, 2 or 5 x 10^k.
struct Ticks {
  double lo = 0, hi = 1, step = 1;
  std::vector<double> values;  // lo, lo + step, ..., hi
};
// About `target` intervals (never fewer than 1); lo == hi widens to a unit range.
Ticks nice_ticks(double lo, double hi, int target = 5);
// Ticks for a time axis in simulated seconds, stepping by whole minutes, hours or days and falling on
// round local times of the calendar (a 3-hour step ticks at 00:00, 03:00, ... local time).
Ticks time_ticks(double lo_s, double hi_s, int target = 6, const sim::Calendar& calendar = {});
// Ticks for a logarithmic axis: 1, 2 and 5 x 10^k from the decade below lo to the one above hi
// (lo, hi > 0); Ticks::lo/hi are the decade bounds, step is unused (0).
Ticks log_ticks(double lo, double hi);
// A tick label: as many decimals as the step needs, k/M suffixes for large values.
std::string tick_label(double v, double step);
// A time tick's label on the calendar: the time of day ("18:00") and the date ("Fri 28 Nov") when
// with_date; steps of a day or more are labelled by their date alone (first line) and no second line.
struct TimeLabel {
  std::string time, date;
};
TimeLabel time_label(const sim::Calendar& calendar, double t_s, double step_s, bool with_date);

// Maps the domain [d0, d1] linearly onto the range [r0, r1] (r1 < r0 for a y axis in SVG).
struct Scale {
  double d0, d1, r0, r1;
  double operator()(double v) const { return d1 == d0 ? r0 : r0 + (v - d0) * (r1 - r0) / (d1 - d0); }
};

// XML text escaping for element content and attribute values.
std::string escape(const std::string& s);
// The palette used for series, by index (colour-blind friendly, cycles).
std::string color(size_t index);

struct Series {
  std::string name;
  std::vector<double> x, y;  // same length; NaN y values break the line
  std::string color;         // empty: palette by position
  bool dashed = false;
  std::vector<double> lo, hi;  // empty, or the same length as x: a band shaded from lo to hi (min-max)
};

// A shaded interval of the x axis (downtime) or a vertical line with a label (a cutover step).
struct Band {
  double x0 = 0, x1 = 0;
  std::string label;
  std::string color = "#d62728";
};
struct Marker {
  double x = 0;
  std::string label;
};

struct LineChart {
  std::string id;     // element id (unique in the page)
  std::string title;
  std::string y_unit;  // shown beside the y axis title
  std::vector<Series> series;
  std::vector<Band> bands;
  std::vector<Marker> markers;
  double x_min = 0, x_max = 0;  // the time axis (seconds); x_max <= x_min: from the data
  std::optional<double> y_min, y_max;  // default: 0 .. data maximum
  sim::Calendar calendar;              // the time axis' calendar
  int width = 960, height = 280;       // height without the legend: rows of legend above the plot add to it
};
// The chart as an <svg> element with data-* attributes the page's script reads for tooltips (the
// plot area, the calendar's local time at t = 0). The legend sits above the plot, wrapped in rows
// that make the chart taller, never over the plot. Series longer than max_points are reduced to
// max_points buckets keeping each bucket's maximum (and the band's extremes).
std::string render(const LineChart& chart, size_t max_points = 1500);

struct Point {
  double x = 0, y = 0;
  std::string label;
  bool highlighted = false;  // e.g. on the Pareto front
  bool failed = false;       // drawn hollow
};
struct ScatterChart {
  std::string id, title, x_title, y_title;
  std::vector<Point> points;
  bool connect_highlighted = true;  // a step line through the highlighted points, by x
  bool log_y = false;               // logarithmic y axis (ticks at 1, 2, 5 x 10^k); y must be > 0
  int width = 960, height = 420;
};
std::string render(const ScatterChart& chart);

// A timeline: one horizontal bar per row over simulated time (the migration's phases), with
// shaded bands (downtime) and labelled markers (cutover steps) across all rows.
struct TimelineRow {
  std::string label;
  double start_s = 0, end_s = 0;
  std::string detail;   // tooltip
  bool running = false;  // still running at the end: drawn open-ended
};
struct Timeline {
  std::string id, title;
  std::vector<TimelineRow> rows;
  std::vector<Band> bands;
  std::vector<Marker> markers;
  double x_min = 0, x_max = 0;
  sim::Calendar calendar;
  int width = 960;
};
std::string render(const Timeline& chart);

}  // namespace migsim::harness::svg
