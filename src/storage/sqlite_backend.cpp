// SQLite backend: one writer connection behind a mutex (SQLite allows one writer at a time
// anyway; queuing in-process is cheaper than spinning on SQLITE_BUSY) and a pool of read-only
// connections that read concurrently with it thanks to WAL.
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "storage/backend.hpp"

namespace ik::storage::detail {
namespace {

// A connection's statements are cached by SQL text; this bounds the cache for code that builds
// SQL dynamically.
constexpr std::size_t kMaxCachedStatements = 256;

bool is_unavailable(int primary_code) {
  switch (primary_code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
      return true;
    default:
      return false;
  }
}

Error sqlite_error(int extended_code, std::string detail) {
  if (is_unavailable(extended_code & 0xff)) return Error::unavailable(std::move(detail));
  if (extended_code == SQLITE_CONSTRAINT_UNIQUE || extended_code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    Error error = Error::conflict("error.conflict");
    error.detail = std::move(detail);
    return error;
  }
  return Error::internal(std::move(detail));
}

Error connection_error(sqlite3* db, int code, std::string_view context) {
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return sqlite_error(code, "sqlite: " + std::string(context) + ": " + message);
}

bool only_whitespace(std::string_view text) {
  return text.find_first_not_of(" \t\r\n;") == std::string_view::npos;
}

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// A cached statement with the index of each "$n" parameter, found once when it is prepared:
// sqlite3_bind_parameter_index scans the names, and an import binds a million values.
struct Prepared {
  sqlite3_stmt* statement = nullptr;
  std::vector<int> indexes;  // indexes[n - 1]: the index of "$n", 0 when the SQL has no "$n"
};

// Puts a cached statement back into its initial state when a use ends, however it ends.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* statement) : statement_(statement) {}
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  ~StatementUse() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

 private:
  sqlite3_stmt* statement_;
};

Value column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(statement, column));
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, column);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
    }
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, column));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
      return bytes == nullptr ? std::string() : std::string(bytes, size);
    }
    default:
      return Null{};
  }
}

int bind_value(sqlite3_stmt* statement, int index, const Value& value) {
  struct Binder {
    sqlite3_stmt* statement;
    int index;
    int operator()(const Null&) const { return sqlite3_bind_null(statement, index); }
    int operator()(std::int64_t number) const {
      return sqlite3_bind_int64(statement, index, static_cast<sqlite3_int64>(number));
    }
    int operator()(double number) const { return sqlite3_bind_double(statement, index, number); }
    // SQLITE_STATIC: the parameters outlive the statement's use (StatementUse clears them).
    int operator()(const std::string& text) const {
      return sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
    }
  };
  return std::visit(Binder{statement, index}, value);
}

// One sqlite3 handle with its statement cache; used by one thread at a time.
class Connection {
 public:
  struct Outcome {
    Rows rows;
    std::int64_t changes = 0;
  };

  static Result<std::unique_ptr<Connection>> open(const std::string& path, int flags,
                                                   int busy_timeout_ms) {
    sqlite3* db = nullptr;
    const int code = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    auto connection = std::unique_ptr<Connection>(new Connection(db));
    if (code != SQLITE_OK) return connection_error(db, code, "open " + path);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    return connection;
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    clear_cache();
    sqlite3_close_v2(db_);
  }

  sqlite3* handle() { return db_; }

  // Runs one statement; keeps its rows when `keep_rows`.
  Result<Outcome> run(std::string_view sql, const Params& params, bool keep_rows) {
    auto prepared = prepare(sql);
    if (!prepared) return prepared.take_error();
    sqlite3_stmt* statement = (*prepared)->statement;
    StatementUse use(statement);
    IK_TRY(bind_all(**prepared, params, sql));
    const sqlite3_int64 total_before = sqlite3_total_changes64(db_);
    Outcome outcome;
    int code = SQLITE_ROW;
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
      if (keep_rows) outcome.rows.push_back(read_row(statement));
    }
    if (code != SQLITE_DONE) return connection_error(db_, code, describe_sql(sql));
    // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, also after DDL.
    if (sqlite3_total_changes64(db_) != total_before) outcome.changes = sqlite3_changes64(db_);
    return outcome;
  }

  Status run_script(std::string_view script) {
    char* message = nullptr;
    const int code = sqlite3_exec(db_, std::string(script).c_str(), nullptr, nullptr, &message);
    if (code == SQLITE_OK) return {};
    std::string detail = "sqlite: script: " + std::string(message != nullptr ? message : "");
    sqlite3_free(message);
    return sqlite_error(sqlite3_extended_errcode(db_), std::move(detail));
  }

  Status run_plain(std::string_view sql) { return as_status(run(sql, {}, false)); }

  // Ends a transaction that is still open; errors do not matter here because SQLite may already
  // have rolled back on its own (e.g. after an I/O error).
  void roll_back_if_open() {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  static Status as_status(Result<Outcome> result) {
    if (!result) return result.take_error();
    return {};
  }

  // The pointer stays valid until the next call of prepare.
  Result<const Prepared*> prepare(std::string_view sql) {
    if (auto cached = statements_.find(sql); cached != statements_.end()) return &cached->second;
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &statement, &tail);
    if (code != SQLITE_OK) return connection_error(db_, code, describe_sql(sql));
    if (statement == nullptr) return Error::internal("sqlite: empty statement");
    const auto consumed = static_cast<std::size_t>(tail - sql.data());
    if (!only_whitespace(sql.substr(consumed))) {
      sqlite3_finalize(statement);
      return Error::internal("sqlite: more than one statement in " + describe_sql(sql));
    }
    Prepared prepared{statement, {}};
    const int count = sqlite3_bind_parameter_count(statement);
    for (int number = 1; number <= count; ++number) {
      prepared.indexes.push_back(sqlite3_bind_parameter_index(statement, parameter_name(number).c_str()));
    }
    if (statements_.size() >= kMaxCachedStatements) clear_cache();
    return &statements_.emplace(std::string(sql), std::move(prepared)).first->second;
  }

  static std::string parameter_name(std::size_t number) {
    // Built by appending: GCC 12 at -O3 misreports `"$" + std::to_string(…)` (-Wrestrict).
    std::string name("$");
    name += std::to_string(number);
    return name;
  }

  Status bind_all(const Prepared& prepared, const Params& params, std::string_view sql) {
    // Distinct names get distinct indexes, so "as many names as values, and every $n present"
    // means each value is bound exactly once and no parameter stays unbound.
    if (prepared.indexes.size() != params.size()) {
      return Error::internal("sqlite: " + std::to_string(params.size()) +
                             " parameters given for " + describe_sql(sql));
    }
    for (std::size_t number = 1; number <= params.size(); ++number) {
      const int index = prepared.indexes[number - 1];
      if (index == 0) {
        return Error::internal("sqlite: " + parameter_name(number) + " unused in " + describe_sql(sql));
      }
      const int code = bind_value(prepared.statement, index, params[number - 1]);
      if (code != SQLITE_OK) return connection_error(db_, code, "bind " + parameter_name(number));
    }
    return {};
  }

  static Row read_row(sqlite3_stmt* statement) {
    const int columns = sqlite3_column_count(statement);
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int column = 0; column < columns; ++column) {
      values.push_back(column_value(statement, column));
    }
    return Row(std::move(values));
  }

  void clear_cache() {
    for (auto& [sql, prepared] : statements_) sqlite3_finalize(prepared.statement);
    statements_.clear();
  }

  sqlite3* db_;
  std::unordered_map<std::string, Prepared, TransparentHash, std::equal_to<>> statements_;
};

class SqliteTransaction final : public ScriptTransaction {
 public:
  explicit SqliteTransaction(Connection& connection) : connection_(connection) {}

  Result<Rows> query(std::string_view sql, const Params& params) override {
    IK_TRY(refuse_after_failure());
    auto outcome = remember(connection_.run(sql, params, true));
    if (!outcome) return outcome.take_error();
    return std::move(outcome->rows);
  }

  Result<std::int64_t> execute(std::string_view sql, const Params& params) override {
    IK_TRY(refuse_after_failure());
    auto outcome = remember(connection_.run(sql, params, false));
    if (!outcome) return outcome.take_error();
    return outcome->changes;
  }

  Status run_script(std::string_view script) override {
    IK_TRY(refuse_after_failure());
    return remember(connection_.run_script(script));
  }

 private:
  Connection& connection_;
};

// Runs `work` between `begin` and COMMIT on `connection`; rolls back on any failure and when
// `work` throws.
Status run_transaction(Connection& connection, std::string_view begin, const Work& work) {
  IK_TRY(connection.run_plain(begin));
  struct RollBackUnlessCommitted {
    Connection& connection;
    ~RollBackUnlessCommitted() { connection.roll_back_if_open(); }
  } guard{connection};
  SqliteTransaction transaction(connection);
  IK_TRY(outcome_of(work(transaction), transaction));
  return connection.run_plain("COMMIT");
}

class SqliteStorage final : public Storage {
 public:
  SqliteStorage(std::unique_ptr<Connection> writer,
                std::vector<std::unique_ptr<Connection>> readers, std::chrono::milliseconds wait)
      : writer_(std::move(writer)), readers_(std::move(readers)), wait_(wait) {}

  Backend backend() const override { return Backend::sqlite; }

  Status write(const Work& work) override {
    if (writer_thread_.load() == std::this_thread::get_id()) {
      throw std::logic_error("storage: write() called from inside write()");
    }
    std::lock_guard lock(writer_mutex_);
    writer_thread_ = std::this_thread::get_id();
    struct ClearOwner {
      std::atomic<std::thread::id>& owner;
      ~ClearOwner() { owner = std::thread::id(); }
    } clear_owner{writer_thread_};
    // IMMEDIATE takes the write lock up front, so a conflict with another process shows up as
    // SQLITE_BUSY at the start instead of in the middle of the work.
    return run_transaction(*writer_, "BEGIN IMMEDIATE", work);
  }

  Status read(const Work& work) override {
    auto lease = readers_.acquire(wait_);
    if (!lease) return Error::unavailable("sqlite: no free reader connection");
    return run_transaction(*lease->slot(), "BEGIN", work);
  }

  Status ping() override {
    return read([](Transaction& transaction) -> Status {
      IK_TRY(transaction.query("SELECT 1"));
      return {};
    });
  }

  Status backup(const std::string& target) override {
    auto lease = readers_.acquire(wait_);
    if (!lease) return Error::unavailable("sqlite: no free reader connection for the backup");
    const std::string partial = target + ".partial";
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    IK_TRY(copy_database(lease->slot()->handle(), partial));
    std::error_code renamed;
    std::filesystem::rename(partial, target, renamed);
    if (renamed) return Error::unavailable("sqlite: backup rename: " + renamed.message());
    return {};
  }

 private:
  static Status copy_database(sqlite3* source, const std::string& path) {
    auto destination = Connection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 0);
    if (!destination) return destination.take_error();
    sqlite3* target_db = (*destination)->handle();
    sqlite3_backup* copy = sqlite3_backup_init(target_db, "main", source, "main");
    if (copy == nullptr) {
      return connection_error(target_db, sqlite3_extended_errcode(target_db), "backup");
    }
    // -1: all pages in one step, i.e. from one consistent read snapshot of the source.
    const int stepped = sqlite3_backup_step(copy, -1);
    const int finished = sqlite3_backup_finish(copy);
    if (stepped != SQLITE_DONE) return connection_error(target_db, stepped, "backup");
    if (finished != SQLITE_OK) return connection_error(target_db, finished, "backup");
    return {};
  }

  std::unique_ptr<Connection> writer_;
  std::mutex writer_mutex_;
  std::atomic<std::thread::id> writer_thread_;
  Pool<Connection> readers_;
  std::chrono::milliseconds wait_;
};

Status configure_writer(Connection& writer) {
  auto mode = writer.run("PRAGMA journal_mode=WAL", {}, true);
  if (!mode) return mode.take_error();
  if (mode->rows.empty() || mode->rows.front().text(0) != "wal") {
    return Error::internal("sqlite: the database refused WAL mode");
  }
  IK_TRY(writer.run_plain("PRAGMA foreign_keys=ON"));
  // In WAL mode NORMAL loses at most the last transactions on power loss, never consistency.
  return writer.run_plain("PRAGMA synchronous=NORMAL");
}

}  // namespace

Result<std::unique_ptr<Storage>> open_sqlite(const std::string& path, const Options& options) {
  if (path.empty() || path.front() == ':') {
    return Error::internal("sqlite: a database file path is required, got '" + path + "'");
  }
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code created;
  if (!parent.empty()) std::filesystem::create_directories(parent, created);
  if (created) return Error::unavailable("sqlite: cannot create " + parent.string() + ": " +
                                         created.message());

  // The writer comes first: it creates the file and switches it to WAL, which the read-only
  // connections cannot do.
  auto writer = Connection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                 options.busy_timeout_ms);
  if (!writer) return writer.take_error();
  IK_TRY(configure_writer(**writer));

  std::vector<std::unique_ptr<Connection>> readers;
  for (int count = 0; count < options.pool_size; ++count) {
    auto reader = Connection::open(path, SQLITE_OPEN_READONLY, options.busy_timeout_ms);
    if (!reader) return reader.take_error();
    readers.push_back(std::move(*reader));
  }
  return std::unique_ptr<Storage>(
      std::make_unique<SqliteStorage>(std::move(*writer), std::move(readers),
                                      std::chrono::milliseconds(options.busy_timeout_ms)));
}

}  // namespace ik::storage::detail
