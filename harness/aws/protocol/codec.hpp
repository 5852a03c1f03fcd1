// The AWS wire-protocol codec shared by the mock endpoint (server direction) and migsim's own AWS
// client (client direction): json 1.0/1.1, rest-json, query, rest-xml and smithy-rpc-v2-cbor, driven by the operation
// and shape tables generated from botocore's service models (harness/aws/models/, see
// harness/aws/README.md). No HTTP transport, no SigV4, no SimGrid: bytes and headers in and out.
//
// Values are nlohmann::json objects keyed by botocore member names, as boto3 dicts are:
//  - timestamps are numbers, seconds since the Unix epoch (fractional allowed); on the wire they
//    become epoch seconds (json), ISO-8601 UTC (query, rest-xml bodies), RFC 1123 (headers) or
//    whatever the shape's timestampFormat says. Parsing accepts any of these and yields a number.
//  - blobs are base64 strings (as the json protocol sends them); a rest payload blob (S3 object
//    bodies) is decoded to raw bytes on the wire and re-encoded to base64 when parsed.
//  - lists are arrays, maps objects, booleans/numbers native json types, everything else strings.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::aws {

using nlohmann::json;

// Case-insensitive ordering for HTTP header names.
struct HeaderLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::map<std::string, std::string, HeaderLess>;

// The AWS protocols a service model may declare.
enum class Protocol { json, rest_json, query, rest_xml, rpc_v2_cbor, ec2 };

// "json", "rest-json", "query", "rest-xml", "smithy-rpc-v2-cbor", "ec2" (botocore's spelling).
const char* to_string(Protocol p);

// An AWS error as a client sees it: code (e.g. "ValidationException"), message, HTTP status and
// whether the caller is at fault (Sender) or the service (Receiver). Thrown by parse_request and by
// handlers; returned by parse_response.
struct AwsError : std::runtime_error {
  std::string code;
  std::string message;
  int status = 400;
  bool sender = true;
  AwsError(std::string code, std::string message, int status = 400, bool sender = true);
};

// A service of the generated tables.
struct ServiceInfo {
  std::string name;            // our key and the botocore directory name: "dms", "elbv2", "s3"
  // The protocol migsim's client uses: the first of `protocols` other than rpc-v2-cbor (which
  // moto 5.2 cannot read) unless the service speaks nothing else.
  Protocol protocol;
  std::vector<Protocol> protocols;  // every protocol the service accepts (CloudWatch: rpc-v2-cbor, json, query)
  std::string api_version;     // "2016-01-01"
  std::string signing_name;    // SigV4 credential-scope service ("elasticloadbalancing", "ssm")
  std::string endpoint_prefix; // host prefix ("elasticloadbalancing")
  std::string target_prefix;   // json: X-Amz-Target prefix ("AmazonDMSv20160101")
  std::string json_version;    // json: "1.0" or "1.1"
  std::string xml_namespace;   // query/rest-xml: response xmlns

  // Whether an X-Amz-Target prefix names this service: botocore's targetPrefix, or the service shape's
  // name at its end, which the Smithy-generated SDKs send (CloudTrail: botocore's
  // "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", the Go SDK's "CloudTrail_20131101").
  bool is_target_prefix(const std::string& prefix) const
  {
    if (target_prefix.empty() || prefix.empty())
      return false;
    const auto dot = target_prefix.rfind('.');
    return prefix == target_prefix || (dot != std::string::npos && prefix == target_prefix.substr(dot + 1));
  }
};

// An operation of the generated tables.
struct OperationInfo {
  std::string service;
  std::string name;           // "DescribeReplications"
  std::string http_method;    // "POST"
  std::string request_uri;    // "/" or "/2013-04-01/hostedzone/{Id}" or "/{Bucket}/{Key+}"
  int response_code = 200;    // success status
  std::string input_shape;    // "" when the operation takes no input
  std::string output_shape;   // "" when it returns nothing
  std::vector<std::string> errors;
};

// The services of the tables (sorted by name).
std::vector<std::string> services();
// A service by name or by signing name or endpoint prefix; nullptr when unknown.
const ServiceInfo* find_service(const std::string& name);
// An operation; nullptr when the service or the operation is not in the tables.
const OperationInfo* find_operation(const std::string& service, const std::string& operation);
// The operations of a service present in the tables (sorted).
std::vector<std::string> operations(const std::string& service);

// An HTTP request as the codec sees it. `target` is the path plus query string ("/?Action=X").
struct WireRequest {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
};

// An HTTP response as the codec sees it.
struct WireResponse {
  int status = 200;
  Headers headers;
  std::string body;
};

// A request decoded by the server: which operation and its input (validated against the shape).
struct ParsedRequest {
  std::string service;
  std::string operation;
  json input = json::object();
  Protocol protocol = Protocol::json;  // the protocol the request used (answer in the same one)
};

// ---- Server direction ----

// Which service a request is for, as LocalStack routes: the SigV4 credential scope (Authorization
// header or X-Amz-Credential query parameter), then X-Amz-Target's prefix, then the query Action
// (+Version), then host and path. Returns "" when nothing matches.
std::string identify_service(const WireRequest& req);

// Decodes a request for `service` (from identify_service) into operation + input, validated against
// the input shape. Throws AwsError in the protocol's terms: unknown operation, malformed body
// (json SerializationException, query/xml MalformedQueryString/MalformedXML), missing required
// member, wrong type or value outside the enum (json ValidationException, query MissingParameter /
// InvalidParameterValue / ValidationError).
ParsedRequest parse_request(const std::string& service, const WireRequest& req);

// The operation a request for `service` names (X-Amz-Target, Action, or method + path), without
// decoding its input; "" when it names none the tables know.
std::string operation_of(const std::string& service, const WireRequest& req);

// The protocol a request for `service` uses (CloudWatch: rpc-v2-cbor for a /service/.../operation/...
// path or a `smithy-protocol: rpc-v2-cbor` header, json with X-Amz-Target, else query).
Protocol request_protocol(const std::string& service, const WireRequest& req);

// The error a protocol answers for an operation it does not know or migsim does not implement
// (json UnknownOperationException 400, rest-json 404, query InvalidAction, S3 NotImplemented 501).
AwsError unknown_operation(Protocol protocol, const std::string& service, const std::string& message);

// Shapes an operation's output (botocore member names) as the protocol wants it; `request_id`
// goes where the protocol puts it (query ResponseMetadata, x-amzn-RequestId / x-amz-request-id).
// `as` overrides the service's protocol (pass ParsedRequest::protocol for multi-protocol services).
WireResponse serialize_response(const std::string& service, const std::string& operation, const json& output,
                                const std::string& request_id, std::optional<Protocol> as = std::nullopt);

// Shapes an error as the protocol wants it (json __type + x-amzn-ErrorType, query ErrorResponse,
// rest-xml ErrorResponse or S3's <Error>), in `as` or else the service's protocol. `service` may be
// unknown ("" included): then json 1.1 is used unless `as` says otherwise.
WireResponse serialize_error(const std::string& service, const AwsError& error, const std::string& request_id,
                             std::optional<Protocol> as = std::nullopt);

// ---- Client direction ----

// Encodes a call: method, path + query, headers (Content-Type, X-Amz-Target, rest headers) and
// body. No Host, signature or Content-Length: the transport adds those. Throws AwsError
// ("UnknownOperation") for operations outside the tables and for input missing a uri label.
// `as` picks another protocol the service speaks (e.g. Protocol::rpc_v2_cbor for CloudWatch).
WireRequest serialize_request(const std::string& service, const std::string& operation, const json& input,
                              std::optional<Protocol> as = std::nullopt);

// The result of a call as the client sees it: the output, or the error.
struct ParsedResponse {
  json output = json::object();
  std::optional<AwsError> error;
  std::string request_id;
  bool ok() const { return !error; }
};

// Decodes a response (success or error) of `operation`, sent in `as` or the service's protocol.
ParsedResponse parse_response(const std::string& service, const std::string& operation, int status,
                              const Headers& headers, const std::string& body, std::optional<Protocol> as = std::nullopt);

}  // namespace migsim::aws
