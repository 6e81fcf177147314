#include "sim/trace.h"

#include <cassert>
#include <stdexcept>

#include "core/encoding.h"

namespace twin::sim {

Trace::Trace(const core::Clock& clock, core::TimeUs start)
    : clock_(clock), start_(start), sha_(EVP_MD_CTX_new()) {
  if (sha_ == nullptr || EVP_DigestInit_ex(sha_, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 unavailable");  // only at start-up
  }
}

Trace::~Trace() { EVP_MD_CTX_free(sha_); }

Trace& Trace::begin(std::string_view event) {
  line_.clear();
  line_ += "{\"t\":";
  line_ += std::to_string(clock_.now() - start_);
  line_ += ",\"ev\":";
  core::append_json_string(line_, event);
  return *this;
}

Trace& Trace::field(std::string_view key, std::string_view value) {
  line_ += ',';
  core::append_json_string(line_, key);
  line_ += ':';
  core::append_json_string(line_, value);
  return *this;
}

Trace& Trace::field(std::string_view key, std::int64_t value) {
  return raw(key, std::to_string(value));
}

Trace& Trace::field(std::string_view key, bool value) { return raw(key, value ? "true" : "false"); }

Trace& Trace::raw(std::string_view key, std::string_view json) {
  line_ += ',';
  core::append_json_string(line_, key);
  line_ += ':';
  line_ += json;
  return *this;
}

void Trace::end() {
  line_ += "}\n";
  EVP_DigestUpdate(sha_, line_.data(), line_.size());
  if (keep_) lines_ += line_;
  ++count_;
}

std::string Trace::digest_hex() const {
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  bool ok = copy != nullptr && EVP_MD_CTX_copy_ex(copy, sha_) == 1 &&
            EVP_DigestFinal_ex(copy, out, &size) == 1;
  EVP_MD_CTX_free(copy);
  assert(ok && "SHA-256 finalisation cannot fail on a live context");
  if (!ok) return {};
  return core::hex_encode(std::string_view(reinterpret_cast<const char*>(out), size));
}

}  // namespace twin::sim
