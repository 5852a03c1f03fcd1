// What the client logs about a request, with every secret masked: the Authorization header's
// credential and signature, X-Amz-Security-Token, and the presigned query's X-Amz-Credential,
// X-Amz-Signature and X-Amz-Security-Token. Bodies are logged by size only (they may hold
// passwords). Logger "aws-client" on stderr; MIGSIM_AWS_LOG=debug|info|warn sets its level.
#pragma once

#include "harness/aws/client/http_client.hpp"

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace migsim::aws {

// The client's logger (created on first use).
std::shared_ptr<spdlog::logger> aws_logger();

// One line describing a request for the log, secrets masked.
std::string describe_request(const std::string& method, const Url& url, const std::string& target,
                             const HeaderList& headers, size_t body_bytes);

}  // namespace migsim::aws
