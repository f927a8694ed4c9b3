// Monitoring pages of the signed-in area: a city's reports, the data-entry grid of one year with
// its findings and workflow, and the office's indicator catalogue, validation rules and list of
// reports waiting for a step.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

#include "app/frame.hpp"
#include "app/handlers.hpp"
#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "monitoring/figures.hpp"
#include "monitoring/monitoring.hpp"
#include "web/forms.hpp"

namespace ik::app {
namespace {

using monitoring::Finding;
using monitoring::IndicatorVersion;
using monitoring::ReportStatus;
using web::Attribute;
using web::flag;
using web::Html;

void heading(Html& html, std::string_view text) {
  html.element("h1", {{"class", "kern-heading-x-large"}}, text);
}
void subheading(Html& html, std::string_view text) {
  html.element("h2", {{"class", "kern-heading-medium"}}, text);
}

bool english(const Call& call) { return call.language == web::Language::en; }

std::string status_label(const Call& call, ReportStatus status) {
  return std::string(call.text("report.status_" + std::string(monitoring::status_name(status))));
}

// A message whose "{name}" placeholders take the finding's parameters.
std::string finding_text(const Call& call, const Finding& finding) {
  auto text = std::string(call.text(finding.message_key));
  for (const auto& [name, value] : finding.params) {
    const auto placeholder = "{" + name + "}";
    for (auto at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  if (finding.severity == monitoring::Severity::warning) {
    text = std::string(call.text(finding.blocking ? "report.warning_needs_comment"
                                                  : "report.warning_commented")) +
           " " + text;
  }
  return text;
}

int current_year(const Services& services) { return utc_year(services.clock.now()); }

// The report year of the path; none before kEarliestYear or after the current year, for which
// there can be no figures yet (the year list stops there too).
std::optional<int> year_param(Call& call, const Services& services) {
  const auto year = text::parse_int(call.params["year"]);
  if (!year || *year < monitoring::kEarliestYear || *year > current_year(services)) return std::nullopt;
  return static_cast<int>(*year);
}

std::string report_path(const std::string& slug, int year) {
  return "/staedte/" + slug + "/monitoring/" + std::to_string(year);
}

// ---- The grid ------------------------------------------------------------------------------

// The form fields of one cell, in reading order; German names as in every form of the site.
enum class Column { numerator, unknown, denominator, comment, source, reference_date };
constexpr std::array<Column, 6> kColumns{Column::numerator,   Column::unknown,
                                         Column::denominator, Column::comment,
                                         Column::source,      Column::reference_date};

std::string_view column_field(Column column) {
  switch (column) {
    case Column::numerator:
      return "numerator";
    case Column::unknown:
      return "unknown";
    case Column::denominator:
      return "denominator";
    case Column::comment:
      return "comment";
    case Column::source:
      return "source";
    case Column::reference_date:
      return "reference_date";
  }
  return "numerator";
}

std::string_view column_form_name(Column column) {
  switch (column) {
    case Column::numerator:
      return "zaehler";
    case Column::unknown:
      return "ohne_angabe";
    case Column::denominator:
      return "nenner";
    case Column::comment:
      return "kommentar";
    case Column::source:
      return "quelle";
    case Column::reference_date:
      return "stichtag";
  }
  return "zaehler";
}

std::string_view column_label_key(Column column, bool has_denominator) {
  switch (column) {
    case Column::numerator:
      return has_denominator ? "report.column_numerator" : "report.column_count";
    case Column::unknown:
      return "report.column_unknown";
    case Column::denominator:
      return "report.column_denominator";
    case Column::comment:
      return "report.column_comment";
    case Column::source:
      return "report.column_source";
    case Column::reference_date:
      return "report.column_reference_date";
  }
  return "report.column_numerator";
}

bool is_count(Column column) {
  return column == Column::numerator || column == Column::unknown || column == Column::denominator;
}

std::vector<Column> columns_of(const IndicatorVersion& indicator) {
  std::vector<Column> columns;
  for (const auto column : kColumns) {
    if (!indicator.has_denominator && (column == Column::unknown || column == Column::denominator))
      continue;
    columns.push_back(column);
  }
  return columns;
}

std::string field_id(const std::string& indicator, const std::string& category, Column column) {
  return indicator + "--" + category + "--" + std::string(column_form_name(column));
}

using CellKey = std::pair<std::string, std::string>;
using CellInput = std::map<Column, std::string>;
using GridInput = std::map<CellKey, CellInput>;

// As a German user types it (thousands dots, which parse_count reads back); plain digits in
// English, where a thousands comma would not read back.
std::string count_text(const Call& call, const std::optional<std::int64_t>& count) {
  if (!count) return "";
  return english(call) ? std::to_string(*count) : monitoring::format_count(*count, monitoring::DecimalMark::comma);
}

GridInput grid_of(const Call& call, const std::vector<monitoring::Value>& values) {
  GridInput grid;
  for (const auto& value : values) {
    auto& cell = grid[{value.indicator_code, value.category_code}];
    cell[Column::numerator] = count_text(call, value.numerator);
    cell[Column::unknown] = count_text(call, value.unknown);
    cell[Column::denominator] = count_text(call, value.denominator);
    cell[Column::comment] = value.comment;
    cell[Column::source] = value.source;
    cell[Column::reference_date] = date_as_entered(call, value.reference_date);
  }
  return grid;
}

// A count as typed: "1234", "1.234" (thousands dots) or "" (no figure). nullopt when invalid.
std::optional<std::optional<std::int64_t>> parse_count(std::string_view typed) {
  auto text = std::string(text::trim(typed));
  if (text.empty()) return std::optional<std::int64_t>{};
  const bool negative = text.front() == '-';
  std::string digits = negative ? text.substr(1) : text;
  if (digits.find('.') != std::string::npos) {
    // Thousands dots only in their places: 1.234 or 12.345.678, never 1.23.
    std::size_t group = 0;
    std::string plain;
    for (std::size_t index = digits.size(); index-- > 0;) {
      if (digits[index] == '.') {
        if (group != 3) return std::nullopt;
        group = 0;
        continue;
      }
      plain.insert(plain.begin(), digits[index]);
      ++group;
    }
    if (group == 0 || group > 3) return std::nullopt;
    digits = plain;
  }
  if (digits.empty() || digits.size() > 15 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const auto value = text::parse_int(digits);
  if (!value) return std::nullopt;
  return std::optional<std::int64_t>{negative ? -*value : *value};
}

struct GridForm {
  GridInput input;
  std::vector<monitoring::ValueEdit> edits;
};

// Reads every cell of the year's indicators; invalid numbers become errors at their field.
GridForm read_grid(const Call& call, const std::vector<IndicatorVersion>& indicators,
                   const std::map<std::int64_t, monitoring::Breakdown>& breakdowns,
                   FormErrors& errors) {
  GridForm form;
  for (const auto& indicator : indicators) {
    const auto& breakdown = breakdowns.at(indicator.breakdown_id);
    for (const auto& category : breakdown.categories) {
      auto& cell = form.input[{indicator.code, category.code}];
      monitoring::ValueEdit edit{.indicator_code = indicator.code, .category_code = category.code};
      for (const auto column : columns_of(indicator)) {
        const auto id = field_id(indicator.code, category.code, column);
        cell[column] = call.field(id);
        if (!is_count(column)) continue;
        const auto count = parse_count(cell[column]);
        if (!count) {
          errors.add(id, std::string(call.text("report.number_invalid")));
          continue;
        }
        (column == Column::numerator ? edit.numerator
         : column == Column::unknown ? edit.unknown
                                     : edit.denominator) = *count;
      }
      // As typed: the service trims, takes CR LF as LF and a German Stichtag as ISO.
      edit.comment = cell[Column::comment];
      edit.source = cell[Column::source];
      edit.reference_date = cell[Column::reference_date];
      form.edits.push_back(std::move(edit));
    }
  }
  return form;
}

// Findings by field id (a finding about the whole cell sits at its first field).
std::map<std::string, std::vector<std::string>> findings_by_field(
    const Call& call, const std::vector<Finding>& findings) {
  std::map<std::string, std::vector<std::string>> messages;
  for (const auto& finding : findings) {
    auto column = Column::numerator;
    for (const auto candidate : kColumns) {
      if (column_field(candidate) == finding.field) column = candidate;
    }
    messages[field_id(finding.indicator_code, finding.category_code, column)].push_back(
        finding_text(call, finding));
  }
  return messages;
}

struct GridPage {
  const cooperation::City* city = nullptr;
  int year = 0;
  monitoring::ReportView view;
  std::vector<monitoring::ImmigrationDefinition> definitions;
  std::map<std::int64_t, monitoring::Breakdown> breakdowns;
  GridInput input;
  std::map<std::string, std::vector<std::string>>
      messages;  // by field id: form errors and findings
  std::vector<std::pair<std::string, std::string>> summary;  // (field id, message)
  std::string reason_error;
  Html notice;
};

bool editable(const Call& call, const GridPage& grid) {
  const bool locked = grid.view.report && grid.view.report->locked();
  return !locked && call.principal->has_for_city(auth::Role::city_entry, grid.city->id);
}

void cell_errors(Html& html, const std::string& id, const std::vector<std::string>& messages) {
  if (messages.empty()) return;
  html.nest("div", {{"class", "kern-error"}, {"id", id + "-fehler"}}, [&] {
    for (const auto& message : messages) html.element("p", {{"class", "kern-body"}}, message);
  });
}

void grid_cell(Html& html, const Call& call, const GridPage& grid,
               const IndicatorVersion& indicator, const monitoring::Category& category,
               Column column, bool edit) {
  const auto id = field_id(indicator.code, category.code, column);
  const auto found = grid.input.find({indicator.code, category.code});
  const std::string value =
      found == grid.input.end() || !found->second.contains(column) ? "" : found->second.at(column);
  const auto messages = grid.messages.find(id);
  const bool has_error = messages != grid.messages.end();
  web::table_cell(html, [&] {
    if (!edit) {
      if (value.empty()) {
        html.text(call.text("report.no_value"));
      } else if (column == Column::comment) {
        html.element("span", {{"class", "monitoring-comment"}}, value);  // keeps its line breaks
      } else {
        html.text(value);
      }
      if (has_error) cell_errors(html, id, messages->second);
      return;
    }
    const auto label = pick(call, category.name_de, category.name_en) + " – " +
                       std::string(call.text(column_label_key(column, indicator.has_denominator)));
    const std::string css = has_error ? "kern-form-input__input kern-form-input__input--error" : "kern-form-input__input";
    const auto described = has_error ? Attribute{"aria-describedby", id + "-fehler"} : flag("aria-describedby", false);
    const auto invalid = has_error ? Attribute{"aria-invalid", "true"} : flag("aria-invalid", false);
    if (column == Column::comment) {
      // A comment may have line breaks (an import keeps them): an input would drop them, and
      // saving the grid unchanged would then change the comment.
      html.element("textarea",
                   {{"class", css}, {"id", id}, {"name", id}, {"rows", "2"}, {"aria-label", label},
                    {"maxlength", "2000"}, described, invalid},
                   value);
    } else {
      html.empty("input", {{"class", css},
                           {"id", id},
                           {"name", id},
                           {"type", "text"},
                           is_count(column) ? Attribute{"inputmode", "numeric"} : flag("inputmode", false),
                           {"value", value},
                           {"aria-label", label},
                           {"maxlength", is_count(column) ? "20" : "500"},
                           described,
                           invalid});
    }
    if (has_error) cell_errors(html, id, messages->second);
  });
}

void indicator_grid(Html& html, const Call& call, const GridPage& grid,
                    const IndicatorVersion& indicator, bool edit) {
  const auto& name = pick(call, indicator.name_de, indicator.name_en);
  subheading(html, name);
  html.element("p", {{"class", "kern-body"}},
               pick(call, indicator.definition_de, indicator.definition_en));
  for (const auto& definition : grid.definitions) {
    if (definition.id != indicator.immigration_definition_id) continue;
    html.element("p", {{"class", "kern-hint"}},
                 web::message_with(
                     call.language, "report.definition_used",
                     {{"definition", pick(call, definition.name_de, definition.name_en)}}));
    if (!definition.is_immigration_history)
      web::alert(html, "warning", std::string(call.text("report.not_immigration_history")));
  }
  const auto columns = columns_of(indicator);
  std::vector<std::string> headers{std::string(call.text("report.column_category"))};
  for (const auto column : columns)
    headers.emplace_back(call.text(column_label_key(column, indicator.has_denominator)));
  web::data_table(html, name, headers, [&] {
    for (const auto& category : grid.breakdowns.at(indicator.breakdown_id).categories) {
      web::table_row(html, [&] {
        std::string indent;
        for (int level = 0; level < category.depth; ++level) indent += "– ";
        html.element("th", {{"class", "kern-table__header"}, {"scope", "row"}},
                     indent + pick(call, category.name_de, category.name_en));
        for (const auto column : columns)
          grid_cell(html, call, grid, indicator, category, column, edit);
      });
    }
  });
}

// A workflow button, with a reason field when the step needs one.
void action_form(Html& html, Call& call, const GridPage& grid, std::string_view action,
                 std::string_view label, bool with_reason) {
  html.nest("form",
            {{"method", "post"},
             {"action", link(call, report_path(grid.city->slug, grid.year) + "/status")},
             {"class", "kern-stack"}},
            [&] {
              web::csrf_field(html, call.csrf());
              html.empty("input",
                         {{"type", "hidden"}, {"name", "aktion"}, {"value", std::string(action)}});
              if (with_reason) {
                const auto id = "begruendung_" + std::string(action);
                html.nest("div",
                          {{"class", grid.reason_error.empty()
                                         ? "kern-form-input"
                                         : "kern-form-input kern-form-input--error"}},
                          [&] {
                            html.element("label", {{"class", "kern-label"}, {"for", id}},
                                         call.text("report.reason"));
                            if (!grid.reason_error.empty()) {
                              html.element("p", {{"class", "kern-error"}, {"id", id + "-fehler"}},
                                           grid.reason_error);
                            }
                            html.element("textarea",
                                         {{"class", "kern-form-input__input"},
                                          {"id", id},
                                          {"name", "begruendung"},
                                          {"rows", "3"},
                                          {"maxlength", "2000"}},
                                         "");
                          });
              }
              html.nest("div", {{"class", "kern-btn-wrapper"}}, [&] {
                web::submit_button(html, label, with_reason ? "secondary" : "primary");
              });
            });
}

void workflow_section(Html& html, Call& call, const GridPage& grid) {
  subheading(html, call.text("report.workflow"));
  if (!grid.view.report) {
    html.element("p", {{"class", "kern-body"}}, call.text("report.not_started"));
    return;
  }
  const auto& report = *grid.view.report;
  const auto& principal = *call.principal;
  const auto city = grid.city->id;
  html.element("p", {{"class", "kern-body"}},
               web::message_with(call.language, "report.current_status",
                                 {{"status", status_label(call, report.status)}}));
  if (!report.return_reason.empty() && report.status == ReportStatus::draft) {
    web::alert(html, "warning",
               web::message_with(call.language, "report.returned_because",
                                 {{"reason", report.return_reason}}));
  }
  const bool office = principal.sees_all_cities();
  const bool approver = principal.has_for_city(auth::Role::city_approval, city);
  if (report.status == ReportStatus::draft &&
      principal.has_for_city(auth::Role::city_entry, city)) {
    action_form(html, call, grid, "submit", call.text("report.action_submit"), false);
  }
  if (report.status == ReportStatus::submitted && approver) {
    action_form(html, call, grid, "approve", call.text("report.action_approve"), false);
  }
  if (report.status == ReportStatus::approved && office) {
    action_form(html, call, grid, "publish", call.text("report.action_publish"), false);
  }
  if (report.status == ReportStatus::published && office) {
    action_form(html, call, grid, "withdraw", call.text("report.action_withdraw"), true);
  }
  const bool may_return = (report.status == ReportStatus::submitted && (approver || office)) ||
                          (office && report.status != ReportStatus::draft);
  if (may_return) action_form(html, call, grid, "return", call.text("report.action_return"), true);
  if (grid.view.events.empty()) return;
  html.element("h3", {{"class", "kern-heading-small"}}, call.text("report.history"));
  html.nest("ul", {{"class", "kern-list"}}, [&] {
    for (const auto& event : grid.view.events) {
      auto line = format_utc(event.at).substr(0, 10) + " – " + event.actor_name + ": " +
                  status_label(call, event.from) + " → " + status_label(call, event.to);
      if (!event.reason.empty()) line += " („" + event.reason + "“)";
      html.element("li", line);
    }
  });
}

// The latest changes of the year's values: who changed which cell when (old → new is kept in
// the revision table and the audit log).
void revision_section(Html& html, const Call& call, const GridPage& grid,
                      const std::vector<monitoring::ValueRevision>& revisions) {
  constexpr std::size_t kShown = 30;
  if (revisions.empty()) return;
  html.element("h3", {{"class", "kern-heading-small"}}, call.text("report.revisions"));
  html.nest("ul", {{"class", "kern-list"}}, [&] {
    for (std::size_t index = 0; index < revisions.size() && index < kShown; ++index) {
      const auto& revision = revisions[index];
      std::string indicator = revision.indicator_code;
      std::string category = revision.category_code;
      for (const auto& version : grid.view.indicators) {
        if (version.code != revision.indicator_code) continue;
        indicator = pick(call, version.name_de, version.name_en);
        if (const auto* found = grid.breakdowns.at(version.breakdown_id).find(revision.category_code)) {
          category = pick(call, found->name_de, found->name_en);
        }
      }
      html.element("li", web::message_with(call.language, "report.revision_line",
                                            {{"date", format_utc(revision.at).substr(0, 10)},
                                             {"actor", revision.actor_name},
                                             {"indicator", indicator},
                                             {"category", category},
                                             {"revision", std::to_string(revision.revision)}}));
    }
  });
}

http::Response render_grid(Call& call, const Services& services, GridPage& grid, int status) {
  const bool edit = editable(call, grid);
  const auto title =
      web::message_with(call.language, "report.title",
                        {{"city", grid.city->name}, {"year", std::to_string(grid.year)}});
  Html main;
  heading(main, title);
  main.append(grid.notice);
  web::error_summary(main, call.language, grid.summary);
  if (!grid.view.findings.empty() && grid.summary.empty()) {
    web::alert(main, "warning",
               web::message_with(call.language, "report.findings_count",
                                 {{"count", std::to_string(grid.view.findings.size())}}));
  }
  if (!edit && grid.view.report && grid.view.report->locked()) {
    web::alert(main, "info", web::message_with(call.language, "report.locked_notice",
                                               {{"status", status_label(call, grid.view.report->status)}}));
  }
  auto grids = [&] {
    for (const auto& indicator : grid.view.indicators)
      indicator_grid(main, call, grid, indicator, edit);
  };
  if (edit) {
    main.element("p", {{"class", "kern-hint"}}, call.text("report.entry_hint"));
    main.nest("form",
              {{"method", "post"},
               {"action", link(call, report_path(grid.city->slug, grid.year))},
               {"class", "kern-stack monitoring-grid"},
               flag("novalidate")},
              [&] {
                web::csrf_field(main, call.csrf());
                grids();
                web::submit_row(main, call.text("report.save"));
              });
  } else {
    grids();
  }
  workflow_section(main, call, grid);
  auto revisions = services.monitoring.revisions(*call.principal, grid.city->id, grid.year);
  if (!revisions) return failure(call, services, revisions.error());
  revision_section(main, call, grid, *revisions);
  return page(call, services, title, std::move(main), status);
}

// Loads everything the grid shows; nullopt after writing the failure into `response`.
std::optional<GridPage> load_grid(Call& call, const Services& services,
                                  const cooperation::City& city, int year,
                                  http::Response& response) {
  GridPage grid;
  grid.city = &city;
  grid.year = year;
  auto view = services.monitoring.report(*call.principal, city.id, year);
  if (!view) {
    response = failure(call, services, view.error());
    return std::nullopt;
  }
  grid.view = std::move(*view);
  auto definitions = services.monitoring.definitions();
  auto breakdowns = services.monitoring.breakdowns();
  if (!definitions || !breakdowns) {
    response = failure(call, services, definitions ? breakdowns.error() : definitions.error());
    return std::nullopt;
  }
  grid.definitions = std::move(*definitions);
  for (auto& breakdown : *breakdowns) grid.breakdowns.emplace(breakdown.id, std::move(breakdown));
  grid.input = grid_of(call, grid.view.values);
  grid.messages = findings_by_field(call, grid.view.findings);
  return grid;
}

void add_findings(const Call& call, GridPage& grid, const std::vector<Finding>& findings) {
  grid.messages = findings_by_field(call, findings);
  for (const auto& finding : findings) {
    if (finding.severity != monitoring::Severity::error) continue;
    auto column = Column::numerator;
    for (const auto candidate : kColumns) {
      if (column_field(candidate) == finding.field) column = candidate;
    }
    grid.summary.emplace_back(field_id(finding.indicator_code, finding.category_code, column),
                              finding_text(call, finding));
  }
}

// ---- Catalogue -----------------------------------------------------------------------------

struct IndicatorForm {
  std::string code;
  monitoring::IndicatorDraft draft;
  std::string precision, valid_from, valid_to;  // as typed
};

IndicatorForm form_of(const IndicatorVersion& version,
                      const std::vector<monitoring::ImmigrationDefinition>& definitions,
                      const std::vector<monitoring::Breakdown>& breakdowns) {
  IndicatorForm form{.code = version.code};
  auto& draft = form.draft;
  draft = {version.name_de,
           version.name_en,
           version.unit,
           version.definition_de,
           version.definition_en,
           "",
           version.population,
           "",
           version.has_denominator,
           version.precision,
           version.valid_from,
           version.valid_to};
  for (const auto& definition : definitions) {
    if (definition.id == version.immigration_definition_id)
      draft.immigration_definition = definition.code;
  }
  for (const auto& breakdown : breakdowns) {
    if (breakdown.id == version.breakdown_id) draft.breakdown = breakdown.code;
  }
  form.precision = std::to_string(version.precision);
  form.valid_from = std::to_string(version.valid_from);
  form.valid_to = version.valid_to ? std::to_string(*version.valid_to) : "";
  return form;
}

IndicatorForm read_indicator_form(const Call& call, std::string code, FormErrors& errors) {
  IndicatorForm form{.code = std::move(code)};
  auto& draft = form.draft;
  draft.name_de = std::string(text::trim(call.field("name_de")));
  draft.name_en = std::string(text::trim(call.field("name_en")));
  draft.definition_de = std::string(text::trim(call.field("definition_de")));
  draft.definition_en = std::string(text::trim(call.field("definition_en")));
  draft.immigration_definition = call.field("immigration_definition");
  draft.breakdown = call.field("breakdown");
  draft.has_denominator = !call.field("has_denominator").empty();
  const auto unit = monitoring::parse_unit(call.field("unit"));
  if (!unit) errors.add("unit", std::string(call.text("form.invalid_choice")));
  draft.unit = unit.value_or(monitoring::Unit::count);
  const auto population = monitoring::parse_population(call.field("population"));
  if (!population) errors.add("population", std::string(call.text("form.invalid_choice")));
  draft.population = population.value_or(monitoring::Population::staff);
  form.precision = std::string(text::trim(call.field("precision")));
  form.valid_from = std::string(text::trim(call.field("valid_from")));
  form.valid_to = std::string(text::trim(call.field("valid_to")));
  const auto number = [&](const std::string& typed, const char* field) -> std::optional<int> {
    const auto value = text::parse_int(typed);
    if (!value || *value < 0 || *value > monitoring::kLatestYear) {
      errors.add(field, std::string(call.text("report.number_invalid")));
      return std::nullopt;
    }
    return static_cast<int>(*value);
  };
  draft.precision = number(form.precision, "precision").value_or(1);
  draft.valid_from = number(form.valid_from, "valid_from").value_or(monitoring::kEarliestYear);
  if (!form.valid_to.empty()) draft.valid_to = number(form.valid_to, "valid_to");
  return form;
}

void textarea(Html& html, const std::string& name, std::string_view label, const std::string& value,
              const std::string& error) {
  html.nest(
      "div",
      {{"class", error.empty() ? "kern-form-input" : "kern-form-input kern-form-input--error"}},
      [&] {
        html.element("label", {{"class", "kern-label"}, {"for", name}}, label);
        if (!error.empty())
          html.element("p", {{"class", "kern-error"}, {"id", name + "-fehler"}}, error);
        html.element("textarea",
                     {{"class", "kern-form-input__input"},
                      {"id", name},
                      {"name", name},
                      {"rows", "4"},
                      {"maxlength", "4000"},
                      error.empty() ? flag("aria-describedby", false)
                                    : Attribute{"aria-describedby", name + "-fehler"}},
                     value);
      });
}

http::Response indicator_form_page(Call& call, const Services& services, const IndicatorForm& form,
                                   bool is_new, const FormErrors& errors, int status) {
  auto definitions = services.monitoring.definitions();
  if (!definitions) return failure(call, services, definitions.error());
  auto breakdowns = services.monitoring.breakdowns();
  if (!breakdowns) return failure(call, services, breakdowns.error());
  const auto title =
      is_new ? std::string(call.text("indicator.new_title"))
             : web::message_with(call.language, "indicator.edit_title", {{"code", form.code}});
  const auto& draft = form.draft;
  Html main;
  heading(main, title);
  if (!is_new) main.element("p", {{"class", "kern-body"}}, call.text("indicator.version_hint"));
  web::error_summary(main, call.language, errors.all());
  const auto action =
      is_new ? std::string("/verwaltung/indikatoren/neu") : "/verwaltung/indikatoren/" + form.code;
  main.nest(
      "form",
      {{"method", "post"},
       {"action", link(call, action)},
       {"class", "kern-stack form-wide"},
       flag("novalidate")},
      [&] {
        web::csrf_field(main, call.csrf());
        if (is_new) {
          web::input_field(main, {.name = "code",
                                  .label = std::string(call.text("indicator.code")),
                                  .value = form.code,
                                  .error = errors.at("code"),
                                  .hint = std::string(call.text("indicator.code_hint")),
                                  .required = true,
                                  .max_length = 40});
        }
        web::input_field(main, {.name = "name_de",
                                .label = std::string(call.text("indicator.name_de")),
                                .value = draft.name_de,
                                .error = errors.at("name_de"),
                                .required = true,
                                .max_length = 200});
        web::input_field(main, {.name = "name_en",
                                .label = std::string(call.text("indicator.name_en")),
                                .value = draft.name_en,
                                .error = errors.at("name_en"),
                                .required = true,
                                .max_length = 200});
        textarea(main, "definition_de", call.text("indicator.definition_de"), draft.definition_de,
                 errors.at("definition_de"));
        textarea(main, "definition_en", call.text("indicator.definition_en"), draft.definition_en,
                 errors.at("definition_en"));
        web::SelectField unit{.name = "unit",
                              .label = std::string(call.text("indicator.unit")),
                              .value = std::string(monitoring::unit_name(draft.unit)),
                              .error = errors.at("unit")};
        for (const auto candidate :
             {monitoring::Unit::count, monitoring::Unit::percent, monitoring::Unit::ratio}) {
          const std::string name(monitoring::unit_name(candidate));
          unit.options.push_back({name, std::string(call.text("indicator.unit_" + name))});
        }
        web::select_field(main, unit);
        web::SelectField definition{
            .name = "immigration_definition",
            .label = std::string(call.text("indicator.immigration_definition")),
            .value = draft.immigration_definition,
            .error = errors.at("immigration_definition")};
        for (const auto& candidate : *definitions) {
          definition.options.push_back(
              {candidate.code, pick(call, candidate.name_de, candidate.name_en)});
        }
        web::select_field(main, definition);
        web::SelectField population{
            .name = "population",
            .label = std::string(call.text("indicator.population")),
            .value = std::string(monitoring::population_name(draft.population)),
            .error = errors.at("population")};
        for (const auto candidate :
             {monitoring::Population::staff, monitoring::Population::trainees,
              monitoring::Population::applicants, monitoring::Population::new_hires,
              monitoring::Population::training_participants, monitoring::Population::residents}) {
          const std::string name(monitoring::population_name(candidate));
          population.options.push_back(
              {name, std::string(call.text("indicator.population_" + name))});
        }
        web::select_field(main, population);
        web::SelectField breakdown{.name = "breakdown",
                                   .label = std::string(call.text("indicator.breakdown")),
                                   .value = draft.breakdown,
                                   .error = errors.at("breakdown")};
        for (const auto& candidate : *breakdowns) {
          breakdown.options.push_back(
              {candidate.code, pick(call, candidate.name_de, candidate.name_en)});
        }
        web::select_field(main, breakdown);
        web::checkbox_field(main, "has_denominator",
                            std::string(call.text("indicator.has_denominator")),
                            draft.has_denominator);
        web::input_field(main, {.name = "precision",
                                .label = std::string(call.text("indicator.precision")),
                                .value = form.precision,
                                .error = errors.at("precision"),
                                .max_length = 1});
        web::input_field(main, {.name = "valid_from",
                                .label = std::string(call.text("indicator.valid_from")),
                                .value = form.valid_from,
                                .error = errors.at("valid_from"),
                                .required = true,
                                .max_length = 4});
        web::input_field(main, {.name = "valid_to",
                                .label = std::string(call.text("indicator.valid_to")),
                                .value = form.valid_to,
                                .error = errors.at("valid_to"),
                                .hint = std::string(call.text("indicator.valid_to_hint")),
                                .max_length = 4});
        web::submit_row(main, call.text("indicator.save"));
      });
  return page(call, services, title, std::move(main), status);
}

http::Response save_indicator_form(Call& call, const Services& services, std::string code,
                                   bool is_new) {
  FormErrors errors;
  auto form = read_indicator_form(call, std::move(code), errors);
  if (is_new) {
    auto existing = services.monitoring.indicator_versions(form.code);
    if (existing) errors.add("code", std::string(call.text("indicator.code_taken")));
  }
  if (errors.empty()) {
    auto saved = services.monitoring.save_indicator(*call.principal, form.code, form.draft,
                                                    call.request.request_id);
    if (saved) return http::Response::redirect(link(call, "/verwaltung/indikatoren?gespeichert=1"));
    if (saved.error().code != ErrorCode::invalid_input)
      return failure(call, services, saved.error());
    errors.add(call, saved.error());
  }
  return indicator_form_page(call, services, form, is_new, errors, 422);
}

}  // namespace

http::Response monitoring_reports_page(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["city"]);
  if (!city) return failure(call, services, city.error());
  auto reports = services.monitoring.reports(*call.principal, city->id);
  if (!reports) return failure(call, services, reports.error());
  const auto title = web::message_with(call.language, "report.list_title", {{"city", city->name}});
  Html main;
  heading(main, title);
  main.element("p", {{"class", "kern-body"}}, call.text("report.list_intro"));
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/staedte/" + city->slug + "/monitoring/ziele")}},
                 web::message_with(call.language, "report.targets_title", {{"city", city->name}}));
  });
  const auto years = monitoring::offered_years(*reports, current_year(services));
  const std::vector<std::string> headers{std::string(call.text("report.column_year")),
                                         std::string(call.text("report.column_status")),
                                         std::string(call.text("report.column_updated"))};
  web::data_table(main, title, headers, [&] {
    for (const int year : years) {
      const auto found =
          std::find_if(reports->begin(), reports->end(),
                       [year](const monitoring::Report& report) { return report.year == year; });
      web::table_row(main, [&] {
        web::table_cell(main, [&] {
          main.element(
              "a", {{"class", "kern-link"}, {"href", link(call, report_path(city->slug, year))}},
              std::to_string(year));
        });
        web::table_cell(main, found == reports->end() ? std::string(call.text("report.not_started"))
                                                      : status_label(call, found->status));
        web::table_cell(main, found == reports->end()
                                  ? std::string()
                                  : format_utc(found->updated_at).substr(0, 10));
      });
    }
  });
  return page(call, services, title, std::move(main));
}

http::Response monitoring_report_page(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["city"]);
  if (!city) return failure(call, services, city.error());
  const auto year = year_param(call, services);
  if (!year) return failure(call, services, Error::not_found("year"));
  http::Response response;
  auto grid = load_grid(call, services, *city, *year, response);
  if (!grid) return response;
  if (query_parameters(call).contains("gespeichert"))
    web::alert(grid->notice, "success", std::string(call.text("report.saved")));
  return render_grid(call, services, *grid, 200);
}

http::Response monitoring_report_save(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["city"]);
  if (!city) return failure(call, services, city.error());
  const auto year = year_param(call, services);
  if (!year) return failure(call, services, Error::not_found("year"));
  http::Response response;
  auto grid = load_grid(call, services, *city, *year, response);
  if (!grid) return response;
  FormErrors errors;
  auto form = read_grid(call, grid->view.indicators, grid->breakdowns, errors);
  grid->input = std::move(form.input);
  if (!errors.empty()) {
    grid->messages.clear();
    for (const auto& [field, message] : errors.all()) grid->messages[field].push_back(message);
    grid->summary = errors.all();
    return render_grid(call, services, *grid, 422);
  }
  auto saved = services.monitoring.save_values(*call.principal, city->id, *year, form.edits,
                                               call.request.request_id);
  if (!saved) {
    // A locked report (conflict) or a refusal of the whole report (invalid input, such as a year
    // that is still to come): said on the grid, which keeps what was typed.
    const auto code = saved.error().code;
    if (code != ErrorCode::conflict && code != ErrorCode::invalid_input)
      return failure(call, services, saved.error());
    web::alert(grid->notice, "danger", std::string(call.text(saved.error().message_key)));
    return render_grid(call, services, *grid, code == ErrorCode::conflict ? 409 : 422);
  }
  if (saved->saved)
    return http::Response::redirect(link(call, report_path(city->slug, *year) + "?gespeichert=1"));
  add_findings(call, *grid, saved->findings);
  return render_grid(call, services, *grid, 422);
}

namespace {

// "Beschäftigte mit Einwanderungsgeschichte 2024 · Herne · Höherer Dienst · ohne Angabe: 3 bis 3"
std::string exposed_item(const Call& call, const monitoring::ExposedFigure& figure) {
  const auto mark = decimal_mark(call);
  const auto bound = [&](double value) {
    return std::isinf(value) ? std::string("∞")
                             : monitoring::format_count(std::llround(value), mark);
  };
  const std::string city =
      figure.region ? std::string(call.text("figures.region")) : figure.city_name;
  return web::message_with(
      call.language, "monitoring.exposed_figure",
      {{"indicator", pick(call, figure.indicator_name_de, figure.indicator_name_en)},
       {"year", std::to_string(figure.year)},
       {"city", city},
       {"category", pick(call, figure.category_name_de, figure.category_name_en)},
       {"trait", std::string(call.text("figures.trait_" + figure.trait))},
       {"low", bound(figure.low)},
       {"high", bound(figure.high)}});
}

// The report page again with the refusal and the figures that stood in the way (409).
http::Response refused_step(Call& call, const Services& services, const cooperation::City& city,
                            int year, const std::vector<monitoring::ExposedFigure>& exposed) {
  http::Response response;
  auto grid = load_grid(call, services, city, year, response);
  if (!grid) return response;
  std::vector<std::string> items;
  for (const auto& figure : exposed) items.push_back(exposed_item(call, figure));
  web::alert(grid->notice, "danger", std::string(call.text("monitoring.publication_exposes")),
             items);
  return render_grid(call, services, *grid, 409);
}

}  // namespace

http::Response monitoring_report_status(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["city"]);
  if (!city) return failure(call, services, city.error());
  const auto year = year_param(call, services);
  if (!year) return failure(call, services, Error::not_found("year"));
  const auto& action = call.field("aktion");
  const auto& reason = call.field("begruendung");
  const auto& principal = *call.principal;
  const auto& request_id = call.request.request_id;
  auto& monitoring = services.monitoring;
  const auto step = [&]() -> Result<monitoring::StepOutcome> {
    if (action == "submit") IK_TRY(monitoring.submit(principal, city->id, *year, request_id));
    if (action == "approve") IK_TRY(monitoring.approve(principal, city->id, *year, request_id));
    if (action == "submit" || action == "approve") return monitoring::StepOutcome{};
    if (action == "return")
      return monitoring.return_report(principal, city->id, *year, reason, request_id);
    if (action == "publish") return monitoring.publish(principal, city->id, *year, request_id);
    if (action == "withdraw")
      return monitoring.withdraw(principal, city->id, *year, reason, request_id);
    return Error::invalid("aktion", "form.invalid_choice");
  };
  const auto done = step();
  if (done && done->done) return http::Response::redirect(link(call, report_path(city->slug, *year)));
  if (done) return refused_step(call, services, *city, *year, done->exposed);
  const auto& error = done.error();
  if (error.code != ErrorCode::invalid_input && error.code != ErrorCode::conflict)
    return failure(call, services, error);
  http::Response response;
  auto grid = load_grid(call, services, *city, *year, response);
  if (!grid) return response;
  if (error.field == "reason") {
    grid->reason_error = std::string(call.text(error.message_key));
    grid->summary.emplace_back("begruendung_" + action, grid->reason_error);
  } else {
    web::alert(grid->notice, "danger", std::string(call.text(error.message_key)));
  }
  return render_grid(call, services, *grid, error.code == ErrorCode::conflict ? 409 : 422);
}

namespace {

struct TargetInput {
  std::string indicator, category, value, target_year, baseline_year;
};

http::Response targets_page(Call& call, const Services& services, const cooperation::City& city,
                            const TargetInput& input, const FormErrors& errors, int status) {
  auto targets = services.monitoring.targets(city.id);
  if (!targets) return failure(call, services, targets.error());
  auto indicators = services.monitoring.indicators();
  if (!indicators) return failure(call, services, indicators.error());
  const auto title = web::message_with(call.language, "report.targets_title", {{"city", city.name}});
  const auto path = "/staedte/" + city.slug + "/monitoring/ziele";
  const bool may_set = call.principal->sees_all_cities() ||
                       call.principal->has_for_city(auth::Role::city_approval, city.id);
  auto indicator_name = [&](const std::string& code) {
    for (const auto& indicator : *indicators) {
      if (indicator.code == code) return pick(call, indicator.name_de, indicator.name_en);
    }
    return code;
  };
  Html main;
  heading(main, title);
  main.element("p", {{"class", "kern-body"}}, call.text("report.targets_intro"));
  if (query_parameters(call).contains("gespeichert")) {
    web::alert(main, "success", std::string(call.text("report.target_saved")));
  }
  web::error_summary(main, call.language, errors.all());
  std::vector<std::string> headers{std::string(call.text("report.target_indicator")),
                                   std::string(call.text("report.target_category")),
                                   std::string(call.text("report.target_value")),
                                   std::string(call.text("report.target_year")),
                                   std::string(call.text("report.target_baseline_year"))};
  if (may_set) headers.emplace_back(call.text("report.target_actions"));
  web::data_table(main, title, headers, [&] {
    for (const auto& target : *targets) {
      web::table_row(main, [&] {
        web::table_cell(main, indicator_name(target.indicator_code));
        web::table_cell(main, target.category_code.empty() ? std::string(call.text("report.target_total"))
                                                           : target.category_code);
        web::table_cell(main, target.value);
        web::table_cell(main, std::to_string(target.target_year));
        web::table_cell(main, target.baseline_year ? std::to_string(*target.baseline_year) : "");
        if (!may_set) return;
        web::table_cell(main, [&] {
          main.nest("form", {{"method", "post"},
                             {"action", link(call, path + "/" + std::to_string(target.id) + "/loeschen")}},
                    [&] {
                      web::csrf_field(main, call.csrf());
                      web::submit_button(main, call.text("report.target_delete"), "tertiary", "x-small");
                    });
        });
      });
    }
  });
  if (!may_set) return page(call, services, title, std::move(main), status);
  subheading(main, call.text("report.target_new"));
  main.nest("form", {{"method", "post"}, {"action", link(call, path)}, {"class", "kern-stack"}, flag("novalidate")},
            [&] {
              web::csrf_field(main, call.csrf());
              web::SelectField indicator{.name = "indicator",
                                         .label = std::string(call.text("report.target_indicator")),
                                         .value = input.indicator,
                                         .error = errors.at("indicator")};
              for (const auto& candidate : *indicators) {
                indicator.options.push_back({candidate.code, pick(call, candidate.name_de, candidate.name_en)});
              }
              web::select_field(main, indicator);
              web::input_field(main, {.name = "category",
                                      .label = std::string(call.text("report.target_category")),
                                      .value = input.category,
                                      .error = errors.at("category"),
                                      .hint = std::string(call.text("report.target_category_hint")),
                                      .max_length = 40});
              web::input_field(main, {.name = "value",
                                      .label = std::string(call.text("report.target_value")),
                                      .value = input.value,
                                      .error = errors.at("value"),
                                      .hint = std::string(call.text("report.target_value_hint")),
                                      .required = true,
                                      .max_length = 12});
              web::input_field(main, {.name = "target_year",
                                      .label = std::string(call.text("report.target_year")),
                                      .value = input.target_year,
                                      .error = errors.at("target_year"),
                                      .required = true,
                                      .max_length = 4});
              web::input_field(main, {.name = "baseline_year",
                                      .label = std::string(call.text("report.target_baseline_year")),
                                      .value = input.baseline_year,
                                      .error = errors.at("baseline_year"),
                                      .max_length = 4});
              web::submit_row(main, call.text("report.target_save"));
            });
  return page(call, services, title, std::move(main), status);
}

}  // namespace

http::Response monitoring_targets_page(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["city"]);
  if (!city) return failure(call, services, city.error());
  return targets_page(call, services, *city, {}, {}, 200);
}

http::Response monitoring_target_save(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["city"]);
  if (!city) return failure(call, services, city.error());
  const auto trimmed = [&](const char* name) { return std::string(text::trim(call.field(name))); };
  TargetInput input{trimmed("indicator"), trimmed("category"), trimmed("value"), trimmed("target_year"),
                    trimmed("baseline_year")};
  FormErrors errors;
  monitoring::TargetDraft draft{city->id, input.indicator, input.category, input.value, 0, std::nullopt};
  const auto target_year = text::parse_int(input.target_year);
  if (!target_year || *target_year < monitoring::kEarliestYear || *target_year > monitoring::kLatestYear) {
    errors.add("target_year", std::string(call.text("monitoring.year_range")));
  } else {
    draft.target_year = static_cast<int>(*target_year);
  }
  if (!input.baseline_year.empty()) {
    const auto baseline = text::parse_int(input.baseline_year);
    if (!baseline || *baseline < monitoring::kEarliestYear || *baseline > monitoring::kLatestYear) {
      errors.add("baseline_year", std::string(call.text("monitoring.year_range")));
    } else {
      draft.baseline_year = static_cast<int>(*baseline);
    }
  }
  if (errors.empty()) {
    auto saved = services.monitoring.set_target(*call.principal, draft, call.request.request_id);
    if (saved) return http::Response::redirect(link(call, "/staedte/" + city->slug + "/monitoring/ziele?gespeichert=1"));
    if (saved.error().code != ErrorCode::invalid_input) return failure(call, services, saved.error());
    errors.add(call, saved.error());
  }
  return targets_page(call, services, *city, input, errors, 422);
}

http::Response monitoring_target_delete(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["city"]);
  if (!city) return failure(call, services, city.error());
  const auto id = text::parse_int(call.params["id"]);
  if (!id) return failure(call, services, Error::not_found("target"));
  auto done = services.monitoring.delete_target(*call.principal, *id, call.request.request_id);
  if (!done) return failure(call, services, done.error());
  return http::Response::redirect(link(call, "/staedte/" + city->slug + "/monitoring/ziele"));
}

namespace {

// The office's way to the suppression plan and audit of each published table, newest year first.
void plan_links(Html& html, const Call& call, const std::string& code, const std::vector<int>& years) {
  if (years.empty()) {
    html.text(call.text("indicator.no_plans"));
    return;
  }
  for (auto year = years.rbegin(); year != years.rend(); ++year) {
    if (year != years.rbegin()) html.text(" · ");
    html.element("a",
                 {{"class", "kern-link"},
                  {"href", link(call, "/verwaltung/zahlen/" + code + "/" + std::to_string(*year))},
                  {"aria-label", web::message_with(call.language, "indicator.plan_link",
                                                   {{"code", code}, {"year", std::to_string(*year)}})}},
                 std::to_string(*year));
  }
}

}  // namespace

http::Response monitoring_indicators_page(Call& call, const Services& services) {
  auto indicators = services.monitoring.indicators();
  if (!indicators) return failure(call, services, indicators.error());
  auto breakdowns = services.monitoring.breakdowns();
  if (!breakdowns) return failure(call, services, breakdowns.error());
  std::vector<std::vector<int>> published_years;
  for (const auto& indicator : *indicators) {
    auto years = services.monitoring.published_years(indicator.code);
    if (!years) return failure(call, services, years.error());
    published_years.push_back(std::move(*years));
  }
  const auto title = std::string(call.text("indicator.list_title"));
  Html main;
  heading(main, title);
  if (query_parameters(call).contains("gespeichert"))
    web::alert(main, "success", std::string(call.text("indicator.saved")));
  main.nest("p", {}, [&] {
    web::button_link(main, call.text("indicator.new_title"),
                     link(call, "/verwaltung/indikatoren/neu"));
  });
  const std::vector<std::string> headers{
      std::string(call.text("indicator.code")), std::string(call.text("indicator.name")),
      std::string(call.text("indicator.version")), std::string(call.text("indicator.breakdown")),
      std::string(call.text("indicator.valid")), std::string(call.text("indicator.plans"))};
  web::data_table(main, title, headers, [&] {
    for (std::size_t row = 0; row < indicators->size(); ++row) {
      const auto& indicator = (*indicators)[row];
      web::table_row(main, [&] {
        web::table_cell(main, [&] {
          main.element("a",
                       {{"class", "kern-link"},
                        {"href", link(call, "/verwaltung/indikatoren/" + indicator.code)}},
                       indicator.code);
        });
        web::table_cell(main, pick(call, indicator.name_de, indicator.name_en));
        web::table_cell(main, std::to_string(indicator.version));
        std::string breakdown_name;
        for (const auto& breakdown : *breakdowns) {
          if (breakdown.id == indicator.breakdown_id)
            breakdown_name = pick(call, breakdown.name_de, breakdown.name_en);
        }
        web::table_cell(main, breakdown_name);
        web::table_cell(
            main, std::to_string(indicator.valid_from) + "–" +
                      (indicator.valid_to ? std::to_string(*indicator.valid_to) : std::string()));
        web::table_cell(main, [&] { plan_links(main, call, indicator.code, published_years[row]); });
      });
    }
  });
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/verwaltung/pruefregeln")}},
                 call.text("monitoring.rules_title"));
  });
  return page(call, services, title, std::move(main));
}

http::Response monitoring_indicator_new_form(Call& call, const Services& services) {
  IndicatorForm form{.code = ""};
  form.draft.immigration_definition = "einwanderungsgeschichte_nrw";
  form.draft.breakdown = "total_only";
  form.precision = "1";
  form.valid_from = std::to_string(current_year(services));
  return indicator_form_page(call, services, form, true, {}, 200);
}

http::Response monitoring_indicator_create(Call& call, const Services& services) {
  return save_indicator_form(call, services, std::string(text::trim(call.field("code"))), true);
}

http::Response monitoring_indicator_form(Call& call, const Services& services) {
  auto versions = services.monitoring.indicator_versions(call.params["code"]);
  if (!versions) return failure(call, services, versions.error());
  auto definitions = services.monitoring.definitions();
  if (!definitions) return failure(call, services, definitions.error());
  auto breakdowns = services.monitoring.breakdowns();
  if (!breakdowns) return failure(call, services, breakdowns.error());
  return indicator_form_page(call, services, form_of(versions->back(), *definitions, *breakdowns),
                             false, {}, 200);
}

http::Response monitoring_indicator_save(Call& call, const Services& services) {
  auto versions = services.monitoring.indicator_versions(call.params["code"]);
  if (!versions) return failure(call, services, versions.error());
  return save_indicator_form(call, services, call.params["code"], false);
}

namespace {

// A rule's form as typed, with its errors at the fields, after a refused save.
struct RuleInput {
  monitoring::ValidationRule rule;  // severity and whether active as chosen
  std::string threshold, minimum_change;
  FormErrors errors;
};

std::string rule_field(std::int64_t id, std::string_view name) {
  return "regel_" + std::to_string(id) + "_" + std::string(name);
}

std::string optional_text(const std::optional<int>& value) { return value ? std::to_string(*value) : ""; }

// The year-on-year rule's two limits: a percentage and a number of persons.
void limit_fields(Html& html, const Call& call, const monitoring::ValidationRule& rule, const RuleInput* typed) {
  const FormErrors none;
  const auto& errors = typed ? typed->errors : none;
  const auto threshold = rule_field(rule.id, "schwelle");
  const auto minimum = rule_field(rule.id, "mindestaenderung");
  web::input_field(html, {.name = threshold,
                          .label = std::string(call.text("monitoring.rule_threshold_label")),
                          .value = typed ? typed->threshold : optional_text(rule.threshold),
                          .error = errors.at(threshold),
                          .hint = std::string(call.text("monitoring.rule_threshold_hint")),
                          .max_length = 4});
  web::input_field(html, {.name = minimum,
                          .label = std::string(call.text("monitoring.rule_minimum_change_label")),
                          .value = typed ? typed->minimum_change : optional_text(rule.minimum_change),
                          .error = errors.at(minimum),
                          .hint = std::string(call.text("monitoring.rule_minimum_change_hint")),
                          .max_length = 7});
}

// Every rule with its form; `refused` (when set) is shown as typed with its errors.
http::Response rules_page(Call& call, const Services& services, const RuleInput* refused, int status) {
  auto rules = services.monitoring.rules();
  if (!rules) return failure(call, services, rules.error());
  const auto title = std::string(call.text("monitoring.rules_title"));
  Html main;
  heading(main, title);
  main.element("p", {{"class", "kern-body"}}, call.text("monitoring.rules_intro"));
  if (query_parameters(call).contains("gespeichert"))
    web::alert(main, "success", std::string(call.text("monitoring.rule_saved")));
  if (refused) web::error_summary(main, call.language, refused->errors.all());
  for (const auto& stored : *rules) {
    const auto* typed = refused && refused->rule.id == stored.id ? refused : nullptr;
    const auto& rule = typed ? typed->rule : stored;
    const std::string kind(monitoring::rule_kind_name(stored.kind));
    main.element("h2", {{"class", "kern-heading-small"}}, call.text("monitoring.rule_" + kind));
    main.nest(
        "form",
        {{"method", "post"},
         {"action", link(call, "/verwaltung/pruefregeln/" + std::to_string(rule.id))},
         {"class", "kern-stack"},
         flag("novalidate")},
        [&] {
          web::csrf_field(main, call.csrf());
          web::SelectField severity{.name = rule_field(rule.id, "schwere"),
                                    .label = std::string(call.text("monitoring.rule_severity")),
                                    .value = std::string(monitoring::severity_name(rule.severity))};
          severity.options = {{"error", std::string(call.text("monitoring.severity_error"))},
                              {"warning", std::string(call.text("monitoring.severity_warning"))}};
          web::select_field(main, severity);
          if (stored.kind == monitoring::RuleKind::year_on_year_change) limit_fields(main, call, stored, typed);
          web::checkbox_field(main, rule_field(rule.id, "aktiv"),
                              std::string(call.text("monitoring.rule_active")), rule.active);
          main.nest("div", {{"class", "kern-btn-wrapper"}}, [&] {
            web::submit_button(main, call.text("monitoring.rule_save"), "secondary");
          });
        });
  }
  return page(call, services, title, std::move(main), status);
}

// A limit as typed: nullopt when empty; not a whole number is an error at its field (with the
// message that also names the allowed range).
std::optional<int> limit(const Call& call, const std::string& typed, const std::string& field,
                         std::string_view message_key, FormErrors& errors) {
  if (typed.empty()) return std::nullopt;
  const auto value = text::parse_int(typed);
  if (!value || *value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max()) {
    errors.add(field, std::string(call.text(message_key)));
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

}  // namespace

http::Response monitoring_rules_page(Call& call, const Services& services) {
  return rules_page(call, services, nullptr, 200);
}

http::Response monitoring_rule_update(Call& call, const Services& services) {
  const auto id = text::parse_int(call.params["id"]);
  if (!id) return failure(call, services, Error::not_found("rule"));
  const auto trimmed = [&](std::string_view name) {
    return std::string(text::trim(call.field(rule_field(*id, name))));
  };
  RuleInput input{.rule = {.id = *id,
                            .severity = call.field(rule_field(*id, "schwere")) == "warning"
                                            ? monitoring::Severity::warning
                                            : monitoring::Severity::error,
                            .active = !call.field(rule_field(*id, "aktiv")).empty()},
                   .threshold = trimmed("schwelle"),
                   .minimum_change = trimmed("mindestaenderung")};
  auto& rule = input.rule;
  rule.threshold = limit(call, input.threshold, rule_field(*id, "schwelle"), "monitoring.rule_threshold", input.errors);
  rule.minimum_change = limit(call, input.minimum_change, rule_field(*id, "mindestaenderung"),
                              "monitoring.rule_minimum_change", input.errors);
  if (input.errors.empty()) {
    auto done = services.monitoring.update_rule(*call.principal, rule, call.request.request_id);
    if (done) return http::Response::redirect(link(call, "/verwaltung/pruefregeln?gespeichert=1"));
    if (done.error().code != ErrorCode::invalid_input) return failure(call, services, done.error());
    const auto field = done.error().field == "minimum_change" ? "mindestaenderung" : "schwelle";
    input.errors.add(rule_field(*id, field), std::string(call.text(done.error().message_key)));
  }
  return rules_page(call, services, &input, 422);
}

http::Response monitoring_waiting_page(Call& call, const Services& services) {
  auto waiting = services.monitoring.waiting_reports(*call.principal);
  if (!waiting) return failure(call, services, waiting.error());
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  std::map<monitoring::CityId, const cooperation::City*> city_of;
  for (const auto& city : *cities) city_of[city.id] = &city;
  const auto title = std::string(call.text("report.waiting_title"));
  Html main;
  heading(main, title);
  main.element("p", {{"class", "kern-body"}}, call.text("report.waiting_intro"));
  if (waiting->empty()) {
    web::alert(main, "info", std::string(call.text("report.waiting_none")));
    return page(call, services, title, std::move(main));
  }
  const std::vector<std::string> headers{
      std::string(call.text("report.column_city")), std::string(call.text("report.column_year")),
      std::string(call.text("report.column_status")), std::string(call.text("report.column_next_step")),
      std::string(call.text("report.column_since"))};
  web::data_table(main, title, headers, [&] {
    for (const auto& [report, since] : *waiting) {
      const auto found = city_of.find(report.city_id);
      if (found == city_of.end()) continue;  // a city removed since: nothing to link to
      const auto& city = *found->second;
      const auto year = std::to_string(report.year);
      web::table_row(main, [&] {
        web::table_cell(main, city.name);
        web::table_cell(main, [&] {
          main.element("a",
                       {{"class", "kern-link"},
                        {"href", link(call, report_path(city.slug, report.year))},
                        {"aria-label", web::message_with(call.language, "report.title", {{"city", city.name}, {"year", year}})}},
                       year);
        });
        web::table_cell(main, status_label(call, report.status));
        web::table_cell(main, call.text(report.status == ReportStatus::submitted ? "report.next_step_approval"
                                                                                 : "report.next_step_publication"));
        web::table_cell(main, date_as_entered(call, format_utc(since).substr(0, 10)));
      });
    }
  });
  return page(call, services, title, std::move(main));
}

}  // namespace ik::app
