// libFuzzer target: the SigV4 Authorization parser and verifier of `serve --enforce-sigv4`. Input:
// the Authorization header value, then (after a newline) the X-Amz-Date value, then the body.
#include "harness/aws/client/sigv4_verify.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  using namespace migsim::aws::sigv4;
  const std::string in(reinterpret_cast<const char*>(data), size);
  const auto nl = in.find('\n');
  const std::string auth = in.substr(0, nl);
  std::string date, body;
  if (nl != std::string::npos) {
    const auto nl2 = in.find('\n', nl + 1);
    date = in.substr(nl + 1, nl2 == std::string::npos ? std::string::npos : nl2 - nl - 1);
    body = nl2 == std::string::npos ? "" : in.substr(nl2 + 1);
  }
  (void)parse_authorization(auth);
  ReceivedRequest req{"POST", "/", "", {{"Host", "127.0.0.1"}, {"X-Amz-Date", date}, {"Authorization", auth}}, body};
  const SecretLookup secrets = [](const std::string& id) -> std::optional<std::string> {
    if (id == "AKIDEXAMPLE")
      return std::string("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    return std::nullopt;
  };
  (void)verify_request(req, secrets, std::chrono::system_clock::from_time_t(1440938160));
  return 0;
}
