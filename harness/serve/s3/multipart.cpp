// S3 multipart uploads: parts held in memory under the backend's capacity, assembled in part order
// on completion with S3's multipart ETag ("<md5 of the parts' md5s>-<count>").
#include "harness/serve/s3/backend.hpp"

#include <cstdio>

namespace migsim::harness::serve {

namespace {

// "\"<hex>\"" -> the 16 raw bytes of the md5 it spells.
std::string md5_bytes(const std::string& quoted_hex)
{
  std::string out;
  for (size_t i = 1; i + 2 < quoted_hex.size(); i += 2)
    out += static_cast<char>(std::stoi(quoted_hex.substr(i, 2), nullptr, 16));
  return out;
}

std::string unquoted(const std::string& etag)
{
  return etag.size() >= 2 && etag.front() == '"' && etag.back() == '"' ? etag.substr(1, etag.size() - 2) : etag;
}

}  // namespace

S3Upload& S3Backend::upload(const std::string& bucket_name, const std::string& key, const std::string& upload_id)
{
  bucket(bucket_name);
  auto it = uploads_.find(upload_id);
  if (it == uploads_.end() || it->second.bucket != bucket_name || it->second.key != key)
    throw aws::AwsError("NoSuchUpload",
                        "The specified upload does not exist. The upload ID may be invalid, or the upload may have "
                        "been aborted or completed.",
                        404);
  return it->second;
}

std::string S3Backend::create_upload(const std::string& bucket_name, const std::string& key, S3Object head)
{
  bucket(bucket_name);
  if (key.empty() || key.size() > 1024)
    throw aws::AwsError("KeyTooLongError", "Your key is too long", 400);
  char id[48];
  std::snprintf(id, sizeof id, "migsim-upload-%08llu", ++uploads_started_);
  uploads_[id] = S3Upload{bucket_name, key, std::move(head), {}};
  return id;
}

std::string S3Backend::upload_part(const std::string& bucket_name, const std::string& key, const std::string& upload_id,
                                   int part_number, std::string bytes)
{
  S3Upload& u = upload(bucket_name, key, upload_id);
  if (part_number < 1 || part_number > kMaxPartNumber)
    throw aws::AwsError("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", 400);
  const size_t replaced = u.parts.count(part_number) ? u.parts[part_number].bytes.size() : 0;
  if (stored_bytes_ - replaced + bytes.size() > capacity_bytes)
    throw aws::AwsError("EntityTooLarge",
                        "migsim keeps at most " + std::to_string(capacity_bytes) + " bytes of objects in memory", 400);
  stored_bytes_ = stored_bytes_ - replaced + bytes.size();
  S3Upload::Part& part = u.parts[part_number];
  part.etag = "\"" + md5_hex(bytes) + "\"";
  part.bytes = std::move(bytes);
  return part.etag;
}

const S3Object& S3Backend::complete_upload(const std::string& bucket_name, const std::string& key,
                                           const std::string& upload_id,
                                           const std::vector<std::pair<int, std::string>>& parts, double now_epoch_s)
{
  S3Upload& u = upload(bucket_name, key, upload_id);
  if (parts.empty())
    throw aws::AwsError("MalformedXML", "You must specify at least one part", 400);
  int previous = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto& [number, etag] = parts[i];
    if (number <= previous)
      throw aws::AwsError("InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be "
                                              "specified in order by part number.",
                          400);
    previous = number;
    auto it = u.parts.find(number);
    if (it == u.parts.end() || unquoted(it->second.etag) != unquoted(etag))
      throw aws::AwsError("InvalidPart", "One or more of the specified parts could not be found. The part may not "
                                         "have been uploaded, or the specified entity tag may not match the part's "
                                         "entity tag.",
                          400);
    if (i + 1 < parts.size() && it->second.bytes.size() < kMinPartBytes)
      throw aws::AwsError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.",
                          400);
  }
  S3Object o = u.head;
  std::string digests;
  size_t total = 0;
  for (const auto& p : parts)
    total += u.parts[p.first].bytes.size();
  o.bytes.reserve(total);
  for (const auto& p : parts) {
    o.bytes += u.parts[p.first].bytes;
    digests += md5_bytes(u.parts[p.first].etag);
  }
  o.last_modified_epoch_s = now_epoch_s;
  // The parts' bytes move into the object: free them first so put_object's capacity check counts once.
  size_t held = 0;
  for (const auto& [n, part] : u.parts)
    held += part.bytes.size();
  uploads_.erase(upload_id);
  stored_bytes_ -= held;
  o.etag = "\"" + md5_hex(digests) + "-" + std::to_string(parts.size()) + "\"";
  return put_object(bucket_name, key, std::move(o));
}

void S3Backend::abort_upload(const std::string& bucket_name, const std::string& key, const std::string& upload_id)
{
  S3Upload& u = upload(bucket_name, key, upload_id);
  for (const auto& [n, part] : u.parts)
    stored_bytes_ -= part.bytes.size();
  uploads_.erase(upload_id);
}

}  // namespace migsim::harness::serve
