// Many similar series made readable: an estate of 80 instance slots cannot be drawn as 80 lines.
// Members are pooled by what a planner reads (an Auto Scaling group, an AZ): per group either the
// sum (capacity adds up) or the spread (utilisation: the median line with the min-max band shaded),
// and only the groups with the highest peaks are drawn on their own, the rest pooled as "others".
#pragma once

#include "harness/report/svg_chart.hpp"

#include <string>
#include <vector>

namespace migsim::harness::html {

enum class Pooling {
  sum,     // the group's total each minute
  spread,  // the median of the group's members each minute, with the min-max band
};

struct PoolGroup {
  std::string name;
  std::vector<std::vector<double>> members;  // each member's values, per minute
};

struct PoolOptions {
  Pooling how = Pooling::sum;
  // Spread over the members above 0 in the minute only (an instance slot that is not launched
  // reads 0 % CPU: it is not an instance of the group at that minute).
  bool active_only = false;
  size_t max_lines = 8;  // more groups than this: the top (max_lines - 1) by peak, then "others"
};

// One series per group (x shared), in the groups' order; when there are more groups than
// max_lines, the max_lines - 1 with the highest peak keep their line and the others are pooled into
// one "others (N)" series the same way. A group of one member is its plain line.
std::vector<svg::Series> pool(const std::vector<PoolGroup>& groups, const std::vector<double>& x,
                              const PoolOptions& options);

}  // namespace migsim::harness::html
