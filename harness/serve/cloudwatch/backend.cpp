#include "harness/serve/cloudwatch/backend.hpp"

#include "harness/serve/core/resource.hpp"
#include "harness/serve/elbv2/estate_alb.hpp"
#include "harness/serve/elbv2/estate_binding.hpp"
#include "harness/serve/sns/backend.hpp"
#include "models/aws/aws_estate.hpp"
#include "models/cutover/migration.hpp"

#include <memory>

namespace migsim::harness::serve {

cloudwatch::AlarmBook& alarm_book(ServeContext& ctx)
{
  return ctx.state<cloudwatch::AlarmBook>([&ctx] {
    auto book = std::make_unique<cloudwatch::AlarmBook>();
    // Alarm actions publish CloudWatch's alarm message to the SNS backend (false: no such topic).
    book->publish = [&ctx](const cloudwatch::Notification& n) {
      try {
        ctx.state<SnsBackend>().publish(n.topic_arn, n.message, n.subject, n.t_s);
        return true;
      } catch (const std::exception&) {
        return false;
      }
    };
    return book;
  });
}

cloudwatch::CatalogContext catalog_context(ServeContext& ctx)
{
  cloudwatch::CatalogContext c;
  c.now_s = ctx.simulation.now();
  // The simulation's metrics are those of the scenario's region; another region has none.
  if (!in_scenario_region(ctx))
    return c;
  c.registry = &ctx.simulation.metrics();
  for (const auto& s : ctx.simulation.scenario().platform.servers)
    c.cores_by_server[s.name] = s.cores;
  if (const models::Migration* m = ctx.simulation.migration())
    c.rds_server = m->spec().db_target_server;
  if (models::aws::AwsEstate* estate = ctx.simulation.aws()) {
    c.load_balancer = elbv2_estate::load_balancer_arn(estate->load_balancer().name()).substr(std::string("loadbalancer/").size());
    c.target_group = [](const std::string& group) { return elbv2_estate::target_group_arn(group); };
  } else if (ctx.simulation.api_estate()) {
    // The estate built through the API: its entry load balancer and target groups (estate_binding).
    c.load_balancer = elbv2::entry_load_balancer_dimension(ctx);
    c.target_group = [&ctx](const std::string& group) { return elbv2::target_group_dimension(ctx, group); };
  }
  return c;
}

void evaluate_alarms(ServeContext& ctx)
{
  auto& book = alarm_book(ctx);
  if (book.alarms().empty())
    return;
  book.evaluate(catalog_context(ctx));
}

}  // namespace migsim::harness::serve
