#include "harness/k8s/api_server.hpp"

#include "harness/aws/protocol/text.hpp"
#include "harness/k8s/autoscalers.hpp"
#include "harness/k8s/cluster.hpp"
#include "harness/k8s/discovery.hpp"
#include "harness/k8s/disruption.hpp"
#include "harness/k8s/metrics.hpp"
#include "harness/k8s/nodes.hpp"
#include "harness/k8s/service_accounts.hpp"
#include "harness/k8s/status.hpp"
#include "harness/k8s/volumes.hpp"
#include "harness/run/simulation.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/eks/backend.hpp"
#include "sim/region_name.hpp"
#include "models/eks/eks_cluster.hpp"

#include <ctime>
#include <sstream>

namespace migsim::harness::k8s {

namespace {

using serve::Request;
using serve::Response;
using serve::ServeContext;
namespace http = serve::http;

const std::string kPrefix = "/_migsim/eks/";

// The clusters' API state, by "REGION/NAME" (EKS cluster names are per region), made on first use.
struct Clusters {
  std::map<std::string, std::unique_ptr<Cluster>> by_name;
};

// Serves the state of one region for the scope of a request or a controller run: what a cluster's
// controllers reach through ServeContext::state (its EKS cluster, the ALBs its Ingresses make) is
// its own region's.
class RegionScope {
public:
  RegionScope(ServeContext& ctx, std::string region) : ctx_(ctx), saved_(std::move(ctx.request_region))
  {
    ctx_.request_region = std::move(region);
  }
  ~RegionScope() { ctx_.request_region = std::move(saved_); }
  RegionScope(const RegionScope&) = delete;
  RegionScope& operator=(const RegionScope&) = delete;

private:
  ServeContext& ctx_;
  std::string saved_;
};

// A path's cluster segment: NAME for a cluster in the scenario's region, NAME.REGION for one
// created through the API in another (cluster names hold no dot, so the split is unambiguous).
std::pair<std::string, std::string> cluster_and_region(const std::string& segment, const ServeContext& ctx)
{
  const auto dot = segment.find('.');
  if (dot == std::string::npos)
    return {segment, serve::scenario_region(ctx)};
  const std::string region = segment.substr(dot + 1);
  if (!sim::valid_region_name(region))
    throw ApiError(404, "NotFound", "\"" + region + "\" in the path is not a region (use /_migsim/eks/<cluster-name>.<region>/)");
  return {segment.substr(0, dot), region};
}

Response json_reply(int status, const json& body, const std::vector<std::pair<std::string, std::string>>& headers = {})
{
  Response res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "application/json");
  res.set("Cache-Control", "no-cache, private");
  for (const auto& [k, v] : headers)
    res.set(k, v);
  res.body() = body.dump();
  return res;
}

// The controllers on the simulated clock (Nodes from the EKS model, ServiceAccounts, HPAs, volumes, Deployments, disruption
// budgets, metrics-server, the Load Balancer Controller): the HPAs first (a Deployment they scale rolls at once).
void run_controllers(Cluster& c, ServeContext& ctx, double now)
{
  advance_ingresses(c.store, c.albs, c.events, ctx, c.name, now, iso_time);
  if (c.model)
    advance_nodes(c.store, *c.model, c.minor, now, iso_time);
  advance_service_accounts(c.store, now, iso_time);
  advance_autoscalers(c.store, c.deployments, c.model, now, iso_time);
  advance_volumes(c.store, now, iso_time);
  c.deployments.advance(c.store, now, iso_time);
  advance_disruption_budgets(c.store, now, iso_time);  // after the pods have moved
  if (c.model)
    advance_metrics(c.store, c.deployments, *c.model, iso_time);
}

Response error_reply(const ApiError& e) { return json_reply(e.code, status_json(e)); }

std::vector<std::string> segments(const std::string& path)
{
  std::vector<std::string> out;
  std::istringstream in(path);
  for (std::string s; std::getline(in, s, '/');)
    if (!s.empty())
      out.push_back(aws::text::uri_decode(s, false));
  return out;
}

std::map<std::string, std::string> parse_query(const std::string& q)
{
  std::map<std::string, std::string> out;
  std::istringstream in(q);
  for (std::string pair; std::getline(in, pair, '&');) {
    if (pair.empty())
      continue;
    const auto eq = pair.find('=');
    out[aws::text::uri_decode(pair.substr(0, eq), true)] =
        eq == std::string::npos ? "" : aws::text::uri_decode(pair.substr(eq + 1), true);
  }
  return out;
}

std::string header(const Request& req, http::field f)
{
  auto it = req.find(f);
  return it == req.end() ? "" : std::string(it->value());
}

Cluster& cluster_state(ServeContext& ctx, const std::string& name, const std::string& version)
{
  const std::string region = ctx.state_region();
  auto& slot = ctx.state<Clusters>().by_name[region + "/" + name];
  if (!slot) {
    slot = std::make_unique<Cluster>();
    slot->name = name;
    const auto dot = version.find('.');
    if (dot != std::string::npos)
      slot->minor = version.substr(dot + 1);
    models::eks::EksCluster* model = ctx.simulation.eks();
    if (model && model->spec().cluster_name == name && serve::in_scenario_region(ctx)) {
      slot->model = model;
      slot->deployments.bind_model(model);
    }
    slot->deployments.record_events_to(&slot->events);
    seed_cluster(*slot, ctx.simulation.now());
  }
  return *slot;
}

// Discovery, version and OpenAPI paths; nullopt for anything else.
std::optional<Response> serve_documents(const std::vector<std::string>& s, const Cluster& c, const std::string& host)
{
  const size_t n = s.size();
  if (n == 1 && s[0] == "version")
    return json_reply(200, version_json(c.minor));
  if (n == 1 && s[0] == "api")
    return json_reply(200, api_versions_json(host));
  if (n == 2 && s[0] == "api") {
    if (auto doc = resource_list_json("", s[1]))
      return json_reply(200, *doc);
    return error_reply(ApiError(404, "NotFound", "the server could not find the requested resource"));
  }
  if (n == 1 && s[0] == "apis")
    return json_reply(200, api_group_list_json());
  if (n == 2 && s[0] == "apis") {
    if (auto doc = api_group_json(s[1]))
      return json_reply(200, *doc);
    return error_reply(ApiError(404, "NotFound", "the server could not find the requested resource"));
  }
  if (n == 3 && s[0] == "apis") {
    if (auto doc = resource_list_json(s[1], s[2]))
      return json_reply(200, *doc);
    return error_reply(ApiError(404, "NotFound", "the server could not find the requested resource"));
  }
  if (n >= 2 && s[0] == "openapi" && s[1] == "v3") {
    if (n == 2)
      return json_reply(200, openapi_index_json());
    std::string gv;
    for (size_t i = 2; i < n; ++i)
      gv += (i > 2 ? "/" : "") + s[i];
    if (auto doc = openapi_document(gv))
      return json_reply(200, *doc, {{"Cache-Control", "public, immutable"}});
    return error_reply(ApiError(404, "NotFound", "the server could not find the requested resource"));
  }
  return std::nullopt;
}

// The resource path's parts: /api/v1/... or /apis/G/V/...; nullopt when it is not one.
std::optional<ApiRequest> parse_resource_path(const std::vector<std::string>& s)
{
  size_t at = 0;
  std::string group, version;
  if (s.size() >= 3 && s[0] == "api") {
    version = s[1];
    at = 2;
  } else if (s.size() >= 4 && s[0] == "apis") {
    group = s[1];
    version = s[2];
    at = 3;
  } else {
    return std::nullopt;
  }
  ApiRequest r;
  std::vector<std::string> rest(s.begin() + static_cast<long>(at), s.end());
  std::string plural;
  if (rest.size() >= 3 && rest[0] == "namespaces") {
    r.ns = rest[1];
    plural = rest[2];
    rest.erase(rest.begin(), rest.begin() + 3);
  } else {
    plural = rest[0];
    rest.erase(rest.begin());
  }
  if (!rest.empty())
    r.name = rest[0];
  if (rest.size() >= 2)
    r.subresource = rest[1];
  if (rest.size() > 2)
    return std::nullopt;
  r.resource = find_resource(group, version, plural);
  if (!r.resource)
    throw ApiError(404, "NotFound", "the server could not find the requested resource");
  if (!r.resource->namespaced && !r.ns.empty())
    throw ApiError(404, "NotFound", "the server could not find the requested resource");
  return r;
}

}  // namespace

std::string iso_time(double sim_s)
{
  const std::time_t t = static_cast<std::time_t>(serve::epoch_s(sim_s));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void seed_cluster(Cluster& c, double now_s)
{
  const Resource* ns = find_resource("", "v1", "namespaces");
  for (const char* name : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
    json obj = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/metadata.name", name}}}}},
                {"spec", {{"finalizers", {"kubernetes"}}}}, {"status", {{"phase", "Active"}}}};
    c.store.create(ns->key(), "", obj, iso_time(now_s));
  }
  const Resource* svc = find_resource("", "v1", "services");
  json kubernetes = {{"apiVersion", "v1"}, {"kind", "Service"},
                     {"metadata", {{"name", "kubernetes"}, {"labels", {{"component", "apiserver"}, {"provider", "kubernetes"}}}}},
                     {"spec", {{"type", "ClusterIP"}, {"clusterIP", "10.100.0.1"}, {"clusterIPs", {"10.100.0.1"}},
                               {"ports", {{{"name", "https"}, {"port", 443}, {"protocol", "TCP"}, {"targetPort", 443}}}},
                               {"sessionAffinity", "None"}, {"ipFamilies", {"IPv4"}}, {"ipFamilyPolicy", "SingleStack"},
                               {"internalTrafficPolicy", "Cluster"}}},
                     {"status", {{"loadBalancer", json::object()}}}};
  c.store.create(svc->key(), "default", kubernetes, iso_time(now_s));
  // The AWS Load Balancer Controller's IngressClass, as its Helm chart installs it on EKS.
  const Resource* classes = find_resource("networking.k8s.io", "v1", "ingressclasses");
  json alb = {{"apiVersion", "networking.k8s.io/v1"}, {"kind", "IngressClass"},
              {"metadata", {{"name", "alb"}, {"labels", {{"app.kubernetes.io/name", "aws-load-balancer-controller"}}}}},
              {"spec", {{"controller", "ingress.k8s.aws/alb"}}}};
  c.store.create(classes->key(), "", alb, iso_time(now_s));
  // EKS's gp2 StorageClass (not the default one since Kubernetes 1.30); its in-tree EBS provisioner
  // is not run here, so its claims stay Pending.
  const Resource* storage = find_resource("storage.k8s.io", "v1", "storageclasses");
  json gp2 = {{"apiVersion", "storage.k8s.io/v1"}, {"kind", "StorageClass"}, {"metadata", {{"name", "gp2"}}},
              {"provisioner", "kubernetes.io/aws-ebs"}, {"parameters", {{"fsType", "ext4"}, {"type", "gp2"}}},
              {"reclaimPolicy", "Delete"}, {"volumeBindingMode", "WaitForFirstConsumer"}};
  c.store.create(storage->key(), "", gp2, iso_time(now_s));
}

Response handle_request(const Request& req, ServeContext& ctx)
{
  const std::string target(req.target());
  const auto qmark = target.find('?');
  const std::string path = target.substr(0, qmark);
  const std::vector<std::string> s = segments(path.substr(kPrefix.size()));
  try {
    if (s.empty())
      throw ApiError(404, "NotFound", "no cluster named in the path: use /_migsim/eks/<cluster-name>/");
    const auto [name, region] = cluster_and_region(s[0], ctx);
    RegionScope scope(ctx, region);
    const auto info = serve::eks_cluster_info(ctx, name);
    if (!info)
      throw ApiError(404, "NotFound", "no EKS cluster named \"" + name + "\" (ListClusters names them)");
    if (info->status != "ACTIVE" && info->status != "UPDATING")
      throw ApiError(503, "ServiceUnavailable", "the API server of EKS cluster \"" + name + "\" is not up: the cluster is " + info->status);
    // Over TLS a request must carry the token of `aws eks get-token` (what kubectl sends with the
    // kubeconfig of `aws eks update-kubeconfig`). kubectl sends no credentials to an http:// server
    // (client-go applies them to TLS connections only), so on the plain port a request without
    // Authorization is served, and one with credentials must carry that token too.
    const std::string auth = header(req, http::field::authorization);
    if ((ctx.request_tls || !auth.empty()) && auth.rfind("Bearer k8s-aws-v1.", 0) != 0)
      throw ApiError(401, "Unauthorized", "Unauthorized: the token is not one of `aws eks get-token --cluster-name " + name + "`");
    Cluster& c = cluster_state(ctx, name, info->version);
    const double now = ctx.simulation.now();
    c.now_s = now;
    run_controllers(c, ctx, now);
    const std::vector<std::string> rest(s.begin() + 1, s.end());
    if (req.method() == http::verb::get)
      if (auto doc = serve_documents(rest, c, ctx.request_host))
        return *doc;
    auto parsed = parse_resource_path(rest);
    if (!parsed)
      throw ApiError(404, "NotFound", "the server could not find the requested resource");
    ApiRequest& r = *parsed;
    r.method = std::string(req.method_string());
    r.query = parse_query(qmark == std::string::npos ? "" : target.substr(qmark + 1));
    r.accept = header(req, http::field::accept);
    r.content_type = header(req, http::field::content_type);
    r.body = req.body();
    ApiReply reply = serve_objects(c, r, now);
    if (r.method != "GET")
      run_controllers(c, ctx, now);  // a change starts its rollout at once
    Response res = json_reply(reply.status, reply.body, reply.headers);
    if (reply.stream) {
      res.body().clear();
      res.set(http::field::content_type, "application/json");
      res.set("Transfer-Encoding", "chunked");
      ctx.stream = reply.stream;
    }
    return res;
  } catch (const ApiError& e) {
    return error_reply(e);
  } catch (const json::exception& e) {
    return error_reply(bad_request(std::string("the request body is not the JSON expected: ") + e.what()));
  }
}

void advance(ServeContext& ctx)
{
  auto& clusters = ctx.state<Clusters>().by_name;
  if (clusters.empty())
    return;
  const double now = ctx.simulation.now();
  const auto wall = std::chrono::steady_clock::now();
  for (auto& [key, c] : clusters) {
    RegionScope scope(ctx, key.substr(0, key.find('/')));
    c->now_s = now;
    run_controllers(*c, ctx, now);
    for (auto it = c->watches.begin(); it != c->watches.end();) {
      if (it->stream->cancelled() || it->stream->ended() || wall >= it->deadline) {
        c->store.unwatch(it->id);
        it->stream->end();
        it = c->watches.erase(it);
      } else {
        ++it;
      }
    }
  }
}

}  // namespace migsim::harness::k8s
