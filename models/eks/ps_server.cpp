#include "models/eks/ps_server.hpp"

#include <algorithm>

namespace migsim::models::eks {

PsServer::PsServer(Clock& clock, double capacity, double per_job_cap)
    : clock_(clock), capacity_(capacity), per_job_cap_(per_job_cap), last_t_(clock.now()),
      alive_flag_(std::make_shared<bool>(true))
{}

PsServer::~PsServer() { *alive_flag_ = false; }

double PsServer::rate() const
{
  if (alive_ == 0)
    return 0;
  return std::min(per_job_cap_, capacity_ / static_cast<double>(alive_));
}

void PsServer::advance()
{
  const double now = clock_.now();
  const double dt = now - last_t_;
  if (dt > 0) {
    const double r = rate();
    v_ += r * dt;
    used_ += r * static_cast<double>(alive_) * dt;
  }
  last_t_ = now;
}

double PsServer::unfinished_work() const
{
  const double dt = clock_.now() - last_t_;
  const double v = v_ + rate() * std::max(0.0, dt);
  return std::max(0.0, finish_sum_ - static_cast<double>(alive_) * v);
}

double PsServer::used() const
{
  const double dt = clock_.now() - last_t_;
  return used_ + rate() * static_cast<double>(alive_) * std::max(0.0, dt);
}

uint64_t PsServer::add(double work, uint64_t tag)
{
  advance();
  const uint64_t id = next_id_++;
  const double f = v_ + std::max(0.0, work);
  heap_.push({f, id, tag});
  finish_of_[id] = f;
  finish_sum_ += f;
  ++alive_;
  reschedule();
  return id;
}

bool PsServer::cancel(uint64_t job)
{
  auto it = finish_of_.find(job);
  if (it == finish_of_.end())
    return false;
  advance();
  finish_sum_ -= it->second;
  finish_of_.erase(it);
  cancelled_.insert(job);
  --alive_;
  reschedule();
  return true;
}

std::vector<uint64_t> PsServer::clear()
{
  advance();
  std::vector<Entry> all;
  while (!heap_.empty()) {
    if (!cancelled_.count(heap_.top().id))
      all.push_back(heap_.top());
    heap_.pop();
  }
  cancelled_.clear();
  finish_of_.clear();
  alive_ = 0;
  finish_sum_ = 0;
  ++generation_;
  std::sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
  std::vector<uint64_t> tags;
  for (const auto& e : all)
    tags.push_back(e.tag);
  return tags;
}

void PsServer::set_capacity(double capacity)
{
  advance();
  capacity_ = capacity;
  reschedule();
}

void PsServer::drop_cancelled_top()
{
  while (!heap_.empty() && cancelled_.count(heap_.top().id)) {
    cancelled_.erase(heap_.top().id);
    heap_.pop();
  }
}

void PsServer::reschedule()
{
  ++generation_;
  drop_cancelled_top();
  if (heap_.empty() || alive_ == 0) {
    finish_sum_ = 0;  // no drift across busy periods
    heap_ = {};       // what is left was cancelled
    cancelled_.clear();
    return;
  }
  const double r = rate();
  if (r <= 0)
    return;
  const double dt = std::max(0.0, (heap_.top().finish_v - v_) / r);
  const uint64_t g = generation_;
  std::weak_ptr<bool> flag = alive_flag_;
  clock_.at(clock_.now() + dt, [this, g, flag]() {
    auto f = flag.lock();
    if (f && *f)
      on_timer(g);
  });
}

void PsServer::on_timer(uint64_t generation)
{
  if (generation != generation_)
    return;
  advance();
  // Every job whose finishing virtual time has come (within rounding) leaves now.
  std::vector<uint64_t> done;
  const double eps = 1e-12 * std::max(1.0, v_);
  while (!heap_.empty()) {
    const Entry e = heap_.top();
    if (cancelled_.count(e.id)) {
      cancelled_.erase(e.id);
      heap_.pop();
      continue;
    }
    if (e.finish_v > v_ + eps)
      break;
    heap_.pop();
    finish_sum_ -= e.finish_v;
    finish_of_.erase(e.id);
    --alive_;
    done.push_back(e.tag);
  }
  reschedule();
  for (uint64_t tag : done)
    if (on_done)
      on_done(tag);
}

}  // namespace migsim::models::eks
