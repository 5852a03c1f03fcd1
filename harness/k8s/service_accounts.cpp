#include "harness/k8s/service_accounts.hpp"

namespace migsim::harness::k8s {

void advance_service_accounts(Store& store, double now_s, const std::function<std::string(double)>& iso)
{
  const ResourceKey accounts{"", "serviceaccounts"};
  for (const json& ns : store.list({"", "namespaces"}, "")) {
    const std::string name = ns["metadata"].value("name", "");
    if (!store.get(accounts, name, "default"))
      store.create(accounts, name,
                   {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", {{"name", "default"}, {"namespace", name}}}},
                   iso(now_s));
  }
}

}  // namespace migsim::harness::k8s
