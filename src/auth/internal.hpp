// Pieces shared by the auth .cpp files. Not part of the module's public surface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "core/result.hpp"

namespace ik::storage { class Storage; class Transaction; }

namespace ik::auth::internal {

// --- passwords (password.cpp)
// Whether `hash` was made with weaker limits than the current ones (or is unreadable).
bool needs_rehash(std::string_view hash);
// A hash of a random password, verified against when the account does not exist, so that the
// answer takes as long as for an existing one.
const std::string& dummy_password_hash();

// --- sign-in throttling (throttle.cpp)
struct ThrottleKeys {
  std::string user;     // "user:<lower-cased name>"
  std::string address;  // "addr:<client address>"
};
// Names and addresses of unexpected form are replaced by a hash, keeping keys short and valid.
ThrottleKeys throttle_keys(std::string_view username, std::string_view client_address);
// How long a key is blocked after its `failures`-th failure (0 while within the free ones).
std::int64_t block_delay(std::int64_t failures, const ThrottlePolicy& policy);
// Whether any of `keys` is blocked at `now`.
Result<bool> is_throttled(storage::Transaction& transaction, const std::vector<std::string>& keys,
                          std::int64_t now);
// Counts one failure against both keys and blocks them per `policy`, in a transaction of its
// own that commits although the attempt it counts fails. A counter whose last failure is older
// than policy.forget_after_seconds starts again at one; such stale counters are dropped.
Status record_failures(storage::Storage& storage, const ThrottleKeys& keys, std::int64_t now,
                       const ThrottlePolicy& policy);
Status clear_throttle(storage::Transaction& transaction, const std::string& key);

// --- accounts (users.cpp)
bool is_valid_username(std::string_view username);
Result<std::vector<RoleGrant>> load_grants(storage::Transaction& transaction, std::int64_t user_id);
// The user with their grants; nullopt when there is no such user.
Result<std::optional<UserSummary>> load_user(storage::Transaction& transaction,
                                             std::int64_t user_id);
// The active user with their grants; nullopt when absent or deactivated.
Result<std::optional<Principal>> load_active_principal(storage::Transaction& transaction,
                                                       std::int64_t user_id);
// Ends every session of the user except the one whose id hash is `keep_hash` (may be empty).
Result<std::int64_t> end_sessions(storage::Transaction& transaction, std::int64_t user_id,
                                  std::string_view keep_hash);

// --- audit (audit_json.cpp)
using JsonScalar = std::variant<std::int64_t, bool, std::string>;
struct JsonField {
  std::string_view name;
  JsonScalar value;
};
std::string json_object(const std::vector<JsonField>& fields);
// The user as recorded in the audit log: never the password hash, only whether there is one.
std::string user_json(const UserSummary& user);

// --- small helpers (support.cpp)
// An entry whose actor is the context's principal, or "system" when it has none.
audit::Entry audit_entry(const RequestContext& context, std::int64_t now, std::string action,
                         std::string entity, std::string entity_id);
// `context` with `user` as the actor: for changes users make to themselves before they hold a
// session (signing in, accepting an invitation).
RequestContext acting_as(const RequestContext& context, const Principal& user);
// `value` with everything but printable ASCII, and '"' and '\\', replaced by '?': the log lines
// are JSON and must stay parseable whatever a client sent.
std::string log_safe(std::string_view value);
// Whether `value` holds an ASCII control character (names and labels must not).
bool has_control_character(std::string_view value);
// Exactly `length` characters of [0-9a-f]: the form of session ids and tokens.
bool is_lower_hex(std::string_view value, std::size_t length);

}  // namespace ik::auth::internal
