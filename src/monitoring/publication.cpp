// Publication: the year's published reports become one suppressed table per indicator through
// the figures module (and with it the disclosure step). Public pages read only these tables.
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "monitoring/figures.hpp"
#include "monitoring/internal.hpp"

namespace ik::monitoring {
namespace {

constexpr std::string_view kPublishedCells = R"sql(
  SELECT r.city_id, v.category_id, v.numerator, v.unknown_count, v.denominator
  FROM indicator_value v JOIN report r ON r.id = v.report_id
  WHERE r.year = $1 AND v.indicator_version_id = $2
    AND ((r.id = $3 AND $4 = 1) OR (r.id <> $3 AND r.status = 'published'))
  ORDER BY r.city_id, v.category_id)sql";
constexpr std::string_view kDefinitionCode =
    "SELECT code FROM immigration_definition WHERE id = $1";
constexpr std::string_view kUpsertTable = R"sql(
  INSERT INTO published_table (indicator_version_id, year, table_json, plan_summary, generation, published_at,
                               published_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (indicator_version_id, year) DO UPDATE SET
    table_json = excluded.table_json, plan_summary = excluded.plan_summary,
    generation = excluded.generation, published_at = excluded.published_at,
    published_by = excluded.published_by)sql";
constexpr std::string_view kDeleteTable =
    "DELETE FROM published_table WHERE indicator_version_id = $1 AND year = $2";
constexpr std::string_view kTablesOfYear = R"sql(
  SELECT indicator_version_id, generation, table_json FROM published_table WHERE year = $1
  ORDER BY indicator_version_id)sql";
constexpr std::string_view kPublishedTable = R"sql(
  SELECT t.indicator_version_id, i.code, t.year, t.table_json, t.plan_summary, t.generation, t.published_at,
         t.published_by
  FROM published_table t
  JOIN indicator_version v ON v.id = t.indicator_version_id
  JOIN indicator i ON i.id = v.indicator_id
  WHERE i.code = $1 AND t.year = $2
  ORDER BY v.version DESC LIMIT 1)sql";
constexpr std::string_view kPublishedYears = R"sql(
  SELECT DISTINCT t.year FROM published_table t
  JOIN indicator_version v ON v.id = t.indicator_version_id
  JOIN indicator i ON i.id = v.indicator_id
  WHERE i.code = $1 ORDER BY t.year)sql";
constexpr std::string_view kReleasesOfYear = R"sql(
  SELECT indicator_version_id, generation, table_json, counts_json FROM published_release
  WHERE year = $1 ORDER BY indicator_version_id, generation)sql";
constexpr std::string_view kGenerationsOfYear = R"sql(
  SELECT indicator_version_id, generation FROM published_release
  WHERE year = $1 ORDER BY indicator_version_id, generation)sql";
constexpr std::string_view kInsertRelease = R"sql(
  INSERT INTO published_release (indicator_version_id, year, generation, table_json, counts_json, plan_summary,
                                 published_at, published_by, occasion, city_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))sql";
constexpr std::string_view kReleaseSummaries = R"sql(
  SELECT r.generation, r.published_at, r.published_by, r.occasion, c.name, r.table_json
  FROM published_release r
  JOIN indicator_version v ON v.id = r.indicator_version_id
  JOIN indicator i ON i.id = v.indicator_id
  LEFT JOIN city c ON c.id = r.city_id
  WHERE i.code = $1 AND r.year = $2
  ORDER BY r.published_at, v.version, r.generation)sql";
Result<IndicatorSpec> spec_of(storage::Transaction& transaction, const IndicatorVersion& version,
                              const Breakdown& breakdown) {
  auto definition = transaction.query_one(kDefinitionCode, {version.immigration_definition_id});
  if (!definition) return definition.take_error();
  IndicatorSpec spec{
      .code = version.code,
      .version_id = version.id,
      .name_de = version.name_de,
      .name_en = version.name_en,
      .definition_code = *definition ? (*definition)->text(0) : std::string(),
      .scale = version.unit == Unit::ratio ? ShareScale::ratio : ShareScale::percent,
      .precision = version.precision,
      .has_denominator = version.has_denominator,
      .categories = {},
      .total_group = version.total_group,
  };
  for (const auto& category : breakdown.categories) {
    std::optional<std::size_t> parent;
    for (std::size_t index = 0; index < spec.categories.size(); ++index) {
      if (category.parent_id && spec.categories[index].id == *category.parent_id) parent = index;
    }
    spec.categories.push_back(
        CategorySpec{category.id, category.code, category.name_de, category.name_en, parent});
  }
  return spec;
}

std::string plan_summary(const PublishedTable& table) {
  return nlohmann::json{
      {"method", table.method == disclosure::Method::exact ? "exact" : "heuristic"},
      {"persons_hidden", table.persons_hidden},
      {"proven_optimal", table.proven_optimal},
      {"minimum_count", table.minimum_count},
      {"suppressed_cells", table.audit.size()}}
      .dump();
}

std::vector<CityInYear> cities_in(const std::vector<cooperation::City>& cities, int year) {
  std::vector<CityInYear> result;
  for (const auto& city : cities)
    result.push_back({city.id, city.slug, city.name, city.member_in_year(year)});
  return result;
}

// The inputs of one indicator version's table, or nullopt when nothing of it is published.
Result<std::optional<TableInput>> version_input(storage::Transaction& transaction,
                                                const IndicatorVersion& version,
                                                const Breakdown& breakdown, int year,
                                                const std::vector<CityInYear>& cities,
                                                const internal::PendingStatus& pending) {
  auto rows = transaction.query(kPublishedCells, {std::int64_t{year}, version.id, pending.report_id,
                                                  std::int64_t{pending.published ? 1 : 0}});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<TableInput>();
  auto spec = spec_of(transaction, version, breakdown);
  if (!spec) return spec.take_error();
  TableInput input{std::move(*spec), year, cities, {}};
  for (const auto& row : *rows) {
    input.cells.push_back(ReportedCell{row.integer(0), row.integer(1), row.optional_integer(2),
                                       row.optional_integer(3), row.optional_integer(4)});
  }
  return std::optional<TableInput>(std::move(input));
}

// Removes tables of `year` whose version is not among `current` (no longer valid in the year).
Status remove_stale(storage::Transaction& transaction, int year,
                    const std::vector<internal::VersionInput>& current) {
  auto stored = transaction.query(kTablesOfYear, {std::int64_t{year}});
  if (!stored) return stored.take_error();
  for (const auto& row : *stored) {
    const auto id = row.integer(0);
    const bool valid =
        std::any_of(current.begin(), current.end(),
                    [id](const internal::VersionInput& input) { return input.version_id == id; });
    if (!valid) IK_TRY(transaction.execute(kDeleteTable, {id, std::int64_t{year}}));
  }
  return {};
}

PublishedRecord read_record(const storage::Row& row) {
  return PublishedRecord{row.integer(0), row.text(1), static_cast<int>(row.integer(2)),
                         row.text(3),    row.text(4), static_cast<int>(row.integer(5)),
                         row.integer(6), row.text(7)};
}

std::string counts_json(const std::vector<std::int64_t>& counts) {
  return nlohmann::json(counts).dump();
}

Result<internal::StoredRelease> read_release(const storage::Row& row) {
  auto table = from_json(row.text(2));
  if (!table) return Error::internal("published_release: table of " + std::to_string(row.integer(0)));
  const auto counts = nlohmann::json::parse(row.text(3), nullptr, false);
  if (!counts.is_array()) return Error::internal("published_release: counts");
  return internal::StoredRelease{row.integer(0), static_cast<int>(row.integer(1)), true,
                                 Release{std::move(*table), counts.get<std::vector<std::int64_t>>()}};
}

Result<std::vector<std::pair<std::int64_t, int>>> generations_of(storage::Transaction& transaction,
                                                                 int year) {
  auto rows = transaction.query(kGenerationsOfYear, {std::int64_t{year}});
  if (!rows) return rows.take_error();
  std::vector<std::pair<std::int64_t, int>> generations;
  for (const auto& row : *rows)
    generations.emplace_back(row.integer(0), static_cast<int>(row.integer(1)));
  return generations;
}

// The tables of every indicator valid in `year` as `pending` leaves the reports.
Result<std::vector<internal::VersionInput>> read_versions(
    storage::Transaction& transaction, int year, const std::vector<cooperation::City>& cities,
    const internal::PendingStatus& pending) {
  auto catalogue = internal::load_catalogue(transaction);
  if (!catalogue) return catalogue.take_error();
  const auto in_year = cities_in(cities, year);
  std::vector<internal::VersionInput> inputs;
  for (const auto* version : catalogue->for_year(year)) {
    const auto* breakdown = catalogue->breakdown(version->breakdown_id);
    if (!breakdown)
      return Error::internal("breakdown missing for indicator version " +
                             std::to_string(version->id));
    auto input = version_input(transaction, *version, *breakdown, year, in_year, pending);
    if (!input) return input.take_error();
    inputs.push_back(internal::VersionInput{version->id, std::move(*input)});
  }
  return inputs;
}

// Tables published before releases were kept have no release: their figures are known all the
// same. Each is reconstructed from the reports it was built from, which are those published now
// (every step that changes them rebuilds the tables). A table that does not match them any more
// cannot be linked to its figures and is left out.
Status reconstruct_unrecorded(storage::Transaction& transaction, int year,
                              const std::vector<cooperation::City>& cities,
                              std::vector<internal::StoredRelease>& history) {
  auto tables = transaction.query(kTablesOfYear, {std::int64_t{year}});
  if (!tables) return tables.take_error();
  std::optional<std::vector<internal::VersionInput>> current;
  for (const auto& row : *tables) {
    const auto version_id = row.integer(0);
    if (std::any_of(history.begin(), history.end(),
                    [&](const auto& release) { return release.version_id == version_id; }))
      continue;
    if (!current) {
      auto read = read_versions(transaction, year, cities, {});
      if (!read) return read.take_error();
      current = std::move(*read);
    }
    auto table = from_json(row.text(2));
    if (!table) continue;
    for (const auto& version : *current) {
      if (version.version_id != version_id || !version.input) continue;
      auto counts = counts_behind(*table, *version.input);
      if (!counts) continue;
      history.push_back({version_id, static_cast<int>(row.integer(1)), false,
                         Release{std::move(*table), std::move(*counts)}});
      break;
    }
  }
  return {};
}

// Every release of the year, in version and generation order.
Result<std::vector<internal::StoredRelease>> read_history(
    storage::Transaction& transaction, int year, const std::vector<cooperation::City>& cities) {
  auto rows = transaction.query(kReleasesOfYear, {std::int64_t{year}});
  if (!rows) return rows.take_error();
  std::vector<internal::StoredRelease> history;
  for (const auto& row : *rows) {
    auto release = read_release(row);
    if (!release) return release.take_error();
    history.push_back(std::move(*release));
  }
  IK_TRY(reconstruct_unrecorded(transaction, year, cities, history));
  std::sort(history.begin(), history.end(), [](const auto& a, const auto& b) {
    return std::pair(a.version_id, a.generation) < std::pair(b.version_id, b.generation);
  });
  return history;
}

// What a planned publication rests on: every release it was planned against.
std::vector<std::pair<std::int64_t, int>> generations_in(
    const std::vector<internal::StoredRelease>& history) {
  std::vector<std::pair<std::int64_t, int>> generations;
  for (const auto& release : history) generations.emplace_back(release.version_id, release.generation);
  return generations;
}

// The newest release of a version, or nullptr.
const internal::StoredRelease* current_release(const std::vector<internal::StoredRelease>& history,
                                               std::int64_t version_id) {
  const internal::StoredRelease* current = nullptr;
  for (const auto& release : history)
    if (release.version_id == version_id) current = &release;
  return current;
}

// Whether `release` is what the table of `input` would show again: same structure and names,
// the same counts behind every cell, planned under the same minimum.
bool still_current(const Release& release, const TableInput& input,
                   const disclosure::DisclosureRules& rules) {
  if (release.table.minimum_count != rules.minimum_count) return false;
  const auto counts = counts_behind(release.table, input);
  return counts && *counts == release.counts;
}

ExposedFigure exposed_figure(const PublishedTable& table, const ExposedCell& cell) {
  const PublishedCity& city = table.cities[cell.city];
  const CategorySpec& category = table.categories[cell.category];
  return ExposedFigure{table.indicator_code, table.name_de,      table.name_en,
                       table.year,           city.region,        city.region ? "" : city.name,
                       category.name_de,     category.name_en,   std::string(trait_name(cell.trait)),
                       cell.low,             cell.high};
}

std::size_t withheld_cells(const PublishedTable& table) {
  std::size_t count = 0;
  for (const PublishedCell& cell : table.cells)
    for (const PublishedCount& figure : cell.counts) count += figure.value ? 0 : 1;
  return count;
}

std::size_t corrected_cells(const PublishedTable& table) {
  std::size_t count = 0;
  for (const PublishedCell& cell : table.cells)
    for (const PublishedCount& figure : cell.counts) count += figure.corrected ? 1 : 0;
  return count;
}

Status insert_release(storage::Transaction& transaction, int year,
                      const internal::StoredRelease& release, const std::string& occasion,
                      const storage::Value& city, const std::string& actor_name,
                      std::int64_t now) {
  const PublishedTable& table = release.release.table;
  IK_TRY(transaction.execute(
      kInsertRelease, {release.version_id, std::int64_t{year}, std::int64_t{release.generation},
                       to_json(table, true), counts_json(release.release.counts),
                       plan_summary(table), now, actor_name, occasion, city}));
  return {};
}

}  // namespace

namespace internal {

Result<PublicationInputs> read_publication_inputs(storage::Transaction& transaction, int year,
                                                  const std::vector<cooperation::City>& cities,
                                                  const PendingStatus& pending) {
  auto versions = read_versions(transaction, year, cities, pending);
  if (!versions) return versions.take_error();
  auto history = read_history(transaction, year, cities);
  if (!history) return history.take_error();
  return PublicationInputs{std::move(*versions), std::move(*history)};
}

Result<PlannedPublication> build_tables(PublicationInputs inputs,
                                        const disclosure::DisclosureRules& rules,
                                        const PlanningSeams& seams) {
  PlannedPublication planned;
  planned.resting_on = generations_in(inputs.history);
  std::vector<Release> releases;  // the history, then the new releases as they are planned
  for (auto& stored : inputs.history) {
    releases.push_back(stored.release);
    if (!stored.recorded) planned.to_record.push_back(stored);
  }
  const std::size_t first_new = releases.size();
  const auto needs_plan = [&](const VersionInput& version) {
    const StoredRelease* current = current_release(inputs.history, version.version_id);
    return version.input && (!current || !still_current(current->release, *version.input, rules));
  };
  auto to_plan = std::count_if(inputs.versions.begin(), inputs.versions.end(), needs_plan);
  const auto deadline = std::chrono::steady_clock::now() + kPublicationBudget;
  for (const VersionInput& version : inputs.versions) {
    PlannedTable entry{version.version_id, TableChange::keep, std::nullopt};
    if (!version.input) {
      entry.change = TableChange::remove;
    } else if (needs_plan(version)) {
      if (seams.observer) seams.observer(version.input->indicator.code);
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      const disclosure::PlanOptions options{
          disclosure::PlanMode::automatic,
          std::max(left / to_plan--, std::chrono::milliseconds(1))};
      auto release = plan_release(*version.input, releases, rules, options);
      if (!release) return release.take_error();
      if (seams.alter) seams.alter(*release);
      if (release->table.cells.empty()) {
        entry.change = TableChange::remove;  // every city with data was left out
      } else {
        entry.change = TableChange::release;
        releases.push_back(*release);
        entry.release = std::move(*release);
      }
    }
    planned.tables.push_back(std::move(entry));
  }
  if (releases.size() > first_new) {
    auto exposed = audit_releases(releases, first_new, rules);
    if (!exposed) return exposed.take_error();
    for (const ExposedCell& cell : *exposed)
      planned.exposed.push_back(exposed_figure(releases[cell.release].table, cell));
  }
  planned.inputs = std::move(inputs.versions);
  return planned;
}

Result<bool> store_published(storage::Transaction& transaction, int year,
                             const std::vector<cooperation::City>& cities,
                             const PendingStatus& pending, const PlannedPublication& planned,
                             const std::string& actor_name, std::int64_t now) {
  // Re-reading the inputs is a few indexed queries; comparing them whole (not a hash or a
  // counter) also catches changes to the catalogue, the breakdowns and other reports. The
  // releases are compared by their generations: they are never changed.
  auto current = read_versions(transaction, year, cities, pending);
  if (!current) return current.take_error();
  if (*current != planned.inputs) return false;
  auto generations = generations_of(transaction, year);
  if (!generations) return generations.take_error();
  std::vector<std::pair<std::int64_t, int>> recorded = planned.resting_on;
  for (const auto& release : planned.to_record)
    std::erase(recorded, std::pair(release.version_id, release.generation));
  if (*generations != recorded) return false;

  for (const StoredRelease& release : planned.to_record)
    IK_TRY(insert_release(transaction, year, release, "recorded", storage::Null{}, actor_name,
                          now));
  const storage::Value city = pending.city_id ? storage::Value{pending.city_id} : storage::Null{};
  for (const PlannedTable& entry : planned.tables) {
    if (entry.change == TableChange::remove) {
      IK_TRY(transaction.execute(kDeleteTable, {entry.version_id, std::int64_t{year}}));
      continue;
    }
    if (entry.change == TableChange::keep) continue;
    int generation = 1;
    for (const auto& [version, existing] : planned.resting_on)
      if (version == entry.version_id) generation = std::max(generation, existing + 1);
    const StoredRelease release{entry.version_id, generation, true, *entry.release};
    IK_TRY(insert_release(transaction, year, release, pending.occasion, city, actor_name, now));
    const PublishedTable& table = entry.release->table;
    IK_TRY(transaction.execute(kUpsertTable, {entry.version_id, std::int64_t{year},
                                              to_json(table, true), plan_summary(table),
                                              std::int64_t{generation}, now, actor_name}));
  }
  IK_TRY(remove_stale(transaction, year, planned.inputs));
  return true;
}

}  // namespace internal

Result<PublishedRecord> Monitoring::published_table(std::string_view indicator_code,
                                                    int year) const {
  std::optional<PublishedRecord> record;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto row =
        transaction.query_one(kPublishedTable, {std::string(indicator_code), std::int64_t{year}});
    if (!row) return row.take_error();
    record.reset();
    if (*row) record = read_record(**row);
    return {};
  });
  if (!status) return status.take_error();
  if (!record)
    return Error::not_found("published " + std::string(indicator_code) + " " +
                            std::to_string(year));
  return std::move(*record);
}

Result<std::vector<int>> Monitoring::published_years(std::string_view indicator_code) const {
  std::vector<int> years;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto rows = transaction.query(kPublishedYears, {std::string(indicator_code)});
    if (!rows) return rows.take_error();
    years.clear();
    for (const auto& row : *rows) years.push_back(static_cast<int>(row.integer(0)));
    return {};
  });
  if (!status) return status.take_error();
  return years;
}

Result<std::vector<ReleaseSummary>> Monitoring::releases(const auth::Principal& principal,
                                                         std::string_view indicator_code,
                                                         int year) const {
  if (!internal::is_office(principal)) return Error::forbidden();
  std::vector<ReleaseSummary> summaries;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto rows =
        transaction.query(kReleaseSummaries, {std::string(indicator_code), std::int64_t{year}});
    if (!rows) return rows.take_error();
    summaries.clear();
    for (const auto& row : *rows) {
      auto table = from_json(row.text(5));
      if (!table) return Error::internal("published_release: table");
      summaries.push_back({static_cast<int>(row.integer(0)), row.integer(1), row.text(2),
                           row.text(3), row.is_null(4) ? std::string() : row.text(4),
                           table->persons_hidden, withheld_cells(*table), corrected_cells(*table)});
    }
    return {};
  });
  if (!status) return status.take_error();
  return summaries;
}

}  // namespace ik::monitoring
