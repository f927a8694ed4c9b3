// Accounts, passwords, sessions, invitations, sign-in throttling and API tokens.
// Every function that changes state runs in one storage transaction and records the change in
// the audit log (audit/audit.hpp) in that same transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/roles.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace ik::storage { class Storage; }
namespace ik::auth::internal { class SessionCache; }

namespace ik::auth {

// argon2id via libsodium (32 MiB, 3 passes; password.cpp says why), one computation at a time
// in the process. The result is a self-describing "$argon2id$…" string with its own salt.
// Throws std::bad_alloc when the working memory cannot be had.
std::string hash_password(std::string_view password);
// True when `password` matches `hash`; false for a wrong password or an unreadable hash.
bool verify_password(std::string_view password, std::string_view hash);
// Password rules: valid UTF-8, at least 12 characters (code points), at most 256, not only
// white space. Error::invalid(field, "auth.password_invalid" | "auth.password_too_short" |
// "auth.password_too_long" | "auth.password_blank").
Status check_password_rules(std::string_view password, std::string_view field);

struct SessionPolicy {
  std::int64_t idle_timeout_seconds = 60 * 60;
  std::int64_t absolute_timeout_seconds = 12 * 60 * 60;
  // A validated session is answered from memory for this long. Changes made through this
  // process apply at once; a sign-out or role change made by another instance behind the same
  // load balancer reaches this one within this time.
  std::int64_t cache_seconds = 5;
};

// A key ("user:<name>", "addr:<client address>") with more than free_failures failures is
// blocked until min(max_delay, base_delay * 2^(failures - free_failures)) after its last failure.
struct ThrottlePolicy {
  int free_failures = 3;              // failures before delays start
  std::int64_t base_delay_seconds = 2; // doubles with every further failure …
  std::int64_t max_delay_seconds = 15 * 60;  // … up to this
  // A key whose last failure is older than this starts counting again from zero (so that
  // occasional typos from a shared office address do not add up over months).
  std::int64_t forget_after_seconds = 24 * 60 * 60;
};

struct RequestContext {
  std::string client_address;  // as resolved by http (trusted proxies honoured)
  std::string request_id;
  const Principal* actor = nullptr;  // who acts (for the audit log); nullptr = anonymous/system
};

struct NewSession {
  std::string id;  // the cookie value: 64 hex chars (256 bits); only its SHA-256 is stored
  Principal principal;
};

struct UserSummary {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string email;
  bool active = true;
  bool has_password = false;
  std::vector<RoleGrant> grants;
};

// Input for create_user / update_user. Surrounding white space is trimmed; the user name is
// lower-cased. Field errors name the form field: benutzername, anzeigename, email, rollen,
// passwort.
struct NewUser {
  std::string username;      // 3–64 chars of [a-z0-9._-] ("auth.username_invalid")
  std::string display_name;  // 1–200 chars, no control characters ("auth.display_name_invalid")
  std::string email;         // empty or a plausible address ("auth.email_invalid")
  // city_entry/city_approval need a city ("auth.role_city_required"); office/admin must not
  // have one ("auth.role_city_not_allowed"); steering_group/project_group may. The city must
  // exist ("auth.role_city_unknown"). Duplicates are dropped.
  std::vector<RoleGrant> grants;
  std::optional<std::string> password;  // none: the user sets it through an invitation
};

struct Invitation {
  std::string token;  // for the link /einladung/<token>; only its hash is stored
  std::int64_t expires_at = 0;
};

struct ApiTokenSummary {
  std::int64_t id = 0;
  std::string label;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;  // updated at most once a minute
};

class AuthService {
 public:
  AuthService(storage::Storage& storage, const Clock& clock, SessionPolicy sessions,
              ThrottlePolicy throttle);
  ~AuthService();
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // Signs in. Unknown user, wrong password, inactive account and no password yet all give the
  // same Error::invalid("benutzername", "auth.login_failed") after the same amount of hashing
  // work; while the account or the address is throttled Error{invalid_input,
  // "auth.login_throttled", "benutzername"} without checking the password at all. A failure is
  // counted (and committed) per account and per client address, shared through the database;
  // a success clears the account's counter, not the address's. Starts a new session (never
  // reuses one) and records "session.sign_in".
  Result<NewSession> sign_in(std::string_view username, std::string_view password,
                             const RequestContext& context);
  // Looks up the session for a cookie value; nullopt when malformed, unknown, idle/absolutely
  // expired or the user is deactivated (such a session is deleted). Touches last_seen at most
  // once a minute, to spare writes. A session validated less than SessionPolicy::cache_seconds
  // ago is answered from memory.
  Result<std::optional<Principal>> session(std::string_view session_id);
  // Deletes the session and records "session.sign_out"; success also when there was none.
  Status sign_out(std::string_view session_id, const RequestContext& context);

  // Personal API tokens ("ikt_" + 64 hex chars); only the hash is stored; the token is shown
  // once. `label`: 1–100 chars (Error::invalid("bezeichnung", "auth.token_label_invalid")).
  // Error::not_found when the user does not exist or is deactivated.
  Result<std::string> create_api_token(std::int64_t user_id, std::string_view label,
                                       const RequestContext& context);
  // The token's active owner; nullopt when malformed, unknown, revoked or the owner deactivated.
  Result<std::optional<Principal>> principal_for_api_token(std::string_view token);
  // The user's tokens that are not revoked, newest first.
  Result<std::vector<ApiTokenSummary>> list_api_tokens(std::int64_t user_id);
  // Revokes one of the user's tokens; Error::not_found when it is not theirs or already revoked.
  Status revoke_api_token(std::int64_t user_id, std::int64_t token_id,
                          const RequestContext& context);

  // Validates (see NewUser), stores the user with all grants and records "user.create" — all or
  // nothing. Duplicate name: Error::conflict("auth.username_taken", "benutzername").
  Result<std::int64_t> create_user(const NewUser& user, const RequestContext& context);
  // Ordered by user name.
  Result<std::vector<UserSummary>> list_users();
  // Error::not_found when there is no such user.
  Result<UserSummary> user(std::int64_t user_id);
  // Replaces display name, e-mail, active flag and grants (changes.username and
  // changes.password are ignored). Deactivating ends the user's sessions. Refuses to leave the
  // platform without an active admin: Error::conflict("auth.last_admin", "rollen").
  Status update_user(std::int64_t user_id, const NewUser& changes, bool active,
                     const RequestContext& context);
  // Whether an active user holds the admin role.
  Result<bool> any_admin_exists();

  // One-time, expiring (7 days) link to set a password; a new invitation voids older unused
  // ones. Error::not_found when the user does not exist or is deactivated.
  Result<Invitation> invite(std::int64_t user_id, const RequestContext& context);
  // The user the token belongs to, if it is valid (unused, unexpired, user active); else
  // Error{not_found, "auth.invitation_invalid"}.
  Result<UserSummary> invitation_user(std::string_view token);
  // Sets the password (rules: field "passwort"), uses up the invitation and ends the user's
  // sessions. Error{not_found, "auth.invitation_invalid"} when the token is not valid (any more).
  Status accept_invitation(std::string_view token, std::string_view new_password,
                           const RequestContext& context);
  // Checks the current password (Error::invalid("passwort_aktuell", "auth.password_wrong"),
  // throttled like a sign-in); checks the rules for the new one (field "passwort_neu"); sets it
  // and ends all other sessions of the user (keeps `keep_session_id`, the caller's own).
  Status change_password(std::int64_t user_id, std::string_view current_password,
                         std::string_view new_password, std::string_view keep_session_id,
                         const RequestContext& context);

 private:
  // The second half of sign_in, once the password matched `verified_hash`.
  Result<NewSession> start_session(std::int64_t user_id, const std::string& verified_hash,
                                   std::string_view password, const std::string& user_throttle_key,
                                   const RequestContext& context);

  storage::Storage& storage_;
  const Clock& clock_;
  SessionPolicy sessions_;
  ThrottlePolicy throttle_;
  std::unique_ptr<internal::SessionCache> session_cache_;
};

}  // namespace ik::auth
