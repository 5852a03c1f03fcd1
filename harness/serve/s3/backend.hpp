// S3's in-memory state for `migsim serve`: buckets and their objects (bytes, ETag, metadata),
// bounded by a total size cap so a runaway client cannot exhaust memory. Reached as
// ctx.state<S3Backend>().
#pragma once

#include "harness/aws/protocol/codec.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::serve {

// The canonical user id of the endpoint's one account, as S3 shows bucket owners.
inline constexpr const char* kS3OwnerId = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

struct S3Object {
  std::string bytes;
  std::string etag;  // "\"<md5 hex>\"", as S3 gives for single-part uploads
  std::string content_type = "binary/octet-stream";
  std::map<std::string, std::string> metadata;  // x-amz-meta-*
  double last_modified_epoch_s = 0;
};

struct S3Bucket {
  std::string name;
  double created_epoch_s = 0;
  std::map<std::string, S3Object> objects;  // by key, in key order (ListObjectsV2's order)
  // Configuration (bucket_config.cpp); tags are in the one tag store under arn:aws:s3:::NAME.
  std::optional<std::string> policy;               // the bucket policy as given
  std::optional<nlohmann::json> public_access_block;  // its four flags
  std::string versioning;                          // "" (never set), "Enabled", "Suspended"
  std::string object_ownership = "BucketOwnerEnforced";  // a new bucket's, in AWS since April 2023
};

// A multipart upload in progress: its parts by number, assembled by CompleteMultipartUpload.
struct S3Upload {
  std::string bucket, key;
  S3Object head;  // content type and metadata given at creation
  struct Part {
    std::string bytes;
    std::string etag;  // "\"<md5 hex>\""
  };
  std::map<int, Part> parts;
};

// One page of ListObjectsV2.
struct S3Listing {
  std::vector<std::pair<std::string, const S3Object*>> contents;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_start_after;  // the last key or prefix returned when truncated
};

class S3Backend {
public:
  // Total bytes kept in memory, objects and the parts of unfinished uploads together (1 GiB); past
  // it a write answers EntityTooLarge. One request's body is capped by the HTTP layer (256 MiB).
  size_t capacity_bytes = size_t{1} << 30;
  static constexpr size_t kMinPartBytes = 5u << 20;  // every part but the last (S3's 5 MiB)
  static constexpr int kMaxPartNumber = 10000;

  // Creates a bucket; BucketAlreadyOwnedByYou (409) when it exists, InvalidBucketName (400) when
  // the name breaks S3's rules (3-63 of a-z 0-9 . -, starting and ending with a letter or digit).
  const S3Bucket& create_bucket(const std::string& name, double now_epoch_s);
  // A bucket; NoSuchBucket (404) when absent.
  S3Bucket& bucket(const std::string& name);
  std::vector<const S3Bucket*> buckets() const;
  // Deletes an empty bucket; BucketNotEmpty (409) otherwise.
  void delete_bucket(const std::string& name);
  // Stores an object (replacing any; its ETag the md5 unless given); EntityTooLarge (400) past the capacity.
  const S3Object& put_object(const std::string& bucket, const std::string& key, S3Object object);
  // An object; NoSuchKey (404) when absent.
  const S3Object& object(const std::string& bucket, const std::string& key);
  // Deletes an object (absent keys succeed, as in S3).
  void delete_object(const std::string& bucket, const std::string& key);
  // Keys under `prefix` after `start_after`, rolled up at `delimiter`, at most `max_keys`.
  S3Listing list(const std::string& bucket, const std::string& prefix, const std::string& delimiter,
                 const std::string& start_after, size_t max_keys);
  size_t stored_bytes() const { return stored_bytes_; }

  // Multipart uploads (s3_multipart.cpp). Starts one; its UploadId.
  std::string create_upload(const std::string& bucket, const std::string& key, S3Object head);
  // Stores one part (replacing a part of the same number); its ETag. NoSuchUpload (404),
  // InvalidArgument (400) for a part number outside 1-10000, EntityTooLarge past the capacity.
  std::string upload_part(const std::string& bucket, const std::string& key, const std::string& upload_id,
                          int part_number, std::string bytes);
  // Assembles the listed parts (ascending numbers, ETags matching) into the object; its ETag is
  // S3's multipart one: md5 of the parts' binary md5s, "-<count>". InvalidPart, InvalidPartOrder,
  // EntityTooSmall (a part but the last under 5 MiB), NoSuchUpload.
  const S3Object& complete_upload(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                  const std::vector<std::pair<int, std::string>>& parts, double now_epoch_s);
  // Drops an upload and its parts; NoSuchUpload when absent.
  void abort_upload(const std::string& bucket, const std::string& key, const std::string& upload_id);

private:
  S3Upload& upload(const std::string& bucket, const std::string& key, const std::string& upload_id);
  std::map<std::string, S3Bucket> buckets_;
  std::map<std::string, S3Upload> uploads_;  // by UploadId
  unsigned long long uploads_started_ = 0;
  size_t stored_bytes_ = 0;
};

// The MD5 of bytes, lowercase hex.
std::string md5_hex(const std::string& bytes);

}  // namespace migsim::harness::serve
