#include "harness/serve/amp/backend.hpp"

#include "harness/serve/core/errors.hpp"
#include "harness/serve/core/platform_ids.hpp"
#include "harness/serve/core/resource.hpp"

#include <regex>
#include <sstream>

namespace migsim::harness::serve::amp {

Workspace& AmpBackend::create(const std::string& region, const std::string& alias, double now_s, double provisioning_s)
{
  if (alias.size() > 100)
    throw errors::validation("alias must be at most 100 characters");
  Workspace w;
  w.id = "ws-" + platform::uuid_id(0xa3, ++created_);
  w.arn = arn_in(region, "aps", "workspace/" + w.id);
  w.alias = alias;
  w.created_s = now_s;
  w.active_s = now_s + provisioning_s;
  return workspaces_[w.id] = std::move(w);
}

Workspace& AmpBackend::workspace(const std::string& id)
{
  auto it = workspaces_.find(id);
  if (it == workspaces_.end())
    throw errors::not_found("Workspace not found: " + id, "ResourceNotFoundException");
  return it->second;
}

std::vector<const Workspace*> AmpBackend::all() const
{
  std::vector<const Workspace*> out;
  for (const auto& [_, w] : workspaces_)
    out.push_back(&w);
  return out;
}

void AmpBackend::remove(const std::string& id)
{
  workspace(id);
  workspaces_.erase(id);
}

std::string status_code(double created_s, double modified_s, double active_s, double now_s)
{
  if (now_s >= active_s)
    return "ACTIVE";
  return modified_s > created_s ? "UPDATING" : "CREATING";
}

RuleGroupsNamespace& AmpBackend::create_namespace(Workspace& w, const std::string& name, const std::string& data,
                                                  double now_s, double provisioning_s)
{
  if (name.empty() || name.size() > 64)
    throw errors::validation("name must be 1-64 characters");
  if (w.namespaces.count(name))
    throw aws::AwsError("ConflictException", "A rule groups namespace named " + name + " already exists", 409);
  check_rule_data(data);
  RuleGroupsNamespace n{name, w.arn.substr(0, w.arn.find(":workspace/")) + ":rulegroupsnamespace/" + w.id + "/" + name,
                        data, now_s, now_s, now_s + provisioning_s};
  return w.namespaces[name] = std::move(n);
}

RuleGroupsNamespace& AmpBackend::rule_namespace(Workspace& w, const std::string& name)
{
  auto it = w.namespaces.find(name);
  if (it == w.namespaces.end())
    throw errors::not_found("Rule groups namespace not found: " + name, "ResourceNotFoundException");
  return it->second;
}

void check_rule_data(const std::string& yaml)
{
  // Not a YAML parser: the shape a rule file has at the start of its lines is enough to refuse what
  // is not one (the service runs Prometheus's own loader; `migsim alerts` runs promtool on it).
  static const std::regex groups_key(R"(^groups:\s*(#.*)?$)");
  static const std::regex group_name(R"(^\s*-\s*name:\s*\S)");
  static const std::regex rule(R"(^\s*-?\s*(alert|record):\s*\S)");
  std::istringstream in(yaml);
  std::string line;
  bool groups = false, named = false, rules = false;
  while (std::getline(in, line)) {
    groups = groups || std::regex_search(line, groups_key);
    named = named || (groups && std::regex_search(line, group_name));
    rules = rules || (named && std::regex_search(line, rule));
  }
  if (!groups)
    throw errors::validation("data is not a Prometheus rule file: no top-level 'groups:' list");
  if (!named || !rules)
    throw errors::validation("data is not a Prometheus rule file: each group needs a name and alert or record rules");
}

}  // namespace migsim::harness::serve::amp
