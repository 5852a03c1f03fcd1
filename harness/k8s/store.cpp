#include "harness/k8s/store.hpp"

#include <cstdio>

namespace migsim::harness::k8s {

namespace {

std::string name_of(const json& obj) { return obj.value("metadata", json::object()).value("name", ""); }

// A deterministic, UUID-shaped uid from the resourceVersion the object was created at.
std::string uid_for(uint64_t rv)
{
  char buf[40];
  std::snprintf(buf, sizeof buf, "6b3c0000-0000-4000-8000-%012llx", static_cast<unsigned long long>(rv));
  return buf;
}

json without_meta_and_status(json obj)
{
  if (obj.is_object()) {
    obj.erase("metadata");
    obj.erase("status");
  }
  return obj;
}

}  // namespace

bool same_spec(const json& a, const json& b) { return without_meta_and_status(a) == without_meta_and_status(b); }

std::optional<json> Store::get(const ResourceKey& r, const std::string& ns, const std::string& name) const
{
  auto res = objects_.find(r.id());
  if (res == objects_.end())
    return std::nullopt;
  auto it = res->second.find({ns, name});
  if (it == res->second.end())
    return std::nullopt;
  return it->second;
}

std::vector<json> Store::list(const ResourceKey& r, const std::string& ns) const
{
  std::vector<json> out;
  auto res = objects_.find(r.id());
  if (res == objects_.end())
    return out;
  for (const auto& [key, obj] : res->second)
    if (ns.empty() || key.first == ns)
      out.push_back(obj);
  return out;
}

json Store::create(const ResourceKey& r, const std::string& ns, json obj, const std::string& now_iso)
{
  const std::string name = name_of(obj);
  auto& objs = objects_[r.id()];
  if (objs.count({ns, name}))
    throw already_exists(r.plural, r.group, name);
  ++rv_;
  json& meta = obj["metadata"];
  if (!ns.empty())
    meta["namespace"] = ns;
  meta["uid"] = uid_for(rv_);
  meta["resourceVersion"] = std::to_string(rv_);
  meta["creationTimestamp"] = now_iso;
  meta["generation"] = 1;
  objs[{ns, name}] = obj;
  emit({"ADDED", r.id(), ns, obj, rv_});
  return obj;
}

json Store::update(const ResourceKey& r, const std::string& ns, json obj)
{
  const std::string name = name_of(obj);
  auto& objs = objects_[r.id()];
  auto it = objs.find({ns, name});
  if (it == objs.end())
    throw not_found(r.plural, r.group, name);
  const json& old = it->second;
  json& meta = obj["metadata"];
  const std::string sent_rv = meta.value("resourceVersion", "");
  if (!sent_rv.empty() && sent_rv != old["metadata"].value("resourceVersion", ""))
    throw conflict(r.plural, r.group, name);
  for (const char* kept : {"uid", "creationTimestamp"})
    meta[kept] = old["metadata"][kept];
  if (!ns.empty())
    meta["namespace"] = ns;
  const int64_t generation = old["metadata"].value("generation", int64_t{1});
  meta["generation"] = same_spec(old, obj) ? generation : generation + 1;
  json probe = obj;
  probe["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"];
  if (probe == old)
    return old;  // nothing changed: no new version, no event (as the API server does)
  ++rv_;
  meta["resourceVersion"] = std::to_string(rv_);
  it->second = obj;
  emit({"MODIFIED", r.id(), ns, obj, rv_});
  return obj;
}

json Store::remove(const ResourceKey& r, const std::string& ns, const std::string& name)
{
  auto& objs = objects_[r.id()];
  auto it = objs.find({ns, name});
  if (it == objs.end())
    throw not_found(r.plural, r.group, name);
  json obj = it->second;
  objs.erase(it);
  ++rv_;
  obj["metadata"]["resourceVersion"] = std::to_string(rv_);
  emit({"DELETED", r.id(), ns, obj, rv_});
  return obj;
}

int Store::watch(const ResourceKey& r, const std::string& ns, uint64_t from_rv, Watcher w)
{
  if (from_rv && from_rv < oldest_rv_)
    throw ApiError(410, "Expired", "too old resource version: " + std::to_string(from_rv) + " (" +
                                       std::to_string(oldest_rv_) + ")");
  const std::string id = r.id();
  if (from_rv)
    for (const auto& e : history_)
      if (e.rv > from_rv && e.resource == id && (ns.empty() || e.ns == ns))
        w(e);
  watchers_[next_watch_] = {id, ns, std::move(w)};
  return next_watch_++;
}

void Store::unwatch(int id) { watchers_.erase(id); }

void Store::emit(WatchEvent e)
{
  history_.push_back(e);
  if (history_.size() > kHistory) {
    oldest_rv_ = history_.front().rv;
    history_.pop_front();
  }
  std::vector<Watcher> targets;  // a watcher may unwatch (or watch) while called
  for (const auto& [id, s] : watchers_)
    if (s.resource == e.resource && (s.ns.empty() || s.ns == e.ns))
      targets.push_back(s.fn);
  for (const auto& fn : targets)
    fn(e);
}

}  // namespace migsim::harness::k8s
