#include "harness/serve/s3/backend.hpp"

#include <openssl/evp.h>

#include <cctype>
#include <cstdio>

namespace migsim::harness::serve {

namespace {

bool valid_bucket_name(const std::string& n)
{
  if (n.size() < 3 || n.size() > 63)
    return false;
  for (char c : n)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.' ||
          c == '-'))
      return false;
  auto alnum = [](char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); };
  return alnum(n.front()) && alnum(n.back()) && n.find("..") == std::string::npos;
}

}  // namespace

std::string md5_hex(const std::string& bytes)
{
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_md5(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    out += buf;
  }
  return out;
}

const S3Bucket& S3Backend::create_bucket(const std::string& name, double now_epoch_s)
{
  if (!valid_bucket_name(name))
    throw aws::AwsError("InvalidBucketName", "The specified bucket is not valid.", 400);
  if (buckets_.count(name))
    throw aws::AwsError("BucketAlreadyOwnedByYou",
                        "Your previous request to create the named bucket succeeded and you already own it.", 409);
  return buckets_[name] = S3Bucket{name, now_epoch_s, {}};
}

S3Bucket& S3Backend::bucket(const std::string& name)
{
  auto it = buckets_.find(name);
  if (it == buckets_.end())
    throw aws::AwsError("NoSuchBucket", "The specified bucket does not exist", 404);
  return it->second;
}

std::vector<const S3Bucket*> S3Backend::buckets() const
{
  std::vector<const S3Bucket*> out;
  for (const auto& [_, b] : buckets_)
    out.push_back(&b);
  return out;
}

void S3Backend::delete_bucket(const std::string& name)
{
  if (!bucket(name).objects.empty())
    throw aws::AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
  buckets_.erase(name);
}

const S3Object& S3Backend::put_object(const std::string& bucket_name, const std::string& key, S3Object object)
{
  S3Bucket& b = bucket(bucket_name);
  const size_t replaced = b.objects.count(key) ? b.objects[key].bytes.size() : 0;
  if (stored_bytes_ - replaced + object.bytes.size() > capacity_bytes)
    throw aws::AwsError("EntityTooLarge",
                        "migsim keeps at most " + std::to_string(capacity_bytes) + " bytes of objects in memory", 400);
  if (key.empty() || key.size() > 1024)
    throw aws::AwsError("KeyTooLongError", "Your key is too long", 400);
  object.etag = "\"" + md5_hex(object.bytes) + "\"";
  stored_bytes_ = stored_bytes_ - replaced + object.bytes.size();
  return b.objects[key] = std::move(object);
}

const S3Object& S3Backend::object(const std::string& bucket_name, const std::string& key)
{
  S3Bucket& b = bucket(bucket_name);
  auto it = b.objects.find(key);
  if (it == b.objects.end())
    throw aws::AwsError("NoSuchKey", "The specified key does not exist.", 404);
  return it->second;
}

void S3Backend::delete_object(const std::string& bucket_name, const std::string& key)
{
  S3Bucket& b = bucket(bucket_name);
  if (auto it = b.objects.find(key); it != b.objects.end()) {
    stored_bytes_ -= it->second.bytes.size();
    b.objects.erase(it);
  }
}

S3Listing S3Backend::list(const std::string& bucket_name, const std::string& prefix, const std::string& delimiter,
                          const std::string& start_after, size_t max_keys)
{
  S3Bucket& b = bucket(bucket_name);
  S3Listing out;
  size_t count = 0;
  for (auto it = b.objects.upper_bound(start_after); it != b.objects.end(); ++it) {
    const std::string& key = it->first;
    if (key.compare(0, prefix.size(), prefix) != 0)
      continue;
    std::string rolled;
    if (!delimiter.empty())
      if (auto d = key.find(delimiter, prefix.size()); d != std::string::npos)
        rolled = key.substr(0, d + delimiter.size());
    if (!rolled.empty() && !out.common_prefixes.empty() && out.common_prefixes.back() == rolled)
      continue;
    if (count == max_keys) {
      out.truncated = true;
      break;
    }
    ++count;
    if (rolled.empty()) {
      out.contents.emplace_back(key, &it->second);
      out.next_start_after = key;
    } else {
      out.common_prefixes.push_back(rolled);
      out.next_start_after = rolled + "\xff";  // past every key under the rolled-up prefix
    }
  }
  return out;
}

}  // namespace migsim::harness::serve
