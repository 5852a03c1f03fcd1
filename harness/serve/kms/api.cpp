// KMS's operation table (json 1.1): decoded input -> KmsBackend -> output.
#include "harness/serve/kms/backend.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

namespace migsim::harness::serve {

namespace {

using kms::KmsBackend;
const TagWire kTagWire{.key = "TagKey", .value = "TagValue"};

KmsBackend& be(ServeContext& ctx)
{
  auto& b = ctx.state<KmsBackend>();
  b.expire(ctx.simulation.now());
  return b;
}
std::string str(const json& in, const char* k) { return in.value(k, std::string()); }

json metadata(const kms::Key& k)
{
  json j = {{"AWSAccountId", kAccountId},
            {"KeyId", k.id},
            {"Arn", k.arn},
            {"CreationDate", epoch_s(k.created_s)},
            {"Enabled", k.state == "Enabled"},
            {"Description", k.description},
            {"KeyUsage", k.usage},
            {"KeyState", k.state},
            {"Origin", "AWS_KMS"},
            {"KeyManager", "CUSTOMER"},
            {"CustomerMasterKeySpec", k.spec},
            {"KeySpec", k.spec},
            {"MultiRegion", k.multi_region}};
  if (k.usage == "ENCRYPT_DECRYPT")
    j["EncryptionAlgorithms"] = k.spec == "SYMMETRIC_DEFAULT" ? json::array({"SYMMETRIC_DEFAULT"})
                                                                : json::array({"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"});
  if (k.deletion_s >= 0) {
    j["DeletionDate"] = epoch_s(k.deletion_s);
    j["PendingDeletionWindowInDays"] = k.pending_window_days;
  }
  return j;
}

// KMS's Marker/Limit paging.
json page(const json& in, const json& items, const char* key)
{
  auto p = platform::marker_page(items, platform::marker_offset(in, "Marker", "InvalidMarkerException"),
                                 in.value("Limit", 100));
  json out = {{key, std::move(p.items)}, {"Truncated", !p.next.empty()}};
  if (!p.next.empty())
    out["NextMarker"] = p.next;
  return out;
}

json empty() { return json::object(); }

void register_keys(Registry& r)
{
  r.add("kms", "CreateKey", {"Description", "KeyUsage", "KeySpec", "CustomerMasterKeySpec", "Policy", "Tags", "MultiRegion"},
        [](const json& in, ServeContext& ctx) {
          const std::string spec = in.contains("KeySpec") ? str(in, "KeySpec") : str(in, "CustomerMasterKeySpec");
          const TagMap tags = tags_from(in.value("Tags", json::array()), kTagWire);
          auto& k = be(ctx).create_key(region(ctx), str(in, "Description"), str(in, "KeyUsage"), spec, str(in, "Policy"),
                                       in.value("MultiRegion", false), ctx.simulation.now());
          ctx.state<Tags>().forget(k.arn);
          ctx.state<Tags>().tag(k.arn, tags);
          return json{{"KeyMetadata", metadata(k)}};
        });
  r.add("kms", "DescribeKey", {"KeyId"}, [](const json& in, ServeContext& ctx) {
    return json{{"KeyMetadata", metadata(be(ctx).key(str(in, "KeyId")))}};
  });
  r.add("kms", "ListKeys", {"Limit", "Marker"}, [](const json& in, ServeContext& ctx) {
    json items = json::array();
    for (const auto* k : be(ctx).keys())
      items.push_back({{"KeyId", k->id}, {"KeyArn", k->arn}});
    return page(in, items, "Keys");
  });
  r.add("kms", "EnableKey", {"KeyId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).usable_key(str(in, "KeyId")).state = "Enabled";
    return empty();
  });
  r.add("kms", "DisableKey", {"KeyId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).usable_key(str(in, "KeyId")).state = "Disabled";
    return empty();
  });
  r.add("kms", "ScheduleKeyDeletion", {"KeyId", "PendingWindowInDays"}, [](const json& in, ServeContext& ctx) {
    be(ctx).schedule_deletion(str(in, "KeyId"), in.value("PendingWindowInDays", kms::kDefaultPendingWindowDays),
                              ctx.simulation.now());
    const auto& k = be(ctx).key(str(in, "KeyId"));
    return json{{"KeyId", k.arn}, {"DeletionDate", epoch_s(k.deletion_s)}, {"KeyState", k.state},
                {"PendingWindowInDays", k.pending_window_days}};
  });
  r.add("kms", "CancelKeyDeletion", {"KeyId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).cancel_deletion(str(in, "KeyId"));
    return json{{"KeyId", be(ctx).key(str(in, "KeyId")).arn}};
  });
  r.add("kms", "UpdateKeyDescription", {"KeyId", "Description"}, [](const json& in, ServeContext& ctx) {
    be(ctx).usable_key(str(in, "KeyId")).description = str(in, "Description");
    return empty();
  });
  r.add("kms", "GetKeyPolicy", {"KeyId", "PolicyName"}, [](const json& in, ServeContext& ctx) {
    if (in.contains("PolicyName") && str(in, "PolicyName") != "default")
      throw errors::not_found("No such policy exists", "NotFoundException");
    return json{{"Policy", be(ctx).key(str(in, "KeyId")).policy}, {"PolicyName", "default"}};
  });
  r.add("kms", "PutKeyPolicy", {"KeyId", "PolicyName", "Policy"}, [](const json& in, ServeContext& ctx) {
    if (!json::accept(str(in, "Policy")))
      throw errors::validation("The policy is not valid JSON.", "MalformedPolicyDocumentException");
    be(ctx).usable_key(str(in, "KeyId")).policy = str(in, "Policy");
    return empty();
  });
  r.add("kms", "ListKeyPolicies", {"KeyId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).key(str(in, "KeyId"));
    return json{{"PolicyNames", {"default"}}, {"Truncated", false}};
  });
  r.add("kms", "GetKeyRotationStatus", {"KeyId"}, [](const json& in, ServeContext& ctx) {
    const auto& k = be(ctx).key(str(in, "KeyId"));
    json out = {{"KeyRotationEnabled", k.rotation}, {"KeyId", k.arn}};
    if (k.rotation)
      out["RotationPeriodInDays"] = k.rotation_period_days;
    return out;
  });
  r.add("kms", "EnableKeyRotation", {"KeyId", "RotationPeriodInDays"}, [](const json& in, ServeContext& ctx) {
    auto& k = be(ctx).usable_key(str(in, "KeyId"));
    if (k.spec != "SYMMETRIC_DEFAULT")
      throw AwsError("UnsupportedOperationException", "Automatic rotation is for symmetric keys only.", 400);
    const int days = in.value("RotationPeriodInDays", 365);
    if (days < 90 || days > 2560)
      throw errors::validation("RotationPeriodInDays must be between 90 and 2560.", "ValidationException");
    k.rotation = true;
    k.rotation_period_days = days;
    return empty();
  });
  r.add("kms", "DisableKeyRotation", {"KeyId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).usable_key(str(in, "KeyId")).rotation = false;
    return empty();
  });
  r.add("kms", "TagResource", {"KeyId", "Tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(be(ctx).usable_key(str(in, "KeyId")).arn, tags_from(in["Tags"], kTagWire));
    return empty();
  });
  r.add("kms", "UntagResource", {"KeyId", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().untag(be(ctx).usable_key(str(in, "KeyId")).arn, in["TagKeys"].get<std::vector<std::string>>());
    return empty();
  });
  r.add("kms", "ListResourceTags", {"KeyId", "Limit", "Marker"}, [](const json& in, ServeContext& ctx) {
    return page(in, ctx.state<Tags>().list(be(ctx).key(str(in, "KeyId")).arn, "TagKey", "TagValue"), "Tags");
  });
}

void register_aliases(Registry& r)
{
  r.add("kms", "CreateAlias", {"AliasName", "TargetKeyId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).create_alias(region(ctx), str(in, "AliasName"), str(in, "TargetKeyId"), ctx.simulation.now());
    return empty();
  });
  r.add("kms", "DeleteAlias", {"AliasName"}, [](const json& in, ServeContext& ctx) {
    be(ctx).delete_alias(str(in, "AliasName"));
    return empty();
  });
  r.add("kms", "UpdateAlias", {"AliasName", "TargetKeyId"}, [](const json& in, ServeContext& ctx) {
    auto& a = be(ctx).alias(str(in, "AliasName"));
    a.target_key_id = be(ctx).usable_key(str(in, "TargetKeyId")).id;
    a.updated_s = ctx.simulation.now();
    return empty();
  });
  r.add("kms", "ListAliases", {"KeyId", "Limit", "Marker"}, [](const json& in, ServeContext& ctx) {
    const std::string key_id = in.contains("KeyId") ? be(ctx).key(str(in, "KeyId")).id : "";
    json items = json::array();
    for (const auto* a : be(ctx).aliases(key_id))
      items.push_back({{"AliasName", a->name},
                       {"AliasArn", KmsBackend::alias_arn(region(ctx), a->name)},
                       {"TargetKeyId", a->target_key_id},
                       {"CreationDate", epoch_s(a->created_s)},
                       {"LastUpdatedDate", epoch_s(a->updated_s)}});
    return page(in, items, "Aliases");
  });
}

}  // namespace

// Registers KMS (json 1.1): keys, key policies, rotation, tags, aliases.
void register_kms(Registry& r)
{
  register_keys(r);
  register_aliases(r);
}

}  // namespace migsim::harness::serve
