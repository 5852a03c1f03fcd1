// The S3 wire layer (rest-xml, path-style /{Bucket}/{Key+}) over S3Backend. Object bytes travel as
// base64 in the codec's values (see harness/aws/protocol/codec.hpp); the codec writes them raw.
#include "harness/aws/protocol/text.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/s3/backend.hpp"

#include <algorithm>
#include <cmath>

namespace migsim::harness::serve {

namespace {

constexpr const char* kOwnerId = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

// The headers GetObject and HeadObject share.
json object_headers(const S3Object& o)
{
  json out = {{"ContentLength", static_cast<long long>(o.bytes.size())},
              {"ContentType", o.content_type},
              {"ETag", o.etag},
              {"LastModified", o.last_modified_epoch_s},
              {"AcceptRanges", "bytes"}};
  if (!o.metadata.empty())
    out["Metadata"] = o.metadata;
  return out;
}

}  // namespace

// Registers the S3 operations.
void register_s3(Registry& r)
{
  r.add("s3", "CreateBucket", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    const S3Bucket& b = ctx.state<S3Backend>().create_bucket(in["Bucket"], epoch_s(ctx.simulation.now()));
    return json{{"Location", "/" + b.name}};
  });
  r.add("s3", "ListBuckets", {}, [](const json&, ServeContext& ctx) {
    json buckets = json::array();
    for (const S3Bucket* b : ctx.state<S3Backend>().buckets())
      buckets.push_back({{"Name", b->name}, {"CreationDate", b->created_epoch_s}});
    return json{{"Buckets", buckets}, {"Owner", {{"DisplayName", "migsim"}, {"ID", kOwnerId}}}};
  });
  r.add("s3", "HeadBucket", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]);
    return json{{"BucketRegion", "us-east-1"}};
  });
  r.add("s3", "DeleteBucket", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().delete_bucket(in["Bucket"]);
    return json::object();
  });
  r.add("s3", "PutObject", {"Bucket", "Key", "Body", "ContentType", "Metadata"}, [](const json& in, ServeContext& ctx) {
    S3Object o;
    o.bytes = aws::text::base64_decode(in.value("Body", std::string())).value_or("");
    o.content_type = in.value("ContentType", o.content_type);
    if (in.contains("Metadata"))
      o.metadata = in["Metadata"].get<std::map<std::string, std::string>>();
    o.last_modified_epoch_s = std::floor(epoch_s(ctx.simulation.now()));
    const S3Object& stored = ctx.state<S3Backend>().put_object(in["Bucket"], in["Key"], std::move(o));
    return json{{"ETag", stored.etag}};
  });
  r.add("s3", "GetObject", {"Bucket", "Key"}, [](const json& in, ServeContext& ctx) {
    const S3Object& o = ctx.state<S3Backend>().object(in["Bucket"], in["Key"]);
    json out = object_headers(o);
    out["Body"] = aws::text::base64_encode(o.bytes);
    return out;
  });
  r.add("s3", "HeadObject", {"Bucket", "Key"}, [](const json& in, ServeContext& ctx) {
    return object_headers(ctx.state<S3Backend>().object(in["Bucket"], in["Key"]));
  });
  r.add("s3", "DeleteObject", {"Bucket", "Key"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().delete_object(in["Bucket"], in["Key"]);
    return json::object();
  });
  r.add("s3", "ListObjectsV2", {"Bucket", "Prefix", "Delimiter", "MaxKeys", "ContinuationToken", "StartAfter"},
        [](const json& in, ServeContext& ctx) {
          const std::string prefix = in.value("Prefix", std::string()), delimiter = in.value("Delimiter", std::string());
          const long long max_keys = in.value("MaxKeys", 1000LL);
          if (max_keys < 0)
            throw AwsError("InvalidArgument", "maxKeys should be non-negative", 400);
          std::string start_after = in.value("StartAfter", std::string());
          if (in.contains("ContinuationToken")) {
            auto token = aws::text::base64_decode(in["ContinuationToken"].get<std::string>());
            if (!token)
              throw AwsError("InvalidArgument", "The continuation token provided is incorrect", 400);
            start_after = *token;
          }
          const S3Listing page = ctx.state<S3Backend>().list(in["Bucket"], prefix, delimiter, start_after,
                                                             static_cast<size_t>(std::min(max_keys, 1000LL)));
          json out = {{"Name", in["Bucket"]},
                      {"Prefix", prefix},
                      {"MaxKeys", max_keys},
                      {"KeyCount", page.contents.size() + page.common_prefixes.size()},
                      {"IsTruncated", page.truncated}};
          if (!delimiter.empty())
            out["Delimiter"] = delimiter;
          if (in.contains("ContinuationToken"))
            out["ContinuationToken"] = in["ContinuationToken"];
          if (in.contains("StartAfter"))
            out["StartAfter"] = in["StartAfter"];
          for (const auto& [key, o] : page.contents)
            out["Contents"].push_back({{"Key", key},
                                       {"LastModified", o->last_modified_epoch_s},
                                       {"ETag", o->etag},
                                       {"Size", static_cast<long long>(o->bytes.size())},
                                       {"StorageClass", "STANDARD"}});
          for (const auto& p : page.common_prefixes)
            out["CommonPrefixes"].push_back({{"Prefix", p}});
          if (page.truncated)
            out["NextContinuationToken"] = aws::text::base64_encode(page.next_start_after);
          return out;
        });
}

}  // namespace migsim::harness::serve
