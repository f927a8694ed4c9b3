// Targets per city and indicator, and the published reference figures.
#include <charconv>
#include <nlohmann/json.hpp>
#include <regex>

#include "audit/audit.hpp"
#include "core/clock.hpp"
#include "monitoring/internal.hpp"

namespace ik::monitoring {
namespace {

constexpr std::string_view kTargets = R"sql(
  SELECT t.id, t.city_id, i.code, t.category_code, t.target_value, t.target_year, t.baseline_year
  FROM target t JOIN indicator i ON i.id = t.indicator_id
  WHERE (CAST($1 AS BIGINT) = 0 OR t.city_id = CAST($1 AS BIGINT))
  ORDER BY t.city_id, i.position, t.category_code, t.target_year)sql";
constexpr std::string_view kTargetById = "SELECT city_id FROM target WHERE id = $1";
constexpr std::string_view kUpsertTarget = R"sql(
  INSERT INTO target (city_id, indicator_id, category_code, target_value, target_year, baseline_year, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (city_id, indicator_id, category_code, target_year) DO UPDATE SET
    target_value = excluded.target_value, baseline_year = excluded.baseline_year, updated_at = excluded.updated_at
  RETURNING id)sql";
constexpr std::string_view kDeleteTarget = "DELETE FROM target WHERE id = $1";
constexpr std::string_view kFigures = R"sql(
  SELECT id, city_id, city_label, code, figure_value, unit, definition, reference_date, source_url, note
  FROM reference_figure WHERE (CAST($1 AS BIGINT) = 0 OR city_id = CAST($1 AS BIGINT)) ORDER BY position)sql";

bool may_set_targets(const auth::Principal& principal, CityId city) {
  return internal::is_office(principal) || principal.has_for_city(auth::Role::city_approval, city);
}

// A plain published number ("503707", "34.3"); text such as ">45" or "almost 50" is not one.
std::optional<double> plain_number(const std::string& text) {
  static const std::regex number(R"(\d+(\.\d+)?)");
  if (!std::regex_match(text, number)) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Status check_target(const TargetDraft& draft, const internal::Catalogue& catalogue) {
  static const std::regex decimal(R"(\d{1,6}(,\d{1,4})?)");
  const IndicatorVersion* latest = nullptr;
  for (const auto& version : catalogue.versions) {
    if (version.code == draft.indicator_code) latest = &version;
  }
  if (!latest) return Error::invalid("indicator", "monitoring.target_indicator");
  const auto* breakdown = catalogue.breakdown(latest->breakdown_id);
  if (!draft.category_code.empty() && (!breakdown || !breakdown->find(draft.category_code))) {
    return Error::invalid("category", "monitoring.target_category");
  }
  if (!std::regex_match(draft.value, decimal))
    return Error::invalid("value", "monitoring.target_value");
  if (draft.target_year < kEarliestYear || draft.target_year > kLatestYear) {
    return Error::invalid("target_year", "monitoring.year_range");
  }
  if (draft.baseline_year &&
      (*draft.baseline_year < kEarliestYear || *draft.baseline_year >= draft.target_year)) {
    return Error::invalid("baseline_year", "monitoring.target_baseline");
  }
  return {};
}

}  // namespace

Result<std::vector<Target>> Monitoring::targets(std::optional<CityId> city) const {
  std::vector<Target> targets;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto rows = transaction.query(kTargets, {city.value_or(0)});
    if (!rows) return rows.take_error();
    targets.clear();
    for (const auto& row : *rows) {
      const auto baseline = row.optional_integer(6);
      targets.push_back(
          Target{row.integer(0), row.integer(1), row.text(2), row.text(3), row.text(4),
                 static_cast<int>(row.integer(5)),
                 baseline ? std::optional<int>(static_cast<int>(*baseline)) : std::nullopt});
    }
    return {};
  });
  if (!status) return status.take_error();
  return targets;
}

Result<std::int64_t> Monitoring::set_target(const auth::Principal& principal,
                                            const TargetDraft& draft, std::string_view request_id) {
  if (!may_set_targets(principal, draft.city_id)) return Error::forbidden();
  const auto actor = internal::actor_of(principal, request_id);
  const auto now = clock_.now();
  std::int64_t id = 0;
  auto status = storage_.write([&](storage::Transaction& transaction) -> Status {
    auto catalogue = internal::load_catalogue(transaction);
    if (!catalogue) return catalogue.take_error();
    IK_TRY(check_target(draft, *catalogue));
    const auto indicator = std::find_if(
        catalogue->versions.begin(), catalogue->versions.end(),
        [&](const IndicatorVersion& version) { return version.code == draft.indicator_code; });
    storage::Value baseline = storage::Null{};
    if (draft.baseline_year) baseline = std::int64_t{*draft.baseline_year};
    auto row = transaction.query_one(
        kUpsertTarget, {draft.city_id, indicator->indicator_id, draft.category_code, draft.value,
                        std::int64_t{draft.target_year}, baseline, now});
    if (!row) return row.take_error();
    id = (*row)->integer(0);
    return audit::record(
        transaction, audit::Entry{.at = now,
                                  .actor_user_id = actor.user_id,
                                  .actor_name = actor.name,
                                  .action = "monitoring.target_set",
                                  .entity = "target",
                                  .entity_id = std::to_string(id),
                                  .city_id = draft.city_id,
                                  .after_json = nlohmann::json{{"indicator", draft.indicator_code},
                                                               {"category", draft.category_code},
                                                               {"value", draft.value},
                                                               {"target_year", draft.target_year}}
                                                    .dump(),
                                  .request_id = actor.request_id});
  });
  if (!status) return status.take_error();
  return id;
}

Status Monitoring::delete_target(const auth::Principal& principal, std::int64_t id,
                                 std::string_view request_id) {
  const auto actor = internal::actor_of(principal, request_id);
  const auto now = clock_.now();
  return storage_.write([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(kTargetById, {id});
    if (!row) return row.take_error();
    if (!*row) return Error::not_found("target " + std::to_string(id));
    const auto city = (*row)->integer(0);
    if (!may_set_targets(principal, city)) return Error::forbidden();
    IK_TRY(transaction.execute(kDeleteTarget, {id}));
    return audit::record(transaction, audit::Entry{.at = now,
                                                   .actor_user_id = actor.user_id,
                                                   .actor_name = actor.name,
                                                   .action = "monitoring.target_delete",
                                                   .entity = "target",
                                                   .entity_id = std::to_string(id),
                                                   .city_id = city,
                                                   .request_id = actor.request_id});
  });
}

Result<std::vector<ReferenceFigure>> Monitoring::reference_figures(
    std::optional<CityId> city) const {
  std::vector<ReferenceFigure> figures;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto rows = transaction.query(kFigures, {city.value_or(0)});
    if (!rows) return rows.take_error();
    figures.clear();
    for (const auto& row : *rows) {
      figures.push_back(ReferenceFigure{row.integer(0), row.optional_integer(1), row.text(2),
                                        row.text(3), row.text(4), plain_number(row.text(4)),
                                        row.text(5), row.text(6), row.text(7), row.text(8),
                                        row.text(9)});
    }
    return {};
  });
  if (!status) return status.take_error();
  return figures;
}

}  // namespace ik::monitoring
