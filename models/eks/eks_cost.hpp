// The EKS estate's bill, through models/cost with the same line items as the AWS as-is estate:
// EKS control plane cluster-hours, node instance-hours by type as they ran (launch to termination,
// so every Cluster Autoscaler / Karpenter scale-up and scale-down is integrated), the nodes' EBS
// root volumes, the ALB (hours + LCU-hours from each hour's traffic, models/cost/alb_lcu.hpp, the
// as-is formula), the database (RDS for MySQL: the rds section's instance, else /eks/cost's stated
// equivalent of the as-is default), NAT gateway hours + GB, internet egress, inter-AZ bytes to the
// database, Route 53 and EFS storage + Elastic throughput. Monthly = run total x 730 h / run hours,
// as for the as-is estate (cost::compute).
//
// The traffic figures come from the standard run metrics (requests per class, per-minute arrivals,
// requests in the system), which both the fluid and a request-level load model write.
#pragma once

#include "models/cost/alb_lcu.hpp"
#include "models/cost/cost_model.hpp"
#include "models/eks/eks_spec.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"

#include <map>
#include <string>
#include <vector>

namespace migsim::models::eks {

// What the nodes ran: hours by instance type and by zone (launch to termination).
struct EksNodeUsage {
  std::map<std::string, double> hours_by_type;
  std::map<std::string, double> hours_by_zone;
};

// What a run of the EKS estate used, priced by eks_bill().
struct EksCostInputs {
  cost::EksQuantities quantities;
  std::vector<cost::AlbTrafficSpan> alb_spans;  // per hour (the LCU-hours in quantities come from these)
};

// Gathers the quantities from the scenario, the run's metrics and the nodes' usage over t_end_s.
EksCostInputs eks_cost_inputs(const sim::Scenario& scenario, const EksSpec& spec, const sim::Registry& metrics,
                              const EksNodeUsage& nodes, double t_end_s);
// The bill at the shipped price table (cost::default_price_table()).
cost::Bill eks_bill(const EksCostInputs& inputs);

}  // namespace migsim::models::eks
