// Route 53 on the wire (rest-xml, /2013-04-01/...), until the shared codec takes over: routes the
// method and path to an operation, reads the XML body into botocore member names, and writes the
// backend's output (or its error) as Route 53's XML.
#include "harness/serve/route53_wire.hpp"

#include "harness/serve/router.hpp"
#include "harness/serve/services_state.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <regex>
#include <set>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;
constexpr const char* kXmlns = "https://route53.amazonaws.com/doc/2013-04-01/";

// List wrappers of Route 53's XML and the name of their items.
const std::map<std::string, std::string> kLists = {
    {"Changes", "Change"},         {"ResourceRecords", "ResourceRecord"}, {"HostedZones", "HostedZone"},
    {"ResourceRecordSets", "ResourceRecordSet"}, {"NameServers", "NameServer"}, {"HealthChecks", "HealthCheck"},
    {"Regions", "Region"},         {"ChildHealthChecks", "ChildHealthCheck"}};
const std::set<std::string> kTimestamps = {"SubmittedAt"};

std::string xml_escape(const std::string& s)
{
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string xml_unescape(const std::string& s)
{
  static const std::pair<const char*, char> kEntities[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}, {"&amp;", '&'}};
  std::string out;
  for (size_t i = 0; i < s.size();) {
    bool done = false;
    if (s[i] == '&')
      for (const auto& [e, c] : kEntities)
        if (s.compare(i, std::strlen(e), e) == 0) {
          out += c;
          i += std::strlen(e);
          done = true;
          break;
        }
    if (!done)
      out += s[i++];
  }
  return out;
}

// A minimal XML reader: elements, text, self-closing tags, prolog; no attributes kept.
class XmlReader {
public:
  explicit XmlReader(const std::string& s) : s_(s) {}
  // The document's root element as (name, value).
  std::pair<std::string, json> root()
  {
    skip_misc();
    auto r = element();
    skip_misc();
    if (i_ != s_.size())
      fail();
    return r;
  }

private:
  [[noreturn]] void fail() { throw ApiError{"MalformedXML", "The XML you provided was not well-formed", 400}; }
  void skip_ws()
  {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_])))
      ++i_;
  }
  void skip_misc()
  {
    for (;;) {
      skip_ws();
      if (s_.compare(i_, 2, "<?") == 0) {
        auto e = s_.find("?>", i_);
        if (e == std::string::npos)
          fail();
        i_ = e + 2;
      } else if (s_.compare(i_, 4, "<!--") == 0) {
        auto e = s_.find("-->", i_);
        if (e == std::string::npos)
          fail();
        i_ = e + 3;
      } else {
        return;
      }
    }
  }
  std::pair<std::string, json> element()
  {
    if (i_ >= s_.size() || s_[i_] != '<')
      fail();
    auto close = s_.find('>', i_);
    if (close == std::string::npos)
      fail();
    std::string tag = s_.substr(i_ + 1, close - i_ - 1);
    i_ = close + 1;
    const bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing)
      tag.pop_back();
    const std::string name = tag.substr(0, tag.find_first_of(" \t\r\n"));
    if (name.empty())
      fail();
    if (self_closing)
      return {name, ""};
    json children = json::object();
    std::vector<std::pair<std::string, json>> items;
    std::string text;
    for (;;) {
      const auto lt = s_.find('<', i_);
      if (lt == std::string::npos)
        fail();
      text += s_.substr(i_, lt - i_);
      i_ = lt;
      if (s_.compare(i_, 2, "</") == 0) {
        const auto end = s_.find('>', i_);
        if (end == std::string::npos || s_.substr(i_ + 2, end - i_ - 2) != name)
          fail();
        i_ = end + 1;
        break;
      }
      if (s_.compare(i_, 4, "<!--") == 0) {
        skip_misc();
        continue;
      }
      items.push_back(element());
    }
    if (items.empty())
      return {name, xml_unescape(text)};
    if (kLists.count(name)) {
      json arr = json::array();
      for (auto& [n, v] : items)
        arr.push_back(std::move(v));
      return {name, arr};
    }
    for (auto& [n, v] : items)
      children[n] = std::move(v);
    return {name, children};
  }

  const std::string& s_;
  size_t i_ = 0;
};

// Writes a value as XML elements named `name`.
void write_xml(std::string& out, const std::string& name, const json& v)
{
  if (v.is_array()) {
    const auto it = kLists.find(name);
    const std::string item = it == kLists.end() ? "member" : it->second;
    out += "<" + name + ">";
    for (const json& x : v)
      write_xml(out, item, x);
    out += "</" + name + ">";
  } else if (v.is_object()) {
    out += "<" + name + ">";
    for (const auto& [k, x] : v.items())
      write_xml(out, k, x);
    out += "</" + name + ">";
  } else if (v.is_boolean()) {
    out += "<" + name + ">" + (v.get<bool>() ? "true" : "false") + "</" + name + ">";
  } else if (v.is_number()) {
    out += "<" + name + ">" +
           (kTimestamps.count(name) ? iso_date(v.get<double>() - kEpochAtZero_s)
                                    : v.is_number_integer() ? std::to_string(v.get<long long>()) : v.dump()) +
           "</" + name + ">";
  } else if (v.is_string()) {
    out += "<" + name + ">" + xml_escape(v.get<std::string>()) + "</" + name + ">";
  }
}

// A route: method, path pattern (one optional {Id}), operation, the Id's member.
struct Route {
  http::verb method;
  std::regex path;
  const char* operation;
  const char* id_member;
  int success_status;
};

const std::vector<Route>& routes()
{
  static const std::vector<Route> r = {
      {http::verb::post, std::regex("^/2013-04-01/hostedzone/?$"), "CreateHostedZone", "", 201},
      {http::verb::get, std::regex("^/2013-04-01/hostedzone/?$"), "ListHostedZones", "", 200},
      {http::verb::get, std::regex("^/2013-04-01/hostedzone/([^/]+)/?$"), "GetHostedZone", "Id", 200},
      {http::verb::delete_, std::regex("^/2013-04-01/hostedzone/([^/]+)/?$"), "DeleteHostedZone", "Id", 200},
      {http::verb::post, std::regex("^/2013-04-01/hostedzone/([^/]+)/rrset/?$"), "ChangeResourceRecordSets", "HostedZoneId", 200},
      {http::verb::get, std::regex("^/2013-04-01/hostedzone/([^/]+)/rrset/?$"), "ListResourceRecordSets", "HostedZoneId", 200},
      {http::verb::get, std::regex("^/2013-04-01/change/([^/]+)/?$"), "GetChange", "Id", 200},
      {http::verb::post, std::regex("^/2013-04-01/healthcheck/?$"), "CreateHealthCheck", "", 201},
      {http::verb::get, std::regex("^/2013-04-01/healthcheck/?$"), "ListHealthChecks", "", 200},
      {http::verb::get, std::regex("^/2013-04-01/healthcheck/([^/]+)/?$"), "GetHealthCheck", "HealthCheckId", 200},
      {http::verb::delete_, std::regex("^/2013-04-01/healthcheck/([^/]+)/?$"), "DeleteHealthCheck", "HealthCheckId", 200},
  };
  return r;
}

// Query-string members of the list operations, by their wire names.
const std::map<std::string, std::string> kQueryMembers = {
    {"marker", "Marker"},     {"maxitems", "MaxItems"},       {"name", "StartRecordName"},
    {"type", "StartRecordType"}, {"identifier", "StartRecordIdentifier"}, {"dnsname", "DNSName"}};

std::string url_decode(const std::string& s)
{
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

}  // namespace

std::string route53_operation(const Request& req, std::string* id)
{
  std::string path(req.target());
  path = path.substr(0, path.find('?'));
  for (const Route& r : routes()) {
    std::smatch m;
    if (r.method == req.method() && std::regex_match(path, m, r.path)) {
      if (id && m.size() > 1)
        *id = url_decode(m[1]);
      return r.operation;
    }
  }
  return "";
}

Response route53_error(const ApiError& e, const std::string& request_id)
{
  Response res{static_cast<http::status>(e.status), 11};
  res.set(http::field::content_type, "text/xml");
  res.body() = std::string("<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"") + kXmlns + "\"><Error><Type>" +
               (e.status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + xml_escape(e.code) + "</Code><Message>" +
               xml_escape(e.message) + "</Message></Error><RequestId>" + request_id + "</RequestId></ErrorResponse>";
  return res;
}

Response handle_route53(const Request& req, ServeContext& ctx)
{
  try {
    std::string id;
    const std::string op = route53_operation(req, &id);
    if (op.empty())
      throw ApiError{"InvalidAction", std::string(req.method_string()) + " " + std::string(req.target()) +
                                          " is not a Route 53 operation migsim implements", 404};
    const Route& route = *std::find_if(routes().begin(), routes().end(), [&](const Route& r) { return op == r.operation; });
    json in = json::object();
    if (!req.body().empty() && req.method() == http::verb::post) {
      auto [root, value] = XmlReader(req.body()).root();
      if (value.is_object())
        in = value;
    }
    if (*route.id_member)
      in[route.id_member] = id;
    const std::string target(req.target());
    if (auto q = target.find('?'); q != std::string::npos) {
      std::string query = target.substr(q + 1);
      size_t from = 0;
      while (from <= query.size()) {
        size_t amp = query.find('&', from);
        if (amp == std::string::npos)
          amp = query.size();
        const std::string pair = query.substr(from, amp - from);
        const auto eq = pair.find('=');
        if (auto it = kQueryMembers.find(url_decode(pair.substr(0, eq))); it != kQueryMembers.end() && eq != std::string::npos)
          in[it->second] = url_decode(pair.substr(eq + 1));
        from = amp + 1;
      }
    }
    const auto& ops = route53_ops();
    const auto it = std::find_if(ops.begin(), ops.end(), [&](const OpDef& d) { return d.name == op; });
    json out = it->fn(in, ctx);
    Response res{static_cast<http::status>(route.success_status), 11};
    res.set(http::field::content_type, "text/xml");
    if (out.contains("Location")) {
      res.set(http::field::location, out["Location"].get<std::string>());
      out.erase("Location");
    }
    std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + op + "Response xmlns=\"" + kXmlns + "\">";
    for (const auto& [k, v] : out.items())
      write_xml(body, k, v);
    body += "</" + op + "Response>";
    res.body() = std::move(body);
    return res;
  } catch (const ApiError& e) {
    return route53_error(e, ctx.request_id);
  }
}

const std::vector<OpDef>& route53_ops()
{
  using route53::Route53Error;
  // Each backend call, its errors as ApiError.
  auto wrap = [](auto fn) {
    return [fn](const json& in, ServeContext& ctx) -> json {
      try {
        return fn(*service_state(ctx).route53, in, ctx.simulation.now());
      } catch (const Route53Error& e) {
        throw ApiError{e.code, e.message, e.status};
      }
    };
  };
  using B = route53::Backend;
  static const std::vector<OpDef> ops = {
      {"CreateHostedZone", {"Name", "CallerReference", "HostedZoneConfig"},
       wrap([](B& b, const json& in, double t) { return b.create_hosted_zone(in, t); })},
      {"GetHostedZone", {"Id"}, wrap([](B& b, const json& in, double) { return b.get_hosted_zone(in); })},
      {"ListHostedZones", {"Marker", "MaxItems"}, wrap([](B& b, const json& in, double) { return b.list_hosted_zones(in); })},
      {"DeleteHostedZone", {"Id"}, wrap([](B& b, const json& in, double t) { return b.delete_hosted_zone(in, t); })},
      {"ChangeResourceRecordSets", {"HostedZoneId", "ChangeBatch"},
       wrap([](B& b, const json& in, double t) { return b.change_resource_record_sets(in, t); })},
      {"ListResourceRecordSets", {"HostedZoneId", "StartRecordName", "StartRecordType", "MaxItems"},
       wrap([](B& b, const json& in, double) { return b.list_resource_record_sets(in); })},
      {"GetChange", {"Id"}, wrap([](B& b, const json& in, double t) { return b.get_change(in, t); })},
      {"CreateHealthCheck", {"CallerReference", "HealthCheckConfig"},
       wrap([](B& b, const json& in, double) { return b.create_health_check(in); })},
      {"GetHealthCheck", {"HealthCheckId"}, wrap([](B& b, const json& in, double) { return b.get_health_check(in); })},
      {"ListHealthChecks", {"Marker", "MaxItems"}, wrap([](B& b, const json& in, double) { return b.list_health_checks(in); })},
      {"DeleteHealthCheck", {"HealthCheckId"}, wrap([](B& b, const json& in, double) { return b.delete_health_check(in); })},
  };
  return ops;
}

}  // namespace migsim::harness::serve
