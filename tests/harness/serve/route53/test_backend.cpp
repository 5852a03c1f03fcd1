// Route 53 backend of the mock endpoint without HTTP or simulation: atomic change batches with
// Route 53's errors, DNS listing order, propagation bounds, and the migration record's hook.
#include "harness/serve/route53/backend.hpp"

#include <catch2/catch.hpp>

using namespace migsim::harness::serve::route53;
using nlohmann::json;

namespace {

json a_record(const std::string& name, const std::string& value, int ttl = 60)
{
  return {{"Name", name}, {"Type", "A"}, {"TTL", ttl}, {"ResourceRecords", json::array({{{"Value", value}}})}};
}

json batch(const std::string& zone, std::initializer_list<std::pair<const char*, json>> changes)
{
  json c = json::array();
  for (const auto& [action, record] : changes)
    c.push_back({{"Action", action}, {"ResourceRecordSet", record}});
  return {{"HostedZoneId", zone}, {"ChangeBatch", {{"Changes", c}}}};
}

}  // namespace

TEST_CASE("Route 53 change batches are atomic and fail as Route 53 does", "[route53]")
{
  Backend b(7, std::nullopt);
  const json z = b.create_hosted_zone({{"Name", "Example.COM"}, {"CallerReference", "r1"}}, 0);
  const std::string id = z["HostedZone"]["Id"];
  CHECK(z["HostedZone"]["Name"] == "example.com.");
  CHECK(z["HostedZone"]["ResourceRecordSetCount"] == 2);  // SOA and NS
  CHECK_THROWS_AS(b.create_hosted_zone({{"Name", "other.com"}, {"CallerReference", "r1"}}, 0), migsim::aws::AwsError);
  b.change_resource_record_sets(batch(id, {{"CREATE", a_record("www.example.com", "192.0.2.1")}}), 0);
  // The second change fails: nothing of the batch is applied.
  try {
    b.change_resource_record_sets(batch(id, {{"CREATE", a_record("api.example.com", "192.0.2.2")},
                                             {"CREATE", a_record("www.example.com", "192.0.2.3")}}),
                                  0);
    FAIL("no error");
  } catch (const migsim::aws::AwsError& e) {
    CHECK(e.code == "InvalidChangeBatch");
    CHECK(e.message.find("already exists") != std::string::npos);
  }
  auto list = b.list_resource_record_sets({{"HostedZoneId", id}})["ResourceRecordSets"];
  REQUIRE(list.size() == 3);
  CHECK(list[2]["Name"] == "www.example.com.");
  // DELETE must match the current values exactly.
  CHECK_THROWS_AS(b.change_resource_record_sets(batch(id, {{"DELETE", a_record("www.example.com", "192.0.2.1", 300)}}), 0),
                  migsim::aws::AwsError);
  b.change_resource_record_sets(batch(id, {{"UPSERT", a_record("www.example.com", "192.0.2.9")},
                                           {"CREATE", a_record("a.b.example.com", "192.0.2.4")}}),
                                0);
  list = b.list_resource_record_sets({{"HostedZoneId", id}})["ResourceRecordSets"];
  // DNS order compares labels right to left: com.example.b.a sorts before com.example.www.
  CHECK(list[2]["Name"] == "a.b.example.com.");
  CHECK(list[3]["ResourceRecords"][0]["Value"] == "192.0.2.9");
  CHECK_THROWS_AS(b.change_resource_record_sets(batch(id, {{"CREATE", a_record("www.example.org", "192.0.2.1")}}), 0),
                  migsim::aws::AwsError);
  json weighted = a_record("w.example.com", "192.0.2.1");
  weighted["Weight"] = 10;
  CHECK_THROWS_AS(b.change_resource_record_sets(batch(id, {{"CREATE", weighted}}), 0), migsim::aws::AwsError);  // no SetIdentifier
  weighted["SetIdentifier"] = "one";
  b.change_resource_record_sets(batch(id, {{"CREATE", weighted}}), 0);
  CHECK_THROWS_AS(b.delete_hosted_zone({{"Id", id}}, 0), migsim::aws::AwsError);
  CHECK_THROWS_AS(b.get_hosted_zone({{"Id", "/hostedzone/ZNOPE"}}), migsim::aws::AwsError);
}

TEST_CASE("Route 53 changes go INSYNC within 10 to 60 s and the migration record calls its hook", "[route53]")
{
  std::vector<int> moved;
  DnsHook hook;
  hook.record = "shop.example.com";
  hook.sites = {"onprem", "aws"};
  hook.upsert = [&](int site) {
    moved.push_back(site);
    return std::string("/change/MODEL");
  };
  hook.status = [](const std::string& id) { return id == "/change/MODEL" ? std::string("PENDING") : std::string(); };
  Backend b(1, hook);
  const auto zones = b.list_hosted_zones(json::object())["HostedZones"];
  REQUIRE(zones.size() == 1);
  CHECK(zones[0]["Name"] == "example.com.");
  const std::string id = zones[0]["Id"];
  // Ordinary records: PENDING at submission, INSYNC by 60 s, never before 10 s.
  for (int k = 0; k < 20; ++k) {
    const json c = b.change_resource_record_sets(batch(id, {{"UPSERT", a_record("r" + std::to_string(k) + ".example.com", "192.0.2.1")}}), 100);
    const json id_only = {{"Id", c["ChangeInfo"]["Id"]}};
    CHECK(c["ChangeInfo"]["Status"] == "PENDING");
    CHECK(b.get_change(id_only, 109.9)["ChangeInfo"]["Status"] == "PENDING");
    CHECK(b.get_change(id_only, 160)["ChangeInfo"]["Status"] == "INSYNC");
  }
  CHECK(moved.empty());
  // The migration's record to the AWS site's address, then its alias back on-prem.
  b.change_resource_record_sets(batch(id, {{"UPSERT", a_record("shop.example.com", site_address(1))}}), 200);
  json alias = {{"Name", "shop.example.com"}, {"Type", "A"},
                {"AliasTarget", {{"HostedZoneId", "Z1"}, {"DNSName", site_alias("onprem")}}}};
  const json c = b.change_resource_record_sets(batch(id, {{"UPSERT", alias}}), 300);
  CHECK(moved == std::vector<int>{1, 0});
  CHECK(c["ChangeInfo"]["Status"] == "PENDING");  // the model's status
  // An address that is no site's, and a weighted variant, leave the clients where they are.
  b.change_resource_record_sets(batch(id, {{"UPSERT", a_record("shop.example.com", "203.0.113.5")}}), 400);
  CHECK(moved.size() == 2);
}

TEST_CASE("Route 53 failover records: one per set identifier, UPSERT replaces its own, DELETE keeps the other",
          "[route53]")
{
  Backend b(7, std::nullopt);
  const std::string id = b.create_hosted_zone({{"Name", "example.com"}, {"CallerReference", "f1"}}, 0)["HostedZone"]["Id"];
  auto failover = [](const std::string& value, int ttl, const char* set_id, const char* role) {
    json r = a_record("shop.example.com", value, ttl);
    r["SetIdentifier"] = set_id;
    r["Failover"] = role;
    return r;
  };
  b.change_resource_record_sets(batch(id, {{"UPSERT", failover("203.0.113.10", 60, "primary", "PRIMARY")},
                                           {"UPSERT", failover("203.0.113.20", 60, "secondary", "SECONDARY")}}),
                                0);
  b.change_resource_record_sets(batch(id, {{"UPSERT", failover("203.0.113.11", 120, "primary", "PRIMARY")}}), 0);
  auto shop = [&] {
    json out = json::array();
    const json all = b.list_resource_record_sets({{"HostedZoneId", id}})["ResourceRecordSets"];
    for (const auto& r : all)
      if (r["Name"] == "shop.example.com.")
        out.push_back(r);
    return out;
  };
  REQUIRE(shop().size() == 2);
  CHECK(shop()[0]["SetIdentifier"] == "primary");
  CHECK(shop()[0]["TTL"] == 120);
  CHECK(shop()[0]["ResourceRecords"][0]["Value"] == "203.0.113.11");
  b.change_resource_record_sets(batch(id, {{"DELETE", failover("203.0.113.20", 60, "secondary", "SECONDARY")}}), 0);
  REQUIRE(shop().size() == 1);
  CHECK(shop()[0]["SetIdentifier"] == "primary");
}
