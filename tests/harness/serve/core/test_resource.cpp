// The shared resource helper of `migsim serve`: ARNs in the request's region, state per region, the
// tag store and operations, list members, pagination tokens, filters, dates and XML escaping, without HTTP.
#include "harness/run/run_command.hpp"
#include "harness/serve/cloudwatch/backend.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/sns/backend.hpp"
#include "sim/default_scenario.hpp"
#include "sim/json_reader.hpp"
#include "sim/scenario.hpp"

#include <catch2/catch.hpp>

using namespace migsim;
using namespace migsim::harness::serve;
using nlohmann::json;

namespace {

json items(int n)
{
  json out = json::array();
  for (int i = 0; i < n; ++i)
    out.push_back(i);
  return out;
}

// The code of the AwsError `fn` throws ("" when it throws none).
template <class F>
std::string code_of(F fn)
{
  try {
    fn();
  } catch (const aws::AwsError& e) {
    return e.code + "/" + std::to_string(e.status);
  }
  return "";
}

}  // namespace

TEST_CASE("ARNs: the request's region, the scenario's when unsigned, one account", "[serve][resource]")
{
  const auto sc = harness::parse_full_scenario(json::parse(sim::default_scenario_json()), "regions");
  harness::Simulation sim(sc);
  ServeContext ctx{sim};
  CHECK(scenario_region(ctx) == "us-east-1");
  CHECK(arn(ctx, "dms", "rep:ABC") == "arn:aws:dms:us-east-1:000000000000:rep:ABC");
  ctx.request_region = "ap-southeast-2";
  CHECK(region(ctx) == "ap-southeast-2");
  CHECK(arn(ctx, "sns", "alerts") == "arn:aws:sns:ap-southeast-2:000000000000:alerts");
  CHECK(arn_in("", "iam", "root") == "arn:aws:iam::000000000000:root");
  CHECK(arn_resource("arn:aws:rds:us-east-1:000000000000:db:shop-db") == "db:shop-db");
  CHECK(arn_resource("shop-db") == "shop-db");
  CHECK(arn_region("arn:aws:rds:eu-west-1:000000000000:db:shop-db") == "eu-west-1");
  CHECK(arn_region("shop-db") == "");

  // Tags through the three operations, the resource checked to exist.
  TagOperations ops;
  ops.exists = [](ServeContext&, const std::string& a) { return a == "arn:x"; };
  ops.not_found_code = "ResourceNotFoundFault";
  tag_resource(ops)({{"ResourceArn", "arn:x"}, {"Tags", {{{"Key", "env"}, {"Value", "prod"}}, {{"Key", "team"}, {"Value", "a"}}}}}, ctx);
  untag_resource(ops)({{"ResourceArn", "arn:x"}, {"TagKeys", {"team", "absent"}}}, ctx);
  CHECK(list_tags(ops)({{"ResourceArn", "arn:x"}}, ctx) == json{{"Tags", {{{"Key", "env"}, {"Value", "prod"}}}}});
  CHECK(code_of([&] { list_tags(ops)({{"ResourceArn", "arn:y"}}, ctx); }) == "ResourceNotFoundFault/400");
  CHECK(code_of([&] { tag_resource(ops)({{"ResourceArn", "arn:x"}, {"Tags", "env"}}, ctx); }) == "ValidationException/400");
}

TEST_CASE("Tags: list and map wire forms", "[serve][resource]")
{
  const TagWire map_form{.map = true};
  CHECK(tags_from(json{{"a", "1"}}, map_form) == TagMap{{"a", "1"}});
  CHECK(tags_json(TagMap{{"a", "1"}}, map_form) == json{{"a", "1"}});
  const TagWire lower{.key = "key", .value = "value"};
  CHECK(tags_json(TagMap{{"a", "1"}}, lower) == json::array({{{"key", "a"}, {"value", "1"}}}));
  Tags t;
  t.tag("arn:1", {{"k", "v"}});
  t.tag("arn:1", {{"k", "w"}});
  CHECK(t.of("arn:1") == TagMap{{"k", "w"}});
  t.forget("arn:1");
  CHECK(t.of("arn:1").empty());
}

TEST_CASE("Pagination: page size honoured, tokens opaque and validated", "[serve][resource]")
{
  const Paging p{.max_member = "MaxRecords", .token_member = "Marker", .default_max = 100, .min_max = 1, .max_max = 100};
  Page first = paginate(items(5), {{"MaxRecords", 2}}, p);
  CHECK(first.items == json{0, 1});
  REQUIRE(!first.next_token.empty());
  CHECK(first.next_token != "2");  // opaque: not the offset in clear
  CHECK(page_offset(first.next_token) == std::optional<size_t>(2));
  Page second = paginate(items(5), {{"MaxRecords", 2}, {"Marker", first.next_token}}, p);
  CHECK(second.items == json{2, 3});
  Page last = paginate(items(5), {{"MaxRecords", 2}, {"Marker", second.next_token}}, p);
  CHECK(last.items == json{4});
  CHECK(last.next_token.empty());
  CHECK(paginate(items(5), json::object(), p).items.size() == 5);
  CHECK(paginate(items(5), {{"MaxRecords", "3"}}, p).items.size() == 3);  // rest-xml sends text

  CHECK(code_of([&] { paginate(items(5), {{"Marker", "abc"}}, p); }) == "InvalidNextToken/400");
  CHECK(code_of([&] { paginate(items(5), {{"Marker", page_token(9)}}, p); }) == "InvalidNextToken/400");
  CHECK(code_of([&] { paginate(items(5), {{"MaxRecords", 0}}, p); }) == "ValidationException/400");
  CHECK(code_of([&] { paginate(items(5), {{"MaxRecords", "x"}}, p); }) == "ValidationException/400");
  Paging dms = p;
  dms.token_code = "InvalidParameterValueException";
  CHECK(code_of([&] { paginate(items(5), {{"Marker", "abc"}}, dms); }) == "InvalidParameterValueException/400");
  CHECK(page_offset(page_token(42)) == std::optional<size_t>(42));
  CHECK(!page_offset("bWlnc2ltLXBhZ2U6eA=="));  // "migsim-page:x"
}

TEST_CASE("Filters: names validated, values matched as the service does", "[serve][resource]")
{
  const json endpoints = json::array({{{"EndpointType", "SOURCE"}, {"Id", "a"}}, {{"EndpointType", "TARGET"}, {"Id", "b"}}});
  const FilterFields fields = {{"endpoint-type", [](const json& e) { return e["EndpointType"].get<std::string>(); }}};
  const json in = {{"Filters", {{{"Name", "endpoint-type"}, {"Values", {"source"}}}}}};
  FilterSyntax dms{.case_insensitive = true, .code = "InvalidParameterValueException"};
  const json kept = apply_filters(endpoints, in, fields, dms);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0]["Id"] == "a");
  CHECK(apply_filters(endpoints, in, fields).empty());  // exact match by default
  CHECK(code_of([&] { apply_filters(endpoints, {{"Filters", {{{"Name", "nope"}, {"Values", {"x"}}}}}}, fields, dms); }) ==
        "InvalidParameterValueException/400");
  const FilterSyntax ec2{.any_prefix = "tag:"};
  CHECK(read_filters({{"Filters", {{{"Name", "tag:env"}, {"Values", {"prod"}}}}}}, {}, ec2).size() == 1);
}

TEST_CASE("Dates and XML: one formatter, one parser, one escaper", "[serve][resource]")
{
  CHECK(iso_date(0) == "2025-01-01T00:00:00Z");
  CHECK(iso_date(90.7) == "2025-01-01T00:01:30Z");
  CHECK(parse_date("2025-01-01T00:01:30Z") == std::optional<double>(90));
  CHECK(parse_date("2025-01-01T01:01:30+01:00") == std::optional<double>(90));
  CHECK(parse_date("2025-01-01T00:01:30.5Z") == std::optional<double>(90.5));
  CHECK(!parse_date("yesterday"));
  CHECK(xml_escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;");
  CHECK(xml_escape("x\ny", true) == "x&#10;y");
}

TEST_CASE("Regions: regional state per request region, global state shared, the scenario's resources in its region",
          "[serve][resource][region]")
{
  json doc = json::parse(sim::default_scenario_json());
  doc["region"] = "eu-west-1";
  const auto sc = harness::parse_full_scenario(doc, "regions");
  CHECK(sc.region == "eu-west-1");
  harness::Simulation sim(sc);
  ServeContext ctx{sim};

  // Unsigned (a test, the control plane): the scenario's region.
  CHECK(scenario_region(ctx) == "eu-west-1");
  CHECK(in_scenario_region(ctx));
  const std::string eu_topic = ctx.state<SnsBackend>().create_topic("orders", {}).arn;
  CHECK(eu_topic == "arn:aws:sns:eu-west-1:000000000000:orders");
  auto* global = &ctx.state<Tags>();

  ctx.request_region = "us-east-1";
  CHECK_FALSE(in_scenario_region(ctx));
  CHECK(scenario_migration(ctx) == nullptr);
  CHECK(ctx.state<SnsBackend>().topics().empty());  // what eu-west-1 created is not here
  CHECK(ctx.state<SnsBackend>().create_topic("orders", {}).arn == "arn:aws:sns:us-east-1:000000000000:orders");
  CHECK(&ctx.state<Tags>() == global);  // not regional: one for the endpoint

  CHECK(alarm_book(ctx).region == "us-east-1");  // made on first use by its own maker, told its region too

  ctx.request_region = "eu-west-1";
  CHECK(alarm_book(ctx).region == "eu-west-1");
  REQUIRE(ctx.state<SnsBackend>().topics().size() == 1);
  CHECK(ctx.state<SnsBackend>().topics()[0]->arn == eu_topic);
}

TEST_CASE("Regions: the scenario's region key is checked, and agrees with the aws section's", "[serve][resource][region]")
{
  const json base = json::parse(sim::default_scenario_json());
  CHECK(harness::parse_full_scenario(base, "default").region == "us-east-1");
  auto error_path = [](const json& doc) -> std::string {
    try {
      sim::parse_scenario(doc, "test");
    } catch (const sim::InputError& e) {
      return e.path();
    }
    return "";
  };
  json bad = base;
  bad["region"] = "eu west 1";
  CHECK(error_path(bad) == "/region");
  bad["region"] = "-eu-west-1";
  CHECK(error_path(bad) == "/region");
  json clash = base;
  clash["region"] = "eu-west-1";
  clash["aws"] = {{"region", "us-west-2"}};
  CHECK(error_path(clash) == "/aws/region");
  json only_aws = base;
  only_aws["aws"] = {{"region", "us-west-2"}};
  CHECK(sim::parse_scenario(only_aws, "test").region == "us-west-2");
}

TEST_CASE("Members: one list-of-strings reader", "[serve][resource]")
{
  CHECK(strings(json{{"Names", {"a", "b"}}}, "Names") == std::vector<std::string>{"a", "b"});
  CHECK(strings(json::object(), "Names").empty());
  CHECK(strings(json{{"Names", nullptr}}, "Names").empty());
  CHECK(code_of([] { strings(json{{"Names", "a"}}, "Names"); }) == "ValidationException/400");
  CHECK(code_of([] { strings(json{{"Names", {1}}}, "Names", "InvalidParameterValue"); }) == "InvalidParameterValue/400");
}
