// STS (query protocol): GetCallerIdentity for the account every mock resource lives in. Stateless.
#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve {

// The account and identity LocalStack answers with by default.
inline constexpr const char* kAccountId = "000000000000";

// Registers the STS operations.
void register_sts(Registry& r)
{
  r.add("sts", "GetCallerIdentity", {}, [](const json&, ServeContext&) {
    return json{{"UserId", "AKIAIOSFODNN7EXAMPLE"},
                {"Account", kAccountId},
                {"Arn", std::string("arn:aws:iam::") + kAccountId + ":root"}};
  });
}

}  // namespace migsim::harness::serve
