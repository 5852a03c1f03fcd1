// Amazon Managed Service for Prometheus (API name amp, signing name aps): workspaces and their rule
// groups namespaces, as terraform's aws_prometheus_workspace and aws_prometheus_rule_group_namespace
// create them. Both become ACTIVE after a provisioning time on the simulated clock
// (`serve --timing amp_workspace_create_s=...`). Reached as ctx.state<amp::AmpBackend>().
#pragma once

#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve::amp {

struct RuleGroupsNamespace {
  std::string name, arn;
  std::string data;  // the rule file (Prometheus YAML), as given
  double created_s = 0, modified_s = 0, active_s = 0;
};

// A workspace's or namespace's status code at `now_s`: CREATING (UPDATING after a change) until its
// provisioning time has passed, then ACTIVE. A deleted workspace is gone at once here (no DELETING).
std::string status_code(double created_s, double modified_s, double active_s, double now_s);

struct Workspace {
  std::string id, arn, alias, kms_key_arn;
  double created_s = 0, active_s = 0;
  std::map<std::string, RuleGroupsNamespace> namespaces;  // by name
};

class AmpBackend {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  Workspace& create(const std::string& region, const std::string& alias, double now_s, double provisioning_s);
  // A workspace; ResourceNotFoundException when absent or deleted.
  Workspace& workspace(const std::string& id);
  std::vector<const Workspace*> all() const;
  void remove(const std::string& id);

  RuleGroupsNamespace& create_namespace(Workspace& w, const std::string& name, const std::string& data, double now_s,
                                        double provisioning_s);
  // A namespace; ResourceNotFoundException when absent.
  RuleGroupsNamespace& rule_namespace(Workspace& w, const std::string& name);

private:
  std::map<std::string, Workspace> workspaces_;  // by id, live ones only
  unsigned long long created_ = 0;
};

// Checks a rule groups namespace's data as the service does before accepting it: a Prometheus rule
// file (YAML with a top-level `groups:` list whose groups have a name and rules). Throws
// ValidationException naming what is wrong.
void check_rule_data(const std::string& yaml);

}  // namespace migsim::harness::serve::amp
