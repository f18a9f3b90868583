// Interrupt: when a query must stop before it is done. A query has a time
// limit (a deadline on the steady clock) and may be cancelled from outside
// (scry-search's REPL on Ctrl-C) through a callback asked at each check.
//
// The planner and the search loops call check() now and then, through an
// InterruptCheck that asks the clock only every kInterval units of work
// (candidates scored, windows walked, clauses planned), so that checking
// costs nothing measurable. A stopped query returns Status::cancelled():
//   "query timed out after N ms"   past the deadline
//   "query cancelled"              when the callback said so
//
// Thread safety: check() is const and calls the callback; an Interrupt may
// be shared by the threads of one query if its callback may be.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "scry/util/status.h"

namespace scry {

class Interrupt {
 public:
  using Clock = std::chrono::steady_clock;

  // Never interrupts.
  Interrupt() = default;
  // Times out `timeout` from now (zero: never); `cancelled`, when set, is
  // asked at every check and stops the query when it returns true.
  explicit Interrupt(std::chrono::milliseconds timeout, std::function<bool()> cancelled = {})
      : timeout_(timeout), deadline_(Clock::now() + timeout), cancelled_(std::move(cancelled)) {}

  // Whether check() can ever fail.
  bool armed() const { return timeout_.count() > 0 || cancelled_ != nullptr; }

  // OK, or Cancelled when the query must stop.
  Status check() const {
    if (cancelled_ && cancelled_()) return Status::cancelled("query cancelled");
    if (timeout_.count() > 0 && Clock::now() >= deadline_) {
      return Status::cancelled("query timed out after " + std::to_string(timeout_.count()) + " ms");
    }
    return Status::ok();
  }

 private:
  std::chrono::milliseconds timeout_{0};
  Clock::time_point deadline_{};
  std::function<bool()> cancelled_;
};

// Counts work and checks an Interrupt (which may be null: never) once
// every kInterval units of it.
class InterruptCheck {
 public:
  static constexpr uint64_t kInterval = 4096;

  explicit InterruptCheck(const Interrupt* interrupt)
      : interrupt_(interrupt != nullptr && interrupt->armed() ? interrupt : nullptr) {}

  // Adds `units` of work; false when the query must stop (status() says
  // why). Once stopped, stays stopped.
  bool tick(uint64_t units = 1) {
    if (interrupt_ == nullptr) return true;
    work_ += units;
    if (work_ < kInterval) return status_.is_ok();
    work_ = 0;
    return now();
  }

  // Checks at once (at the start of a step); false when the query must stop.
  bool now() {
    if (interrupt_ == nullptr || !status_.is_ok()) return status_.is_ok();
    status_ = interrupt_->check();
    return status_.is_ok();
  }

  const Status& status() const { return status_; }

 private:
  const Interrupt* interrupt_;
  uint64_t work_ = 0;
  Status status_;
};

}  // namespace scry
