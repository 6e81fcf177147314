#include "core/twilio.h"

#include <algorithm>

#include "core/crypto.h"

namespace twin::core {

std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             std::vector<FormField> params) {
  // Byte order on names, then on values within a repeated name (twilio-python's behaviour, which
  // its duplicate-key vector pins).
  std::sort(params.begin(), params.end());
  std::string data(url);
  for (const auto& [name, value] : params) {
    data += name;
    data += value;
  }
  return base64_encode(hmac_sha1(auth_token, data));
}

std::string twilio_alternate_port_url(std::string_view url) {
  std::string_view scheme;
  std::string_view port;
  if (url.starts_with("https://")) {
    scheme = "https://";
    port = ":443";
  } else if (url.starts_with("http://")) {
    scheme = "http://";
    port = ":80";
  } else {
    return {};
  }
  std::string_view rest = url.substr(scheme.size());
  std::size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  std::string_view tail = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  std::string out(scheme);
  if (authority.ends_with(port)) {
    out += authority.substr(0, authority.size() - port.size());
  } else if (authority.find(':') == std::string_view::npos) {
    out += authority;
    out += port;
  } else {
    return {};  // a non-default port: no alternate spelling
  }
  out += tail;
  return out;
}

bool twilio_signature_valid(std::string_view auth_token, std::string_view url,
                            const std::vector<FormField>& params, std::string_view signature) {
  std::string expected = twilio_signature(auth_token, url, params);
  bool valid = constant_time_equals(expected, signature);
  std::string alternate = twilio_alternate_port_url(url);
  if (!alternate.empty()) {
    // Always compute both, so the time taken does not say which spelling matched.
    valid =
        constant_time_equals(twilio_signature(auth_token, alternate, params), signature) | valid;
  }
  return valid;
}

}  // namespace twin::core
