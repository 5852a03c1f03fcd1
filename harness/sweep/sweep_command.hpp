// `migsim sweep` on the command line: its options and what it does with them (kept out of main.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace migsim::harness::sweep {

struct SweepArgs {
  std::string scenario, grid_file, out_dir = "sweep-out", index, emit_dir, image = "migsim:latest",
                                   name = "migsim-sweep", claim = "migsim-sweep-results";
  std::vector<std::string> sets, collect_dirs;
  std::string collect_out;
  int jobs = 1, parallelism = 4;
  bool quiet = false;
};

// Declares `sweep` (and `sweep collect`, returned in *collect) on app, filling a.
CLI::App* add_sweep_command(CLI::App& app, SweepArgs& a, CLI::App** collect);

// Exit 0 every variant produced a result (whatever its verdict), 1 one did not, 2 bad input,
// 4 output not writable.
int run_sweep_command(const SweepArgs& a, bool collect_mode);

}  // namespace migsim::harness::sweep
