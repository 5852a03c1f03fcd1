// SSM parameters beyond Get/Put, as the terraform AWS provider drives them: DescribeParameters
// (Name, Type, DataType filters), GetParameters, DeleteParameter and parameter tags.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/ssm/backend.hpp"

#include <algorithm>

namespace migsim::harness::serve {

namespace {

json parameter_metadata(const SsmParameter& p)
{
  json m = {{"Name", p.name},
            {"ARN", p.arn()},
            {"Type", p.type},
            {"LastModifiedDate", p.last_modified_epoch_s},
            {"LastModifiedUser", "arn:aws:iam::000000000000:root"},
            {"Version", p.version},
            {"Tier", "Standard"},
            {"Policies", json::array()},
            {"DataType", p.data_type}};
  if (!p.description.empty())
    m["Description"] = p.description;
  return m;
}

const SsmParameter& ssm_tagged(ServeContext& ctx, const json& in)
{
  if (in.value("ResourceType", std::string()) != "Parameter")
    throw AwsError("InvalidResourceType", "migsim tags SSM parameters only (ResourceType Parameter)", 400);
  try {
    return ctx.state<SsmBackend>().get(in["ResourceId"]);
  } catch (const AwsError&) {
    throw AwsError("InvalidResourceId", "The resource ID \"" + in["ResourceId"].get<std::string>() + "\" is not valid. "
                                        "Verify the ID and try again.", 400);
  }
}

}  // namespace

void register_ssm_parameter_metadata(Registry& r)
{
  r.add("ssm", "DescribeParameters", {"ParameterFilters", "Filters", "MaxResults"}, [](const json& in, ServeContext& ctx) {
    json out = json::array();
    for (const auto& [name, p] : ctx.state<SsmBackend>().parameters()) {
      bool keep = true;
      for (const auto& f : in.value("ParameterFilters", json::array())) {
        const std::string key = f.value("Key", std::string());
        const std::string option = f.value("Option", std::string("Equals"));
        const auto values = strings(f, "Values");
        bool any = values.empty();
        for (const auto& v : values) {
          const std::string have = key == "Name" ? p.name : key == "Type" ? p.type : key == "DataType" ? p.data_type : "";
          if (key != "Name" && key != "Type" && key != "DataType")
            throw AwsError("InvalidFilterKey", "The filter key " + key + " is not supported by migsim", 400);
          any = any || (option == "BeginsWith" ? have.rfind(v, 0) == 0
                                               : option == "Contains" ? have.find(v) != std::string::npos : have == v);
        }
        keep = keep && any;
      }
      if (keep)
        out.push_back(parameter_metadata(p));
    }
    return json{{"Parameters", out}};
  });
  r.add("ssm", "GetParameters", {"Names", "WithDecryption"}, [](const json& in, ServeContext& ctx) {
    json found = json::array(), invalid = json::array();
    for (const auto& name : strings(in, "Names")) {
      const auto& all = ctx.state<SsmBackend>().parameters();
      auto it = all.find(name);
      if (it == all.end()) {
        invalid.push_back(name);
        continue;
      }
      const auto& p = it->second;
      const bool hide = p.type == "SecureString" && !in.value("WithDecryption", false);
      found.push_back({{"Name", p.name}, {"Type", p.type}, {"Value", hide ? std::string("****") : p.value},
                       {"Version", p.version}, {"LastModifiedDate", p.last_modified_epoch_s}, {"ARN", p.arn()},
                       {"DataType", p.data_type}});
    }
    return json{{"Parameters", found}, {"InvalidParameters", invalid}};
  });
  r.add("ssm", "DeleteParameter", {"Name"}, [](const json& in, ServeContext& ctx) {
    const std::string name = in["Name"];
    const std::string arn = ctx.state<SsmBackend>().get(name).arn();
    ctx.state<SsmBackend>().remove(name);
    ctx.state<Tags>().forget(arn);
    return json::object();
  });
  TagOperations tags;
  tags.resource = [](ServeContext& ctx, const json& in) { return ssm_tagged(ctx, in).arn(); };
  tags.list_member = "TagList";
  r.add("ssm", "AddTagsToResource", {"ResourceType", "ResourceId", "Tags"}, tag_resource(tags));
  r.add("ssm", "RemoveTagsFromResource", {"ResourceType", "ResourceId", "TagKeys"}, untag_resource(tags));
  r.add("ssm", "ListTagsForResource", {"ResourceType", "ResourceId"}, list_tags(tags));
}

}  // namespace migsim::harness::serve
