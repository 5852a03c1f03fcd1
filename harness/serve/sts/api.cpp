// STS (query protocol): GetCallerIdentity for the account every mock resource lives in. Stateless.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

namespace migsim::harness::serve {

// Registers the STS operations.
void register_sts(Registry& r)
{
  r.add("sts", "GetCallerIdentity", {}, [](const json&, ServeContext&) {
    return json{{"UserId", "AKIAIOSFODNN7EXAMPLE"},
                {"Account", kAccountId},
                {"Arn", arn_in("", "iam", "root")}};
  });
}

}  // namespace migsim::harness::serve
