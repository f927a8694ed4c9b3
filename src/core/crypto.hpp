// Randomness and hashing for secrets (session ids, tokens). Backed by libsodium.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ik::crypto {

// `bytes` random bytes from the operating system's CSPRNG, hex-encoded.
std::string random_token(std::size_t bytes = 32);
// SHA-256 of `data`, hex-encoded: what is stored in place of a session id or token.
std::string sha256_hex(std::string_view data);
// Compares without leaking the position of the first difference through timing.
bool constant_time_equal(std::string_view a, std::string_view b);
std::string hex(std::string_view bytes);
// Standard base64 with padding.
std::string base64(std::string_view bytes);

}  // namespace ik::crypto
