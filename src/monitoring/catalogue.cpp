// The indicator catalogue: definitions, breakdowns, indicator versions and validation rules.
#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "audit/audit.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "monitoring/internal.hpp"

namespace ik::monitoring {
namespace {

constexpr std::string_view kDefinitions = R"sql(
  SELECT id, code, name_de, name_en, description_de, description_en, cutoff_date, parent_rule,
         citizenship_rule, is_immigration_history
  FROM immigration_definition ORDER BY id)sql";
constexpr std::string_view kBreakdowns =
    "SELECT id, code, name_de, name_en FROM breakdown ORDER BY id";
constexpr std::string_view kCategories = R"sql(
  SELECT id, breakdown_id, parent_id, code, name_de, name_en
  FROM breakdown_category ORDER BY breakdown_id, position, id)sql";
constexpr std::string_view kVersions = R"sql(
  SELECT v.id, v.indicator_id, i.code, v.version, i.position, v.name_de, v.name_en, v.unit,
         v.definition_de, v.definition_en, v.immigration_definition_id, v.population,
         v.breakdown_id, v.has_denominator, v.display_precision, v.valid_from, v.valid_to,
         v.total_group
  FROM indicator_version v JOIN indicator i ON i.id = v.indicator_id
  ORDER BY i.position, i.id, v.version)sql";
constexpr std::string_view kRules =
    "SELECT id, kind, severity, threshold, active, minimum_change FROM validation_rule ORDER BY id";
constexpr std::string_view kDefinitionByCode =
    "SELECT id FROM immigration_definition WHERE code = $1";
constexpr std::string_view kBreakdownByCode = "SELECT id FROM breakdown WHERE code = $1";
constexpr std::string_view kIndicatorByCode = "SELECT id FROM indicator WHERE code = $1";
constexpr std::string_view kNextPosition = "SELECT COALESCE(MAX(position), 0) + 1 FROM indicator";
constexpr std::string_view kInsertIndicator =
    "INSERT INTO indicator (code, position) VALUES ($1, $2) RETURNING id";
constexpr std::string_view kLatestVersion = R"sql(
  SELECT id, version, name_de, name_en, unit, definition_de, definition_en,
         immigration_definition_id, population, breakdown_id, has_denominator, display_precision,
         valid_from, valid_to, total_group
  FROM indicator_version WHERE indicator_id = $1 ORDER BY version DESC LIMIT 1)sql";
constexpr std::string_view kInsertVersion = R"sql(
  INSERT INTO indicator_version (indicator_id, version, name_de, name_en, unit, definition_de,
      definition_en, immigration_definition_id, population, breakdown_id, has_denominator,
      display_precision, valid_from, valid_to, created_at, total_group)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id)sql";
constexpr std::string_view kRuleById =
    "SELECT id, kind, severity, threshold, active, minimum_change FROM validation_rule WHERE id = $1";
constexpr std::string_view kUpdateRule =
    "UPDATE validation_rule SET severity = $2, threshold = $3, active = $4, minimum_change = $5 WHERE id = $1";
// The limits the office may set: a percentage, and a number of persons.
constexpr int kMaxThreshold = 1000;
constexpr int kMaxMinimumChange = 100000;

constexpr std::array<std::string_view, 3> kUnits{"count", "percent", "ratio"};
constexpr std::array<std::string_view, 6> kPopulations{
    "staff", "trainees", "applicants", "new_hires", "training_participants", "residents"};
constexpr std::array<std::string_view, 5> kRuleKinds{"part_not_above_total", "breakdown_sum",
                                                     "percent_range", "non_negative",
                                                     "year_on_year_change"};

template <class Enum, std::size_t N>
std::optional<Enum> parse_enum(const std::array<std::string_view, N>& names,
                               std::string_view name) {
  const auto found = std::find(names.begin(), names.end(), name);
  if (found == names.end()) return std::nullopt;
  return static_cast<Enum>(found - names.begin());
}

ParentRule parse_parent_rule(std::string_view name) {
  if (name == "both") return ParentRule::both;
  if (name == "at_least_one") return ParentRule::at_least_one;
  return ParentRule::none;
}

std::optional<int> optional_int(const storage::Row& row, std::size_t column) {
  const auto value = row.optional_integer(column);
  if (!value) return std::nullopt;
  return static_cast<int>(*value);
}

storage::Value optional_int_value(const std::optional<int>& value) {
  if (!value) return storage::Null{};
  return std::int64_t{*value};
}

ValidationRule read_rule(const storage::Row& row) {
  return ValidationRule{
      .id = row.integer(0),
      .kind = parse_enum<RuleKind>(kRuleKinds, row.text(1)).value_or(RuleKind::non_negative),
      .severity = row.text(2) == "warning" ? Severity::warning : Severity::error,
      .threshold = optional_int(row, 3),
      .minimum_change = optional_int(row, 5),
      .active = row.integer(4) != 0,
  };
}

IndicatorVersion read_version(const storage::Row& row) {
  return IndicatorVersion{
      .id = row.integer(0),
      .indicator_id = row.integer(1),
      .code = row.text(2),
      .version = static_cast<int>(row.integer(3)),
      .position = static_cast<int>(row.integer(4)),
      .name_de = row.text(5),
      .name_en = row.text(6),
      .unit = parse_unit(row.text(7)).value_or(Unit::count),
      .definition_de = row.text(8),
      .definition_en = row.text(9),
      .immigration_definition_id = row.integer(10),
      .population = parse_population(row.text(11)).value_or(Population::staff),
      .breakdown_id = row.integer(12),
      .has_denominator = row.integer(13) != 0,
      .precision = static_cast<int>(row.integer(14)),
      .valid_from = static_cast<int>(row.integer(15)),
      .valid_to = optional_int(row, 16),
      .total_group = row.is_null(17) ? std::string() : row.text(17),
  };
}

// Orders each breakdown's categories depth-first (parent before children, siblings by position)
// and sets their depth.
void order_depth_first(Breakdown& breakdown) {
  std::vector<Category> ordered;
  ordered.reserve(breakdown.categories.size());
  auto visit = [&](auto& self, std::optional<std::int64_t> parent, int depth) -> void {
    for (const auto& category : breakdown.categories) {
      if (category.parent_id != parent) continue;
      ordered.push_back(category);
      ordered.back().depth = depth;
      self(self, category.id, depth + 1);
    }
  };
  visit(visit, std::nullopt, 0);
  breakdown.categories = std::move(ordered);
}

Status check_text(std::string_view value, std::string_view field, std::size_t max_code_points) {
  if (!text::is_valid_utf8(value)) return Error::invalid(std::string(field), "form.invalid_choice");
  if (text::trim(value).empty()) return Error::invalid(std::string(field), "form.required");
  if (text::code_points(value) > max_code_points)
    return Error::invalid(std::string(field), "form.too_long");
  return {};
}

bool is_valid_code(std::string_view code) {
  return !code.empty() && code.size() <= 40 && code.front() >= 'a' && code.front() <= 'z' &&
         std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

Status check_draft(std::string_view code, const IndicatorDraft& draft) {
  if (!is_valid_code(code)) return Error::invalid("code", "indicator.code_invalid");
  IK_TRY(check_text(draft.name_de, "name_de", 200));
  IK_TRY(check_text(draft.name_en, "name_en", 200));
  IK_TRY(check_text(draft.definition_de, "definition_de", 4000));
  IK_TRY(check_text(draft.definition_en, "definition_en", 4000));
  if (draft.precision < 0 || draft.precision > 4)
    return Error::invalid("precision", "indicator.precision_range");
  if (draft.valid_from < kEarliestYear || draft.valid_from > kLatestYear) {
    return Error::invalid("valid_from", "indicator.year_range");
  }
  if (draft.valid_to &&
      (*draft.valid_to < draft.valid_from || *draft.valid_to > kLatestYear)) {
    return Error::invalid("valid_to", "indicator.valid_to_before_from");
  }
  return {};
}

nlohmann::json draft_json(const IndicatorDraft& draft) {
  return {{"name_de", draft.name_de},
          {"name_en", draft.name_en},
          {"unit", unit_name(draft.unit)},
          {"definition_de", draft.definition_de},
          {"definition_en", draft.definition_en},
          {"immigration_definition", draft.immigration_definition},
          {"population", population_name(draft.population)},
          {"breakdown", draft.breakdown},
          {"has_denominator", draft.has_denominator},
          {"precision", draft.precision},
          {"valid_from", draft.valid_from},
          {"valid_to", draft.valid_to ? nlohmann::json(*draft.valid_to) : nlohmann::json()}};
}

// Whether the stored latest version (kLatestVersion row) says the same as the draft.
bool same_as(const storage::Row& row, const IndicatorDraft& draft, std::int64_t definition_id,
             std::int64_t breakdown_id) {
  return row.text(2) == draft.name_de && row.text(3) == draft.name_en &&
         row.text(4) == unit_name(draft.unit) && row.text(5) == draft.definition_de &&
         row.text(6) == draft.definition_en && row.integer(7) == definition_id &&
         row.text(8) == population_name(draft.population) && row.integer(9) == breakdown_id &&
         (row.integer(10) != 0) == draft.has_denominator && row.integer(11) == draft.precision &&
         row.integer(12) == draft.valid_from && optional_int(row, 13) == draft.valid_to;
}

Result<std::int64_t> id_by_code(storage::Transaction& transaction, std::string_view sql,
                                std::string_view code, std::string_view field,
                                std::string_view key) {
  auto row = transaction.query_one(sql, {std::string(code)});
  if (!row) return row.take_error();
  if (!*row) return Error::invalid(std::string(field), std::string(key));
  return (*row)->integer(0);
}

}  // namespace

std::string_view unit_name(Unit unit) { return kUnits.at(static_cast<std::size_t>(unit)); }
std::optional<Unit> parse_unit(std::string_view name) { return parse_enum<Unit>(kUnits, name); }
std::string_view population_name(Population population) {
  return kPopulations.at(static_cast<std::size_t>(population));
}
std::optional<Population> parse_population(std::string_view name) {
  return parse_enum<Population>(kPopulations, name);
}
std::string_view rule_kind_name(RuleKind kind) {
  return kRuleKinds.at(static_cast<std::size_t>(kind));
}
std::string_view severity_name(Severity severity) {
  return severity == Severity::error ? "error" : "warning";
}

const Category* Breakdown::find(std::string_view category_code) const {
  const auto found =
      std::find_if(categories.begin(), categories.end(),
                   [&](const Category& category) { return category.code == category_code; });
  return found == categories.end() ? nullptr : &*found;
}

namespace internal {

bool is_office(const auth::Principal& principal) { return principal.sees_all_cities(); }

bool may_read(const auth::Principal& principal, CityId city) {
  if (is_office(principal)) return true;
  return std::any_of(principal.grants.begin(), principal.grants.end(),
                     [city](const auth::RoleGrant& grant) { return grant.city == city; });
}

Status check_year(int year) {
  if (year < kEarliestYear || year > kLatestYear) return Error::invalid("year", "monitoring.year_range");
  return {};
}

Status check_not_future(int year, std::int64_t now) {
  if (year > utc_year(now)) return Error::invalid("year", "monitoring.year_in_future");
  return {};
}

AuditActor actor_of(const auth::Principal& principal, std::string_view request_id) {
  return AuditActor{principal.user_id, principal.username, std::string(request_id)};
}

storage::Value user_value(const AuditActor& actor) {
  if (!actor.user_id) return storage::Null{};
  return *actor.user_id;
}

const Breakdown* Catalogue::breakdown(std::int64_t id) const {
  const auto found = std::find_if(breakdowns.begin(), breakdowns.end(),
                                  [id](const Breakdown& breakdown) { return breakdown.id == id; });
  return found == breakdowns.end() ? nullptr : &*found;
}

const IndicatorVersion* Catalogue::version_for_year(std::string_view code, int year) const {
  const auto found = range_of_code.find(code);
  if (found == range_of_code.end()) return nullptr;
  const IndicatorVersion* chosen = nullptr;
  for (auto index = found->second.first; index < found->second.second; ++index) {
    if (versions[index].valid_in(year)) chosen = &versions[index];  // ordered by version
  }
  return chosen;
}

const IndicatorVersion* Catalogue::version(std::int64_t id) const {
  const auto found =
      std::find_if(versions.begin(), versions.end(),
                   [id](const IndicatorVersion& version) { return version.id == id; });
  return found == versions.end() ? nullptr : &*found;
}

std::vector<const IndicatorVersion*> Catalogue::for_year(int year) const {
  std::vector<const IndicatorVersion*> chosen;
  for (const auto& version : versions) {
    const auto* valid = version_for_year(version.code, year);
    if (valid == &version) chosen.push_back(valid);
  }
  return chosen;
}

Result<Catalogue> load_catalogue(storage::Transaction& transaction) {
  Catalogue catalogue;
  auto breakdowns = transaction.query(kBreakdowns);
  if (!breakdowns) return breakdowns.take_error();
  for (const auto& row : *breakdowns) {
    catalogue.breakdowns.push_back(
        Breakdown{row.integer(0), row.text(1), row.text(2), row.text(3), {}});
  }
  auto categories = transaction.query(kCategories);
  if (!categories) return categories.take_error();
  for (const auto& row : *categories) {
    for (auto& breakdown : catalogue.breakdowns) {
      if (breakdown.id != row.integer(1)) continue;
      breakdown.categories.push_back(Category{row.integer(0), row.text(3), row.optional_integer(2),
                                              row.text(4), row.text(5), 0});
    }
  }
  for (auto& breakdown : catalogue.breakdowns) order_depth_first(breakdown);
  auto versions = transaction.query(kVersions);
  if (!versions) return versions.take_error();
  for (const auto& row : *versions) {
    auto version = read_version(row);
    const auto index = catalogue.versions.size();
    auto [range, inserted] = catalogue.range_of_code.try_emplace(version.code, index, index + 1);
    if (!inserted) range->second.second = index + 1;
    catalogue.versions.push_back(std::move(version));
  }
  return catalogue;
}

Result<std::vector<ValidationRule>> load_rules(storage::Transaction& transaction) {
  auto rows = transaction.query(kRules);
  if (!rows) return rows.take_error();
  std::vector<ValidationRule> rules;
  for (const auto& row : *rows) rules.push_back(read_rule(row));
  return rules;
}

}  // namespace internal

Monitoring::Monitoring(storage::Storage& storage, const Clock& clock,
                       const cooperation::Cooperation& cooperation,
                       disclosure::DisclosureRules rules)
    : storage_(storage), clock_(clock), cooperation_(cooperation), rules_(rules) {}

Result<std::vector<ImmigrationDefinition>> Monitoring::definitions() const {
  std::vector<ImmigrationDefinition> definitions;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto rows = transaction.query(kDefinitions);
    if (!rows) return rows.take_error();
    definitions.clear();
    for (const auto& row : *rows) {
      definitions.push_back(ImmigrationDefinition{
          .id = row.integer(0),
          .code = row.text(1),
          .name_de = row.text(2),
          .name_en = row.text(3),
          .description_de = row.text(4),
          .description_en = row.text(5),
          .cutoff_date = row.text(6),
          .parent_rule = parse_parent_rule(row.text(7)),
          .citizenship_rule = row.text(8),
          .is_immigration_history = row.integer(9) != 0,
      });
    }
    return {};
  });
  if (!status) return status.take_error();
  return definitions;
}

namespace {

Result<internal::Catalogue> read_catalogue(storage::Storage& storage) {
  std::optional<internal::Catalogue> catalogue;
  auto status = storage.read([&](storage::Transaction& transaction) -> Status {
    auto loaded = internal::load_catalogue(transaction);
    if (!loaded) return loaded.take_error();
    catalogue = std::move(*loaded);
    return {};
  });
  if (!status) return status.take_error();
  return std::move(*catalogue);
}

}  // namespace

Result<std::vector<Breakdown>> Monitoring::breakdowns() const {
  auto catalogue = read_catalogue(storage_);
  if (!catalogue) return catalogue.take_error();
  return std::move(catalogue->breakdowns);
}

Result<Breakdown> Monitoring::breakdown(std::int64_t id) const {
  auto catalogue = read_catalogue(storage_);
  if (!catalogue) return catalogue.take_error();
  const auto* found = catalogue->breakdown(id);
  if (!found) return Error::not_found("breakdown " + std::to_string(id));
  return *found;
}

Result<std::vector<IndicatorVersion>> Monitoring::indicators() const {
  auto catalogue = read_catalogue(storage_);
  if (!catalogue) return catalogue.take_error();
  std::vector<IndicatorVersion> latest;
  for (const auto& version : catalogue->versions) {
    if (!latest.empty() && latest.back().indicator_id == version.indicator_id) {
      latest.back() = version;  // ordered by version within an indicator
    } else {
      latest.push_back(version);
    }
  }
  return latest;
}

Result<std::vector<IndicatorVersion>> Monitoring::indicator_versions(std::string_view code) const {
  auto catalogue = read_catalogue(storage_);
  if (!catalogue) return catalogue.take_error();
  std::vector<IndicatorVersion> versions;
  for (const auto& version : catalogue->versions) {
    if (version.code == code) versions.push_back(version);
  }
  if (versions.empty()) return Error::not_found("indicator " + std::string(code));
  return versions;
}

Result<std::vector<IndicatorVersion>> Monitoring::indicator_versions() const {
  auto catalogue = read_catalogue(storage_);
  if (!catalogue) return catalogue.take_error();
  return std::move(catalogue->versions);
}

Result<IndicatorVersion> Monitoring::indicator_for_year(std::string_view code, int year) const {
  auto catalogue = read_catalogue(storage_);
  if (!catalogue) return catalogue.take_error();
  const auto* version = catalogue->version_for_year(code, year);
  if (!version)
    return Error::not_found("indicator " + std::string(code) + " in " + std::to_string(year));
  return *version;
}

Result<std::vector<ValidationRule>> Monitoring::rules() const {
  std::vector<ValidationRule> rules;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto loaded = internal::load_rules(transaction);
    if (!loaded) return loaded.take_error();
    rules = std::move(*loaded);
    return {};
  });
  if (!status) return status.take_error();
  return rules;
}

Result<std::int64_t> Monitoring::save_indicator(const auth::Principal& principal,
                                                std::string_view code, const IndicatorDraft& draft,
                                                std::string_view request_id) {
  if (!internal::is_office(principal)) return Error::forbidden();
  IK_TRY(check_draft(code, draft));
  const auto actor = internal::actor_of(principal, request_id);
  const auto now = clock_.now();
  std::int64_t version_id = 0;
  auto status = storage_.write([&](storage::Transaction& transaction) -> Status {
    auto definition_id = id_by_code(transaction, kDefinitionByCode, draft.immigration_definition,
                                    "immigration_definition", "indicator.definition_unknown");
    if (!definition_id) return definition_id.take_error();
    auto breakdown_id = id_by_code(transaction, kBreakdownByCode, draft.breakdown, "breakdown",
                                   "indicator.breakdown_unknown");
    if (!breakdown_id) return breakdown_id.take_error();
    auto existing = transaction.query_one(kIndicatorByCode, {std::string(code)});
    if (!existing) return existing.take_error();
    std::int64_t indicator_id = 0;
    std::int64_t next_version = 1;
    storage::Value total_group = storage::Null{};  // a new version keeps the table it shares a total with
    std::string before;
    if (*existing) {
      indicator_id = (*existing)->integer(0);
      auto latest = transaction.query_one(kLatestVersion, {indicator_id});
      if (!latest) return latest.take_error();
      if (*latest && same_as(**latest, draft, *definition_id, *breakdown_id)) {
        version_id = (*latest)->integer(0);
        return {};
      }
      if (*latest) {
        next_version = (*latest)->integer(1) + 1;
        if (!(*latest)->is_null(14)) total_group = (*latest)->text(14);
      }
    } else {
      auto position = transaction.query_one(kNextPosition);
      if (!position) return position.take_error();
      auto inserted =
          transaction.query_one(kInsertIndicator, {std::string(code), (*position)->integer(0)});
      if (!inserted) return inserted.take_error();
      indicator_id = (*inserted)->integer(0);
    }
    auto inserted = transaction.query_one(
        kInsertVersion,
        {indicator_id, next_version, draft.name_de, draft.name_en,
         std::string(unit_name(draft.unit)), draft.definition_de, draft.definition_en,
         *definition_id, std::string(population_name(draft.population)), *breakdown_id,
         std::int64_t{draft.has_denominator ? 1 : 0}, std::int64_t{draft.precision},
         std::int64_t{draft.valid_from}, optional_int_value(draft.valid_to), now, total_group});
    if (!inserted) return inserted.take_error();
    version_id = (*inserted)->integer(0);
    auto after = draft_json(draft);
    after["version"] = next_version;
    return audit::record(transaction, audit::Entry{.at = now,
                                                   .actor_user_id = actor.user_id,
                                                   .actor_name = actor.name,
                                                   .action = "indicator.version_create",
                                                   .entity = "indicator",
                                                   .entity_id = std::string(code),
                                                   .after_json = after.dump(),
                                                   .request_id = actor.request_id});
  });
  if (!status) return status.take_error();
  return version_id;
}

Status Monitoring::update_rule(const auth::Principal& principal, const ValidationRule& rule,
                               std::string_view request_id) {
  if (!internal::is_office(principal)) return Error::forbidden();
  if (rule.threshold && (*rule.threshold < 1 || *rule.threshold > kMaxThreshold)) {
    return Error::invalid("threshold", "monitoring.rule_threshold");
  }
  if (rule.minimum_change && (*rule.minimum_change < 0 || *rule.minimum_change > kMaxMinimumChange)) {
    return Error::invalid("minimum_change", "monitoring.rule_minimum_change");
  }
  const auto actor = internal::actor_of(principal, request_id);
  const auto now = clock_.now();
  return storage_.write([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(kRuleById, {rule.id});
    if (!row) return row.take_error();
    if (!*row) return Error::not_found("rule " + std::to_string(rule.id));
    const auto before = read_rule(**row);
    if (before.kind == RuleKind::year_on_year_change && !rule.threshold) {
      return Error::invalid("threshold", "monitoring.rule_threshold");
    }
    if (before.kind == RuleKind::year_on_year_change && !rule.minimum_change) {
      return Error::invalid("minimum_change", "monitoring.rule_minimum_change");
    }
    IK_TRY(transaction.execute(
        kUpdateRule, {rule.id, std::string(severity_name(rule.severity)),
                      optional_int_value(rule.threshold), std::int64_t{rule.active ? 1 : 0},
                      optional_int_value(rule.minimum_change)}));
    const auto optional_json = [](const std::optional<int>& value) {
      return value ? nlohmann::json(*value) : nlohmann::json();
    };
    auto json = [&](const ValidationRule& value) {
      return nlohmann::json{{"kind", rule_kind_name(value.kind)},
                            {"severity", severity_name(value.severity)},
                            {"threshold", optional_json(value.threshold)},
                            {"minimum_change", optional_json(value.minimum_change)},
                            {"active", value.active}}
          .dump();
    };
    auto after = rule;
    after.kind = before.kind;
    return audit::record(transaction, audit::Entry{.at = now,
                                                   .actor_user_id = actor.user_id,
                                                   .actor_name = actor.name,
                                                   .action = "monitoring.rule_update",
                                                   .entity = "validation_rule",
                                                   .entity_id = std::to_string(rule.id),
                                                   .before_json = json(before),
                                                   .after_json = json(after),
                                                   .request_id = actor.request_id});
  });
}

}  // namespace ik::monitoring
