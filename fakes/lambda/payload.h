// Payload: the event or the response of one Lambda invocation, either JSON text or one of
// core's typed values (a proxy event or response, an SQS event or batch response) whose JSON
// text is written only when something asks for it.
//
// Why: the gateway builds a core::ProxyEvent and the event source mapping a core::SqsEvent.
// When the function is core::Handler, writing them as JSON for the handler to read them back,
// and the handler's answer as JSON for the gateway or the mapping to read back, was most of an
// invocation's cost. A typed payload skips both ends, and only where nobody can tell:
// - Payload::of(value) keeps the value typed only if its text would read back as exactly that
//   value (core::json_round_trip: well-formed UTF-8, no repeated names, a status code API
//   Gateway accepts); otherwise it holds serialize(value) and every reader sees the text, as
//   before.
// - A FunctionCode answers a typed event exactly as it would answer the event's text
//   (function_code.h); consumers of a typed answer apply the same rules as to its text.
// - json() always gives the text, written on first use and kept, for whatever records, traces
//   or compares it. json() of a typed payload is serialize(value), byte for byte the text the
//   untyped path would have carried.
//
// A value type, copied with its text if written. Not thread-safe (one executor thread).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "core/events/proxy_event.h"
#include "core/events/sqs_event.h"

namespace twin::fakes::lambda {

class Payload {
 public:
  Payload() = default;
  Payload(std::string json) : json_(std::move(json)), has_json_(true) {}  // NOLINT: text is
  Payload(const char* json) : Payload(std::string(json)) {}               // the usual payload

  static Payload of(core::ProxyEvent&& event);
  static Payload of(core::SqsEvent&& event);
  static Payload of(core::ProxyResponse&& response);
  static Payload of(core::SqsBatchResponse&& response);
  // Payload::of for a value built in place: `build` is given a default T that already sits in the
  // payload's storage, so the value is never moved (a proxy event is some fifty strings).
  template <typename T, typename Build>
  static Payload build(Build&& build) {
    auto value = std::make_shared<T>();
    std::forward<Build>(build)(*value);
    return typed_or_text(std::move(value));
  }
  // Payload::build into `storage`, kept by the caller from one value to the next so that the
  // value's strings and lists keep their capacity (a gateway builds one proxy event per request,
  // and allocating and freeing its strings was most of the gateway's work). When no payload
  // shares `storage` any more, `build` is given that used T, left as the previous value: it
  // must then write every member. Otherwise (null, or still shared: a copy of an earlier
  // payload is in flight, and a shared value never changes) `storage` is set to a new default T
  // first. The earlier payload's value stays as it was either way.
  template <typename T, typename Build>
  static Payload build_in(std::shared_ptr<T>& storage, Build&& build) {
    if (storage == nullptr || storage.use_count() != 1) storage = std::make_shared<T>();
    std::forward<Build>(build)(*storage);
    return typed_or_text(storage);
  }

  // The JSON text (written now if it was not yet).
  const std::string& json() const;
  // Whether json().size() > bytes; the text is written only when the value's size bound
  // cannot decide.
  bool json_larger_than(std::size_t bytes) const;

  bool typed() const {  // false for a moved-from payload too, as its pointer is null
    return proxy_event() != nullptr || sqs_event() != nullptr || proxy_response() != nullptr ||
           sqs_batch_response() != nullptr;
  }
  // The typed value, or nullptr when the payload is text or another type.
  const core::ProxyEvent* proxy_event() const { return get<core::ProxyEvent>(); }
  const core::SqsEvent* sqs_event() const { return get<core::SqsEvent>(); }
  const core::ProxyResponse* proxy_response() const { return get<core::ProxyResponse>(); }
  const core::SqsBatchResponse* sqs_batch_response() const { return get<core::SqsBatchResponse>(); }
  // Moves a typed proxy response out, leaving the payload empty (for the last reader only).
  std::optional<core::ProxyResponse> release_proxy_response();

 private:
  // The payload of `value` (not shared yet): typed if its text reads back as exactly that
  // value, otherwise the text. Instantiated in payload.cc for the four types.
  template <typename T>
  static Payload typed_or_text(std::shared_ptr<T> value);
  template <typename T>
  const T* get() const {
    const auto* value = std::get_if<std::shared_ptr<T>>(&typed_);
    return value != nullptr ? value->get() : nullptr;
  }

  // The typed value, shared by copies and never changed while shared: a payload is handed on
  // by value several times per invocation, and an event holds some fifty strings. One pointer
  // per type, so each value's block has its own size: a variant of the values in one block
  // made every response and SQS event the size of a proxy event (1.4 KB, past malloc's
  // per-thread cache).
  std::variant<std::monostate, std::shared_ptr<core::ProxyEvent>, std::shared_ptr<core::SqsEvent>,
               std::shared_ptr<core::ProxyResponse>, std::shared_ptr<core::SqsBatchResponse>>
      typed_;
  std::size_t json_bytes_max_ = 0;  // of the typed value's text
  mutable std::string json_;
  mutable bool has_json_ = true;  // false while a typed value's text is not written
};

// Compares the text (tests, mostly).
inline bool operator==(const Payload& payload, std::string_view json) {
  return std::string_view(payload.json()) == json;
}
std::ostream& operator<<(std::ostream& out, const Payload& payload);

}  // namespace twin::fakes::lambda
