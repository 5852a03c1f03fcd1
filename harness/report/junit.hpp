// JUnit XML report of one run: one <testsuite> per scenario, one <testcase> per expectation and
// one per invariant, so CI systems can show expectation results like unit tests.
#pragma once

#include "harness/run/run_result.hpp"

#include <string>

namespace migsim::harness {

// Deterministic: no timestamps or host names; every time attribute is "0".
std::string junit_xml(const RunResult& r);

// Writes junit_xml(r) to path; throws std::runtime_error naming the path when it cannot.
void write_junit(const RunResult& r, const std::string& path);

// Escapes &, <, >, " and ' for use in XML text and attribute values; drops control characters
// that XML 1.0 cannot represent.
std::string xml_escape(const std::string& s);

}  // namespace migsim::harness
