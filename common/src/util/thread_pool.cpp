#include "util/thread_pool.h"

#include <atomic>
#include <string>
#include <system_error>

namespace scry {

Result<std::unique_ptr<ThreadPool>> ThreadPool::create(unsigned threads) {
  if (threads == 0) return Status::invalid_argument("a thread pool needs at least one thread");
  std::unique_ptr<ThreadPool> pool(new ThreadPool(threads));
  try {
    for (unsigned i = 1; i < threads; ++i) {
      pool->workers_.emplace_back([p = pool.get(), i] { p->loop(i); });
    }
  } catch (const std::system_error& e) {
    return Status::invalid_argument("cannot start " + std::to_string(threads) +
                                    " threads: " + e.what());
  }
  return pool;
}

ThreadPool::~ThreadPool() {
  if (job_ == &take_job_) {  // start_tasks() without wait(): only the owner sets job_.
    try {
      wait();
    } catch (...) {
      // Dropped: nobody is left to report it to.
    }
  }
  stop();
}

void ThreadPool::run_tasks(size_t count,
                           const std::function<void(size_t task, unsigned thread)>& task) {
  std::atomic<size_t> next{0};
  const std::function<void(unsigned)> job = [&](unsigned thread) {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;) task(i, thread);
  };
  start(&job);
  finish(job);
}

void ThreadPool::start_tasks(size_t count, std::function<void(size_t task, unsigned thread)> task) {
  task_ = std::move(task);
  task_count_ = count;
  next_task_.store(0, std::memory_order_relaxed);
  take_job_ = [this](unsigned thread) { take_tasks(thread); };
  start(&take_job_);
}

void ThreadPool::wait() {
  finish(take_job_);
  task_ = nullptr;
}

void ThreadPool::take_tasks(unsigned thread) {
  for (size_t i; (i = next_task_.fetch_add(1, std::memory_order_relaxed)) < task_count_;) {
    task_(i, thread);
  }
}

void ThreadPool::start(const std::function<void(unsigned)>* job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = job;
    pending_ = size_ - 1;
    error_ = nullptr;
    ++generation_;
  }
  start_.notify_all();
}

void ThreadPool::finish(const std::function<void(unsigned)>& job) {
  std::exception_ptr error;
  try {
    job(0);
  } catch (...) {
    error = std::current_exception();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return pending_ == 0; });
  job_ = nullptr;
  if (!error) error = error_;
  if (error) std::rethrow_exception(error);
}

void ThreadPool::loop(unsigned index) {
  uint64_t seen = 0;
  for (;;) {
    const std::function<void(unsigned)>* job = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      job = job_;
    }
    std::exception_ptr error;
    try {
      (*job)(index);
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (error && !error_) error_ = error;
    if (--pending_ == 0) done_.notify_one();
  }
}

void ThreadPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  start_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

}  // namespace scry
