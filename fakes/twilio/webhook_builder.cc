#include "fakes/twilio/webhook_builder.h"

#include "core/twilio.h"

namespace twin::fakes::twilio {

std::string next_message_sid(core::IdSource& ids) {
  std::string sid = "SM";
  for (char c : ids.next_uuid()) {
    if (c != '-') sid.push_back(c);
  }
  return sid;
}

std::vector<core::FormField> webhook_fields(const InboundWhatsApp& m) {
  std::string wa_id = m.wa_id;
  if (wa_id.empty()) {
    const std::size_t plus = m.from.find('+');
    if (plus != std::string::npos) wa_id = m.from.substr(plus + 1);
  }
  std::vector<core::FormField> fields = {{"SmsMessageSid", m.message_sid},
                                         {"NumMedia", std::to_string(m.num_media)},
                                         {"ProfileName", m.profile_name}};
  if (m.message_type) fields.emplace_back("MessageType", *m.message_type);
  fields.insert(fields.end(), {{"SmsSid", m.message_sid},
                               {"WaId", wa_id},
                               {"SmsStatus", "received"},
                               {"Body", m.body},
                               {"To", m.to},
                               {"NumSegments", std::to_string(m.num_segments)},
                               {"ReferralNumMedia", "0"},
                               {"MessageSid", m.message_sid}});
  if (m.messaging_service_sid) fields.emplace_back("MessagingServiceSid", *m.messaging_service_sid);
  fields.insert(
      fields.end(),
      {{"AccountSid", m.account_sid}, {"From", m.from}, {"ApiVersion", std::string(kApiVersion)}});
  return fields;
}

WebhookRequest build_inbound_webhook(const InboundWhatsApp& message, std::string_view url,
                                     std::string_view auth_token) {
  WebhookRequest out;
  out.url = std::string(url);
  std::string_view rest =
      url.substr(url.find("://") == std::string_view::npos ? 0 : url.find("://") + 3);
  const std::size_t slash = rest.find('/');
  out.host = std::string(rest.substr(0, slash));
  std::string_view path = slash == std::string_view::npos ? "/" : rest.substr(slash);
  if (const std::size_t q = path.find('?'); q != std::string_view::npos) {
    out.query_string = std::string(path.substr(q + 1));
    path = path.substr(0, q);
  }
  out.path = std::string(path);
  out.fields = webhook_fields(message);
  for (const auto& [name, value] : out.fields) {
    if (!out.body.empty()) out.body.push_back('&');
    out.body += core::url_encode(name) + "=" + core::url_encode(value);
  }
  out.headers = {{"Host", out.host},
                 {"Content-Type", "application/x-www-form-urlencoded"},
                 {"User-Agent", std::string(kUserAgent)},
                 {"X-Twilio-Signature", core::twilio_signature(auth_token, url, out.fields)}};
  if (message.idempotency_token) {
    out.headers.emplace_back("I-Twilio-Idempotency-Token", *message.idempotency_token);
  }
  return out;
}

}  // namespace twin::fakes::twilio
