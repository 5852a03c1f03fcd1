// The SSM wire layer (json 1.1, AmazonSSM.<Op>) over SsmBackend: GetParameter and PutParameter.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/ssm/backend.hpp"

#include <cmath>

namespace migsim::harness::serve {

void register_ssm_parameter_metadata(Registry& r);  // parameter_metadata.cpp

// Registers the SSM operations.
void register_ssm(Registry& r)
{
  register_ssm_parameter_metadata(r);
  r.add("ssm", "PutParameter", {"Name", "Value", "Type", "Overwrite", "Description", "DataType", "Tags"},
        [](const json& in, ServeContext& ctx) {
          SsmParameter p;
          p.region = ctx.state<SsmBackend>().region;
          p.name = in["Name"];
          p.value = in["Value"];
          p.type = in.value("Type", std::string("String"));
          p.description = in.value("Description", std::string());
          p.data_type = in.value("DataType", std::string("text"));
          if (in.contains("Tags") && in.value("Overwrite", false))
            throw AwsError("ValidationException", "Invalid request: tags and overwrite can't be used together. To create "
                                                  "a parameter with tags, please remove overwrite flag. To update tags for "
                                                  "an existing parameter, please use AddTagsToResource or "
                                                  "RemoveTagsFromResource.");
          if (in.contains("Tags"))
            ctx.state<Tags>().add(p.arn(), in["Tags"]);
          p.last_modified_epoch_s = std::floor(epoch_s(ctx.simulation.now()));
          const SsmParameter& stored = ctx.state<SsmBackend>().put(std::move(p), in.value("Overwrite", false), ctx);
          return json{{"Version", stored.version}, {"Tier", "Standard"}};
        });
  r.add("ssm", "GetParameter", {"Name", "WithDecryption"}, [](const json& in, ServeContext& ctx) {
    const SsmParameter& p = ctx.state<SsmBackend>().get(in["Name"]);
    const bool hide = p.type == "SecureString" && !in.value("WithDecryption", false);
    return json{{"Parameter",
                 {{"Name", p.name},
                  {"Type", p.type},
                  {"Value", hide ? p.ciphertext() : p.value},
                  {"Version", p.version},
                  {"LastModifiedDate", p.last_modified_epoch_s},
                  {"ARN", p.arn()},
                  {"DataType", p.data_type}}}};
  });
}

}  // namespace migsim::harness::serve
