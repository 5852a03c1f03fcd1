// An Application Load Balancer: its Availability Zones, one HTTP listener whose rules forward by
// path pattern to target groups (evaluated by priority, lowest first; the default action last),
// and the target groups themselves (target_group.hpp). Cross-zone load balancing is always on for
// an ALB: a target group's targets in every zone share its requests.
#pragma once

#include "models/alb/target_group.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace migsim::models::alb {

// A listener rule: path-pattern condition(s) forwarding to a target group.
struct Rule {
  int priority = 1;                        // 1-50000, unique per listener
  std::vector<std::string> path_patterns;  // case-sensitive, '*' any run of characters, '?' one character
  std::string target_group;
};

struct Listener {
  int port = 80;
  std::string protocol = "HTTP";
  std::vector<Rule> rules;                 // kept sorted by priority
  std::string default_target_group;
};

// ALB path-pattern matching: '*' matches any run of characters (including '/'), '?' exactly one.
bool path_matches(const std::string& pattern, const std::string& path);

class LoadBalancer {
public:
  LoadBalancer(std::string name, std::vector<std::string> azs, Clock& clock);

  TargetGroup& add_target_group(TargetGroupSpec spec);
  // Adds a rule (throws std::invalid_argument on a duplicate priority or an unknown target group).
  void add_rule(Rule rule);
  void set_default(const std::string& target_group);
  // The target group a request for `path` is forwarded to: the first matching rule by priority,
  // else the default action.
  const std::string& route(const std::string& path) const;
  // Which rule matched (its priority), 0 for the default action.
  int matched_priority(const std::string& path) const;

  const std::string& name() const { return name_; }
  const std::vector<std::string>& azs() const { return azs_; }
  const Listener& listener() const { return listener_; }
  TargetGroup& target_group(const std::string& name);
  const std::map<std::string, std::unique_ptr<TargetGroup>>& target_groups() const { return groups_; }

private:
  std::string name_;
  std::vector<std::string> azs_;
  Clock& clock_;
  Listener listener_;
  std::map<std::string, std::unique_ptr<TargetGroup>> groups_;
};

}  // namespace migsim::models::alb
