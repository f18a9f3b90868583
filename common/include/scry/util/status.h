// Status and Result<T>: how every scry library call that does I/O or parses
// bytes reports failure.
//
// A Status is either OK or carries a code and a one-line message that names
// the file, line or position concerned. Result<T> holds either a T or a
// non-OK Status (a small stand-in for C++23 std::expected).
//
// Broken preconditions are bugs, not Statuses: they are assert()ed and
// documented as REQUIRES lines in the headers.
//
// Thread safety: values; safe to copy and share read-only between threads.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace scry {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kNotFound,
    kCorruption,
    kInvalidArgument,
    kIOError,
    kNotSupported,
    kCancelled,  // Stopped on request or past its time limit (search/interrupt.h).
  };

  Status() = default;

  static Status ok() { return Status(); }
  static Status not_found(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status invalid_argument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status io_error(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status not_supported(std::string msg) {
    return Status(Code::kNotSupported, std::move(msg));
  }
  static Status cancelled(std::string msg) { return Status(Code::kCancelled, std::move(msg)); }

  bool is_ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // The one-line message, e.g. "idx/s0.post: checksum mismatch".
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or an error Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  // REQUIRES: !status.is_ok()
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).is_ok());
  }

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }

  // REQUIRES: is_ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

  // OK when a value is held.
  Status status() const { return is_ok() ? Status::ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace scry

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define SCRY_RETURN_IF_ERROR(expr)                  \
  do {                                              \
    ::scry::Status scry_status_ = (expr);           \
    if (!scry_status_.is_ok()) return scry_status_; \
  } while (0)
