// Helpers for tests that run on SQLite and, when scripts/with-postgres.sh has started a server
// (IK_TEST_POSTGRES_URL), on PostgreSQL in a schema of their own.
#pragma once

#include <cstdlib>
#include <string>

#include "core/result.hpp"
#include "storage/storage.hpp"

namespace ik::testing {

// nullptr when no PostgreSQL server was started for the tests.
inline const char* postgres_url() { return std::getenv("IK_TEST_POSTGRES_URL"); }

// libpq accepts both forms of connection string; this appends to either.
inline std::string with_search_path(const std::string& url, const std::string& schema) {
  if (url.starts_with("postgres")) {
    const char separator = url.find('?') == std::string::npos ? '?' : '&';
    return url + separator + "options=-csearch_path%3D" + schema;
  }
  return url + " options='-csearch_path=" + schema + "'";
}

// Runs one statement in a transaction of its own (CREATE SCHEMA, DROP SCHEMA, …).
inline Status run(storage::Storage& storage, const std::string& sql) {
  return storage.write([&](storage::Transaction& transaction) -> Status {
    auto done = transaction.execute(sql);
    if (!done) return done.take_error();
    return {};
  });
}

}  // namespace ik::testing
