// A response body produced over time (a Kubernetes watch): the handler that answers a request with
// one keeps it and pushes chunks as they happen; the HTTP session writes the response header with
// chunked transfer encoding, then each chunk, then the last chunk once the producer ends it. Either
// side may stop: the producer with end(), the session with cancel() when the client goes away.
// Single-threaded (the io_context's thread), like everything in serve.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <utility>

namespace migsim::harness::serve {

class ChunkStream {
public:
  // Producer side: queue a chunk (ignored once ended or cancelled); end the body.
  void push(std::string data)
  {
    if (done_ || cancelled_ || data.empty())
      return;
    queue_.push_back(std::move(data));
    wake();
  }
  void end()
  {
    if (done_)
      return;
    done_ = true;
    wake();
  }
  // Whether the consumer is gone (the client closed the connection): stop producing.
  bool cancelled() const { return cancelled_; }
  bool ended() const { return done_; }

  // Consumer side: called when there is something new to write (set by the session).
  void on_ready(std::function<void()> wake) { wake_ = std::move(wake); }
  // Everything queued so far, in order, as one string.
  std::string take()
  {
    std::string all;
    for (auto& s : queue_)
      all += s;
    queue_.clear();
    return all;
  }
  bool has_data() const { return !queue_.empty(); }
  void cancel()
  {
    cancelled_ = true;
    queue_.clear();
    wake_ = nullptr;
  }

private:
  void wake()
  {
    if (wake_) {
      auto w = wake_;  // the callback may replace itself
      w();
    }
  }
  std::deque<std::string> queue_;
  std::function<void()> wake_;
  bool done_ = false;
  bool cancelled_ = false;
};

}  // namespace migsim::harness::serve
