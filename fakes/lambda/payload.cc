#include "fakes/lambda/payload.h"

#include <ostream>

#include "core/events/round_trip.h"

namespace twin::fakes::lambda {

Payload Payload::typed_or_text(std::shared_ptr<Typed> typed) {
  const core::JsonRoundTrip check =
      std::visit([](const auto& value) { return core::json_round_trip(value); }, *typed);
  if (!check.exact) {
    return Payload(std::visit([](const auto& value) { return core::serialize(value); }, *typed));
  }
  Payload out;
  out.typed_ = std::move(typed);
  out.json_bytes_max_ = check.json_bytes_max;
  out.has_json_ = false;
  return out;
}

Payload Payload::of(core::ProxyEvent&& event) {
  return typed_or_text(
      std::make_shared<Typed>(std::in_place_type<core::ProxyEvent>, std::move(event)));
}
Payload Payload::of(core::SqsEvent&& event) {
  return typed_or_text(
      std::make_shared<Typed>(std::in_place_type<core::SqsEvent>, std::move(event)));
}
Payload Payload::of(core::ProxyResponse&& response) {
  return typed_or_text(
      std::make_shared<Typed>(std::in_place_type<core::ProxyResponse>, std::move(response)));
}
Payload Payload::of(core::SqsBatchResponse&& response) {
  return typed_or_text(
      std::make_shared<Typed>(std::in_place_type<core::SqsBatchResponse>, std::move(response)));
}

const std::string& Payload::json() const {
  if (!has_json_) {
    json_ = std::visit([](const auto& value) { return core::serialize(value); }, *typed_);
    has_json_ = true;
  }
  return json_;
}

bool Payload::json_larger_than(std::size_t bytes) const {
  if (!has_json_ && json_bytes_max_ <= bytes) return false;
  return json().size() > bytes;
}

std::optional<core::ProxyResponse> Payload::release_proxy_response() {
  const core::ProxyResponse* response = get<core::ProxyResponse>();
  if (response == nullptr) return std::nullopt;
  std::optional<core::ProxyResponse> out;
  if (typed_.use_count() == 1) {
    out.emplace(std::move(std::get<core::ProxyResponse>(*typed_)));
  } else {
    out.emplace(*response);  // another copy still reads it
  }
  *this = Payload();
  return out;
}

std::ostream& operator<<(std::ostream& out, const Payload& payload) {
  return out << payload.json();
}

}  // namespace twin::fakes::lambda
