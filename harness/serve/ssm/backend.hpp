// SSM Parameter Store's in-memory state for `migsim serve`: parameters with versions, and hooks
// other code installs to observe (or refuse, by throwing AwsError) every PutParameter — e.g. a
// runbook mapping a maintenance-mode parameter to the simulation's write block. Reached as
// ctx.state<SsmBackend>(); install hooks in install_serve_hooks (harness/serve/core/services.cpp).
#pragma once

#include "harness/aws/protocol/codec.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve {

struct ServeContext;

struct SsmParameter {
  std::string name, type = "String", value, description, data_type = "text";
  int64_t version = 0;
  double last_modified_epoch_s = 0;
  std::string region = "us-east-1";  // its backend's
  std::string arn() const;
  // What GetParameter answers without decryption for a SecureString: ciphertext-shaped text (the
  // base64 of a KMS-style envelope, "AQICAHh..."), deterministic for a name, version and value and
  // never containing the plaintext.
  std::string ciphertext() const;
};

class SsmBackend {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::string region = "us-east-1";         // of its parameters (set by ServeContext::state)
  // Called after a put is validated and before it is stored; may throw AwsError to refuse it.
  using PutHook = std::function<void(const SsmParameter& next, ServeContext& ctx)>;

  // Stores a parameter (version + 1 on overwrite); ParameterAlreadyExists without `overwrite`.
  const SsmParameter& put(SsmParameter p, bool overwrite, ServeContext& ctx);
  // A parameter; ParameterNotFound (400) when absent.
  const SsmParameter& get(const std::string& name) const;
  // DeleteParameter; ParameterNotFound when absent.
  void remove(const std::string& name);
  const std::map<std::string, SsmParameter>& parameters() const { return parameters_; }
  void on_put(PutHook hook) { hooks_.push_back(std::move(hook)); }

private:
  std::map<std::string, SsmParameter> parameters_;
  std::vector<PutHook> hooks_;
};

}  // namespace migsim::harness::serve
