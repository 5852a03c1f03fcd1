#include "harness/serve/core/resource.hpp"


#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace migsim::harness::serve {

namespace {

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The string value of a member (nullopt when absent; ValidationException when not a string).
std::optional<std::string> text_member(const json& in, const std::string& key)
{
  if (!in.is_object() || !in.contains(key) || in[key].is_null())
    return std::nullopt;
  if (!in[key].is_string())
    throw errors::validation(key + " must be a string");
  return in[key].get<std::string>();
}

constexpr const char* kTokenPrefix = "migsim-page:";

}  // namespace

// ---- Members ----

std::vector<std::string> strings(const json& input, const std::string& key, const std::string& code)
{
  std::vector<std::string> out;
  if (!input.is_object() || !input.contains(key) || input[key].is_null())
    return out;
  const json& list = input[key];
  if (!list.is_array())
    throw errors::error(code, key + " must be a list of strings");
  for (const json& v : list) {
    if (!v.is_string())
      throw errors::error(code, key + " must be a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

// ---- Account and ARNs ----

std::string scenario_region(const ServeContext& ctx) { return ctx.simulation.scenario().region; }

bool in_scenario_region(const ServeContext& ctx) { return region(ctx) == scenario_region(ctx); }

models::aws::AwsEstate* scenario_aws(ServeContext& ctx)
{
  return in_scenario_region(ctx) ? ctx.simulation.aws() : nullptr;
}

models::Migration* scenario_migration(ServeContext& ctx)
{
  return in_scenario_region(ctx) ? ctx.simulation.migration() : nullptr;
}

std::string region(const ServeContext& ctx)
{
  return ctx.request_region.empty() ? scenario_region(ctx) : ctx.request_region;
}

std::string arn_in(const std::string& region, const std::string& service, const std::string& resource)
{
  return "arn:aws:" + service + ":" + region + ":" + kAccountId + ":" + resource;
}

std::string arn(const ServeContext& ctx, const std::string& service, const std::string& resource)
{
  return arn_in(region(ctx), service, resource);
}

std::string stable_id(const std::string& name)
{
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : name)
    h = (h ^ c) * 1099511628211ULL;
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string arn_resource(const std::string& arn_or_name)
{
  if (arn_or_name.rfind("arn:", 0) != 0)
    return arn_or_name;
  size_t at = 0;
  for (int colon = 0; colon < 5; ++colon) {
    at = arn_or_name.find(':', at);
    if (at == std::string::npos)
      return arn_or_name;
    ++at;
  }
  return arn_or_name.substr(at);
}

std::string arn_region(const std::string& arn)
{
  if (arn.rfind("arn:", 0) != 0)
    return "";
  size_t at = 0;
  for (int colon = 0; colon < 3; ++colon) {
    at = arn.find(':', at);
    if (at == std::string::npos)
      return "";
    ++at;
  }
  const size_t end = arn.find(':', at);
  return end == std::string::npos ? "" : arn.substr(at, end - at);
}

// ---- Tags ----

void Tags::tag(const std::string& arn, const TagMap& tags)
{
  for (const auto& [k, v] : tags)
    by_arn_[arn][k] = v;
}

void Tags::untag(const std::string& arn, const std::vector<std::string>& keys)
{
  auto it = by_arn_.find(arn);
  if (it == by_arn_.end())
    return;
  for (const auto& k : keys)
    it->second.erase(k);
}

TagMap Tags::of(const std::string& arn) const
{
  auto it = by_arn_.find(arn);
  return it == by_arn_.end() ? TagMap{} : it->second;
}

void Tags::forget(const std::string& arn) { by_arn_.erase(arn); }

std::map<std::string, TagMap> Tags::with_prefix(const std::string& prefix) const
{
  std::map<std::string, TagMap> out;
  for (auto it = by_arn_.lower_bound(prefix); it != by_arn_.end() && it->first.rfind(prefix, 0) == 0; ++it)
    if (!it->second.empty())
      out.insert(*it);
  return out;
}

void Tags::add(const std::string& arn, const json& list, const char* key, const char* value)
{
  if (!list.is_array())
    return;
  for (const auto& t : list)
    if (t.is_object())
      by_arn_[arn][t.value(key, std::string())] = t.value(value, std::string());
}

json Tags::list(const std::string& arn, const char* key, const char* value) const
{
  json out = json::array();
  for (const auto& [k, v] : of(arn))
    out.push_back({{key, k}, {value, v}});
  return out;
}

std::string Tags::value(const std::string& arn, const std::string& key) const
{
  const TagMap tags = of(arn);
  auto it = tags.find(key);
  return it == tags.end() ? "" : it->second;
}

TagMap tags_from(const json& wire, const TagWire& w)
{
  TagMap out;
  if (wire.is_null())
    return out;
  if (w.map) {
    if (!wire.is_object())
      throw errors::validation("tags must be a map of strings");
    for (const auto& [k, v] : wire.items()) {
      if (!v.is_string())
        throw errors::validation("the value of tag '" + k + "' must be a string");
      out[k] = v.get<std::string>();
    }
    return out;
  }
  if (!wire.is_array())
    throw errors::validation("Tags must be a list of {" + w.key + ", " + w.value + "}");
  for (const json& t : wire) {
    if (!t.is_object() || !t.contains(w.key) || !t[w.key].is_string())
      throw errors::validation("each tag needs a " + w.key + " (string)");
    out[t[w.key].get<std::string>()] = t.contains(w.value) && t[w.value].is_string() ? t[w.value].get<std::string>() : "";
  }
  return out;
}

json tags_json(const TagMap& tags, const TagWire& w)
{
  if (w.map) {
    json out = json::object();
    for (const auto& [k, v] : tags)
      out[k] = v;
    return out;
  }
  json out = json::array();
  for (const auto& [k, v] : tags)
    out.push_back({{w.key, k}, {w.value, v}});
  return out;
}

namespace {

// The ARN a tag operation names, checked to exist.
std::string tagged_arn(const TagOperations& ops, const json& in, ServeContext& ctx)
{
  if (ops.resource)
    return ops.resource(ctx, in);
  const auto arn = text_member(in, ops.arn_member);
  if (!arn || arn->empty())
    throw errors::validation(ops.arn_member + " is required");
  if (ops.exists && !ops.exists(ctx, *arn))
    throw errors::not_found("resource " + *arn + " not found", ops.not_found_code);
  return *arn;
}

}  // namespace

TagHandler tag_resource(const TagOperations& ops)
{
  return [ops](const json& in, ServeContext& ctx) {
    const std::string arn = tagged_arn(ops, in, ctx);
    ctx.state<Tags>().tag(arn, tags_from(in.value(ops.tags_member, json()), ops.wire));
    return json::object();
  };
}

TagHandler untag_resource(const TagOperations& ops)
{
  return [ops](const json& in, ServeContext& ctx) {
    const std::string arn = tagged_arn(ops, in, ctx);
    std::vector<std::string> keys;
    const json list = in.value(ops.keys_member, json::array());
    if (!list.is_array())
      throw errors::validation(ops.keys_member + " must be a list of strings");
    for (const json& k : list) {
      if (!k.is_string())
        throw errors::validation(ops.keys_member + " must be a list of strings");
      keys.push_back(k.get<std::string>());
    }
    ctx.state<Tags>().untag(arn, keys);
    return json::object();
  };
}

TagHandler list_tags(const TagOperations& ops)
{
  return [ops](const json& in, ServeContext& ctx) {
    const std::string arn = tagged_arn(ops, in, ctx);
    return json{{ops.list_member.empty() ? ops.tags_member : ops.list_member, tags_json(ctx.state<Tags>().of(arn), ops.wire)}};
  };
}

// ---- Pagination ----

std::string page_token(size_t offset) { return aws::text::base64_encode(kTokenPrefix + std::to_string(offset)); }

std::optional<size_t> page_offset(const std::string& token)
{
  const auto text = aws::text::base64_decode(token);
  const std::string prefix = kTokenPrefix;
  if (!text || text->rfind(prefix, 0) != 0 || text->size() == prefix.size() || text->size() > prefix.size() + 12)
    return std::nullopt;
  size_t offset = 0;
  for (size_t i = prefix.size(); i < text->size(); ++i) {
    const char c = (*text)[i];
    if (c < '0' || c > '9')
      return std::nullopt;
    offset = offset * 10 + static_cast<size_t>(c - '0');
  }
  return offset;
}

Page paginate(const json& items, const json& input, const Paging& p)
{
  long max = p.default_max;
  if (input.is_object() && input.contains(p.max_member) && !input[p.max_member].is_null()) {
    const json& v = input[p.max_member];
    bool ok = v.is_number_integer();
    if (ok) {
      max = v.get<long>();
    } else if (v.is_string()) {  // rest-xml MaxItems
      const std::string s = v.get<std::string>();
      ok = !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
      if (ok)
        max = std::stol(s);
    }
    if (!ok || max < p.min_max || max > p.max_max)
      throw errors::validation(
          p.max_member + " must be an integer from " + std::to_string(p.min_max) + " to " + std::to_string(p.max_max), p.max_code);
  }
  size_t start = 0;
  if (const auto token = text_member(input, p.token_member); token && !token->empty()) {
    const auto offset = page_offset(*token);
    if (!offset || *offset > items.size())
      throw errors::invalid_next_token("Invalid " + p.token_member + ": '" + *token + "' was not returned by this listing",
                                       p.token_code);
    start = *offset;
  }
  Page page;
  const size_t end = std::min(items.size(), start + static_cast<size_t>(max));
  for (size_t i = start; i < end; ++i)
    page.items.push_back(items[i]);
  if (end < items.size())
    page.next_token = page_token(end);
  return page;
}

// ---- Filters ----

std::vector<Filter> read_filters(const json& input, const std::vector<std::string>& known, const FilterSyntax& s)
{
  std::vector<Filter> out;
  if (!input.is_object() || !input.contains(s.member) || input[s.member].is_null())
    return out;
  if (!input[s.member].is_array())
    throw errors::invalid_parameter(s.member + " must be a list", s.code);
  for (const json& f : input[s.member]) {
    if (!f.is_object() || !f.contains(s.name) || !f[s.name].is_string())
      throw errors::invalid_parameter("each filter needs a " + s.name + " (string) and " + s.values + " (list)", s.code);
    Filter filter{f[s.name].get<std::string>(), {}};
    const bool any = !s.any_prefix.empty() && filter.name.rfind(s.any_prefix, 0) == 0;
    if (!any && std::find(known.begin(), known.end(), filter.name) == known.end()) {
      std::string names;
      for (const auto& k : known)
        names += (names.empty() ? "" : ", ") + k;
      throw errors::invalid_parameter("unsupported filter '" + filter.name + "' (supported: " + names + ")", s.code);
    }
    const json values = f.value(s.values, json::array());
    if (!values.is_array())
      throw errors::invalid_parameter("the " + s.values + " of filter '" + filter.name + "' must be a list", s.code);
    for (const json& v : values) {
      if (!v.is_string())
        throw errors::invalid_parameter("filter values must be strings", s.code);
      filter.values.push_back(v.get<std::string>());
    }
    out.push_back(std::move(filter));
  }
  return out;
}

bool filter_accepts(const Filter& f, const std::string& value, bool case_insensitive)
{
  if (!case_insensitive)
    return std::find(f.values.begin(), f.values.end(), value) != f.values.end();
  const std::string v = lower(value);
  return std::any_of(f.values.begin(), f.values.end(), [&](const std::string& x) { return lower(x) == v; });
}

json apply_filters(const json& items, const json& input, const FilterFields& fields, const FilterSyntax& s)
{
  std::vector<std::string> known;
  for (const auto& [name, _] : fields)
    known.push_back(name);
  const auto filters = read_filters(input, known, s);
  if (filters.empty())
    return items;
  json kept = json::array();
  for (const json& item : items) {
    bool ok = true;
    for (const Filter& f : filters)
      ok = ok && filter_accepts(f, fields.at(f.name)(item), s.case_insensitive);
    if (ok)
      kept.push_back(item);
  }
  return kept;
}

// ---- Dates ----

std::string iso_date(double sim_s) { return aws::text::iso8601(std::floor(epoch_s(sim_s))); }

std::optional<double> parse_date(const std::string& text)
{
  const auto epoch = aws::text::parse_timestamp(text);
  if (!epoch)
    return std::nullopt;
  return *epoch - epoch_at_zero_s();
}

}  // namespace migsim::harness::serve
