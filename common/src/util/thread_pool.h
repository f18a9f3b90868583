// ThreadPool: a fixed crew of threads for fork-join parallelism. run_tasks()
// hands numbered tasks to the calling thread and size() - 1 worker threads,
// and returns when every task has run; the workers sleep between calls.
// start_tasks() and wait() split run_tasks() in two: the workers start on
// the tasks at once, the caller goes on with its own work and joins them
// in wait() (the parallel build reads the next batch meanwhile).
//
// Why not one thread per call: the parallel build (IndexBuilder) runs a few
// such calls per batch of documents, thousands in a large build; keeping the
// threads saves starting them each time, and the caller's own thread works
// too instead of waiting.
//
// Thread safety: run_tasks(), start_tasks() and wait() are called by one
// thread at a time (the pool's owner), never from inside a task. Tasks run concurrently on the
// pool's threads: what they share must be safe for that. What the caller wrote before run_tasks()
// is visible to the tasks, and what the tasks wrote is visible to the caller when it returns (both
// go through a mutex). Destroying the pool waits for the workers to stop.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "scry/util/status.h"

namespace scry {

class ThreadPool {
 public:
  // A pool of `threads` threads, the caller's included (threads - 1
  // workers are started). Errors: InvalidArgument (threads is 0; the
  // system cannot start that many threads, with its reason).
  static Result<std::unique_ptr<ThreadPool>> create(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Threads that run tasks, the caller's included.
  unsigned size() const { return size_; }

  // Runs task(i, thread) once for every i < count, handed out in order of
  // i to whichever thread is free; `thread` (< size(), 0 for the calling
  // thread) names the thread running it, for per-thread state. Returns
  // when all have returned. A thread whose task throws takes no more
  // tasks (the others go on with the rest); once every thread is done,
  // run_tasks() rethrows the exception (one of them, if several threw).
  void run_tasks(size_t count, const std::function<void(size_t task, unsigned thread)>& task);

  // run_tasks() in two halves: start_tasks() hands the tasks to the
  // workers and returns at once (with no workers, size() 1, nothing runs
  // until wait()); wait() runs tasks on the calling thread (as thread 0)
  // until none is left, returns when all have returned, and rethrows as
  // run_tasks() does. `task` is copied. Every start_tasks() is followed by
  // one wait() before any other call; what the caller touches in between
  // must not be what the tasks use. Destroying the pool between the two
  // waits as wait() does (the tasks all run), their exceptions dropped.
  void start_tasks(size_t count, std::function<void(size_t task, unsigned thread)> task);
  void wait();

 private:
  explicit ThreadPool(unsigned threads) : size_(threads) {}
  // Starts job(i) on the workers for every 0 < i < size().
  void start(const std::function<void(unsigned)>* job);
  // Runs job(0) on the calling thread, waits for the workers, rethrows.
  void finish(const std::function<void(unsigned)>& job);
  // Runs tasks of the started batch until none is left.
  void take_tasks(unsigned thread);
  void loop(unsigned index);
  void stop();

  const unsigned size_;
  std::mutex mutex_;
  std::condition_variable start_;
  std::condition_variable done_;
  const std::function<void(unsigned)>* job_ = nullptr;
  uint64_t generation_ = 0;  // Counts start() calls; workers wait for a new one.
  unsigned pending_ = 0;     // Workers still running the current job.
  bool stopping_ = false;
  std::exception_ptr error_;  // The first exception of a worker in this job.
  std::vector<std::thread> workers_;
  // The tasks of start_tasks(), and the job that takes them.
  std::function<void(size_t, unsigned)> task_;
  size_t task_count_ = 0;
  std::atomic<size_t> next_task_{0};
  std::function<void(unsigned)> take_job_;
};

}  // namespace scry
