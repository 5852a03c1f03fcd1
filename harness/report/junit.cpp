#include "harness/report/junit.hpp"

#include "harness/aws/protocol/text.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace migsim::harness {

namespace {

std::string num(double v)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string bound_text(const ExpectationResult& e)
{
  std::string b;
  if (e.min)
    b += "min " + num(*e.min);
  if (e.max)
    b += (b.empty() ? "" : ", ") + std::string("max ") + num(*e.max);
  return b.empty() ? "none" : b;
}

}  // namespace

std::string xml_escape(const std::string& s) { return aws::text::xml_escape(s, true); }

std::string junit_xml(const RunResult& r)
{
  size_t failures = 0;
  for (const auto& e : r.expectations)
    failures += !e.passed;
  for (const auto& i : r.invariants)
    failures += !i.held;
  const size_t tests = r.expectations.size() + r.invariants.size();
  const std::string suite = xml_escape(r.scenario);
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x << "<testsuites name=\"migsim\" tests=\"" << tests << "\" failures=\"" << failures
    << "\" errors=\"0\" time=\"0\">\n";
  x << "  <testsuite name=\"" << suite << "\" tests=\"" << tests << "\" failures=\"" << failures
    << "\" errors=\"0\" skipped=\"0\" time=\"0\">\n";
  x << "    <properties>\n      <property name=\"seed\" value=\"" << r.seed << "\"/>\n"
    << "      <property name=\"source\" value=\"" << xml_escape(r.source) << "\"/>\n    </properties>\n";
  for (const auto& e : r.expectations) {
    x << "    <testcase classname=\"migsim." << suite << "\" name=\"" << xml_escape(e.name) << "\" time=\"0\"";
    if (e.passed) {
      x << "/>\n";
      continue;
    }
    const std::string msg = "measured " + num(e.measured) + ", bound: " + bound_text(e);
    x << ">\n      <failure message=\"" << xml_escape(msg) << "\" type=\"expectation\">"
      << xml_escape("metric " + e.metric + ": " + msg) << "</failure>\n    </testcase>\n";
  }
  for (const auto& i : r.invariants) {
    x << "    <testcase classname=\"migsim." << suite << ".invariants\" name=\"" << xml_escape(i.name)
      << "\" time=\"0\"";
    if (i.held) {
      x << "/>\n";
      continue;
    }
    x << ">\n      <failure message=\"" << xml_escape("invariant violated: " + i.detail)
      << "\" type=\"invariant\">" << xml_escape(i.detail) << "</failure>\n    </testcase>\n";
  }
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

void write_junit(const RunResult& r, const std::string& path)
{
  // The report's folder is created like --out's (CI jobs point it at a fresh artifacts folder).
  if (const auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  std::ofstream out(path, std::ios::binary);
  if (!out)
    throw std::runtime_error("cannot write JUnit report " + path);
  out << junit_xml(r);
  out.flush();
  if (!out)
    throw std::runtime_error("cannot write JUnit report " + path);
}

}  // namespace migsim::harness
