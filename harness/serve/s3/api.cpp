// The S3 wire layer (rest-xml, path-style /{Bucket}/{Key+}) over S3Backend. Object bytes travel as
// base64 in the codec's values (see harness/aws/protocol/codec.hpp); the codec writes them raw.
#include "harness/aws/protocol/text.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/s3/backend.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

namespace migsim::harness::serve {

namespace {

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

// The byte range [first, last] a GetObject `Range` header asks of an object of `size` bytes
// (RFC 9110 14.1.2: "bytes=FIRST-LAST", "bytes=FIRST-", "bytes=-SUFFIX"); nullopt when the header is
// not a single byte range (S3 then returns the whole object, as it does for multiple ranges).
// A range that starts past the end is 416 InvalidRange.
std::optional<std::pair<size_t, size_t>> byte_range(const std::string& header, size_t size)
{
  constexpr std::string_view kUnit = "bytes=";
  if (header.rfind(kUnit, 0) != 0 || header.find(',') != std::string::npos)
    return std::nullopt;
  const std::string spec = header.substr(kUnit.size());
  const auto dash = spec.find('-');
  if (dash == std::string::npos)
    return std::nullopt;
  const std::string a = spec.substr(0, dash), b = spec.substr(dash + 1);
  auto number = [](const std::string& t) -> std::optional<size_t> {
    if (t.empty() || t.size() > 18 || t.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    return static_cast<size_t>(std::stoull(t));
  };
  const auto first = number(a), last = number(b);
  auto unsatisfiable = [&] {
    return AwsError("InvalidRange", "The requested range is not satisfiable (" + header + " of " +
                                        std::to_string(size) + " bytes)", 416);
  };
  if (!first) {  // a suffix: the last N bytes
    if (!a.empty() || !last)
      return std::nullopt;
    if (*last == 0 || size == 0)
      throw unsatisfiable();
    return std::pair{size - std::min(*last, size), size - 1};
  }
  if (!b.empty() && (!last || *last < *first))
    return std::nullopt;
  if (*first >= size)
    throw unsatisfiable();
  return std::pair{*first, last ? std::min(*last, size - 1) : size - 1};
}

}  // namespace

void register_s3_bucket_config(Registry& r);  // bucket_config.cpp

// Registers the S3 operations.
void register_s3(Registry& r)
{
  register_s3_bucket_config(r);
  r.add("s3", "CreateBucket", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    const S3Bucket& b = ctx.state<S3Backend>().create_bucket(in["Bucket"], epoch_s(ctx.simulation.now()));
    return json{{"Location", "/" + b.name}};
  });
  r.add("s3", "ListBuckets", {}, [](const json&, ServeContext& ctx) {
    json buckets = json::array();
    for (const S3Bucket* b : ctx.state<S3Backend>().buckets())
      buckets.push_back({{"Name", b->name}, {"CreationDate", b->created_epoch_s}});
    return json{{"Buckets", buckets}, {"Owner", {{"DisplayName", "migsim"}, {"ID", kS3OwnerId}}}};
  });
  r.add("s3", "HeadBucket", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().bucket(in["Bucket"]);
    return json{{"BucketRegion", region(ctx)}};
  });
  r.add("s3", "DeleteBucket", {"Bucket"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().delete_bucket(in["Bucket"]);
    ctx.state<Tags>().forget("arn:aws:s3:::" + in["Bucket"].get<std::string>());
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
  r.add("s3", "GetObject", {"Bucket", "Key", "Range"}, [](const json& in, ServeContext& ctx) {
    const S3Object& o = ctx.state<S3Backend>().object(in["Bucket"], in["Key"]);
    json out = object_headers(o);
    const auto range = in.contains("Range") ? byte_range(in["Range"].get<std::string>(), o.bytes.size()) : std::nullopt;
    if (!range) {
      out["Body"] = aws::text::base64_encode(o.bytes);
      return out;
    }
    // 206 Partial Content: the bytes asked for, their place in the object (what `aws s3 cp` of a big
    // object and the SDKs' parallel downloads read).
    const auto [first, last] = *range;
    out["$status"] = 206;
    out["ContentLength"] = static_cast<long long>(last - first + 1);
    out["ContentRange"] = "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(o.bytes.size());
    out["Body"] = aws::text::base64_encode(o.bytes.substr(first, last - first + 1));
    return out;
  });
  r.add("s3", "HeadObject", {"Bucket", "Key"}, [](const json& in, ServeContext& ctx) {
    return object_headers(ctx.state<S3Backend>().object(in["Bucket"], in["Key"]));
  });
  r.add("s3", "DeleteObject", {"Bucket", "Key"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().delete_object(in["Bucket"], in["Key"]);
    return json::object();
  });
  r.add("s3", "CreateMultipartUpload", {"Bucket", "Key", "ContentType", "Metadata"}, [](const json& in, ServeContext& ctx) {
    S3Object head;
    head.content_type = in.value("ContentType", head.content_type);
    if (in.contains("Metadata"))
      head.metadata = in["Metadata"].get<std::map<std::string, std::string>>();
    const std::string id = ctx.state<S3Backend>().create_upload(in["Bucket"], in["Key"], std::move(head));
    return json{{"Bucket", in["Bucket"]}, {"Key", in["Key"]}, {"UploadId", id}};
  });
  r.add("s3", "UploadPart", {"Bucket", "Key", "UploadId", "PartNumber", "Body"}, [](const json& in, ServeContext& ctx) {
    std::string bytes = aws::text::base64_decode(in.value("Body", std::string())).value_or("");
    return json{{"ETag", ctx.state<S3Backend>().upload_part(in["Bucket"], in["Key"], in["UploadId"],
                                                            in["PartNumber"].get<int>(), std::move(bytes))}};
  });
  r.add("s3", "CompleteMultipartUpload", {"Bucket", "Key", "UploadId", "MultipartUpload"},
        [](const json& in, ServeContext& ctx) {
          std::vector<std::pair<int, std::string>> parts;
          if (in.contains("MultipartUpload") && in["MultipartUpload"].contains("Parts"))
            for (const json& p : in["MultipartUpload"]["Parts"]) {
              if (!p.contains("PartNumber") || !p.contains("ETag"))
                throw AwsError("InvalidPart", "every part needs its PartNumber and ETag", 400);
              parts.emplace_back(p["PartNumber"].get<int>(), p["ETag"].get<std::string>());
            }
          const std::string bucket = in["Bucket"], key = in["Key"];
          const S3Object& o = ctx.state<S3Backend>().complete_upload(bucket, key, in["UploadId"], parts,
                                                                     std::floor(epoch_s(ctx.simulation.now())));
          return json{{"Location", "/" + bucket + "/" + key}, {"Bucket", bucket}, {"Key", key}, {"ETag", o.etag}};
        });
  r.add("s3", "AbortMultipartUpload", {"Bucket", "Key", "UploadId"}, [](const json& in, ServeContext& ctx) {
    ctx.state<S3Backend>().abort_upload(in["Bucket"], in["Key"], in["UploadId"]);
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
