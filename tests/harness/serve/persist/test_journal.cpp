// The serve journal's format (docs/persistence.md): CRC-32, frames, a torn tail cut at every byte,
// damage in the middle refused, records back from their JSON (binary bodies included), identities
// that refuse another scenario, seed or settings, which requests are journaled, and the chaos
// stream's draws a replay skips to.
#include "harness/serve/core/chaos.hpp"
#include "harness/serve/persist/journal_frames.hpp"
#include "harness/serve/persist/journal_record.hpp"
#include "harness/serve/persist/persistence.hpp"
#include "harness/serve/persist/state_dir.hpp"
#include "sim/rng.hpp"

#include <catch2/catch.hpp>

using namespace migsim::harness::serve;
using namespace migsim::harness::serve::persist;
using nlohmann::json;

namespace {

std::string journal_of(const std::vector<std::string>& payloads)
{
  std::string out(kFileMagic);
  for (const auto& p : payloads)
    out += frame(p);
  return out;
}

Request signed_post(const std::string& service, const std::string& body, const std::string& target = "/")
{
  Request req{http::verb::post, target, 11};
  req.set(http::field::host, "127.0.0.1:4566");
  req.set(http::field::content_type, "application/x-www-form-urlencoded; charset=utf-8");
  req.set(http::field::authorization, "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/" + service +
                                          "/aws4_request, SignedHeaders=host, Signature=0");
  req.body() = body;
  req.prepare_payload();
  return req;
}

}  // namespace

TEST_CASE("journal: CRC-32 is the IEEE one (zlib, PNG)", "[persist]")
{
  CHECK(crc32("") == 0u);
  CHECK(crc32("123456789") == 0xCBF43926u);
  CHECK(crc32("The quick brown fox jumps over the lazy dog") == 0x414FA339u);
}

TEST_CASE("journal: a frame is length, CRC-32 and payload, little-endian", "[persist]")
{
  const std::string f = frame("abc");
  REQUIRE(f.size() == 8 + 3);
  CHECK(f.substr(0, 4) == std::string("\x03\x00\x00\x00", 4));
  const uint32_t crc = crc32("abc");  // 0x352441C2
  CHECK(static_cast<unsigned char>(f[4]) == (crc & 0xFF));
  CHECK(static_cast<unsigned char>(f[7]) == (crc >> 24));
  CHECK(f.substr(8) == "abc");

  const FrameScan scan = scan_frames(journal_of({"{\"kind\":\"header\"}", "{}", std::string(70000, 'x')}));
  CHECK(scan.damaged.empty());
  CHECK(scan.torn.empty());
  REQUIRE(scan.payloads.size() == 3);
  CHECK(scan.payloads[2].size() == 70000);
  CHECK(scan.valid_bytes == 8 + (8 + 17) + (8 + 2) + (8 + 70000));
  CHECK(scan.ends.back() == scan.valid_bytes);
}

TEST_CASE("journal: a torn last record is dropped at every cut point, the ones before kept", "[persist]")
{
  const std::string whole = journal_of({"{\"kind\":\"header\"}", "{\"kind\":\"clock\",\"at_s\":1}", "{\"kind\":\"clock\",\"at_s\":2}"});
  const FrameScan full = scan_frames(whole);
  REQUIRE(full.payloads.size() == 3);
  const uint64_t second_end = full.ends[1];
  for (size_t cut = second_end + 1; cut < whole.size(); ++cut) {
    const FrameScan s = scan_frames(std::string_view(whole).substr(0, cut));
    INFO("cut at byte " << cut);
    CHECK(s.damaged.empty());
    CHECK(!s.torn.empty());
    CHECK(s.payloads.size() == 2);
    CHECK(s.valid_bytes == second_end);
  }
  // Cut exactly on a frame boundary: nothing torn.
  const FrameScan at_boundary = scan_frames(std::string_view(whole).substr(0, second_end));
  CHECK(at_boundary.torn.empty());
  CHECK(at_boundary.payloads.size() == 2);
}

TEST_CASE("journal: a last record failing its checksum is torn, one in the middle is damage", "[persist]")
{
  std::string j = journal_of({"{\"kind\":\"header\"}", "{\"a\":1}", "{\"b\":2}"});
  std::string last = j;
  last[last.size() - 2] ^= 0x20;
  const FrameScan torn = scan_frames(last);
  CHECK(torn.damaged.empty());
  CHECK(torn.torn.find("fails its CRC-32") != std::string::npos);
  CHECK(torn.payloads.size() == 2);

  std::string middle = j;
  const uint64_t second_payload = scan_frames(j).ends[0] + 8;
  middle[second_payload + 1] ^= 0x20;
  const FrameScan damaged = scan_frames(middle);
  CHECK(damaged.damaged.find("damaged in the middle") != std::string::npos);
  CHECK(damaged.damaged.find("record 1") != std::string::npos);
}

TEST_CASE("journal: a zero-filled tail is torn; another file is not a journal", "[persist]")
{
  const std::string j = journal_of({"{\"kind\":\"header\"}"});
  const FrameScan zeros = scan_frames(j + std::string(4096, '\0'));
  CHECK(zeros.damaged.empty());
  CHECK(zeros.torn.find("zero bytes") != std::string::npos);
  CHECK(zeros.valid_bytes == j.size());
  CHECK(scan_frames(j + std::string(8, '\0') + "x").damaged.find("empty record") != std::string::npos);
  CHECK(scan_frames("{\"kind\":\"header\"}").damaged.find("not a migsim serve journal") != std::string::npos);
  CHECK(scan_frames("").damaged.find("magic") != std::string::npos);
}

TEST_CASE("journal: a call record comes back as it was, binary bodies and all", "[persist]")
{
  CallEntry c;
  c.at_s = 1234.5678901234567;
  c.after_s = 1300;
  c.request_no = 42;
  c.chaos_draws = 7;
  c.tls = true;
  c.status = 202;
  c.service = "s3";
  c.operation = "PutObject";
  c.request = Request{http::verb::put, "/bucket/key?x=1", 11};
  c.request.set("X-Custom", "value");
  c.request.body() = std::string("\x00\xff\xfe binary", 10);
  const json j = call_json(c);
  CHECK(j["body"].contains("b64"));
  CHECK(j["target"] == "/bucket/key?x=1");
  const CallEntry back = call_from_json(json::parse(j.dump()));
  CHECK(back.at_s == c.at_s);  // doubles round-trip exactly through the JSON text
  CHECK(back.after_s == 1300);
  CHECK(back.request_no == 42);
  CHECK(back.chaos_draws == 7);
  CHECK(back.tls);
  CHECK(back.status == 202);
  CHECK(back.request.method() == http::verb::put);
  CHECK(back.request.target() == "/bucket/key?x=1");
  CHECK(back.request["X-Custom"] == "value");
  CHECK(back.request.body() == c.request.body());

  json bad = j;
  bad.erase("at_s");
  CHECK_THROWS_WITH(call_from_json(bad), Catch::Contains("at_s"));
  bad = j;
  bad["method"] = "FETCH";
  CHECK_THROWS_WITH(call_from_json(bad), Catch::Contains("not an HTTP method"));
  bad = j;
  bad["body"] = {{"b64", "!!!"}};
  CHECK_THROWS_WITH(call_from_json(bad), Catch::Contains("body"));
}

TEST_CASE("journal: the header refuses another scenario, seed or settings", "[persist]")
{
  JournalIdentity id{"cutover", std::string(64, 'a'), 42, {{"timing", json::array()}}};
  const JournalIdentity back = identity_from_header(json::parse(header_json(id).dump()));
  CHECK(!identity_mismatch(back, id));
  JournalIdentity other = id;
  other.scenario_sha256 = std::string(64, 'b');
  other.scenario_name = "other";
  CHECK(identity_mismatch(back, other).value().find("written for scenario 'cutover'") != std::string::npos);
  other = id;
  other.seed = 7;
  CHECK(identity_mismatch(back, other).value() == "it was written with seed 42, this run has seed 7");
  other = id;
  other.settings = {{"timing", {"efs_mount_target_create_s=90"}}};
  CHECK(identity_mismatch(back, other).value().find("settings") != std::string::npos);
  json future = header_json(id);
  future["format"] = 2;
  CHECK_THROWS_WITH(identity_from_header(future), Catch::Contains("format 2"));
}

TEST_CASE("journal: what changes state is journaled, what reads is not", "[persist]")
{
  std::string service, op;
  CHECK(changes_state(signed_post("ec2", "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16"), &service, &op));
  CHECK(service == "ec2");
  CHECK(op == "CreateVpc");
  CHECK(!changes_state(signed_post("ec2", "Action=DescribeVpcs&Version=2016-11-15")));
  CHECK(!changes_state(signed_post("rds", "Action=DescribeDBInstances&Version=2014-10-31")));
  CHECK(changes_state(signed_post("rds", "Action=CreateDBSubnetGroup&Version=2014-10-31")));

  auto control = [](http::verb m, const std::string& target) { return Request{m, target, 11}; };
  CHECK(changes_state(control(http::verb::post, "/_migsim/clock"), &service, &op));
  CHECK(op == "POST /_migsim/clock");
  CHECK(!changes_state(control(http::verb::get, "/_migsim/clock")));
  CHECK(changes_state(control(http::verb::post, "/_migsim/events")));
  CHECK(!changes_state(control(http::verb::post, "/_migsim/state")));  // a snapshot is not an input
  CHECK(changes_state(control(http::verb::patch, "/_localstack/chaos/faults")));
  CHECK(!changes_state(control(http::verb::get, "/_localstack/chaos/faults")));
  CHECK(changes_state(control(http::verb::post, "/_migsim/eks/shop/api/v1/namespaces/default/configmaps"), &service));
  CHECK(service == "kubernetes");
  CHECK(!changes_state(control(http::verb::get, "/_migsim/eks/shop/api/v1/pods?watch=true")));
  CHECK(!changes_state(control(http::verb::options, "/")));
  CHECK(!changes_state(control(http::verb::get, "/metrics")));
}

TEST_CASE("journal: the chaos stream skips to a journaled draw count as if the reads had drawn", "[persist][chaos]")
{
  Request rules{http::verb::post, "/_localstack/chaos/faults", 11};
  rules.body() = json::array({{{"service", "dms"}, {"probability", 0.5}}}).dump();
  ChaosState live(9), replayed(9);
  live.handle("/_localstack/chaos/faults", rules);
  replayed.handle("/_localstack/chaos/faults", rules);
  for (int i = 0; i < 5; ++i)  // reads that drew, not replayed
    live.fault_for("dms", "DescribeEndpoints", "us-east-1");
  CHECK(live.draws() == 5);
  replayed.skip_to(live.draws());
  for (int i = 0; i < 20; ++i)
    CHECK(live.fault_for("dms", "CreateEndpoint", "us-east-1").has_value() ==
          replayed.fault_for("dms", "CreateEndpoint", "us-east-1").has_value());
}

TEST_CASE("journal: snapshot names are plain file names", "[persist]")
{
  CHECK(!snapshot_name_problem("evening-before"));
  CHECK(!snapshot_name_problem("v1.2_ok"));
  CHECK(snapshot_name_problem(""));
  CHECK(snapshot_name_problem("../etc"));
  CHECK(snapshot_name_problem(".hidden"));
  CHECK(snapshot_name_problem("a/b"));
  CHECK(snapshot_name_problem(std::string(65, 'a')));
}

TEST_CASE("journal: any corruption reads as whole records, a torn tail or damage, never as other records", "[persist]")
{
  std::vector<std::string> payloads = {"{\"kind\":\"header\"}"};
  for (int i = 0; i < 12; ++i)
    payloads.push_back("{\"kind\":\"clock\",\"at_s\":" + std::to_string(i * 60) + "}");
  const std::string whole = journal_of(payloads);
  migsim::sim::RandomStream rng(7, "journal.corruption");
  for (int trial = 0; trial < 2000; ++trial) {
    std::string bytes = whole;
    switch (trial % 3) {
      case 0: bytes[rng.next_u64() % bytes.size()] ^= static_cast<char>(1 + rng.next_u64() % 255); break;
      case 1: bytes.resize(rng.next_u64() % bytes.size()); break;
      default: bytes.insert(rng.next_u64() % bytes.size(), 1 + rng.next_u64() % 16, static_cast<char>(rng.next_u64()));
    }
    const FrameScan s = scan_frames(bytes);
    INFO("trial " << trial);
    REQUIRE(s.payloads.size() <= payloads.size());
    for (size_t i = 0; i < s.payloads.size(); ++i)  // what is read is what was written, in order
      REQUIRE(s.payloads[i] == payloads[i]);
    // A changed or inserted byte is always seen (CRC-32 catches every burst up to 32 bits); a cut is
    // seen unless it falls between two records, where the journal is simply shorter.
    if (trial % 3 != 1)
      REQUIRE(!(s.damaged.empty() && s.torn.empty()));
  }
}
