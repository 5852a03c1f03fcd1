// Patches and field validation of the Kubernetes API without HTTP: RFC 7386's own examples for JSON
// merge patch, strategic merge by the schema's merge keys with the directives kubectl sends, RFC
// 6902 operations, unknown fields and wrong types named as the API server names them.
#include "harness/k8s/patch.hpp"
#include "harness/k8s/schema.hpp"

#include <catch2/catch.hpp>

using namespace migsim::harness::k8s;
using nlohmann::json;

TEST_CASE("JSON merge patch reproduces the examples of RFC 7386 appendix A", "[k8s]")
{
  struct Case {
    const char *target, *patch, *result;
  };
  const Case cases[] = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", "null", "null"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (const auto& c : cases)
    CHECK(merge_patch(json::parse(c.target), json::parse(c.patch)) == json::parse(c.result));
}

TEST_CASE("strategic merge patch merges lists by the schema's merge keys, with kubectl's directives", "[k8s]")
{
  const TypeSchema* deploy = Schemas::get().of_kind("apps", "v1", "Deployment");
  REQUIRE(deploy);
  const json live = json::parse(R"({"spec":{"replicas":3,
    "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
    "template":{"spec":{"containers":[
      {"name":"web","image":"nginx:1.27","ports":[{"containerPort":80,"protocol":"TCP"}],
       "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
      {"name":"sidecar","image":"envoy:1"}]}}}})");

  // kubectl apply's patch for a new image: the container is merged by name, its ports kept.
  const json p1 = json::parse(R"({"spec":{"replicas":4,"template":{"spec":{
    "$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
    "containers":[{"name":"web","image":"nginx:1.28","env":[{"name":"A","value":"9"}]}]}}}})");
  const json r1 = strategic_merge_patch(live, p1, deploy);
  const json& c1 = r1["spec"]["template"]["spec"]["containers"];
  REQUIRE(c1.size() == 2);
  CHECK(c1[0]["image"] == "nginx:1.28");
  CHECK(c1[0]["ports"][0]["containerPort"] == 80);
  CHECK(c1[0]["env"] == json::parse(R"([{"name":"A","value":"9"},{"name":"B","value":"2"}])"));  // env merged by name
  CHECK(c1[1]["name"] == "sidecar");
  CHECK(r1["spec"]["replicas"] == 4);
  CHECK_FALSE(r1["spec"]["template"]["spec"].contains("$setElementOrder/containers"));

  // A removed container ($patch: delete by merge key).
  const json p2 = json::parse(R"({"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}})");
  CHECK(strategic_merge_patch(live, p2, deploy)["spec"]["template"]["spec"]["containers"].size() == 1);

  // Recreate: $retainKeys drops rollingUpdate; null deletes.
  const json p3 = json::parse(R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}})");
  CHECK(strategic_merge_patch(live, p3, deploy)["spec"]["strategy"] == json{{"type", "Recreate"}});

  // $patch: replace on a map replaces it whole.
  const json p4 = json::parse(R"({"spec":{"strategy":{"$patch":"replace","type":"Recreate"}}})");
  CHECK(strategic_merge_patch(live, p4, deploy)["spec"]["strategy"] == json{{"type", "Recreate"}});

  // A list item without its merge key cannot merge: 422.
  const json p5 = json::parse(R"({"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})");
  CHECK_THROWS_AS(strategic_merge_patch(live, p5, deploy), ApiError);

  // A set of primitives (finalizers) merges as a set; $deleteFromPrimitiveList removes.
  const TypeSchema* cm = Schemas::get().of_kind("", "v1", "ConfigMap");
  const json with_f = json::parse(R"({"metadata":{"finalizers":["a","b"]}})");
  CHECK(strategic_merge_patch(with_f, json::parse(R"({"metadata":{"finalizers":["b","c"]}})"), cm)["metadata"]["finalizers"] ==
        json::parse(R"(["a","b","c"])"));
  CHECK(strategic_merge_patch(with_f, json::parse(R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}})"), cm)
            ["metadata"]["finalizers"] == json::parse(R"(["b"])"));
}

TEST_CASE("JSON patch applies RFC 6902 operations and refuses what cannot apply", "[k8s]")
{
  const json doc = json::parse(R"({"spec":{"replicas":3},"metadata":{"labels":{"a":"1"}},"list":[1,2]})");
  const json ops = json::parse(R"([{"op":"replace","path":"/spec/replicas","value":5},
    {"op":"add","path":"/metadata/labels/b","value":"2"},{"op":"remove","path":"/metadata/labels/a"},
    {"op":"add","path":"/list/-","value":3},{"op":"test","path":"/spec/replicas","value":5}])");
  const json r = json_patch(doc, ops);
  CHECK(r["spec"]["replicas"] == 5);
  CHECK(r["metadata"]["labels"] == json{{"b", "2"}});
  CHECK(r["list"] == json::parse("[1,2,3]"));
  CHECK_THROWS_AS(json_patch(doc, json::parse(R"([{"op":"test","path":"/spec/replicas","value":4}])")), ApiError);
  CHECK_THROWS_AS(json_patch(doc, json::parse(R"([{"op":"replace","path":"/nope/x","value":4}])")), ApiError);
}

TEST_CASE("field validation names unknown fields and wrong types as the API server does", "[k8s]")
{
  const TypeSchema* deploy = Schemas::get().of_kind("apps", "v1", "Deployment");
  REQUIRE(deploy);
  json d = json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
    "spec":{"replica":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
    "spec":{"containers":[{"name":"web","imagee":"nginx","resources":{"requests":{"cpu":"1"}}}]}}}})");
  const auto unknown = unknown_fields(d, *deploy, true);
  CHECK(unknown == std::vector<std::string>{"spec.replica", "spec.template.spec.containers[0].imagee"});
  CHECK_FALSE(d["spec"].contains("replica"));  // pruned
  CHECK(unknown_fields(d, *deploy, false).empty());

  json wrong = json::parse(R"({"spec":{"replicas":"three"}})");
  CHECK(type_error(wrong, *deploy) ==
        std::optional<std::string>("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"));
  CHECK_FALSE(type_error(json::parse(R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}}}})"), *deploy));

  // Every kind served has a schema whose references resolve, and the notation's errors name the line.
  for (const char* kind : {"Deployment", "ConfigMap", "Secret", "Service", "Namespace"})
    CHECK(Schemas::get().of_kind(std::string(kind) == "Deployment" ? "apps" : "", "v1", kind));
  CHECK_THROWS_WITH(Schemas::parse("type a.B : x\n  f @a.C : y\n"), Catch::Contains("refers to unknown a.C"));
  CHECK_THROWS_WITH(Schemas::parse("  f string : y\n"), Catch::Contains("schema line 1"));
}
