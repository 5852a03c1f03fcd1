// The in-memory backends other C++ code reaches through ServeContext::state<T>(): SNS deliveries
// (CloudWatch alarm actions publish through them), S3 listing and caps.
#include "harness/serve/s3/backend.hpp"
#include "harness/serve/sns/backend.hpp"
#include "harness/serve/ssm/backend.hpp"

#include <catch2/catch.hpp>

namespace serve = migsim::harness::serve;
using migsim::aws::AwsError;

TEST_CASE("sns backend: publish fans out one recorded delivery per subscription")
{
  serve::SnsBackend sns;
  const std::string arn = sns.create_topic("alarms", {}).arn;
  CHECK(sns.create_topic("alarms", {}).arn == arn);
  sns.subscribe(arn, "email", "a@example.com");
  sns.subscribe(arn, "sqs", "arn:aws:sqs:us-east-1:000000000000:q");
  const std::string id = sns.publish(arn, "ALARM: CDCLatencySource > 60", "ALARM", 120.0);
  REQUIRE(sns.deliveries().size() == 2);
  CHECK(sns.deliveries()[0].message_id == id);
  CHECK(sns.deliveries()[0].endpoint == "a@example.com");
  CHECK(sns.deliveries()[1].protocol == "sqs");
  CHECK(sns.deliveries()[1].sim_time_s == 120.0);
  CHECK(sns.publications().size() == 1);
  CHECK_THROWS_AS(sns.publish(arn + "x", "m", "", 0), AwsError);
  CHECK_THROWS_AS(sns.publish(arn, std::string(serve::SnsBackend::kMaxMessageBytes + 1, 'x'), "", 0), AwsError);
  sns.delete_topic(arn);
  CHECK(sns.topics().empty());
  CHECK(sns.subscriptions().empty());
}

TEST_CASE("s3 backend: ETag is the MD5, listing rolls up prefixes, the size cap holds")
{
  serve::S3Backend s3;
  s3.capacity_bytes = 10;
  s3.create_bucket("bkt", 0);
  CHECK_THROWS_AS(s3.create_bucket("bkt", 0), AwsError);
  CHECK_THROWS_AS(s3.create_bucket("B_", 0), AwsError);
  // MD5("abc") from RFC 1321's test suite.
  CHECK(s3.put_object("bkt", "a/1", serve::S3Object{"abc"}).etag == "\"900150983cd24fb0d6963f7d28e17f72\"");
  s3.put_object("bkt", "a/2", serve::S3Object{"de"});
  s3.put_object("bkt", "c", serve::S3Object{"f"});
  CHECK(s3.stored_bytes() == 6);
  CHECK_THROWS_AS(s3.put_object("bkt", "big", serve::S3Object{"12345"}), AwsError);
  s3.put_object("bkt", "a/1", serve::S3Object{"xyzw"});  // replacing counts the difference only
  CHECK(s3.stored_bytes() == 7);
  const serve::S3Listing all = s3.list("bkt", "", "/", "", 1000);
  REQUIRE(all.contents.size() == 1);
  CHECK(all.contents[0].first == "c");
  CHECK(all.common_prefixes == std::vector<std::string>{"a/"});
  const serve::S3Listing page = s3.list("bkt", "a/", "", "", 1);
  CHECK(page.truncated);
  CHECK(s3.list("bkt", "a/", "", page.next_start_after, 1).contents[0].first == "a/2");
  CHECK_THROWS_AS(s3.delete_bucket("bkt"), AwsError);
}
