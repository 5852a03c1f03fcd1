// Who may use the mock endpoint: the origins a browser page may call it from (the control plane
// and the AWS API alike), the Host names the control plane answers (no DNS rebinding), and, with
// `serve --enforce-sigv4`, the access keys whose signatures it accepts.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve {

struct AccessPolicy {
  // Extra origins allowed besides the loopback ones (http(s)://localhost, 127.0.0.1, [::1], any
  // port); "*" allows every origin (serve --allowed-origin).
  std::vector<std::string> allowed_origins;
  // Extra Host names the control plane answers besides localhost, 127.0.0.1, ::1,
  // localhost.localstack.cloud and the address it listens on (serve --allowed-host).
  std::vector<std::string> allowed_hosts;
  std::string listen_host = "127.0.0.1";
  bool enforce_sigv4 = false;
  std::map<std::string, std::string> secrets;  // access key id -> secret (the scenario's /credentials)
};

}  // namespace migsim::harness::serve
