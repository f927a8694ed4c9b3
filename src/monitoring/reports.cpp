// A city's yearly report: reading it with its findings and history, validating edits and saving
// them with revisions, all-or-nothing.
#include <algorithm>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <nlohmann/json.hpp>
#include <set>

#include "audit/audit.hpp"
#include "core/clock.hpp"
#include "monitoring/internal.hpp"
#include "storage/bulk_insert.hpp"

namespace ik::monitoring {
namespace {

constexpr std::string_view kReport =
    "SELECT id, city_id, year, status, return_reason, updated_at FROM report WHERE city_id = $1 "
    "AND year = $2";
constexpr std::string_view kReports =
    "SELECT id, city_id, year, status, return_reason, updated_at FROM report WHERE city_id = $1 "
    "ORDER BY year DESC";
// Since when each waits: the latest step into its status (the status may have been set back
// and reached again), or its last change when it has no such step.
constexpr std::string_view kWaitingReports = R"sql(
  SELECT r.id, r.city_id, r.year, r.status, r.return_reason, r.updated_at,
         COALESCE((SELECT MAX(e.at) FROM report_event e
                   WHERE e.report_id = r.id AND e.to_status = r.status), r.updated_at) AS since
  FROM report r
  WHERE r.status IN ($1, $2)
  ORDER BY since, r.year, r.city_id)sql";
constexpr std::string_view kValues = R"sql(
  SELECT v.indicator_version_id, i.code, v.category_id, c.code, v.numerator, v.unknown_count,
         v.denominator, v.comment, v.source, v.reference_date, v.revision
  FROM indicator_value v
  JOIN indicator_version iv ON iv.id = v.indicator_version_id
  JOIN indicator i ON i.id = iv.indicator_id
  JOIN breakdown_category c ON c.id = v.category_id
  WHERE v.report_id = $1
  ORDER BY i.position, c.position, c.id)sql";
constexpr std::string_view kEvents = R"sql(
  SELECT at, actor_name, action, from_status, to_status, reason
  FROM report_event WHERE report_id = $1 ORDER BY at, id)sql";
constexpr std::string_view kRevisions = R"sql(
  SELECT r.at, r.actor_name, r.revision, i.code, c.code, r.before_json, r.after_json
  FROM indicator_value_revision r
  JOIN report p ON p.id = r.report_id
  JOIN indicator_version iv ON iv.id = r.indicator_version_id
  JOIN indicator i ON i.id = iv.indicator_id
  JOIN breakdown_category c ON c.id = r.category_id
  WHERE p.city_id = $1 AND p.year = $2
  ORDER BY r.at DESC, r.id DESC)sql";
constexpr std::string_view kCityExists = "SELECT id FROM city WHERE id = $1";
constexpr std::string_view kInsertReport = R"sql(
  INSERT INTO report (city_id, year, status, updated_at) VALUES ($1, $2, 'draft', $3) RETURNING id)sql";
constexpr std::string_view kTouchReport = "UPDATE report SET updated_at = $2 WHERE id = $1";
// A cell's revisions continue across indicator versions and after it was emptied, so they are
// numbered per (indicator code, category code); one query per save, not one per cell.
constexpr std::string_view kLastRevisions = R"sql(
  SELECT i.code, c.code, MAX(r.revision)
  FROM indicator_value_revision r
  JOIN indicator_version iv ON iv.id = r.indicator_version_id
  JOIN indicator i ON i.id = iv.indicator_id
  JOIN breakdown_category c ON c.id = r.category_id
  WHERE r.report_id = $1
  GROUP BY i.code, c.code)sql";
// Heads of multi-row inserts (storage::BulkInsert), with their number of columns.
constexpr std::string_view kInsertValues = R"sql(
  INSERT INTO indicator_value (report_id, indicator_version_id, category_id, numerator, unknown_count,
                               denominator, comment, source, reference_date, revision))sql";
constexpr std::size_t kValueColumns = 10;
constexpr std::string_view kUpdateValue = R"sql(
  UPDATE indicator_value SET indicator_version_id = $4, category_id = $5, numerator = $6,
         unknown_count = $7, denominator = $8, comment = $9, source = $10, reference_date = $11,
         revision = $12
  WHERE report_id = $1 AND indicator_version_id = $2 AND category_id = $3)sql";
constexpr std::string_view kDeleteValue =
    "DELETE FROM indicator_value WHERE report_id = $1 AND indicator_version_id = $2 AND "
    "category_id = $3";
constexpr std::string_view kInsertRevisions = R"sql(
  INSERT INTO indicator_value_revision (report_id, indicator_version_id, category_id, revision, at,
                                        actor_user_id, actor_name, before_json, after_json))sql";
constexpr std::size_t kRevisionColumns = 9;

storage::Value optional_value(const std::optional<std::int64_t>& value) {
  return value ? storage::Value{*value} : storage::Value{storage::Null{}};
}

void append_json(std::string& json, const std::optional<std::int64_t>& count) {
  json += count ? std::to_string(*count) : std::string_view("null");
}

// Only a string with a quote, a backslash or a control character needs the library's escaping
// (the texts are valid UTF-8: checked on input).
void append_json(std::string& json, const std::string& text) {
  const bool plain = std::none_of(text.begin(), text.end(), [](char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  });
  if (!plain) {
    json += nlohmann::json(text).dump();
    return;
  }
  json += '"';
  json += text;
  json += '"';
}

// The revision's snapshot of a cell, as nlohmann::json writes the object (keys sorted), built
// by appending: an import writes one per cell, and a json object first costs a tree of
// allocations per cell.
std::string value_json(const Value& value) {
  std::string json;
  json.reserve(160 + value.comment.size() + value.source.size());
  json += "{\"comment\":";
  append_json(json, value.comment);
  json += ",\"denominator\":";
  append_json(json, value.denominator);
  json += ",\"indicator_version_id\":";
  json += std::to_string(value.indicator_version_id);
  json += ",\"numerator\":";
  append_json(json, value.numerator);
  json += ",\"reference_date\":";
  append_json(json, value.reference_date);
  json += ",\"source\":";
  append_json(json, value.source);
  json += ",\"unknown\":";
  append_json(json, value.unknown);
  json += '}';
  return json;
}

bool same_value(const Value& left, const Value& right) {
  return left.indicator_version_id == right.indicator_version_id &&
         left.category_id == right.category_id && left.numerator == right.numerator &&
         left.unknown == right.unknown && left.denominator == right.denominator &&
         left.comment == right.comment && left.source == right.source &&
         left.reference_date == right.reference_date;
}

Report read_report(const storage::Row& row) {
  return Report{
      .id = row.integer(0),
      .city_id = row.integer(1),
      .year = static_cast<int>(row.integer(2)),
      .status = parse_status(row.text(3)).value_or(ReportStatus::draft),
      .return_reason = row.text(4),
      .updated_at = row.integer(5),
  };
}

bool may_enter(const auth::Principal& principal, CityId city) {
  return principal.has_for_city(auth::Role::city_entry, city);
}

// The values of the city's report for `year` (empty when there is none).
Result<internal::ValueMap> year_values(storage::Transaction& transaction, CityId city, int year) {
  auto report = internal::find_report(transaction, city, year);
  if (!report) return report.take_error();
  if (!*report) return internal::ValueMap{};
  auto values = internal::load_values(transaction, (*report)->id);
  if (!values) return values.take_error();
  return internal::by_key(*values);
}

// Marks every finding at a cell that an edit names with that edit's index.
void link_to_edits(std::vector<Finding>& findings, const std::vector<ValueEdit>& edits) {
  std::map<internal::ValueKey, std::size_t> index_of;
  for (std::size_t index = 0; index < edits.size(); ++index) {
    index_of[{edits[index].indicator_code, edits[index].category_code}] = index;
  }
  for (auto& finding : findings) {
    if (finding.edit) continue;
    const auto found = index_of.find({finding.indicator_code, finding.category_code});
    if (found != index_of.end()) finding.edit = found->second;
  }
}

// Whether a finding stops a save: edit-level errors, and rule errors of an indicator the edits
// touch (other indicators' old problems do not block saving an unrelated correction).
bool stops_save(const Finding& finding, const std::set<std::string>& edited) {
  return finding.severity == Severity::error &&
         (finding.edit || edited.contains(finding.indicator_code));
}

struct Evaluation {
  internal::ValueMap before;
  internal::ValueMap after;
  std::vector<Finding> findings;
};

struct Evaluations {
  internal::Catalogue catalogue;
  std::vector<Evaluation> years;  // in the order of the request
};

// Applies each year's edits and runs the rules, from one read of the catalogue, the rules and
// every year's values: in a file of consecutive years, a year's previous year is the evaluation
// just made (what the save would write), not a second read of the stored values.
Result<Evaluations> evaluate_years(storage::Transaction& transaction, CityId city,
                                   const std::vector<internal::YearEdits>& years) {
  auto catalogue = internal::load_catalogue(transaction);
  if (!catalogue) return catalogue.take_error();
  auto rules = internal::load_rules(transaction);
  if (!rules) return rules.take_error();
  Evaluations result{std::move(*catalogue), std::vector<Evaluation>(years.size())};
  std::vector<std::size_t> order(years.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return years[a].year < years[b].year; });
  const Evaluation* prior = nullptr;
  int prior_year = 0;
  for (const auto index : order) {
    const auto& [year, edits] = years[index];
    if (prior && prior_year == year) throw std::invalid_argument("evaluate_years: a year twice");
    auto current = year_values(transaction, city, year);
    if (!current) return current.take_error();
    auto& evaluation = result.years[index];
    evaluation.before = *current;
    evaluation.after = std::move(*current);
    evaluation.findings = internal::apply_edits(result.catalogue, year, edits, evaluation.after);
    const bool follows_prior = prior && prior_year == year - 1;
    internal::ValueMap stored_previous;
    if (!follows_prior) {
      auto previous = year_values(transaction, city, year - 1);
      if (!previous) return previous.take_error();
      stored_previous = std::move(*previous);
    }
    const auto& previous = follows_prior ? prior->after : stored_previous;
    auto rule_findings =
        internal::check_rules(result.catalogue, year, *rules, evaluation.after, previous);
    evaluation.findings.insert(evaluation.findings.end(), rule_findings.begin(),
                               rule_findings.end());
    link_to_edits(evaluation.findings, edits);
    prior = &evaluation;
    prior_year = year;
  }
  return result;
}

Result<Evaluations> evaluate(storage::Transaction& transaction, CityId city, int year,
                             const std::vector<ValueEdit>& edits) {
  return evaluate_years(transaction, city, {internal::YearEdits{year, edits}});
}

Status check_city(storage::Transaction& transaction, CityId city) {
  auto row = transaction.query_one(kCityExists, {city});
  if (!row) return row.take_error();
  if (!*row) return Error::not_found("city " + std::to_string(city));
  return {};
}

}  // namespace

std::string_view status_name(ReportStatus status) {
  switch (status) {
    case ReportStatus::draft:
      return "draft";
    case ReportStatus::submitted:
      return "submitted";
    case ReportStatus::approved:
      return "approved";
    case ReportStatus::published:
      return "published";
  }
  return "draft";
}

std::optional<ReportStatus> parse_status(std::string_view name) {
  for (const auto status : {ReportStatus::draft, ReportStatus::submitted, ReportStatus::approved,
                            ReportStatus::published}) {
    if (status_name(status) == name) return status;
  }
  return std::nullopt;
}

namespace internal {

Result<std::vector<Finding>> report_findings(storage::Transaction& transaction, CityId city,
                                             int year) {
  auto evaluation = evaluate(transaction, city, year, {});
  if (!evaluation) return evaluation.take_error();
  return std::move(evaluation->years.front().findings);
}

Result<std::optional<Report>> find_report(storage::Transaction& transaction, CityId city,
                                          int year) {
  auto row = transaction.query_one(kReport, {city, std::int64_t{year}});
  if (!row) return row.take_error();
  if (!*row) return std::optional<Report>{};
  return std::optional<Report>{read_report(**row)};
}

Result<std::vector<Value>> load_values(storage::Transaction& transaction, std::int64_t report_id) {
  auto rows = transaction.query(kValues, {report_id});
  if (!rows) return rows.take_error();
  std::vector<Value> values;
  for (const auto& row : *rows) {
    values.push_back(Value{
        .indicator_version_id = row.integer(0),
        .indicator_code = row.text(1),
        .category_id = row.integer(2),
        .category_code = row.text(3),
        .numerator = row.optional_integer(4),
        .unknown = row.optional_integer(5),
        .denominator = row.optional_integer(6),
        .comment = row.text(7),
        .source = row.text(8),
        .reference_date = row.text(9),
        .revision = static_cast<int>(row.integer(10)),
    });
  }
  return values;
}

}  // namespace internal

Result<std::vector<Report>> Monitoring::reports(const auth::Principal& principal,
                                                CityId city) const {
  if (!internal::may_read(principal, city)) return Error::forbidden();
  std::vector<Report> reports;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto rows = transaction.query(kReports, {city});
    if (!rows) return rows.take_error();
    reports.clear();
    for (const auto& row : *rows) reports.push_back(read_report(row));
    return {};
  });
  if (!status) return status.take_error();
  return reports;
}

std::vector<int> offered_years(const std::vector<Report>& reports, int current_year) {
  constexpr int kRecentYears = 4;  // the current year and the three before it
  std::set<int, std::greater<>> years;
  for (int year = current_year; year > current_year - kRecentYears && year >= kEarliestYear; --year) {
    years.insert(year);
  }
  for (const auto& report : reports) years.insert(report.year);
  return {years.begin(), years.end()};
}

Result<std::vector<WaitingReport>> Monitoring::waiting_reports(const auth::Principal& principal) const {
  if (!internal::is_office(principal)) return Error::forbidden();
  std::vector<WaitingReport> waiting;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto rows = transaction.query(kWaitingReports, {std::string(status_name(ReportStatus::submitted)),
                                                    std::string(status_name(ReportStatus::approved))});
    if (!rows) return rows.take_error();
    waiting.clear();
    for (const auto& row : *rows) waiting.push_back(WaitingReport{read_report(row), row.integer(6)});
    return {};
  });
  if (!status) return status.take_error();
  return waiting;
}

Result<ReportView> Monitoring::report(const auth::Principal& principal, CityId city,
                                      int year) const {
  if (!internal::may_read(principal, city)) return Error::forbidden();
  IK_TRY(internal::check_year(year));
  ReportView view{.city_id = city, .year = year};
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto evaluation = evaluate(transaction, city, year, {});
    if (!evaluation) return evaluation.take_error();
    auto report = internal::find_report(transaction, city, year);
    if (!report) return report.take_error();
    view.report = *report;
    view.indicators.clear();
    for (const auto* version : evaluation->catalogue.for_year(year))
      view.indicators.push_back(*version);
    view.values.clear();
    auto& year_evaluation = evaluation->years.front();
    for (const auto& [key, value] : year_evaluation.after) view.values.push_back(value);
    view.findings = std::move(year_evaluation.findings);
    view.events.clear();
    if (!*report) return {};
    auto events = transaction.query(kEvents, {(*report)->id});
    if (!events) return events.take_error();
    for (const auto& row : *events) {
      view.events.push_back(ReportEvent{row.integer(0), row.text(1), row.text(2),
                                        parse_status(row.text(3)).value_or(ReportStatus::draft),
                                        parse_status(row.text(4)).value_or(ReportStatus::draft),
                                        row.text(5)});
    }
    return {};
  });
  if (!status) return status.take_error();
  return view;
}

Result<std::vector<ValueRevision>> Monitoring::revisions(const auth::Principal& principal,
                                                         CityId city, int year) const {
  if (!internal::may_read(principal, city)) return Error::forbidden();
  IK_TRY(internal::check_year(year));
  std::vector<ValueRevision> revisions;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto rows = transaction.query(kRevisions, {city, std::int64_t{year}});
    if (!rows) return rows.take_error();
    revisions.clear();
    for (const auto& row : *rows) {
      revisions.push_back(ValueRevision{row.integer(0), row.text(1),
                                        static_cast<int>(row.integer(2)), row.text(3), row.text(4),
                                        row.text(5), row.text(6)});
    }
    return {};
  });
  if (!status) return status.take_error();
  return revisions;
}

Result<std::vector<Finding>> Monitoring::validate(const auth::Principal& principal, CityId city,
                                                  int year,
                                                  const std::vector<ValueEdit>& edits) const {
  if (!may_enter(principal, city)) return Error::forbidden();
  IK_TRY(internal::check_year(year));
  std::vector<Finding> findings;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto evaluation = evaluate(transaction, city, year, edits);
    if (!evaluation) return evaluation.take_error();
    findings = std::move(evaluation->years.front().findings);
    return {};
  });
  if (!status) return status.take_error();
  return findings;
}

namespace {

using RevisionMap = std::map<internal::ValueKey, std::int64_t>;

Result<RevisionMap> last_revisions(storage::Transaction& transaction, std::int64_t report_id) {
  RevisionMap last;
  auto rows = transaction.query(kLastRevisions, {report_id});
  if (!rows) return rows.take_error();
  for (const auto& row : *rows) last.emplace(internal::ValueKey{row.text(0), row.text(1)}, row.integer(2));
  return last;
}

// The changed cells of one report: updates and deletions at once, new values and every
// revision in multi-row inserts (flush() before anything reads them).
class CellWriter {
 public:
  CellWriter(storage::Transaction& transaction, std::int64_t report_id,
             const internal::AuditActor& actor, std::int64_t now)
      : transaction_(transaction),
        report_id_(report_id),
        actor_(actor),
        now_(now),
        values_(transaction, std::string(kInsertValues), kValueColumns),
        revisions_(transaction, std::string(kInsertRevisions), kRevisionColumns) {}

  // One changed cell (insert, update or delete) and its revision.
  Status write(const Value* before, const Value* after, std::int64_t revision) {
    const auto& any = after ? *after : *before;
    if (after && before) {
      IK_TRY(transaction_.execute(
          kUpdateValue,
          {report_id_, before->indicator_version_id, before->category_id,
           after->indicator_version_id, after->category_id, optional_value(after->numerator),
           optional_value(after->unknown), optional_value(after->denominator), after->comment,
           after->source, after->reference_date, revision}));
    } else if (after) {
      IK_TRY(values_.add({report_id_, after->indicator_version_id, after->category_id,
                          optional_value(after->numerator), optional_value(after->unknown),
                          optional_value(after->denominator), after->comment, after->source,
                          after->reference_date, revision}));
    } else {
      IK_TRY(transaction_.execute(
          kDeleteValue, {report_id_, before->indicator_version_id, before->category_id}));
    }
    return revisions_.add({report_id_, any.indicator_version_id, any.category_id, revision, now_,
                           internal::user_value(actor_), actor_.name,
                           before ? value_json(*before) : std::string(),
                           after ? value_json(*after) : std::string()});
  }

  Status flush() {
    IK_TRY(values_.flush());
    return revisions_.flush();
  }

 private:
  storage::Transaction& transaction_;
  std::int64_t report_id_;
  const internal::AuditActor& actor_;
  std::int64_t now_;
  storage::BulkInsert values_;
  storage::BulkInsert revisions_;
};

// An audit entry names this many changed cells and counts the rest: the revisions hold every
// cell, and an import's entry would otherwise list thousands.
constexpr int kAuditedCells = 20;

// Writes the cells of one year's evaluation that differ from what is stored, each with a
// revision, and an audit entry when anything changed; returns the number of changed cells.
// `report_id` is 0 when the year has no report yet (it is created at the first change).
Result<int> write_year(storage::Transaction& transaction, CityId city, int year,
                       std::int64_t report_id, const Evaluation& evaluation,
                       const internal::AuditActor& actor, std::int64_t now) {
  // Made at the first change (with the last revisions): an unchanged year costs nothing.
  std::optional<CellWriter> writer;
  RevisionMap last;
  int changed = 0;
  std::vector<std::string> named;  // the first kAuditedCells changed cells, for the audit entry
  auto change = [&](const internal::ValueKey& key, const Value* before,
                    const Value* after) -> Status {
    if (before && after && same_value(*before, *after)) return {};
    if (!writer) {
      if (report_id == 0) {
        auto inserted = transaction.query_one(kInsertReport, {city, std::int64_t{year}, now});
        if (!inserted) return inserted.take_error();
        report_id = (*inserted)->integer(0);
      } else {
        auto found = last_revisions(transaction, report_id);
        if (!found) return found.take_error();
        last = std::move(*found);
      }
      writer.emplace(transaction, report_id, actor, now);
    }
    if (++changed <= kAuditedCells) named.push_back(key.first + "/" + key.second);
    return writer->write(before, after, ++last[key]);
  };
  for (const auto& [key, after] : evaluation.after) {
    const auto found = evaluation.before.find(key);
    IK_TRY(change(key, found == evaluation.before.end() ? nullptr : &found->second, &after));
  }
  for (const auto& [key, before] : evaluation.before) {
    if (!evaluation.after.contains(key)) IK_TRY(change(key, &before, nullptr));
  }
  if (changed == 0) return 0;
  IK_TRY(writer->flush());
  IK_TRY(transaction.execute(kTouchReport, {report_id, now}));
  IK_TRY(audit::record(
      transaction,
      audit::Entry{.at = now,
                   .actor_user_id = actor.user_id,
                   .actor_name = actor.name,
                   .action = "monitoring.values_save",
                   .entity = "report",
                   .entity_id = std::to_string(report_id),
                   .city_id = city,
                   .after_json = nlohmann::json{{"year", year}, {"changed", changed}, {"cells", named}}.dump(),
                   .request_id = actor.request_id}));
  return changed;
}

}  // namespace

namespace internal {

Result<std::vector<std::vector<Finding>>> validate_years(storage::Transaction& transaction,
                                                         CityId city,
                                                         const std::vector<YearEdits>& years) {
  auto evaluations = evaluate_years(transaction, city, years);
  if (!evaluations) return evaluations.take_error();
  std::vector<std::vector<Finding>> findings;
  findings.reserve(years.size());
  for (auto& year : evaluations->years) findings.push_back(std::move(year.findings));
  return findings;
}

Result<std::vector<SaveOutcome>> save_years(storage::Transaction& transaction, CityId city,
                                            const std::vector<YearEdits>& years,
                                            const AuditActor& actor, std::int64_t now) {
  IK_TRY(check_city(transaction, city));
  std::vector<std::int64_t> report_ids;  // 0: no report yet
  for (const auto& [year, edits] : years) {
    IK_TRY(check_year(year));
    IK_TRY(check_not_future(year, now));
    auto report = find_report(transaction, city, year);
    if (!report) return report.take_error();
    if (*report && (*report)->locked()) return Error::conflict("report.locked");
    report_ids.push_back(*report ? (*report)->id : 0);
  }
  auto evaluations = evaluate_years(transaction, city, years);
  if (!evaluations) return evaluations.take_error();
  std::vector<SaveOutcome> outcomes(years.size());
  bool stopped = false;
  for (std::size_t index = 0; index < years.size(); ++index) {
    std::set<std::string> edited;
    for (const auto& edit : years[index].edits) edited.insert(edit.indicator_code);
    auto& findings = evaluations->years[index].findings;
    stopped = stopped || std::any_of(findings.begin(), findings.end(), [&](const Finding& finding) {
                return stops_save(finding, edited);
              });
    outcomes[index].findings = std::move(findings);
  }
  if (stopped) return outcomes;
  for (std::size_t index = 0; index < years.size(); ++index) {
    auto changed = write_year(transaction, city, years[index].year, report_ids[index],
                              evaluations->years[index], actor, now);
    if (!changed) return changed.take_error();
    outcomes[index].saved = true;
    outcomes[index].changed = *changed;
  }
  return outcomes;
}

}  // namespace internal

Result<SaveOutcome> Monitoring::save_values(const auth::Principal& principal, CityId city, int year,
                                            const std::vector<ValueEdit>& edits,
                                            std::string_view request_id) {
  if (!may_enter(principal, city)) return Error::forbidden();
  IK_TRY(internal::check_year(year));
  const auto actor = internal::actor_of(principal, request_id);
  const auto now = clock_.now();
  SaveOutcome outcome;
  auto status = storage_.write([&](storage::Transaction& transaction) -> Status {
    auto outcomes = internal::save_years(transaction, city, {internal::YearEdits{year, edits}},
                                         actor, now);
    if (!outcomes) return outcomes.take_error();
    outcome = std::move(outcomes->front());
    return {};
  });
  if (!status) return status.take_error();
  return outcome;
}

}  // namespace ik::monitoring
