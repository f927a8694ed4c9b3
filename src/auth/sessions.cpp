#include <algorithm>

#include <spdlog/spdlog.h>

#include "auth/auth.hpp"
#include "auth/internal.hpp"
#include "auth/session_cache.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "storage/storage.hpp"

namespace ik::auth {
namespace {

constexpr std::size_t kSessionIdBytes = 32;
// last_seen_at is written at most this often; idle expiry is therefore up to this much late.
constexpr std::int64_t kTouchIntervalSeconds = 60;

constexpr std::string_view kSelectAccount = R"sql(
  SELECT id, password_hash, active FROM app_user WHERE username = $1)sql";

constexpr std::string_view kSelectPasswordHash = R"sql(
  SELECT password_hash FROM app_user WHERE id = $1 AND active = 1)sql";

constexpr std::string_view kRehash = R"sql(
  UPDATE app_user SET password_hash = $2 WHERE id = $1)sql";

constexpr std::string_view kInsertSession = R"sql(
  INSERT INTO user_session (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3))sql";

constexpr std::string_view kDeleteExpiredSessions = R"sql(
  DELETE FROM user_session WHERE last_seen_at <= $1 OR created_at <= $2)sql";

constexpr std::string_view kSelectSession = R"sql(
  SELECT user_id, created_at, last_seen_at FROM user_session WHERE id_hash = $1)sql";

constexpr std::string_view kTouchSession = R"sql(
  UPDATE user_session SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2)sql";

constexpr std::string_view kDeleteSession = R"sql(
  DELETE FROM user_session WHERE id_hash = $1)sql";

struct Account {
  std::int64_t id = 0;
  std::optional<std::string> password_hash;
  bool active = false;
};

// Only user names of the valid form reach the log: anything else may be a password typed into
// the wrong field, or text crafted to break the JSON log line.
std::string loggable_username(std::string_view username) {
  auto name = text::lower_ascii(text::trim(username));
  return internal::is_valid_username(name) ? name : "(invalid)";
}

Error login_failed() { return Error::invalid("benutzername", "auth.login_failed"); }

Error login_throttled() {
  return Error{ErrorCode::invalid_input, "auth.login_throttled", "benutzername", {}};
}

}  // namespace

AuthService::AuthService(storage::Storage& storage, const Clock& clock, SessionPolicy sessions,
                         ThrottlePolicy throttle)
    : storage_(storage),
      clock_(clock),
      sessions_(sessions),
      throttle_(throttle),
      session_cache_(std::make_unique<internal::SessionCache>()) {
  // Made now rather than on the first sign-in for an unknown name, whose answer would otherwise
  // take twice as long as any other and so give the name away.
  internal::dummy_password_hash();
}

AuthService::~AuthService() = default;

Result<NewSession> AuthService::sign_in(std::string_view username, std::string_view password,
                                        const RequestContext& context) {
  const auto now = clock_.now();
  const auto keys = internal::throttle_keys(username, context.client_address);
  bool throttled = false;
  std::optional<Account> account;
  IK_TRY(storage_.read([&](storage::Transaction& transaction) -> Status {
    auto blocked = internal::is_throttled(transaction, {keys.user, keys.address}, now);
    if (!blocked) return blocked.take_error();
    throttled = *blocked;
    if (throttled) return {};
    auto row = transaction.query_one(kSelectAccount, {text::lower_ascii(text::trim(username))});
    if (!row) return row.take_error();
    if (row->has_value()) {
      account = Account{(*row)->integer(0), (*row)->optional_text(1), (*row)->integer(2) != 0};
    }
    return {};
  }));
  if (throttled) {
    spdlog::warn(R"("event":"sign_in_throttled","user":"{}","client":"{}")", loggable_username(username),
                 internal::log_safe(context.client_address));
    return login_throttled();
  }

  // Exactly one verification on every path, so the time taken does not tell whether the
  // account exists, is active or has a password. Hashing runs outside any transaction: it
  // takes a noticeable moment and must not hold the database's write lock.
  const bool usable = account && account->active && account->password_hash;
  const std::string& hash = usable ? *account->password_hash : internal::dummy_password_hash();
  const bool verified = verify_password(password, hash) && usable;
  if (!verified) {
    // Concurrent attempts that all passed the check above are each counted here, so parallel
    // guessing gains at most one round of requests before the block applies.
    IK_TRY(internal::record_failures(storage_, keys, now, throttle_));
    spdlog::warn(R"("event":"sign_in_failed","user":"{}","client":"{}")", loggable_username(username),
                 internal::log_safe(context.client_address));
    return login_failed();
  }
  return start_session(account->id, hash, password, keys.user, context);
}

Result<NewSession> AuthService::start_session(std::int64_t user_id, const std::string& verified_hash,
                                              std::string_view password,
                                              const std::string& user_throttle_key,
                                              const RequestContext& context) {
  const auto now = clock_.now();
  const auto rehashed = internal::needs_rehash(verified_hash)
                            ? std::optional<std::string>(hash_password(password))
                            : std::nullopt;
  NewSession session{crypto::random_token(kSessionIdBytes), {}};
  auto status = storage_.write([&](storage::Transaction& transaction) -> Status {
    // The account may have been deactivated, or its password changed, since it was verified.
    auto current = transaction.query_one(kSelectPasswordHash, {user_id});
    if (!current) return current.take_error();
    if (!current->has_value() || (*current)->optional_text(0) != verified_hash) return login_failed();

    // Only the account's counter: clearing the address's too would let an attacker who owns one
    // account reset the per-address limit between guesses at other accounts (password spraying).
    IK_TRY(internal::clear_throttle(transaction, user_throttle_key));
    auto expired = transaction.execute(kDeleteExpiredSessions,
                                       {now - sessions_.idle_timeout_seconds,
                                        now - sessions_.absolute_timeout_seconds});
    if (!expired) return expired.take_error();
    if (rehashed) {
      auto updated = transaction.execute(kRehash, {user_id, *rehashed});
      if (!updated) return updated.take_error();
    }
    auto inserted =
        transaction.execute(kInsertSession, {crypto::sha256_hex(session.id), user_id, now});
    if (!inserted) return inserted.take_error();

    auto principal = internal::load_active_principal(transaction, user_id);
    if (!principal) return principal.take_error();
    if (!principal->has_value()) return login_failed();
    session.principal = std::move(**principal);
    auto entry = internal::audit_entry(internal::acting_as(context, session.principal), now,
                                       "session.sign_in", "user", std::to_string(user_id));
    entry.after_json = internal::json_object({{"client_address", context.client_address},
                                              {"password_rehashed", rehashed.has_value()}});
    return audit::record(transaction, entry);
  });
  if (!status) return status.take_error();
  spdlog::info(R"("event":"signed_in","user":"{}")", session.principal.username);
  return session;
}

Result<std::optional<Principal>> AuthService::session(std::string_view session_id) {
  if (!internal::is_lower_hex(session_id, kSessionIdBytes * 2)) return std::optional<Principal>{};
  const auto now = clock_.now();
  const auto id_hash = crypto::sha256_hex(session_id);
  if (auto cached = session_cache_->find(id_hash, now)) return cached;

  const auto generation = session_cache_->generation();
  std::optional<Principal> principal;
  bool expired = false;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  IK_TRY(storage_.read([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(kSelectSession, {id_hash});
    if (!row) return row.take_error();
    if (!row->has_value()) return {};
    const auto user_id = (*row)->integer(0);
    created_at = (*row)->integer(1);
    last_seen_at = (*row)->integer(2);
    expired = now - last_seen_at >= sessions_.idle_timeout_seconds ||
              now - created_at >= sessions_.absolute_timeout_seconds;
    if (expired) return {};
    auto loaded = internal::load_active_principal(transaction, user_id);
    if (!loaded) return loaded.take_error();
    principal = std::move(loaded).value();
    expired = !principal;  // a deactivated user's session is as good as expired
    return {};
  }));

  if (expired) {
    IK_TRY(storage_.write([&](storage::Transaction& transaction) -> Status {
      auto deleted = transaction.execute(kDeleteSession, {id_hash});
      if (!deleted) return deleted.take_error();
      return {};
    }));
    return std::optional<Principal>{};
  }
  if (!principal) return principal;
  if (now - last_seen_at >= kTouchIntervalSeconds) {
    auto touched = storage_.write([&](storage::Transaction& transaction) -> Status {
      auto updated = transaction.execute(kTouchSession, {id_hash, now});
      if (!updated) return updated.take_error();
      return {};
    });
    // A busy writer must not turn every page view into an error; the next lookup touches again.
    if (!touched) {
      spdlog::warn(R"("event":"session_touch_failed","detail":"{}")", internal::log_safe(touched.error().detail));
      return principal;
    }
    last_seen_at = now;
  }
  const auto valid_until = std::min({now + sessions_.cache_seconds,
                                     last_seen_at + sessions_.idle_timeout_seconds,
                                     created_at + sessions_.absolute_timeout_seconds});
  session_cache_->remember(id_hash, *principal, valid_until, generation);
  return principal;
}

Status AuthService::sign_out(std::string_view session_id, const RequestContext& context) {
  if (!internal::is_lower_hex(session_id, kSessionIdBytes * 2)) return {};
  const auto now = clock_.now();
  const auto id_hash = crypto::sha256_hex(session_id);
  auto status = storage_.write([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(kSelectSession, {id_hash});
    if (!row) return row.take_error();
    if (!row->has_value()) return {};
    const auto user_id = (*row)->integer(0);
    const auto created_at = (*row)->integer(1);
    auto deleted = transaction.execute(kDeleteSession, {id_hash});
    if (!deleted) return deleted.take_error();
    auto owner = internal::load_active_principal(transaction, user_id);
    if (!owner) return owner.take_error();
    // The session's owner signs out; a deactivated owner has no sessions left to end.
    const auto entry_context = owner->has_value() ? internal::acting_as(context, **owner) : context;
    auto entry = internal::audit_entry(entry_context, now, "session.sign_out", "user",
                                       std::to_string(user_id));
    entry.before_json = internal::json_object({{"session_created_at", created_at}});
    return audit::record(transaction, entry);
  });
  session_cache_->forget_session(id_hash);
  return status;
}

}  // namespace ik::auth
