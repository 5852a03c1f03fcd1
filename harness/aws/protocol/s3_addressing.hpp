// S3's two addressing styles: path style ("/bucket/key") and virtual-hosted style (the bucket in
// the Host). The codec reads every S3 request in path style.
#pragma once

#include "harness/aws/protocol/codec.hpp"

#include <string>

namespace migsim::aws {

// The bucket a virtual-hosted S3 request names in its Host ("" for path style): the label(s) before
// `s3.` or `s3-<region>.` ("shop.s3.amazonaws.com", "shop.s3.us-east-1.amazonaws.com",
// "shop.s3.localhost.localstack.cloud") or before a bare endpoint host ("shop.localhost:4566",
// what the SDKs send by default to an endpoint given by host name). IP addresses never name one.
std::string s3_virtual_host_bucket(const std::string& host);
// The request in S3's path style ("/bucket/key"): virtual-hosted requests have the bucket moved
// from the Host into the path; others are returned unchanged.
WireRequest s3_path_style(const WireRequest& req);

}  // namespace migsim::aws
