#include "harness/serve/ssm/backend.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/aws/client/crypto.hpp"
#include "harness/aws/protocol/text.hpp"

namespace migsim::harness::serve {

std::string SsmParameter::ciphertext() const
{
  // A KMS ciphertext blob starts 01 02 02 00 78 (version, key-id tag); the rest stands for the key id
  // and the encrypted data, as long as the value plus KMS's overhead.
  std::string blob("\x01\x02\x02\x00\x78", 5);
  blob += aws::crypto::sha256("migsim-kms-key:alias/aws/ssm");
  std::string data;
  for (int block = 0; data.size() < value.size() + 64; ++block)
    data += aws::crypto::sha256(name + "\n" + std::to_string(version) + "\n" + std::to_string(block) + "\n" + value);
  blob += data.substr(0, value.size() + 64);
  return aws::text::base64_encode(blob);
}

std::string SsmParameter::arn() const
{
  return arn_in(region, "ssm", "parameter" + (name.rfind('/', 0) == 0 ? name : "/" + name));
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
  p.region = region;
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

void SsmBackend::remove(const std::string& name)
{
  get(name);
  parameters_.erase(name);
}

}  // namespace migsim::harness::serve
