// S3's in-memory state for `migsim serve`: buckets and their objects (bytes, ETag, metadata),
// bounded by a total size cap so a runaway client cannot exhaust memory. Reached as
// ctx.state<S3Backend>().
#pragma once

#include "harness/aws/protocol/codec.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve {

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
  size_t capacity_bytes = 64u << 20;  // total object bytes kept in memory (64 MiB)

  // Creates a bucket; BucketAlreadyOwnedByYou (409) when it exists, InvalidBucketName (400) when
  // the name breaks S3's rules (3-63 of a-z 0-9 . -, starting and ending with a letter or digit).
  const S3Bucket& create_bucket(const std::string& name, double now_epoch_s);
  // A bucket; NoSuchBucket (404) when absent.
  S3Bucket& bucket(const std::string& name);
  std::vector<const S3Bucket*> buckets() const;
  // Deletes an empty bucket; BucketNotEmpty (409) otherwise.
  void delete_bucket(const std::string& name);
  // Stores an object (replacing any); EntityTooLarge (400) past the capacity.
  const S3Object& put_object(const std::string& bucket, const std::string& key, S3Object object);
  // An object; NoSuchKey (404) when absent.
  const S3Object& object(const std::string& bucket, const std::string& key);
  // Deletes an object (absent keys succeed, as in S3).
  void delete_object(const std::string& bucket, const std::string& key);
  // Keys under `prefix` after `start_after`, rolled up at `delimiter`, at most `max_keys`.
  S3Listing list(const std::string& bucket, const std::string& prefix, const std::string& delimiter,
                 const std::string& start_after, size_t max_keys);
  size_t stored_bytes() const { return stored_bytes_; }

private:
  std::map<std::string, S3Bucket> buckets_;
  size_t stored_bytes_ = 0;
};

// The MD5 of bytes, lowercase hex.
std::string md5_hex(const std::string& bytes);

}  // namespace migsim::harness::serve
