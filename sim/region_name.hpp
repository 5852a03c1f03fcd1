// The one rule for an AWS region name, shared by the scenario's `region` key and migsim's AWS client
// (`migsim aws --region`): what botocore accepts.
#pragma once

#include <string>

namespace migsim::sim {

// 1-63 letters, digits and '-', not starting or ending with '-'.
bool valid_region_name(const std::string& region);

}  // namespace migsim::sim
