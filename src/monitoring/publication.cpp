// Publication: the year's published reports become one suppressed table per indicator through
// the figures module (and with it the disclosure step). Public pages read only these tables.
#include <algorithm>
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
  VALUES ($1, $2, $3, $4, 1, $5, $6)
  ON CONFLICT (indicator_version_id, year) DO UPDATE SET
    table_json = excluded.table_json, plan_summary = excluded.plan_summary,
    generation = published_table.generation + 1, published_at = excluded.published_at,
    published_by = excluded.published_by)sql";
constexpr std::string_view kDeleteTable =
    "DELETE FROM published_table WHERE indicator_version_id = $1 AND year = $2";
constexpr std::string_view kTablesOfYear =
    "SELECT indicator_version_id FROM published_table WHERE year = $1";
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
                                                internal::PendingStatus pending) {
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

}  // namespace

namespace internal {

Result<std::vector<VersionInput>> read_publication_inputs(
    storage::Transaction& transaction, int year, const std::vector<cooperation::City>& cities,
    PendingStatus pending) {
  auto catalogue = load_catalogue(transaction);
  if (!catalogue) return catalogue.take_error();
  const auto in_year = cities_in(cities, year);
  std::vector<VersionInput> inputs;
  for (const auto* version : catalogue->for_year(year)) {
    const auto* breakdown = catalogue->breakdown(version->breakdown_id);
    if (!breakdown)
      return Error::internal("breakdown missing for indicator version " +
                             std::to_string(version->id));
    auto input = version_input(transaction, *version, *breakdown, year, in_year, pending);
    if (!input) return input.take_error();
    inputs.push_back(VersionInput{version->id, std::move(*input)});
  }
  return inputs;
}

Result<PlannedPublication> build_tables(std::vector<VersionInput> inputs,
                                        const disclosure::DisclosureRules& rules,
                                        const std::function<void(std::string_view)>& observer) {
  PlannedPublication planned;
  for (const VersionInput& version : inputs) {
    PlannedTable entry{version.version_id, std::nullopt};
    if (version.input) {
      if (observer) observer(version.input->indicator.code);
      auto table = build_published_table(*version.input, rules);
      if (!table) return table.take_error();
      entry.table = std::move(*table);
    }
    planned.tables.push_back(std::move(entry));
  }
  planned.inputs = std::move(inputs);
  return planned;
}

Result<bool> store_published(storage::Transaction& transaction, int year,
                             const std::vector<cooperation::City>& cities, PendingStatus pending,
                             const PlannedPublication& planned, const std::string& actor_name,
                             std::int64_t now) {
  // Re-reading the inputs is a few indexed queries; comparing them whole (not a hash or a
  // counter) also catches changes to the catalogue, the breakdowns and other reports.
  auto current = read_publication_inputs(transaction, year, cities, pending);
  if (!current) return current.take_error();
  if (*current != planned.inputs) return false;
  for (const PlannedTable& entry : planned.tables) {
    if (!entry.table) {
      IK_TRY(transaction.execute(kDeleteTable, {entry.version_id, std::int64_t{year}}));
      continue;
    }
    IK_TRY(transaction.execute(kUpsertTable,
                               {entry.version_id, std::int64_t{year}, to_json(*entry.table, true),
                                plan_summary(*entry.table), now, actor_name}));
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

}  // namespace ik::monitoring
