#include "audit/audit.hpp"

#include <algorithm>

#include "storage/storage.hpp"

namespace ik::audit {
namespace {

constexpr std::string_view kInsert = R"sql(
  INSERT INTO audit_log (at, actor_user_id, actor_name, action, entity, entity_id, city_id,
                         before_json, after_json, request_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))sql";

// Optional filters are written as "($n IS NULL OR column …)" so the statement stays constant
// and every value stays a bound parameter; the casts tell PostgreSQL the parameters' types.
constexpr std::string_view kList = R"sql(
  SELECT id, at, actor_user_id, actor_name, action, entity, entity_id, city_id,
         before_json, after_json, request_id
  FROM audit_log
  WHERE (CAST($1 AS TEXT) IS NULL OR substr(action, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT))
    AND (CAST($2 AS TEXT) IS NULL OR actor_name = CAST($2 AS TEXT))
    AND (CAST($3 AS TEXT) IS NULL OR entity = CAST($3 AS TEXT))
    AND (CAST($4 AS BIGINT) IS NULL OR at >= CAST($4 AS BIGINT))
    AND (CAST($5 AS BIGINT) IS NULL OR at < CAST($5 AS BIGINT))
    AND (CAST($6 AS BIGINT) = 0 OR id < CAST($6 AS BIGINT))
  ORDER BY id DESC
  LIMIT CAST($7 AS BIGINT))sql";

storage::Value optional_value(const std::optional<std::int64_t>& value) {
  return value ? storage::Value{*value} : storage::Value{storage::Null{}};
}

storage::Value optional_value(const std::optional<std::string>& value) {
  return value ? storage::Value{*value} : storage::Value{storage::Null{}};
}

storage::Value text_or_null(const std::string& value) {
  return value.empty() ? storage::Value{storage::Null{}} : storage::Value{value};
}

}  // namespace

Status record(storage::Transaction& transaction, const Entry& entry) {
  auto result = transaction.execute(
      kInsert, {entry.at, optional_value(entry.actor_user_id), entry.actor_name, entry.action,
                entry.entity, entry.entity_id, optional_value(entry.city_id),
                text_or_null(entry.before_json), text_or_null(entry.after_json), entry.request_id});
  if (!result) return result.take_error();
  return {};
}

Result<std::vector<Entry>> list(storage::Storage& storage, const Filter& filter) {
  std::vector<Entry> entries;
  const auto limit = static_cast<std::int64_t>(std::clamp(filter.limit, 1, 500));
  auto status = storage.read([&](storage::Transaction& transaction) -> Status {
    auto rows = transaction.query(
        kList, {optional_value(filter.action_prefix), optional_value(filter.actor_name),
                optional_value(filter.entity), optional_value(filter.from),
                optional_value(filter.to), filter.before_id, limit});
    if (!rows) return rows.take_error();
    for (const auto& row : *rows) {
      entries.push_back(Entry{
          .id = row.integer(0),
          .at = row.integer(1),
          .actor_user_id = row.optional_integer(2),
          .actor_name = row.text(3),
          .action = row.text(4),
          .entity = row.text(5),
          .entity_id = row.text(6),
          .city_id = row.optional_integer(7),
          .before_json = row.optional_text(8).value_or(""),
          .after_json = row.optional_text(9).value_or(""),
          .request_id = row.text(10),
      });
    }
    return {};
  });
  if (!status) return status.take_error();
  return entries;
}

}  // namespace ik::audit
