// ECR's operation table (json 1.1): decoded input -> EcrBackend -> output.
#include "harness/serve/ecr/backend.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/aws/protocol/text.hpp"

namespace migsim::harness::serve {

namespace {

using ecr::EcrBackend;

EcrBackend& be(ServeContext& ctx) { return ctx.state<EcrBackend>(); }
std::string str(const json& in, const char* k) { return in.value(k, std::string()); }

json repo_json(const ecr::Repository& r)
{
  json enc = {{"encryptionType", r.encryption_type}};
  if (!r.kms_key.empty())
    enc["kmsKey"] = r.kms_key;
  return {{"repositoryArn", r.arn},
          {"registryId", kAccountId},
          {"repositoryName", r.name},
          {"repositoryUri", r.uri},
          {"createdAt", epoch_s(r.created_s)},
          {"imageTagMutability", r.tag_mutability},
          {"imageScanningConfiguration", {{"scanOnPush", r.scan_on_push}}},
          {"encryptionConfiguration", enc}};
}

json named(const ecr::Repository& r) { return {{"registryId", kAccountId}, {"repositoryName", r.name}}; }

void check_mutability(const std::string& m)
{
  if (m != "MUTABLE" && m != "IMMUTABLE")
    throw errors::validation("imageTagMutability must be MUTABLE or IMMUTABLE", "InvalidParameterException");
}

}  // namespace

// Registers ECR (json 1.1): repositories, their policies and settings, tags, authorization tokens.
void register_ecr(Registry& r)
{
  r.add("ecr", "CreateRepository",
        {"repositoryName", "tags", "imageTagMutability", "imageScanningConfiguration.scanOnPush",
         "encryptionConfiguration.encryptionType", "encryptionConfiguration.kmsKey"},
        [](const json& in, ServeContext& ctx) {
          const std::string mutability = in.value("imageTagMutability", "MUTABLE");
          check_mutability(mutability);
          const TagMap tags = tags_from(in.value("tags", json::array()));
          auto& repo = be(ctx).create(region(ctx), str(in, "repositoryName"), ctx.simulation.now());
          repo.tag_mutability = mutability;
          repo.scan_on_push = in.value("imageScanningConfiguration", json::object()).value("scanOnPush", false);
          const json enc = in.value("encryptionConfiguration", json::object());
          repo.encryption_type = enc.value("encryptionType", "AES256");
          if (repo.encryption_type == "KMS")
            repo.kms_key = enc.value("kmsKey", arn(ctx, "kms", "alias/aws/ecr"));
          ctx.state<Tags>().forget(repo.arn);
          ctx.state<Tags>().tag(repo.arn, tags);
          return json{{"repository", repo_json(repo)}};
        });
  r.add("ecr", "DescribeRepositories", {"repositoryNames", "registryId"}, [](const json& in, ServeContext& ctx) {
    json list = json::array();
    if (in.contains("repositoryNames"))
      for (const auto& n : in["repositoryNames"])
        list.push_back(repo_json(be(ctx).repo(n.get<std::string>())));
    else
      for (const auto* repo : be(ctx).all())
        list.push_back(repo_json(*repo));
    return json{{"repositories", list}};
  });
  r.add("ecr", "DeleteRepository", {"repositoryName", "force"}, [](const json& in, ServeContext& ctx) {
    const json out = repo_json(be(ctx).repo(str(in, "repositoryName")));
    be(ctx).remove(str(in, "repositoryName"), in.value("force", false));
    ctx.state<Tags>().forget(out["repositoryArn"].get<std::string>());
    return json{{"repository", out}};
  });
  r.add("ecr", "PutImageScanningConfiguration", {"repositoryName", "imageScanningConfiguration.scanOnPush"},
        [](const json& in, ServeContext& ctx) {
          auto& repo = be(ctx).repo(str(in, "repositoryName"));
          repo.scan_on_push = in.value("imageScanningConfiguration", json::object()).value("scanOnPush", false);
          json out = named(repo);
          out["imageScanningConfiguration"] = {{"scanOnPush", repo.scan_on_push}};
          return out;
        });
  r.add("ecr", "PutImageTagMutability", {"repositoryName", "imageTagMutability"}, [](const json& in, ServeContext& ctx) {
    check_mutability(str(in, "imageTagMutability"));
    auto& repo = be(ctx).repo(str(in, "repositoryName"));
    repo.tag_mutability = str(in, "imageTagMutability");
    json out = named(repo);
    out["imageTagMutability"] = repo.tag_mutability;
    return out;
  });
  r.add("ecr", "PutLifecyclePolicy", {"repositoryName", "lifecyclePolicyText"}, [](const json& in, ServeContext& ctx) {
    const json doc = json::parse(str(in, "lifecyclePolicyText"), nullptr, false);
    if (doc.is_discarded() || !doc.contains("rules"))
      throw errors::validation("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle "
                               "policy validation failure: a JSON object with \"rules\" is required'",
                               "InvalidParameterException");
    auto& repo = be(ctx).repo(str(in, "repositoryName"));
    repo.lifecycle_policy = str(in, "lifecyclePolicyText");
    json out = named(repo);
    out["lifecyclePolicyText"] = repo.lifecycle_policy;
    return out;
  });
  r.add("ecr", "GetLifecyclePolicy", {"repositoryName"}, [](const json& in, ServeContext& ctx) {
    auto& repo = be(ctx).repo(str(in, "repositoryName"));
    if (repo.lifecycle_policy.empty())
      throw errors::not_found("Lifecycle policy does not exist for the repository with name '" + repo.name + "'",
                              "LifecyclePolicyNotFoundException");
    json out = named(repo);
    out["lifecyclePolicyText"] = repo.lifecycle_policy;
    out["lastEvaluatedAt"] = epoch_s(ctx.simulation.now());
    return out;
  });
  r.add("ecr", "DeleteLifecyclePolicy", {"repositoryName"}, [](const json& in, ServeContext& ctx) {
    auto& repo = be(ctx).repo(str(in, "repositoryName"));
    if (repo.lifecycle_policy.empty())
      throw errors::not_found("Lifecycle policy does not exist for the repository with name '" + repo.name + "'",
                              "LifecyclePolicyNotFoundException");
    json out = named(repo);
    out["lifecyclePolicyText"] = repo.lifecycle_policy;
    repo.lifecycle_policy.clear();
    return out;
  });
  r.add("ecr", "SetRepositoryPolicy", {"repositoryName", "policyText"}, [](const json& in, ServeContext& ctx) {
    if (!json::accept(str(in, "policyText")))
      throw errors::validation("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository "
                               "policy provided'",
                               "InvalidParameterException");
    auto& repo = be(ctx).repo(str(in, "repositoryName"));
    repo.policy = str(in, "policyText");
    json out = named(repo);
    out["policyText"] = repo.policy;
    return out;
  });
  r.add("ecr", "GetRepositoryPolicy", {"repositoryName"}, [](const json& in, ServeContext& ctx) {
    auto& repo = be(ctx).repo(str(in, "repositoryName"));
    if (repo.policy.empty())
      throw errors::not_found("Repository policy does not exist for the repository with name '" + repo.name + "'",
                              "RepositoryPolicyNotFoundException");
    json out = named(repo);
    out["policyText"] = repo.policy;
    return out;
  });
  r.add("ecr", "DeleteRepositoryPolicy", {"repositoryName"}, [](const json& in, ServeContext& ctx) {
    auto& repo = be(ctx).repo(str(in, "repositoryName"));
    if (repo.policy.empty())
      throw errors::not_found("Repository policy does not exist for the repository with name '" + repo.name + "'",
                              "RepositoryPolicyNotFoundException");
    json out = named(repo);
    out["policyText"] = repo.policy;
    repo.policy.clear();
    return out;
  });
  r.add("ecr", "ListImages", {"repositoryName"}, [](const json& in, ServeContext& ctx) {
    be(ctx).repo(str(in, "repositoryName"));
    return json{{"imageIds", json::array()}};
  });
  r.add("ecr", "DescribeImages", {"repositoryName"}, [](const json& in, ServeContext& ctx) {
    be(ctx).repo(str(in, "repositoryName"));
    return json{{"imageDetails", json::array()}};
  });
  r.add("ecr", "BatchDeleteImage", {"repositoryName", "imageIds"}, [](const json& in, ServeContext& ctx) {
    be(ctx).repo(str(in, "repositoryName"));
    json failures = json::array();
    for (const auto& id : in.value("imageIds", json::array()))
      failures.push_back({{"imageId", id}, {"failureCode", "ImageNotFound"}, {"failureReason", "Requested image not found"}});
    return json{{"imageIds", json::array()}, {"failures", failures}};
  });
  r.add("ecr", "GetAuthorizationToken", {}, [](const json&, ServeContext& ctx) {
    const double t = ctx.simulation.now();
    return json{{"authorizationData",
                 {{{"authorizationToken", aws::text::base64_encode("AWS:migsim-rehearsal-token")},
                   {"expiresAt", epoch_s(t + 12 * 3600)},  // ECR tokens are valid for 12 hours
                   {"proxyEndpoint", std::string("https://") + kAccountId + ".dkr.ecr." + region(ctx) + ".amazonaws.com"}}}}};
  });
  r.add("ecr", "TagResource", {"resourceArn", "tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(be(ctx).by_arn(str(in, "resourceArn")).arn, tags_from(in["tags"]));
    return json::object();
  });
  r.add("ecr", "UntagResource", {"resourceArn", "tagKeys"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().untag(be(ctx).by_arn(str(in, "resourceArn")).arn, in["tagKeys"].get<std::vector<std::string>>());
    return json::object();
  });
  r.add("ecr", "ListTagsForResource", {"resourceArn"}, [](const json& in, ServeContext& ctx) {
    return json{{"tags", ctx.state<Tags>().list(be(ctx).by_arn(str(in, "resourceArn")).arn)}};
  });
}

}  // namespace migsim::harness::serve
