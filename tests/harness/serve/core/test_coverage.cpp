// harness/COVERAGE.md is what `migsim serve --coverage` prints from the registry, and every
// registered operation is one the generated tables know.
#include "harness/serve/core/registry.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace serve = migsim::harness::serve;

TEST_CASE("coverage: harness/COVERAGE.md equals the registry's table")
{
  std::ifstream in(std::string(MIGSIM_SOURCE_DIR) + "/harness/COVERAGE.md");
  REQUIRE(in);
  std::stringstream committed;
  committed << in.rdbuf();
  INFO("regenerate with: build/migsim serve --coverage > harness/COVERAGE.md");
  CHECK(committed.str() == serve::coverage_markdown(serve::registry()));
}

TEST_CASE("coverage: registry rejects operations outside the tables and duplicates")
{
  serve::Registry r;
  r.add("sns", "ListTopics", {}, [](const serve::json&, serve::ServeContext&) { return serve::json::object(); });
  CHECK(r.find("sns", "ListTopics") != nullptr);
  CHECK(r.has_service("sns"));
  CHECK_FALSE(r.has_service("s3"));
  CHECK_THROWS_AS(r.add("sns", "ListTopics", {}, nullptr), std::logic_error);
  CHECK_THROWS_AS(r.add("sns", "Frobnicate", {}, nullptr), std::logic_error);
  CHECK(serve::registry().find("dms", "DescribeReplications") != nullptr);
}
