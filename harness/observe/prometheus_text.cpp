#include "harness/observe/prometheus_text.hpp"

#include "sim/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

namespace migsim::harness::observe {

namespace {

// "family{a=b,c=d}" -> ("family", [(a, b), (c, d)]).
std::pair<std::string, Labels> split_name(const std::string& name)
{
  const auto brace = name.find('{');
  if (brace == std::string::npos || name.back() != '}')
    return {name, {}};
  Labels labels;
  const std::string body = name.substr(brace + 1, name.size() - brace - 2);
  size_t start = 0;
  while (start < body.size()) {
    size_t comma = body.find(',', start);
    if (comma == std::string::npos)
      comma = body.size();
    const std::string kv = body.substr(start, comma - start);
    const auto eq = kv.find('=');
    if (eq != std::string::npos)
      labels.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    start = comma + 1;
  }
  return {name.substr(0, brace), labels};
}

// A label or metric name with only [a-zA-Z0-9_] (others become '_').
std::string sanitize(const std::string& s)
{
  std::string out = s;
  for (auto& c : out)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      c = '_';
  if (!out.empty() && std::isdigit(static_cast<unsigned char>(out[0])))
    out.insert(out.begin(), '_');
  return out;
}

std::string escape_label_value(const std::string& v)
{
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"')
      out += '\\', out += c;
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string escape_help(const std::string& v)
{
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

const char* type_name(MetricType t)
{
  switch (t) {
    case MetricType::Counter: return "counter";
    case MetricType::Histogram: return "histogram";
    case MetricType::Gauge: break;
  }
  return "gauge";
}

// Collects one registry entry into its family (created from the catalogue on first use).
struct Collector {
  std::map<std::string, Family> families;
  // Registry families seen with labels: an unlabelled entry of the same family is their total.
  std::map<std::string, bool> labelled;

  Family* family_for(const std::string& fam, Source source, CatalogEntry& entry)
  {
    entry = catalog_entry(fam, source);
    if (entry.skip)
      return nullptr;
    auto [it, fresh] = families.try_emplace(entry.name);
    if (fresh) {
      it->second.name = entry.name;
      it->second.type = entry.type;
      it->second.unit = entry.unit;
      it->second.help = entry.help;
      if (entry.type == MetricType::Histogram)
        it->second.les = latency_buckets_s();
    }
    return &it->second;
  }

  // Labels of the point: the registry's (sanitised names) then the catalogue's extras.
  static Labels point_labels(const Labels& raw, const CatalogEntry& e)
  {
    Labels out;
    for (const auto& [k, v] : raw)
      out.emplace_back(sanitize(k), v);
    for (const auto& kv : e.extra_labels)
      out.push_back(kv);
    return out;
  }

  bool is_total_of_labelled(const std::string& fam, const Labels& labels) const
  {
    auto it = labelled.find(fam);
    return labels.empty() && it != labelled.end() && it->second;
  }

  void scalar(const std::string& name, Source source, double value)
  {
    auto [fam, raw] = split_name(name);
    if (is_total_of_labelled(fam, raw))
      return;
    CatalogEntry e;
    Family* f = family_for(fam, source, e);
    if (!f || std::isnan(value))
      return;
    f->points.push_back({point_labels(raw, e), value * e.scale});
  }

  void histogram(const std::string& name, const sim::Histogram& h)
  {
    auto [fam, raw] = split_name(name);
    if (is_total_of_labelled(fam, raw))
      return;
    CatalogEntry e;
    Family* f = family_for(fam, Source::Histogram, e);
    if (!f)
      return;
    Point p;
    p.labels = point_labels(raw, e);
    p.buckets = h.cumulative_counts(f->les);
    p.count = h.count();
    p.sum = h.sum();
    f->points.push_back(std::move(p));
  }
};

template <class Map>
void note_labelled(const Map& m, std::map<std::string, bool>& labelled)
{
  for (const auto& [name, _] : m) {
    const auto brace = name.find('{');
    if (brace != std::string::npos)
      labelled[name.substr(0, brace)] = true;
  }
}

}  // namespace

std::vector<Family> collect_families(const sim::Registry& m, double now_s)
{
  Collector c;
  note_labelled(m.counters(), c.labelled);
  note_labelled(m.gauges(), c.labelled);
  note_labelled(m.histograms(), c.labelled);
  note_labelled(m.all_series(), c.labelled);
  note_labelled(m.all_time_weighted(), c.labelled);
  for (const auto& [name, v] : m.counters())
    c.scalar(name, Source::Counter, static_cast<double>(*v));
  for (const auto& [name, v] : m.gauges())
    c.scalar(name, Source::Gauge, *v);
  for (const auto& [name, h] : m.histograms())
    c.histogram(name, *h);
  for (const auto& [name, s] : m.all_series()) {
    if (s->size() == 0)
      continue;  // never sampled: nothing to say yet
    if (s->kind() == sim::TimeSeries::Kind::Sum)
      c.scalar(name, Source::SumSeries, s->total());
    else
      c.scalar(name, Source::LevelSeries, s->latest());
  }
  for (const auto& [name, w] : m.all_time_weighted()) {
    const auto source = catalog_entry(split_name(name).first, Source::TimeWeightedArea).type == MetricType::Counter
                            ? Source::TimeWeightedArea
                            : Source::TimeWeightedLevel;
    c.scalar(name, source, source == Source::TimeWeightedArea ? w->area(std::max(now_s, 0.0)) : w->level());
  }
  std::vector<Family> out;
  for (auto& [_, f] : c.families) {
    if (f.points.empty())
      continue;
    std::sort(f.points.begin(), f.points.end(), [](const Point& a, const Point& b) { return a.labels < b.labels; });
    out.push_back(std::move(f));
  }
  return out;
}

std::string format_value(double v)
{
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string format_labels(const Labels& labels, const std::pair<std::string, std::string>* extra)
{
  if (labels.empty() && !extra)
    return "";
  std::string out = "{";
  bool first = true;
  auto add = [&](const std::string& k, const std::string& v) {
    if (!first)
      out += ',';
    first = false;
    out += k + "=\"" + escape_label_value(v) + "\"";
  };
  for (const auto& [k, v] : labels)
    add(k, v);
  if (extra)
    add(extra->first, extra->second);
  return out + "}";
}

// Sample lines shared by both formats (histogram buckets, _count, _sum; counters' _total).
static void write_point(std::ostream& out, const Family& f, const Point& p, const std::string& suffix)
{
  if (f.type == MetricType::Histogram) {
    for (size_t i = 0; i <= f.les.size(); ++i) {
      const std::pair<std::string, std::string> le{"le", i < f.les.size() ? format_value(f.les[i]) : "+Inf"};
      out << f.name << "_bucket" << format_labels(p.labels, &le) << ' ' << (i < f.les.size() ? p.buckets[i] : p.count)
          << suffix << '\n';
    }
    out << f.name << "_count" << format_labels(p.labels) << ' ' << p.count << suffix << '\n';
    out << f.name << "_sum" << format_labels(p.labels) << ' ' << format_value(p.sum) << suffix << '\n';
    return;
  }
  out << f.name << (f.type == MetricType::Counter ? "_total" : "") << format_labels(p.labels) << ' '
      << format_value(p.value) << suffix << '\n';
}

std::string to_text_format(const std::vector<Family>& families)
{
  std::ostringstream out;
  for (const auto& f : families) {
    const std::string name = f.type == MetricType::Counter ? f.name + "_total" : f.name;
    out << "# HELP " << name << ' ' << escape_help(f.help) << '\n';
    out << "# TYPE " << name << ' ' << type_name(f.type) << '\n';
    for (const auto& p : f.points)
      write_point(out, f, p, "");
  }
  return out.str();
}

void write_openmetrics_header(std::ostream& out, const Family& f)
{
  out << "# TYPE " << f.name << ' ' << type_name(f.type) << '\n';
  if (!f.unit.empty())
    out << "# UNIT " << f.name << ' ' << f.unit << '\n';
  out << "# HELP " << f.name << ' ' << escape_help(f.help) << '\n';
}

void write_openmetrics_point(std::ostream& out, const Family& f, const Point& p, const std::string& timestamp)
{
  write_point(out, f, p, timestamp.empty() ? "" : " " + timestamp);
}

std::string to_openmetrics(const std::vector<Family>& families)
{
  std::ostringstream out;
  for (const auto& f : families) {
    write_openmetrics_header(out, f);
    for (const auto& p : f.points)
      write_openmetrics_point(out, f, p, "");
  }
  out << "# EOF\n";
  return out.str();
}

bool accepts_openmetrics(std::string_view accept)
{
  // Quality of the first media range starting with `type` (1 without q=; -1 when absent).
  auto quality = [&](std::string_view type) {
    size_t pos = 0;
    while (pos < accept.size()) {
      size_t end = accept.find(',', pos);
      if (end == std::string_view::npos)
        end = accept.size();
      std::string_view range = accept.substr(pos, end - pos);
      while (!range.empty() && range.front() == ' ')
        range.remove_prefix(1);
      if (range.substr(0, type.size()) == type) {
        const auto q = range.find("q=");
        return q == std::string_view::npos ? 1.0 : std::atof(std::string(range.substr(q + 2)).c_str());
      }
      pos = end + 1;
    }
    return -1.0;
  };
  const double om = quality("application/openmetrics-text");
  return om > 0 && om >= quality("text/plain");
}

}  // namespace migsim::harness::observe
