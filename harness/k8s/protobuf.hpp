// Kubernetes' protobuf encoding of a request body (`application/vnd.kubernetes.protobuf`), which the
// imperative kubectl commands built on client-go's typed clients send (`kubectl autoscale`). The
// body is the magic "k8s\0" then a runtime.Unknown envelope (its TypeMeta and the object's bytes);
// the object is decoded to its JSON form for the kinds whose field numbers are listed here (from
// the Kubernetes API's generated.proto files).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace migsim::harness::k8s {

using nlohmann::json;

// The JSON object of a protobuf body; nullopt when its kind is not one decoded here. Throws
// ApiError 400 on bytes that are not a well-formed envelope.
std::optional<json> decode_protobuf(const std::string& body);

}  // namespace migsim::harness::k8s
