#include "harness/serve/ssm/backend.hpp"

namespace migsim::harness::serve {

std::string SsmParameter::arn() const
{
  return "arn:aws:ssm:us-east-1:000000000000:parameter" + (name.rfind('/', 0) == 0 ? name : "/" + name);
}

const SsmParameter& SsmBackend::put(SsmParameter p, bool overwrite, ServeContext& ctx)
{
  auto it = parameters_.find(p.name);
  if (it != parameters_.end() && !overwrite)
    throw aws::AwsError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the "
                                                  "overwrite option in the request to true.", 400);
  if (p.value.empty())
    throw aws::AwsError("ValidationException", "1 validation error detected: Value '' at 'value' failed to satisfy "
                                               "constraint: Member must have length greater than or equal to 1", 400);
  if (p.value.size() > 4096)
    throw aws::AwsError("ValidationException", "Standard tier parameters support a maximum parameter value of 4096 "
                                               "characters.", 400);
  p.version = it == parameters_.end() ? 1 : it->second.version + 1;
  if (it != parameters_.end() && p.description.empty())
    p.description = it->second.description;
  for (const auto& hook : hooks_)
    hook(p, ctx);
  return parameters_[p.name] = std::move(p);
}

const SsmParameter& SsmBackend::get(const std::string& name) const
{
  auto it = parameters_.find(name);
  if (it == parameters_.end())
    throw aws::AwsError("ParameterNotFound", "Parameter " + name + " not found.", 400);
  return it->second;
}

}  // namespace migsim::harness::serve
