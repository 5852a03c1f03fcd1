// A runbook: the subset of AWS Systems Manager Automation documents (schemaVersion 0.3, JSON) that
// migsim runs. Loading validates everything that can be checked before a call is made: the
// document's fields, every step's action and inputs, Service/Api and their input members against
// the AWS operation table, {{ }} references to parameters and step outputs, and branch targets.
// Any error names the step and the field (RunbookError; exit 2 on the command line).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::harness::runbook {

using nlohmann::json;

// A runbook that cannot run: where (step name, or "" for the document) and which field.
class RunbookError : public std::runtime_error {
public:
  RunbookError(std::string step, std::string field, const std::string& message)
      : std::runtime_error((step.empty() ? std::string("document") : "step '" + step + "'") +
                           (field.empty() ? std::string() : ": " + field) + ": " + message),
        step_(std::move(step)), field_(std::move(field))
  {}
  const std::string& step() const { return step_; }
  const std::string& field() const { return field_; }

private:
  std::string step_, field_;
};

// A declared parameter (type String, Integer, Boolean, StringList, StringMap or MapList).
struct Parameter {
  std::string name;
  std::string type = "String";
  std::optional<json> default_value;  // none: the caller must give it
  std::vector<json> allowed_values;   // empty: any
  std::string description;
};

// A step output: a value selected from the API response and typed.
struct StepOutput {
  std::string name;
  std::string selector;  // $.A.B[0].C (see selector.hpp)
  std::string type = "String";
};

// One of mainSteps.
struct Step {
  std::string name;
  std::string action;  // aws:executeAwsApi, aws:waitForAwsResourceProperty, ...
  std::string description;
  json inputs = json::object();
  std::vector<StepOutput> outputs;
  double timeout_s = -1;         // -1: the action's default
  int max_attempts = 1;
  std::string on_failure = "Abort";  // Abort, Continue or step:<name>
  std::string next_step;             // "" : the next one in the list
  bool is_end = false;
  bool is_critical = true;
};

struct Runbook {
  std::string source;  // file name, for messages
  std::string description;
  std::string assume_role;
  std::vector<Parameter> parameters;
  std::vector<Step> steps;
  std::vector<std::string> outputs;  // document outputs: "step.Output"

  // Index of a step by name (-1 when absent).
  int step_index(const std::string& name) const;
  const Parameter* parameter(const std::string& name) const;
};

// The actions this executor implements.
const std::vector<std::string>& supported_actions();

// Parses and validates a runbook document; throws RunbookError.
Runbook parse_runbook(const json& doc, const std::string& source = "");
// Reads a file (JSON) and parses it; throws RunbookError (unreadable file, bad JSON, invalid runbook).
Runbook load_runbook(const std::string& path);

}  // namespace migsim::harness::runbook
