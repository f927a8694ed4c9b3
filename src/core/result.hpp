// Errors as values across module boundaries. A Result<T> holds either a T or an Error;
// callers test it with ok()/operator bool and return early. Exceptions are reserved for
// programming errors (a violated precondition), never for bad input or a failing database.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ik {

enum class ErrorCode {
  invalid_input,   // the user's input is wrong; `field` names where, `message_key` says why
  not_found,       // the thing asked for does not exist (or must look as if it did not)
  conflict,        // a uniqueness or state rule would be broken
  forbidden,       // the caller may not do this
  unauthenticated, // the caller must sign in first
  unavailable,     // the database is busy, locked or gone: try again later (503)
  internal,        // a defect or an unexpected failure: logged, never shown
};

// `message_key` is a key of the message catalogue (web/messages), shown to the user in their
// language; `detail` is for the log only and must never reach a response.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message_key;
  std::string field;
  std::string detail;

  static Error invalid(std::string field, std::string key) {
    return {ErrorCode::invalid_input, std::move(key), std::move(field), {}};
  }
  static Error not_found(std::string detail = {}) {
    return {ErrorCode::not_found, "error.not_found", {}, std::move(detail)};
  }
  static Error conflict(std::string key, std::string field = {}) {
    return {ErrorCode::conflict, std::move(key), std::move(field), {}};
  }
  static Error forbidden() { return {ErrorCode::forbidden, "error.forbidden", {}, {}}; }
  static Error unavailable(std::string detail) {
    return {ErrorCode::unavailable, "error.unavailable", {}, std::move(detail)};
  }
  static Error internal(std::string detail) {
    return {ErrorCode::internal, "error.internal", {}, std::move(detail)};
  }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(state_); }
  Error&& take_error() { assert(!ok()); return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(failed_); return error_; }
  Error&& take_error() { assert(failed_); return std::move(error_); }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace ik

// Returns the error of `expr` from the enclosing function if it failed.
#define IK_TRY(expr)                                         \
  do {                                                       \
    if (auto ik_try_result_ = (expr); !ik_try_result_.ok()) \
      return ik_try_result_.take_error();                    \
  } while (false)
