// The errors a handler or backend throws: always aws::AwsError (the codec writes it in the
// request's protocol), made by these helpers. Each takes the service's own code where the service
// has one (DMS "ResourceNotFoundFault", SNS "NotFound", Route 53 "NoSuchHostedZone"); the defaults
// are the common ones. Status 400 unless said otherwise; 5xx errors are the receiver's fault.
#pragma once

#include "harness/aws/protocol/codec.hpp"

#include <string>

namespace migsim::harness::serve::errors {

using aws::AwsError;

// Invalid or missing parameter ("ValidationException"; the query protocol calls it "ValidationError").
inline AwsError validation(const std::string& message, const std::string& code = "ValidationException")
{
  return AwsError(code, message, 400);
}
// A parameter has a value the operation does not accept ("InvalidParameterValue" in query/ec2 services,
// "InvalidParameterValueException" in DMS).
inline AwsError invalid_parameter(const std::string& message, const std::string& code = "InvalidParameterValue")
{
  return AwsError(code, message, 400);
}
// The named resource does not exist (404 in rest protocols when `status` says so).
inline AwsError not_found(const std::string& message, const std::string& code = "ResourceNotFoundException",
                          int status = 400)
{
  return AwsError(code, message, status);
}
// The resource exists but cannot do that now.
inline AwsError invalid_state(const std::string& message, const std::string& code = "InvalidStateException",
                              int status = 400)
{
  return AwsError(code, message, status);
}
// The resource already exists.
inline AwsError already_exists(const std::string& message, const std::string& code = "ResourceAlreadyExistsException",
                               int status = 400)
{
  return AwsError(code, message, status);
}
// A paging token this endpoint did not hand out (or for another listing).
inline AwsError invalid_next_token(const std::string& message, const std::string& code = "InvalidNextToken")
{
  return AwsError(code, message, 400);
}
// The caller is being throttled.
inline AwsError throttling(const std::string& message = "Rate exceeded", const std::string& code = "ThrottlingException")
{
  return AwsError(code, message, 400);
}
// Any error with its own code and status (a service-specific one the helpers above do not name).
inline AwsError error(const std::string& code, const std::string& message, int status = 400)
{
  return AwsError(code, message, status, status < 500);
}

}  // namespace migsim::harness::serve::errors
