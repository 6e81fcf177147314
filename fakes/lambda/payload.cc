#include "fakes/lambda/payload.h"

#include <ostream>
#include <type_traits>

#include "core/events/round_trip.h"

namespace twin::fakes::lambda {

template <typename T>
Payload Payload::typed_or_text(std::shared_ptr<T> value) {
  const core::JsonRoundTrip check = core::json_round_trip(*value);
  if (!check.exact) return Payload(core::serialize(*value));
  Payload out;
  out.typed_ = std::move(value);
  out.json_bytes_max_ = check.json_bytes_max;
  out.has_json_ = false;
  return out;
}
template Payload Payload::typed_or_text(std::shared_ptr<core::ProxyEvent>);
template Payload Payload::typed_or_text(std::shared_ptr<core::SqsEvent>);
template Payload Payload::typed_or_text(std::shared_ptr<core::ProxyResponse>);
template Payload Payload::typed_or_text(std::shared_ptr<core::SqsBatchResponse>);

Payload Payload::of(core::ProxyEvent&& event) {
  return typed_or_text(std::make_shared<core::ProxyEvent>(std::move(event)));
}
Payload Payload::of(core::SqsEvent&& event) {
  return typed_or_text(std::make_shared<core::SqsEvent>(std::move(event)));
}
Payload Payload::of(core::ProxyResponse&& response) {
  return typed_or_text(std::make_shared<core::ProxyResponse>(std::move(response)));
}
Payload Payload::of(core::SqsBatchResponse&& response) {
  return typed_or_text(std::make_shared<core::SqsBatchResponse>(std::move(response)));
}

const std::string& Payload::json() const {
  if (!has_json_) {
    json_ = std::visit(
        [](const auto& value) {
          if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::monostate>) {
            return std::string();  // not reached: text payloads have their text
          } else {
            return core::serialize(*value);
          }
        },
        typed_);
    has_json_ = true;
  }
  return json_;
}

bool Payload::json_larger_than(std::size_t bytes) const {
  if (!has_json_ && json_bytes_max_ <= bytes) return false;
  return json().size() > bytes;
}

std::optional<core::ProxyResponse> Payload::release_proxy_response() {
  auto* response = std::get_if<std::shared_ptr<core::ProxyResponse>>(&typed_);
  if (response == nullptr) return std::nullopt;
  std::optional<core::ProxyResponse> out;
  if (response->use_count() == 1) {
    out.emplace(std::move(**response));
  } else {
    out.emplace(**response);  // another copy still reads it
  }
  *this = Payload();
  return out;
}

std::ostream& operator<<(std::ostream& out, const Payload& payload) {
  return out << payload.json();
}

}  // namespace twin::fakes::lambda
