// The append-only audit log: who changed what, when, from what to what. Entries are written in
// the same transaction as the change they describe, so neither exists without the other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace ik::storage { class Transaction; class Storage; }

namespace ik::audit {

struct Entry {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::optional<std::int64_t> actor_user_id;
  std::string actor_name;   // username, or "system" / "anonym"
  std::string action;       // "user.create", "city.update", "session.sign_in", …
  std::string entity;       // "user", "city", …
  std::string entity_id;
  std::optional<std::int64_t> city_id;  // the city the change concerns, if any
  std::string before_json;  // "" when there was nothing before
  std::string after_json;   // "" when nothing remains
  std::string request_id;
};

// Appends `entry` (its id is ignored) inside `transaction`.
Status record(storage::Transaction& transaction, const Entry& entry);

struct Filter {
  std::optional<std::string> action_prefix;  // "user." matches every user action
  std::optional<std::string> actor_name;
  std::optional<std::string> entity;
  std::optional<std::int64_t> from;  // inclusive, Unix seconds
  std::optional<std::int64_t> to;    // exclusive
  int limit = 100;                    // 1–500
  std::int64_t before_id = 0;         // paging: entries with id < before_id (0: newest)
};

// Newest first.
Result<std::vector<Entry>> list(storage::Storage& storage, const Filter& filter);

}  // namespace ik::audit
