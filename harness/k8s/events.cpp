#include "harness/k8s/events.hpp"

#include <cstdio>

namespace migsim::harness::k8s {

namespace {

using nlohmann::json;

const ResourceKey kEvents{"", "events"};

std::string hex16(const std::string& s)
{
  uint64_t h = 1469598103934665603ull;  // FNV-1a: the same key gives the same name in every run
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

json object_reference(const json& obj)
{
  const json meta = obj.value("metadata", json::object());
  json ref = {{"apiVersion", obj.value("apiVersion", "")}, {"kind", obj.value("kind", "")}, {"name", meta.value("name", "")}};
  if (meta.contains("namespace"))
    ref["namespace"] = meta["namespace"];
  if (meta.contains("uid"))
    ref["uid"] = meta["uid"];
  if (meta.contains("resourceVersion"))
    ref["resourceVersion"] = meta["resourceVersion"];
  return ref;
}

void EventRecorder::record(Store& store, const json& involved, bool warning, const std::string& reason, const std::string& message,
                           const EventSource& source, double t_s, const std::function<std::string(double)>& iso)
{
  const std::string ns = involved.value("namespace", "default");
  const std::string key = ns + "/" + involved.value("kind", "") + "/" + involved.value("name", "") + "/" + reason + "/" + message;
  const std::string when = iso(t_s);
  auto known = names_.find(key);
  if (known != names_.end())
    if (auto live = store.get(kEvents, ns, known->second)) {
      json next = *live;
      next["count"] = next.value("count", 1) + 1;
      next["lastTimestamp"] = when;
      next["metadata"].erase("resourceVersion");
      store.update(kEvents, ns, next);
      return;
    }
  const std::string name = involved.value("name", "") + "." + hex16(key + "@" + when);
  names_[key] = name;
  json ev = {{"apiVersion", "v1"}, {"kind", "Event"},
             {"metadata", {{"name", name}, {"namespace", ns}}},
             {"involvedObject", involved},
             {"reason", reason},
             {"message", message},
             {"source", source.host.empty() ? json{{"component", source.component}}
                                            : json{{"component", source.component}, {"host", source.host}}},
             {"firstTimestamp", when},
             {"lastTimestamp", when},
             {"count", 1},
             {"type", warning ? "Warning" : "Normal"},
             {"eventTime", nullptr},
             {"reportingComponent", source.component},
             {"reportingInstance", source.host}};
  if (!store.get(kEvents, ns, name))
    store.create(kEvents, ns, ev, when);
}

}  // namespace migsim::harness::k8s
