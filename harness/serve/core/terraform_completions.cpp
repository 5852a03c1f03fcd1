// What the terraform AWS provider needs beyond each service's base operations: tags, attributes,
// subnet groups, registered per service (each file named after its concept).
#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve {

void register_sns_topic_attributes(Registry& r);    // sns/topic_attributes.cpp
void register_ssm_parameter_metadata(Registry& r);  // ssm/parameter_metadata.cpp
void register_cloudwatch_alarm_tags(Registry& r);   // cloudwatch/alarm_tags.cpp
void register_route53_tags(Registry& r);            // route53/tags.cpp
void register_rds_subnet_groups(Registry& r);       // rds/subnet_groups.cpp
void register_dms_subnet_groups(Registry& r);       // dms/subnet_groups.cpp

void register_terraform_completions(Registry& r)
{
  register_sns_topic_attributes(r);
  register_ssm_parameter_metadata(r);
  register_cloudwatch_alarm_tags(r);
  register_route53_tags(r);
  register_rds_subnet_groups(r);
  register_dms_subnet_groups(r);
}

}  // namespace migsim::harness::serve
