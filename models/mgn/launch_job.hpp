// MGN jobs and what they launch, as plain data: a LAUNCH job (StartTest / StartCutover) or a
// TERMINATE job, its status and per-server launch status (both advanced through the transition
// tables below), its log (the API's JobLog events), the EC2 instances it launched, and the launch
// configuration they are launched from. Enum names are the API's.
//
// As in the MGN API, a job's status is only PENDING -> STARTED -> COMPLETED: a launch that fails
// still COMPLETES, with the server's launchStatus FAILED and a CONVERSION_FAIL or LAUNCH_FAILED
// log entry carrying the reason (Job::failed() and Job::failure_reason say so directly).
#pragma once

#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migsim::models::mgn {

enum class JobType { LAUNCH, TERMINATE };
enum class InitiatedBy { START_TEST, START_CUTOVER, TERMINATE };
enum class JobStatus { PENDING, STARTED, COMPLETED };
enum class LaunchStatus { PENDING, IN_PROGRESS, LAUNCHED, FAILED, TERMINATED };
enum class JobLogEvent {
  JOB_START,
  CLEANUP_START,
  CLEANUP_END,
  SNAPSHOT_START,
  SNAPSHOT_END,
  CONVERSION_START,
  CONVERSION_END,
  CONVERSION_FAIL,
  LAUNCH_START,
  LAUNCH_FAILED,
  JOB_END,
};
// Where an injected launch failure strikes.
enum class LaunchFailurePhase { Conversion, Boot };

// The documented status moves of a job and of a participating server's launch.
inline constexpr std::pair<JobStatus, JobStatus> kJobStatusMoves[] = {
    {JobStatus::PENDING, JobStatus::STARTED},
    {JobStatus::STARTED, JobStatus::COMPLETED},
};
inline constexpr std::pair<LaunchStatus, LaunchStatus> kLaunchStatusMoves[] = {
    {LaunchStatus::PENDING, LaunchStatus::IN_PROGRESS},
    {LaunchStatus::IN_PROGRESS, LaunchStatus::LAUNCHED},
    {LaunchStatus::IN_PROGRESS, LaunchStatus::FAILED},
    {LaunchStatus::LAUNCHED, LaunchStatus::TERMINATED},
    {LaunchStatus::PENDING, LaunchStatus::TERMINATED},      // TERMINATE job participants
    {LaunchStatus::IN_PROGRESS, LaunchStatus::TERMINATED},  // TERMINATE job participants
};

// True when the table allows a move between two statuses of the same kind.
template <class S, size_t N>
constexpr bool status_move_allowed(const std::pair<S, S> (&table)[N], S from, S to)
{
  for (const auto& m : table)
    if (m.first == from && m.second == to)
      return true;
  return false;
}

// API names of the enums above.
constexpr std::string_view to_string(JobType t) { return t == JobType::LAUNCH ? "LAUNCH" : "TERMINATE"; }
constexpr std::string_view to_string(InitiatedBy i)
{
  constexpr std::string_view names[] = {"START_TEST", "START_CUTOVER", "TERMINATE"};
  return names[static_cast<int>(i)];
}
constexpr std::string_view to_string(JobStatus s)
{
  constexpr std::string_view names[] = {"PENDING", "STARTED", "COMPLETED"};
  return names[static_cast<int>(s)];
}
constexpr std::string_view to_string(LaunchStatus s)
{
  constexpr std::string_view names[] = {"PENDING", "IN_PROGRESS", "LAUNCHED", "FAILED", "TERMINATED"};
  return names[static_cast<int>(s)];
}
constexpr std::string_view to_string(JobLogEvent e)
{
  constexpr std::string_view names[] = {"JOB_START",       "CLEANUP_START",  "CLEANUP_END",     "SNAPSHOT_START",
                                        "SNAPSHOT_END",    "CONVERSION_START", "CONVERSION_END", "CONVERSION_FAIL",
                                        "LAUNCH_START",    "LAUNCH_FAILED",  "JOB_END"};
  return names[static_cast<int>(e)];
}

struct JobLogItem {
  double t_s = 0.0;
  JobLogEvent event = JobLogEvent::JOB_START;
  std::string target_instance_id;
  std::string raw_error;
};

struct ParticipatingServer {
  std::string source_server_id;
  LaunchStatus launch_status = LaunchStatus::PENDING;
  std::string launched_ec2_instance_id;
};

struct Job {
  std::string job_id;  // "mgnjob-" + 17 hex digits, deterministic
  JobType type = JobType::LAUNCH;
  InitiatedBy initiated_by = InitiatedBy::START_TEST;
  JobStatus status = JobStatus::PENDING;
  double creation_s = 0.0;
  std::optional<double> started_s;
  std::optional<double> end_s;
  std::vector<ParticipatingServer> participating_servers;
  std::vector<JobLogItem> log;
  // Model detail: the drawn phase durations and the data point in time the launch used.
  double conversion_s = 0.0;
  double boot_s = 0.0;
  std::optional<double> data_as_of_s;
  std::string failure_reason;  // empty unless the launch failed

  bool failed() const { return !failure_reason.empty(); }
  bool finished() const { return status == JobStatus::COMPLETED; }
};

// An EC2 instance launched by a job (test or cutover).
struct TargetInstance {
  std::string ec2_instance_id;  // "i-" + 17 hex digits, deterministic
  std::string instance_type;
  std::string state = "pending";  // pending, running, stopped, terminated (EC2 names)
  bool is_test = true;
  std::string job_id;
  double launch_started_s = 0.0;
  std::optional<double> ready_s;
  std::optional<double> terminated_s;
  std::optional<double> data_as_of_s;  // source data point in time the instance holds
};

enum class RightSizing { NONE, BASIC };
enum class LaunchDisposition { STOPPED, STARTED };
enum class BootMode { LEGACY_BIOS, UEFI, USE_SOURCE };

// API names of the launch-configuration enums.
constexpr std::string_view to_string(RightSizing r) { return r == RightSizing::NONE ? "NONE" : "BASIC"; }
constexpr std::string_view to_string(LaunchDisposition d) { return d == LaunchDisposition::STOPPED ? "STOPPED" : "STARTED"; }
constexpr std::string_view to_string(BootMode b)
{
  constexpr std::string_view names[] = {"LEGACY_BIOS", "UEFI", "USE_SOURCE"};
  return names[static_cast<int>(b)];
}

// GetLaunchConfiguration / UpdateLaunchConfiguration (defaults as MGN creates them).
struct LaunchConfiguration {
  std::string name;                     // defaults to the source hostname
  std::string ec2_launch_template_id;   // "lt-" + 17 hex digits, deterministic
  RightSizing target_instance_type_right_sizing_method = RightSizing::BASIC;
  std::string template_instance_type = "t3.medium";  // used when right-sizing is NONE
  bool copy_private_ip = false;
  bool copy_tags = false;
  LaunchDisposition launch_disposition = LaunchDisposition::STARTED;
  BootMode boot_mode = BootMode::USE_SOURCE;
};

// A general-purpose EC2 instance type: name, vCPUs, memory.
struct Ec2InstanceType {
  const char* name;
  int vcpus;
  double memory_gib;
};

// Candidates for basic right-sizing and for the replication server type (public EC2 sizes).
inline constexpr Ec2InstanceType kEc2InstanceTypes[] = {
    {"t3.micro", 2, 1},     {"t3.small", 2, 2},      {"t3.medium", 2, 4},     {"t3.large", 2, 8},
    {"m5.xlarge", 4, 16},   {"m5.2xlarge", 8, 32},   {"m5.4xlarge", 16, 64},  {"m5.8xlarge", 32, 128},
    {"m5.12xlarge", 48, 192}, {"m5.16xlarge", 64, 256}, {"m5.24xlarge", 96, 384},
};

// Basic right-sizing: the smallest listed type with at least the source's cores and memory.
inline std::string right_size(int cores, double memory_gb)
{
  for (const auto& t : kEc2InstanceTypes)
    if (t.vcpus >= cores && t.memory_gib >= memory_gb)
      return t.name;
  return kEc2InstanceTypes[std::size(kEc2InstanceTypes) - 1].name;
}

// The listed instance type called name, or nullptr.
inline const Ec2InstanceType* find_instance_type(std::string_view name)
{
  for (const auto& t : kEc2InstanceTypes)
    if (name == t.name)
      return &t;
  return nullptr;
}

}  // namespace migsim::models::mgn
