#include "harness/runbook/executor.hpp"

#include "sim/json_text.hpp"

#include "harness/runbook/branch.hpp"
#include "harness/runbook/values.hpp"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <ostream>
#include <thread>

namespace migsim::harness::runbook {

namespace {

double wall_now_s()
{
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double steady_now_s()
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool secret_name(const std::string& name)
{
  std::string l = name;
  for (auto& c : l)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* w : {"password", "secret", "token", "credential", "privatekey"})
    if (l.find(w) != std::string::npos)
      return true;
  return false;
}

// Whether a selected value is one of the desired values (every element, for a list).
bool matches(const json& selected, const json& desired)
{
  auto one = [&](const json& v) {
    return std::any_of(desired.begin(), desired.end(), [&](const json& d) { return as_text(d) == as_text(v); });
  };
  if (selected.is_array())
    return !selected.empty() && std::all_of(selected.begin(), selected.end(), one);
  return one(selected);
}

std::string fmt_duration(double s)
{
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%d min %02d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else
    std::snprintf(buf, sizeof buf, "%d h %02d min", static_cast<int>(s) / 3600, static_cast<int>(s) % 3600 / 60);
  return buf;
}

}  // namespace

double DateHeaderClock::now_epoch_s() { return wall_now_s() + offset_s_; }

void DateHeaderClock::sleep_s(double s)
{
  if (s > 0)
    std::this_thread::sleep_for(std::chrono::duration<double>(s));
}

void DateHeaderClock::observe(double server_epoch_s)
{
  // Date has a resolution of one second: keep the offset unless it moved by more than that.
  const double offset = server_epoch_s - wall_now_s();
  if (!synced_ || std::fabs(offset - offset_s_) > 1.0)
    offset_s_ = offset;
  synced_ = true;
}

std::map<std::string, json> resolve_parameters(const Runbook& rb, const std::map<std::string, std::string>& given)
{
  std::map<std::string, json> out;
  for (const auto& [name, raw] : given) {
    const Parameter* p = rb.parameter(name);
    if (!p)
      throw RunbookError("", "parameters." + name, "the runbook declares no such parameter");
    json v = raw;
    if (p->type == "StringMap" || p->type == "MapList" || (p->type == "StringList" && !raw.empty() && raw[0] == '[')) {
      v = sim::parse_json_text(raw, sim::JsonTextLimits{});
      if (v.is_discarded())
        throw RunbookError("", "parameters." + name, "'" + raw + "' is not JSON (a " + p->type + ")");
    }
    auto typed = coerce(v, p->type);
    if (!typed)
      throw RunbookError("", "parameters." + name, "'" + raw + "' is not a " + p->type);
    out[name] = *typed;
  }
  for (const auto& p : rb.parameters) {
    if (!out.count(p.name)) {
      if (!p.default_value)
        throw RunbookError("", "parameters." + p.name, "required parameter not given (-p " + p.name + "=...)");
      out[p.name] = *p.default_value;
    }
    if (!p.allowed_values.empty()) {
      const json& v = out[p.name];
      const json items = v.is_array() ? v : json::array({v});
      for (const auto& item : items)
        if (std::none_of(p.allowed_values.begin(), p.allowed_values.end(),
                         [&](const json& a) { return as_text(a) == as_text(item); }))
          throw RunbookError("", "parameters." + p.name, "value " + item.dump() + " is not one of the allowedValues");
    }
  }
  return out;
}

json mask_secrets(const json& value)
{
  if (value.is_object()) {
    json out = json::object();
    const bool secure_value = value.value("Type", "") == "SecureString";
    for (const auto& [k, v] : value.items())
      out[k] = (secret_name(k) || (secure_value && k == "Value")) ? json("****") : mask_secrets(v);
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const auto& e : value)
      out.push_back(mask_secrets(e));
    return out;
  }
  return value;
}

struct Executor::Attempt {
  std::string status = "Success";  // Success, Failed, TimedOut
  std::string reason;
  std::string next;  // branch choice
  json inputs = json::object();
  json outputs = json::object();
  json response;
};

Executor::Executor(const Runbook& rb, AwsCaller& caller, ServerClock& clock, ExecutorOptions options)
    : rb_(rb), caller_(caller), clock_(clock), opt_(std::move(options))
{
  if (!opt_.format_time)
    opt_.format_time = [](double e) { return iso_timestamp(e); };
}

std::optional<json> Executor::resolve(const std::string& name) const
{
  if (auto p = params_.find(name); p != params_.end())
    return p->second;
  if (auto o = outputs_.find(name); o != outputs_.end())
    return o->second;
  const double now = const_cast<ServerClock&>(clock_).now_epoch_s();
  if (name == "global:DATE_TIME" || name == "global:DATE") {
    std::string iso = iso_timestamp(now);  // 2025-01-01T18:00:00Z -> 2025-01-01_18.00.00
    if (name == "global:DATE")
      return json(iso.substr(0, 10));
    iso = iso.substr(0, 19);
    iso[10] = '_';
    iso[13] = '.';
    iso[16] = '.';
    return json(iso);
  }
  if (name == "global:REGION")
    return json(opt_.region);
  if (name == "global:ACCOUNT_ID")
    return json(opt_.account_id);
  if (name == "automation:EXECUTION_ID")
    return json(opt_.execution_id);
  return std::nullopt;
}

bool Executor::out_of_wall_time() const { return opt_.wall_limit_s > 0 && steady_now_s() - wall_start_s_ > opt_.wall_limit_s; }

Executor::Attempt Executor::run_aws(const Step& s, bool wait, bool assert_only)
{
  Attempt a;
  const std::string service = s.inputs.at("Service"), api = s.inputs.at("Api");
  json input = json::object();
  for (const auto& [k, v] : s.inputs.items())
    if (k != "Service" && k != "Api" && k != "PropertySelector" && k != "DesiredValues")
      input[k] = v;
  const Resolver r = [this](const std::string& n) { return resolve(n); };
  input = interpolate(input, r);
  a.inputs = input;
  const double started = clock_.now_epoch_s();
  const double timeout = s.timeout_s > 0 ? s.timeout_s : (wait ? opt_.default_wait_timeout_s : -1);
  json desired;
  std::string selector;
  if (wait || assert_only) {
    desired = interpolate(s.inputs.at("DesiredValues"), r);
    if (!desired.is_array())
      desired = json::array({desired});
    selector = as_text(interpolate(s.inputs.at("PropertySelector"), r));
  }
  for (int polls = 1;; ++polls) {
    AwsReply reply;
    try {
      reply = caller_.call(service, api, input);
    } catch (const AwsCallError& e) {
      a.status = "Failed";
      a.reason = service + " " + api + " failed: " + e.what();
      return a;
    }
    if (reply.server_epoch_s > 0)
      clock_.observe(reply.server_epoch_s);
    a.response = reply.body;
    const double elapsed = clock_.now_epoch_s() - started;
    if (!wait && !assert_only) {
      for (const auto& o : s.outputs) {
        const auto v = select(reply.body, o.selector);
        if (!v)
          continue;  // as in SSM: the output stays unset; a later reference to it fails
        const auto typed = coerce(*v, o.type);
        if (!typed) {
          a.status = "Failed";
          a.reason = "output " + o.name + ": " + v->dump() + " (from " + o.selector + ") is not a " + o.type;
          return a;
        }
        a.outputs[o.name] = *typed;
      }
      if (timeout > 0 && elapsed > timeout) {
        a.status = "TimedOut";
        a.reason = service + " " + api + " took " + fmt_duration(elapsed) + ", over timeoutSeconds " + fmt_duration(timeout);
      }
      return a;
    }
    const auto v = select(reply.body, selector);
    const std::string seen = v ? as_text(*v) : std::string("nothing");
    if (v && matches(*v, desired))
      return a;
    if (assert_only) {
      a.status = "Failed";
      a.reason = selector + " is " + seen + ", expected one of " + desired.dump();
      return a;
    }
    if (elapsed + 1e-9 >= timeout) {
      a.status = "TimedOut";
      a.reason = "waited " + fmt_duration(elapsed) + " (" + std::to_string(polls) + " polls): " + selector + " is " + seen +
                 ", wanted one of " + desired.dump();
      return a;
    }
    if (out_of_wall_time()) {
      a.status = "TimedOut";
      a.reason = "wall-clock limit reached while waiting: " + selector + " is " + seen;
      return a;
    }
    clock_.sleep_s(std::min(opt_.poll_s, timeout - elapsed));
  }
}

Executor::Attempt Executor::run_step(const Step& s)
{
  const Resolver r = [this](const std::string& n) { return resolve(n); };
  try {
    if (s.action == "aws:executeAwsApi")
      return run_aws(s, false, false);
    if (s.action == "aws:waitForAwsResourceProperty")
      return run_aws(s, true, false);
    if (s.action == "aws:assertAwsResourceProperty")
      return run_aws(s, false, true);
    Attempt a;
    a.inputs = interpolate(s.inputs, r);
    if (s.action == "aws:sleep") {
      double seconds = 0;
      if (a.inputs.contains("Duration")) {
        const auto d = iso_duration_s(as_text(a.inputs.at("Duration")));
        if (!d)
          throw std::runtime_error("Duration '" + as_text(a.inputs.at("Duration")) + "' is not an ISO 8601 duration");
        seconds = *d;
      } else {
        const auto t = iso_timestamp_epoch_s(as_text(a.inputs.at("Timestamp")));
        if (!t)
          throw std::runtime_error("Timestamp '" + as_text(a.inputs.at("Timestamp")) + "' is not an ISO 8601 timestamp");
        seconds = *t - clock_.now_epoch_s();
      }
      if (s.timeout_s > 0 && seconds > s.timeout_s) {
        clock_.sleep_s(s.timeout_s);
        a.status = "TimedOut";
        a.reason = "sleep of " + fmt_duration(seconds) + " exceeds timeoutSeconds";
        return a;
      }
      if (seconds > 0)
        clock_.sleep_s(seconds);
      return a;
    }
    // aws:branch
    for (const auto& c : s.inputs.at("Choices"))
      if (evaluate_choice(c, r)) {
        a.next = c.at("NextStep").get<std::string>();
        return a;
      }
    if (s.inputs.contains("Default")) {
      a.next = s.inputs.at("Default").get<std::string>();
      return a;
    }
    a.status = "Failed";
    a.reason = "no choice matched and there is no Default";
    return a;
  } catch (const std::exception& e) {  // interpolation of an unset output, bad values
    Attempt a;
    a.status = "Failed";
    a.reason = e.what();
    return a;
  }
}

json Executor::run(const std::map<std::string, json>& parameters)
{
  params_ = parameters;
  outputs_.clear();
  wall_start_s_ = steady_now_s();
  json log = {{"runbook", rb_.source}, {"description", rb_.description}, {"status", "Success"}};
  json masked_params = json::object();
  for (const auto& [k, v] : params_)
    masked_params[k] = secret_name(k) ? json("****") : v;
  log["parameters"] = masked_params;
  // Every time in the log is on the server's clock. Before the first response the clock may still
  // be the local one (DateHeaderClock): a step during which it synced is timed back from its end by
  // the wall time it took, and the runbook's start is then its first step's.
  const bool synced_at_start = clock_.synced();
  double start = clock_.now_epoch_s();
  json steps = json::array();
  std::string failed_step, failure_reason;
  int index = 0;
  size_t executed = 0;
  const size_t max_steps = 10000;  // guards against a branch loop that never ends
  while (index >= 0 && index < static_cast<int>(rb_.steps.size())) {
    const Step& s = rb_.steps[static_cast<size_t>(index)];
    if (++executed > max_steps) {
      failed_step = s.name;
      failure_reason = "more than 10000 steps executed: the runbook loops";
      break;
    }
    const bool synced_before = clock_.synced();
    const double t0_wall = steady_now_s();
    double t0 = clock_.now_epoch_s();
    Attempt a;
    int attempts = 0;
    while (attempts < s.max_attempts) {
      ++attempts;
      a = run_step(s);
      if (a.status == "Success" || out_of_wall_time())
        break;
    }
    const double t1 = clock_.now_epoch_s();
    if (!synced_before && clock_.synced())
      t0 = t1 - (steady_now_s() - t0_wall);
    t0 = std::min(t0, t1);
    if (!synced_at_start && steps.empty())
      start = t0;
    json entry = {{"name", s.name},         {"action", s.action},      {"status", a.status},
                  {"attempts", attempts},   {"start_epoch_s", t0},     {"end_epoch_s", t1},
                  {"started_at", iso_timestamp(t0)}, {"duration_s", t1 - t0}, {"inputs", mask_secrets(a.inputs)},
                  {"outputs", a.outputs}};
    if (s.inputs.contains("Service") && s.inputs.contains("Api")) {
      entry["service"] = s.inputs.at("Service");
      entry["api"] = s.inputs.at("Api");
    }
    if (!a.reason.empty())
      entry["failure_reason"] = a.reason;
    for (const auto& [k, v] : a.outputs.items())
      outputs_[s.name + "." + k] = v;
    // Where next.
    int next = index + 1;
    bool stop = false;
    if (a.status != "Success") {
      if (s.is_critical && failed_step.empty()) {
        failed_step = s.name;
        failure_reason = a.reason;
      }
      if (s.on_failure == "Abort")
        stop = true;
      else if (s.on_failure.rfind("step:", 0) == 0)
        next = rb_.step_index(s.on_failure.substr(5));
    } else if (!a.next.empty()) {
      next = rb_.step_index(a.next);
    } else if (s.is_end) {
      stop = true;
    } else if (!s.next_step.empty()) {
      next = rb_.step_index(s.next_step);
    }
    if (!stop && next < static_cast<int>(rb_.steps.size()))
      entry["next_step"] = rb_.steps[static_cast<size_t>(next)].name;
    if (opt_.out) {
      std::string what = s.action;
      if (entry.contains("service"))
        what += " " + entry["service"].get<std::string>() + "." + entry["api"].get<std::string>();
      else if (!a.next.empty())
        what += " -> " + a.next;
      char line[512];
      std::snprintf(line, sizeof line, "  %s  %-8s %-28s %-58s %s%s", opt_.format_time(t0).c_str(), a.status.c_str(),
                    s.name.c_str(), what.c_str(), fmt_duration(t1 - t0).c_str(),
                    attempts > 1 ? (" (" + std::to_string(attempts) + " attempts)").c_str() : "");
      *opt_.out << line << "\n";
      if (!a.reason.empty())
        *opt_.out << "      " << a.reason << "\n";
      opt_.out->flush();
    }
    steps.push_back(std::move(entry));
    if (stop)
      break;
    index = next;
  }
  const double end = clock_.now_epoch_s();
  start = std::min(start, end);
  log["start_epoch_s"] = start;
  log["started_at"] = iso_timestamp(start);
  log["steps"] = steps;
  log["end_epoch_s"] = end;
  log["ended_at"] = iso_timestamp(end);
  log["duration_s"] = end - start;
  if (!failed_step.empty()) {
    log["status"] = "Failed";
    log["failed_step"] = failed_step;
    log["failure_reason"] = failure_reason;
  }
  json outs = json::object();
  for (const auto& o : rb_.outputs)
    if (auto v = outputs_.find(o); v != outputs_.end())
      outs[o] = v->second;
  log["outputs"] = outs;
  return log;
}

}  // namespace migsim::harness::runbook
