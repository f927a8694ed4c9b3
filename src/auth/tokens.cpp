// Personal API tokens for scripts: "Authorization: Bearer ikt_…".
#include <spdlog/spdlog.h>

#include "auth/auth.hpp"
#include "auth/internal.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "storage/storage.hpp"

namespace ik::auth {
namespace {

constexpr std::string_view kTokenPrefix = "ikt_";
constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kMaxLabel = 100;
// last_used_at is written at most this often, to spare a write per API call.
constexpr std::int64_t kTouchIntervalSeconds = 60;

constexpr std::string_view kSelectActiveUser = R"sql(
  SELECT 1 FROM app_user WHERE id = $1 AND active = 1)sql";

constexpr std::string_view kInsertToken = R"sql(
  INSERT INTO api_token (user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4)
  RETURNING id)sql";

constexpr std::string_view kSelectToken = R"sql(
  SELECT id, user_id, last_used_at FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL)sql";

constexpr std::string_view kTouchToken = R"sql(
  UPDATE api_token SET last_used_at = $2 WHERE id = $1)sql";

constexpr std::string_view kSelectTokens = R"sql(
  SELECT id, label, created_at, last_used_at FROM api_token
  WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id DESC)sql";

constexpr std::string_view kSelectOwnToken = R"sql(
  SELECT label FROM api_token WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL)sql";

constexpr std::string_view kRevokeToken = R"sql(
  UPDATE api_token SET revoked_at = $2 WHERE id = $1)sql";

Result<std::string> check_label(std::string_view label) {
  const std::string trimmed(text::trim(label));
  if (trimmed.empty() || !text::is_valid_utf8(trimmed) || internal::has_control_character(trimmed) ||
      text::code_points(trimmed) > kMaxLabel)
    return Error::invalid("bezeichnung", "auth.token_label_invalid");
  return trimmed;
}

bool is_token_form(std::string_view token) {
  return token.substr(0, kTokenPrefix.size()) == kTokenPrefix &&
         internal::is_lower_hex(token.substr(kTokenPrefix.size()), kTokenBytes * 2);
}

}  // namespace

Result<std::string> AuthService::create_api_token(std::int64_t user_id, std::string_view label,
                                                  const RequestContext& context) {
  auto checked_label = check_label(label);
  if (!checked_label) return checked_label.take_error();
  const auto now = clock_.now();
  const auto token = std::string(kTokenPrefix) + crypto::random_token(kTokenBytes);
  IK_TRY(storage_.write([&](storage::Transaction& transaction) -> Status {
    auto user = transaction.query_one(kSelectActiveUser, {user_id});
    if (!user) return user.take_error();
    if (!user->has_value()) return Error::not_found("active user " + std::to_string(user_id));
    auto inserted = transaction.query_one(
        kInsertToken, {user_id, crypto::sha256_hex(token), *checked_label, now});
    if (!inserted) return inserted.take_error();
    if (!inserted->has_value()) return Error::internal("INSERT api_token returned no id");
    const auto token_id = (*inserted)->integer(0);
    auto entry =
        internal::audit_entry(context, now, "api_token.create", "api_token", std::to_string(token_id));
    entry.after_json = internal::json_object({{"user_id", user_id}, {"label", *checked_label}});
    return audit::record(transaction, entry);
  }));
  return token;
}

Result<std::optional<Principal>> AuthService::principal_for_api_token(std::string_view token) {
  if (!is_token_form(token)) return std::optional<Principal>{};
  const auto now = clock_.now();
  std::optional<Principal> principal;
  std::int64_t token_id = 0;
  bool touch = false;
  IK_TRY(storage_.read([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(kSelectToken, {crypto::sha256_hex(token)});
    if (!row) return row.take_error();
    if (!row->has_value()) return {};
    token_id = (*row)->integer(0);
    const auto last_used_at = (*row)->optional_integer(2);
    auto owner = internal::load_active_principal(transaction, (*row)->integer(1));
    if (!owner) return owner.take_error();
    principal = std::move(owner).value();
    touch = !last_used_at || now - *last_used_at >= kTouchIntervalSeconds;
    return {};
  }));
  if (principal && touch) {
    auto touched = storage_.write([&](storage::Transaction& transaction) -> Status {
      auto updated = transaction.execute(kTouchToken, {token_id, now});
      if (!updated) return updated.take_error();
      return {};
    });
    // Bookkeeping only: a busy writer must not fail the API call.
    if (!touched) spdlog::warn(R"("event":"api_token_touch_failed","detail":"{}")", internal::log_safe(touched.error().detail));
  }
  return principal;
}

Result<std::vector<ApiTokenSummary>> AuthService::list_api_tokens(std::int64_t user_id) {
  std::vector<ApiTokenSummary> tokens;
  IK_TRY(storage_.read([&](storage::Transaction& transaction) -> Status {
    auto rows = transaction.query(kSelectTokens, {user_id});
    if (!rows) return rows.take_error();
    for (const auto& row : *rows) {
      tokens.push_back({row.integer(0), row.text(1), row.integer(2), row.optional_integer(3)});
    }
    return {};
  }));
  return tokens;
}

Status AuthService::revoke_api_token(std::int64_t user_id, std::int64_t token_id,
                                     const RequestContext& context) {
  const auto now = clock_.now();
  return storage_.write([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(kSelectOwnToken, {token_id, user_id});
    if (!row) return row.take_error();
    if (!row->has_value()) return Error::not_found("api token " + std::to_string(token_id));
    auto revoked = transaction.execute(kRevokeToken, {token_id, now});
    if (!revoked) return revoked.take_error();
    auto entry =
        internal::audit_entry(context, now, "api_token.revoke", "api_token", std::to_string(token_id));
    entry.before_json = internal::json_object({{"user_id", user_id}, {"label", (*row)->text(0)}});
    entry.after_json = internal::json_object({{"revoked_at", now}});
    return audit::record(transaction, entry);
  });
}

}  // namespace ik::auth
