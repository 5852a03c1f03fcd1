// Secrets Manager's operation table (json 1.1): decoded input -> SecretsBackend -> output.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/secretsmanager/backend.hpp"

namespace migsim::harness::serve {

namespace {

using secretsmanager::SecretsBackend;

SecretsBackend& be(ServeContext& ctx)
{
  auto& b = ctx.state<SecretsBackend>();
  b.expire(ctx.simulation.now());
  return b;
}
std::string str(const json& in, const char* k) { return in.value(k, std::string()); }

json stages_json(const secretsmanager::SecretVersion& v) { return json(std::vector<std::string>(v.stages.begin(), v.stages.end())); }

json describe(ServeContext& ctx, const secretsmanager::Secret& s)
{
  json versions = json::object();
  for (const auto& v : s.versions)
    versions[v.id] = stages_json(v);
  json j = {{"ARN", s.arn},
            {"Name", s.name},
            {"RotationEnabled", false},
            {"LastChangedDate", epoch_s(s.changed_s)},
            {"CreatedDate", epoch_s(s.created_s)},
            {"VersionIdsToStages", versions},
            {"PrimaryRegion", arn_region(s.arn)}};
  if (!s.description.empty())
    j["Description"] = s.description;
  if (!s.kms_key_id.empty())
    j["KmsKeyId"] = s.kms_key_id;
  if (!ctx.state<Tags>().of(s.arn).empty())
    j["Tags"] = ctx.state<Tags>().list(s.arn);
  if (s.scheduled_for_deletion())
    j["DeletedDate"] = epoch_s(s.deletion_s);
  return j;
}

json version_out(const secretsmanager::Secret& s, const secretsmanager::SecretVersion& v)
{
  return {{"ARN", s.arn}, {"Name", s.name}, {"VersionId", v.id}, {"VersionStages", stages_json(v)}};
}

std::set<std::string> stage_set(const json& in)
{
  std::set<std::string> out;
  for (const auto& s : in.value("VersionStages", json::array()))
    out.insert(s.get<std::string>());
  return out;
}

}  // namespace

// Registers Secrets Manager (json 1.1): secrets, versions and stages, resource policies, tags.
void register_secretsmanager(Registry& r)
{
  r.add("secretsmanager", "CreateSecret",
        {"Name", "Description", "KmsKeyId", "SecretString", "SecretBinary", "Tags", "ClientRequestToken"},
        [](const json& in, ServeContext& ctx) {
          auto& b = be(ctx);
          const double t = ctx.simulation.now();
          const TagMap tags = tags_from(in.value("Tags", json::array()));
          auto& s = b.create(region(ctx), str(in, "Name"), str(in, "Description"), str(in, "KmsKeyId"), t);
          ctx.state<Tags>().forget(s.arn);
          ctx.state<Tags>().tag(s.arn, tags);
          json out = {{"ARN", s.arn}, {"Name", s.name}};
          if (in.contains("SecretString") || in.contains("SecretBinary"))
            out["VersionId"] = b.put_value(s, str(in, "ClientRequestToken"), str(in, "SecretString"),
                                           str(in, "SecretBinary"), {}, t)
                                   .id;
          return out;
        });
  r.add("secretsmanager", "DescribeSecret", {"SecretId"}, [](const json& in, ServeContext& ctx) {
    return describe(ctx, be(ctx).find(str(in, "SecretId")));
  });
  r.add("secretsmanager", "UpdateSecret", {"SecretId", "Description", "KmsKeyId", "SecretString", "SecretBinary", "ClientRequestToken"},
        [](const json& in, ServeContext& ctx) {
          auto& s = be(ctx).live(str(in, "SecretId"));
          if (in.contains("Description"))
            s.description = str(in, "Description");
          if (in.contains("KmsKeyId"))
            s.kms_key_id = str(in, "KmsKeyId");
          s.changed_s = ctx.simulation.now();
          json out = {{"ARN", s.arn}, {"Name", s.name}};
          if (in.contains("SecretString") || in.contains("SecretBinary"))
            out["VersionId"] = be(ctx).put_value(s, str(in, "ClientRequestToken"), str(in, "SecretString"),
                                                 str(in, "SecretBinary"), {}, ctx.simulation.now()).id;
          return out;
        });
  r.add("secretsmanager", "DeleteSecret", {"SecretId", "RecoveryWindowInDays", "ForceDeleteWithoutRecovery"},
        [](const json& in, ServeContext& ctx) {
          auto& s = be(ctx).find(str(in, "SecretId"));
          const json out = {{"ARN", s.arn}, {"Name", s.name}};
          const bool force = in.value("ForceDeleteWithoutRecovery", false);
          if (force && in.contains("RecoveryWindowInDays"))
            throw errors::validation("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
                                     "InvalidParameterException");
          const double t = ctx.simulation.now();
          be(ctx).remove(str(in, "SecretId"), in.value("RecoveryWindowInDays", secretsmanager::kDefaultRecoveryWindowDays),
                         force, t);
          json answer = out;
          answer["DeletionDate"] = force ? epoch_s(t) : epoch_s(be(ctx).find(str(in, "SecretId")).deletion_s);
          return answer;
        });
  r.add("secretsmanager", "RestoreSecret", {"SecretId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).restore(str(in, "SecretId"));
    const auto& s = be(ctx).find(str(in, "SecretId"));
    return json{{"ARN", s.arn}, {"Name", s.name}};
  });
  r.add("secretsmanager", "ListSecrets", {"MaxResults", "NextToken", "IncludePlannedDeletion"},
        [](const json& in, ServeContext& ctx) {
          json list = json::array();
          for (const auto* s : be(ctx).all())
            if (!s->scheduled_for_deletion() || in.value("IncludePlannedDeletion", false))
              list.push_back(describe(ctx, *s));
          return json{{"SecretList", list}};
        });
  r.add("secretsmanager", "PutSecretValue", {"SecretId", "SecretString", "SecretBinary", "VersionStages", "ClientRequestToken"},
        [](const json& in, ServeContext& ctx) {
          auto& s = be(ctx).live(str(in, "SecretId"));
          auto& v = be(ctx).put_value(s, str(in, "ClientRequestToken"), str(in, "SecretString"), str(in, "SecretBinary"),
                                      stage_set(in), ctx.simulation.now());
          return version_out(s, v);
        });
  r.add("secretsmanager", "GetSecretValue", {"SecretId", "VersionId", "VersionStage"}, [](const json& in, ServeContext& ctx) {
    auto& s = be(ctx).live(str(in, "SecretId"));
    auto& v = be(ctx).version(s, str(in, "VersionId"), str(in, "VersionStage"));
    json out = version_out(s, v);
    out["CreatedDate"] = epoch_s(v.created_s);
    if (!v.string_value.empty())
      out["SecretString"] = v.string_value;
    if (!v.binary_value.empty())
      out["SecretBinary"] = v.binary_value;
    return out;
  });
  r.add("secretsmanager", "ListSecretVersionIds", {"SecretId", "MaxResults", "NextToken"}, [](const json& in, ServeContext& ctx) {
    auto& s = be(ctx).find(str(in, "SecretId"));
    json versions = json::array();
    for (const auto& v : s.versions)
      versions.push_back({{"VersionId", v.id}, {"VersionStages", stages_json(v)}, {"CreatedDate", epoch_s(v.created_s)}});
    return json{{"ARN", s.arn}, {"Name", s.name}, {"Versions", versions}};
  });
  r.add("secretsmanager", "UpdateSecretVersionStage", {"SecretId", "VersionStage", "RemoveFromVersionId", "MoveToVersionId"},
        [](const json& in, ServeContext& ctx) {
          auto& s = be(ctx).live(str(in, "SecretId"));
          be(ctx).move_stage(s, str(in, "VersionStage"), str(in, "RemoveFromVersionId"), str(in, "MoveToVersionId"));
          return json{{"ARN", s.arn}, {"Name", s.name}};
        });
  r.add("secretsmanager", "GetResourcePolicy", {"SecretId"}, [](const json& in, ServeContext& ctx) {
    auto& s = be(ctx).find(str(in, "SecretId"));
    json out = {{"ARN", s.arn}, {"Name", s.name}};
    if (!s.policy.empty())
      out["ResourcePolicy"] = s.policy;
    return out;
  });
  r.add("secretsmanager", "PutResourcePolicy", {"SecretId", "ResourcePolicy"}, [](const json& in, ServeContext& ctx) {
    auto& s = be(ctx).live(str(in, "SecretId"));
    if (!json::accept(str(in, "ResourcePolicy")))
      throw errors::validation("This resource policy contains a syntax error.", "MalformedPolicyDocumentException");
    s.policy = str(in, "ResourcePolicy");
    return json{{"ARN", s.arn}, {"Name", s.name}};
  });
  r.add("secretsmanager", "DeleteResourcePolicy", {"SecretId"}, [](const json& in, ServeContext& ctx) {
    auto& s = be(ctx).live(str(in, "SecretId"));
    s.policy.clear();
    return json{{"ARN", s.arn}, {"Name", s.name}};
  });
  r.add("secretsmanager", "TagResource", {"SecretId", "Tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(be(ctx).live(str(in, "SecretId")).arn, tags_from(in["Tags"]));
    return json::object();
  });
  r.add("secretsmanager", "UntagResource", {"SecretId", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().untag(be(ctx).live(str(in, "SecretId")).arn, in["TagKeys"].get<std::vector<std::string>>());
    return json::object();
  });
}

}  // namespace migsim::harness::serve
