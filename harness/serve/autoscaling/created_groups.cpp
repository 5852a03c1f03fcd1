#include "harness/serve/autoscaling/backend.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/serve/ec2/backend.hpp"
#include "models/aws/aws_estate.hpp"
#include "models/ec2/instance_catalog.hpp"
#include "sim/engine.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>

namespace migsim::harness::serve::autoscaling {

using nlohmann::json;
namespace asg = models::asg;

namespace {

// The simulation's clock for the API groups (sim::Engine, as the estate's EngineClock).
class EngineClock final : public models::Clock {
public:
  explicit EngineClock(sim::Engine& e) : engine_(e) {}
  double now() const override { return engine_.now(); }
  void at(double t_s, std::function<void()> fn) override { engine_.at(std::max(t_s, now()), std::move(fn)); }

private:
  sim::Engine& engine_;
};

int integer(const json& in, const char* key)
{
  const auto& v = in.at(key);
  return v.is_string() ? std::stoi(v.get<std::string>()) : v.get<int>();
}


// The Availability Zones of the group: AvailabilityZones, else one per subnet of VPCZoneIdentifier
// ("subnet-<az>" names its AZ, as the mock's own groups show; any other subnet takes the region's
// zones a, b, c ... in the order given).
std::vector<std::string> zones_of(const json& in, const std::string& region)
{
  static const std::regex az_form("[a-z]{2}(-[a-z]+)+-[0-9][a-z]");
  std::vector<std::string> azs;
  if (in.contains("AvailabilityZones"))
    for (const auto& z : in["AvailabilityZones"]) {
      const std::string az = z.get<std::string>();
      if (!std::regex_match(az, az_form) || az.rfind(region, 0) != 0)
        throw errors::error("ValidationError", "The availability zone '" + az + "' is not legally formatted or not in " + region);
      if (std::find(azs.begin(), azs.end(), az) == azs.end())
        azs.push_back(az);
    }
  if (in.contains("VPCZoneIdentifier")) {
    const std::string ids = in["VPCZoneIdentifier"].get<std::string>();
    size_t from = 0, n = 0;
    while (from <= ids.size()) {
      size_t comma = ids.find(',', from);
      if (comma == std::string::npos)
        comma = ids.size();
      std::string subnet = ids.substr(from, comma - from);
      subnet.erase(std::remove_if(subnet.begin(), subnet.end(), ::isspace), subnet.end());
      from = comma + 1;
      if (subnet.empty())
        continue;
      if (subnet.rfind("subnet-", 0) != 0)
        throw errors::error("ValidationError", "The subnet ID '" + subnet + "' does not exist");
      std::string az = subnet.substr(7);
      if (!std::regex_match(az, az_form))
        az = region + static_cast<char>('a' + (n % 6));
      ++n;
      if (std::find(azs.begin(), azs.end(), az) == azs.end())
        azs.push_back(az);
    }
  }
  if (azs.empty())
    throw errors::error("ValidationError", "At least one Availability Zone or VPC Subnet is required.");
  return azs;
}

// The instance type a launch template version gives; throws an AwsError naming what is wrong.
std::string type_of_version(const LaunchTemplateVersion& v)
{
  const std::string type = v.data.value("InstanceType", std::string());
  if (type.empty())
    throw errors::error("ValidationError", "You must use a valid fully-formed launch template. The launch template version " +
                                       std::to_string(v.number) + " does not specify an instance type");
  const auto& cat = models::ec2::default_instance_catalog();
  if (!cat.types.count(type))
    throw errors::error("ValidationError", "You must use a valid fully-formed launch template. The instance type '" + type +
                                       "' is not in migsim's instance catalogue (models/ec2/instance_types.json)");
  return type;
}

// Boot time of the new group's instances: the scenario's aws tier of the same instance type, else its
// first tier, else the tier defaults (120 s mean, cv 0.2: aws.tiers[].boot_mean_s / boot_cv).
void boot_of(ServeContext& ctx, const std::string& type, asg::AsgSpec& spec)
{
  auto* a = ctx.simulation.aws();  // its tiers' parameters, whatever the request's region
  if (!a || a->spec().tiers.empty())
    return;
  const auto* tier = &a->spec().tiers.front();
  for (const auto& t : a->spec().tiers)
    if (t.instance_type == type) {
      tier = &t;
      break;
    }
  spec.boot_mean_s = tier->boot_mean_s;
  spec.boot_cv = tier->boot_cv;
}

}  // namespace

ApiGroup* ApiGroups::find(const std::string& name)
{
  for (auto* g : live())
    if (g->group->spec().name == name)
      return g;
  return nullptr;
}

std::vector<ApiGroup*> ApiGroups::live()
{
  std::vector<ApiGroup*> out;
  for (auto& g : all) {
    if (g->deleting && !g->deleted) {
      bool left = false;
      for (const auto& i : g->group->instances())
        left |= i.state != asg::LifecycleState::Terminated;
      g->deleted = !left;
    }
    if (!g->deleted)
      out.push_back(g.get());
  }
  return out;
}

ApiGroup* api_group(ServeContext& ctx, const asg::AutoScalingGroup& g)
{
  for (auto& a : ctx.state<ApiGroups>().all)
    if (a->group.get() == &g)
      return a.get();
  return nullptr;
}

json create_auto_scaling_group(const json& in, ServeContext& ctx)
{
  auto& groups = ctx.state<ApiGroups>();
  const std::string name = in.at("AutoScalingGroupName").get<std::string>();
  if (name.empty() || name.size() > 255)
    throw errors::error("ValidationError", "AutoScalingGroupName must be 1 to 255 characters");
  auto* estate = scenario_aws(ctx);
  if ((estate && estate->group(name)) || groups.find(name))
    throw errors::error("AlreadyExists", "AutoScalingGroup by this name already exists - A group with the name " + name +
                                     " already exists");
  for (const char* other : {"LaunchConfigurationName", "MixedInstancesPolicy", "InstanceId"})
    if (in.contains(other))
      throw errors::error("ValidationError", std::string("migsim launches groups from a LaunchTemplate only (got ") + other + ")");
  if (!in.contains("LaunchTemplate"))
    throw errors::error("ValidationError", "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, "
                                   "InstanceId or MixedInstancesPolicy parameter.");
  const json& lt_in = in["LaunchTemplate"];
  if (lt_in.contains("LaunchTemplateId") == lt_in.contains("LaunchTemplateName"))
    throw errors::error("ValidationError", "Valid requests must contain either launchTemplateId or LaunchTemplateName");
  auto& ec2 = ctx.state<Ec2Backend>();
  LaunchTemplate* lt = nullptr;
  try {
    lt = &ec2.named(lt_in);
  } catch (const aws::AwsError& e) {
    throw errors::error("ValidationError", "You must use a valid fully-formed launch template. " + e.message);
  }
  const std::string version = lt_in.value("Version", std::string("$Default"));
  std::string type;
  try {
    type = type_of_version(ec2.version(*lt, version));
  } catch (const aws::AwsError& e) {
    throw errors::error("ValidationError", "You must use a valid fully-formed launch template. " + e.message);
  }

  asg::AsgSpec spec;
  spec.name = name;
  spec.min_size = integer(in, "MinSize");
  spec.max_size = integer(in, "MaxSize");
  spec.desired = in.contains("DesiredCapacity") ? integer(in, "DesiredCapacity") : spec.min_size;
  if (spec.min_size < 0 || spec.max_size < spec.min_size)
    throw errors::error("ValidationError", "The parameter MaxSize must be greater than or equal to MinSize (min size:" +
                                       std::to_string(spec.min_size) + ", max size:" + std::to_string(spec.max_size) + ")");
  if (spec.desired < spec.min_size || spec.desired > spec.max_size)
    throw errors::error("ValidationError", "Desired capacity:" + std::to_string(spec.desired) +
                                       " must be between the specified min size:" + std::to_string(spec.min_size) +
                                       " and max size:" + std::to_string(spec.max_size));
  spec.azs = zones_of(in, scenario_region(ctx));
  spec.instance_type = type;
  spec.health_check_type = in.value("HealthCheckType", std::string("EC2"));
  if (spec.health_check_type != "EC2" && spec.health_check_type != "ELB")
    throw errors::error("ValidationError", "HealthCheckType must be EC2 or ELB (got " + spec.health_check_type + ")");
  // AWS's defaults: 0 s grace period through the API, warm-up unset (metrics use the grace period).
  spec.health_check_grace_s = in.contains("HealthCheckGracePeriod") ? integer(in, "HealthCheckGracePeriod") : 0;
  spec.warmup_s = in.contains("DefaultInstanceWarmup") ? integer(in, "DefaultInstanceWarmup") : spec.health_check_grace_s;
  boot_of(ctx, type, spec);

  auto g = std::make_unique<ApiGroup>();
  g->lt_id = lt->id;
  g->lt_name = lt->name;
  g->lt_version = version;
  if (in.contains("TargetGroupARNs"))
    for (const auto& arn : in["TargetGroupARNs"]) {
      const std::string a = arn.get<std::string>();
      if (a.rfind("arn:aws:elasticloadbalancing:", 0) != 0 || a.find(":targetgroup/") == std::string::npos)
        throw errors::error("ValidationError", "Invalid target group ARN: " + a);
      g->target_group_arns.push_back(a);
    }
  g->vpc_zone_identifier = in.value("VPCZoneIdentifier", std::string());
  if (in.contains("DefaultCooldown"))
    g->default_cooldown_s = integer(in, "DefaultCooldown");
  g->warmup_given = in.contains("DefaultInstanceWarmup");
  g->created_s = ctx.simulation.now();
  if (!groups.clock)
    groups.clock = std::make_unique<EngineClock>(ctx.simulation.engine());
  const int desired = spec.desired;
  g->group = std::make_unique<asg::AutoScalingGroup>(spec, *groups.clock,
                                                     sim::RandomStream(ctx.simulation.scenario().seed, "asg.api." + name));
  ApiGroup* self = g.get();
  auto& model = *g->group;
  model.make_id = [&groups]() {
    char buf[24];
    std::snprintf(buf, sizeof buf, "i-%017llx", static_cast<unsigned long long>(0x0a5160000000000ULL + ++groups.instances));
    return std::string(buf);
  };
  // Each launch resolves the launch template version again ($Latest may have moved); a deleted
  // template or a version without a usable type fails the launch, as it does on AWS.
  model.on_launch = [self, &ec2](const asg::Instance& i) {
    LaunchTemplate* t = ec2.by_id(self->lt_id);
    if (!t)
      return -1;
    try {
      const auto& v = ec2.version(*t, self->lt_version);
      self->instance_type[i.id] = type_of_version(v);
      self->instance_lt_version[i.id] = std::to_string(v.number);
    } catch (const std::exception&) {
      return -1;
    }
    return 0;
  };
  model.on_terminate = [&groups](const asg::Instance&, std::function<void()> done) {
    groups.clock->at(groups.clock->now() + groups.shutdown_s, std::move(done));
  };
  groups.all.push_back(std::move(g));
  model.set_desired(desired, "At " + asg::iso_time(ctx.simulation.now()) +
                                 " a user request created an AutoScalingGroup changing the desired capacity from 0 to " +
                                 std::to_string(desired) + ".  ");
  return json::object();
}

json delete_auto_scaling_group(const json& in, ServeContext& ctx)
{
  const std::string name = in.at("AutoScalingGroupName").get<std::string>();
  auto* estate = scenario_aws(ctx);
  if (estate && estate->group(name))
    throw errors::error("ResourceInUse", "AutoScalingGroup " + name + " is a tier of the simulated estate: migsim does not delete it");
  auto& groups = ctx.state<ApiGroups>();
  ApiGroup* g = groups.find(name);
  if (!g)
    throw errors::error("ValidationError", "AutoScalingGroup name not found - AutoScalingGroup '" + name + "' not found");
  if (g->deleting)
    return json::object();  // already being deleted: AWS accepts the repeat
  auto& model = *g->group;
  const bool force = in.value("ForceDelete", false);
  if (!force) {
    for (const auto& a : model.activities())
      if (a.status == "InProgress")
        throw errors::error("ScalingActivityInProgress",
                    "You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.");
    for (const auto& i : model.instances())
      if (i.state != asg::LifecycleState::Terminated)
        throw errors::error("ResourceInUse", "You cannot delete an AutoScalingGroup while there are instances or pending Spot "
                                     "instance request(s) still in the group.");
    g->deleted = true;
    return json::object();
  }
  g->deleting = true;
  model.update(0, 0, 0);  // terminates every instance; the group goes once they are terminated
  groups.live();
  return json::object();
}

}  // namespace migsim::harness::serve::autoscaling
