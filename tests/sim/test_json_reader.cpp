#include "sim/json_reader.hpp"

#include <catch2/catch.hpp>

using namespace migsim::sim;
using nlohmann::json;

namespace {
std::string error_of(const std::function<void()>& fn)
{
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("numbers: defaults, ranges and types are enforced with the path", "[json]")
{
  json doc = json::parse(R"({"cores": 0, "speed": "fast", "ok": 2.5})");
  ObjectReader r(doc, "/platform/servers/1");
  CHECK(error_of([&] { r.integer("cores", {.min = 1}); }) == "/platform/servers/1/cores: must be >= 1, got 0");
  CHECK(error_of([&] { r.number("speed", {}); }) == "/platform/servers/1/speed: must be a number, got string");
  CHECK(r.number("ok", {.min = 0, .max = 3}) == 2.5);
  CHECK(error_of([&] { r.number("ok", {.max = 2}); }) == "/platform/servers/1/ok: must be <= 2, got 2.5");
  CHECK(r.number("absent", {.def = 7.0}) == 7.0);
  CHECK(error_of([&] { r.number("required", {}); }) == "/platform/servers/1/required: required number is missing");
  CHECK(error_of([&] { r.integer("ok", {}); }) == "/platform/servers/1/ok: must be an integer, got 2.5");
}

TEST_CASE("unknown keys are errors, with a suggestion", "[json]")
{
  json doc = json::parse(R"({"duration_s": 5, "sede": 3})");
  ObjectReader r(doc, "");
  r.number("duration_s", {});
  r.integer("seed", {.def = 1});
  const auto msg = error_of([&] { r.finish(); });
  CHECK(msg.rfind("/sede: unknown key (did you mean \"seed\"?)", 0) == 0);
}

TEST_CASE("strings: allowed values and emptiness", "[json]")
{
  json doc = json::parse(R"({"dist": "gaussian", "name": ""})");
  ObjectReader r(doc, "/x");
  CHECK(error_of([&] { r.string("dist", {.allowed = {"exponential", "constant"}}); }) ==
        "/x/dist: must be one of exponential, constant, got \"gaussian\"");
  CHECK(error_of([&] { r.string("name", {}); }) == "/x/name: must not be empty");
}

TEST_CASE("a non-object where an object is expected names its type", "[json]")
{
  json doc = json::parse("[1, 2]");
  CHECK(error_of([&] { ObjectReader r(doc, "/platform"); }) == "/platform: must be an object, got array");
}

TEST_CASE("declared fields are documented by path pattern", "[json]")
{
  json doc = json::parse(R"({"items": [{"size_gb": 1}, {"size_gb": 2}]})");
  ObjectReader r(doc, "/doc");
  for_each_object(*r.array("items", true, "things"), "/doc/items", [](ObjectReader& o, size_t) {
    o.number("size_gb", {.def = 1.0, .min = 0, .unit = "GB", .help = "Size."});
  });
  const auto& d = field_docs().at("/doc/items/*/size_gb");
  CHECK(d.unit == "GB");
  CHECK(d.def == "1");
  CHECK(d.range == ">= 0");
}
