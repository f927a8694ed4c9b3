#include <algorithm>

#include "auth/internal.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "storage/storage.hpp"

namespace ik::auth::internal {
namespace {

constexpr std::size_t kMaxAddressLength = 45;  // the longest IPv6 text form

constexpr std::string_view kBlockedKey = R"sql(
  SELECT 1 FROM login_throttle WHERE throttle_key = $1 AND blocked_until > $2)sql";

// The increment happens in the statement itself, so concurrent failures from several instances
// all count without a read-modify-write round trip. SET expressions see the row as it was, so
// the CASE tests the previous failure's time.
constexpr std::string_view kCountFailure = R"sql(
  INSERT INTO login_throttle (throttle_key, failures, last_failure_at, blocked_until)
  VALUES ($1, 1, $2, $2)
  ON CONFLICT (throttle_key) DO UPDATE SET
    failures = CASE WHEN login_throttle.last_failure_at < $3 THEN 1
                    ELSE login_throttle.failures + 1 END,
    last_failure_at = $2
  RETURNING failures)sql";

// Never shortens a block another instance has just set for a later failure.
constexpr std::string_view kBlockUntil = R"sql(
  UPDATE login_throttle
  SET blocked_until = CASE WHEN blocked_until > $2 THEN blocked_until ELSE $2 END
  WHERE throttle_key = $1)sql";

constexpr std::string_view kClear = R"sql(
  DELETE FROM login_throttle WHERE throttle_key = $1)sql";

constexpr std::string_view kForgetStale = R"sql(
  DELETE FROM login_throttle WHERE last_failure_at < $1 AND blocked_until <= $2)sql";

// IPv4 or IPv6 text (including IPv4-mapped IPv6); anything else is hashed by the caller.
bool looks_like_address(std::string_view address) {
  return !address.empty() && address.size() <= kMaxAddressLength &&
         address.find_first_not_of("0123456789abcdefABCDEF.:") == std::string_view::npos;
}

// Counts one failure against `key` and blocks it per `policy`.
Status record_failure(storage::Transaction& transaction, const std::string& key, std::int64_t now,
                      const ThrottlePolicy& policy) {
  auto counted = transaction.query_one(kCountFailure, {key, now, now - policy.forget_after_seconds});
  if (!counted) return counted.take_error();
  if (!counted->has_value()) return Error::internal("login_throttle upsert returned no row");
  const auto failures = (*counted)->integer(0);
  auto blocked = transaction.execute(kBlockUntil, {key, now + block_delay(failures, policy)});
  if (!blocked) return blocked.take_error();
  return {};
}

// Drops counters that neither block nor are recent enough to count any more.
Status forget_stale(storage::Transaction& transaction, std::int64_t now,
                    const ThrottlePolicy& policy) {
  auto forgotten = transaction.execute(kForgetStale, {now - policy.forget_after_seconds, now});
  if (!forgotten) return forgotten.take_error();
  return {};
}

}  // namespace

ThrottleKeys throttle_keys(std::string_view username, std::string_view client_address) {
  const auto name = text::lower_ascii(text::trim(username));
  // A name that cannot be an account is hashed: it keeps the key short and valid UTF-8 whatever
  // was typed, and '#' occurs neither in a user name nor in an address, so keys never collide.
  auto user_key = is_valid_username(name) ? "user:" + name : "user:#" + crypto::sha256_hex(name);
  auto address_key = looks_like_address(client_address)
                         ? "addr:" + std::string(client_address)
                         : "addr:#" + crypto::sha256_hex(client_address);
  return {std::move(user_key), std::move(address_key)};
}

std::int64_t block_delay(std::int64_t failures, const ThrottlePolicy& policy) {
  if (failures <= policy.free_failures) return 0;
  std::int64_t delay = policy.base_delay_seconds;
  // Doubling stops at the cap, so the exponent can grow without overflow.
  for (auto step = failures - policy.free_failures; step > 0 && delay < policy.max_delay_seconds;
       --step) {
    delay *= 2;
  }
  return std::min(delay, policy.max_delay_seconds);
}

Result<bool> is_throttled(storage::Transaction& transaction, const std::vector<std::string>& keys,
                          std::int64_t now) {
  for (const auto& key : keys) {
    auto row = transaction.query_one(kBlockedKey, {key, now});
    if (!row) return row.take_error();
    if (row->has_value()) return true;
  }
  return false;
}

Status record_failures(storage::Storage& storage, const ThrottleKeys& keys, std::int64_t now,
                       const ThrottlePolicy& policy) {
  return storage.write([&](storage::Transaction& transaction) -> Status {
    IK_TRY(record_failure(transaction, keys.user, now, policy));
    IK_TRY(record_failure(transaction, keys.address, now, policy));
    return forget_stale(transaction, now, policy);
  });
}

Status clear_throttle(storage::Transaction& transaction, const std::string& key) {
  auto cleared = transaction.execute(kClear, {key});
  if (!cleared) return cleared.take_error();
  return {};
}

}  // namespace ik::auth::internal
