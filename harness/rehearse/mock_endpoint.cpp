#include "harness/rehearse/mock_endpoint.hpp"

#include "harness/serve/core/platform_ids.hpp"

#include "harness/run/run_command.hpp"
#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/router.hpp"
#include "harness/serve/ssm/maintenance.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <stdexcept>

namespace migsim::harness::rehearse {

// What lives on the server thread (created there, used only there, except the io_context's post).
struct MockEndpoint::State {
  boost::asio::io_context ioc;
  serve::ServeContext* ctx = nullptr;  // set once the thread has built it
  bool ticking = true;
};

MockEndpoint::MockEndpoint(const sim::Scenario& scenario, serve::Speed speed, double tick_s, double max_step_s)
    : scenario_(scenario), speed_(speed), tick_s_(tick_s), max_step_s_(max_step_s), end_s_(scenario.duration_s),
      state_(std::make_unique<State>())
{
  std::promise<unsigned short> ready;
  auto port = ready.get_future();
  thread_ = std::thread([this, r = std::move(ready)]() mutable { thread_main(std::move(r)); });
  try {
    port_ = port.get();
  } catch (...) {
    thread_.join();
    throw;
  }
}

MockEndpoint::~MockEndpoint()
{
  if (thread_.joinable()) {
    boost::asio::post(state_->ioc, [this]() { state_->ioc.stop(); });
    thread_.join();
  }
}

void MockEndpoint::post(std::function<void(serve::ServeContext&)> job)
{
  boost::asio::post(state_->ioc, [this, job = std::move(job)]() { job(*state_->ctx); });
}

double MockEndpoint::now_s()
{
  return on_server([](serve::ServeContext& ctx) { return ctx.simulation.now(); });
}

RunResult MockEndpoint::finish()
{
  RunResult r = on_server([this](serve::ServeContext& ctx) {
    state_->ticking = false;
    auto result = ctx.simulation.finish();
    state_->ioc.stop();
    return result;
  });
  thread_.join();
  return r;
}

void MockEndpoint::thread_main(std::promise<unsigned short> ready)
{
  std::unique_ptr<Simulation> simulation;
  std::unique_ptr<serve::ServeContext> ctx;
  std::unique_ptr<serve::HttpServer> server;
  try {
    simulation = std::make_unique<Simulation>(scenario_);
    ctx = std::make_unique<serve::ServeContext>(serve::ServeContext{.simulation = *simulation, .speed = speed_});
    state_->ctx = ctx.get();
    serve::install_serve_hooks(*ctx);
    auto* c = ctx.get();
    server = std::make_unique<serve::HttpServer>(
        state_->ioc, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0),
        serve::HttpHandlers{[c](const serve::Request& req) { return serve::handle_request(req, *c); },
                            [c](serve::http::status s, const std::string& why, const serve::Request* partial) {
                              return serve::transport_error(s, why, partial, *c);
                            }});
    ctx->state<serve::platform::EndpointUrl>().url = "http://127.0.0.1:" + std::to_string(server->local_endpoint().port());
  } catch (const std::exception& e) {
    ready.set_exception(std::make_exception_ptr(std::runtime_error(std::string("mock endpoint: ") + e.what())));
    return;
  }
  // The paced clock, as `migsim serve` runs it.
  boost::asio::steady_timer timer(state_->ioc);
  std::function<void()> arm = [&]() {
    timer.expires_after(std::chrono::microseconds(static_cast<long>(tick_s_ * 1e6)));
    timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec || !state_->ticking)
        return;
      auto& sim = ctx->simulation;
      if (sim.now() < end_s_) {
        if (ctx->speed.max)
          sim.advance_to(sim.now() + max_step_s_);
        else if (ctx->speed.factor > 0)
          sim.advance_to(ctx->paced_target_s());
      }
      arm();
    });
  };
  ctx->rebase();
  arm();
  ready.set_value(server->local_endpoint().port());
  state_->ioc.run();
  server->close();
  timer.cancel();
}

}  // namespace migsim::harness::rehearse
