#include <algorithm>
#include <map>

#include "auth/auth.hpp"
#include "auth/internal.hpp"
#include "auth/session_cache.hpp"
#include "core/text.hpp"
#include "storage/storage.hpp"

namespace ik::auth {
namespace {

constexpr std::string_view kUsernameExists = R"sql(
  SELECT 1 FROM app_user WHERE username = $1)sql";

constexpr std::string_view kCityExists = R"sql(
  SELECT 1 FROM city WHERE id = $1)sql";

constexpr std::string_view kInsertUser = R"sql(
  INSERT INTO app_user (username, display_name, email, password_hash, active, created_at,
                        password_changed_at)
  VALUES ($1, $2, $3, $4, 1, $5, $6)
  RETURNING id)sql";

constexpr std::string_view kInsertGrant = R"sql(
  INSERT INTO role_assignment (user_id, role, city_id) VALUES ($1, $2, $3))sql";

constexpr std::string_view kDeleteGrants = R"sql(
  DELETE FROM role_assignment WHERE user_id = $1)sql";

constexpr std::string_view kUpdateUser = R"sql(
  UPDATE app_user SET display_name = $2, email = $3, active = $4 WHERE id = $1)sql";

constexpr std::string_view kSelectUser = R"sql(
  SELECT id, username, display_name, email, active,
         CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END
  FROM app_user WHERE id = $1)sql";

constexpr std::string_view kSelectUsers = R"sql(
  SELECT id, username, display_name, email, active,
         CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END
  FROM app_user ORDER BY username)sql";

constexpr std::string_view kSelectGrants = R"sql(
  SELECT role, city_id FROM role_assignment WHERE user_id = $1 ORDER BY id)sql";

constexpr std::string_view kSelectAllGrants = R"sql(
  SELECT user_id, role, city_id FROM role_assignment ORDER BY user_id, id)sql";

constexpr std::string_view kSelectActivePrincipal = R"sql(
  SELECT username, display_name FROM app_user WHERE id = $1 AND active = 1)sql";

constexpr std::string_view kActiveAdminExists = R"sql(
  SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
  WHERE r.role = 'admin' AND r.city_id IS NULL AND u.active = 1
  LIMIT 1)sql";

constexpr std::string_view kEndSessions = R"sql(
  DELETE FROM user_session WHERE user_id = $1 AND id_hash <> $2)sql";

constexpr std::size_t kMinUsername = 3;
constexpr std::size_t kMaxUsername = 64;
constexpr std::size_t kMaxDisplayName = 200;
constexpr std::size_t kMaxEmail = 254;

// The validated, normalised form of a NewUser's changeable fields.
struct Profile {
  std::string display_name;
  std::string email;
  std::vector<RoleGrant> grants;
};

bool is_plausible_email(std::string_view email) {
  if (email.size() > kMaxEmail || !text::is_valid_utf8(email)) return false;
  if (email.find(' ') != std::string_view::npos || internal::has_control_character(email)) return false;
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  const auto domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  // A dot inside the domain, not at its start or end ("a@b.de", not "a@.de" or "a@de.").
  return dot != std::string_view::npos && dot != 0 && domain.back() != '.';
}

Result<std::vector<RoleGrant>> check_grants(const std::vector<RoleGrant>& grants) {
  std::vector<RoleGrant> unique;
  for (const auto& grant : grants) {
    if (is_city_role(grant.role) && !grant.city)
      return Error::invalid("rollen", "auth.role_city_required");
    if ((grant.role == Role::office || grant.role == Role::admin) && grant.city)
      return Error::invalid("rollen", "auth.role_city_not_allowed");
    if (std::find(unique.begin(), unique.end(), grant) == unique.end()) unique.push_back(grant);
  }
  return unique;
}

Result<std::string> check_username(std::string_view username) {
  auto normalised = text::lower_ascii(text::trim(username));
  if (!internal::is_valid_username(normalised))
    return Error::invalid("benutzername", "auth.username_invalid");
  return normalised;
}

Result<Profile> check_profile(const NewUser& user) {
  Profile fields;
  fields.display_name = std::string(text::trim(user.display_name));
  if (!text::is_valid_utf8(fields.display_name) || internal::has_control_character(fields.display_name) ||
      fields.display_name.empty() || text::code_points(fields.display_name) > kMaxDisplayName)
    return Error::invalid("anzeigename", "auth.display_name_invalid");

  fields.email = std::string(text::trim(user.email));
  if (!fields.email.empty() && !is_plausible_email(fields.email))
    return Error::invalid("email", "auth.email_invalid");

  auto grants = check_grants(user.grants);
  if (!grants) return grants.take_error();
  fields.grants = std::move(grants).value();
  return fields;
}

Status check_cities_exist(storage::Transaction& transaction, const std::vector<RoleGrant>& grants) {
  for (const auto& grant : grants) {
    if (!grant.city) continue;
    auto city = transaction.query_one(kCityExists, {*grant.city});
    if (!city) return city.take_error();
    if (!city->has_value()) return Error::invalid("rollen", "auth.role_city_unknown");
  }
  return {};
}

Status insert_grants(storage::Transaction& transaction, std::int64_t user_id,
                     const std::vector<RoleGrant>& grants) {
  for (const auto& grant : grants) {
    const storage::Value city =
        grant.city ? storage::Value{*grant.city} : storage::Value{storage::Null{}};
    auto inserted =
        transaction.execute(kInsertGrant, {user_id, std::string(role_name(grant.role)), city});
    if (!inserted) return inserted.take_error();
  }
  return {};
}

Result<RoleGrant> grant_from(const storage::Row& row, std::size_t role_column) {
  const auto role = parse_role(row.text(role_column));
  if (!role) return Error::internal("unknown role in role_assignment: " + row.text(role_column));
  return RoleGrant{*role, row.optional_integer(role_column + 1)};
}

UserSummary summary_from(const storage::Row& row) {
  return UserSummary{
      .id = row.integer(0),
      .username = row.text(1),
      .display_name = row.text(2),
      .email = row.text(3),
      .active = row.integer(4) != 0,
      .has_password = row.integer(5) != 0,
      .grants = {},
  };
}

Result<bool> active_admin_exists(storage::Transaction& transaction) {
  auto row = transaction.query_one(kActiveAdminExists);
  if (!row) return row.take_error();
  return row->has_value();
}

bool is_active_admin(const UserSummary& user) {
  return user.active && std::any_of(user.grants.begin(), user.grants.end(), [](const RoleGrant& grant) {
           return grant.role == Role::admin && !grant.city;
         });
}

// The storage reports a unique violation as a generic conflict; in create_user the only
// unique column that can collide is the user name (grants are deduplicated beforehand).
Error username_conflict_or(Error error) {
  if (error.code == ErrorCode::conflict && error.message_key == "error.conflict")
    return Error::conflict("auth.username_taken", "benutzername");
  return error;
}

}  // namespace

namespace internal {

bool is_valid_username(std::string_view username) {
  if (username.size() < kMinUsername || username.size() > kMaxUsername) return false;
  return std::all_of(username.begin(), username.end(), [](char character) {
    return (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') ||
           character == '.' || character == '_' || character == '-';
  });
}

Result<std::vector<RoleGrant>> load_grants(storage::Transaction& transaction, std::int64_t user_id) {
  auto rows = transaction.query(kSelectGrants, {user_id});
  if (!rows) return rows.take_error();
  std::vector<RoleGrant> grants;
  for (const auto& row : *rows) {
    auto grant = grant_from(row, 0);
    if (!grant) return grant.take_error();
    grants.push_back(*grant);
  }
  return grants;
}

Result<std::optional<UserSummary>> load_user(storage::Transaction& transaction,
                                             std::int64_t user_id) {
  auto row = transaction.query_one(kSelectUser, {user_id});
  if (!row) return row.take_error();
  if (!row->has_value()) return std::optional<UserSummary>{};
  auto user = summary_from(**row);
  auto grants = load_grants(transaction, user_id);
  if (!grants) return grants.take_error();
  user.grants = std::move(grants).value();
  return std::optional<UserSummary>{std::move(user)};
}

Result<std::optional<Principal>> load_active_principal(storage::Transaction& transaction,
                                                       std::int64_t user_id) {
  auto row = transaction.query_one(kSelectActivePrincipal, {user_id});
  if (!row) return row.take_error();
  if (!row->has_value()) return std::optional<Principal>{};
  auto grants = load_grants(transaction, user_id);
  if (!grants) return grants.take_error();
  return std::optional<Principal>{Principal{
      .user_id = user_id,
      .username = (*row)->text(0),
      .display_name = (*row)->text(1),
      .grants = std::move(grants).value(),
  }};
}

Result<std::int64_t> end_sessions(storage::Transaction& transaction, std::int64_t user_id,
                                  std::string_view keep_hash) {
  return transaction.execute(kEndSessions, {user_id, std::string(keep_hash)});
}

}  // namespace internal

Result<std::int64_t> AuthService::create_user(const NewUser& user, const RequestContext& context) {
  auto username = check_username(user.username);
  if (!username) return username.take_error();
  auto fields = check_profile(user);
  if (!fields) return fields.take_error();
  std::optional<std::string> password_hash;
  if (user.password) {
    IK_TRY(check_password_rules(*user.password, "passwort"));
    password_hash = hash_password(*user.password);  // outside the transaction: it takes a while
  }

  const auto now = clock_.now();
  std::int64_t user_id = 0;
  auto status = storage_.write([&](storage::Transaction& transaction) -> Status {
    auto existing = transaction.query_one(kUsernameExists, {*username});
    if (!existing) return existing.take_error();
    if (existing->has_value()) return Error::conflict("auth.username_taken", "benutzername");
    IK_TRY(check_cities_exist(transaction, fields->grants));

    const storage::Value hash =
        password_hash ? storage::Value{*password_hash} : storage::Value{storage::Null{}};
    const storage::Value changed_at = password_hash ? storage::Value{now} : storage::Value{storage::Null{}};
    auto inserted = transaction.query_one(
        kInsertUser, {*username, fields->display_name, fields->email, hash, now, changed_at});
    if (!inserted) return inserted.take_error();
    if (!inserted->has_value()) return Error::internal("INSERT app_user returned no id");
    user_id = (*inserted)->integer(0);
    IK_TRY(insert_grants(transaction, user_id, fields->grants));

    const UserSummary after{user_id, *username, fields->display_name, fields->email,
                            true,    password_hash.has_value(), fields->grants};
    auto entry = internal::audit_entry(context, now, "user.create", "user", std::to_string(user_id));
    entry.after_json = internal::user_json(after);
    return audit::record(transaction, entry);
  });
  if (!status) return username_conflict_or(status.take_error());
  return user_id;
}

Result<std::vector<UserSummary>> AuthService::list_users() {
  std::vector<UserSummary> users;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto rows = transaction.query(kSelectUsers);
    if (!rows) return rows.take_error();
    std::map<std::int64_t, std::size_t> index_by_id;
    for (const auto& row : *rows) {
      index_by_id[row.integer(0)] = users.size();
      users.push_back(summary_from(row));
    }
    auto grant_rows = transaction.query(kSelectAllGrants);
    if (!grant_rows) return grant_rows.take_error();
    for (const auto& row : *grant_rows) {
      auto grant = grant_from(row, 1);
      if (!grant) return grant.take_error();
      users[index_by_id.at(row.integer(0))].grants.push_back(*grant);
    }
    return {};
  });
  if (!status) return status.take_error();
  return users;
}

Result<UserSummary> AuthService::user(std::int64_t user_id) {
  std::optional<UserSummary> found;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto loaded = internal::load_user(transaction, user_id);
    if (!loaded) return loaded.take_error();
    found = std::move(loaded).value();
    return {};
  });
  if (!status) return status.take_error();
  if (!found) return Error::not_found("user " + std::to_string(user_id));
  return std::move(*found);
}

Status AuthService::update_user(std::int64_t user_id, const NewUser& changes, bool active,
                                const RequestContext& context) {
  auto fields = check_profile(changes);
  if (!fields) return fields.take_error();

  const auto now = clock_.now();
  auto status = storage_.write([&](storage::Transaction& transaction) -> Status {
    auto before = internal::load_user(transaction, user_id);
    if (!before) return before.take_error();
    if (!before->has_value()) return Error::not_found("user " + std::to_string(user_id));
    IK_TRY(check_cities_exist(transaction, fields->grants));

    auto updated = transaction.execute(
        kUpdateUser, {user_id, fields->display_name, fields->email, std::int64_t{active ? 1 : 0}});
    if (!updated) return updated.take_error();
    auto deleted = transaction.execute(kDeleteGrants, {user_id});
    if (!deleted) return deleted.take_error();
    IK_TRY(insert_grants(transaction, user_id, fields->grants));
    if (!active) {
      auto ended = internal::end_sessions(transaction, user_id, "");
      if (!ended) return ended.take_error();
    }
    if (is_active_admin(**before)) {
      auto admin_left = active_admin_exists(transaction);
      if (!admin_left) return admin_left.take_error();
      if (!*admin_left) return Error::conflict("auth.last_admin", "rollen");
    }

    auto after = **before;
    after.display_name = fields->display_name;
    after.email = fields->email;
    after.active = active;
    after.grants = fields->grants;
    auto entry = internal::audit_entry(context, now, "user.update", "user", std::to_string(user_id));
    entry.before_json = internal::user_json(**before);
    entry.after_json = internal::user_json(after);
    return audit::record(transaction, entry);
  });
  // Also after a failure: forgetting too much only costs one database lookup.
  session_cache_->forget_user(user_id);
  return status;
}

Result<bool> AuthService::any_admin_exists() {
  bool exists = false;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto found = active_admin_exists(transaction);
    if (!found) return found.take_error();
    exists = *found;
    return {};
  });
  if (!status) return status.take_error();
  return exists;
}

}  // namespace ik::auth
