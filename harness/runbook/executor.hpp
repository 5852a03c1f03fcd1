// Runs a validated runbook: each step through an AwsCaller (the AWS client in production, a scripted
// fake in tests), waits and timeouts measured on the server's clock (ServerClock), retries
// (maxAttempts), onFailure (Abort, Continue, step:<rollback>), branches, and a JSON log of the run
// (parameters and inputs with secrets masked, outputs, status, times on the server clock, reasons).
#pragma once

#include "harness/runbook/document.hpp"

#include <functional>
#include <iosfwd>
#include <map>
#include <stdexcept>
#include <string>

namespace migsim::harness::runbook {

// An API call that failed: the service's error code (or a transport error) and message.
class AwsCallError : public std::runtime_error {
public:
  AwsCallError(std::string code, const std::string& message, int http_status = 0)
      : std::runtime_error(code + ": " + message), code_(std::move(code)), http_status_(http_status)
  {}
  const std::string& code() const { return code_; }
  int http_status() const { return http_status_; }

private:
  std::string code_;
  int http_status_;
};

// A successful call's response, in boto3's shape, and the server's time (its Date header) if known.
struct AwsReply {
  json body = json::object();
  double server_epoch_s = -1;
};

// Makes one AWS API call (Service is the boto3 client name, Api the PascalCase operation); throws
// AwsCallError when the service answers an error or cannot be reached.
class AwsCaller {
public:
  virtual ~AwsCaller() = default;
  virtual AwsReply call(const std::string& service, const std::string& api, const json& input) = 0;
};

// The clock waits and timeouts are measured on: the server's (seconds since the Unix epoch).
class ServerClock {
public:
  virtual ~ServerClock() = default;
  virtual double now_epoch_s() = 0;
  // Returns once the server's clock has moved on by at least `s` seconds.
  virtual void sleep_s(double s) = 0;
  // A server time seen on a response (Date header).
  virtual void observe(double server_epoch_s) { (void)server_epoch_s; }
  // Whether now_epoch_s() is on the server's clock yet (false until a Date header was seen: the
  // executor then re-times what it measured before on the server's clock).
  virtual bool synced() const { return true; }
};

// The server's clock as its Date headers tell it: local wall time plus the offset last observed
// (local time until a response is seen); sleeps in wall time.
class DateHeaderClock : public ServerClock {
public:
  double now_epoch_s() override;
  void sleep_s(double s) override;
  void observe(double server_epoch_s) override;
  bool synced() const override { return synced_; }

private:
  double offset_s_ = 0;
  bool synced_ = false;
};

struct ExecutorOptions {
  double poll_s = 15;                  // between polls of aws:waitForAwsResourceProperty (server time)
  double default_wait_timeout_s = 3600;  // wait steps without timeoutSeconds
  std::ostream* out = nullptr;         // a line per step (nullptr: silent)
  std::function<std::string(double epoch_s)> format_time;  // for the printed lines (default ISO 8601)
  double wall_limit_s = 0;             // > 0: fail the running step once this much wall time has gone by
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::string execution_id = "00000000-0000-4000-8000-000000000000";
};

// Checks and types the given parameters (-p key=value) against the declared ones, adding defaults;
// throws RunbookError naming the parameter (unknown, missing, wrong type, not allowed).
std::map<std::string, json> resolve_parameters(const Runbook& rb, const std::map<std::string, std::string>& given);

// A copy of a step's inputs or parameters with secrets replaced by "****" (names containing
// password, secret, token, credential or privatekey; the Value of a SecureString PutParameter).
json mask_secrets(const json& value);

class Executor {
public:
  Executor(const Runbook& rb, AwsCaller& caller, ServerClock& clock, ExecutorOptions options = {});

  // Runs the runbook from its first step; returns the execution log:
  // {runbook, status (Success|Failed), parameters, started_at, ended_at, start_epoch_s, end_epoch_s,
  //  duration_s, failed_step, failure_reason, steps[{name, action, service, api, status, attempts,
  //  start_epoch_s, end_epoch_s, duration_s, inputs, outputs, failure_reason, next_step, response}],
  //  outputs}. Steps statuses: Success, Failed, TimedOut.
  json run(const std::map<std::string, json>& parameters);

private:
  struct Attempt;
  Attempt run_step(const Step& s);
  Attempt run_aws(const Step& s, bool wait, bool assert_only);
  std::optional<json> resolve(const std::string& name) const;
  bool out_of_wall_time() const;

  const Runbook& rb_;
  AwsCaller& caller_;
  ServerClock& clock_;
  ExecutorOptions opt_;
  std::map<std::string, json> params_;
  std::map<std::string, json> outputs_;  // "step.Output" -> value
  double wall_start_s_ = 0;
};

}  // namespace migsim::harness::runbook
