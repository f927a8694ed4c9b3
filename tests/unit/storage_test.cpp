// The storage contract, run against every backend: SQLite always, PostgreSQL when
// IK_TEST_POSTGRES_URL names a server (scripts/with-postgres.sh provides one). Each PostgreSQL
// test works in a schema of its own, dropped afterwards.
#include "storage/storage.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "storage/bulk_insert.hpp"

// Read by LeakSanitizer in sanitizer builds, ignored otherwise. libpqxx 6.4 does not free the
// PGresult of a statement that finds its connection broken (the connection tests below provoke
// that); a few hundred bytes per lost connection, and not ours to fix. libpqxx is built without
// frame pointers, so its leak stacks end inside the library: match the library.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx\n"; }

namespace ik::storage {
namespace {

namespace fs = std::filesystem;

const std::string kMigrations = std::string(IK_SOURCE_DIR) + "/migrations";

const char* postgres_url() { return std::getenv("IK_TEST_POSTGRES_URL"); }

std::string unique_name(std::string_view prefix) {
  static std::atomic<int> counter{0};
  static const auto salt = std::random_device{}();
  return std::string(prefix) + std::to_string(::getpid()) + "_" + std::to_string(salt % 100000) +
         "_" + std::to_string(counter++);
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / unique_name("ik_storage_test_")) {
    fs::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::string read_whole_file(const fs::path& path) {
  std::ifstream input(path, std::ios::binary);
  std::ostringstream content;
  content << input.rdbuf();
  return content.str();
}

// The versions a migration run must apply: every numeric prefix of a .sql file.
std::vector<int> versions_in(const std::string& directory) {
  std::set<int> versions;
  for (const auto& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".sql")) versions.insert(std::stoi(name.substr(0, name.find('_'))));
  }
  return {versions.begin(), versions.end()};
}

// libpq accepts both forms of connection string; the test appends to either.
std::string with_session_settings(const std::string& url, const std::string& schema) {
  if (url.starts_with("postgres")) {
    const char separator = url.find('?') == std::string::npos ? '?' : '&';
    return url + separator + "options=-csearch_path%3D" + schema + "&application_name=" + schema;
  }
  return url + " options='-csearch_path=" + schema + "' application_name=" + schema;
}

std::unique_ptr<Storage> open_or_fail(const Options& options) {
  auto storage = open(options);
  if (!storage) throw std::runtime_error("cannot open " + options.url + ": " + storage.error().detail);
  return std::move(*storage);
}

Work statement(std::string sql, Params params = {}) {
  return [sql = std::move(sql), params = std::move(params)](Transaction& transaction) -> Status {
    IK_TRY(transaction.execute(sql, params));
    return {};
  };
}

Result<Rows> select(Storage& storage, const std::string& sql, const Params& params = {}) {
  Rows rows;
  const Status status = storage.read([&](Transaction& transaction) -> Status {
    auto result = transaction.query(sql, params);
    if (!result) return result.take_error();
    rows = std::move(*result);
    return {};
  });
  if (!status.ok()) return status.error();
  return rows;
}

std::int64_t count_rows(Storage& storage, const std::string& table) {
  auto rows = select(storage, "SELECT count(*) FROM " + table);
  if (!rows) throw std::runtime_error("count " + table + ": " + rows.error().detail);
  return rows->at(0).integer(0);
}

Status insert_city(Transaction& transaction, const std::string& slug) {
  IK_TRY(transaction.execute("INSERT INTO city (slug, name) VALUES ($1, $2)", {slug, slug + " city"}));
  return {};
}

std::string backend_name(const testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgres";
}

class StorageTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::postgres) {
      if (postgres_url() == nullptr) GTEST_SKIP() << "IK_TEST_POSTGRES_URL is not set";
      schema_ = unique_name("ik_test_");
      admin_ = open_or_fail({postgres_url(), 1, 5000});
      ASSERT_TRUE(admin_->write(statement("CREATE SCHEMA " + schema_)).ok());
      url_ = with_session_settings(postgres_url(), schema_);
    } else {
      url_ = "sqlite:" + (dir_.path() / "nested" / "test.db").string();
    }
    storage_ = open_or_fail(options());
  }

  void TearDown() override {
    storage_.reset();
    if (admin_) {
      EXPECT_TRUE(admin_->write(statement("DROP SCHEMA " + schema_ + " CASCADE")).ok());
    }
  }

  Options options(int pool_size = 2, int busy_timeout_ms = 5000) const {
    return {url_, pool_size, busy_timeout_ms};
  }

  void migrate_all() { ASSERT_TRUE(migrate(*storage_, kMigrations).ok()); }

  bool table_exists(const std::string& table) {
    return select(*storage_, "SELECT count(*) FROM " + table).ok();
  }

  TempDir dir_;
  std::string url_;
  std::string schema_;
  std::unique_ptr<Storage> admin_;
  std::unique_ptr<Storage> storage_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, testing::Values(Backend::sqlite, Backend::postgres),
                         backend_name);

TEST_P(StorageTest, MigrateAppliesEveryFileOnceAndRecordsIt) {
  const std::vector<int> expected = versions_in(kMigrations);
  ASSERT_FALSE(expected.empty());

  auto first = migrate(*storage_, kMigrations);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(*first, expected);
  auto second = migrate(*storage_, kMigrations);
  ASSERT_TRUE(second.ok()) << second.error().detail;
  EXPECT_TRUE(second->empty());

  auto recorded = select(*storage_, "SELECT version, name FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(recorded.ok());
  ASSERT_EQ(recorded->size(), expected.size());
  EXPECT_EQ(recorded->front().integer(0), expected.front());
  EXPECT_EQ(recorded->front().text(1), "foundation");
  EXPECT_EQ(count_rows(*storage_, "audit_log"), 0);
}

TEST_P(StorageTest, FailingMigrationLeavesNoTraceAndNamesTheFile) {
  TempDir migrations;
  write_file(migrations.path() / "0001_good.sql",
             "CREATE TABLE good (id {{id}}, label TEXT NOT NULL) {{strict}};");
  write_file(migrations.path() / "0002_broken.sql",
             "CREATE TABLE half (id {{id}}) {{strict}};\n"
             "INSERT INTO half (id) VALUES (1);\n"
             "INSERT INTO no_such_table (id) VALUES (1);\n");

  auto failed = migrate(*storage_, migrations.path().string());
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().detail.find("0002_broken.sql"), std::string::npos) << failed.error().detail;
  EXPECT_TRUE(table_exists("good"));
  EXPECT_FALSE(table_exists("half"));
  auto versions = select(*storage_, "SELECT version FROM schema_migrations");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->front().integer(0), 1);

  write_file(migrations.path() / "0002_broken.sql", "CREATE TABLE half (id {{id}}) {{strict}};");
  auto repaired = migrate(*storage_, migrations.path().string());
  ASSERT_TRUE(repaired.ok()) << repaired.error().detail;
  EXPECT_EQ(*repaired, std::vector<int>{2});
  EXPECT_TRUE(table_exists("half"));
}

TEST_P(StorageTest, BackendSpecificMigrationsApplyOnlyToTheirBackend) {
  TempDir migrations;
  write_file(migrations.path() / "0001_common.sql", "CREATE TABLE common (id {{id}}) {{strict}};");
  write_file(migrations.path() / "0002_special.sqlite.sql", "CREATE TABLE only_sqlite (id INTEGER);");
  write_file(migrations.path() / "0002_special.postgres.sql", "CREATE TABLE only_postgres (id INTEGER);");
  write_file(migrations.path() / "README.md", "not a migration");

  auto applied = migrate(*storage_, migrations.path().string());
  ASSERT_TRUE(applied.ok()) << applied.error().detail;
  EXPECT_EQ(*applied, (std::vector<int>{1, 2}));
  EXPECT_EQ(table_exists("only_sqlite"), GetParam() == Backend::sqlite);
  EXPECT_EQ(table_exists("only_postgres"), GetParam() == Backend::postgres);

  // {{id}} gives generated ids on both backends.
  std::vector<std::int64_t> ids;
  ASSERT_TRUE(storage_->write([&](Transaction& transaction) -> Status {
    ids.clear();
    for (int round = 0; round < 2; ++round) {
      auto row = transaction.query_one("INSERT INTO common DEFAULT VALUES RETURNING id");
      if (!row) return row.take_error();
      ids.push_back((*row)->integer(0));
    }
    return {};
  }).ok());
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_LT(ids[0], ids[1]);
}

TEST_P(StorageTest, MalformedMigrationNamesAndUnknownTokensAreErrors) {
  TempDir misnamed;
  write_file(misnamed.path() / "first.sql", "CREATE TABLE first (id INTEGER);");
  EXPECT_FALSE(migrate(*storage_, misnamed.path().string()).ok());

  TempDir unknown_token;
  write_file(unknown_token.path() / "0001_token.sql", "CREATE TABLE t (id {{serial}});");
  auto result = migrate(*storage_, unknown_token.path().string());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().detail.find("0001_token.sql"), std::string::npos);

  EXPECT_FALSE(migrate(*storage_, (dir_.path() / "missing").string()).ok());
}

TEST_P(StorageTest, ConcurrentMigrationsApplyEachFileOnce) {
  auto other = open_or_fail(options());
  Result<std::vector<int>> mine = std::vector<int>{};
  Result<std::vector<int>> theirs = std::vector<int>{};
  std::thread racer([&] { theirs = migrate(*other, kMigrations); });
  mine = migrate(*storage_, kMigrations);
  racer.join();

  ASSERT_TRUE(mine.ok()) << mine.error().detail;
  ASSERT_TRUE(theirs.ok()) << theirs.error().detail;
  std::vector<int> together = *mine;
  together.insert(together.end(), theirs->begin(), theirs->end());
  std::sort(together.begin(), together.end());
  EXPECT_EQ(together, versions_in(kMigrations));
}

TEST_P(StorageTest, ParametersBindByNumberReusedAndOutOfOrder) {
  ASSERT_TRUE(storage_->write(statement("CREATE TABLE probe (label TEXT, amount BIGINT, note TEXT)")).ok());
  Result<std::int64_t> changed = std::int64_t{0};
  ASSERT_TRUE(storage_->write([&](Transaction& transaction) -> Status {
    changed = transaction.execute("INSERT INTO probe (note, amount, label) VALUES ($2, $1, $2)",
                                  {std::int64_t{7}, std::string("x")});
    return {};
  }).ok());
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 1);

  auto rows = select(*storage_,
                     "SELECT label, amount, note FROM probe WHERE amount = $2 AND label = $1 AND note = $1",
                     {std::string("x"), std::int64_t{7}});
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().text(0), "x");
  EXPECT_EQ(rows->front().integer(1), 7);
  EXPECT_EQ(rows->front().text(2), "x");

  // $1 and $10 are different parameters.
  std::string sql = "SELECT";
  Params params;
  for (int number = 10; number >= 1; --number) {
    sql += std::string(number == 10 ? " " : ", ") + "CAST($" + std::to_string(number) + " AS BIGINT)";
  }
  for (int number = 1; number <= 10; ++number) params.emplace_back(std::int64_t{number * 100});
  auto ten = select(*storage_, sql, params);
  ASSERT_TRUE(ten.ok()) << ten.error().detail;
  ASSERT_EQ(ten->front().size(), 10u);
  EXPECT_EQ(ten->front().integer(0), 1000);
  EXPECT_EQ(ten->front().integer(9), 100);
}

TEST_P(StorageTest, BulkInsertWritesEveryRowInMultiRowStatementsAndOnlyOnCommit) {
  ASSERT_TRUE(storage_->write(statement("CREATE TABLE probe (n BIGINT, label TEXT, note TEXT)")).ok());
  // Two full statements and a rest, with NULLs and texts that need quoting.
  constexpr std::int64_t kRows = 2 * BulkInsert::kRowsPerStatement + 5;
  const auto row = [](std::int64_t n) -> Params {
    return {n, "Zeile " + std::to_string(n) + " „ä“ '$1'",
            n % 3 == 0 ? Value{Null{}} : Value{std::string(n % 2 == 0 ? "gerade" : "ungerade")}};
  };
  std::int64_t before_flush = -1;
  ASSERT_TRUE(storage_->write([&](Transaction& transaction) -> Status {
    BulkInsert insert(transaction, "INSERT INTO probe (n, label, note)", 3);
    for (std::int64_t n = 1; n <= kRows; ++n) IK_TRY(insert.add(row(n)));
    auto counted = transaction.query_one("SELECT COUNT(*) FROM probe");
    if (!counted) return counted.take_error();
    before_flush = (*counted)->integer(0);
    return insert.flush();
  }).ok());
  EXPECT_EQ(before_flush, 2 * static_cast<std::int64_t>(BulkInsert::kRowsPerStatement));
  auto rows = select(*storage_, "SELECT n, label, note FROM probe ORDER BY n");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), static_cast<std::size_t>(kRows));
  for (std::int64_t n = 1; n <= kRows; ++n) {
    const auto& stored = (*rows)[static_cast<std::size_t>(n - 1)];
    const auto expected = row(n);
    EXPECT_EQ(stored.integer(0), n);
    EXPECT_EQ(stored.text(1), std::get<std::string>(expected[1]));
    EXPECT_EQ(stored.optional_text(2), n % 3 == 0 ? std::nullopt : std::optional(std::get<std::string>(expected[2])));
  }

  // Inside a transaction that fails nothing of it stays.
  const Status failed = storage_->write([&](Transaction& transaction) -> Status {
    BulkInsert insert(transaction, "INSERT INTO probe (n, label, note)", 3);
    for (std::int64_t n = 1; n <= kRows; ++n) IK_TRY(insert.add(row(kRows + n)));
    IK_TRY(insert.flush());
    return Error::conflict("test.abort");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(count_rows(*storage_, "probe"), kRows);
}

TEST_P(StorageTest, ParameterCountMismatchIsAnInternalError) {
  ASSERT_TRUE(storage_->write(statement("CREATE TABLE probe (a BIGINT, b BIGINT, c BIGINT)")).ok());
  const Status too_few = storage_->write(
      statement("INSERT INTO probe (a, b, c) VALUES ($1, $2, $3)", {std::int64_t{1}, std::int64_t{2}}));
  ASSERT_FALSE(too_few.ok());
  EXPECT_EQ(too_few.error().code, ErrorCode::internal) << too_few.error().detail;
  const Status unused = storage_->write(statement(
      "INSERT INTO probe (a, c) VALUES ($1, $3)", {std::int64_t{1}, std::int64_t{2}, std::int64_t{3}}));
  ASSERT_FALSE(unused.ok());
  EXPECT_EQ(unused.error().code, ErrorCode::internal) << unused.error().detail;
  EXPECT_EQ(count_rows(*storage_, "probe"), 0);
}

TEST_P(StorageTest, NullIntegerRealAndTextRoundTrip) {
  ASSERT_TRUE(storage_->write(statement(
      "CREATE TABLE sample (position BIGINT, n BIGINT, r DOUBLE PRECISION, t TEXT)")).ok());
  const std::vector<Params> samples = {
      {std::int64_t{1}, Null{}, Null{}, Null{}},
      {std::int64_t{2}, std::numeric_limits<std::int64_t>::max(), 0.1,
       std::string("Grüße aus Gelsenkirchen, 'Zitat' \"x\" $1 \\ ;")},
      {std::int64_t{3}, std::numeric_limits<std::int64_t>::min(), -2.5e-300, std::string()},
  };
  ASSERT_TRUE(storage_->write([&](Transaction& transaction) -> Status {
    for (const Params& sample : samples) {
      IK_TRY(transaction.execute("INSERT INTO sample (position, n, r, t) VALUES ($1, $2, $3, $4)", sample));
    }
    return {};
  }).ok());

  auto rows = select(*storage_, "SELECT position, n, r, t FROM sample ORDER BY position");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), samples.size());
  for (std::size_t index = 0; index < samples.size(); ++index) {
    for (std::size_t column = 0; column < 4; ++column) {
      EXPECT_TRUE((*rows)[index][column] == samples[index][column]) << "row " << index << " column " << column;
    }
  }
  EXPECT_TRUE((*rows)[0].is_null(3));
  EXPECT_FALSE((*rows)[2].is_null(3));
}

TEST_P(StorageTest, UniqueViolationIsConflict) {
  migrate_all();
  ASSERT_TRUE(storage_->write([](Transaction& transaction) { return insert_city(transaction, "herne"); }).ok());
  const Status duplicate =
      storage_->write([](Transaction& transaction) { return insert_city(transaction, "herne"); });
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::conflict);
  EXPECT_EQ(duplicate.error().message_key, "error.conflict");
  EXPECT_FALSE(duplicate.error().detail.empty());
  EXPECT_EQ(count_rows(*storage_, "city"), 1);
}

TEST_P(StorageTest, StatementsAfterAFailedOneAreRefusedAndNothingCommits) {
  migrate_all();
  ASSERT_TRUE(storage_->write([](Transaction& transaction) { return insert_city(transaction, "herne"); }).ok());
  Status after_failure;
  const Status status = storage_->write([&](Transaction& transaction) -> Status {
    IK_TRY(insert_city(transaction, "bochum"));
    (void)insert_city(transaction, "herne");  // fails and is ignored on purpose
    after_failure = insert_city(transaction, "hagen");
    return {};
  });
  ASSERT_FALSE(after_failure.ok());
  EXPECT_EQ(after_failure.error().code, ErrorCode::internal);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::conflict);
  EXPECT_EQ(count_rows(*storage_, "city"), 1);
}

TEST_P(StorageTest, WriteRollsBackWhenWorkReturnsAnError) {
  migrate_all();
  const Status status = storage_->write([](Transaction& transaction) -> Status {
    IK_TRY(insert_city(transaction, "herne"));
    return Error::invalid("name", "error.required");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(status.error().field, "name");
  EXPECT_EQ(count_rows(*storage_, "city"), 0);
}

TEST_P(StorageTest, WriteRollsBackWhenWorkThrowsAndStaysUsable) {
  migrate_all();
  EXPECT_THROW((void)storage_->write([](Transaction& transaction) -> Status {
    IK_TRY(insert_city(transaction, "herne"));
    throw std::logic_error("defect");
  }),
               std::logic_error);
  EXPECT_EQ(count_rows(*storage_, "city"), 0);
  EXPECT_TRUE(storage_->write([](Transaction& transaction) { return insert_city(transaction, "herne"); }).ok());
  EXPECT_EQ(count_rows(*storage_, "city"), 1);
}

TEST_P(StorageTest, ReadOnlyTransactionRefusesWrites) {
  migrate_all();
  const Status status = storage_->read([](Transaction& transaction) { return insert_city(transaction, "herne"); });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(count_rows(*storage_, "city"), 0);
}

TEST_P(StorageTest, AuditLogRefusesUpdateAndDelete) {
  migrate_all();
  ASSERT_TRUE(storage_->write(statement(
      "INSERT INTO audit_log (at, actor_name, action, entity, entity_id) VALUES ($1, $2, $3, $4, $5)",
      {std::int64_t{1700000000}, std::string("system"), std::string("city.create"), std::string("city"),
       std::string("1")})).ok());

  EXPECT_FALSE(storage_->write(statement("UPDATE audit_log SET actor_name = 'mallory'")).ok());
  EXPECT_FALSE(storage_->write(statement("DELETE FROM audit_log")).ok());
  auto rows = select(*storage_, "SELECT actor_name FROM audit_log");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().text(0), "system");
}

TEST_P(StorageTest, QueryOneGivesNothingOneRowOrAnError) {
  migrate_all();
  ASSERT_TRUE(storage_->write([](Transaction& transaction) -> Status {
    IK_TRY(insert_city(transaction, "herne"));
    return insert_city(transaction, "hagen");
  }).ok());
  ASSERT_TRUE(storage_->read([](Transaction& transaction) -> Status {
    auto none = transaction.query_one("SELECT id FROM city WHERE slug = $1", {std::string("essen")});
    EXPECT_TRUE(none.ok());
    EXPECT_FALSE(none.ok() && none->has_value());
    auto one = transaction.query_one("SELECT name FROM city WHERE slug = $1", {std::string("herne")});
    EXPECT_TRUE(one.ok() && one->has_value() && (*one)->text(0) == "herne city");
    auto many = transaction.query_one("SELECT id FROM city");
    EXPECT_FALSE(many.ok());
    EXPECT_TRUE(!many.ok() && many.error().code == ErrorCode::internal);
    return {};
  }).ok());
}

TEST_P(StorageTest, FaultAtEveryStatementLeavesAllOrNothing) {
  migrate_all();
  const auto city_with_memberships = [](Transaction& transaction) -> Status {
    auto city = transaction.query_one("INSERT INTO city (slug, name) VALUES ($1, $2) RETURNING id",
                                      {std::string("herne"), std::string("Herne")});
    if (!city) return city.take_error();
    const std::int64_t city_id = (*city)->integer(0);
    for (const char* status : {"guest", "member"}) {
      IK_TRY(transaction.execute(
          "INSERT INTO city_membership (city_id, status, since_date, since_precision) VALUES ($1, $2, $3, 'year')",
          {city_id, std::string(status), std::string(status[0] == 'g' ? "2019" : "2021")}));
    }
    return {};
  };

  int failing_runs = 0;
  for (int fail_at = 1; fail_at <= 10; ++fail_at) {
    FaultInjectingStorage faulty(*storage_, fail_at);
    const Status status = faulty.write(city_with_memberships);
    if (status.ok()) {
      EXPECT_EQ(faulty.statements_seen(), 3);
      EXPECT_EQ(count_rows(*storage_, "city"), 1);
      EXPECT_EQ(count_rows(*storage_, "city_membership"), 2);
      break;
    }
    ++failing_runs;
    EXPECT_EQ(status.error().code, ErrorCode::unavailable);
    EXPECT_EQ(count_rows(*storage_, "city"), 0) << "fail_at " << fail_at;
    EXPECT_EQ(count_rows(*storage_, "city_membership"), 0) << "fail_at " << fail_at;
  }
  EXPECT_EQ(failing_runs, 3);
}

TEST_P(StorageTest, FaultInjectionCountsReadsAndMigrationScripts) {
  FaultInjectingStorage faulty(*storage_, 2);
  EXPECT_TRUE(faulty.ping().ok());
  // 1: schema_migrations script, 2: the "already applied?" check of the first file → fails.
  auto result = migrate(faulty, kMigrations);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::unavailable);
  EXPECT_EQ(faulty.statements_seen(), 2);
  EXPECT_FALSE(table_exists("city"));
  EXPECT_TRUE(faulty.read([](Transaction& transaction) -> Status {
    IK_TRY(transaction.query("SELECT count(*) FROM schema_migrations"));
    return {};
  }).ok());
  EXPECT_EQ(faulty.statements_seen(), 3);
}

TEST_P(StorageTest, ReadersSeeTheLastCommitWhileAWriterWorks) {
  migrate_all();
  std::promise<void> inserted;
  std::promise<void> release;
  std::thread writer([&] {
    const Status status = storage_->write([&](Transaction& transaction) -> Status {
      IK_TRY(insert_city(transaction, "herne"));
      inserted.set_value();
      release.get_future().wait();
      return {};
    });
    EXPECT_TRUE(status.ok());
  });
  inserted.get_future().wait();
  EXPECT_EQ(count_rows(*storage_, "city"), 0);
  release.set_value();
  writer.join();
  EXPECT_EQ(count_rows(*storage_, "city"), 1);
}

TEST_P(StorageTest, NoFreeConnectionIsUnavailable) {
  auto small = open_or_fail(options(1, 50));
  std::promise<void> holding;
  std::promise<void> release;
  std::thread reader([&] {
    EXPECT_TRUE(small->read([&](Transaction&) -> Status {
      holding.set_value();
      release.get_future().wait();
      return {};
    }).ok());
  });
  holding.get_future().wait();
  const Status starved = small->read([](Transaction&) -> Status { return {}; });
  release.set_value();
  reader.join();
  ASSERT_FALSE(starved.ok());
  EXPECT_EQ(starved.error().code, ErrorCode::unavailable);
  EXPECT_TRUE(small->ping().ok());
}

TEST_P(StorageTest, BackupHoldsTheData) {
  migrate_all();
  ASSERT_TRUE(storage_->write(statement("INSERT INTO city (slug, name) VALUES ($1, $2)",
                                        {std::string("gelsenkirchen"), std::string("Gelsenkirchen")})).ok());
  const fs::path target = dir_.path() / "backup.out";
  const Status status = storage_->backup(target.string());
  ASSERT_TRUE(status.ok()) << status.error().detail;
  EXPECT_FALSE(fs::exists(target.string() + ".partial"));

  if (GetParam() == Backend::sqlite) {
    auto copy = open_or_fail({"sqlite:" + target.string(), 1, 1000});
    auto rows = select(*copy, "SELECT name FROM city");
    ASSERT_TRUE(rows.ok()) << rows.error().detail;
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().text(0), "Gelsenkirchen");
  } else {
    const std::string dump = read_whole_file(target);
    EXPECT_NE(dump.find("Gelsenkirchen"), std::string::npos);
    EXPECT_NE(dump.find("CREATE TABLE " + schema_ + ".city"), std::string::npos);
  }
}

TEST_P(StorageTest, PingAnswers) { EXPECT_TRUE(storage_->ping().ok()); }

// Two writers that each read what the other writes cannot both commit under SERIALIZABLE; the
// loser's work runs again and then sees the winner's row.
TEST_P(StorageTest, SerialisationConflictRunsTheWorkAgain) {
  if (GetParam() != Backend::postgres) GTEST_SKIP() << "SQLite never runs two writers at once";
  migrate_all();
  std::promise<void> first_read;
  std::promise<void> second_read;
  std::promise<void> first_committed;
  std::thread first([&] {
    EXPECT_TRUE(storage_->write([&](Transaction& transaction) -> Status {
      IK_TRY(transaction.query("SELECT count(*) FROM city"));
      first_read.set_value();
      second_read.get_future().wait();
      return insert_city(transaction, "herne");
    }).ok());
    first_committed.set_value();
  });
  int runs = 0;
  std::int64_t cities_seen = -1;
  const Status second = storage_->write([&](Transaction& transaction) -> Status {
    ++runs;
    auto count = transaction.query_one("SELECT count(*) FROM city");
    if (!count) return count.take_error();
    cities_seen = (*count)->integer(0);
    if (runs == 1) {
      first_read.get_future().wait();
      second_read.set_value();
      first_committed.get_future().wait();
    }
    return insert_city(transaction, "hagen");
  });
  first.join();
  ASSERT_TRUE(second.ok()) << second.error().detail;
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(cities_seen, 1);
  EXPECT_EQ(count_rows(*storage_, "city"), 2);
}

// A connection that dies mid-transaction fails that transaction with `unavailable`; the next
// one gets a fresh connection.
TEST_P(StorageTest, LostConnectionIsUnavailableAndTheNextWriteWorks) {
  if (GetParam() != Backend::postgres) GTEST_SKIP() << "only a server connection can be lost";
  migrate_all();
  const Status lost = storage_->write([&](Transaction& transaction) -> Status {
    auto pid = transaction.query_one("SELECT pg_backend_pid()");
    if (!pid) return pid.take_error();
    auto killed = select(*admin_, "SELECT pg_terminate_backend(CAST($1 AS INTEGER))", {(*pid)->integer(0)});
    EXPECT_TRUE(killed.ok());
    return insert_city(transaction, "herne");
  });
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, ErrorCode::unavailable) << lost.error().detail;

  EXPECT_TRUE(storage_->write([](Transaction& transaction) { return insert_city(transaction, "hagen"); }).ok());
  EXPECT_EQ(count_rows(*storage_, "city"), 1);
}

// Connections that died while idle (a server restart) are replaced without failing anyone.
TEST_P(StorageTest, IdleConnectionsKilledByTheServerAreReplaced) {
  if (GetParam() != Backend::postgres) GTEST_SKIP() << "only a server connection can be lost";
  migrate_all();
  ASSERT_TRUE(storage_->ping().ok());
  auto killed = select(*admin_, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                       {schema_});
  ASSERT_TRUE(killed.ok()) << killed.error().detail;
  ASSERT_FALSE(killed->empty());
  EXPECT_TRUE(storage_->write([](Transaction& transaction) { return insert_city(transaction, "herne"); }).ok());
  EXPECT_TRUE(storage_->ping().ok());
}

TEST(SqliteStorage, LockHeldByAnotherConnectionIsUnavailableButReadsGoOn) {
  TempDir dir;
  const std::string path = (dir.path() / "busy.db").string();
  auto storage = open_or_fail({"sqlite:" + path, 1, 50});
  ASSERT_TRUE(storage->write(statement("CREATE TABLE item (id INTEGER)")).ok());

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &other, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  const Status blocked = storage->write(statement("INSERT INTO item (id) VALUES (1)"));
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::unavailable);
  EXPECT_EQ(count_rows(*storage, "item"), 0);

  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  EXPECT_TRUE(storage->write(statement("INSERT INTO item (id) VALUES (1)")).ok());
  EXPECT_EQ(count_rows(*storage, "item"), 1);
}

TEST(SqliteStorage, CreatesTheParentDirectoryAndRefusesMemoryDatabases) {
  TempDir dir;
  const fs::path path = dir.path() / "a" / "b" / "ik.db";
  ASSERT_TRUE(open({"sqlite:" + path.string()}).ok());
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(open({"sqlite::memory:"}).ok());
  EXPECT_FALSE(open({"sqlite:" + path.string(), 0}).ok());
}

TEST(SqliteStorage, ForeignKeysAreEnforced) {
  TempDir dir;
  auto storage = open_or_fail({"sqlite:" + (dir.path() / "fk.db").string()});
  ASSERT_TRUE(migrate(*storage, kMigrations).ok());
  const Status orphan = storage->write(statement(
      "INSERT INTO city_membership (city_id, status, since_date, since_precision) VALUES (42, 'guest', '2020', 'year')"));
  EXPECT_FALSE(orphan.ok());
}

TEST(PostgresStorage, UnreachableServerIsUnavailable) {
  TempDir dir;
  auto storage = open({"host=" + dir.path().string() + " port=1 dbname=none connect_timeout=2"});
  ASSERT_FALSE(storage.ok());
  EXPECT_EQ(storage.error().code, ErrorCode::unavailable);
}

TEST(Row, AccessorsCheckTheColumnType) {
  const Row row({Null{}, std::int64_t{42}, 2.5, std::string("Herne")});
  EXPECT_EQ(row.size(), 4u);
  EXPECT_TRUE(row.is_null(0));
  EXPECT_FALSE(row.is_null(1));
  EXPECT_EQ(row.integer(1), 42);
  EXPECT_DOUBLE_EQ(row.real(1), 42.0);
  EXPECT_DOUBLE_EQ(row.real(2), 2.5);
  EXPECT_EQ(row.text(3), "Herne");
  EXPECT_EQ(row.optional_integer(0), std::nullopt);
  EXPECT_EQ(row.optional_integer(1), 42);
  EXPECT_EQ(row.optional_text(0), std::nullopt);
  EXPECT_EQ(row.optional_text(3), "Herne");
  EXPECT_THROW((void)row.integer(2), std::logic_error);
  EXPECT_THROW((void)row.integer(0), std::logic_error);
  EXPECT_THROW((void)row.text(1), std::logic_error);
  EXPECT_THROW((void)row.real(3), std::logic_error);
  EXPECT_THROW((void)row.optional_text(1), std::logic_error);
  EXPECT_THROW((void)row.is_null(4), std::out_of_range);
}

}  // namespace
}  // namespace ik::storage
