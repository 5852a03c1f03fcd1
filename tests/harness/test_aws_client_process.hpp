// A child process for the AWS client's end-to-end tests (migsim serve, moto_server, a TLS test
// server): started with a pipe on its stdout (stderr merged), read until a line matches, and
// terminated (SIGTERM, then SIGKILL after 5 s) when the object goes away.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace migsim::test {

// One spawned program.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv)
  {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::dup2(fds[1], 2);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> args;
      for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~ChildProcess()
  {
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        ::close(out_);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    ::close(out_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Reads output until a line matches `pattern`; returns the whole match then its groups (empty on
  // timeout or exit).
  std::vector<std::string> wait_for(const std::string& pattern, double timeout_s)
  {
    const std::regex re(pattern);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    while (std::chrono::steady_clock::now() < deadline) {
      for (auto nl = buffer_.find('\n'); nl != std::string::npos; nl = buffer_.find('\n')) {
        line_ = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        log_ += line_ + "\n";
        std::smatch m;
        if (std::regex_search(line_, m, re))
          return std::vector<std::string>(m.begin(), m.end());
      }
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        char buf[4096];
        const auto n = ::read(out_, buf, sizeof buf);
        if (n <= 0)
          break;
        buffer_.append(buf, static_cast<size_t>(n));
      }
    }
    return {};
  }
  // Everything read so far (for failure messages).
  const std::string& log() const { return log_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_, line_, log_;
};

// A free loopback TCP port (bound then released: tiny race, fine for tests).
inline unsigned short free_port()
{
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::address_v4::loopback(), 0});
  return a.local_endpoint().port();
}

}  // namespace migsim::test
