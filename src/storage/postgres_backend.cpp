// PostgreSQL backend (libpqxx 6.4): a pool of connections that are (re)made on demand, so a
// server that goes away yields `unavailable` and the next request after its return works again.
//
// Isolation: write() runs SERIALIZABLE, read() REPEATABLE READ READ ONLY. SERIALIZABLE gives
// PostgreSQL the semantics SQLite has through its single writer, so check-then-write rules that
// no constraint can express (a membership phase must not overlap another, the last admin stays)
// hold on both backends and the SQLite-run tests mean the same for PostgreSQL. The price is the
// occasional serialisation failure under concurrency, which write() absorbs by re-running the
// work; that is why `work` may only assign its outputs (see storage.hpp).
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <map>
#include <pqxx/pqxx>
#include <thread>

#include "storage/backend.hpp"

extern char** environ;  // NOLINT: POSIX, for handing the environment to pg_dump

namespace ik::storage::detail {
namespace {

constexpr int kMaxAttempts = 5;
// Any fixed number works; it only has to be the same for every instance of the application.
constexpr long long kMigrationLockKey = 0x696b5f6d696772;  // "ik_migr"

// Type OIDs from PostgreSQL's pg_type.dat; stable across versions.
constexpr pqxx::oid kBoolOid = 16;
constexpr pqxx::oid kInt8Oid = 20;
constexpr pqxx::oid kInt2Oid = 21;
constexpr pqxx::oid kInt4Oid = 23;
constexpr pqxx::oid kFloat4Oid = 700;
constexpr pqxx::oid kFloat8Oid = 701;
constexpr pqxx::oid kNumericOid = 1700;

// What went wrong, beyond the Error: whether trying again may help and whether the connection
// can still be used.
struct Failure {
  Error error;
  bool retry_whole_transaction = false;
  bool connection_lost = false;
};

bool is_unavailable_state(const std::string& state) {
  // 08: connection exception, 53: insufficient resources, 57P0x: shutdown / cannot connect now.
  return state.starts_with("08") || state.starts_with("53") || state.starts_with("57P");
}

// Classifies the exception being handled; call only inside a catch block.
Failure current_failure() {
  try {
    throw;
  } catch (const pqxx::broken_connection& error) {
    return {Error::unavailable(std::string("postgres: ") + error.what()), false, true};
  } catch (const pqxx::in_doubt_error& error) {
    return {Error::unavailable(std::string("postgres: commit outcome unknown: ") + error.what()),
            false, true};
  } catch (const pqxx::serialization_failure& error) {
    return {Error::unavailable(std::string("postgres: ") + error.what()), true, false};
  } catch (const pqxx::deadlock_detected& error) {
    return {Error::unavailable(std::string("postgres: ") + error.what()), true, false};
  } catch (const pqxx::unique_violation& error) {
    Error conflict = Error::conflict("error.conflict");
    conflict.detail = std::string("postgres: ") + error.what();
    return {std::move(conflict), false, false};
  } catch (const pqxx::sql_error& error) {
    std::string detail = "postgres: " + error.sqlstate() + ": " + error.what();
    if (is_unavailable_state(error.sqlstate())) {
      return {Error::unavailable(std::move(detail)), false, error.sqlstate().starts_with("57P")};
    }
    return {Error::internal(std::move(detail)), false, false};
  } catch (const std::exception& error) {
    return {Error::internal(std::string("postgres: ") + error.what()), false, false};
  }
}

Result<std::optional<std::string>> parameter_text(const Value& value) {
  struct Converter {
    Result<std::optional<std::string>> operator()(const Null&) const {
      return std::optional<std::string>{};
    }
    Result<std::optional<std::string>> operator()(std::int64_t number) const {
      return std::optional<std::string>{std::to_string(number)};
    }
    Result<std::optional<std::string>> operator()(double number) const {
      char buffer[64];
      // Shortest text that reads back as the same double.
      const auto converted = std::to_chars(buffer, buffer + sizeof buffer, number);
      return std::optional<std::string>{std::string(buffer, converted.ptr)};
    }
    Result<std::optional<std::string>> operator()(const std::string& text) const {
      // libpq takes C strings: a NUL would silently cut the value.
      if (text.find('\0') != std::string::npos) {
        return Error::internal("postgres: text parameter contains NUL");
      }
      return std::optional<std::string>{text};
    }
  };
  return std::visit(Converter{}, value);
}

using ParameterTexts = std::vector<std::optional<std::string>>;

Result<ParameterTexts> parameter_texts(const Params& params) {
  ParameterTexts texts;
  texts.reserve(params.size());
  for (const Value& value : params) {
    auto text = parameter_text(value);
    if (!text) return text.take_error();
    texts.push_back(std::move(*text));
  }
  return texts;
}

// The parameters as libpq wants them: C strings, nullptr for NULL. The server infers their
// types from the statement, as it does for literals.
std::vector<const char*> c_strings(const ParameterTexts& texts) {
  std::vector<const char*> pointers;
  pointers.reserve(texts.size());
  for (const auto& text : texts) pointers.push_back(text ? text->c_str() : nullptr);
  return pointers;
}

template <class Number>
Result<Value> parse_number(const pqxx::field& field) {
  const std::string_view text(field.c_str(), field.size());
  Number number{};
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), number);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size()) {
    return Error::internal("postgres: cannot read '" + std::string(text) + "' as a number");
  }
  if constexpr (std::is_same_v<Number, double>) {
    return Value{number};
  } else {
    return Value{static_cast<std::int64_t>(number)};
  }
}

Result<Value> field_value(const pqxx::field& field, pqxx::oid type) {
  if (field.is_null()) return Value{Null{}};
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return parse_number<long long>(field);
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
      return parse_number<double>(field);
    case kBoolOid:
      return Value{std::int64_t{field.c_str()[0] == 't' ? 1 : 0}};
    default:
      return Value{std::string(field.c_str(), field.size())};
  }
}

Result<Rows> to_rows(const pqxx::result& result) {
  const auto columns = static_cast<pqxx::row::size_type>(result.columns());
  std::vector<pqxx::oid> types;
  for (pqxx::row::size_type column = 0; column < columns; ++column) {
    types.push_back(result.column_type(column));
  }
  Rows rows;
  rows.reserve(result.size());
  for (const auto& row : result) {
    std::vector<Value> values;
    values.reserve(types.size());
    for (pqxx::row::size_type column = 0; column < columns; ++column) {
      auto value = field_value(row[column], types[static_cast<std::size_t>(column)]);
      if (!value) return value.take_error();
      values.push_back(std::move(*value));
    }
    rows.emplace_back(std::move(values));
  }
  return rows;
}

class PostgresTransaction final : public ScriptTransaction {
 public:
  explicit PostgresTransaction(pqxx::transaction_base& transaction) : transaction_(transaction) {}

  Result<Rows> query(std::string_view sql, const Params& params) override {
    return guarded([&]() -> Result<Rows> {
      auto texts = parameter_texts(params);
      if (!texts) return texts.take_error();
      return to_rows(run(sql, *texts));
    });
  }

  Result<std::int64_t> execute(std::string_view sql, const Params& params) override {
    return guarded([&]() -> Result<std::int64_t> {
      auto texts = parameter_texts(params);
      if (!texts) return texts.take_error();
      return static_cast<std::int64_t>(run(sql, *texts).affected_rows());
    });
  }

  Status run_script(std::string_view script) override {
    // Simple-query protocol: several statements, dollar-quoted function bodies and all.
    auto result = guarded([&]() -> Result<bool> {
      transaction_.exec(std::string(script));
      return true;
    });
    if (!result) return result.take_error();
    return {};
  }

  // Set when a statement failed in a way that says more than its Error.
  const std::optional<Failure>& pg_failure() const { return pg_failure_; }

 private:
  pqxx::result run(std::string_view sql, const ParameterTexts& texts) {
    const std::vector<const char*> pointers = c_strings(texts);
    return transaction_.exec_params(std::string(sql), pqxx::prepare::make_dynamic_params(pointers));
  }

  // Runs `function`, turning a pqxx exception into the statement's Error.
  template <class Function>
  auto guarded(Function&& function) -> decltype(function()) {
    IK_TRY(refuse_after_failure());
    try {
      return remember(function());
    } catch (...) {
      Failure failure = current_failure();
      // libpqxx reports every SQLSTATE of class 08 as a broken connection, also 08P01 for a
      // parameter count that does not match the statement; a connection that is still open
      // was not lost, and the mismatch is a defect.
      if (failure.connection_lost && transaction_.conn().is_open()) {
        failure = {Error::internal(std::move(failure.error.detail)), false, false};
      }
      if (!pg_failure_) pg_failure_ = failure;
      return remember(decltype(function())(std::move(failure.error)));
    }
  }

  pqxx::transaction_base& transaction_;
  std::optional<Failure> pg_failure_;
};

struct Attempt {
  Status status;
  bool retry = false;           // nothing is committed; running it again may succeed
  bool connection_lost = false; // the connection must be replaced
};

Attempt failed_attempt(const Failure& failure, bool before_work) {
  // A connection found dead before `work` ran (typically idle across a server restart) is
  // simply replaced: nothing has happened yet.
  return {failure.error, failure.retry_whole_transaction || (before_work && failure.connection_lost),
          failure.connection_lost};
}

Result<std::unique_ptr<pqxx::connection>> connect(const std::string& url) {
  try {
    auto connection = std::make_unique<pqxx::connection>(url);
    // NOTICEs ("relation already exists, skipping") would otherwise go to stderr.
    connection->set_variable("client_min_messages", "warning");
    return connection;
  } catch (...) {
    return current_failure().error;
  }
}

enum class Mode { write, read };

std::unique_ptr<pqxx::transaction_base> begin(pqxx::connection& connection, Mode mode) {
  if (mode == Mode::write) {
    return std::make_unique<pqxx::transaction<pqxx::serializable>>(connection);
  }
  return std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(connection);
}

Attempt run_on(pqxx::connection& connection, const Work& work, Mode mode) {
  std::unique_ptr<pqxx::transaction_base> transaction;
  try {
    transaction = begin(connection, mode);
  } catch (...) {
    return failed_attempt(current_failure(), true);
  }
  PostgresTransaction wrapper(*transaction);
  // Exceptions from `work` are programming errors: they propagate, and the pqxx transaction's
  // destructor rolls back.
  Status status = outcome_of(work(wrapper), wrapper);
  if (const auto& failure = wrapper.pg_failure()) {
    return {std::move(status), failure->retry_whole_transaction, failure->connection_lost};
  }
  if (!status) return {std::move(status)};
  try {
    transaction->commit();
  } catch (...) {
    return failed_attempt(current_failure(), false);
  }
  return {};
}

// Copies the connection parameters into the environment of a child process, so that pg_dump
// reaches the same database and a password never shows in the process list.
Result<std::vector<std::string>> environment_for(const std::string& url) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (options == nullptr) {
    std::string detail = parse_error != nullptr ? parse_error : "out of memory";
    PQfreemem(parse_error);
    return Error::internal("postgres: invalid connection string: " + detail);
  }
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals != std::string_view::npos) {
      variables[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
  }
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr && option->envvar != nullptr) {
      variables[option->envvar] = option->val;
    }
  }
  PQconninfoFree(options);
  std::vector<std::string> environment;
  for (const auto& [name, value] : variables) environment.push_back(name + "=" + value);
  return environment;
}

Status run_pg_dump(const std::string& url, const std::string& output) {
  auto environment = environment_for(url);
  if (!environment) return environment.take_error();
  std::vector<char*> envp;
  for (auto& entry : *environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string program = "pg_dump";
  std::string format = "--format=plain";
  std::string file = "--file=" + output;
  std::vector<char*> argv{program.data(), format.data(), file.data(), nullptr};

  pid_t child = 0;
  const int spawned = posix_spawnp(&child, program.c_str(), nullptr, nullptr, argv.data(),
                                   envp.data());
  if (spawned != 0) return Error::internal("postgres: cannot start pg_dump: " +
                                           std::string(std::strerror(spawned)));
  int wait_status = 0;
  while (waitpid(child, &wait_status, 0) < 0) {
    if (errno != EINTR) return Error::internal("postgres: waiting for pg_dump failed");
  }
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
    return Error::unavailable("postgres: pg_dump failed (status " +
                              std::to_string(WEXITSTATUS(wait_status)) + ")");
  }
  return {};
}

class PostgresStorage final : public Storage, public MigrationLocking {
 public:
  PostgresStorage(Options options, std::vector<std::unique_ptr<pqxx::connection>> connections)
      : options_(std::move(options)), pool_(std::move(connections)) {}

  Backend backend() const override { return Backend::postgres; }

  Status write(const Work& work) override { return run(work, Mode::write); }
  Status read(const Work& work) override { return run(work, Mode::read); }

  Status ping() override {
    return read([](Transaction& transaction) -> Status {
      IK_TRY(transaction.query("SELECT 1"));
      return {};
    });
  }

  Status backup(const std::string& target) override {
    const std::string partial = target + ".partial";
    IK_TRY(run_pg_dump(options_.url, partial));
    std::error_code renamed;
    std::filesystem::rename(partial, target, renamed);
    if (renamed) return Error::unavailable("postgres: backup rename: " + renamed.message());
    return {};
  }

  Status with_migration_lock(const std::function<Status()>& body) override {
    // A connection of its own: `body` may need every pooled one. The session-level lock lives
    // as long as this connection, so a crashed instance cannot leave it behind.
    auto connection = connect(options_.url);
    if (!connection) return connection.take_error();
    try {
      pqxx::nontransaction(**connection).exec("SELECT pg_advisory_lock(" +
                                               std::to_string(kMigrationLockKey) + ")");
    } catch (...) {
      return current_failure().error;
    }
    return body();
  }

 private:
  Status run(const Work& work, Mode mode) {
    for (int attempt = 1;; ++attempt) {
      Attempt outcome = run_once(work, mode);
      if (!outcome.retry || attempt == kMaxAttempts) return std::move(outcome.status);
      // Staggered, so that two transactions that collided do not collide again in lockstep.
      std::this_thread::sleep_for(std::chrono::milliseconds(2 * attempt));
    }
  }

  Attempt run_once(const Work& work, Mode mode) {
    auto lease = pool_.acquire(std::chrono::milliseconds(options_.busy_timeout_ms));
    if (!lease) return {Error::unavailable("postgres: no free pooled connection")};
    auto& slot = lease->slot();
    if (!slot || !slot->is_open()) {
      auto fresh = connect(options_.url);
      if (!fresh) return {fresh.take_error()};
      slot = std::move(*fresh);
    }
    Attempt outcome = run_on(*slot, work, mode);
    if (outcome.connection_lost) slot.reset();
    return outcome;
  }

  Options options_;
  Pool<pqxx::connection> pool_;
};

}  // namespace

Result<std::unique_ptr<Storage>> open_postgres(const Options& options) {
  // One connection now, to report a wrong address at start; the others are made when needed.
  auto first = connect(options.url);
  if (!first) return first.take_error();
  std::vector<std::unique_ptr<pqxx::connection>> connections(
      static_cast<std::size_t>(options.pool_size));
  connections.front() = std::move(*first);
  return std::unique_ptr<Storage>(std::make_unique<PostgresStorage>(options, std::move(connections)));
}

}  // namespace ik::storage::detail
