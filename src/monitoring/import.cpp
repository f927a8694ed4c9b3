// The import of a city's monitoring data: the file's rows become value edits per year, checked
// row by row here (what only the file knows: cells, number formats, duplicates, the city) and by
// Monitoring::validate (the rules); the commit saves every year in one transaction.
#include "monitoring/import.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "audit/audit.hpp"
#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/date.hpp"
#include "core/text.hpp"
#include "monitoring/internal.hpp"
#include "storage/storage.hpp"

namespace ik::monitoring {
namespace {

using tabular::Cell;

constexpr int kColumnCount = 12;
constexpr std::array<std::string_view, kColumnCount> kTitles = {
    "Stadt", "Jahr", "Indikator-Code", "Indikator", "Kategorie-Code", "Kategorie",
    "Anzahl mit Einwanderungsgeschichte", "Anzahl ohne Angabe", "Anzahl insgesamt", "Quelle", "Stichtag",
    "Kommentar"};
// The same columns under stable English names, for files written by programs.
constexpr std::array<std::string_view, kColumnCount> kKeys = {
    "city", "year", "indicator_code", "indicator", "category_code", "category",
    "numerator", "unknown", "denominator", "source", "reference_date", "comment"};
constexpr std::array<ImportColumn, 7> kRequired = {
    ImportColumn::city, ImportColumn::year, ImportColumn::indicator_code, ImportColumn::category_code,
    ImportColumn::numerator, ImportColumn::unknown, ImportColumn::denominator};

int index_of(ImportColumn column) { return static_cast<int>(column) - 1; }

// Where each template column is in the file (1-based; 0 when the file lacks it).
struct Layout {
  std::array<int, kColumnCount> position{};
  int at(ImportColumn column) const { return position[static_cast<std::size_t>(index_of(column))]; }
};

ImportProblem problem(int row, int column, std::string key, std::vector<std::pair<std::string, std::string>> params = {},
                      Severity severity = Severity::error) {
  return ImportProblem{row, column, severity, std::move(key), std::move(params)};
}

// A problem from an Error whose field names a cell ("C7") or nothing (the whole file).
ImportProblem problem_at_cell(const Error& error) {
  const auto position = tabular::parse_cell_name(error.field);
  return problem(position ? position->row : 0, position ? position->column : 0, error.message_key);
}

std::optional<ImportColumn> column_named(std::string_view title) {
  const auto wanted = text::lower_ascii(text::trim(title));
  for (int index = 0; index < kColumnCount; ++index) {
    if (wanted == text::lower_ascii(kTitles[static_cast<std::size_t>(index)]) ||
        wanted == kKeys[static_cast<std::size_t>(index)]) {
      return static_cast<ImportColumn>(index + 1);
    }
  }
  return std::nullopt;
}

Layout read_layout(const tabular::Row& header, std::vector<ImportProblem>& problems) {
  Layout layout;
  for (int column = 1; column <= static_cast<int>(header.cells.size()); ++column) {
    const auto& title = header.at(column).value;
    if (text::trim(title).empty()) continue;
    const auto known = column_named(title);
    if (!known) {
      problems.push_back(problem(header.number, column, "import.header_unknown", {{"title", title}}, Severity::warning));
      continue;
    }
    auto& slot = layout.position[static_cast<std::size_t>(index_of(*known))];
    if (slot != 0) {
      problems.push_back(problem(header.number, column, "import.header_twice", {{"title", title}}));
      continue;
    }
    slot = column;
  }
  for (const auto column : kRequired) {
    if (layout.at(column) == 0) {
      problems.push_back(problem(header.number, 0, "import.header_missing", {{"title", std::string(column_title(column))}}));
    }
  }
  return layout;
}

// "31.12.2024" → "2024-12-31", "12.2024" → "2024-12" (parse_entered_date, as on the grid), an
// Excel date number → ISO; other text as is, for the Stichtag check to name.
std::string reference_date(const Cell& cell) {
  const auto value = std::string(text::trim(cell.value));
  if (cell.kind == tabular::CellKind::number) return tabular::excel_serial_to_iso(value).value_or(value);
  const auto date = parse_entered_date(value);
  return date ? date->iso() : value;
}

// What the checks need from the catalogue and the cooperation, loaded once per file.
class Context {
 public:
  Context(const Monitoring& monitoring, const cooperation::Cooperation& cooperation, int latest_year)
      : monitoring_(monitoring), cooperation_(cooperation), latest_year_(latest_year) {}

  // The current year: later years have no data yet.
  int latest_year() const { return latest_year_; }

  Status load() {
    auto cities = cooperation_.cities();
    if (!cities) return cities.take_error();
    cities_ = std::move(*cities);
    for (const auto& city : cities_) {
      city_names_.emplace(city.slug, &city);
      city_names_.emplace(text::lower_ascii(city.name), &city);
    }
    auto breakdowns = monitoring_.breakdowns();
    if (!breakdowns) return breakdowns.take_error();
    breakdowns_ = std::move(*breakdowns);
    auto versions = monitoring_.indicator_versions();
    if (!versions) return versions.take_error();
    for (auto& version : *versions) versions_[version.code].push_back(std::move(version));
    return {};
  }

  // By code (slug) or name, ignoring case.
  const cooperation::City* city(std::string_view name) const {
    const auto found = city_names_.find(text::lower_ascii(text::trim(name)));
    return found == city_names_.end() ? nullptr : found->second;
  }

  // Every version of the indicator (empty for an unknown code).
  const std::vector<IndicatorVersion>& versions(const std::string& code) const {
    static const std::vector<IndicatorVersion> none;
    const auto found = versions_.find(code);
    return found == versions_.end() ? none : found->second;
  }

  const Breakdown* breakdown(std::int64_t id) const {
    for (const auto& breakdown : breakdowns_) {
      if (breakdown.id == id) return &breakdown;
    }
    return nullptr;
  }

 private:
  const Monitoring& monitoring_;
  const cooperation::Cooperation& cooperation_;
  int latest_year_;
  std::vector<cooperation::City> cities_;
  std::map<std::string, const cooperation::City*> city_names_;
  std::vector<Breakdown> breakdowns_;
  std::map<std::string, std::vector<IndicatorVersion>> versions_;
};

// Turns the sheet's rows into batches, reporting every problem a row has by its cell.
class RowReader {
 public:
  RowReader(Context& context, CityId city, const Layout& layout, ImportPreview& preview)
      : context_(context), city_(city), layout_(layout), preview_(preview) {}

  Status read(const tabular::Row& row) {
    ++preview_.data_rows;
    bool ok = true;
    const auto report = [&](int column, std::string key, std::vector<std::pair<std::string, std::string>> params = {}) {
      preview_.problems.push_back(problem(row.number, column, std::move(key), std::move(params)));
      ok = false;
    };
    const auto cell = [&](ImportColumn column) -> const Cell& { return row.at(layout_.at(column)); };

    const auto& city_text = cell(ImportColumn::city).value;
    const auto* city = context_.city(city_text);
    if (!city) {
      report(layout_.at(ImportColumn::city), text::trim(city_text).empty() ? "import.city_missing" : "import.unknown_city",
             {{"value", city_text}});
    } else if (city->id != city_) {
      report(layout_.at(ImportColumn::city), "import.other_city", {{"city", city->name}});
    }

    int year = 0;
    auto year_cell = tabular::parse_count(cell(ImportColumn::year), {});
    if (!year_cell) {
      report(layout_.at(ImportColumn::year), year_cell.error().message_key, {{"value", cell(ImportColumn::year).value}});
    } else if (!year_cell->has_value() || **year_cell < kEarliestYear || **year_cell > kLatestYear) {
      report(layout_.at(ImportColumn::year), "import.year_invalid", {{"value", cell(ImportColumn::year).value}});
    } else if (**year_cell > context_.latest_year()) {
      report(layout_.at(ImportColumn::year), "import.year_in_future",
             {{"value", std::to_string(**year_cell)}, {"latest", std::to_string(context_.latest_year())}});
    } else {
      year = static_cast<int>(**year_cell);
    }

    ValueEdit edit;
    edit.indicator_code = text::trim(cell(ImportColumn::indicator_code).value);
    edit.category_code = text::trim(cell(ImportColumn::category_code).value);
    if (year != 0) check_codes(edit, year, report);

    std::array<std::optional<std::int64_t>, 3> counts;
    const std::array<ImportColumn, 3> count_columns = {ImportColumn::numerator, ImportColumn::unknown,
                                                       ImportColumn::denominator};
    for (std::size_t index = 0; index < counts.size(); ++index) {
      const auto column = count_columns[index];
      auto count = tabular::parse_count(cell(column), {});
      if (!count) {
        report(layout_.at(column), count.error().message_key, {{"value", cell(column).value}});
      } else if (count->has_value() && **count < 0) {
        report(layout_.at(column), "import.negative_count", {{"value", cell(column).value}});
      } else {
        counts[index] = *count;
      }
    }
    edit.numerator = counts[0];
    edit.unknown = counts[1];
    edit.denominator = counts[2];
    if (edit.denominator && edit.numerator.value_or(0) + edit.unknown.value_or(0) > *edit.denominator) {
      report(layout_.at(ImportColumn::numerator), "import.part_above_total",
             {{"part", std::to_string(edit.numerator.value_or(0) + edit.unknown.value_or(0))},
              {"total", std::to_string(*edit.denominator)}});
    }
    edit.source = text::trim(cell(ImportColumn::source).value);
    edit.comment = text::trim(cell(ImportColumn::comment).value);
    edit.reference_date = reference_date(cell(ImportColumn::reference_date));

    if (!ok) return {};
    // An empty row leaves the stored value alone: the import adds and changes, it never deletes.
    if (!edit.numerator && !edit.unknown && !edit.denominator && edit.source.empty() && edit.comment.empty() &&
        edit.reference_date.empty()) {
      return {};
    }
    // Both codes are known ones (checked above), which hold no line break: the key is unambiguous.
    auto key = std::to_string(year) + '\n' + edit.indicator_code + '\n' + edit.category_code;
    if (const auto [first, inserted] = first_row_.emplace(std::move(key), row.number); !inserted) {
      report(0, "import.duplicate_row", {{"row", std::to_string(first->second)}});
      return {};
    }
    batch(year).rows.push_back(ImportRow{row.number, std::move(edit)});
    return {};
  }

 private:
  template <class Report>
  void check_codes(const ValueEdit& edit, int year, const Report& report) const {
    const int indicator_column = layout_.at(ImportColumn::indicator_code);
    const auto& versions = context_.versions(edit.indicator_code);
    if (versions.empty()) {
      report(indicator_column, "import.unknown_indicator", {{"value", edit.indicator_code}});
      return;
    }
    const IndicatorVersion* valid = nullptr;
    for (const auto& version : versions) {
      if (version.valid_in(year)) valid = &version;
    }
    if (!valid) {
      report(indicator_column, "import.indicator_not_valid", {{"value", edit.indicator_code}, {"year", std::to_string(year)}});
      return;
    }
    const auto* breakdown = context_.breakdown(valid->breakdown_id);
    if (!breakdown || !breakdown->find(edit.category_code)) {
      report(layout_.at(ImportColumn::category_code), "import.unknown_category",
             {{"value", edit.category_code}, {"indicator", edit.indicator_code}});
    }
  }

  ImportBatch& batch(int year) {
    for (auto& batch : preview_.batches) {
      if (batch.year == year) return batch;
    }
    preview_.batches.push_back(ImportBatch{city_, year, {}});
    return preview_.batches.back();
  }

  Context& context_;
  CityId city_;
  const Layout& layout_;
  ImportPreview& preview_;
  std::unordered_map<std::string, int> first_row_;  // "year\nindicator\ncategory" → file row
};

// The file column of a finding's field.
int column_of_field(const Layout& layout, std::string_view field) {
  if (field == "numerator") return layout.at(ImportColumn::numerator);
  if (field == "unknown") return layout.at(ImportColumn::unknown);
  if (field == "denominator") return layout.at(ImportColumn::denominator);
  if (field == "comment") return layout.at(ImportColumn::comment);
  if (field == "source") return layout.at(ImportColumn::source);
  if (field == "reference_date") return layout.at(ImportColumn::reference_date);
  return 0;
}

std::vector<internal::YearEdits> year_edits(const std::vector<ImportBatch>& batches) {
  std::vector<internal::YearEdits> years;
  years.reserve(batches.size());
  for (const auto& batch : batches) {
    auto& year = years.emplace_back(internal::YearEdits{batch.year, {}});
    year.edits.reserve(batch.rows.size());
    for (const auto& row : batch.rows) year.edits.push_back(row.edit);
  }
  return years;
}

// The findings of the monitoring rules for one year, placed at the rows they concern. Findings
// of indicators the file does not touch are not the file's problem and are left out.
void add_findings(const ImportBatch& batch, const Layout& layout, const std::vector<Finding>& findings,
                  std::vector<ImportProblem>& problems) {
  std::set<std::string> touched;
  for (const auto& row : batch.rows) touched.insert(row.edit.indicator_code);
  for (const auto& finding : findings) {
    if (!finding.edit && !touched.contains(finding.indicator_code)) continue;
    const int row = finding.edit ? batch.rows[*finding.edit].row : 0;
    const auto comment = finding.severity == Severity::error ? WarningComment::not_asked
                         : finding.blocking                  ? WarningComment::missing
                                                             : WarningComment::given;
    problems.push_back(ImportProblem{row, finding.edit ? column_of_field(layout, finding.field) : 0, finding.severity,
                                     finding.message_key, finding.params, finding.indicator_code,
                                     finding.category_code, batch.year, comment});
  }
}

// Leaves out of the batches what cannot be imported as it is: every row of a locked year and
// every row with an error, so that the preview lists only rows without one.
void drop_rows_with_errors(ImportPreview& preview, const std::set<int>& locked_years) {
  std::set<int> rows_with_errors;
  for (const auto& problem : preview.problems) {
    if (problem.severity == Severity::error && problem.row > 0) rows_with_errors.insert(problem.row);
  }
  std::erase_if(preview.batches, [&](const ImportBatch& batch) { return locked_years.contains(batch.year); });
  for (auto& batch : preview.batches) {
    std::erase_if(batch.rows, [&](const ImportRow& row) { return rows_with_errors.contains(row.row); });
  }
  std::erase_if(preview.batches, [](const ImportBatch& batch) { return batch.rows.empty(); });
}

void sort_problems(std::vector<ImportProblem>& problems) {
  std::stable_sort(problems.begin(), problems.end(), [](const ImportProblem& a, const ImportProblem& b) {
    return std::tie(a.row, a.column) < std::tie(b.row, b.column);
  });
}

// The file read and checked row by row (without the monitoring rules).
struct ReadRows {
  ImportPreview preview;
  Layout layout;
};

Result<ReadRows> read_rows(const auth::Principal& principal, CityId city, std::string_view bytes,
                           std::string_view file_name, const Monitoring& monitoring,
                           const cooperation::Cooperation& cooperation, std::int64_t now) {
  if (!principal.has_for_city(auth::Role::city_entry, city)) return Error::forbidden();
  ReadRows read;
  auto& preview = read.preview;
  preview.digest = crypto::sha256_hex(bytes);
  auto sheet = tabular::read_any(bytes, file_name);
  if (!sheet) {
    preview.problems.push_back(problem_at_cell(sheet.error()));
    return read;
  }
  read.layout = read_layout(sheet->rows.front(), preview.problems);
  if (preview.has_errors()) return read;
  Context context(monitoring, cooperation, utc_year(now));
  IK_TRY(context.load());
  RowReader reader(context, city, read.layout, preview);
  for (std::size_t index = 1; index < sheet->rows.size(); ++index) IK_TRY(reader.read(sheet->rows[index]));
  std::sort(preview.batches.begin(), preview.batches.end(),
            [](const ImportBatch& a, const ImportBatch& b) { return a.year < b.year; });
  if (preview.data_rows == 0) preview.problems.push_back(problem(0, 0, "import.no_rows"));
  sort_problems(preview.problems);
  return read;
}

}  // namespace

std::string_view column_title(ImportColumn column) { return kTitles[static_cast<std::size_t>(index_of(column))]; }

bool ImportPreview::has_errors() const {
  return std::any_of(problems.begin(), problems.end(),
                     [](const ImportProblem& problem) { return problem.severity == Severity::error; });
}

Importer::Importer(storage::Storage& storage, const Clock& clock, const cooperation::Cooperation& cooperation)
    : storage_(storage), clock_(clock), cooperation_(cooperation) {}

Result<tabular::Sheet> Importer::template_sheet(const auth::Principal& principal, CityId city, int year) const {
  const Monitoring monitoring(storage_, clock_, cooperation_);
  auto view = monitoring.report(principal, city, year);
  if (!view) return view.take_error();
  auto breakdowns = monitoring.breakdowns();
  if (!breakdowns) return breakdowns.take_error();
  std::string city_slug;
  auto cities = cooperation_.cities();
  if (!cities) return cities.take_error();
  for (const auto& known : *cities) {
    if (known.id == city) city_slug = known.slug;
  }
  if (city_slug.empty()) return Error::not_found("city " + std::to_string(city));

  tabular::Sheet sheet;
  tabular::Row header{.number = 1};
  for (const auto title : kTitles) header.cells.push_back(Cell{tabular::CellKind::text, std::string(title)});
  sheet.rows.push_back(std::move(header));
  const auto number = [](const std::optional<std::int64_t>& value) {
    return value ? Cell{tabular::CellKind::number, std::to_string(*value)} : Cell{};
  };
  const auto text_cell = [](std::string value) { return Cell{tabular::CellKind::text, std::move(value)}; };
  for (const auto& indicator : view->indicators) {
    const Breakdown* breakdown = nullptr;
    for (const auto& candidate : *breakdowns) {
      if (candidate.id == indicator.breakdown_id) breakdown = &candidate;
    }
    if (!breakdown) continue;
    for (const auto& category : breakdown->categories) {
      const Value* stored = nullptr;
      for (const auto& value : view->values) {
        if (value.indicator_code == indicator.code && value.category_code == category.code) stored = &value;
      }
      tabular::Row row{.number = static_cast<int>(sheet.rows.size()) + 1};
      row.cells = {text_cell(city_slug), Cell{tabular::CellKind::number, std::to_string(year)},
                   text_cell(indicator.code), text_cell(indicator.name_de), text_cell(category.code),
                   text_cell(category.name_de), number(stored ? stored->numerator : std::nullopt),
                   number(stored ? stored->unknown : std::nullopt), number(stored ? stored->denominator : std::nullopt),
                   text_cell(stored ? stored->source : ""), text_cell(stored ? stored->reference_date : ""),
                   text_cell(stored ? stored->comment : "")};
      sheet.rows.push_back(std::move(row));
    }
  }
  return sheet;
}

Result<ImportPreview> Importer::preview(const auth::Principal& principal, CityId city, std::string_view bytes,
                                        std::string_view file_name) const {
  const Monitoring monitoring(storage_, clock_, cooperation_);
  auto read = read_rows(principal, city, bytes, file_name, monitoring, cooperation_, clock_.now());
  if (!read) return read.take_error();
  auto& preview = read->preview;
  const auto years = year_edits(preview.batches);
  std::set<int> locked_years;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    // A locked year would only be refused at the commit; said here, once, at its first row's year.
    locked_years.clear();
    for (const auto& batch : preview.batches) {
      auto report = internal::find_report(transaction, city, batch.year);
      if (!report) return report.take_error();
      if (!*report || !(*report)->locked() || batch.rows.empty()) continue;
      locked_years.insert(batch.year);
      preview.problems.push_back(problem(batch.rows.front().row, read->layout.at(ImportColumn::year),
                                         "import.report_locked", {{"year", std::to_string(batch.year)}}));
    }
    auto findings = internal::validate_years(transaction, city, years);
    if (!findings) return findings.take_error();
    for (std::size_t index = 0; index < years.size(); ++index)
      add_findings(preview.batches[index], read->layout, (*findings)[index], preview.problems);
    return {};
  });
  IK_TRY(status);
  sort_problems(preview.problems);
  drop_rows_with_errors(preview, locked_years);
  return std::move(preview);
}

Result<ImportOutcome> Importer::commit(const auth::Principal& principal, CityId city, std::string_view bytes,
                                       std::string_view file_name, std::string_view request_id) {
  const auto now = clock_.now();
  auto read = read_rows(principal, city, bytes, file_name, Monitoring(storage_, clock_, cooperation_), cooperation_, now);
  if (!read) return read.take_error();
  ImportOutcome outcome;
  outcome.preview = std::move(read->preview);
  if (outcome.preview.has_errors()) return outcome;
  const auto actor = internal::actor_of(principal, request_id);
  const auto years = year_edits(outcome.preview.batches);
  int changed = 0;
  std::vector<ImportProblem> findings;
  // The rules run inside the transaction, so what is written is what was checked; an error in
  // any year writes no year.
  auto written = storage_.write([&](storage::Transaction& transaction) -> Status {
    changed = 0;
    findings.clear();
    auto saved = internal::save_years(transaction, city, years, actor, now);
    if (!saved) return saved.take_error();
    for (std::size_t index = 0; index < years.size(); ++index) {
      const auto& year = (*saved)[index];
      if (!year.saved) add_findings(outcome.preview.batches[index], read->layout, year.findings, findings);
      changed += year.changed;
    }
    if (!findings.empty()) return Error::invalid("", "import.has_errors");
    if (changed == 0) return {};
    return audit::record(transaction, audit::Entry{.at = now,
                                                   .actor_user_id = principal.user_id,
                                                   .actor_name = principal.username,
                                                   .action = "import.values",
                                                   .entity = "import",
                                                   .entity_id = outcome.preview.digest,
                                                   .city_id = city,
                                                   .after_json = "{\"rows\":" + std::to_string(outcome.preview.data_rows) +
                                                                 ",\"changed\":" + std::to_string(changed) + "}",
                                                   .request_id = std::string(request_id)});
  });
  if (!findings.empty()) {
    outcome.preview.problems = std::move(findings);
    sort_problems(outcome.preview.problems);
    return outcome;
  }
  IK_TRY(written);
  outcome.committed = true;
  outcome.changed = changed;
  return outcome;
}

}  // namespace ik::monitoring
