// Status and Result<T>: how every layer of twin reports an expected failure.
//
// Owned by core; used by every layer. Values only, no threading concerns.
// A Status carries a code that says what the caller may do (retry or not), a message for people,
// and, where AWS defines one, the AWS error code and HTTP status, so the HTTP front can map it
// 1:1 onto the wire. Exceptions never cross a port; programmer errors are assertions.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace twin::core {

enum class StatusCode {
  kOk,
  kInvalidArgument,     // the caller sent something wrong; do not retry unchanged
  kNotFound,            // the thing named does not exist
  kAlreadyExists,       // a create collided with an existing thing
  kPermissionDenied,    // authentication or authorisation failed
  kResourceExhausted,   // throttled or over a quota; retry later
  kFailedPrecondition,  // the system is not in a state to do this
  kUnavailable,         // transient failure; retry
  kInternal,            // a bug or an unexpected failure
};

std::string_view to_string(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string aws_code = {}, int http_status = 0)
      : code_(code),
        message_(std::move(message)),
        aws_code_(std::move(aws_code)),
        http_status_(http_status) {}

  static Status ok() { return {}; }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The AWS error code (e.g. "InvalidParameterValue"), empty when AWS defines none.
  const std::string& aws_code() const { return aws_code_; }
  // The HTTP status AWS answers with for this error, 0 when not set.
  int http_status() const { return http_status_; }

  // "INVALID_ARGUMENT: message" for logs and error output.
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string aws_code_;
  int http_status_ = 0;
};

inline Status invalid_argument(std::string message) {
  return {StatusCode::kInvalidArgument, std::move(message)};
}
inline Status not_found(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }
inline Status unavailable(std::string message) {
  return {StatusCode::kUnavailable, std::move(message)};
}
inline Status internal_error(std::string message) {
  return {StatusCode::kInternal, std::move(message)};
}

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit on purpose
  // The value made in place from `args`, for a T that is costly to move.
  template <typename... Args>
  explicit Result(std::in_place_t, Args&&... args)
      : state_(std::in_place_type<T>, std::forward<Args>(args)...) {}
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit on purpose
    assert(!std::get<Status>(state_).is_ok() && "Result needs a value or an error");
  }

  bool is_ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & {
    assert(is_ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(is_ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(is_ok());
    return std::get<T>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace twin::core
