// The objects of one cluster's Kubernetes API: by resource ("apps/deployments", "/configmaps"),
// namespace and name, with one resourceVersion counter for the whole store (as etcd's revision),
// optimistic concurrency on update (a stale metadata.resourceVersion is a 409 Conflict), generation
// bumped when anything but metadata and status changes, and watchers that receive every change
// (replayed from a resourceVersion still in the recent history, else 410 Gone).
#pragma once

#include "harness/k8s/status.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace migsim::harness::k8s {

using nlohmann::json;

// A resource's identity in the store and in messages.
struct ResourceKey {
  std::string group;   // "" for the core group
  std::string plural;  // deployments
  std::string id() const { return group + "/" + plural; }
};

// One change, as a watch reports it.
struct WatchEvent {
  std::string type;  // ADDED, MODIFIED, DELETED
  std::string resource;  // ResourceKey::id()
  std::string ns;
  json object;
  uint64_t rv = 0;
};

class Store {
public:
  using Watcher = std::function<void(const WatchEvent&)>;

  // The object, or nullopt.
  std::optional<json> get(const ResourceKey& r, const std::string& ns, const std::string& name) const;
  // Every object of a resource in a namespace ("" for all, and for cluster-scoped ones), by name.
  std::vector<json> list(const ResourceKey& r, const std::string& ns) const;
  // Stores a new object: uid, resourceVersion, creationTimestamp (ISO 8601 `now_iso`), generation 1.
  // 409 AlreadyExists when the name is taken.
  json create(const ResourceKey& r, const std::string& ns, json obj, const std::string& now_iso);
  // Replaces an object. 404 when it does not exist; 409 Conflict when obj carries a
  // metadata.resourceVersion that is not the stored one. uid and creationTimestamp are kept.
  json update(const ResourceKey& r, const std::string& ns, json obj);
  // Removes an object; returns it (404 when absent).
  json remove(const ResourceKey& r, const std::string& ns, const std::string& name);
  // The store's current resourceVersion.
  uint64_t resource_version() const { return rv_; }

  // Calls `w` for every change of resource `r` (in namespace `ns`, "" for all) after `from_rv`:
  // first the recent changes still in the history, then each new one. 410 Gone when from_rv is
  // older than the history. Returns an id for unwatch.
  int watch(const ResourceKey& r, const std::string& ns, uint64_t from_rv, Watcher w);
  void unwatch(int id);
  size_t watchers() const { return watchers_.size(); }

  // How many changes a watch can be replayed from (older ones answer 410 Gone).
  static constexpr size_t kHistory = 4096;

private:
  struct Sub {
    std::string resource, ns;
    Watcher fn;
  };
  void emit(WatchEvent e);
  std::map<std::string, std::map<std::pair<std::string, std::string>, json>> objects_;
  uint64_t rv_ = 1;
  uint64_t oldest_rv_ = 1;  // the history holds every change after this
  std::deque<WatchEvent> history_;
  std::map<int, Sub> watchers_;
  int next_watch_ = 1;
};

// Whether two objects differ only in metadata and status (the generation stays).
bool same_spec(const json& a, const json& b);

}  // namespace migsim::harness::k8s
