// The few cryptographic primitives the handler needs, over OpenSSL. Each OpenSSL failure is
// converted here and nowhere else.
//
// Owned by core; pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace twin::core {

// Raw 20-byte HMAC-SHA1 of `message` under `key`.
std::string hmac_sha1(std::string_view key, std::string_view message);
// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

// Compares a secret with a candidate in time that depends only on the secret's length, never
// on where the two first differ or on the candidate's length.
bool constant_time_equals(std::string_view secret, std::string_view candidate);

}  // namespace twin::core
