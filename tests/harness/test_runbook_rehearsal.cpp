// The rehearsal's in-process mock endpoint and its clock: the simulation lives on the server
// thread, the runbook's waits move (step) or wait for (max) its simulated clock, and a wait past
// the scenario's end fails instead of hanging. One simulation per test case (SimGrid).
#include "harness/rehearse/mock_endpoint.hpp"
#include "harness/rehearse/rehearsal_clock.hpp"
#include "harness/rehearse/report.hpp"
#include "harness/run/run_command.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

using namespace migsim::harness;

namespace {

const std::string kTiny = std::string(MIGSIM_SOURCE_DIR) + "/tests/data/tiny_valid.json";

// GET a path of the endpoint over a real socket; returns (status, body, Date header).
std::tuple<int, std::string, std::string> http_get(unsigned short port, const std::string& path)
{
  namespace http = boost::beast::http;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::empty_body> req{http::verb::get, path, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(socket, req);
  boost::beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(socket, buf, res);
  return {static_cast<int>(res.result_int()), res.body(), std::string(res[http::field::date])};
}

}  // namespace

TEST_CASE("rehearsal: step mode advances the simulated clock by exactly the waits")
{
  auto sc = load_scenario(kTiny);
  sc.duration_s = 3600;
  rehearse::MockEndpoint ep(sc, serve::Speed{0, false});
  rehearse::RehearsalClock clock(ep);
  CHECK(clock.now_epoch_s() == serve::epoch_at_zero_s());
  clock.sleep_s(15);
  CHECK(ep.now_s() == 15);
  clock.sleep_s(600);
  CHECK(clock.now_epoch_s() == serve::epoch_at_zero_s() + 615);
  // The same clock the HTTP side shows (the Date header carries whole seconds).
  const auto [status, body, date] = http_get(ep.port(), "/_migsim/clock");
  CHECK(status == 200);
  CHECK(nlohmann::json::parse(body)["now_s"] == 615);
  CHECK(date == "Wed, 01 Jan 2025 00:10:15 GMT");
  // A wait past the scenario's end fails instead of hanging.
  CHECK_THROWS_WITH(clock.sleep_s(7200), Catch::Contains("scenario ended"));
  const RunResult r = ep.finish();
  CHECK(r.duration_s == 3600);
  CHECK(r.arrivals > 0);
}

TEST_CASE("rehearsal: at max speed the clock runs by itself and waits follow it")
{
  auto sc = load_scenario(kTiny);
  sc.duration_s = 4 * 3600;
  rehearse::MockEndpoint ep(sc, serve::Speed{0, true});
  rehearse::RehearsalClock clock(ep);
  const double t0 = ep.now_s();
  clock.sleep_s(900);
  const double t1 = ep.now_s();
  CHECK(t1 - t0 >= 900);
  CHECK(t1 - t0 < 900 + 5 * 60);  // a few 60 s ticks of slack at most
  ep.finish();
}

TEST_CASE("rehearsal: simulated times are written on the scenario's calendar")
{
  auto sc = load_scenario(kTiny);
  sc.duration_s = 3 * 3600;  // the wait below ends inside the window
  sc.calendar = *migsim::sim::parse_calendar("2025-11-28T16:00:00-03:00");
  rehearse::MockEndpoint ep(sc, serve::Speed{0, false});
  CHECK(rehearse::sim_clock(0) == "2025-11-28 16:00:00");
  CHECK(rehearse::sim_clock(7200) == "2025-11-28 18:00:00");
  CHECK(rehearse::sim_clock(86400 + 61.9) == "2025-11-29 16:01:01");
  // The Date header is the same instant in GMT (16:00 at UTC-3 is 19:00 GMT).
  rehearse::RehearsalClock clock(ep);
  clock.sleep_s(7200);
  const auto [status, body, date] = http_get(ep.port(), "/_migsim/clock");
  CHECK(status == 200);
  CHECK(date == "Fri, 28 Nov 2025 21:00:00 GMT");
  ep.finish();
  migsim::sim::set_output_calendar(migsim::sim::Calendar{});  // the process-wide calendar back to the default for other tests
}
