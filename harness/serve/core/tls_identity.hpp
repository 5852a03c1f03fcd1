// A self-signed certificate for the endpoint's HTTPS listener (the EKS clusters' Kubernetes API):
// an EC P-256 key, valid for 127.0.0.1, ::1 and localhost, marked as its own CA so that a client
// given it as certificate authority (a kubeconfig's certificate-authority-data) verifies the server.
// Made fresh at each start; never written to disk.
#pragma once

#include <string>

namespace migsim::harness::serve {

struct TlsIdentity {
  std::string cert_pem;
  std::string key_pem;
};

// Throws std::runtime_error when OpenSSL fails.
TlsIdentity make_self_signed_identity();

// Base64 (standard alphabet, padded) of bytes: certificate-authority-data.
std::string base64_encode(const std::string& bytes);

}  // namespace migsim::harness::serve
