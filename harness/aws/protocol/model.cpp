#include "harness/aws/protocol/model.hpp"

#include "aws_models_data.hpp"  // generated from harness/aws/models/*.json (harness/aws/CMakeLists.txt)

#include <algorithm>
#include <strings.h>

namespace migsim::aws {

namespace {

// The protocol of botocore's spelling; false for protocols the codec does not speak.
bool protocol_of(const std::string& s, Protocol& out)
{
  if (s == "json") out = Protocol::json;
  else if (s == "rest-json") out = Protocol::rest_json;
  else if (s == "query") out = Protocol::query;
  else if (s == "rest-xml") out = Protocol::rest_xml;
  else if (s == "smithy-rpc-v2-cbor") out = Protocol::rpc_v2_cbor;
  else if (s == "ec2") out = Protocol::ec2;
  else return false;
  return true;
}

// Builds one service's tables from its generated JSON.
Model load(const std::string& name, const char* text)
{
  json doc = json::parse(text);
  const json& md = doc.at("metadata");
  Model m;
  m.info.name = name;
  std::vector<std::string> declared;
  if (md.contains("protocols"))
    declared = md.at("protocols").get<std::vector<std::string>>();
  else
    declared.push_back(str(md, "protocol"));
  for (const auto& p : declared) {
    Protocol proto;
    if (protocol_of(p, proto))
      m.protocols.push_back(proto);
  }
  if (m.protocols.empty())
    throw std::logic_error("aws model " + name + ": no protocol the codec speaks");
  m.info.protocol = m.protocols.front();
  for (Protocol p : m.protocols)
    if (p != Protocol::rpc_v2_cbor) {
      m.info.protocol = p;  // migsim's client keeps to what moto reads too
      break;
    }
  m.info.protocols = m.protocols;
  m.info.api_version = str(md, "apiVersion");
  m.info.endpoint_prefix = str(md, "endpointPrefix");
  m.info.signing_name = str(md, "signingName", m.info.endpoint_prefix);
  m.info.target_prefix = str(md, "targetPrefix");
  m.info.json_version = str(md, "jsonVersion", "1.0");
  m.info.xml_namespace = str(md, "xmlNamespace");
  m.shapes = std::move(doc.at("shapes"));
  m.ops = std::move(doc.at("operations"));
  for (const auto& [op_name, op] : m.ops.items()) {
    OperationInfo o;
    o.service = name;
    o.name = op_name;
    const json& http = op.at("http");
    o.http_method = str(http, "method", "POST");
    o.request_uri = str(http, "requestUri", "/");
    o.response_code = http.value("responseCode", 200);
    if (op.contains("input"))
      o.input_shape = op["input"].at("shape");
    if (op.contains("output"))
      o.output_shape = op["output"].at("shape");
    if (op.contains("errors"))
      o.errors = op["errors"].get<std::vector<std::string>>();
    m.operations.emplace(op_name, std::move(o));
  }
  // rest-xml services without a metadata namespace use their operations' (Route 53).
  if (m.info.xml_namespace.empty())
    for (const auto& [_, op] : m.ops.items())
      if (op.contains("input") && op["input"].contains("xmlNamespace")) {
        m.info.xml_namespace = op["input"]["xmlNamespace"].value("uri", "");
        break;
      }
  if (m.info.xml_namespace.empty() && name == "s3")
    m.info.xml_namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
  return m;
}

}  // namespace

const json& Model::input_ref(const std::string& op) const
{
  static const json none;
  const json& o = ops.at(op);
  auto it = o.find("input");
  return it == o.end() ? none : *it;
}

const json& Model::output_ref(const std::string& op) const
{
  static const json none;
  const json& o = ops.at(op);
  auto it = o.find("output");
  return it == o.end() ? none : *it;
}

const std::map<std::string, Model>& models()
{
  static const std::map<std::string, Model> all = [] {
    std::map<std::string, Model> out;
    for (const auto& [name, text] : kAwsModels)
      out.emplace(name, load(name, text));
    return out;
  }();
  return all;
}

const Model* find_model(const std::string& name)
{
  const auto& all = models();
  if (auto it = all.find(name); it != all.end())
    return &it->second;
  for (const auto& [_, m] : all)
    if (m.info.signing_name == name || m.info.endpoint_prefix == name)
      return &m;
  return nullptr;
}

bool HeaderLess::operator()(const std::string& a, const std::string& b) const
{
  return strcasecmp(a.c_str(), b.c_str()) < 0;
}

const char* to_string(Protocol p)
{
  switch (p) {
    case Protocol::json: return "json";
    case Protocol::rest_json: return "rest-json";
    case Protocol::query: return "query";
    case Protocol::rest_xml: return "rest-xml";
    case Protocol::rpc_v2_cbor: return "smithy-rpc-v2-cbor";
    case Protocol::ec2: return "ec2";
  }
  return "?";
}

AwsError::AwsError(std::string c, std::string m, int s, bool snd)
    : std::runtime_error(c + ": " + m), code(std::move(c)), message(std::move(m)), status(s), sender(snd)
{
}

std::vector<std::string> services()
{
  std::vector<std::string> out;
  for (const auto& [name, _] : models())
    out.push_back(name);
  return out;
}

const ServiceInfo* find_service(const std::string& name)
{
  const Model* m = find_model(name);
  return m ? &m->info : nullptr;
}

const OperationInfo* find_operation(const std::string& service, const std::string& operation)
{
  const Model* m = find_model(service);
  if (!m)
    return nullptr;
  auto it = m->operations.find(operation);
  return it == m->operations.end() ? nullptr : &it->second;
}

std::vector<std::string> operations(const std::string& service)
{
  std::vector<std::string> out;
  if (const Model* m = find_model(service))
    for (const auto& [name, _] : m->operations)
      out.push_back(name);
  return out;
}

}  // namespace migsim::aws
