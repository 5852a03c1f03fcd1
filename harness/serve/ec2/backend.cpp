#include "harness/serve/ec2/backend.hpp"

#include "harness/serve/core/serve_context.hpp"

#include <cstdio>

namespace migsim::harness::serve {

using nlohmann::json;
using aws::AwsError;

namespace {

// EC2's rule for launch template names: 3 to 128 of letters, digits and - ( ) . / _.
bool valid_name(const std::string& n)
{
  if (n.size() < 3 || n.size() > 128)
    return false;
  for (char c : n)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string("-()./_").find(c) == std::string::npos)
      return false;
  return true;
}

std::string str_of(const json& in, const char* key)
{
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

LaunchTemplate& Ec2Backend::create(const std::string& name, const json& data, const std::string& description,
                                   const json& tags, double now_s)
{
  if (!valid_name(name))
    throw AwsError("InvalidLaunchTemplateName.MalformedException",
                   "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, "
                   "and the following characters: - ( ) . / _.'");
  if (by_name(name))
    throw AwsError("InvalidLaunchTemplateName.AlreadyExistsException",
                   "Launch template name already in use.");
  char id[32];
  std::snprintf(id, sizeof id, "lt-%017llx", static_cast<unsigned long long>(0x0a5170000000000ULL + next_++));
  LaunchTemplate t;
  t.id = id;
  t.name = name;
  t.created_s = now_s;
  t.tags = tags.is_array() ? tags : json::array();
  t.versions.push_back({1, description, data.is_object() ? data : json::object(), now_s});
  order_.push_back(t.id);
  return by_id_[t.id] = std::move(t);
}

LaunchTemplateVersion& Ec2Backend::add_version(LaunchTemplate& t, const json& data, const std::string& description,
                                               const std::string& source, double now_s)
{
  json merged = json::object();
  if (!source.empty())
    merged = version(t, source).data;
  for (const auto& [k, v] : data.items())
    merged[k] = v;
  t.versions.push_back({t.latest() + 1, description, merged, now_s});
  return t.versions.back();
}

LaunchTemplate* Ec2Backend::by_id(const std::string& id)
{
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

LaunchTemplate* Ec2Backend::by_name(const std::string& name)
{
  for (auto& [_, t] : by_id_)
    if (t.name == name)
      return &t;
  return nullptr;
}

LaunchTemplate& Ec2Backend::named(const json& in)
{
  const std::string id = str_of(in, "LaunchTemplateId"), name = str_of(in, "LaunchTemplateName");
  if (id.empty() && name.empty())
    throw AwsError("MissingParameter", "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
  if (!id.empty() && !name.empty())
    throw AwsError("InvalidParameterCombination",
                   "Both the launch template ID and the launch template name are specified: specify one of them");
  if (!id.empty()) {
    if (id.rfind("lt-", 0) != 0)
      throw AwsError("InvalidLaunchTemplateId.Malformed",
                     "The specified ID for the launch template, " + id + ", is not valid. The ID must be in the form lt-xxxxxxxxxxxxxxxxx.");
    if (auto* t = by_id(id))
      return *t;
    throw AwsError("InvalidLaunchTemplateId.NotFound",
                   "The specified launch template, with template ID " + id + ", does not exist.");
  }
  if (auto* t = by_name(name))
    return *t;
  throw AwsError("InvalidLaunchTemplateName.NotFoundException",
                 "The specified launch template, with template name " + name + ", does not exist.");
}

LaunchTemplateVersion& Ec2Backend::version(LaunchTemplate& t, const std::string& which)
{
  int64_t n = -1;
  if (which == "$Latest")
    n = t.latest();
  else if (which == "$Default")
    n = t.default_version;
  else {
    try {
      size_t used = 0;
      n = std::stoll(which, &used);
      if (used != which.size())
        n = -1;
    } catch (const std::exception&) {
      n = -1;
    }
    if (n < 1)
      throw AwsError("InvalidLaunchTemplateId.VersionNotFound",
                     "The version '" + which + "' is not valid: a launch template version is a number, $Latest or $Default.");
  }
  for (auto& v : t.versions)
    if (v.number == n)
      return v;
  throw AwsError("InvalidLaunchTemplateId.VersionNotFound",
                 "Could not find launch template version " + std::to_string(n) + " for launch template " + t.id + ".");
}

LaunchTemplate Ec2Backend::remove(LaunchTemplate& t)
{
  LaunchTemplate out = t;
  std::erase(order_, t.id);
  by_id_.erase(out.id);
  return out;
}

std::vector<LaunchTemplate*> Ec2Backend::all()
{
  std::vector<LaunchTemplate*> out;
  for (const auto& id : order_)
    out.push_back(&by_id_.at(id));
  return out;
}

json launch_template_json(const LaunchTemplate& t)
{
  json out = {{"LaunchTemplateId", t.id},
              {"LaunchTemplateName", t.name},
              {"CreateTime", epoch_s(t.created_s)},
              {"CreatedBy", "arn:aws:iam::000000000000:root"},
              {"DefaultVersionNumber", t.default_version},
              {"LatestVersionNumber", t.latest()}};
  if (!t.tags.empty())
    out["Tags"] = t.tags;
  return out;
}

json launch_template_version_json(const LaunchTemplate& t, const LaunchTemplateVersion& v)
{
  json out = {{"LaunchTemplateId", t.id},
              {"LaunchTemplateName", t.name},
              {"VersionNumber", v.number},
              {"CreateTime", epoch_s(v.created_s)},
              {"CreatedBy", "arn:aws:iam::000000000000:root"},
              {"DefaultVersion", v.number == t.default_version},
              {"LaunchTemplateData", v.data}};
  if (!v.description.empty())
    out["VersionDescription"] = v.description;
  return out;
}

}  // namespace migsim::harness::serve
