#include "sim/region_name.hpp"

#include <cctype>

namespace migsim::sim {

bool valid_region_name(const std::string& region)
{
  if (region.empty() || region.size() > 63 || region.front() == '-' || region.back() == '-')
    return false;
  for (unsigned char c : region)
    if (!std::isalnum(c) && c != '-')
      return false;
  return true;
}

}  // namespace migsim::sim
