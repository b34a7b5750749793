#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/check.h"

namespace argus {

// The outcome of an operation that can fail in an expected way (I/O, parsing, network). An error
// carries a message a user can act on: what was wrong and where. Project code returns Status or
// Result<T> instead of throwing.
//
// The code says what kind of failure it is, for the few callers that react differently to
// different failures (a scrape counts a rejected sample and goes on, but stops on an I/O error).
class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kError,          // Anything without a more specific code.
    kInvalidInput,   // Malformed input from outside: a body, a query, a config.
    kIOError,        // The file system or the network failed.
    kCorruption,     // Stored data failed a checksum or does not decode.
    kTimeout,        // A deadline passed.
    kOutOfOrder,     // A sample older than the newest one of its series.
    kDuplicate,      // A sample at the newest timestamp of its series with another value.
    kOutOfBounds,    // A sample too old for the storage to accept.
    kLimitExceeded,  // A configured limit (samples, labels, bytes) was exceeded.
    kBodyTooLarge,   // A body, as received or decompressed, passed its configured size limit.
    kNotFound,       // What was asked for does not exist (any more).
  };

  Status() = default;  // OK.
  static Status Ok() { return Status(); }
  static Status Error(std::string message, Code code = Code::kError) {
    return Status(code, std::move(message));
  }
  template <typename... Args>
  static Status Errorf(fmt::format_string<Args...> format, Args&&... args) {
    return Status(Code::kError, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status Errorf(Code code, fmt::format_string<Args...> format, Args&&... args) {
    return Status(code, fmt::format(format, std::forward<Args>(args)...));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy of this error with `context` and ": " in front of the message; OK stays OK.
  Status Wrap(std::string_view context) const {
    return ok() ? *this : Status(code_, fmt::format("{}: {}", context, message_));
  }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or an error Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design.
  // `error` must not be OK: a Result holds either a value or a failure, never an empty success.
  Result(Status error) : value_(std::move(error)) {  // NOLINT: implicit by design.
    CHECK(!std::get<Status>(value_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace argus

// Returns early from the calling function when `expr` (a Status) is an error.
#define ARGUS_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::argus::Status argus_status_ = (expr);        \
    if (!argus_status_.ok()) return argus_status_; \
  } while (false)

#define ARGUS_STATUS_CONCAT_INNER_(a, b) a##b
#define ARGUS_STATUS_CONCAT_(a, b) ARGUS_STATUS_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (a Result<T>); on an error returns its Status from the calling function, else
// moves the value into `lhs`, which may declare a new variable:
//   ARGUS_ASSIGN_OR_RETURN(auto config, config::Load(path));
// `lhs` must not contain unparenthesised commas. The macro expands to several statements: it
// cannot be the body of an `if` without braces.
#define ARGUS_ASSIGN_OR_RETURN(lhs, rexpr) \
  ARGUS_ASSIGN_OR_RETURN_IMPL_(ARGUS_STATUS_CONCAT_(argus_result_, __COUNTER__), lhs, rexpr)
#define ARGUS_ASSIGN_OR_RETURN_IMPL_(result, lhs, rexpr) \
  auto result = (rexpr);                                 \
  if (!result.ok()) return result.status();              \
  lhs = std::move(result).value()
