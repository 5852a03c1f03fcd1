// The per-protocol halves of the codec (internal; codec.cpp picks one by the service's protocol).
// Server-side parsers throw Violation, which codec.cpp turns into the protocol's AwsError.
#pragma once

#include "harness/aws/protocol/model.hpp"

#include <map>
#include <string>

namespace migsim::aws::detail {

// json 1.0 / 1.1: POST /, X-Amz-Target: Prefix.Operation, JSON body.
WireRequest json_serialize_request(const Model& m, const std::string& op, const json& input);
ParsedRequest json_parse_request(const Model& m, const WireRequest& req);
WireResponse json_serialize_response(const Model& m, const std::string& op, const json& output);
WireResponse json_serialize_error(const std::string& content_type, const AwsError& e, bool rest);
json json_parse_output(const Model& m, const std::string& op, const std::string& body);
AwsError json_parse_error(int status, const Headers& headers, const std::string& body);

// query: form-encoded Action/Version/parameters, XML <OpResponse><OpResult>.
WireRequest query_serialize_request(const Model& m, const std::string& op, const json& input);
ParsedRequest query_parse_request(const Model& m, const WireRequest& req);
WireResponse query_serialize_response(const Model& m, const std::string& op, const json& output,
                                      const std::string& request_id);
WireResponse query_serialize_error(const Model* m, const AwsError& e, const std::string& request_id);
json query_parse_output(const Model& m, const std::string& op, const std::string& body);
// <ErrorResponse><Error>..., S3's <Error> or an empty body (HEAD): the code, message and request id.
AwsError xml_parse_error(int status, const std::string& body, std::string* request_id);

// rest-json and rest-xml: URI labels, querystring, headers, then a JSON or XML body (or a payload).
WireRequest rest_serialize_request(const Model& m, const std::string& op, const json& input, Protocol p);
// The operation a rest request's method and path name (the most specific template); nullptr when none.
const OperationInfo* rest_match(const Model& m, const WireRequest& req, std::map<std::string, std::string>* labels);
ParsedRequest rest_parse_request(const Model& m, const WireRequest& req, Protocol p);
WireResponse rest_serialize_response(const Model& m, const std::string& op, const json& output, Protocol p);
WireResponse rest_xml_serialize_error(const Model& m, const AwsError& e, const std::string& request_id);
json rest_parse_output(const Model& m, const std::string& op, int status, const Headers& headers,
                       const std::string& body, Protocol p);

// ec2: EC2's query dialect (Name.N lists, capitalised locationNames), XML <OpResponse><requestId>,
// errors <Response><Errors><Error> (ec2_codec.cpp). ec2_parse_output also reads the requestId.
WireRequest ec2_serialize_request(const Model& m, const std::string& op, const json& input);
ParsedRequest ec2_parse_request(const Model& m, const WireRequest& req);
WireResponse ec2_serialize_response(const Model& m, const std::string& op, const json& output,
                                    const std::string& request_id);
WireResponse ec2_serialize_error(const AwsError& e, const std::string& request_id);
json ec2_parse_output(const Model& m, const std::string& op, const std::string& body, std::string* request_id);

// smithy-rpc-v2-cbor: POST /service/<targetPrefix>/operation/<Op>, CBOR bodies (cbor_codec.cpp).
WireRequest cbor_serialize_request(const Model& m, const std::string& op, const json& input);
ParsedRequest cbor_parse_request(const Model& m, const WireRequest& req);
WireResponse cbor_serialize_response(const Model& m, const std::string& op, const json& output);
WireResponse cbor_serialize_error(const AwsError& e);
json cbor_parse_output(const Model& m, const std::string& op, const std::string& body);
AwsError cbor_parse_error(int status, const std::string& body);
// Whether a request target is an rpc-v2 path; its service prefix and operation when it is.
bool cbor_path(const std::string& target, std::string* prefix, std::string* op);

}  // namespace migsim::aws::detail
