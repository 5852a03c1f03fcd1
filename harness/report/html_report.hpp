// The HTML report of a run: one self-contained page (inline CSS, inline SVG charts drawn by
// svg_chart, a few lines of inline script for tooltips; nothing fetched) from a run's summary.json
// and timeseries.csv, so it can be produced for any run directory after the fact.
//
// Generic over series names: every per-minute column is drawn somewhere. Known families get their
// section (traffic, latency, errors, utilisation, DMS, MGN); capacity_<unit>{label} columns get one
// capacity chart per <unit>; any other family gets a chart under "Other series".
#pragma once

#include "sim/calendar.hpp"
#include "harness/run/output_file.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::harness {

// A run directory that cannot be reported (missing or malformed file), message names the file.
class ReportInputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// timeseries.csv in memory: column names (minute first) and one row of values per minute.
struct SeriesTable {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;

  size_t column(const std::string& name) const;  // npos when absent
  std::vector<double> values(size_t column) const;
};

// Reads a timeseries.csv (throws ReportInputError naming the file and line).
SeriesTable read_timeseries_csv(const std::string& path);

// The page, from a summary (schema_version 1) and its series; with a rehearsal report
// (rehearsal.json), the runbook's section too: each step on a timeline with its status and duration,
// the failed step, the scenario's injected events as markers, the rollback path.
std::string html_report(const nlohmann::json& summary, const SeriesTable& series,
                        const nlohmann::json* rehearsal = nullptr);

// Reads DIR/summary.json and DIR/timeseries.csv (and DIR/rehearsal.json when the directory is a
// rehearsal's) and writes the page to out_path (throws ReportInputError for bad input,
// std::runtime_error when out_path cannot be written).
void write_report_for_dir(const std::string& dir, const std::string& out_path);

namespace html {
// Section builders (html_sections.cpp); each returns an HTML fragment, empty when not applicable.
std::string headline(const nlohmann::json& summary);
std::string charts(const nlohmann::json& summary, const SeriesTable& series);
std::string migration_details(const nlohmann::json& summary);
std::string cost_tables(const nlohmann::json& summary);
std::string expectation_table(const nlohmann::json& summary);
std::string detail_tables(const nlohmann::json& summary);
std::string runbook_section(const nlohmann::json& rehearsal, const nlohmann::json& summary);  // html_runbook.cpp
// The run's calendar (summary.json scenario.start; the default calendar when absent) and a time on it
// with the elapsed time: "2025-11-28 18:00:00 (+2 h 00 min)".
sim::Calendar calendar_of(const nlohmann::json& summary);
std::string at_time(const sim::Calendar& c, double t_s);
// Formatting shared by the sections.
std::string esc(const std::string& s);
std::string duration(double s);          // "9 min 25 s"
std::string latency(double ms);          // "143 ms", "2.31 s"
std::string money(double usd);           // "$1,234.56"
std::string number(double v, int significant = 4);
const char* stylesheet();
const char* script();
}  // namespace html

}  // namespace migsim::harness
