#include "core/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cassert>
#include <cstdint>
#include <cstring>

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
  // Walk the secret's whole length whatever the candidate holds, eight bytes at a time; fold
  // every difference, the length mismatch included, into one accumulator that is tested once
  // at the end. Where the candidate is shorter its missing bytes are zeros, so the time taken
  // depends on the two lengths only, never on a byte of either.
  auto candidate_byte = [candidate](std::size_t k) -> std::uint64_t {
    return k < candidate.size() ? static_cast<std::uint8_t>(candidate[k]) : 0;
  };
  volatile std::uint64_t diff = secret.size() == candidate.size() ? 0 : 1;
  std::size_t i = 0;
  for (; i + 8 <= secret.size(); i += 8) {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::memcpy(&a, secret.data() + i, 8);
    if (i + 8 <= candidate.size()) {
      std::memcpy(&b, candidate.data() + i, 8);
    } else {
      for (std::size_t k = 0; k < 8; ++k) b |= candidate_byte(i + k) << (8 * k);
    }
    diff = diff | (a ^ b);
  }
  for (; i < secret.size(); ++i) {
    diff = diff | (static_cast<std::uint8_t>(secret[i]) ^ candidate_byte(i));
  }
  return diff == 0;
}

}  // namespace twin::core
