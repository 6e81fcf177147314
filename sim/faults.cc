#include "sim/faults.h"

#include <boost/json.hpp>

namespace twin::sim {
namespace {

std::string_view site_name(FaultSpec::Site site) {
  switch (site) {
    case FaultSpec::Site::kLambdaError:
      return "lambda.error";
    case FaultSpec::Site::kLambdaTimeout:
      return "lambda.timeout";
    case FaultSpec::Site::kSqsSendFailure:
      return "sqs.send_failure";
    case FaultSpec::Site::kBatchCrash:
      return "batch.crash";
    case FaultSpec::Site::kDuplicateDelivery:
      return "sqs.duplicate";
    case FaultSpec::Site::kTwilioSendFailure:
      return "twilio.send_failure";
  }
  return "";
}

}  // namespace

FaultPoints::FaultPoints(const std::vector<FaultSpec>& faults, const fakes::rng::Rng& root,
                         const core::Clock& clock, core::TimeUs start, Trace& trace)
    : clock_(clock), start_(start), trace_(trace) {
  for (const auto& f : faults) points_.push_back({f, root.fork("fault." + f.name)});
}

const FaultSpec* FaultPoints::fire(FaultSpec::Site site, std::string_view route,
                                   std::string_view detail) {
  const core::DurationUs t = clock_.now() - start_;
  for (auto& p : points_) {
    if (p.spec.site != site || (!p.spec.route.empty() && p.spec.route != route)) continue;
    bool fires = false;
    for (const auto& w : p.spec.windows) fires = fires || (t >= w.from_us && t < w.to_us);
    if (!fires && p.spec.rate > 0) fires = p.rng.bernoulli(p.spec.rate);
    if (!fires) continue;
    ++fired_;
    trace_.begin("fault")
        .field("site", site_name(site))
        .field("fault", p.spec.name)
        .field("route", route)
        .field("detail", detail)
        .end();
    return &p.spec;
  }
  return nullptr;
}

namespace {

std::string route_of_text(std::string_view event_json) {
  // The handler's events always start with their distinguishing member ("Records" or
  // "resource") as the fakes write them; anything else falls back to a full parse.
  auto first = event_json.find('"');
  if (first != std::string_view::npos) {
    auto rest = event_json.substr(first);
    if (rest.starts_with("\"Records\"")) return "sqs";
    constexpr std::string_view kResource = "\"resource\":\"";
    if (rest.starts_with(kResource)) {
      auto end = rest.find('"', kResource.size());
      if (end != std::string_view::npos) {
        return std::string(rest.substr(kResource.size(), end - kResource.size()));
      }
    }
  }
  return fakes::lambda::classify_route(event_json);
}

}  // namespace

std::string route_of_event(const fakes::lambda::Payload& event) {
  return event.typed() ? fakes::lambda::classify_event(event) : route_of_text(event.json());
}

core::Result<fakes::lambda::Payload> FaultyFunctionCode::invoke(
    const fakes::lambda::Payload& event) {
  const std::string route = route_of_event(event);
  if (faults_.fire(FaultSpec::Site::kLambdaError, route, "")) {
    return core::Status(core::StatusCode::kInternal, "Injected error", "Runtime.ExitError");
  }
  if (route != "sqs") {
    trace_.begin("lambda.run").field("route", route).end();
    return target_->invoke(event);
  }
  const core::SqsEvent* typed = event.sqs_event();
  boost::json::value parsed;
  std::size_t records = 0;
  if (typed != nullptr) {
    records = typed->records.size();
  } else {
    boost::json::error_code ec;
    const std::string& text = event.json();
    parsed = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
    if (!ec && parsed.is_object()) {
      if (const auto* r = parsed.get_object().if_contains("Records"); r && r->is_array()) {
        records = r->get_array().size();
      }
    }
  }
  trace_.begin("lambda.run").field("route", route).field("records", std::int64_t(records)).end();
  if (const FaultSpec* crash =
          faults_.fire(FaultSpec::Site::kBatchCrash, route, std::to_string(records) + " records")) {
    // The runtime dies after the first `after_records` records: their effects stand.
    auto keep = static_cast<std::size_t>(crash->after_records);
    if (keep > 0 && keep < records) {
      if (typed != nullptr) {
        core::SqsEvent first = *typed;
        first.records.resize(keep);
        (void)target_->invoke(fakes::lambda::Payload::of(std::move(first)));
      } else {
        auto& list = parsed.get_object()["Records"].get_array();
        list.erase(list.begin() + static_cast<std::ptrdiff_t>(keep), list.end());
        (void)target_->run(boost::json::serialize(parsed));
      }
    } else if (keep >= records) {
      (void)target_->invoke(event);
    }
    return core::Status(core::StatusCode::kInternal,
                        "Runtime exited after " + std::to_string(keep) + " records",
                        "Runtime.ExitError");
  }
  return target_->invoke(event);
}

core::Result<std::string> FaultyFunctionCode::run(std::string_view event_json) {
  auto out = invoke(fakes::lambda::Payload(std::string(event_json)));
  if (!out.is_ok()) return out.status();
  return out->json();
}

core::Result<std::string> FaultyQueue::send(std::string_view body) {
  if (faults_.fire(FaultSpec::Site::kSqsSendFailure, "", "")) {
    return core::Status(core::StatusCode::kUnavailable, "SendMessage failed (injected fault)",
                        "ServiceUnavailable", 503);
  }
  auto sent = ForwardingQueue::send(body);
  if (sent.is_ok() && faults_.fire(FaultSpec::Site::kDuplicateDelivery, "", *sent)) {
    // At-least-once delivery: the same body arrives as a second message.
    (void)ForwardingQueue::send(body);
  }
  if (sent.is_ok() && after_send_) after_send_();
  return sent;
}

core::Status FaultyMessenger::send_invitation(const core::Invitation& invitation) {
  bool before = accepted_before_(invitation);
  if (!before &&
      faults_.fire(FaultSpec::Site::kTwilioSendFailure, "", invitation.registration_id)) {
    return core::Status(core::StatusCode::kUnavailable, "Twilio 503 (injected fault)");
  }
  core::Status s = ForwardingMessenger::send_invitation(invitation);
  if (s.is_ok() && !before) on_sent_(invitation);
  return s;
}

core::Status CountingRegistrationStore::record_inbound(const core::InboundMessage& message) {
  core::Status s = ForwardingRegistrationStore::record_inbound(message);
  if (s.is_ok()) ++effects_[message.message_sid];
  return s;
}

}  // namespace twin::sim
