// Setting a password: through an invitation (first password or reset) or by the user.
#include <spdlog/spdlog.h>

#include "auth/auth.hpp"
#include "auth/internal.hpp"
#include "auth/session_cache.hpp"
#include "core/crypto.hpp"
#include "storage/storage.hpp"

namespace ik::auth {
namespace {

constexpr std::size_t kInvitationTokenBytes = 32;
constexpr std::int64_t kInvitationLifetimeSeconds = 7 * 24 * 60 * 60;

constexpr std::string_view kSelectActiveUser = R"sql(
  SELECT 1 FROM app_user WHERE id = $1 AND active = 1)sql";

constexpr std::string_view kDeleteUnusedInvitations = R"sql(
  DELETE FROM invitation WHERE user_id = $1 AND used_at IS NULL)sql";

constexpr std::string_view kInsertInvitation = R"sql(
  INSERT INTO invitation (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4))sql";

constexpr std::string_view kSelectValidInvitation = R"sql(
  SELECT i.user_id FROM invitation i JOIN app_user u ON u.id = i.user_id
  WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 AND u.active = 1)sql";

// The condition makes the use one-time even when two requests race: only one changes the row.
constexpr std::string_view kUseInvitation = R"sql(
  UPDATE invitation SET used_at = $2
  WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2)sql";

constexpr std::string_view kSetPassword = R"sql(
  UPDATE app_user SET password_hash = $2, password_changed_at = $3 WHERE id = $1 AND active = 1)sql";

constexpr std::string_view kSelectCredentials = R"sql(
  SELECT username, password_hash FROM app_user WHERE id = $1 AND active = 1)sql";

// Only if the hash is still the one verified: a concurrent change wins, this one fails.
constexpr std::string_view kReplacePassword = R"sql(
  UPDATE app_user SET password_hash = $2, password_changed_at = $3
  WHERE id = $1 AND password_hash = $4 AND active = 1)sql";

Error invitation_invalid() { return Error{ErrorCode::not_found, "auth.invitation_invalid", {}, {}}; }

Error current_password_wrong() { return Error::invalid("passwort_aktuell", "auth.password_wrong"); }

Principal principal_of(const UserSummary& user) {
  return Principal{user.id, user.username, user.display_name, user.grants};
}

}  // namespace

Result<Invitation> AuthService::invite(std::int64_t user_id, const RequestContext& context) {
  const auto now = clock_.now();
  const Invitation invitation{crypto::random_token(kInvitationTokenBytes),
                              now + kInvitationLifetimeSeconds};
  IK_TRY(storage_.write([&](storage::Transaction& transaction) -> Status {
    auto user = transaction.query_one(kSelectActiveUser, {user_id});
    if (!user) return user.take_error();
    if (!user->has_value()) return Error::not_found("active user " + std::to_string(user_id));
    auto voided = transaction.execute(kDeleteUnusedInvitations, {user_id});
    if (!voided) return voided.take_error();
    auto inserted = transaction.execute(
        kInsertInvitation, {crypto::sha256_hex(invitation.token), user_id, now, invitation.expires_at});
    if (!inserted) return inserted.take_error();
    auto entry = internal::audit_entry(context, now, "user.invite", "user", std::to_string(user_id));
    entry.after_json = internal::json_object({{"expires_at", invitation.expires_at},
                                              {"voided_invitations", *voided}});
    return audit::record(transaction, entry);
  }));
  return invitation;
}

Result<UserSummary> AuthService::invitation_user(std::string_view token) {
  if (!internal::is_lower_hex(token, kInvitationTokenBytes * 2)) return invitation_invalid();
  const auto now = clock_.now();
  std::optional<UserSummary> found;
  IK_TRY(storage_.read([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(kSelectValidInvitation, {crypto::sha256_hex(token), now});
    if (!row) return row.take_error();
    if (!row->has_value()) return {};
    auto user = internal::load_user(transaction, (*row)->integer(0));
    if (!user) return user.take_error();
    found = std::move(user).value();
    return {};
  }));
  if (!found) return invitation_invalid();
  return std::move(*found);
}

Status AuthService::accept_invitation(std::string_view token, std::string_view new_password,
                                      const RequestContext& context) {
  // Checked before hashing, so that made-up tokens cost no hashing work.
  auto user = invitation_user(token);
  if (!user) return user.take_error();
  IK_TRY(check_password_rules(new_password, "passwort"));
  const auto hash = hash_password(new_password);

  const auto now = clock_.now();
  const auto invited = principal_of(*user);
  auto status = storage_.write([&](storage::Transaction& transaction) -> Status {
    auto used = transaction.execute(kUseInvitation, {crypto::sha256_hex(token), now});
    if (!used) return used.take_error();
    if (*used != 1) return invitation_invalid();
    auto set = transaction.execute(kSetPassword, {user->id, hash, now});
    if (!set) return set.take_error();
    if (*set != 1) return invitation_invalid();  // deactivated in the meantime
    // Whoever held the old password (or a session from it) is locked out by a reset.
    auto ended = internal::end_sessions(transaction, user->id, "");
    if (!ended) return ended.take_error();
    auto entry = internal::audit_entry(internal::acting_as(context, invited), now,
                                       "user.password_set", "user", std::to_string(user->id));
    entry.before_json = internal::json_object({{"has_password", user->has_password}});
    entry.after_json =
        internal::json_object({{"has_password", true}, {"sessions_ended", *ended}});
    return audit::record(transaction, entry);
  });
  // Also after a failure: forgetting too much only costs one database lookup.
  session_cache_->forget_user(user->id);
  return status;
}

Status AuthService::change_password(std::int64_t user_id, std::string_view current_password,
                                    std::string_view new_password, std::string_view keep_session_id,
                                    const RequestContext& context) {
  IK_TRY(check_password_rules(new_password, "passwort_neu"));
  const auto now = clock_.now();
  std::optional<std::string> username;
  std::optional<std::string> stored_hash;
  internal::ThrottleKeys keys;
  bool throttled = false;
  IK_TRY(storage_.read([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(kSelectCredentials, {user_id});
    if (!row) return row.take_error();
    if (!row->has_value()) return {};
    username = (*row)->text(0);
    stored_hash = (*row)->optional_text(1);
    keys = internal::throttle_keys(*username, context.client_address);
    auto blocked = internal::is_throttled(transaction, {keys.user, keys.address}, now);
    if (!blocked) return blocked.take_error();
    throttled = *blocked;
    return {};
  }));
  if (!username) return Error::not_found("active user " + std::to_string(user_id));
  // Guessing the current password through a borrowed session is throttled like signing in.
  if (throttled) return Error{ErrorCode::invalid_input, "auth.login_throttled", "passwort_aktuell", {}};

  const std::string& hash = stored_hash ? *stored_hash : internal::dummy_password_hash();
  if (!verify_password(current_password, hash) || !stored_hash) {
    IK_TRY(internal::record_failures(storage_, keys, now, throttle_));
    spdlog::warn(R"("event":"password_change_refused","user":"{}","client":"{}")", *username,
                 internal::log_safe(context.client_address));
    return current_password_wrong();
  }

  const auto new_hash = hash_password(new_password);
  auto status = storage_.write([&](storage::Transaction& transaction) -> Status {
    auto replaced = transaction.execute(kReplacePassword, {user_id, new_hash, now, *stored_hash});
    if (!replaced) return replaced.take_error();
    if (*replaced != 1) return current_password_wrong();
    IK_TRY(internal::clear_throttle(transaction, keys.user));
    auto ended = internal::end_sessions(transaction, user_id, crypto::sha256_hex(keep_session_id));
    if (!ended) return ended.take_error();
    auto entry = internal::audit_entry(context, now, "user.password_change", "user",
                                       std::to_string(user_id));
    entry.after_json = internal::json_object({{"sessions_ended", *ended}});
    return audit::record(transaction, entry);
  });
  // Also after a failure: forgetting too much only costs one database lookup.
  session_cache_->forget_user(user_id);
  return status;
}

}  // namespace ik::auth
