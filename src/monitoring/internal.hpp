// Internals shared by the monitoring .cpp files: role checks, loading the catalogue and a
// report inside a transaction, and the pure validation of a report's values.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cooperation/cooperation.hpp"
#include "monitoring/figures.hpp"
#include "monitoring/monitoring.hpp"
#include "storage/storage.hpp"

namespace ik::monitoring::internal {

// Office and admin (cooperation grants).
bool is_office(const auth::Principal& principal);
// Any role held for the city, or the office.
bool may_read(const auth::Principal& principal, CityId city);
Status check_year(int year);
// A year after the current one (`now`) has no data yet. Failure: invalid_input ("year",
// "monitoring.year_in_future").
Status check_not_future(int year, std::int64_t now);

struct Catalogue {
  std::vector<Breakdown> breakdowns;
  std::vector<IndicatorVersion> versions;  // all versions, by indicator position then version
  // Indicator code → [first, last) in `versions` (an indicator's versions are contiguous); an
  // import looks up every row, so this must not be a scan.
  std::map<std::string, std::pair<std::size_t, std::size_t>, std::less<>> range_of_code;

  const Breakdown* breakdown(std::int64_t id) const;
  // The version of `code` valid in `year`, or nullptr.
  const IndicatorVersion* version_for_year(std::string_view code, int year) const;
  const IndicatorVersion* version(std::int64_t id) const;
  // The versions valid in `year`, one per indicator, in display order.
  std::vector<const IndicatorVersion*> for_year(int year) const;
};

Result<Catalogue> load_catalogue(storage::Transaction& transaction);
Result<std::vector<ValidationRule>> load_rules(storage::Transaction& transaction);
Result<std::optional<Report>> find_report(storage::Transaction& transaction, CityId city, int year);
// The report's values with their indicator and category codes.
Result<std::vector<Value>> load_values(storage::Transaction& transaction, std::int64_t report_id);

// The values of one year keyed by (indicator code, category code).
using ValueKey = std::pair<std::string, std::string>;
using ValueMap = std::map<ValueKey, Value>;
ValueMap by_key(const std::vector<Value>& values);

// Applies `edits`, taken as stored (ValueEdit), to `current` (a cell with all fields empty is
// removed) and returns the edit-level findings (unknown codes, indicator not valid in the year,
// invalid Stichtag); edits with such a finding are not applied.
std::vector<Finding> apply_edits(const Catalogue& catalogue, int year,
                                 const std::vector<ValueEdit>& edits, ValueMap& current);
// The findings of the rules over a year's values (pure). `previous` holds the prior year's
// values for the year-on-year rule.
std::vector<Finding> check_rules(const Catalogue& catalogue, int year,
                                 const std::vector<ValidationRule>& rules, const ValueMap& values,
                                 const ValueMap& previous);
bool has_errors(const std::vector<Finding>& findings);
// The findings of the city's stored report for `year` (reports.cpp).
Result<std::vector<Finding>> report_findings(storage::Transaction& transaction, CityId city,
                                             int year);

// Publication in two steps, so that the disclosure solver (seconds per table) never runs inside
// the single writer's transaction (publication.cpp):
//   1. read_publication_inputs in a read transaction, build_tables outside any transaction;
//   2. store_published in the write transaction that changes the report's status: it reads the
//      inputs and the year's releases again and writes only when they are unchanged.

// The report whose status the publication step changes, as it will be afterwards, and what
// the step is (kept with every release it makes).
struct PendingStatus {
  std::int64_t report_id = 0;
  bool published = false;
  std::string occasion;  // "publish", "withdraw", "return"
  CityId city_id = 0;
};

// What one indicator version's table rests on: nullopt when no published report of the year has
// values of it (its table is removed).
struct VersionInput {
  std::int64_t version_id = 0;
  std::optional<TableInput> input;
  bool operator==(const VersionInput&) const = default;
};

// A release of the year as stored (or, for a table published before releases were kept,
// reconstructed from the reports it was built from: `recorded` false until stored).
struct StoredRelease {
  std::int64_t version_id = 0;
  int generation = 0;
  bool recorded = true;
  Release release;
};

struct PublicationInputs {
  std::vector<VersionInput> versions;  // every indicator valid in the year, in display order
  std::vector<StoredRelease> history;  // every release of the year, by version and generation
};

// The tables of every indicator valid in `year` from all reports of that year that are
// published once `pending` is applied, and the year's releases so far. `cities` with their
// membership.
Result<PublicationInputs> read_publication_inputs(storage::Transaction& transaction, int year,
                                                  const std::vector<cooperation::City>& cities,
                                                  const PendingStatus& pending);

enum class TableChange { keep, release, remove };
struct PlannedTable {
  std::int64_t version_id = 0;
  TableChange change = TableChange::keep;
  std::optional<Release> release;  // for TableChange::release
};
struct PlannedPublication {
  std::vector<VersionInput> inputs;                  // what the tables were built from
  std::vector<std::pair<std::int64_t, int>> resting_on;  // (version, generation) of the history
  std::vector<StoredRelease> to_record;              // reconstructed releases to store first
  std::vector<PlannedTable> tables;                  // parallel to inputs
  // Figures the new releases together with the history would give away: when any, the step is
  // refused and nothing is written.
  std::vector<ExposedFigure> exposed;
};

// Test seams of Monitoring (observe_table_planning, alter_planned_releases); empty in production.
struct PlanningSeams {
  const std::function<void(std::string_view)>& observer;  // before each table is planned
  const std::function<void(Release&)>& alter;             // each release, before the audit
};

// Pure (runs the solver): a new release for every table whose figures changed, each planned
// against the year's history and the releases planned before it, then the audit over the union
// of all of them.
Result<PlannedPublication> build_tables(PublicationInputs inputs,
                                        const disclosure::DisclosureRules& rules,
                                        const PlanningSeams& seams);

// Inside the write transaction, after the status change: false (nothing written) when the
// inputs or the year's releases differ from those `planned` rests on; otherwise stores every
// new release and its table, removes tables left without data or of versions no longer valid
// in the year, and returns true. Precondition: `planned.exposed` is empty.
Result<bool> store_published(storage::Transaction& transaction, int year,
                             const std::vector<cooperation::City>& cities,
                             const PendingStatus& pending, const PlannedPublication& planned,
                             const std::string& actor_name, std::int64_t now);
bool has_blocking(const std::vector<Finding>& findings);

// data/reference/public-figures.csv as compiled in (reference_figures.cpp.in).
extern const std::string_view kReferenceFiguresCsv;

// The actor fields of an audit entry.
struct AuditActor {
  std::optional<std::int64_t> user_id;
  std::string name;
  std::string request_id;
};
AuditActor actor_of(const auth::Principal& principal, std::string_view request_id);
// The actor's user id as a statement parameter (NULL for the system).
storage::Value user_value(const AuditActor& actor);

// The edits of one year of a city.
struct YearEdits {
  int year = 0;
  std::vector<ValueEdit> edits;
};
// Monitoring::validate for several distinct years at once (the import preview): one read of the
// catalogue, the rules and each year's values; a year's previous year is, when it is in
// `years`, its evaluated state. Findings in the order of `years`. The caller checks the role.
Result<std::vector<std::vector<Finding>>> validate_years(storage::Transaction& transaction,
                                                         CityId city,
                                                         const std::vector<YearEdits>& years);
// Monitoring::save_values for several distinct years in the caller's transaction (the import):
// when any year is stopped by an error, writes nothing and every outcome has saved = false.
// Outcomes in the order of `years`. The caller checks the role.
Result<std::vector<SaveOutcome>> save_years(storage::Transaction& transaction, CityId city,
                                            const std::vector<YearEdits>& years,
                                            const AuditActor& actor, std::int64_t now);

}  // namespace ik::monitoring::internal
