// The monitoring's standard set: definitions of immigration history (DOMAIN.md), breakdowns,
// the standard indicators, validation rules and the published reference figures. Loaded once;
// whatever the office has changed since stays as it is.
#include <array>
#include <string_view>

#include "audit/audit.hpp"
#include "core/clock.hpp"
#include "monitoring/internal.hpp"

namespace ik::monitoring {
namespace {

struct SeedDefinition {
  std::string_view code, name_de, name_en, description_de, description_en, cutoff, parent_rule,
      citizenship_rule;
  bool is_immigration_history;
};

constexpr std::array<SeedDefinition, 5> kDefinitions{{
    {"einwanderungsgeschichte_nrw", "Einwanderungsgeschichte (NRW)", "Immigration history (NRW)",
     "Nach dem Teilhabe- und Integrationsgesetz NRW (seit 1. Januar 2022): Personen ohne deutsche "
     "Staatsangehörigkeit; im Ausland geborene und nach dem 31. Dezember 1955 eingewanderte "
     "Personen; "
     "Personen mit mindestens einem Elternteil, das im Ausland geboren und nach diesem Datum "
     "eingewandert ist.",
     "Under the NRW participation and integration act (since 1 January 2022): persons without "
     "German "
     "citizenship; persons born abroad who immigrated after 31 December 1955; persons with at "
     "least one "
     "parent born abroad who immigrated after that date.",
     "1956-01-01", "at_least_one", "not_german", true},
    {"einwanderungsgeschichte", "Einwanderungsgeschichte (Bund)", "Immigration history (federal)",
     "Nach der amtlichen Statistik des Bundes (ab 2023 veröffentlicht): Personen, die seit 1950 "
     "eingewandert "
     "sind, oder deren beide Elternteile seit 1950 eingewandert sind.",
     "Federal statistics (published from 2023): persons who immigrated since 1950, or whose "
     "parents both did.",
     "1950-01-01", "both", "", true},
    {"migrationshintergrund_nrw", "Migrationshintergrund (NRW 2011–2021)",
     "Migration background (NRW 2011–2021)",
     "Nach dem Teilhabe- und Integrationsgesetz NRW in der Fassung von 2012 bis 2021: Personen "
     "ohne deutsche "
     "Staatsangehörigkeit; im Ausland geborene und seit dem 1. Januar 1950 eingewanderte Personen; "
     "Personen mit "
     "mindestens einem solchen Elternteil.",
     "Under the NRW act as in force 2012–2021: persons without German citizenship; persons born "
     "abroad who "
     "immigrated since 1 January 1950; persons with at least one such parent.",
     "1950-01-01", "at_least_one", "not_german", true},
    {"migrationshintergrund", "Migrationshintergrund (Bund, bis 2022)",
     "Migration background (federal, until 2022)",
     "Nach der amtlichen Statistik des Bundes bis 2022: Die Person selbst oder mindestens ein "
     "Elternteil "
     "besaß die deutsche Staatsangehörigkeit nicht durch Geburt.",
     "Federal statistics until 2022: the person or at least one parent did not have German "
     "citizenship at birth.",
     "", "at_least_one", "not_german_at_birth", true},
    {"foreign_nationals", "Ausländische Staatsangehörigkeit", "Foreign nationals",
     "Personen ohne deutsche Staatsangehörigkeit. Dies ist keine Definition der "
     "Einwanderungsgeschichte: "
     "Eingebürgerte und Deutsche mit eingewanderten Eltern zählen nicht mit. Manche Städte "
     "veröffentlichen "
     "nur diese Zahl.",
     "Persons without German citizenship. This is not a definition of immigration history: "
     "naturalised "
     "persons and Germans with immigrated parents are not counted. Some cities publish only this "
     "figure.",
     "", "none", "not_german", false},
}};

struct SeedCategory {
  std::string_view code, parent, name_de, name_en;
};

struct SeedBreakdown {
  std::string_view code, name_de, name_en;
  std::array<SeedCategory, 9> categories;  // unused slots have an empty code
};

constexpr std::array<SeedBreakdown, 6> kBreakdowns{{
    {"staff_structure",
     "Beschäftigtenstruktur",
     "Staff structure",
     {{{"total", "", "Insgesamt", "Total"},
       {"civil_servants", "total", "Beamt*innen", "Civil servants"},
       {"civil_servants_basic_middle", "civil_servants", "Einfacher/mittlerer Dienst",
        "Basic/middle service"},
       {"civil_servants_upper", "civil_servants", "Gehobener Dienst", "Upper service"},
       {"civil_servants_higher", "civil_servants", "Höherer Dienst", "Higher service"},
       {"employees", "total", "Tarifbeschäftigte", "Employees under collective agreement"},
       {"eg_1_8", "employees", "EG 1–8", "Pay groups 1–8"},
       {"eg_9_12", "employees", "EG 9–12", "Pay groups 9–12"},
       {"eg_13_plus", "employees", "EG 13–15 und höher", "Pay groups 13–15 and above"}}}},
    {"leadership",
     "Führungskräfte",
     "Leadership positions",
     {{{"total", "", "Führungskräfte insgesamt", "All leadership positions"},
       {"civil_servants", "total", "Beamt*innen", "Civil servants"},
       {"employees", "total", "Tarifbeschäftigte", "Employees under collective agreement"}}}},
    {"gender",
     "Geschlecht",
     "Gender",
     {{{"total", "", "Insgesamt", "Total"},
       {"female", "total", "Weiblich", "Female"},
       {"male", "total", "Männlich", "Male"},
       {"diverse_or_none", "total", "Divers/ohne Angabe", "Diverse/not stated"}}}},
    {"age_band",
     "Altersgruppe",
     "Age band",
     {{{"total", "", "18–64 Jahre insgesamt", "Aged 18–64, total"},
       {"age_18_29", "total", "18–29 Jahre", "18–29 years"},
       {"age_30_44", "total", "30–44 Jahre", "30–44 years"},
       {"age_45_54", "total", "45–54 Jahre", "45–54 years"},
       {"age_55_64", "total", "55–64 Jahre", "55–64 years"}}}},
    {"training_type",
     "Ausbildungsart",
     "Type of training",
     {{{"total", "", "Insgesamt", "Total"},
       {"trainees", "total", "Auszubildende", "Apprentices"},
       {"candidates", "total", "Anwärter*innen", "Civil-service candidates"}}}},
    {"total_only", "Ohne Aufgliederung", "No breakdown", {{{"total", "", "Insgesamt", "Total"}}}},
}};

struct SeedIndicator {
  std::string_view code, name_de, name_en, unit, definition_de, definition_en, population,
      breakdown;
  bool has_denominator;
};

constexpr std::string_view kShareDe =
    " Erfasst werden je Zelle alle Personen (Nenner), die Personen mit Einwanderungsgeschichte "
    "(Zähler) und "
    "die Personen ohne Angabe.";
constexpr std::string_view kShareEn =
    " Each cell records all persons (denominator), the persons with immigration history "
    "(numerator) and the "
    "persons without an answer.";

constexpr std::array<SeedIndicator, 9> kIndicators{{
    {"staff", "Beschäftigte mit Einwanderungsgeschichte", "Staff with immigration history",
     "percent",
     "Anteil der Beschäftigten der Stadtverwaltung mit Einwanderungsgeschichte, nach "
     "Beschäftigtengruppe und "
     "Laufbahn- bzw. Entgeltgruppe.",
     "Share of the city administration's staff with immigration history, by staff group and pay "
     "band.",
     "staff", "staff_structure", true},
    {"staff_leadership", "Führungskräfte mit Einwanderungsgeschichte",
     "Leaders with immigration history", "percent",
     "Anteil der Führungskräfte der Stadtverwaltung mit Einwanderungsgeschichte.",
     "Share of the city administration's leaders with immigration history.", "staff", "leadership",
     true},
    {"staff_gender", "Beschäftigte mit Einwanderungsgeschichte nach Geschlecht",
     "Staff with immigration history by gender", "percent",
     "Anteil der Beschäftigten mit Einwanderungsgeschichte, nach Geschlecht.",
     "Share of staff with immigration history, by gender.", "staff", "gender", true},
    {"staff_age", "Beschäftigte mit Einwanderungsgeschichte nach Altersgruppe",
     "Staff with immigration history by age band", "percent",
     "Anteil der Beschäftigten (18–64 Jahre) mit Einwanderungsgeschichte, nach Altersgruppe; "
     "Grundlage der "
     "altersstandardisierten Repräsentationsquote.",
     "Share of staff (aged 18–64) with immigration history, by age band; the basis of the "
     "age-standardised "
     "representation index.",
     "staff", "age_band", true},
    {"trainees", "Nachwuchskräfte mit Einwanderungsgeschichte", "Trainees with immigration history",
     "percent", "Anteil der Auszubildenden und Anwärter*innen mit Einwanderungsgeschichte.",
     "Share of apprentices and civil-service candidates with immigration history.", "trainees",
     "training_type", true},
    {"applications", "Bewerbungen von Personen mit Einwanderungsgeschichte",
     "Applications from persons with immigration history", "percent",
     "Anteil der Bewerbungen von Personen mit Einwanderungsgeschichte an allen Bewerbungen des "
     "Jahres.",
     "Share of the year's applications made by persons with immigration history.", "applicants",
     "total_only", true},
    {"new_hires", "Neueinstellungen von Personen mit Einwanderungsgeschichte",
     "New hires with immigration history", "percent",
     "Anteil der Personen mit Einwanderungsgeschichte an allen Neueinstellungen des Jahres.",
     "Share of persons with immigration history among the year's new hires.", "new_hires",
     "total_only", true},
    {"ikk_training", "Teilnahmen an Fortbildungen zur interkulturellen Kompetenz",
     "Participants in intercultural competence training", "count",
     "Zahl der Teilnahmen von Beschäftigten an Fortbildungen zur interkulturellen Kompetenz im "
     "Jahr.",
     "Number of staff participations in intercultural competence training in the year.",
     "training_participants", "total_only", false},
    {"population", "Bevölkerung mit Einwanderungsgeschichte (18–64 Jahre)",
     "Population with immigration history (aged 18–64)", "percent",
     "Einwohnerinnen und Einwohner im Alter von 18 bis 64 Jahren mit Einwanderungsgeschichte, nach "
     "Altersgruppe; Bezugsgröße der Repräsentationsquote. Quelle und Stichtag sind je Wert "
     "anzugeben.",
     "Residents aged 18 to 64 with immigration history, by age band; the reference of the "
     "representation "
     "index. Source and reference date are given with every value.",
     "residents", "age_band", true},
}};

struct SeedRule {
  std::string_view kind, severity;
  int threshold;       // 0: none
  int minimum_change;  // persons; 0: none
};

// A change against the previous year of more than 25 % needs a comment only from 5 persons on
// (migration 0006 gives databases seeded before it the same minimum).
constexpr std::array<SeedRule, 5> kRules{{
    {"non_negative", "error", 0, 0},
    {"percent_range", "error", 0, 0},
    {"part_not_above_total", "error", 0, 0},
    {"breakdown_sum", "warning", 0, 0},
    {"year_on_year_change", "warning", 25, 5},
}};

constexpr int kStandardValidFrom = 2010;

// Staff by gender counts the same persons in its total as staff: their tables are audited
// together (figures.hpp, IndicatorSpec::total_group).
storage::Value total_group_of(std::string_view indicator_code) {
  if (indicator_code == "staff" || indicator_code == "staff_gender") return std::string("staff");
  return storage::Null{};
}
constexpr int kStandardPrecision = 1;

constexpr std::string_view kInsertDefinition = R"sql(
  INSERT INTO immigration_definition (code, name_de, name_en, description_de, description_en, cutoff_date,
                                      parent_rule, citizenship_rule, is_immigration_history)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING)sql";
constexpr std::string_view kInsertBreakdown = R"sql(
  INSERT INTO breakdown (code, name_de, name_en) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING)sql";
constexpr std::string_view kBreakdownId = "SELECT id FROM breakdown WHERE code = $1";
constexpr std::string_view kCategoryId =
    "SELECT id FROM breakdown_category WHERE breakdown_id = $1 AND code = $2";
constexpr std::string_view kInsertCategory = R"sql(
  INSERT INTO breakdown_category (breakdown_id, parent_id, code, position, name_de, name_en)
  VALUES ($1, $2, $3, $4, $5, $6))sql";
constexpr std::string_view kInsertIndicator = R"sql(
  INSERT INTO indicator (code, position) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING id)sql";
constexpr std::string_view kDefinitionId = "SELECT id FROM immigration_definition WHERE code = $1";
constexpr std::string_view kInsertVersion = R"sql(
  INSERT INTO indicator_version (indicator_id, version, name_de, name_en, unit, definition_de, definition_en,
      immigration_definition_id, population, breakdown_id, has_denominator, display_precision, valid_from,
      valid_to, created_at, total_group)
  VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14))sql";
constexpr std::string_view kInsertRule = R"sql(
  INSERT INTO validation_rule (kind, severity, threshold, minimum_change, active) VALUES ($1, $2, $3, $4, 1)
  ON CONFLICT (kind) DO NOTHING)sql";
constexpr std::string_view kCityIdByName = "SELECT id FROM city WHERE name = $1";
constexpr std::string_view kInsertFigure = R"sql(
  INSERT INTO reference_figure (position, city_id, city_label, code, figure_value, unit, definition,
                                reference_date, source_url, note)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (position) DO NOTHING)sql";

storage::Value text(std::string_view value) { return std::string(value); }

Result<std::int64_t> id_of(storage::Transaction& transaction, std::string_view sql,
                           const storage::Params& params) {
  auto row = transaction.query_one(sql, params);
  if (!row) return row.take_error();
  if (!*row) return Error::internal("seed: missing row for " + std::string(sql));
  return (*row)->integer(0);
}

Result<int> seed_definitions(storage::Transaction& transaction) {
  int inserted = 0;
  for (const auto& definition : kDefinitions) {
    auto changed = transaction.execute(
        kInsertDefinition,
        {text(definition.code), text(definition.name_de), text(definition.name_en),
         text(definition.description_de), text(definition.description_en), text(definition.cutoff),
         text(definition.parent_rule), text(definition.citizenship_rule),
         std::int64_t{definition.is_immigration_history ? 1 : 0}});
    if (!changed) return changed.take_error();
    inserted += static_cast<int>(*changed);
  }
  return inserted;
}

Result<int> seed_breakdown(storage::Transaction& transaction, const SeedBreakdown& breakdown) {
  auto changed = transaction.execute(
      kInsertBreakdown, {text(breakdown.code), text(breakdown.name_de), text(breakdown.name_en)});
  if (!changed) return changed.take_error();
  int inserted = static_cast<int>(*changed);
  auto breakdown_id = id_of(transaction, kBreakdownId, {text(breakdown.code)});
  if (!breakdown_id) return breakdown_id.take_error();
  std::int64_t position = 0;
  for (const auto& category : breakdown.categories) {
    if (category.code.empty()) break;
    ++position;
    auto existing = transaction.query_one(kCategoryId, {*breakdown_id, text(category.code)});
    if (!existing) return existing.take_error();
    if (*existing) continue;
    storage::Value parent = storage::Null{};
    if (!category.parent.empty()) {
      auto parent_id = id_of(transaction, kCategoryId, {*breakdown_id, text(category.parent)});
      if (!parent_id) return parent_id.take_error();
      parent = *parent_id;
    }
    auto added =
        transaction.execute(kInsertCategory, {*breakdown_id, parent, text(category.code), position,
                                              text(category.name_de), text(category.name_en)});
    if (!added) return added.take_error();
    ++inserted;
  }
  return inserted;
}

Result<int> seed_indicators(storage::Transaction& transaction, std::int64_t now) {
  auto definition_id = id_of(transaction, kDefinitionId, {text("einwanderungsgeschichte_nrw")});
  if (!definition_id) return definition_id.take_error();
  int inserted = 0;
  std::int64_t position = 0;
  for (const auto& indicator : kIndicators) {
    auto row = transaction.query_one(kInsertIndicator, {text(indicator.code), ++position});
    if (!row) return row.take_error();
    if (!*row) continue;  // exists: the office may have versioned it since
    auto breakdown_id = id_of(transaction, kBreakdownId, {text(indicator.breakdown)});
    if (!breakdown_id) return breakdown_id.take_error();
    auto added = transaction.execute(
        kInsertVersion,
        {(*row)->integer(0), text(indicator.name_de), text(indicator.name_en), text(indicator.unit),
         std::string(indicator.definition_de) +
             std::string(indicator.has_denominator ? kShareDe : ""),
         std::string(indicator.definition_en) +
             std::string(indicator.has_denominator ? kShareEn : ""),
         *definition_id, text(indicator.population), *breakdown_id,
         std::int64_t{indicator.has_denominator ? 1 : 0}, std::int64_t{kStandardPrecision},
         std::int64_t{kStandardValidFrom}, now, total_group_of(indicator.code)});
    if (!added) return added.take_error();
    inserted += 2;
  }
  return inserted;
}

Result<int> seed_rules(storage::Transaction& transaction) {
  int inserted = 0;
  for (const auto& rule : kRules) {
    const auto optional = [](int value) {
      return value > 0 ? storage::Value{std::int64_t{value}} : storage::Value{storage::Null{}};
    };
    auto changed = transaction.execute(kInsertRule, {text(rule.kind), text(rule.severity),
                                                     optional(rule.threshold), optional(rule.minimum_change)});
    if (!changed) return changed.take_error();
    inserted += static_cast<int>(*changed);
  }
  return inserted;
}

// Splits RFC 4180 text (comma, double quotes, doubled quotes inside, line breaks inside quotes)
// into records of fields.
std::vector<std::vector<std::string>> parse_csv(std::string_view csv) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  auto end_record = [&] {
    record.push_back(std::move(field));
    field.clear();
    if (!(record.size() == 1 && record.front().empty())) records.push_back(std::move(record));
    record.clear();
  };
  for (std::size_t index = 0; index < csv.size(); ++index) {
    const char character = csv[index];
    if (quoted) {
      if (character != '"') {
        field += character;
      } else if (index + 1 < csv.size() && csv[index + 1] == '"') {
        field += '"';
        ++index;
      } else {
        quoted = false;
      }
    } else if (character == '"') {
      quoted = true;
    } else if (character == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (character == '\n') {
      end_record();
    } else if (character != '\r') {
      field += character;
    }
  }
  if (!field.empty() || !record.empty()) end_record();
  return records;
}

constexpr std::size_t kFigureColumns =
    8;  // city,indicator,value,unit,definition,reference_date,source_url,note

Result<int> seed_reference_figures(storage::Transaction& transaction) {
  const auto records = parse_csv(internal::kReferenceFiguresCsv);
  int inserted = 0;
  for (std::size_t index = 1; index < records.size(); ++index) {  // the first record is the header
    const auto& fields = records[index];
    if (fields.size() != kFigureColumns) {
      return Error::internal("reference figures: record " + std::to_string(index) + " has " +
                             std::to_string(fields.size()) + " fields");
    }
    auto city = transaction.query_one(kCityIdByName, {fields[0]});
    if (!city) return city.take_error();
    const storage::Value city_id =
        *city ? storage::Value{(*city)->integer(0)} : storage::Value{storage::Null{}};
    auto changed = transaction.execute(
        kInsertFigure, {static_cast<std::int64_t>(index), city_id, fields[0], fields[1], fields[2],
                        fields[3], fields[4], fields[5], fields[6], fields[7]});
    if (!changed) return changed.take_error();
    inserted += static_cast<int>(*changed);
  }
  return inserted;
}

}  // namespace

Result<int> seed(storage::Storage& storage) {
  int inserted = 0;
  const auto now = SystemClock().now();
  auto status = storage.write([&](storage::Transaction& transaction) -> Status {
    inserted = 0;
    auto add = [&](Result<int> count) -> Status {
      if (!count) return count.take_error();
      inserted += *count;
      return {};
    };
    IK_TRY(add(seed_definitions(transaction)));
    for (const auto& breakdown : kBreakdowns) IK_TRY(add(seed_breakdown(transaction, breakdown)));
    IK_TRY(add(seed_indicators(transaction, now)));
    IK_TRY(add(seed_rules(transaction)));
    IK_TRY(add(seed_reference_figures(transaction)));
    if (inserted == 0) return {};
    return audit::record(transaction,
                         audit::Entry{
                             .at = now,
                             .actor_name = "system",
                             .action = "seed.apply",
                             .entity = "monitoring",
                             .entity_id = "seed",
                             .after_json = "{\"rows_inserted\":" + std::to_string(inserted) + "}",
                         });
  });
  if (!status) return status.take_error();
  return inserted;
}

}  // namespace ik::monitoring
