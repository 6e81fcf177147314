#include "core/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cassert>
#include <cstdint>

#include "core/encoding.h"

namespace twin::core {

std::string hmac_sha1(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const unsigned char* result =
      HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  assert(result != nullptr && length == 20 && "HMAC-SHA1 cannot fail on valid arguments");
  (void)result;
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  int ok = EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  assert(ok == 1 && "SHA-256 cannot fail on valid arguments");
  (void)ok;
  return hex_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

bool constant_time_equals(std::string_view secret, std::string_view candidate) {
  // Walk the secret's whole length whatever the candidate holds; fold every difference, the
  // length mismatch included, into one accumulator that is tested once at the end.
  volatile std::uint8_t diff = secret.size() == candidate.size() ? 0 : 1;
  for (std::size_t i = 0; i < secret.size(); ++i) {
    std::uint8_t c = i < candidate.size() ? static_cast<std::uint8_t>(candidate[i]) : 0;
    diff = static_cast<std::uint8_t>(diff | (static_cast<std::uint8_t>(secret[i]) ^ c));
  }
  return diff == 0;
}

}  // namespace twin::core
