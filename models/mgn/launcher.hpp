// Stage 3 of a source server: LAUNCH jobs (StartTest / StartCutover) and TERMINATE jobs, the EC2
// instances they launch and the launch configuration they launch from. A LAUNCH job, once
// STARTED (job_start_delay_s after creation): cleans up the previous test instance, takes a
// snapshot (its consistent point is the data the instance gets), converts for conversion_s, then
// boots for boot_s (both drawn lognormal from the server's RandomStream) and COMPLETES. A failure
// (injected, or launch_failure_probability at boot) completes the job with the server FAILED and
// rolls the lifecycle back (TESTING -> READY_FOR_TEST, CUTTING_OVER -> READY_FOR_CUTOVER).
//
// Header-only so that the MGN model stays within source_server.cpp's build entry; its bodies can
// move to a launcher.cpp once that file is listed in models/CMakeLists.txt.
#pragma once

#include "models/mgn/source_server.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace migsim::models::mgn {

// The jobs and instances of one source server; drives its lifecycle through the server's table.
class Launcher {
public:
  explicit Launcher(SourceServer& server) : s_(server) {}

  // Creates a LAUNCH job (the lifecycle moves first, so an illegal request changes nothing).
  const Job& start(bool cutover)
  {
    const auto event = cutover ? LifeCycleEvent::StartCutover : LifeCycleEvent::StartTest;
    if (const Job* running = running_launch_job())
      throw IllegalTransition(s_.id(), s_.lifecycle_state(), std::string(to_string(event)),
                              "launch job " + running->job_id + " is still running");
    s_.apply(event);
    Job& job = new_job(JobType::LAUNCH, cutover ? InitiatedBy::START_CUTOVER : InitiatedBy::START_TEST);
    const auto& set = s_.settings();
    job.conversion_s = s_.rng_.lognormal(set.conversion_s, set.conversion_cv);
    job.boot_s = s_.rng_.lognormal(set.boot_s, set.boot_cv);
    const double u = s_.rng_.uniform01();  // drawn always, so the stream does not depend on the probability
    const size_t index = jobs_.size() - 1;
    if (injected_) {
      planned_[index] = *injected_;
      injected_.reset();
    } else if (u < set.launch_failure_probability) {
      planned_[index] = {LaunchFailurePhase::Boot, "instance failed its status checks (launch_failure_probability)"};
    }
    (cutover ? last_cutover_job_id_ : last_test_job_id_) = job.job_id;
    s_.schedule(s_.now() + set.job_start_delay_s, [this, index]() { launch_started(index); });
    return job;
  }

  // Creates a TERMINATE job that terminates every live instance of the server after terminate_s.
  const Job& terminate_all()
  {
    s_.apply(LifeCycleEvent::TerminateTargetInstances);
    Job& job = new_job(JobType::TERMINATE, InitiatedBy::TERMINATE);
    const size_t index = jobs_.size() - 1;
    s_.schedule(s_.now() + s_.settings().job_start_delay_s, [this, index]() {
      set_status(jobs_[index], JobStatus::STARTED);
      add_log(jobs_[index], JobLogEvent::JOB_START);
      set_launch_status(jobs_[index], LaunchStatus::IN_PROGRESS);
      s_.schedule(s_.now() + s_.settings().terminate_s, [this, index]() {
        for (auto& inst : instances_)
          if (inst.state != "terminated")
            terminate(inst);
        set_launch_status(jobs_[index], LaunchStatus::TERMINATED);
        finish(jobs_[index]);
      });
    });
    return job;
  }

  // The next launch job fails in this phase with this reason.
  void inject_failure(std::string reason, LaunchFailurePhase phase)
  {
    injected_ = Failure{phase, reason.empty() ? "injected launch failure" : std::move(reason)};
  }

  // UpdateLaunchConfiguration: everything but the launch template id.
  void update_configuration(const LaunchConfiguration& config)
  {
    if (config.target_instance_type_right_sizing_method == RightSizing::NONE &&
        !find_instance_type(config.template_instance_type))
      throw std::invalid_argument("mgn: UpdateLaunchConfiguration of " + s_.id() + ": unknown instance type \"" +
                                  config.template_instance_type + "\"");
    const std::string template_id = config_.ec2_launch_template_id;
    config_ = config;
    config_.ec2_launch_template_id = template_id;
    if (config_.name.empty())
      config_.name = s_.hostname();
  }

  // GetLaunchConfiguration and the job views.
  LaunchConfiguration& configuration() { return config_; }
  const std::deque<Job>& jobs() const { return jobs_; }
  const std::deque<TargetInstance>& instances() const { return instances_; }
  const std::string& last_test_job_id() const { return last_test_job_id_; }
  const std::string& last_cutover_job_id() const { return last_cutover_job_id_; }

private:
  struct Failure {
    LaunchFailurePhase phase;
    std::string reason;
  };

  // A new job of this server with its one participating server PENDING.
  Job& new_job(JobType type, InitiatedBy by)
  {
    Job& job = jobs_.emplace_back();
    job.job_id = "mgnjob-" + hex17(s_.id() + ":job:" + std::to_string(jobs_.size()));
    job.type = type;
    job.initiated_by = by;
    job.creation_s = s_.now();
    job.participating_servers.push_back({s_.id(), LaunchStatus::PENDING, ""});
    s_.log(std::string(to_string(by)) + " job " + job.job_id + " created");
    return job;
  }

  // STARTED: cleanup of test instances, snapshot, conversion.
  void launch_started(size_t index)
  {
    Job& job = jobs_[index];
    set_status(job, JobStatus::STARTED);
    add_log(job, JobLogEvent::JOB_START);
    // A new test replaces the previous test instance; a cutover also removes test instances.
    add_log(job, JobLogEvent::CLEANUP_START);
    for (auto& inst : instances_)
      if (inst.is_test && inst.state != "terminated")
        terminate(inst);
    add_log(job, JobLogEvent::CLEANUP_END);
    add_log(job, JobLogEvent::SNAPSHOT_START);
    job.data_as_of_s = s_.take_snapshot().consistent_as_of_s;
    add_log(job, JobLogEvent::SNAPSHOT_END);
    set_launch_status(job, LaunchStatus::IN_PROGRESS);
    add_log(job, JobLogEvent::CONVERSION_START);
    s_.schedule(s_.now() + job.conversion_s, [this, index]() { conversion_ended(index); });
  }

  // Conversion done (or failed): the instance is created from the launch template and boots.
  void conversion_ended(size_t index)
  {
    Job& job = jobs_[index];
    if (auto f = planned_.find(index); f != planned_.end() && f->second.phase == LaunchFailurePhase::Conversion) {
      const std::string reason = f->second.reason;
      add_log(job, JobLogEvent::CONVERSION_FAIL, {}, reason);
      failed(index, reason);
      return;
    }
    add_log(job, JobLogEvent::CONVERSION_END);
    TargetInstance& inst = instances_.emplace_back();
    inst.ec2_instance_id = "i-" + hex17(job.job_id + ":instance");
    inst.instance_type = config_.target_instance_type_right_sizing_method == RightSizing::BASIC
                             ? right_size(s_.spec_.cores, s_.spec_.ram_gb)
                             : config_.template_instance_type;
    inst.is_test = job.initiated_by == InitiatedBy::START_TEST;
    inst.job_id = job.job_id;
    inst.launch_started_s = s_.now();
    inst.data_as_of_s = job.data_as_of_s;
    job.participating_servers[0].launched_ec2_instance_id = inst.ec2_instance_id;
    add_log(job, JobLogEvent::LAUNCH_START, inst.ec2_instance_id);
    s_.schedule(s_.now() + job.boot_s, [this, index]() { boot_ended(index); });
  }

  // Boot done: LAUNCHED (running or stopped per the launch disposition), or LAUNCH_FAILED.
  void boot_ended(size_t index)
  {
    Job& job = jobs_[index];
    auto inst = std::find_if(instances_.begin(), instances_.end(),
                             [&](const TargetInstance& i) { return i.job_id == job.job_id; });
    if (auto f = planned_.find(index); f != planned_.end()) {
      const std::string reason = f->second.reason;
      add_log(job, JobLogEvent::LAUNCH_FAILED, inst->ec2_instance_id, reason);
      inst->state = "terminated";
      inst->terminated_s = s_.now();
      failed(index, reason);
      return;
    }
    inst->state = config_.launch_disposition == LaunchDisposition::STARTED ? "running" : "stopped";
    inst->ready_s = s_.now();
    set_launch_status(job, LaunchStatus::LAUNCHED);
    finish(job);
    if (job.initiated_by == InitiatedBy::START_CUTOVER)
      s_.try_apply(LifeCycleEvent::CutoverLaunched);
  }

  // Rollback: the job completes with the server FAILED; the lifecycle returns to where it was.
  void failed(size_t index, std::string reason)
  {
    Job& job = jobs_[index];
    planned_.erase(index);
    job.failure_reason = std::move(reason);
    set_launch_status(job, LaunchStatus::FAILED);
    finish(job);
    s_.log("launch job " + job.job_id + " failed: " + job.failure_reason);
    s_.try_apply(job.initiated_by == InitiatedBy::START_CUTOVER ? LifeCycleEvent::CutoverLaunchFailed
                                                                : LifeCycleEvent::TestLaunchFailed);
  }

  // JOB_END, then COMPLETED.
  void finish(Job& job)
  {
    add_log(job, JobLogEvent::JOB_END);
    set_status(job, JobStatus::COMPLETED);
  }

  // One JobLog item at the current time.
  void add_log(Job& job, JobLogEvent event, std::string instance_id = {}, std::string raw_error = {})
  {
    job.log.push_back({s_.now(), event, std::move(instance_id), std::move(raw_error)});
  }

  // Job status through kJobStatusMoves (a move outside it is a model bug).
  void set_status(Job& job, JobStatus to)
  {
    if (!status_move_allowed(kJobStatusMoves, job.status, to))
      throw std::logic_error("mgn model bug: job " + job.job_id + " " + std::string(to_string(job.status)) + " -> " +
                             std::string(to_string(to)));
    job.status = to;
    (to == JobStatus::STARTED ? job.started_s : job.end_s) = s_.now();
  }

  // Launch status through kLaunchStatusMoves (a move outside it is a model bug).
  void set_launch_status(Job& job, LaunchStatus to)
  {
    auto& p = job.participating_servers[0];
    if (!status_move_allowed(kLaunchStatusMoves, p.launch_status, to))
      throw std::logic_error("mgn model bug: launch status of job " + job.job_id + " " +
                             std::string(to_string(p.launch_status)) + " -> " + std::string(to_string(to)));
    p.launch_status = to;
  }

  // Terminates an instance; the job that launched it shows TERMINATED.
  void terminate(TargetInstance& instance)
  {
    instance.state = "terminated";
    instance.terminated_s = s_.now();
    s_.log("instance " + instance.ec2_instance_id + " terminated");
    for (auto& job : jobs_)
      if (job.job_id == instance.job_id && job.participating_servers[0].launch_status == LaunchStatus::LAUNCHED)
        set_launch_status(job, LaunchStatus::TERMINATED);
  }

  // The LAUNCH job not yet COMPLETED, if any (one launch at a time per server).
  const Job* running_launch_job() const
  {
    for (const auto& job : jobs_)
      if (job.type == JobType::LAUNCH && !job.finished())
        return &job;
    return nullptr;
  }

  SourceServer& s_;
  LaunchConfiguration config_;
  std::deque<Job> jobs_;                // stable references: only appended
  std::deque<TargetInstance> instances_;
  std::map<size_t, Failure> planned_;   // failures decided at creation, by job index
  std::optional<Failure> injected_;
  std::string last_test_job_id_;
  std::string last_cutover_job_id_;
};

}  // namespace migsim::models::mgn
