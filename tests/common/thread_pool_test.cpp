// ThreadPool (common/src/util/thread_pool.h): run_tasks() and its two
// halves, start_tasks() and wait(), run every task exactly once, on
// threads numbered below size(); wait() rethrows a task's exception; a pool
// destroyed between start_tasks() and wait() still runs every task.
#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

#include "util/thread_pool.h"

using namespace scry;

namespace {

// Counts of each task's runs, and whether a thread index was out of range.
struct Tally {
  explicit Tally(size_t n) : runs(n) {}
  std::vector<std::atomic<int>> runs;
  std::atomic<bool> bad_thread{false};
};

}  // namespace

TEST_CASE("thread pool: every task runs once, with run_tasks or start_tasks and wait",
          "[threads]") {
  for (unsigned threads : {1u, 2u, 3u}) {
    INFO("threads " << threads);
    auto pool = ThreadPool::create(threads);
    REQUIRE(pool.is_ok());
    for (size_t count : {size_t{0}, size_t{1}, size_t{7}, size_t{500}}) {
      INFO("tasks " << count);
      Tally direct(count), split(count);
      const auto task = [&](Tally* t) {
        return [&, t](size_t i, unsigned thread) {
          ++t->runs[i];
          if (thread >= threads) t->bad_thread = true;
        };
      };
      (*pool)->run_tasks(count, task(&direct));
      (*pool)->start_tasks(count, task(&split));
      size_t own_work = 0;  // The caller works meanwhile.
      for (int i = 0; i < 1000; ++i) own_work += static_cast<size_t>(i);
      (*pool)->wait();
      CHECK(own_work == 499500);
      for (size_t i = 0; i < count; ++i) {
        CHECK(direct.runs[i] == 1);
        CHECK(split.runs[i] == 1);
      }
      CHECK(!direct.bad_thread);
      CHECK(!split.bad_thread);
    }
  }
}

TEST_CASE("thread pool: wait() rethrows a task's exception, and the pool goes on", "[threads]") {
  auto pool = ThreadPool::create(2);
  REQUIRE(pool.is_ok());
  std::atomic<int> ran{0};
  (*pool)->start_tasks(50, [&](size_t i, unsigned) {
    ++ran;
    if (i == 20) throw std::runtime_error("task 20");
  });
  CHECK_THROWS_WITH((*pool)->wait(), "task 20");
  CHECK(ran >= 1);
  Tally after(10);
  (*pool)->start_tasks(10, [&](size_t i, unsigned) { ++after.runs[i]; });
  (*pool)->wait();
  for (size_t i = 0; i < 10; ++i) CHECK(after.runs[i] == 1);
}

TEST_CASE("thread pool: destroyed between start_tasks and wait, every task still runs",
          "[threads]") {
  for (unsigned threads : {1u, 3u}) {
    INFO("threads " << threads);
    Tally tally(200);
    {
      auto pool = ThreadPool::create(threads);
      REQUIRE(pool.is_ok());
      (*pool)->start_tasks(200, [&](size_t i, unsigned) { ++tally.runs[i]; });
    }
    for (size_t i = 0; i < 200; ++i) CHECK(tally.runs[i] == 1);
  }
}
