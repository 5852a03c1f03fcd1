// The validator of a clock-speed option (`serve --speed`, `rehearse --speed`, `--setup-speed`): a
// number of simulated seconds per wall second within bounds, or one of the option's words (max,
// step). The message names what is accepted, as CLI11 prints it after the option's name.
#pragma once

#include <string>
#include <vector>

namespace migsim::harness::serve {

struct SpeedOption {
  bool zero_allowed = false;  // 0 pauses the clock (serve)
  double below = 1e9;         // exclusive upper bound
  std::vector<std::string> words = {"max"};

  std::string operator()(const std::string& s) const
  {
    for (const auto& w : words)
      if (s == w)
        return "";
    try {
      size_t used = 0;
      const double v = std::stod(s, &used);
      if (used == s.size() && (zero_allowed ? v >= 0 : v > 0) && v < below)
        return "";
    } catch (const std::exception&) {
    }
    std::string msg = zero_allowed ? "must be a number >= 0" : "must be a number > 0";
    size_t i = 0;
    for (const auto& w : words)
      msg += (++i == words.size() ? " or " : ", ") + w;
    return msg;
  }
};

}  // namespace migsim::harness::serve
