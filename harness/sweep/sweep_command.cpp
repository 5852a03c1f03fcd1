#include "harness/sweep/sweep_command.hpp"

#include "harness/report/html_report.hpp"
#include "harness/run/run_command.hpp"
#include "harness/sweep/sweep.hpp"
#include "sim/json_reader.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>

namespace migsim::harness::sweep {

namespace {
constexpr int kExitBadInput = 2;
constexpr int kExitOutput = 4;
}  // namespace

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& a, CLI::App** collect)
{
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "Run a grid of variants of a scenario in parallel processes; write sweep.csv, sweep.json and "
               "sweep.html (Pareto front of cost vs p99). Paths: dot-separated keys, array steps by index or by "
               "element name (platform.services.api-catalog.workers).");
  sweep_cmd->add_option("scenario", a.scenario, "Scenario JSON file");
  sweep_cmd->add_option("--set", a.sets, "An axis: path=v1,v2,... (values are JSON; repeatable)")
      ->allow_extra_args(false);
  sweep_cmd->add_option("--grid", a.grid_file, "Axes from a JSON file {\"axes\": [{\"path\", \"values\"}]}");
  sweep_cmd->add_option("--jobs,-j", a.jobs, "Variants run at the same time")->capture_default_str()
      ->check(CLI::Range(1, 1024));
  sweep_cmd->add_option("--out", a.out_dir, "Output directory")->capture_default_str();
  sweep_cmd->add_option("--index", a.index,
                        "Run only variant N ('env': $JOB_COMPLETION_INDEX, as in a Kubernetes Indexed Job)");
  sweep_cmd->add_option("--emit-k8s-job", a.emit_dir,
                        "Write DIR/sweep-job.yaml (ConfigMap with scenario and grid + Indexed Job) instead of running");
  sweep_cmd->add_option("--image", a.image, "Container image for --emit-k8s-job")->capture_default_str();
  sweep_cmd->add_option("--parallelism", a.parallelism, "Pods at a time for --emit-k8s-job")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  sweep_cmd->add_option("--name", a.name, "Job name for --emit-k8s-job")->capture_default_str();
  sweep_cmd->add_option("--results-claim", a.claim, "PersistentVolumeClaim for results (--emit-k8s-job)")
      ->capture_default_str();
  sweep_cmd->add_flag("-q,--quiet", a.quiet, "No per-variant progress lines");
  *collect = sweep_cmd->add_subcommand(
      "collect", "Merge variant results (sweep outputs or variant directories, e.g. from Kubernetes) into one table.");
  (*collect)->add_option("dirs", a.collect_dirs, "Sweep output or variant directories")->required();
  (*collect)->add_option("-o,--output", a.collect_out, "Output directory")->required();
  return sweep_cmd;
}

int run_sweep_command(const SweepArgs& a, bool collect_mode)
{
  namespace sw = migsim::harness::sweep;
  try {
    if (collect_mode) {
      auto rows = sw::collect_rows(a.collect_dirs);
      std::string title = "collected from " + std::to_string(a.collect_dirs.size()) + " dir(s)";
      if (!rows.empty()) {  // the scenario's name, from the first variant
        std::ifstream in(rows.front().dir + "/scenario.json");
        const auto doc = nlohmann::json::parse(in, nullptr, false);
        if (doc.is_object() && doc.contains("name") && doc["name"].is_string())
          title = doc["name"].get<std::string>() + " (collected)";
      }
      sw::write_outputs(rows, a.collect_out, title);
      std::cout << "collected " << rows.size() << " variants; wrote " << a.collect_out << "/sweep.csv, sweep.json, sweep.html\n";
      return 0;
    }
    if (a.scenario.empty()) {
      std::cerr << "migsim: sweep: SCENARIO is required\n";
      return kExitBadInput;
    }
    sw::Options o;
    o.scenario_path = a.scenario;
    if (!a.grid_file.empty()) {
      o.axes = sw::axes_from_json(sw::read_json(a.grid_file));
    }
    for (const auto& s : a.sets)
      o.axes.push_back(sw::parse_set(s));
    o.jobs = a.jobs;
    o.out_dir = a.out_dir;
    o.quiet = a.quiet;
    if (!a.emit_dir.empty()) {
      const nlohmann::json doc = sw::read_json(a.scenario);
      for (size_t i = 0; i < sw::variant_count(o.axes); ++i)  // every variant must be a valid scenario
        sw::build_variant(doc, o.axes, i, a.scenario);
      sw::K8sOptions k{a.name, a.image, a.parallelism, a.claim};
      write_text_file(a.emit_dir + "/sweep-job.yaml", sw::k8s_manifest(doc, o.axes, k));
      std::cout << "wrote " << a.emit_dir << "/sweep-job.yaml (" << sw::variant_count(o.axes)
                << " completions): kubectl apply -f " << a.emit_dir << "/sweep-job.yaml\n";
      return 0;
    }
    if (!a.index.empty()) {
      std::string idx = a.index;
      if (idx == "env") {
        const char* e = std::getenv("JOB_COMPLETION_INDEX");
        if (!e)
          throw sw::SweepInputError("--index env: JOB_COMPLETION_INDEX is not set");
        idx = e;
      }
      if (idx.empty() || idx.find_first_not_of("0123456789") != std::string::npos)
        throw sw::SweepInputError("--index " + idx + ": expected a variant number or 'env'");
      o.only_index = std::stoul(idx);
    }
    auto rows = sw::run_sweep(o, "/proc/self/exe");
    size_t missing = 0;
    for (const auto& r : rows)
      missing += !(r.exit_code == 0 || r.exit_code == 1);
    if (!o.only_index) {
      const std::string name = load_scenario(a.scenario).name;
      sw::write_outputs(rows, a.out_dir, name);
      size_t front = 0, met = 0;
      for (const auto& r : rows) {
        front += r.pareto;
        met += r.met_slos;
      }
      std::cout << met << " of " << rows.size() << " variants met their SLOs, " << front
                << " on the Pareto front (cost vs p99, per traffic level); wrote " << a.out_dir
                << "/sweep.csv, sweep.json, sweep.html (why a variant missed: its run.log)\n";
    }
    if (missing)
      std::cerr << "migsim: " << missing << " variant(s) produced no result (see their run.log)\n";
    return missing ? 1 : 0;
  } catch (const sw::SweepInputError& e) {
    std::cerr << "migsim: sweep: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const sim::InputError& e) {
    std::cerr << "migsim: sweep: " << a.scenario << ": " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "migsim: sweep: " << e.what() << "\n";
    return kExitOutput;
  }
}

}  // namespace migsim::harness::sweep
