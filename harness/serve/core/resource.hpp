// What every service of `migsim serve` needs for its resources, in one place: list members, ARNs (the request's
// region, the endpoint's account), tags (one store, keyed by ARN, and the three tag operations),
// pagination (the page size honoured, opaque tokens validated), filters ({Name, Values} as the
// service defines them), ISO 8601 dates of the simulated clock and XML escaping.
#pragma once

#include "harness/aws/protocol/text.hpp"
#include "harness/serve/core/errors.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::models {
class Migration;
namespace aws {
class AwsEstate;
}
}  // namespace migsim::models

namespace migsim::harness::serve {

using nlohmann::json;

// ---- Members ----

// A list-of-strings member (empty when absent); `code` (400) naming the member when it is not a
// list of strings.
std::vector<std::string> strings(const json& input, const std::string& key, const std::string& code = "ValidationException");

// ---- Account and ARNs ----

// The account every mock resource lives in (LocalStack's default account).
inline constexpr const char* kAccountId = "000000000000";

// The region of the request being handled: its SigV4 credential scope, else the scenario's region.
std::string region(const ServeContext& ctx);
// The region the scenario's own resources live in (the scenario's `region`).
std::string scenario_region(const ServeContext& ctx);
// Whether the request is for the scenario's region: the scenario's own resources (its replication,
// source servers, DB instance, ALB, groups, cluster) answer there only.
bool in_scenario_region(const ServeContext& ctx);
// The scenario's aws estate and migration as a request sees them: null without them, or for a
// request to another region.
models::aws::AwsEstate* scenario_aws(ServeContext& ctx);
models::Migration* scenario_migration(ServeContext& ctx);
// arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE in the request's region.
std::string arn(const ServeContext& ctx, const std::string& service, const std::string& resource);
// arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE in `region` ("" for global services: arn:aws:iam::ACCOUNT:root).
std::string arn_in(const std::string& region, const std::string& service, const std::string& resource);
// A stable 16-hex-digit id of a name (FNV-1a), so that ids in ARNs are the same on every run.
std::string stable_id(const std::string& name);
// The resource part of an ARN ("db:shop-db" of arn:aws:rds:us-east-1:000000000000:db:shop-db); the
// text itself when it is not an ARN.
std::string arn_resource(const std::string& arn_or_name);
// The region field of an ARN ("" when it is not an ARN or has none).
std::string arn_region(const std::string& arn);

// ---- Tags ----

using TagMap = std::map<std::string, std::string>;

// The tags of every resource of the endpoint, keyed by ARN (reach it as ctx.state<Tags>()).
class Tags {
public:
  // Adds or overwrites tags of a resource.
  void tag(const std::string& arn, const TagMap& tags);
  // Removes keys (absent keys are ignored, as AWS does).
  void untag(const std::string& arn, const std::vector<std::string>& keys);
  // The tags of a resource (empty when none).
  TagMap of(const std::string& arn) const;
  // Forgets a deleted resource's tags.
  void forget(const std::string& arn);
  // The same in a wire list's terms: [{key: K, value: V}] added, listed sorted by key, one value.
  void add(const std::string& arn, const json& list, const char* key = "Key", const char* value = "Value");
  json list(const std::string& arn, const char* key = "Key", const char* value = "Value") const;
  std::string value(const std::string& arn, const std::string& key) const;  // "" when absent
  // The tags of every resource whose key starts with `prefix` (EC2's DescribeTags).
  std::map<std::string, TagMap> with_prefix(const std::string& prefix) const;

private:
  std::map<std::string, TagMap> by_arn_;
};

// How a service spells tags on the wire: a list of {Key, Value} (most), {key, value}, or a map
// {"k": "v"} (rest-json services: EKS, MGN).
struct TagWire {
  std::string key = "Key";
  std::string value = "Value";
  bool map = false;
};
// The tags of a wire value (a list or a map as `w` says); ValidationException when malformed.
TagMap tags_from(const json& wire, const TagWire& w = {});
// The wire value of tags.
json tags_json(const TagMap& tags, const TagWire& w = {});

// The three tag operations of a service, as handlers: each reads the resource's ARN from
// `arn_member`, checks it with `exists` (not found: errors::not_found with `not_found_code`) and
// works on ctx.state<Tags>().
struct TagOperations {
  std::string arn_member = "ResourceArn";    // "ResourceArn", "ResourceARN", "resourceArn"
  std::string tags_member = "Tags";          // the tags of TagResource and of ListTags' output
  std::string keys_member = "TagKeys";       // the keys of UntagResource
  TagWire wire;
  std::function<bool(ServeContext&, const std::string& arn)> exists;  // null: every ARN exists
  std::string not_found_code = "ResourceNotFoundException";
  // Services that name the resource otherwise (SSM's ResourceType + ResourceId, a Route 53 zone id)
  // or answer a missing one with their own error: the resource's key in the Tags store, read from
  // the input and checked (throwing that error). When set, arn_member, exists and not_found_code
  // are not used.
  std::function<std::string(ServeContext&, const json& input)> resource;
  std::string list_member;  // ListTags' output member when it is not tags_member (SSM's TagList)
};
using TagHandler = std::function<json(const json& input, ServeContext& ctx)>;
TagHandler tag_resource(const TagOperations& ops);
TagHandler untag_resource(const TagOperations& ops);
TagHandler list_tags(const TagOperations& ops);

// ---- Pagination ----

// How an operation pages: its members, page size limits and error codes.
struct Paging {
  std::string max_member = "MaxResults";  // MaxRecords, MaxItems, maxResults, Limit
  std::string token_member = "NextToken";  // Marker, nextToken
  long default_max = 100;
  long min_max = 1;
  long max_max = 1000;
  std::string max_code = "ValidationException";  // a page size out of [min_max, max_max]
  std::string token_code = "InvalidNextToken";   // a token this listing did not hand out
};
// One page of a listing and the token of the next one ("" on the last page).
struct Page {
  json items = json::array();
  std::string next_token;
};
// The page of `items` (a JSON array) the input asks for. The page size may be a number or numeric
// text (rest-xml sends text); the token must be one a previous page returned.
Page paginate(const json& items, const json& input, const Paging& p = {});
// The opaque token of a listing's item offset, and back (nullopt when `token` is not one of ours).
std::string page_token(size_t offset);
std::optional<size_t> page_offset(const std::string& token);

// ---- Filters ----

struct Filter {
  std::string name;
  std::vector<std::string> values;
};
// How a service writes and matches filters.
struct FilterSyntax {
  std::string member = "Filters";
  std::string name = "Name";
  std::string values = "Values";
  bool case_insensitive = false;  // DMS: endpoint-type=source finds the SOURCE endpoint
  std::string code = "InvalidParameterValue";  // unsupported filter, malformed filter
  std::string any_prefix;  // names with this prefix are accepted whatever follows ("tag:" in EC2)
};
// The request's filters, validated: each names one of `known` (or starts with `any_prefix`).
std::vector<Filter> read_filters(const json& input, const std::vector<std::string>& known, const FilterSyntax& s = {});
// Whether `value` is one of the filter's values.
bool filter_accepts(const Filter& f, const std::string& value, bool case_insensitive);
// The field each filter name reads from an item.
using FilterFields = std::map<std::string, std::function<std::string(const json& item)>>;
// The items every filter of the request accepts (items and output: JSON arrays).
json apply_filters(const json& items, const json& input, const FilterFields& fields, const FilterSyntax& s = {});

// ---- Dates ----

// ISO 8601 UTC, whole seconds, of a simulated time: "2025-01-01T00:00:00Z".
std::string iso_date(double sim_s);
// The simulated time of an ISO 8601 (fraction and offset allowed), RFC 1123 or epoch-seconds
// timestamp; nullopt when it is none of them.
std::optional<double> parse_date(const std::string& text);

// ---- XML ----

// Escapes text for XML content and attribute values.
using aws::text::xml_escape;

}  // namespace migsim::harness::serve
