// The Kubernetes API's object store without HTTP: resourceVersion and optimistic concurrency,
// generation, watches replayed from a resourceVersion, and the Status objects of its errors.
#include "harness/k8s/store.hpp"

#include <catch2/catch.hpp>

using namespace migsim::harness::k8s;
using nlohmann::json;

namespace {

const ResourceKey kCm{"", "configmaps"};
const ResourceKey kDeploy{"apps", "deployments"};

json cm(const std::string& name, const std::string& value)
{
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}, {"data", {{"k", value}}}};
}

int code_of(const std::function<void()>& fn)
{
  try {
    fn();
  } catch (const ApiError& e) {
    return e.code;
  }
  return 0;
}

}  // namespace

TEST_CASE("the store numbers every change with one resourceVersion and refuses stale updates", "[k8s]")
{
  Store s;
  const json a = s.create(kCm, "default", cm("a", "1"), "2025-01-01T00:00:00Z");
  const std::string rv1 = a["metadata"]["resourceVersion"];
  CHECK(a["metadata"]["namespace"] == "default");
  CHECK(a["metadata"]["generation"] == 1);
  CHECK(a["metadata"]["creationTimestamp"] == "2025-01-01T00:00:00Z");
  CHECK(code_of([&] { s.create(kCm, "default", cm("a", "2"), "x"); }) == 409);  // AlreadyExists
  CHECK(s.create(kCm, "other", cm("a", "1"), "x")["metadata"]["name"] == "a");  // another namespace

  json next = a;
  next["data"]["k"] = "2";
  const json b = s.update(kCm, "default", next);
  CHECK(std::stoull(b["metadata"]["resourceVersion"].get<std::string>()) > std::stoull(rv1));
  CHECK(b["metadata"]["uid"] == a["metadata"]["uid"]);
  CHECK(b["metadata"]["generation"] == 2);  // data is not metadata or status: a new generation

  // The same update again carries the old resourceVersion: 409 Conflict.
  try {
    s.update(kCm, "default", next);
    FAIL("a stale update was accepted");
  } catch (const ApiError& e) {
    CHECK(e.code == 409);
    CHECK(e.reason == "Conflict");
    CHECK(std::string(e.what()) == "Operation cannot be fulfilled on configmaps \"a\": the object has been modified; "
                                   "please apply your changes to the latest version and try again");
    const json st = status_json(e);
    CHECK(st["kind"] == "Status");
    CHECK(st["details"]["name"] == "a");
  }
  // Without a resourceVersion the update is unconditional; an unchanged object makes no new version.
  json same = b;
  same["metadata"].erase("resourceVersion");
  CHECK(s.update(kCm, "default", same)["metadata"]["resourceVersion"] == b["metadata"]["resourceVersion"]);
  // A status-only change keeps the generation.
  json d = s.create(kDeploy, "default", {{"metadata", {{"name", "web"}}}, {"spec", {{"replicas", 1}}}}, "x");
  d["status"] = {{"replicas", 1}};
  CHECK(s.update(kDeploy, "default", d)["metadata"]["generation"] == 1);

  CHECK(code_of([&] { s.remove(kCm, "default", "missing"); }) == 404);
  CHECK(s.list(kCm, "").size() == 2);
  CHECK(s.list(kCm, "default").size() == 1);
}

TEST_CASE("a watch replays the changes after its resourceVersion, then follows; too old is 410", "[k8s]")
{
  Store s;
  const json a = s.create(kCm, "default", cm("a", "1"), "x");
  const uint64_t after_a = std::stoull(a["metadata"]["resourceVersion"].get<std::string>());
  s.create(kCm, "default", cm("b", "1"), "x");
  s.create(kCm, "other", cm("c", "1"), "x");

  std::vector<std::string> seen;
  const int id = s.watch(kCm, "default", after_a, [&](const WatchEvent& e) {
    seen.push_back(e.type + " " + e.object["metadata"]["name"].get<std::string>());
  });
  CHECK(seen == std::vector<std::string>{"ADDED b"});  // replayed; c is in another namespace
  s.remove(kCm, "default", "a");
  s.create(kDeploy, "default", {{"metadata", {{"name", "web"}}}}, "x");  // another resource
  CHECK(seen == std::vector<std::string>{"ADDED b", "DELETED a"});
  s.unwatch(id);
  s.create(kCm, "default", cm("d", "1"), "x");
  CHECK(seen.size() == 2);
  CHECK(s.watchers() == 0);

  // Push the first changes out of the history: a watch from there is Expired (410).
  for (size_t i = 0; i < Store::kHistory + 1; ++i)
    s.create(kCm, "bulk", cm("n" + std::to_string(i), "1"), "x");
  CHECK(code_of([&] { s.watch(kCm, "", after_a, [](const WatchEvent&) {}); }) == 410);
}

TEST_CASE("Status objects name the object as the API server does", "[k8s]")
{
  CHECK(std::string(not_found("deployments", "apps", "web").what()) == "deployments.apps \"web\" not found");
  CHECK(std::string(already_exists("configmaps", "", "c").what()) == "configmaps \"c\" already exists");
  const ApiError e = invalid("Deployment", "apps", "web",
                             {{"FieldValueRequired", "Required value", "spec.selector"},
                              {"FieldValueRequired", "Required value", "spec.template.spec.containers"}});
  CHECK(e.code == 422);
  CHECK(std::string(e.what()) ==
        "Deployment.apps \"web\" is invalid: [spec.selector: Required value, spec.template.spec.containers: Required value]");
  const json st = status_json(e);
  CHECK(st["reason"] == "Invalid");
  CHECK(st["details"]["causes"].size() == 2);
  CHECK(st["details"]["causes"][0]["field"] == "spec.selector");
}
