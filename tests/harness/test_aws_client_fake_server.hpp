// A scripted HTTP/1.1 server for the AWS client's tests: listens on a free loopback port, answers
// each request with the next scripted reply (optionally late, optionally closing the connection)
// and records what it received. One connection at a time, on its own thread.
#pragma once

#include "harness/aws/client/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace migsim::test {

// One scripted answer.
struct FakeReply {
  int status = 200;
  aws::HeaderList headers;
  std::string body = "{}";
  int delay_ms = 0;    // wait before answering (timeouts)
  bool close = false;  // close the connection after answering
};

// One request as the server saw it.
struct SeenRequest {
  std::string method;
  std::string target;
  aws::HeaderList headers;
  std::string body;
  std::string header(const std::string& name) const
  {
    for (const auto& [k, v] : headers)
      if (boost::beast::iequals(k, name))
        return v;
    return "";
  }
};

// The server; stops and joins in its destructor.
class FakeServer {
 public:
  explicit FakeServer(std::vector<FakeReply> script)
      : script_(std::move(script)), acceptor_(ioc_, {boost::asio::ip::address_v4::loopback(), 0})
  {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeServer()
  {
    stop_ = true;
    boost::system::error_code ec;
    boost::asio::ip::tcp::socket wake(ioc_);
    wake.connect({boost::asio::ip::address_v4::loopback(), port_}, ec);
    thread_.join();
    {
      std::lock_guard lock(mu_);
      for (auto* sock : open_)
        sock->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    }
    for (auto& t : sessions_)
      t.join();
  }
  unsigned short port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<SeenRequest> seen() const
  {
    std::lock_guard lock(mu_);
    return seen_;
  }
  int connections() const { return connections_; }

 private:
  // Accepts connections, each served on its own thread (a late answer on one connection must not
  // hold up the client's next attempt on a fresh one).
  void serve()
  {
    while (!stop_) {
      auto sock = std::make_unique<boost::asio::ip::tcp::socket>(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(*sock, ec);
      if (ec || stop_)
        break;
      ++connections_;
      std::lock_guard lock(mu_);
      open_.push_back(sock.get());
      sessions_.emplace_back([this, s = std::move(sock)]() mutable { session(*s); });
    }
  }

  void session(boost::asio::ip::tcp::socket& sock)
  {
    namespace http = boost::beast::http;
    boost::system::error_code ec;
    {
      boost::beast::flat_buffer buf;
      while (!stop_) {
        http::request<http::string_body> req;
        http::read(sock, buf, req, ec);
        if (ec)
          break;
        FakeReply reply{500, {}, R"({"__type":"ScriptExhausted","message":"no scripted reply left"})"};
        {
          std::lock_guard lock(mu_);
          SeenRequest s{std::string(req.method_string()), std::string(req.target()), {}, req.body()};
          for (const auto& f : req)
            s.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
          seen_.push_back(std::move(s));
          if (next_ < script_.size())
            reply = script_[next_++];
        }
        if (reply.delay_ms > 0)
          std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
        http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
        for (const auto& [k, v] : reply.headers)
          res.insert(k, v);
        res.body() = reply.body;
        res.keep_alive(!reply.close);
        res.prepare_payload();
        http::write(sock, res, ec);
        if (ec || reply.close)
          break;
      }
    }
    std::lock_guard lock(mu_);
    open_.erase(std::find(open_.begin(), open_.end(), &sock));
  }

  std::vector<FakeReply> script_;
  size_t next_ = 0;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
  std::vector<std::thread> sessions_;
  std::vector<boost::asio::ip::tcp::socket*> open_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::vector<SeenRequest> seen_;
};

}  // namespace migsim::test
