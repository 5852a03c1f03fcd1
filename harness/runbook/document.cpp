#include "harness/runbook/document.hpp"

#include "sim/json_text.hpp"

#include "harness/runbook/branch.hpp"
#include "harness/runbook/operations.hpp"
#include "harness/runbook/values.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace migsim::harness::runbook {

namespace {

const std::vector<std::string> kParameterTypes = {"String", "Integer", "Boolean", "StringList", "StringMap", "MapList"};
const std::vector<std::string> kOutputTypes = kParameterTypes;
// Variables SSM provides without declaring them.
const std::set<std::string> kBuiltins = {"global:DATE_TIME", "global:DATE", "global:REGION", "global:ACCOUNT_ID",
                                         "automation:EXECUTION_ID"};
// Inputs of the AWS actions that are not API members.
const std::set<std::string> kWaitInputs = {"Service", "Api", "PropertySelector", "DesiredValues"};

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string join(const std::vector<std::string>& v)
{
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Rejects keys of an object that are not in `allowed`.
void only_keys(const json& obj, const std::vector<std::string>& allowed, const std::string& step, const std::string& where)
{
  for (const auto& [k, v] : obj.items())
    if (!contains(allowed, k))
      throw RunbookError(step, where.empty() ? k : where + "." + k,
                         "unknown field (expected one of: " + join(allowed) + ")");
}

std::string need_string(const json& obj, const char* key, const std::string& step, const std::string& where)
{
  const std::string field = where.empty() ? key : where + "." + key;
  if (!obj.contains(key))
    throw RunbookError(step, field, "required field is missing");
  if (!obj.at(key).is_string() || obj.at(key).get<std::string>().empty())
    throw RunbookError(step, field, "must be a non-empty string");
  return obj.at(key).get<std::string>();
}

std::vector<Parameter> parse_parameters(const json& doc)
{
  std::vector<Parameter> out;
  if (!doc.contains("parameters"))
    return out;
  const json& ps = doc.at("parameters");
  if (!ps.is_object())
    throw RunbookError("", "parameters", "must be an object of name -> {type, default, ...}");
  for (const auto& [name, p] : ps.items()) {
    const std::string field = "parameters." + name;
    if (!p.is_object())
      throw RunbookError("", field, "must be an object");
    only_keys(p, {"type", "default", "allowedValues", "description", "displayType", "minItems", "maxItems",
                  "allowedPattern"},
              "", field);
    Parameter par;
    par.name = name;
    par.type = need_string(p, "type", "", field);
    if (!contains(kParameterTypes, par.type))
      throw RunbookError("", field + ".type", "unknown type '" + par.type + "' (expected " + join(kParameterTypes) + ")");
    if (p.contains("description"))
      par.description = p.at("description").is_string() ? p.at("description").get<std::string>() : "";
    if (p.contains("allowedValues")) {
      if (!p.at("allowedValues").is_array() || p.at("allowedValues").empty())
        throw RunbookError("", field + ".allowedValues", "must be a non-empty array");
      for (const auto& a : p.at("allowedValues")) {
        auto v = coerce(a, par.type == "StringList" ? "String" : par.type);
        if (!v)
          throw RunbookError("", field + ".allowedValues", "value " + a.dump() + " is not a " + par.type);
        par.allowed_values.push_back(*v);
      }
    }
    if (p.contains("default")) {
      auto v = coerce(p.at("default"), par.type);
      if (!v)
        throw RunbookError("", field + ".default", "value " + p.at("default").dump() + " is not a " + par.type);
      par.default_value = *v;
    }
    out.push_back(std::move(par));
  }
  return out;
}

std::vector<StepOutput> parse_outputs(const json& j, const std::string& step)
{
  std::vector<StepOutput> out;
  if (!j.is_array())
    throw RunbookError(step, "outputs", "must be an array of {Name, Selector, Type}");
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string where = "outputs[" + std::to_string(i) + "]";
    const json& o = j[i];
    if (!o.is_object())
      throw RunbookError(step, where, "must be an object {Name, Selector, Type}");
    only_keys(o, {"Name", "Selector", "Type"}, step, where);
    StepOutput so;
    so.name = need_string(o, "Name", step, where);
    so.selector = need_string(o, "Selector", step, where);
    if (const auto err = selector_error(so.selector); !err.empty())
      throw RunbookError(step, where + ".Selector", "bad selector '" + so.selector + "': " + err);
    so.type = o.contains("Type") ? need_string(o, "Type", step, where) : "String";
    if (!contains(kOutputTypes, so.type))
      throw RunbookError(step, where + ".Type", "unknown type '" + so.type + "' (expected " + join(kOutputTypes) + ")");
    out.push_back(std::move(so));
  }
  return out;
}

// Service and Api of an AWS action, checked against the operation table, and the API inputs.
void check_aws_inputs(const Step& s, bool wait_or_assert)
{
  const std::string service = need_string(s.inputs, "Service", s.name, "inputs");
  const std::string api = need_string(s.inputs, "Api", s.name, "inputs");
  if (!known_service(service))
    throw RunbookError(s.name, "inputs.Service",
                       "unknown service '" + service + "' (boto3 client names known: " + join(known_services()) + ")");
  const OperationInfo* op = find_operation(service, api);
  if (!op)
    throw RunbookError(s.name, "inputs.Api", "service '" + service + "' has no operation '" + api + "' (" +
                                                 operations_source() + "; Api is the PascalCase operation name)");
  for (const auto& [k, v] : s.inputs.items()) {
    if (k == "Service" || k == "Api" || (wait_or_assert && kWaitInputs.count(k)))
      continue;
    if (!contains(op->members, k))
      throw RunbookError(s.name, "inputs." + k,
                         "not an input of " + service + " " + api + " (its inputs: " + join(op->members) + ")");
  }
  for (const auto& r : op->required)
    if (!s.inputs.contains(r))
      throw RunbookError(s.name, "inputs." + r, "required input of " + service + " " + api + " is missing");
  if (wait_or_assert) {
    const std::string sel = need_string(s.inputs, "PropertySelector", s.name, "inputs");
    if (const auto err = selector_error(sel); !err.empty())
      throw RunbookError(s.name, "inputs.PropertySelector", "bad selector '" + sel + "': " + err);
    if (!s.inputs.contains("DesiredValues"))
      throw RunbookError(s.name, "inputs.DesiredValues", "required field is missing");
    const json& dv = s.inputs.at("DesiredValues");
    if (!(dv.is_array() && !dv.empty()) && !(dv.is_string() && !references(dv).empty()))
      throw RunbookError(s.name, "inputs.DesiredValues", "must be a non-empty array of values");
  }
}

// Checks an action's inputs; the AWS ones against the operation table.
void check_action_inputs(const Step& s)
{
  if (!s.inputs.is_object())
    throw RunbookError(s.name, "inputs", "must be an object");
  if (s.action == "aws:executeAwsApi") {
    check_aws_inputs(s, false);
  } else if (s.action == "aws:waitForAwsResourceProperty" || s.action == "aws:assertAwsResourceProperty") {
    check_aws_inputs(s, true);
  } else if (s.action == "aws:sleep") {
    only_keys(s.inputs, {"Duration", "Timestamp"}, s.name, "inputs");
    const bool d = s.inputs.contains("Duration"), t = s.inputs.contains("Timestamp");
    if (d == t)
      throw RunbookError(s.name, "inputs.Duration", "give exactly one of Duration (ISO 8601, e.g. PT5M) or Timestamp");
    const std::string key = d ? "Duration" : "Timestamp";
    const std::string v = need_string(s.inputs, key.c_str(), s.name, "inputs");
    if (references(json(v)).empty() && !(d ? iso_duration_s(v).has_value() : iso_timestamp_epoch_s(v).has_value()))
      throw RunbookError(s.name, "inputs." + key,
                         "'" + v + "' is not an ISO 8601 " + (d ? "duration (e.g. PT5M)" : "UTC timestamp"));
  } else if (s.action == "aws:branch") {
    only_keys(s.inputs, {"Choices", "Default"}, s.name, "inputs");
    if (!s.inputs.contains("Choices") || !s.inputs.at("Choices").is_array() || s.inputs.at("Choices").empty())
      throw RunbookError(s.name, "inputs.Choices", "required: a non-empty array of choices");
    for (size_t i = 0; i < s.inputs.at("Choices").size(); ++i)
      check_choice(s.inputs.at("Choices")[i], s.name, "inputs.Choices[" + std::to_string(i) + "]", true);
    if (s.inputs.contains("Default") && !s.inputs.at("Default").is_string())
      throw RunbookError(s.name, "inputs.Default", "must be a step name");
    if (!s.outputs.empty())
      throw RunbookError(s.name, "outputs", "aws:branch has no outputs");
  } else {
    throw RunbookError(s.name, "action", "unknown or unsupported action '" + s.action + "' (supported: " +
                                             join(supported_actions()) + ")");
  }
  if (!s.outputs.empty() && s.action != "aws:executeAwsApi")
    throw RunbookError(s.name, "outputs", "only aws:executeAwsApi steps have outputs");
}

Step parse_step(const json& j, size_t index)
{
  const std::string where = "mainSteps[" + std::to_string(index) + "]";
  if (!j.is_object())
    throw RunbookError("", where, "must be an object");
  Step s;
  if (!j.contains("name") || !j.at("name").is_string() || j.at("name").get<std::string>().empty())
    throw RunbookError("", where + ".name", "required: a non-empty string");
  s.name = j.at("name").get<std::string>();
  for (char c : s.name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
      throw RunbookError(s.name, "name", "may contain only letters, digits, '_' and '-'");
  only_keys(j, {"name", "action", "description", "inputs", "outputs", "timeoutSeconds", "maxAttempts", "onFailure",
                "nextStep", "isEnd", "isCritical"},
            s.name, "");
  s.action = need_string(j, "action", s.name, "");
  if (j.contains("description"))
    s.description = j.at("description").is_string() ? j.at("description").get<std::string>() : "";
  if (j.contains("inputs"))
    s.inputs = j.at("inputs");
  else if (s.action != "aws:sleep")
    throw RunbookError(s.name, "inputs", "required field is missing");
  if (j.contains("outputs"))
    s.outputs = parse_outputs(j.at("outputs"), s.name);
  if (j.contains("timeoutSeconds")) {
    const json& t = j.at("timeoutSeconds");
    if (!t.is_number() || t.get<double>() <= 0)
      throw RunbookError(s.name, "timeoutSeconds", "must be a positive number of seconds");
    s.timeout_s = t.get<double>();
  }
  if (j.contains("maxAttempts")) {
    const json& m = j.at("maxAttempts");
    if (!m.is_number_integer() || m.get<long>() < 1 || m.get<long>() > 100)
      throw RunbookError(s.name, "maxAttempts", "must be an integer from 1 to 100");
    s.max_attempts = m.get<int>();
  }
  if (j.contains("onFailure")) {
    s.on_failure = need_string(j, "onFailure", s.name, "");
    if (s.on_failure != "Abort" && s.on_failure != "Continue" && s.on_failure.rfind("step:", 0) != 0)
      throw RunbookError(s.name, "onFailure", "must be Abort, Continue or step:<name>, not '" + s.on_failure + "'");
  }
  if (j.contains("nextStep"))
    s.next_step = need_string(j, "nextStep", s.name, "");
  for (const char* key : {"isEnd", "isCritical"})
    if (j.contains(key) && !j.at(key).is_boolean())
      throw RunbookError(s.name, key, "must be true or false");
  s.is_end = j.value("isEnd", false);
  s.is_critical = j.value("isCritical", true);
  check_action_inputs(s);
  return s;
}

// Every {{ }} reference of a step must name a parameter, a step output or a built-in variable.
void check_references(const Runbook& rb, const Step& s, const std::set<std::string>& outputs)
{
  for (const auto& name : references(s.inputs)) {
    if (rb.parameter(name) || outputs.count(name) || kBuiltins.count(name))
      continue;
    std::string field = "inputs";
    for (const auto& [k, v] : s.inputs.items())
      for (const auto& r : references(v))
        if (r == name) {
          field = "inputs." + k;
          break;
        }
    throw RunbookError(s.name, field,
                       "{{ " + name + " }} refers to no parameter, step output (step.Output) or global: variable");
  }
}

}  // namespace

const std::vector<std::string>& supported_actions()
{
  static const std::vector<std::string> a = {"aws:executeAwsApi", "aws:waitForAwsResourceProperty",
                                             "aws:assertAwsResourceProperty", "aws:sleep", "aws:branch"};
  return a;
}

int Runbook::step_index(const std::string& name) const
{
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].name == name)
      return static_cast<int>(i);
  return -1;
}

const Parameter* Runbook::parameter(const std::string& name) const
{
  for (const auto& p : parameters)
    if (p.name == name)
      return &p;
  return nullptr;
}

Runbook parse_runbook(const json& doc, const std::string& source)
{
  if (!doc.is_object())
    throw RunbookError("", "", "a runbook is a JSON object");
  only_keys(doc, {"schemaVersion", "description", "assumeRole", "parameters", "mainSteps", "outputs"}, "", "");
  if (!doc.contains("schemaVersion") || doc.at("schemaVersion") != "0.3")
    throw RunbookError("", "schemaVersion", "must be \"0.3\" (Automation documents)");
  Runbook rb;
  rb.source = source;
  if (doc.contains("description")) {
    if (!doc.at("description").is_string())
      throw RunbookError("", "description", "must be a string");
    rb.description = doc.at("description").get<std::string>();
  }
  if (doc.contains("assumeRole")) {
    if (!doc.at("assumeRole").is_string())
      throw RunbookError("", "assumeRole", "must be a string");
    rb.assume_role = doc.at("assumeRole").get<std::string>();
  }
  rb.parameters = parse_parameters(doc);
  if (!doc.contains("mainSteps") || !doc.at("mainSteps").is_array() || doc.at("mainSteps").empty())
    throw RunbookError("", "mainSteps", "required: a non-empty array of steps");
  std::set<std::string> names, outputs;
  for (size_t i = 0; i < doc.at("mainSteps").size(); ++i) {
    Step s = parse_step(doc.at("mainSteps")[i], i);
    if (!names.insert(s.name).second)
      throw RunbookError(s.name, "name", "another step has the same name");
    for (const auto& o : s.outputs)
      outputs.insert(s.name + "." + o.name);
    rb.steps.push_back(std::move(s));
  }
  // References and step targets, once every step is known.
  auto target = [&](const Step& s, const std::string& field, const std::string& name) {
    if (!names.count(name))
      throw RunbookError(s.name, field, "no step is named '" + name + "'");
  };
  for (const auto& s : rb.steps) {
    check_references(rb, s, outputs);
    if (!s.next_step.empty())
      target(s, "nextStep", s.next_step);
    if (s.on_failure.rfind("step:", 0) == 0)
      target(s, "onFailure", s.on_failure.substr(5));
    if (s.action == "aws:branch") {
      const json& choices = s.inputs.at("Choices");
      for (size_t i = 0; i < choices.size(); ++i)
        target(s, "inputs.Choices[" + std::to_string(i) + "].NextStep", choices[i].at("NextStep").get<std::string>());
      if (s.inputs.contains("Default"))
        target(s, "inputs.Default", s.inputs.at("Default").get<std::string>());
    }
  }
  if (doc.contains("outputs")) {
    if (!doc.at("outputs").is_array())
      throw RunbookError("", "outputs", "must be an array of \"step.Output\"");
    for (const auto& o : doc.at("outputs")) {
      if (!o.is_string() || !outputs.count(o.get<std::string>()))
        throw RunbookError("", "outputs", o.dump() + " names no step output");
      rb.outputs.push_back(o.get<std::string>());
    }
  }
  return rb;
}

Runbook load_runbook(const std::string& path)
{
  std::string text;
  try {
    text = sim::read_input_file(path, "runbook");
  } catch (const sim::InputFileError& e) {
    throw RunbookError("", "", e.what());
  }
  sim::JsonTextError err;
  const json doc = sim::parse_json_text(text, sim::JsonTextLimits{}, &err);
  if (doc.is_discarded())
    throw RunbookError("", "", path + " is not a valid runbook document: " + err.describe());
  return parse_runbook(doc, path);
}

}  // namespace migsim::harness::runbook
