#include "harness/runbook/operations.hpp"

#include "runbook/aws_operations_json.hpp"

#include <nlohmann/json.hpp>

#include <map>

namespace migsim::harness::runbook {

namespace {

struct Table {
  std::map<std::string, std::map<std::string, OperationInfo>> services;
  std::string source;
};

// The compiled-in table, parsed once.
const Table& table()
{
  static const Table t = [] {
    Table out;
    const auto doc = nlohmann::json::parse(kAwsOperationsJson);
    out.source = "botocore " + doc.at("botocore_version").get<std::string>();
    for (const auto& [service, s] : doc.at("services").items())
      for (const auto& [op, o] : s.at("operations").items())
        out.services[service][op] = {o.at("members").get<std::vector<std::string>>(),
                                     o.at("required").get<std::vector<std::string>>()};
    return out;
  }();
  return t;
}

}  // namespace

bool known_service(const std::string& service) { return table().services.count(service) > 0; }

const OperationInfo* find_operation(const std::string& service, const std::string& api)
{
  const auto s = table().services.find(service);
  if (s == table().services.end())
    return nullptr;
  const auto o = s->second.find(api);
  return o == s->second.end() ? nullptr : &o->second;
}

std::vector<std::string> known_services()
{
  std::vector<std::string> out;
  for (const auto& [name, ops] : table().services)
    out.push_back(name);
  return out;
}

std::string operations_source() { return table().source; }

}  // namespace migsim::harness::runbook
