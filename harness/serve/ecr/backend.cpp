#include "harness/serve/ecr/backend.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include <regex>

namespace migsim::harness::serve::ecr {

Repository& EcrBackend::create(const std::string& region, const std::string& name, double t)
{
  // ECR: 2-256 characters, lowercase letters, digits and ._-/ separators between components.
  static const std::regex kName("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
  if (name.size() < 2 || name.size() > 256 || !std::regex_match(name, kName))
    throw errors::validation("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy "
                             "regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*' "
                             "and be 2-256 characters'",
                             "InvalidParameterException");
  if (repos_.count(name))
    throw errors::already_exists("The repository with name '" + name + "' already exists in the registry with id '" +
                                     kAccountId + "'",
                                 "RepositoryAlreadyExistsException");
  Repository& r = repos_[name];
  r.name = name;
  r.arn = arn_in(region, "ecr", "repository/" + name);
  r.uri = std::string(kAccountId) + ".dkr.ecr." + region + ".amazonaws.com/" + name;
  r.created_s = t;
  return r;
}

Repository& EcrBackend::repo(const std::string& name)
{
  auto it = repos_.find(name);
  if (it == repos_.end())
    throw errors::not_found("The repository with name '" + name + "' does not exist in the registry with id '" +
                                kAccountId + "'",
                            "RepositoryNotFoundException");
  return it->second;
}

Repository& EcrBackend::by_arn(const std::string& arn)
{
  for (auto& [_, r] : repos_)
    if (r.arn == arn)
      return r;
  throw errors::validation("Invalid parameter at 'resourceArn': no repository " + arn, "InvalidParameterException");
}

void EcrBackend::remove(const std::string& name, bool)
{
  repo(name);  // no images can be pushed here, so a repository is always empty and `force` changes nothing
  repos_.erase(name);
}

std::vector<const Repository*> EcrBackend::all() const
{
  std::vector<const Repository*> out;
  for (const auto& [_, r] : repos_)
    out.push_back(&r);
  return out;
}

}  // namespace migsim::harness::serve::ecr
