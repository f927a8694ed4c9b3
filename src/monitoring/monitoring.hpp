// Diversity monitoring: the indicator catalogue (versioned, as data), the cities' yearly reports
// with their values and revisions, validation rules as data, the workflow Entwurf → eingereicht →
// freigegeben → veröffentlicht, targets, published reference figures, and the publication that
// turns approved reports into the suppressed tables the public reads.
//
// Every state change runs in one transaction together with its audit entry; every function that
// touches a city's non-public data checks the caller's roles itself (pages check them too), so a
// user of one city can never read or change another city's unpublished data through this class.
// Public pages read only published tables (`published_table`): unpublished data cannot leak.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/roles.hpp"
#include "core/result.hpp"
#include "disclosure/disclosure.hpp"

namespace ik {
class Clock;
}
namespace ik::storage {
class Storage;
}
namespace ik::cooperation {
class Cooperation;
}

namespace ik::monitoring {

// The years the monitoring knows: reports, indicator validity and targets lie in this range
// (a report, moreover, not after the current year).
inline constexpr int kEarliestYear = 2000;
inline constexpr int kLatestYear = 2100;

using CityId = std::int64_t;
struct Release;  // figures.hpp

// ---- Catalogue ------------------------------------------------------------------------------

enum class Unit { count, percent, ratio };
enum class Population { staff, trainees, applicants, new_hires, training_participants, residents };
enum class ParentRule { none, both, at_least_one };

std::string_view unit_name(Unit unit);  // "count", "percent", "ratio"
std::optional<Unit> parse_unit(std::string_view name);
std::string_view population_name(Population population);  // "staff", … "residents"
std::optional<Population> parse_population(std::string_view name);

// A definition of immigration history, its parameters as data (DOMAIN.md). `foreign_nationals`
// is seeded too although it is not a definition of immigration history
// (`is_immigration_history` false): some cities publish nothing else, and the UI says so.
struct ImmigrationDefinition {
  std::int64_t id = 0;
  std::string code;  // "einwanderungsgeschichte", "einwanderungsgeschichte_nrw", …
  std::string name_de, name_en;
  std::string description_de, description_en;
  std::string cutoff_date;  // ISO, "" when the definition has none
  ParentRule parent_rule = ParentRule::none;
  std::string citizenship_rule;  // "not_german", "not_german_at_birth", "" …
  bool is_immigration_history = true;
};

// A cell of a breakdown. The root (no parent) is the total; children add up to their parent.
struct Category {
  std::int64_t id = 0;
  std::string code;  // unique within the breakdown: "total", "civil_servants", "eg_9_12", …
  std::optional<std::int64_t> parent_id;
  std::string name_de, name_en;
  int depth = 0;  // 0 for the root
};

struct Breakdown {
  std::int64_t id = 0;
  std::string code;  // "staff_structure", "leadership", "gender", "age_band", …
  std::string name_de, name_en;
  std::vector<Category> categories;  // parent first, in display order (depth-first)

  const Category* find(std::string_view category_code) const;
};

// One version of an indicator. Values point at the version they were reported under; changing
// a definition creates a new version.
struct IndicatorVersion {
  std::int64_t id = 0;  // the version's id
  std::int64_t indicator_id = 0;
  std::string code;  // the indicator's stable code: "staff", "population", …
  int version = 1;
  int position = 0;  // display order of the indicator
  std::string name_de, name_en;
  Unit unit = Unit::count;
  std::string definition_de, definition_en;
  std::int64_t immigration_definition_id = 0;
  Population population = Population::staff;
  std::int64_t breakdown_id = 0;
  bool has_denominator = true;
  int precision = 1;  // decimals shown for shares and indices
  int valid_from = 2000;
  std::optional<int> valid_to;  // nullopt: still valid
  // Indicators of the same total group count the same persons in their total (staff and staff
  // by gender), so their published tables are audited together; "" for none. Kept by new
  // versions.
  std::string total_group;

  bool valid_in(int year) const { return year >= valid_from && (!valid_to || year <= *valid_to); }
};

// The office's input for a new indicator or a new version of one.
struct IndicatorDraft {
  std::string name_de, name_en;
  Unit unit = Unit::count;
  std::string definition_de, definition_en;
  std::string immigration_definition;  // code
  Population population = Population::staff;
  std::string breakdown;  // code
  bool has_denominator = true;
  int precision = 1;
  int valid_from = 2000;
  std::optional<int> valid_to;
};

// ---- Reports and values -----------------------------------------------------------------

enum class ReportStatus { draft, submitted, approved, published };
std::string_view status_name(ReportStatus status);  // "draft", "submitted", "approved", "published"
std::optional<ReportStatus> parse_status(std::string_view name);

struct Report {
  std::int64_t id = 0;
  CityId city_id = 0;
  int year = 0;
  ReportStatus status = ReportStatus::draft;
  std::string return_reason;  // the latest return's reason, "" when never returned
  std::int64_t updated_at = 0;

  // Submitted, approved or published: its values change only after it is returned.
  bool locked() const { return status != ReportStatus::draft; }
};

// A report waiting for the next step of the workflow: submitted (for the city's approval) or
// approved (for the office's publication).
struct WaitingReport {
  Report report;
  std::int64_t since = 0;  // when it reached its status (Unix seconds)
};

// The years a city's pages offer (its report list, the import's templates), newest first: the
// current year and the three before it, in which a city reports or catches up, and every other
// year of `reports`.
std::vector<int> offered_years(const std::vector<Report>& reports, int current_year);

struct ReportEvent {
  std::int64_t at = 0;
  std::string actor_name;
  std::string action;  // "submit", "approve", "return", "publish", "withdraw"
  ReportStatus from = ReportStatus::draft;
  ReportStatus to = ReportStatus::draft;
  std::string reason;
};

// A stored value of one breakdown cell. A missing figure stays missing (nullopt), never 0.
struct Value {
  std::int64_t indicator_version_id = 0;
  std::string indicator_code;
  std::int64_t category_id = 0;
  std::string category_code;
  std::optional<std::int64_t> numerator;    // persons WITH immigration history (or the count)
  std::optional<std::int64_t> unknown;      // persons without an answer: counted, never dropped
  std::optional<std::int64_t> denominator;  // all persons
  std::string comment;
  std::string source;
  std::string reference_date;  // Stichtag, ISO with its precision ("2024-12-31", "2024"), or ""
  int revision = 0;            // 1 for the first save, +1 for every change
};

// One cell as entered (grid) or imported (sheet row). The indicator version is the one valid
// in the report's year. A cell whose fields are all empty deletes the stored value. Texts are
// taken as stored: trimmed, a comment's line breaks (CR LF, CR) as LF.
struct ValueEdit {
  std::string indicator_code;
  std::string category_code;
  std::optional<std::int64_t> numerator;
  std::optional<std::int64_t> unknown;
  std::optional<std::int64_t> denominator;
  std::string comment;
  std::string source;
  std::string reference_date;  // German ("31.12.2024") or ISO, stored as ISO (parse_entered_date)
  bool operator==(const ValueEdit&) const = default;
};

struct ValueRevision {
  std::int64_t at = 0;
  std::string actor_name;
  int revision = 0;
  std::string indicator_code;
  std::string category_code;
  std::string before_json;  // "" for the first save
  std::string after_json;   // "" when deleted
};

// ---- Validation ----------------------------------------------------------------------------

enum class RuleKind {
  part_not_above_total,
  breakdown_sum,
  percent_range,
  non_negative,
  year_on_year_change
};
enum class Severity { error, warning };
std::string_view rule_kind_name(RuleKind kind);
std::string_view severity_name(Severity severity);  // "error", "warning"

struct ValidationRule {
  std::int64_t id = 0;
  RuleKind kind = RuleKind::non_negative;
  Severity severity = Severity::error;
  std::optional<int> threshold;  // year_on_year_change: percent change that needs a comment
  // year_on_year_change: a change of fewer persons never needs one, whatever its percentage.
  std::optional<int> minimum_change;
  bool active = true;
};

// A problem at one cell. `message_key` is a catalogue key ("monitoring.finding_…") whose text
// names `params` as "{name}" placeholders (values already formatted for display, German).
struct Finding {
  std::string indicator_code;
  std::string category_code;  // "" when the finding concerns the whole indicator
  std::string field;          // "numerator", "unknown", "denominator", "comment",
                              // "source", "reference_date", or "" (the cell)
  Severity severity = Severity::error;
  std::string message_key;
  std::vector<std::pair<std::string, std::string>> params;  // placeholder name → value
  // Index into the edits passed to validate/save_values of the edit for this cell (the last one
  // when several name it), when there is one.
  std::optional<std::size_t> edit;
  // Errors always block submission; a warning blocks it until the cell carries a comment.
  bool blocking = true;
};

struct SaveOutcome {
  bool saved = false;             // false: an error finding stopped the save, nothing was written
  int changed = 0;                // cells inserted, updated or deleted
  std::vector<Finding> findings;  // of the whole report after the edits
};

// A city's report with everything its own pages show.
struct ReportView {
  CityId city_id = 0;
  int year = 0;
  std::optional<Report> report;              // nullopt: nothing saved for that year yet
  std::vector<IndicatorVersion> indicators;  // valid in `year`, in display order
  std::vector<Value> values;
  std::vector<Finding> findings;
  std::vector<ReportEvent> events;  // oldest first
};

// ---- Targets and reference figures ----------------------------------------------------------

struct Target {
  std::int64_t id = 0;
  CityId city_id = 0;
  std::string indicator_code;
  std::string category_code;  // "" for the indicator's total
  std::string value;          // exact decimal as entered, German comma: "35,0", "1,00"
  int target_year = 0;
  std::optional<int> baseline_year;
};

struct TargetDraft {
  CityId city_id = 0;
  std::string indicator_code;
  std::string category_code;
  std::string value;
  int target_year = 0;
  std::optional<int> baseline_year;
};

// A published figure as found in public sources; `value` keeps the text as published
// ("34.3", ">45", "almost 50"), `numeric` is set only when the text is a plain number.
struct ReferenceFigure {
  std::int64_t id = 0;
  std::optional<CityId> city_id;  // nullopt: the cooperation or several cities (`city_label`)
  std::string city_label;         // as in the source file
  std::string code;               // "population_total", "migration_background_share", …
  std::string value;
  std::optional<double> numeric;
  std::string unit;
  std::string definition;
  std::string reference_date;  // as published
  std::string source_url;
  std::string note;
};

// ---- Publication -------------------------------------------------------------------------

// The stored result of a publication for one indicator version and year: the figures module's
// PublishedTable serialised as JSON (read it with its `from_json`). Public pages use only this.
struct PublishedRecord {
  std::int64_t indicator_version_id = 0;
  std::string indicator_code;
  int year = 0;
  std::string table_json;
  std::string plan_summary;  // method, persons hidden, proven optimal (office only)
  int generation = 0;        // +1 every time the table is rebuilt
  std::int64_t published_at = 0;
  std::string published_by;
};

// A figure that a publication step would have given away together with what was published
// before (the step was refused, nothing written): where it stands and the range the tables
// together would leave it. Names as the table has them.
struct ExposedFigure {
  std::string indicator_code;
  std::string indicator_name_de, indicator_name_en;
  int year = 0;
  bool region = false;
  std::string city_name;  // "" for the region
  std::string category_name_de, category_name_en;
  std::string trait;  // "all", "with_history", "without_history", "unknown", "without_or_unknown"
  double low = 0, high = 0;
};

// The result of a workflow step that may change the published tables.
struct StepOutcome {
  bool done = true;                    // false: refused because of `exposed`, nothing written
  std::vector<ExposedFigure> exposed;
};

// One release of a published table (the office's view of its history).
struct ReleaseSummary {
  int generation = 0;
  std::int64_t published_at = 0;
  std::string published_by;
  std::string occasion;   // "publish", "withdraw", "return" of `city_name`'s report, "recorded"
  std::string city_name;  // "" when none
  std::int64_t persons_hidden = 0;
  std::size_t withheld_cells = 0;
  std::size_t corrected_cells = 0;
};

class Monitoring {
 public:
  // `rules` decide what publish() and withdraw() may publish (configurable: app config
  // [disclosure]); the defaults are DOMAIN.md's.
  Monitoring(storage::Storage& storage, const Clock& clock,
             const cooperation::Cooperation& cooperation, disclosure::DisclosureRules rules = {});

  // -- Catalogue (public reads). Errors: unavailable/internal from the database.
  Result<std::vector<ImmigrationDefinition>> definitions() const;
  Result<std::vector<Breakdown>> breakdowns() const;
  Result<Breakdown> breakdown(std::int64_t id) const;  // not_found for an unknown id
  // The latest version of every indicator, in display order.
  Result<std::vector<IndicatorVersion>> indicators() const;
  // Every version of one indicator, oldest first; not_found for an unknown code.
  Result<std::vector<IndicatorVersion>> indicator_versions(std::string_view code) const;
  // Every version of every indicator, in display order, oldest version first.
  Result<std::vector<IndicatorVersion>> indicator_versions() const;
  // The version valid in `year` (the highest version number whose years include it);
  // not_found when the code is unknown or no version is valid then.
  Result<IndicatorVersion> indicator_for_year(std::string_view code, int year) const;
  Result<std::vector<ValidationRule>> rules() const;

  // Office (Geschäftsstelle, admin): creates the indicator `code` or, when it exists, a new
  // version of it (the previous versions keep their values). Saving a draft equal to the latest
  // version changes nothing and returns its id. Errors: forbidden; invalid_input with the field
  // ("code", "name_de", "name_en", "definition_de", "immigration_definition", "breakdown",
  // "precision", "valid_from", "valid_to") and a key "indicator.…". Audited.
  Result<std::int64_t> save_indicator(const auth::Principal& principal, std::string_view code,
                                      const IndicatorDraft& draft,
                                      std::string_view request_id = {});
  // Office: changes a rule's severity, threshold, minimum change and whether it is active; the
  // year-on-year rule needs both limits. Errors: forbidden, not_found, invalid_input
  // ("threshold", "monitoring.rule_threshold"; "minimum_change", "monitoring.rule_minimum_change").
  // Audited.
  Status update_rule(const auth::Principal& principal, const ValidationRule& rule,
                     std::string_view request_id = {});

  // -- Reports. Reading needs a role for the city (any city role) or the office/admin;
  //    otherwise forbidden. Years outside kEarliestYear–kLatestYear are invalid_input ("year").
  Result<std::vector<Report>> reports(const auth::Principal& principal, CityId city) const;
  // The report (or its absence), the indicators of the year, values, findings and history.
  Result<ReportView> report(const auth::Principal& principal, CityId city, int year) const;
  Result<std::vector<ValueRevision>> revisions(const auth::Principal& principal, CityId city,
                                               int year) const;
  // Office and admin: every city's submitted and approved reports, the longest waiting first.
  // Errors: forbidden for anyone else.
  Result<std::vector<WaitingReport>> waiting_reports(const auth::Principal& principal) const;

  // Findings of the report as it would be after `edits`, without writing anything (import
  // preview, the grid before saving). Edit-level problems (unknown indicator or category,
  // indicator not valid in the year, the same cell twice, an invalid Stichtag, a text too long, a
  // denominator for an indicator without one) are error findings; such edits are left out of the
  // rule checks. Every finding at a cell that an edit names carries `edit`.
  // Errors: forbidden (not the city's entry role), invalid_input ("year").
  Result<std::vector<Finding>> validate(const auth::Principal& principal, CityId city, int year,
                                        const std::vector<ValueEdit>& edits) const;
  // Städtische Erfassung of `city` (only): applies all edits in ONE transaction or none. Creates
  // the report as a draft when missing. When an edit-level error or an error finding of an
  // indicator the edits touch remains, writes nothing and returns saved = false with the
  // findings (old errors of untouched indicators do not stop a save; they stop submission). A cell
  // whose stored value equals the edit, taken as stored, is left alone (no revision): saving the
  // same values twice, or from a page that shows them differently, changes nothing. Every
  // changed cell gets a revision and an audit entry. Errors: forbidden, not_found (unknown
  // city), conflict "report.locked" when the report is not a draft.
  Result<SaveOutcome> save_values(const auth::Principal& principal, CityId city, int year,
                                  const std::vector<ValueEdit>& edits,
                                  std::string_view request_id = {});

  // -- Workflow. Each is audited, recorded as a ReportEvent and all-or-nothing.
  // Errors: forbidden (wrong role or another city), not_found (no report),
  // conflict "report.wrong_status" (not allowed from the current status),
  // conflict "report.has_errors" (submit with blocking findings),
  // invalid_input ("reason", "report.reason_required") for a return without reason.
  // Städtische Erfassung: draft → submitted.
  Status submit(const auth::Principal& principal, CityId city, int year,
                std::string_view request_id = {});
  // Städtische Freigabe: submitted → approved (locks the data).
  Status approve(const auth::Principal& principal, CityId city, int year,
                 std::string_view request_id = {});
  // Städtische Freigabe from submitted; the office from submitted, approved or published:
  // back to draft with a reason. Returning a published report rebuilds the year's tables.
  Result<StepOutcome> return_report(const auth::Principal& principal, CityId city, int year,
                                    std::string_view reason, std::string_view request_id = {});
  // Office: approved → published, together with a new release of every table of that year whose
  // figures change (disclosure control applied against every earlier release of the year, which
  // are all kept), all in one write transaction. The tables are planned before it (the solver
  // holds no transaction) and stored only if their inputs and the year's releases are
  // unchanged; otherwise planned again, and after a few changed attempts the step fails with
  // unavailable. When the audit over all releases finds a figure narrowed below its protection,
  // the step is refused (done = false with the figures) and nothing is written. A failing
  // disclosure step publishes nothing.
  Result<StepOutcome> publish(const auth::Principal& principal, CityId city, int year,
                              std::string_view request_id = {});
  // Office: published → approved with a reason; the year's tables are rebuilt without it (the
  // city's figures stay known from the earlier releases, and are planned against as such).
  Result<StepOutcome> withdraw(const auth::Principal& principal, CityId city, int year,
                               std::string_view reason, std::string_view request_id = {});

  // -- Published tables (public).
  // not_found when nothing of that indicator and year is published.
  Result<PublishedRecord> published_table(std::string_view indicator_code, int year) const;
  // Years with a published table for the indicator, ascending (empty when none).
  Result<std::vector<int>> published_years(std::string_view indicator_code) const;
  // Office: every release of the indicator's tables of `year` (any version), oldest first.
  // Errors: forbidden.
  Result<std::vector<ReleaseSummary>> releases(const auth::Principal& principal,
                                               std::string_view indicator_code, int year) const;
  // Test seam: `observer` is called with the indicator code each time publication plans a table
  // (the solver). Not thread-safe against running steps; set it before.
  void observe_table_planning(std::function<void(std::string_view)> observer) {
    table_observer_ = std::move(observer);
  }
  // Test seam: called with every release a step has planned, before the audit over all releases
  // of the year, so that a test can make one give a figure away and see the step refused.
  void alter_planned_releases(std::function<void(Release&)> alter) {
    release_alteration_ = std::move(alter);
  }

  // -- Targets (public reads; set by the office or the city's Städtische Freigabe).
  Result<std::vector<Target>> targets(std::optional<CityId> city = std::nullopt) const;
  // Creates or replaces the target for (city, indicator, category, target year). Errors:
  // forbidden; invalid_input ("indicator", "category", "value" "monitoring.target_value",
  // "target_year", "baseline_year"). Audited. Returns the target's id.
  Result<std::int64_t> set_target(const auth::Principal& principal, const TargetDraft& draft,
                                  std::string_view request_id = {});
  // Errors: forbidden, not_found.
  Status delete_target(const auth::Principal& principal, std::int64_t id,
                       std::string_view request_id = {});

  // -- Reference figures (public), in file order; only one city's when `city` is given.
  Result<std::vector<ReferenceFigure>> reference_figures(
      std::optional<CityId> city = std::nullopt) const;

 private:
  storage::Storage& storage_;
  const Clock& clock_;
  const cooperation::Cooperation& cooperation_;
  disclosure::DisclosureRules rules_;
  std::function<void(std::string_view)> table_observer_;
  std::function<void(Release&)> release_alteration_;
};

// Loads the standard set: definitions of immigration history, breakdowns, the standard
// indicators, validation rules and the reference figures of data/reference/public-figures.csv
// (compiled in). Idempotent: existing rows, including the office's edits, stay as they are.
// Needs the cooperation seed first (reference figures name cities). Returns rows inserted.
Result<int> seed(storage::Storage& storage);

}  // namespace ik::monitoring
