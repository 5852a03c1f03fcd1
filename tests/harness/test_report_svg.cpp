// SVG chart geometry: nice axis ticks, time ticks, linear scales, labels and what render() draws.
#include "harness/report/svg_chart.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <regex>

using namespace migsim::harness::svg;

TEST_CASE("svg: nice ticks are 1-2-5 steps that bracket the data")
{
  auto t = nice_ticks(0, 97, 5);  // raw step 19.4 -> 20
  CHECK(t.step == Approx(20));
  CHECK(t.lo == 0);
  CHECK(t.hi == Approx(100));
  REQUIRE(t.values.size() == 6);
  CHECK(t.values[3] == Approx(60));

  t = nice_ticks(0.013, 0.0871, 4);  // raw 0.0185 -> 0.02
  CHECK(t.step == Approx(0.02));
  CHECK(t.lo == Approx(0.0));
  CHECK(t.hi == Approx(0.1));

  t = nice_ticks(-3, 7, 5);  // raw 2 -> 2
  CHECK(t.step == Approx(2));
  CHECK(t.lo == Approx(-4));
  CHECK(t.hi == Approx(8));
  CHECK(t.values[2] == 0.0);  // exactly zero, not -4.4e-16

  t = nice_ticks(1200, 43000, 5);  // raw 8360 -> 10000
  CHECK(t.step == Approx(10000));
  CHECK(t.hi == Approx(50000));

  t = nice_ticks(5, 5, 5);  // a flat series still gets a range around its value
  CHECK(t.lo <= 5);
  CHECK(t.hi > 5);
  t = nice_ticks(0, 0, 4);
  CHECK(t.lo == 0);
  CHECK(t.hi == Approx(1));
}

TEST_CASE("svg: time ticks step by whole minutes, hours or days")
{
  auto t = time_ticks(0, 20 * 3600, 8);  // 20 h / 8 = 2.5 h -> 3 h
  CHECK(t.step == 10800);
  REQUIRE(t.values.size() == 7);  // 0, 3, ..., 18 h
  CHECK(t.values.back() == Approx(18 * 3600));
  t = time_ticks(0, 3600, 6);  // 10 min
  CHECK(t.step == 600);
  CHECK(t.values.size() == 7);
  t = time_ticks(90, 1000, 6);  // first tick at the first multiple inside the range
  CHECK(t.values.front() == Approx(300));
}

TEST_CASE("svg: time ticks fall on round local times of the scenario's calendar")
{
  // The run starts at 16:20 local time (UTC-03:00): 3-hour ticks at 18:00, 21:00, 00:00 next day,
  // that is 1 h 40 min, 4 h 40 min and 7 h 40 min after the start.
  const auto cal = *migsim::sim::parse_calendar("2025-11-28T16:20:00-03:00");
  const auto t = time_ticks(0, 20 * 3600, 8, cal);
  CHECK(t.step == 10800);
  REQUIRE(t.values.size() >= 3);
  CHECK(t.values[0] == Approx(6000));
  CHECK(t.values[2] == Approx(6000 + 2 * 10800));
  CHECK(time_label(cal, t.values[0], t.step, false).time == "18:00");
  CHECK(time_label(cal, t.values[0], t.step, false).date.empty());
  const auto midnight = time_label(cal, t.values[2], t.step, true);
  CHECK(midnight.time == "00:00");
  CHECK(midnight.date == "Sat 29 Nov");
  // Day steps are labelled by their date.
  const auto days = time_ticks(0, 10 * 86400, 5, cal);
  CHECK(days.step == 172800);
  CHECK(time_label(cal, days.values[0], days.step, false).time == "Sat 29 Nov");
}

TEST_CASE("svg: tick labels carry the decimals the step needs")
{
  CHECK(tick_label(0.06, 0.02) == "0.06");
  CHECK(tick_label(0.5, 0.5) == "0.5");
  CHECK(tick_label(40, 20) == "40");
  CHECK(tick_label(20000, 10000) == "20k");
  CHECK(tick_label(0, 1000) == "0");  // not "0k"
  CHECK(tick_label(2500, 500) == "2500");
  CHECK(tick_label(3e6, 1e6) == "3M");
  CHECK(tick_label(1.5e6, 5e5) == "1.5M");
}

TEST_CASE("svg: scales map domain ends onto range ends, inverted for y")
{
  const Scale sy{0, 100, 250, 50};
  CHECK(sy(0) == Approx(250));
  CHECK(sy(100) == Approx(50));
  CHECK(sy(25) == Approx(200));
  const Scale flat{3, 3, 10, 20};
  CHECK(flat(3) == 10);
}

TEST_CASE("svg: a line chart places points on its scales and escapes text")
{
  LineChart c;
  c.id = "t";
  c.title = "Latency <p99> & co";
  c.width = 500;
  c.height = 200;
  Series s{"p99", {0, 60, 120}, {0, 50, 100}, "", false};
  c.series.push_back(s);
  c.bands.push_back({60, 120, "downtime"});
  const auto svg = render(c);
  CHECK(svg.find("Latency &lt;p99&gt; &amp; co") != std::string::npos);
  // Plot area: x from 70 to 466, y from 48 (top) to 154 (bottom); y ticks 0..100 step 50.
  CHECK(svg.find("d=\"M70,154L268,101L466,48\"") != std::string::npos);
  CHECK(svg.find("class=\"band\" x=\"268\" y=\"48\" width=\"198\"") != std::string::npos);
  CHECK(svg.find(">100</text>") != std::string::npos);
  // The time axis is on the calendar (the default starts 2025-01-01 00:00 UTC): the first tick has
  // its date under the time of day, the 2-minute tick only its time.
  CHECK(svg.find(">00:00<tspan class=\"xdate\" x=\"70\" dy=\"13\">Wed 1 Jan</tspan></text>") != std::string::npos);
  CHECK(svg.find(">00:02</text>") != std::string::npos);
  CHECK(svg.find("data-t0=\"1735689600\"") != std::string::npos);
}

TEST_CASE("svg: a wrapped legend makes the chart taller, never covers the plot")
{
  LineChart c;
  c.id = "l";
  c.width = 500;
  c.height = 200;
  for (int i = 0; i < 12; ++i)
    c.series.push_back({"server-number-" + std::to_string(i), {0, 60}, {1, 2}, "", false});
  const auto svg = render(c);
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex("data-top=\"([0-9]+)\" data-bottom=\"([0-9.]+)\"")));
  const double top = std::stod(m[1].str()), bottom = std::stod(m[2].str());
  CHECK(bottom - top == Approx(106));  // the plot keeps its height
  // Every legend entry is above the plot.
  const std::regex legend_y("<g class=\"legend\"><rect x=\"[0-9.]+\" y=\"([0-9.]+)\"");
  int entries = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), legend_y); it != std::sregex_iterator(); ++it, ++entries)
    CHECK(std::stod((*it)[1].str()) + 8 < top);
  CHECK(entries == 12);
  REQUIRE(std::regex_search(svg, m, std::regex("height=\"([0-9]+)\" role")));
  CHECK(std::stoi(m[1].str()) == 200 + static_cast<int>(top) - 48);
}

TEST_CASE("svg: a series with a band draws its min-max range under the line")
{
  LineChart c;
  c.id = "b";
  Series s{"catalog", {0, 60, 120}, {10, 20, 30}, "", false};
  s.lo = {5, 10, 15};
  s.hi = {15, 40, 45};
  c.series.push_back(s);
  const auto svg = render(c);
  CHECK(svg.find("<path class=\"range\"") != std::string::npos);
  CHECK(svg.find("<path class=\"range\"") < svg.find("<path d="));
  CHECK(svg.find("\"lo\":[5,10,15],\"hi\":[15,40,45]") != std::string::npos);
  CHECK(svg.find(">60</text>") != std::string::npos);  // the band's maximum (45) sets the y axis (0..60 by 20)
}

TEST_CASE("svg: NaN breaks a line and long series keep their peaks")
{
  LineChart c;
  c.id = "n";
  const double nan = std::nan("");
  c.series.push_back({"a", {0, 60, 120, 180}, {1, nan, 1, 1}, "", false});
  auto svg = render(c);
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex("<path d=\"([^\"]*)\"")));
  const std::string d1 = m[1].str();
  CHECK(std::count(d1.begin(), d1.end(), 'M') == 2);

  Series big{"b", {}, {}, "", false};
  for (int i = 0; i < 10000; ++i) {
    big.x.push_back(i * 60.0);
    big.y.push_back(i == 7777 ? 500.0 : 1.0);
  }
  c.series = {big};
  svg = render(c, 100);
  REQUIRE(std::regex_search(svg, m, std::regex("<path d=\"([^\"]*)\"")));
  const std::string d2 = m[1].str();
  CHECK(std::count(d2.begin(), d2.end(), 'L') == 99);
  CHECK(svg.find(">600</text>") != std::string::npos);  // the peak still sets the y axis (0..600 by 200)
}

TEST_CASE("svg: a scatter chart joins the highlighted points as a step line")
{
  ScatterChart c;
  c.id = "p";
  c.points = {{10, 300, "a", true}, {20, 100, "b", true}, {30, 250, "c", false}};
  const auto svg = render(c);
  CHECK(std::count(svg.begin(), svg.end(), '<') > 10);
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex("class=\"front\" d=\"M[0-9.]+,[0-9.]+L([0-9.]+),([0-9.]+)L")));
  // The step goes right at the first point's height before dropping to the second.
  std::smatch first;
  REQUIRE(std::regex_search(svg, first, std::regex("d=\"M([0-9.]+),([0-9.]+)")));
  CHECK(m[2].str() == first[2].str());
}

TEST_CASE("svg: log ticks run 1-2-5 per decade between the decades around the data")
{
  const auto t = log_ticks(146, 11580);
  CHECK(t.lo == Approx(100));
  CHECK(t.hi == Approx(100000));
  REQUIRE(t.values.size() == 10);  // 100 200 500 1k 2k 5k 10k 20k 50k 100k
  CHECK(t.values[1] == Approx(200));
  CHECK(t.values[5] == Approx(5000));
  ScatterChart c;
  c.id = "l";
  c.log_y = true;
  c.height = 420;  // plot from y 48 to 370
  c.points = {{1, 100, "a", false}, {2, 1000, "b", false}, {3, 100000, "c", false}};
  const auto svg = render(c);
  // 100 at the bottom, 1000 a third of the way up (1 of 3 decades), 100k at the top.
  CHECK(svg.find("cy=\"370\"") != std::string::npos);
  CHECK(svg.find("cy=\"262.7\"") != std::string::npos);
  CHECK(svg.find("cy=\"48\"") != std::string::npos);
}
