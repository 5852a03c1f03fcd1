// JSON text from outside the process: the nesting limit, duplicate keys, numbers out of range,
// where an error is, and what an input file may be.
#include "sim/json_text.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using migsim::sim::JsonTextError;
using migsim::sim::JsonTextLimits;
using migsim::sim::parse_json_text;

namespace {

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("json text: nesting up to the limit parses, one level more is refused", "[json][bad-input]")
{
  JsonTextError err;
  CHECK_FALSE(parse_json_text(nested(64), JsonTextLimits{}, &err).is_discarded());
  CHECK(parse_json_text(nested(65), JsonTextLimits{}, &err).is_discarded());
  CHECK(err.message == "nested deeper than 64 levels");
  // 300k levels: refused quickly, no recursion anywhere.
  CHECK(parse_json_text(nested(300000), JsonTextLimits{}, &err).is_discarded());
  CHECK(migsim::sim::parse_wire_json(nested(256)).is_array());
  CHECK(migsim::sim::parse_wire_json(nested(257)).is_discarded());
}

TEST_CASE("json text: the error names the JSON pointer of the deep or duplicated value", "[json][bad-input]")
{
  JsonTextError err;
  CHECK(parse_json_text(R"({"a": {"b": [1, {"c": 1, "c": 2}]}})", JsonTextLimits{}, &err).is_discarded());
  CHECK(err.pointer == "/a/b/1/c");
  CHECK(err.message.find("duplicate key \"c\"") != std::string::npos);
  CHECK(err.describe() == "/a/b/1/c: " + err.message);
  CHECK(parse_json_text(R"({"x/y": {"k~": [[[1]]]}})", JsonTextLimits{3, true}, &err).is_discarded());
  CHECK(err.pointer == "/x~1y/k~0/0");
  // Wire bodies keep the services' last-wins reading.
  CHECK(migsim::sim::parse_wire_json(R"({"a": 1, "a": 2})")["a"] == 2);
}

TEST_CASE("json text: a number out of double range is an error with its line and column", "[json][bad-input]")
{
  JsonTextError err;
  CHECK(parse_json_text("{\n  \"x\": 1e999\n}", JsonTextLimits{}, &err).is_discarded());
  CHECK(err.line == 2);
  CHECK(err.message.find("number overflow") != std::string::npos);
  CHECK(parse_json_text("[1,]", JsonTextLimits{}, &err).is_discarded());
  CHECK(err.describe().rfind("line 1, column 4: ", 0) == 0);
  const auto ok = parse_json_text(R"({"a": [1, 2.5, "s", true, null, {"b": {}}]})", JsonTextLimits{}, &err);
  CHECK(ok == nlohmann::json::parse(R"({"a": [1, 2.5, "s", true, null, {"b": {}}]})"));
}

TEST_CASE("json text: input files are regular files under the size limit", "[json][bad-input]")
{
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("migsim_json_text_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string fifo = (dir / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_WITH(migsim::sim::read_input_file(fifo, "scenario file"), Catch::Contains("not a regular file"));
  CHECK_THROWS_WITH(migsim::sim::read_input_file("/dev/zero", "scenario file"), Catch::Contains("not a regular file"));
  CHECK_THROWS_WITH(migsim::sim::read_input_file(dir.string(), "scenario file"), Catch::Contains("is a directory"));
  CHECK_THROWS_WITH(migsim::sim::read_input_file((dir / "none").string(), "scenario file"),
                    Catch::Contains("cannot open scenario file"));
  const std::string big = (dir / "big.json").string();
  { std::ofstream(big) << std::string(2000, ' '); }
  CHECK_THROWS_WITH(migsim::sim::read_input_file(big, "runbook", 1000), Catch::Contains("over the 1000-byte limit"));
  CHECK(migsim::sim::read_input_file(big, "runbook", 2000).size() == 2000);
  fs::remove_all(dir);
}
