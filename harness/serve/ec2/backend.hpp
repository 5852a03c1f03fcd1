// EC2 launch templates of `migsim serve` (in memory, reached as ctx.state<Ec2Backend>()): templates
// with numbered versions, a default and a latest version, looked up by id or name as EC2 does, with
// EC2's error codes (InvalidLaunchTemplateName.AlreadyExistsException, InvalidLaunchTemplateId.NotFound,
// InvalidLaunchTemplateId.VersionNotFound ...). Auto Scaling groups created through the API launch
// from them (autoscaling/created_groups.cpp). Values are botocore member names (boto3 dicts).
#pragma once

#include "harness/aws/protocol/codec.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve {

// One version of a launch template: its LaunchTemplateData as given (RequestLaunchTemplateData,
// whose members ResponseLaunchTemplateData shares).
struct LaunchTemplateVersion {
  int64_t number = 1;
  std::string description;
  nlohmann::json data = nlohmann::json::object();
  double created_s = 0;  // simulated
};

// A launch template.
struct LaunchTemplate {
  std::string id;    // lt-0123456789abcdef0 (17 hex digits)
  std::string name;
  double created_s = 0;
  int64_t default_version = 1;
  nlohmann::json tags = nlohmann::json::array();  // [{Key, Value}]
  std::vector<LaunchTemplateVersion> versions;    // by number, 1..latest
  int64_t latest() const { return versions.empty() ? 0 : versions.back().number; }
};

// The launch templates of the server.
class Ec2Backend {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  // CreateLaunchTemplate; throws AlreadyExists / Malformed name.
  LaunchTemplate& create(const std::string& name, const nlohmann::json& data, const std::string& description,
                         const nlohmann::json& tags, double now_s);
  // CreateLaunchTemplateVersion: `source` ("" = none) gives the data the new one starts from, `data`
  // replaces its top-level members, as EC2 does.
  LaunchTemplateVersion& add_version(LaunchTemplate& t, const nlohmann::json& data, const std::string& description,
                                     const std::string& source, double now_s);
  // The template an input names by LaunchTemplateId or LaunchTemplateName (exactly one of them);
  // throws the EC2 error for a missing, malformed or unknown one.
  LaunchTemplate& named(const nlohmann::json& in);
  // By id / by name; nullptr when none.
  LaunchTemplate* by_id(const std::string& id);
  LaunchTemplate* by_name(const std::string& name);
  // A version of a template: "$Latest", "$Default" or a number; throws VersionNotFound.
  LaunchTemplateVersion& version(LaunchTemplate& t, const std::string& which);
  // DeleteLaunchTemplate (returns the deleted template).
  LaunchTemplate remove(LaunchTemplate& t);
  // Every template, in creation order.
  std::vector<LaunchTemplate*> all();

private:
  std::map<std::string, LaunchTemplate> by_id_;
  std::vector<std::string> order_;
  uint64_t next_ = 1;
};

// The botocore LaunchTemplate output of a template; the LaunchTemplateVersion output of a version.
nlohmann::json launch_template_json(const LaunchTemplate& t);
nlohmann::json launch_template_version_json(const LaunchTemplate& t, const LaunchTemplateVersion& v);

}  // namespace migsim::harness::serve
