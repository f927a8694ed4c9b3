// Helpers for tests that run on SQLite and, when scripts/with-postgres.sh has started a server
// (IK_TEST_POSTGRES_URL), on PostgreSQL in a schema of their own.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/crypto.hpp"
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

// The integer in the first column of the first row of `sql`; -1 when the query fails or
// returns nothing (no count a test expects).
inline std::int64_t query_integer(storage::Storage& storage, const std::string& sql) {
  std::int64_t result = -1;
  const auto read = storage.read([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(sql);
    if (!row) return row.take_error();
    result = *row ? (*row)->integer(0) : -1;
    return {};
  });
  return read ? result : -1;
}

// A fresh, migrated database for one test: a SQLite file in a temporary directory of its own, or
// a PostgreSQL schema of its own on the server scripts/with-postgres.sh started. Gone with it.
class ScratchDatabase {
 public:
  // `name` tells the test's databases apart in a listing ("monitoring"). Failure: the database
  // could not be created, opened or migrated (detail says why); for PostgreSQL, also when no
  // server was started (check postgres_url() first to skip instead).
  static Result<std::unique_ptr<ScratchDatabase>> create(storage::Backend backend,
                                                         const std::string& name) {
    std::unique_ptr<ScratchDatabase> database(new ScratchDatabase);
    std::string url;
    if (backend == storage::Backend::postgres) {
      if (postgres_url() == nullptr) return Error::unavailable("IK_TEST_POSTGRES_URL is not set");
      database->schema_ = "ik_" + name + "_test_" + crypto::random_token(6);
      auto admin = storage::open({.url = postgres_url(), .pool_size = 1});
      if (!admin) return admin.take_error();
      database->admin_ = std::move(admin).value();
      IK_TRY(run(*database->admin_, "CREATE SCHEMA " + database->schema_));
      url = with_search_path(postgres_url(), database->schema_);
    } else {
      database->directory_ =
          std::filesystem::temp_directory_path() / ("ik-" + name + "-" + crypto::random_token(8));
      url = "sqlite:" + (database->directory_ / (name + ".db")).string();
    }
    auto opened = storage::open({.url = url});
    if (!opened) return opened.take_error();
    database->storage_ = std::move(opened).value();
    auto migrated = storage::migrate(*database->storage_, IK_SOURCE_DIR "/migrations");
    if (!migrated) return migrated.take_error();
    return database;
  }

  ~ScratchDatabase() {
    storage_.reset();
    if (admin_) (void)run(*admin_, "DROP SCHEMA " + schema_ + " CASCADE");
    if (!directory_.empty()) std::filesystem::remove_all(directory_);
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  storage::Storage& storage() { return *storage_; }

 private:
  ScratchDatabase() = default;
  std::filesystem::path directory_;  // SQLite
  std::string schema_;               // PostgreSQL
  std::unique_ptr<storage::Storage> admin_;
  std::unique_ptr<storage::Storage> storage_;
};

}  // namespace ik::testing
