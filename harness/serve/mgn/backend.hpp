// MGN on the mock endpoint, over the live MGN model of the migration (models/mgn: one SourceServer
// per migrated machine, its Launcher for jobs): source servers and jobs as the API shows them, and
// the operations that change them (lifecycle, test and cutover launches, finalize, terminate,
// archive, launch configuration). A request the lifecycle does not allow (models/mgn/lifecycle.hpp's
// tables) is a 409 ConflictException naming the state; an unknown server a 404
// ResourceNotFoundException; bad values a 400 ValidationException. The account counts as initialized
// when the scenario migrates with MGN (its agents are installed by the scenario).
#pragma once

#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace migsim::models::mgn {
class SourceServer;
struct JobDescription;
}  // namespace migsim::models::mgn

namespace migsim::harness::serve::mgn {

using nlohmann::json;

// The live source servers (none before the agents are installed, without a migration, or for a
// request to another region than the scenario's).
const std::vector<std::unique_ptr<models::mgn::SourceServer>>& servers(ServeContext& ctx);
// The live source server with this id (404 ResourceNotFoundException when none).
models::mgn::SourceServer& server(ServeContext& ctx, const std::string& id);
// Every job, merged across the servers it launches, oldest first.
std::vector<models::mgn::JobDescription> jobs(ServeContext& ctx);

// The SourceServer shape: `full` as DescribeSourceServers shows it (replicated disks, first byte,
// errors), else the compact one the operations that change a server answer.
json source_server_json(ServeContext& ctx, const models::mgn::SourceServer& s, bool full);
// The Job shape.
json job_json(ServeContext& ctx, const models::mgn::JobDescription& j);

// Lifecycle operations on one server (its SourceServer shape afterwards).
json change_lifecycle_state(ServeContext& ctx, const std::string& id, const std::string& state);
json finalize_cutover(ServeContext& ctx, const std::string& id);
json mark_as_archived(ServeContext& ctx, const std::string& id);
// A launch job (test, cutover, or terminating the launched instances) over several servers: the
// first server's job with every participant.
enum class Launch { test, cutover, terminate };
json launch(ServeContext& ctx, const std::vector<std::string>& ids, Launch kind);
// The launch configuration of a server, and its update from the request's members.
json launch_configuration(ServeContext& ctx, const std::string& id);
json update_launch_configuration(ServeContext& ctx, const std::string& id, const json& in);

}  // namespace migsim::harness::serve::mgn
