// A bucket's configuration, as the terraform AWS provider writes and reads it: the bucket policy, the
// public access block, tags, versioning, object ownership, and the settings a new bucket has in AWS
// and migsim does not let change (ACL, CORS, website, acceleration, request payment, logging,
// lifecycle, replication, default encryption, object lock). The provider reads every one of them
// after creating a bucket, so each answers as an unconfigured bucket does in AWS: the document, or the
// "not configured" error S3 gives (NoSuchBucketPolicy, NoSuchCORSConfiguration, ...).
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/s3/backend.hpp"
#include "sim/json_text.hpp"

#include <set>

namespace migsim::harness::serve {

namespace {

std::string bucket_arn(const std::string& bucket)
{
  return "arn:aws:s3:::" + bucket;
}

// S3's "this configuration is not set" answers: 404 with the configuration's own code.
AwsError not_configured(const std::string& code, const std::string& message)
{
  return AwsError(code, message, 404);
}

// A bucket policy as S3 checks it on PutBucketPolicy: a JSON object (the first byte '{') with a
// Statement; MalformedPolicy (400) otherwise. Kept as given, as S3 returns it.
void check_policy(const std::string& text)
{
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] != '{')
    throw AwsError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'", 400);
  const json doc = sim::parse_wire_json(text);
  if (doc.is_discarded() || !doc.is_object())
    throw AwsError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'", 400);
  if (!doc.contains("Statement"))
    throw AwsError("MalformedPolicy", "Missing required field Statement", 400);
}

// PutBucketTagging's TagSet: at most 50 tags, keys unique (InvalidTag, 400).
TagMap tag_set(const json& in)
{
  const json list = in.value("Tagging", json::object()).value("TagSet", json::array());
  if (list.size() > 50)
    throw AwsError("InvalidTag", "Object tags cannot be greater than 50", 400);
  std::set<std::string> keys;
  for (const auto& t : list)
    if (!keys.insert(t.value("Key", std::string())).second)
      throw AwsError("InvalidTag", "Cannot provide multiple Tags with the same key", 400);
  return tags_from(list);
}

}  // namespace

void register_s3_bucket_config(Registry& r)
{
  r.add("s3", "PutBucketPolicy", {"Bucket", "Policy"}, [](const json& in, ServeContext& ctx) {
    S3Bucket& b = ctx.state<S3Backend>().bucket(in["Bucket"]);
    const std::string policy = in.value("Policy", std::string());
    check_policy(policy);
    b.policy = policy;
    return json::object();
  });
  r.add("s3", "GetBucketPolicy", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    const S3Bucket& b = ctx.state<S3Backend>().bucket(in["Bucket"]);
    if (!b.policy)
      throw not_configured("NoSuchBucketPolicy", "The bucket policy does not exist");
    return json{{"Policy", *b.policy}};
  });
  r.add("s3", "DeleteBucketPolicy", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]).policy.reset();
    return json::object();
  });

  r.add("s3", "PutPublicAccessBlock", {"Bucket", "PublicAccessBlockConfiguration"},
        [](const json& in, ServeContext& ctx) {
          S3Bucket& b = ctx.state<S3Backend>().bucket(in["Bucket"]);
          json block = json::object();
          const json given = in.value("PublicAccessBlockConfiguration", json::object());
          for (const char* k : {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"})
            block[k] = given.value(k, false);
          b.public_access_block = block;
          return json::object();
        });
  r.add("s3", "GetPublicAccessBlock", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    const S3Bucket& b = ctx.state<S3Backend>().bucket(in["Bucket"]);
    if (!b.public_access_block)
      throw not_configured("NoSuchPublicAccessBlockConfiguration",
                           "The public access block configuration was not found");
    return json{{"PublicAccessBlockConfiguration", *b.public_access_block}};
  });
  r.add("s3", "DeletePublicAccessBlock", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]).public_access_block.reset();
    return json::object();
  });

  // Tags replace the whole set (PutBucketTagging), as S3 does; kept in the one tag store by ARN.
  r.add("s3", "PutBucketTagging", {"Bucket", "Tagging"}, [](const json& in, ServeContext& ctx) {
    const std::string name = ctx.state<S3Backend>().bucket(in["Bucket"]).name;
    const TagMap tags = tag_set(in);
    ctx.state<Tags>().forget(bucket_arn(name));
    ctx.state<Tags>().tag(bucket_arn(name), tags);
    return json::object();
  });
  r.add("s3", "GetBucketTagging", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    const std::string name = ctx.state<S3Backend>().bucket(in["Bucket"]).name;
    const TagMap tags = ctx.state<Tags>().of(bucket_arn(name));
    if (tags.empty())
      throw not_configured("NoSuchTagSet", "The TagSet does not exist");
    return json{{"TagSet", tags_json(tags)}};
  });
  r.add("s3", "DeleteBucketTagging", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().forget(bucket_arn(ctx.state<S3Backend>().bucket(in["Bucket"]).name));
    return json::object();
  });

  r.add("s3", "PutBucketVersioning", {"Bucket", "VersioningConfiguration"}, [](const json& in, ServeContext& ctx) {
    S3Bucket& b = ctx.state<S3Backend>().bucket(in["Bucket"]);
    const std::string status = in.value("VersioningConfiguration", json::object()).value("Status", std::string());
    if (status != "Enabled" && status != "Suspended")
      throw AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our "
                                     "published schema (Status must be Enabled or Suspended)", 400);
    b.versioning = status;
    return json::object();
  });
  r.add("s3", "GetBucketVersioning", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    const S3Bucket& b = ctx.state<S3Backend>().bucket(in["Bucket"]);
    return b.versioning.empty() ? json::object() : json{{"Status", b.versioning}};  // never set: no Status
  });

  r.add("s3", "PutBucketOwnershipControls", {"Bucket", "OwnershipControls"}, [](const json& in, ServeContext& ctx) {
    S3Bucket& b = ctx.state<S3Backend>().bucket(in["Bucket"]);
    const json rules = in.value("OwnershipControls", json::object()).value("Rules", json::array());
    const std::string owner = rules.size() == 1 ? rules[0].value("ObjectOwnership", std::string()) : "";
    if (owner != "BucketOwnerEnforced" && owner != "BucketOwnerPreferred" && owner != "ObjectWriter")
      throw AwsError("MalformedXML", "OwnershipControls takes one rule whose ObjectOwnership is BucketOwnerEnforced, "
                                     "BucketOwnerPreferred or ObjectWriter", 400);
    b.object_ownership = owner;
    return json::object();
  });
  r.add("s3", "GetBucketOwnershipControls", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    const S3Bucket& b = ctx.state<S3Backend>().bucket(in["Bucket"]);
    if (b.object_ownership.empty())
      throw not_configured("OwnershipControlsNotFoundError", "The bucket ownership controls were not found");
    return json{{"OwnershipControls", {{"Rules", json::array({{{"ObjectOwnership", b.object_ownership}}})}}}};
  });
  r.add("s3", "DeleteBucketOwnershipControls", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]).object_ownership.clear();
    return json::object();
  });

  r.add("s3", "GetBucketLocation", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]);
    const std::string where = region(ctx);
    return where == "us-east-1" ? json::object() : json{{"LocationConstraint", where}};  // us-east-1: null
  });

  // What a bucket has in AWS and migsim does not let change.
  r.add("s3", "GetBucketAcl", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]);
    const json owner = {{"DisplayName", "migsim"}, {"ID", kS3OwnerId}};
    json grantee = owner;
    grantee["Type"] = "CanonicalUser";
    return json{{"Owner", owner}, {"Grants", json::array({{{"Grantee", grantee}, {"Permission", "FULL_CONTROL"}}})}};
  });
  r.add("s3", "GetBucketEncryption", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]);
    // Every bucket is encrypted with SSE-S3 unless told otherwise (AWS's default since January 2023).
    return json{{"ServerSideEncryptionConfiguration",
                 {{"Rules", json::array({{{"ApplyServerSideEncryptionByDefault", {{"SSEAlgorithm", "AES256"}}},
                                          {"BucketKeyEnabled", false}}})}}}};
  });
  r.add("s3", "GetBucketRequestPayment", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]);
    return json{{"Payer", "BucketOwner"}};
  });
  r.add("s3", "GetBucketAccelerateConfiguration", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]);
    return json::object();  // never configured: no Status
  });
  r.add("s3", "GetBucketLogging", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]);
    return json::object();  // logging off: no LoggingEnabled
  });
  struct Absent {
    const char* operation;
    const char* code;
    const char* message;
  };
  for (const Absent& a : {Absent{"GetBucketCors", "NoSuchCORSConfiguration", "The CORS configuration does not exist"},
                          Absent{"GetBucketWebsite", "NoSuchWebsiteConfiguration",
                                 "The specified bucket does not have a website configuration"},
                          Absent{"GetBucketLifecycleConfiguration", "NoSuchLifecycleConfiguration",
                                 "The lifecycle configuration does not exist"},
                          Absent{"GetBucketReplication", "ReplicationConfigurationNotFoundError",
                                 "The replication configuration was not found"},
                          Absent{"GetObjectLockConfiguration", "ObjectLockConfigurationNotFoundError",
                                 "Object Lock configuration does not exist for this bucket"}})
    r.add("s3", a.operation, {"Bucket"}, [a](const json& in, ServeContext& ctx) -> json {
      ctx.state<S3Backend>().bucket(in["Bucket"]);
      throw not_configured(a.code, a.message);
    });
}

}  // namespace migsim::harness::serve
