// The one seam to the database. Two real backends stand behind it (SQLite, PostgreSQL) and
// run the same tests; a fault-injecting wrapper proves that a failed state change leaves
// nothing behind.
//
// SQL is written once for both: parameters are `$1`, `$2`, … (bound by number, never spliced
// into the text), booleans are 0/1 integers, times are Unix seconds (BIGINT), and
// `INSERT … RETURNING id` gives new ids. Capabilities keep their statements as named constants.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace ik::storage {

struct Null {
  bool operator==(const Null&) const = default;
};
using Value = std::variant<Null, std::int64_t, double, std::string>;

// One result row; columns are addressed by position in the SELECT list.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool is_null(std::size_t column) const;
  // Precondition: the column holds that type (integers also read as double). Violations are
  // programming errors and throw std::logic_error.
  std::int64_t integer(std::size_t column) const;
  double real(std::size_t column) const;
  const std::string& text(std::size_t column) const;
  std::optional<std::int64_t> optional_integer(std::size_t column) const;
  std::optional<std::string> optional_text(std::size_t column) const;
  const Value& operator[](std::size_t column) const { return values_.at(column); }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;
using Params = std::vector<Value>;

// A transaction in progress. Every statement of a state change runs through one Transaction,
// which the Storage commits when the work function returns success and rolls back otherwise.
//
// `sql` is ONE statement; params[0] binds to `$1`, params[1] to `$2`, … A parameter may be used
// several times and in any order, but every one of them must appear in the statement, and the
// statement must use no others (a mismatch is an `internal` error on both backends).
// Errors: ErrorCode::conflict ("error.conflict") for a UNIQUE or PRIMARY KEY violation;
// ErrorCode::unavailable when the database is busy, locked or unreachable; internal otherwise.
// After a statement has failed, the transaction refuses every further statement (`internal`) and
// is rolled back even if `work` returns success — PostgreSQL behaves so natively and SQLite is
// made to match, so code tested on one backend behaves alike on the other. (To react to a
// duplicate without failing, use INSERT … ON CONFLICT or look first.)
class Transaction {
 public:
  virtual ~Transaction() = default;
  // Yields every row of the statement (also for INSERT … RETURNING).
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // Runs a statement and discards its rows; yields the number of rows it inserted, updated or
  // deleted (0 for DDL).
  virtual Result<std::int64_t> execute(std::string_view sql, const Params& params = {}) = 0;

  // Convenience: the single row of `sql`, or nullopt when it returns none. More than one row
  // is a defect in the statement and yields ErrorCode::internal.
  Result<std::optional<Row>> query_one(std::string_view sql, const Params& params = {});
};

enum class Backend { sqlite, postgres };

using Work = std::function<Status(Transaction&)>;

class Storage {
 public:
  virtual ~Storage() = default;
  virtual Backend backend() const = 0;

  // Runs `work` in a read-write transaction: commits if it returns success, rolls back
  // otherwise (and when a statement or the commit fails). Returns work's error if it failed,
  // else the first failed statement's, else the commit's. Writers are serialisable on both
  // backends: SQLite runs one writer at a time; PostgreSQL uses SERIALIZABLE and, when the
  // server aborts the transaction for a serialisation conflict, rolls back and runs `work`
  // AGAIN (a few times, then `unavailable`). So `work` must affect the world outside the
  // transaction only by assigning its outputs (assign, don't append). Calling write() from
  // inside `work` is a programming error. Exceptions from `work` roll back and propagate.
  virtual Status write(const Work& work) = 0;
  // Runs `work` in a read-only transaction with a consistent snapshot (runs concurrently with
  // writers). A statement that tries to change data fails with ErrorCode::internal.
  // `work` runs at most once.
  virtual Status read(const Work& work) = 0;

  // Cheap round trip for /readyz: success, or `unavailable`.
  virtual Status ping() = 0;
  // A consistent online copy of the whole database into the file `target`, replaced only when
  // the copy is complete. SQLite: a database file (online backup API). PostgreSQL: a plain-SQL
  // dump by `pg_dump` (found on PATH) of the same database. Errors: unavailable/internal with
  // the reason in `detail`.
  virtual Status backup(const std::string& target) = 0;
};

struct Options {
  // "sqlite:var/interkommunal.db" or a PostgreSQL connection string ("postgresql://…" or
  // "host=… dbname=…").
  std::string url;
  int pool_size = 4;             // PostgreSQL connections; SQLite readers (at least 1)
  // How long to wait before `unavailable`: SQLite for a lock, both for a free pooled connection.
  int busy_timeout_ms = 5000;
};

// Opens the database named by `options.url`. Does not migrate. SQLite creates the file and its
// parent directory if missing ("sqlite::memory:" is not supported); PostgreSQL connects once to
// check the address. Errors: unavailable when the database cannot be opened or reached,
// internal for invalid options.
Result<std::unique_ptr<Storage>> open(const Options& options);

// Applies every migration in `directory` (files "NNNN_name.sql", see below) that is not yet recorded in
// the table schema_migrations, each in its own transaction, in order. A failing migration
// changes nothing and stops the run; its error names the file in `detail`. Returns the versions
// applied (empty when everything was applied before). Safe when several instances start at
// once: PostgreSQL holds an advisory lock for the run, SQLite's single writer decides.
//
// Migration files are shared by both backends; these tokens are replaced per backend:
//   {{id}}      → INTEGER PRIMARY KEY | BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY
//   {{strict}}  → STRICT (SQLite table option) | nothing
//   {{blob}}    → BLOB | BYTEA
//   {{bigint}}  → INTEGER | BIGINT   (SQLite STRICT tables know no BIGINT)
// A file "NNNN_name.sqlite.sql" or "NNNN_name.postgres.sql" applies to that backend only
// (for triggers and the like); both variants carry the same version number. Files not ending in
// ".sql" are ignored; a malformed name or two files with one version for a backend is an error.
Result<std::vector<int>> migrate(Storage& storage, const std::string& directory);

// Wraps a Storage so that the `fail_at`-th statement (counting from 1 across all
// transactions since construction, reads and writes, a migration script counting as one)
// fails with ErrorCode::unavailable without running; the transaction then fails and rolls back
// as after any failed statement. Used by tests that loop over every N to prove that a failing
// state change leaves nothing behind. Not thread-safe.
class FaultInjectingStorage final : public Storage {
 public:
  FaultInjectingStorage(Storage& inner, int fail_at) : inner_(inner), fail_at_(fail_at) {}
  Backend backend() const override { return inner_.backend(); }
  Status write(const Work& work) override;
  Status read(const Work& work) override;
  Status ping() override { return inner_.ping(); }
  Status backup(const std::string& target) override { return inner_.backup(target); }
  int statements_seen() const { return seen_; }

 private:
  class Wrapped;
  Storage& inner_;
  int fail_at_;
  int seen_ = 0;
};

}  // namespace ik::storage
