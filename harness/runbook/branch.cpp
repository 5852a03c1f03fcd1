#include "harness/runbook/branch.hpp"

#include "harness/runbook/document.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace migsim::harness::runbook {

namespace {

const std::vector<std::string> kOperators = {"StringEquals",        "EqualsIgnoreCase",      "StartsWith",
                                             "EndsWith",            "Contains",              "NumericEquals",
                                             "NumericGreater",      "NumericLesser",         "NumericGreaterOrEquals",
                                             "NumericLesserOrEquals", "BooleanEquals"};

bool is_operator(const std::string& k) { return std::find(kOperators.begin(), kOperators.end(), k) != kOperators.end(); }

std::string lower(std::string s)
{
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

double number(const json& v, const std::string& what)
{
  if (v.is_number())
    return v.get<double>();
  if (v.is_string()) {
    try {
      size_t used = 0;
      const double d = std::stod(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size())
        return d;
    } catch (const std::exception&) {
    }
  }
  throw std::runtime_error(what + " " + v.dump() + " is not a number");
}

bool boolean(const json& v)
{
  if (v.is_boolean())
    return v.get<bool>();
  if (v == "true" || v == "True")
    return true;
  if (v == "false" || v == "False")
    return false;
  throw std::runtime_error("value " + v.dump() + " is not a Boolean");
}

}  // namespace

void check_choice(const json& c, const std::string& step, const std::string& field, bool top_level)
{
  if (!c.is_object())
    throw RunbookError(step, field, "a choice is an object");
  int ops = 0;
  for (const auto& [k, v] : c.items()) {
    if (k == "NextStep") {
      if (!top_level)
        throw RunbookError(step, field + ".NextStep", "only top-level choices have NextStep");
      if (!v.is_string() || v.get<std::string>().empty())
        throw RunbookError(step, field + ".NextStep", "must be a step name");
    } else if (k == "Variable") {
      if (!v.is_string() || references(v).size() != 1)
        throw RunbookError(step, field + ".Variable", "must be one {{ reference }}");
    } else if (k == "And" || k == "Or") {
      ++ops;
      if (!v.is_array() || v.size() < 2)
        throw RunbookError(step, field + "." + k, "must be an array of at least two choices");
      for (size_t i = 0; i < v.size(); ++i)
        check_choice(v[i], step, field + "." + k + "[" + std::to_string(i) + "]", false);
    } else if (k == "Not") {
      ++ops;
      const json& inner = v.is_array() && v.size() == 1 ? v[0] : v;
      check_choice(inner, step, field + ".Not", false);
    } else if (is_operator(k)) {
      ++ops;
      if (v.is_structured() || v.is_null())
        throw RunbookError(step, field + "." + k, "must be a single value");
      if (!c.contains("Variable"))
        throw RunbookError(step, field + ".Variable", "required with " + k);
      if (k.rfind("Numeric", 0) == 0 && !v.is_number() && references(v).empty())
        throw RunbookError(step, field + "." + k, "must be a number");
      if (k == "BooleanEquals" && !v.is_boolean() && references(v).empty())
        throw RunbookError(step, field + "." + k, "must be true or false");
    } else {
      throw RunbookError(step, field + "." + k, "unknown field of a choice (operators: And, Or, Not, " + [] {
        std::string s;
        for (const auto& o : kOperators)
          s += (s.empty() ? "" : ", ") + o;
        return s;
      }() + ")");
    }
  }
  if (top_level && !c.contains("NextStep"))
    throw RunbookError(step, field + ".NextStep", "required field is missing");
  if (ops != 1)
    throw RunbookError(step, field, "a choice has exactly one operator, And, Or or Not");
}

bool evaluate_choice(const json& c, const Resolver& resolve)
{
  if (c.contains("And")) {
    for (const auto& e : c.at("And"))
      if (!evaluate_choice(e, resolve))
        return false;
    return true;
  }
  if (c.contains("Or")) {
    for (const auto& e : c.at("Or"))
      if (evaluate_choice(e, resolve))
        return true;
    return false;
  }
  if (c.contains("Not")) {
    const json& inner = c.at("Not").is_array() ? c.at("Not")[0] : c.at("Not");
    return !evaluate_choice(inner, resolve);
  }
  const json var = interpolate(c.at("Variable"), resolve);
  for (const auto& [op, raw] : c.items()) {
    if (!is_operator(op))
      continue;
    const json want = interpolate(raw, resolve);
    if (op == "StringEquals")
      return as_text(var) == as_text(want);
    if (op == "EqualsIgnoreCase")
      return lower(as_text(var)) == lower(as_text(want));
    if (op == "StartsWith")
      return as_text(var).rfind(as_text(want), 0) == 0;
    if (op == "EndsWith") {
      const std::string a = as_text(var), b = as_text(want);
      return a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0;
    }
    if (op == "Contains") {
      if (var.is_array())
        return std::any_of(var.begin(), var.end(), [&](const json& e) { return as_text(e) == as_text(want); });
      return as_text(var).find(as_text(want)) != std::string::npos;
    }
    if (op == "BooleanEquals")
      return boolean(var) == boolean(want);
    const double a = number(var, "Variable"), b = number(want, op);
    if (op == "NumericEquals")
      return a == b;
    if (op == "NumericGreater")
      return a > b;
    if (op == "NumericLesser")
      return a < b;
    if (op == "NumericGreaterOrEquals")
      return a >= b;
    if (op == "NumericLesserOrEquals")
      return a <= b;
  }
  throw std::runtime_error("choice has no operator");
}

}  // namespace migsim::harness::runbook
