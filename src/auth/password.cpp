#include <mutex>
#include <new>
#include <stdexcept>
#include <string>

#include <sodium.h>

#include "auth/auth.hpp"
#include "auth/internal.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"

namespace ik::auth {
namespace {

// 32 MiB and 3 passes: above every argon2id configuration OWASP recommends (19 MiB with 2
// passes, 12 MiB with 3, …) and three quarters of the work of libsodium's INTERACTIVE limits
// (64 MiB, 2 passes) at half the memory.
// The server runs on a small machine with a memory budget of 80 MiB; MODERATE (256 MiB) would
// let a handful of concurrent sign-ins exhaust it — an easy denial of service. needs_rehash()
// moves stored hashes to these limits on the next sign-in.
constexpr unsigned long long kOpsLimit = 3;
constexpr std::size_t kMemLimit = std::size_t{32} << 20;

// One Argon2id computation at a time: simultaneous sign-ins then need one working area, not
// one each, and queue for a few tens of milliseconds instead.
std::mutex& hashing_mutex() {
  static std::mutex mutex;
  return mutex;
}

constexpr std::size_t kMinPasswordCodePoints = 12;
constexpr std::size_t kMaxPasswordCodePoints = 256;

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace

std::string hash_password(std::string_view password) {
  ensure_sodium();
  char hash[crypto_pwhash_STRBYTES];
  const std::lock_guard one_at_a_time(hashing_mutex());
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // The only documented failure is that the working memory could not be allocated.
    throw std::bad_alloc();
  }
  return hash;
}

bool verify_password(std::string_view password, std::string_view hash) {
  ensure_sodium();
  const std::string terminated(hash);  // libsodium reads the hash as a C string
  const std::lock_guard one_at_a_time(hashing_mutex());
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

Status check_password_rules(std::string_view password, std::string_view field) {
  const std::string field_name(field);
  if (!text::is_valid_utf8(password)) return Error::invalid(field_name, "auth.password_invalid");
  const auto length = text::code_points(password);
  if (length < kMinPasswordCodePoints) return Error::invalid(field_name, "auth.password_too_short");
  if (length > kMaxPasswordCodePoints) return Error::invalid(field_name, "auth.password_too_long");
  if (text::trim(password).empty()) return Error::invalid(field_name, "auth.password_blank");
  return {};
}

namespace internal {

bool needs_rehash(std::string_view hash) {
  ensure_sodium();
  const std::string terminated(hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), kOpsLimit, kMemLimit) != 0;
}

const std::string& dummy_password_hash() {
  // Hashed once with the current limits, so a verify against it costs what a real one costs.
  static const std::string hash = hash_password(crypto::random_token(16));
  return hash;
}

}  // namespace internal
}  // namespace ik::auth
