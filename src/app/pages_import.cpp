// Import of a city's monitoring data (CSV/XLSX): the upload form, the preview with every problem
// by row and column, the commit, and the templates to fill in. The uploaded file waits on the
// server under a random token until the user confirms; the commit checks it again from scratch.
#include <algorithm>
#include <limits>
#include <map>
#include <mutex>

#include "app/frame.hpp"
#include "app/handlers.hpp"
#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "http/multipart.hpp"
#include "monitoring/figures.hpp"
#include "monitoring/import.hpp"
#include "monitoring/monitoring.hpp"
#include "tabular/tabular.hpp"
#include "web/forms.hpp"

namespace ik::app {
namespace {

using web::Html;

// Larger files are refused with a 413 page (a year of one city is a few hundred rows; the
// benchmark's 100,000 rows are about 6 MiB of CSV).
constexpr std::size_t kMaxFileBytes = 10 * 1024 * 1024;
constexpr std::int64_t kPendingSeconds = 30 * 60;
constexpr std::size_t kMaxPending = 32;
constexpr std::size_t kMaxPendingBytes = 64 * 1024 * 1024;  // all waiting uploads together
// The preview lists this many values and problems; the rest are counted.
constexpr std::size_t kShownRows = 500;

struct PendingImport {
  std::string bytes;
  std::string file_name;
  auth::CityId city = 0;
  std::int64_t user_id = 0;
  std::int64_t expires_at = 0;
};

// Uploads waiting for confirmation, by token; bounded in number, size and time, bound to user and
// city (the oldest give way first).
class PendingImports {
 public:
  std::string put(PendingImport upload, std::int64_t now) {
    std::lock_guard lock(mutex_);
    std::erase_if(uploads_, [now](const auto& entry) { return entry.second.expires_at <= now; });
    while (!uploads_.empty() && (uploads_.size() >= kMaxPending || bytes() + upload.bytes.size() > kMaxPendingBytes)) {
      const auto oldest = std::min_element(uploads_.begin(), uploads_.end(), [](const auto& a, const auto& b) {
        return a.second.expires_at < b.second.expires_at;
      });
      uploads_.erase(oldest);
    }
    auto token = crypto::random_token(16);
    uploads_[token] = std::move(upload);
    return token;
  }

  std::optional<PendingImport> find(const std::string& token, auth::CityId city, std::int64_t user_id, std::int64_t now) {
    std::lock_guard lock(mutex_);
    const auto found = uploads_.find(token);
    if (found == uploads_.end() || found->second.city != city || found->second.user_id != user_id ||
        found->second.expires_at <= now) {
      return std::nullopt;
    }
    return found->second;
  }

  void erase(const std::string& token) {
    std::lock_guard lock(mutex_);
    uploads_.erase(token);
  }

 private:
  std::size_t bytes() const {
    std::size_t total = 0;
    for (const auto& [token, upload] : uploads_) total += upload.bytes.size();
    return total;
  }

  std::mutex mutex_;
  std::map<std::string, PendingImport> uploads_;
};

PendingImports& pending_imports() {
  static PendingImports uploads;
  return uploads;
}

void heading(Html& html, std::string_view text) { html.element("h1", {{"class", "kern-heading-x-large"}}, text); }
void subheading(Html& html, std::string_view text) { html.element("h2", {{"class", "kern-heading-medium"}}, text); }

std::string import_path(const cooperation::City& city) { return "/staedte/" + city.slug + "/monitoring/import"; }

std::string count_text(std::size_t count) { return std::to_string(count); }

// The message of a problem with its placeholders filled in.
std::string problem_text(const Call& call, const monitoring::ImportProblem& problem) {
  std::string text(call.text(problem.message_key));
  const tabular::Limits limits;
  auto params = problem.params;
  params.emplace_back("max_rows", std::to_string(limits.max_rows));
  params.emplace_back("max_columns", std::to_string(limits.max_columns));
  for (const auto& [name, value] : params) {
    const auto placeholder = "{" + name + "}";
    for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

bool may_import(const Call& call) {
  return call.principal != nullptr && call.city && call.principal->has_for_city(auth::Role::city_entry, *call.city);
}

// The templates of the years the city's report list offers too.
void template_links(Html& html, const Call& call, const cooperation::City& city, const std::vector<int>& years) {
  subheading(html, call.text("import.template_heading"));
  html.element("p", {{"class", "kern-body"}}, call.text("import.template_text"));
  html.nest("ul", {{"class", "kern-list kern-list--bullet"}}, [&] {
    for (const int year : years) {
      const auto base = "/staedte/" + city.slug + "/monitoring/" + std::to_string(year) + "/vorlage";
      html.nest("li", {}, [&] {
        html.text(web::message_with(call.language, "import.template_year", {{"year", std::to_string(year)}}) + ": ");
        html.element("a", {{"class", "kern-link"}, {"href", link(call, base + ".xlsx")}, {"download", ""}},
                     call.text("import.template_xlsx"));
        html.text(" · ");
        html.element("a", {{"class", "kern-link"}, {"href", link(call, base + ".csv")}, {"download", ""}},
                     call.text("import.template_csv"));
      });
    }
  });
}

void upload_form(Html& html, Call& call, const cooperation::City& city, const std::string& error) {
  html.nest("form", {{"method", "post"}, {"action", link(call, import_path(city))}, {"enctype", "multipart/form-data"},
                     {"class", "kern-stack"}},
            [&] {
              web::csrf_field(html, call.csrf());
              web::input_field(html, {.name = "datei", .label = std::string(call.text("import.file_label")),
                                      .error = error, .hint = std::string(call.text("import.file_hint")),
                                      .type = "file", .required = true, .max_bytes = kMaxFileBytes,
                                      .too_large_message = std::string(call.text("import.file_too_large_here"))});
              web::submit_row(html, call.text("import.check_button"));
            });
}

// What a commit did, carried across its redirect (POST-redirect-GET), so that reloading the
// page shows the notice again instead of posting the import once more.
struct CommitNotice {
  int changed = 0;
  std::vector<int> years;
};

std::string commit_notice_query(const monitoring::ImportOutcome& outcome) {
  std::string years;
  for (const auto& batch : outcome.preview.batches) years += (years.empty() ? "" : ",") + std::to_string(batch.year);
  return "?uebernommen=" + std::to_string(outcome.changed) + "&jahre=" + years;
}

// None when the query carries no notice or one that a commit cannot have produced.
std::optional<CommitNotice> commit_notice(const Call& call, const Services& services) {
  const auto query = query_parameters(call);
  const auto changed = query.find("uebernommen");
  const auto years = query.find("jahre");
  if (changed == query.end() || years == query.end()) return std::nullopt;
  CommitNotice notice;
  const auto count = text::parse_int(changed->second);
  if (!count || *count < 0 || *count > std::numeric_limits<int>::max()) return std::nullopt;
  notice.changed = static_cast<int>(*count);
  const std::string_view list = years->second;
  for (std::size_t begin = 0; begin <= list.size();) {
    const auto end = std::min(list.find(',', begin), list.size());
    const auto year = text::parse_int(list.substr(begin, end - begin));
    if (!year || *year < monitoring::kEarliestYear || *year > utc_year(services.clock.now())) return std::nullopt;
    notice.years.push_back(static_cast<int>(*year));
    begin = end + 1;
  }
  return notice;
}

void commit_notice_block(Html& html, const Call& call, const cooperation::City& city, const CommitNotice& notice) {
  web::alert(html, "success", web::message_with(call.language, "import.done", {{"count", std::to_string(notice.changed)}}));
  html.nest("p", {{"class", "kern-body"}}, [&] {
    for (std::size_t index = 0; index < notice.years.size(); ++index) {
      const auto year = std::to_string(notice.years[index]);
      if (index > 0) html.text(" · ");
      html.element("a", {{"class", "kern-link"}, {"href", link(call, "/staedte/" + city.slug + "/monitoring/" + year)}},
                   web::message_with(call.language, "import.report_link", {{"year", year}}));
    }
  });
}

http::Response form_page(Call& call, const Services& services, const cooperation::City& city, const std::string& error,
                         int status, const std::optional<CommitNotice>& notice = std::nullopt) {
  Html main;
  const auto title = web::message_with(call.language, "import.title", {{"city", city.name}});
  heading(main, title);
  if (notice) commit_notice_block(main, call, city, *notice);
  main.element("p", {{"class", "kern-body"}}, call.text("import.intro"));
  if (!error.empty()) web::error_summary(main, call.language, {{"datei", error}});
  if (may_import(call)) {
    upload_form(main, call, city, error);
  } else {
    web::alert(main, "info", std::string(call.text("import.entry_role_only")));
  }
  auto reports = services.monitoring.reports(*call.principal, city.id);
  if (!reports) return failure(call, services, reports.error());
  template_links(main, call, city, monitoring::offered_years(*reports, utc_year(services.clock.now())));
  return page(call, services, title, std::move(main), status);
}

std::string optional_count(const Call& call, const std::optional<std::int64_t>& value) {
  const auto mark = decimal_mark(call);
  return value ? monitoring::format_count(*value, mark) : "";
}

// The catalogue's names for the codes of a file, as the version valid in the row's year has them.
class CatalogueNames {
 public:
  CatalogueNames(std::vector<monitoring::IndicatorVersion> versions, std::vector<monitoring::Breakdown> breakdowns)
      : versions_(std::move(versions)), breakdowns_(std::move(breakdowns)) {
    for (const auto& version : versions_) by_code_[version.code].push_back(&version);
  }

  const monitoring::IndicatorVersion* indicator(const std::string& code, int year) const {
    const auto found = by_code_.find(code);
    if (found == by_code_.end()) return nullptr;
    for (const auto* version : found->second)
      if (version->valid_in(year)) return version;
    return nullptr;
  }

  const monitoring::Category* category(const monitoring::IndicatorVersion& version, const std::string& code) const {
    for (const auto& breakdown : breakdowns_)
      if (breakdown.id == version.breakdown_id) return breakdown.find(code);
    return nullptr;
  }

 private:
  std::vector<monitoring::IndicatorVersion> versions_;
  std::vector<monitoring::Breakdown> breakdowns_;
  std::map<std::string, std::vector<const monitoring::IndicatorVersion*>> by_code_;
};

// The name in the call's language with the file's code below it (the code alone when the
// catalogue has no name for it).
void named_code_cell(Html& html, const std::string* name, const std::string& code) {
  if (!name) return web::table_cell(html, code);
  web::table_cell(html, [&] {
    html.element("span", {{"class", "import-name"}}, *name);
    html.element("span", {{"class", "kern-hint import-code"}}, code);
  });
}

void values_table(Html& html, const Call& call, const monitoring::ImportPreview& preview, const CatalogueNames& names) {
  std::size_t total = 0;
  for (const auto& batch : preview.batches) total += batch.rows.size();
  // With errors in the file nothing is imported: the rows are then only the ones without errors.
  const bool blocked = preview.has_errors();
  subheading(html, web::message_with(call.language, blocked ? "import.valid_rows_heading" : "import.values_heading",
                                     {{"count", count_text(total)}}));
  const std::vector<std::string> headers = {
      std::string(call.text("import.column_row")),       std::string(call.text("import.column_year")),
      std::string(call.text("import.column_indicator")), std::string(call.text("import.column_category")),
      std::string(call.text("import.column_numerator")), std::string(call.text("import.column_unknown")),
      std::string(call.text("import.column_denominator")), std::string(call.text("import.column_source")),
      std::string(call.text("import.column_reference_date")), std::string(call.text("import.column_comment"))};
  std::size_t shown = 0;
  web::data_table(html, call.text(blocked ? "import.valid_rows_heading_short" : "import.values_heading_short"), headers, [&] {
    for (const auto& batch : preview.batches) {
      for (const auto& row : batch.rows) {
        if (shown++ >= kShownRows) return;
        const auto* indicator = names.indicator(row.edit.indicator_code, batch.year);
        const auto* category = indicator ? names.category(*indicator, row.edit.category_code) : nullptr;
        web::table_row(html, [&] {
          web::table_cell(html, std::to_string(row.row));
          web::table_cell(html, std::to_string(batch.year));
          named_code_cell(html, indicator ? &pick(call, indicator->name_de, indicator->name_en) : nullptr,
                          row.edit.indicator_code);
          named_code_cell(html, category ? &pick(call, category->name_de, category->name_en) : nullptr,
                          row.edit.category_code);
          web::table_cell(html, optional_count(call, row.edit.numerator));
          web::table_cell(html, optional_count(call, row.edit.unknown));
          web::table_cell(html, optional_count(call, row.edit.denominator));
          web::table_cell(html, row.edit.source);
          web::table_cell(html, date_as_entered(call, row.edit.reference_date));
          web::table_cell(html, row.edit.comment);
        });
      }
    }
  });
  if (total > kShownRows) {
    html.element("p", {{"class", "kern-body"}},
                 web::message_with(call.language, "import.more_not_shown", {{"count", count_text(total - kShownRows)}}));
  }
}

// Where a problem is: its row; for a rule's finding at a stored value the file has no row for,
// that it is not in the file; otherwise the whole file.
std::string row_text(const Call& call, const monitoring::ImportProblem& problem) {
  if (problem.row > 0) return std::to_string(problem.row);
  return std::string(call.text(problem.indicator_code.empty() ? "import.whole_file" : "import.not_in_file"));
}

// An error, a warning, or a rule's warning that asks for a comment at its value (until it has one).
std::string_view severity_key(const monitoring::ImportProblem& problem) {
  if (problem.severity == monitoring::Severity::error) return "import.severity_error";
  switch (problem.comment) {
    case monitoring::WarningComment::missing: return "import.severity_needs_comment";
    case monitoring::WarningComment::given: return "import.severity_commented";
    case monitoring::WarningComment::not_asked: break;
  }
  return "import.severity_warning";
}

// The message; one about a value the file has no row for names that value first.
std::string message_text(const Call& call, const monitoring::ImportProblem& problem, const CatalogueNames& names) {
  auto text = problem_text(call, problem);
  if (problem.row > 0 || problem.indicator_code.empty()) return text;
  const auto* indicator = names.indicator(problem.indicator_code, problem.year);
  const auto* category =
      indicator && !problem.category_code.empty() ? names.category(*indicator, problem.category_code) : nullptr;
  const auto year = std::to_string(problem.year);
  const auto& indicator_name = indicator ? pick(call, indicator->name_de, indicator->name_en) : problem.indicator_code;
  if (problem.category_code.empty()) {
    return web::message_with(call.language, "import.message_at_indicator",
                             {{"indicator", indicator_name}, {"year", year}, {"message", text}});
  }
  return web::message_with(call.language, "import.message_at_value",
                           {{"indicator", indicator_name},
                            {"category", category ? pick(call, category->name_de, category->name_en) : problem.category_code},
                            {"year", year},
                            {"message", text}});
}

void problems_table(Html& html, const Call& call, const std::vector<monitoring::ImportProblem>& problems,
                    const CatalogueNames& names) {
  subheading(html, web::message_with(call.language, "import.problems_heading", {{"count", count_text(problems.size())}}));
  const std::vector<std::string> headers = {std::string(call.text("import.column_row")),
                                            std::string(call.text("import.column_column")),
                                            std::string(call.text("import.column_severity")),
                                            std::string(call.text("import.column_message"))};
  web::data_table(html, call.text("import.problems_heading_short"), headers, [&] {
    for (std::size_t index = 0; index < problems.size() && index < kShownRows; ++index) {
      const auto& problem = problems[index];
      web::table_row(html, [&] {
        web::table_cell(html, row_text(call, problem));
        web::table_cell(html, problem.column > 0 ? tabular::column_letters(problem.column) : std::string("–"));
        web::table_cell(html, call.text(severity_key(problem)));
        web::table_cell(html, message_text(call, problem, names));
      });
    }
  });
  if (problems.size() > kShownRows) {
    html.element("p", {{"class", "kern-body"}},
                 web::message_with(call.language, "import.more_not_shown", {{"count", count_text(problems.size() - kShownRows)}}));
  }
}

// The preview: problems first, then the values; the confirm button only when nothing blocks.
http::Response preview_page(Call& call, const Services& services, const cooperation::City& city,
                            const monitoring::ImportPreview& preview, const std::string& token) {
  Html main;
  const auto title = web::message_with(call.language, "import.preview_title", {{"city", city.name}});
  heading(main, title);
  std::size_t values = 0;
  for (const auto& batch : preview.batches) values += batch.rows.size();
  if (preview.has_errors()) {
    web::alert(main, "danger", std::string(call.text("import.has_errors")));
  } else {
    web::alert(main, "info", web::message_with(call.language, "import.ready",
                                               {{"rows", std::to_string(preview.data_rows)}, {"values", count_text(values)},
                                                {"years", count_text(preview.batches.size())}}));
  }
  const auto uncommented = std::count_if(preview.problems.begin(), preview.problems.end(), [](const auto& problem) {
    return problem.comment == monitoring::WarningComment::missing;
  });
  if (uncommented > 0) {
    web::alert(main, "warning", web::message_with(call.language, "import.warnings_block_submission",
                                                  {{"count", std::to_string(uncommented)}}));
  }
  auto versions = services.monitoring.indicator_versions();
  if (!versions) return failure(call, services, versions.error());
  auto breakdowns = services.monitoring.breakdowns();
  if (!breakdowns) return failure(call, services, breakdowns.error());
  const CatalogueNames names(std::move(*versions), std::move(*breakdowns));
  if (!preview.problems.empty()) problems_table(main, call, preview.problems, names);
  if (!preview.has_errors() && !token.empty()) {
    main.nest("form", {{"method", "post"}, {"action", link(call, import_path(city) + "/" + token)}, {"class", "kern-stack"}},
              [&] {
                web::csrf_field(main, call.csrf());
                web::submit_row(main, call.text("import.commit_button"));
              });
  }
  if (values > 0) values_table(main, call, preview, names);
  subheading(main, call.text("import.again_heading"));
  upload_form(main, call, city, {});
  return page(call, services, title, std::move(main), preview.has_errors() ? 422 : 200);
}

Result<cooperation::City> city_of(const Call& call, const Services& services) {
  return services.cooperation.city(call.params.at("city"));
}

}  // namespace

http::Response import_form(Call& call, const Services& services) {
  auto city = city_of(call, services);
  if (!city) return failure(call, services, city.error());
  return form_page(call, services, *city, {}, 200, commit_notice(call, services));
}

http::Response import_upload(Call& call, const Services& services) {
  auto city = city_of(call, services);
  if (!city) return failure(call, services, city.error());
  if (call.request.body.size() > kMaxFileBytes + 64 * 1024) return error_response(call, services, 413, "import.upload_too_large");
  auto parts = http::parse_multipart(call.request.header("content-type").value_or(""), call.request.body);
  const auto* file = parts ? http::find_part(*parts, "datei") : nullptr;
  if (file == nullptr || !file->file_name || file->data.empty()) {
    return form_page(call, services, *city, std::string(call.text("import.file_required")), 422);
  }
  if (file->data.size() > kMaxFileBytes) return error_response(call, services, 413, "import.upload_too_large");
  monitoring::Importer importer(services.storage, services.clock, services.cooperation);
  auto preview = importer.preview(*call.principal, city->id, file->data, *file->file_name);
  if (!preview) return failure(call, services, preview.error());
  std::string token;
  if (!preview->has_errors() && !preview->batches.empty()) {
    token = pending_imports().put(PendingImport{file->data, *file->file_name, city->id, call.principal->user_id,
                                                services.clock.now() + kPendingSeconds},
                                  services.clock.now());
  }
  return preview_page(call, services, *city, *preview, token);
}

http::Response import_commit(Call& call, const Services& services) {
  auto city = city_of(call, services);
  if (!city) return failure(call, services, city.error());
  const auto& token = call.params.at("token");
  const auto upload = pending_imports().find(token, city->id, call.principal->user_id, services.clock.now());
  if (!upload) return form_page(call, services, *city, std::string(call.text("import.upload_expired")), 410);
  monitoring::Importer importer(services.storage, services.clock, services.cooperation);
  auto outcome = importer.commit(*call.principal, city->id, upload->bytes, upload->file_name, call.request.request_id);
  if (!outcome && outcome.error().code == ErrorCode::conflict) {
    return form_page(call, services, *city, std::string(call.text(outcome.error().message_key)), 409);
  }
  if (!outcome) return failure(call, services, outcome.error());
  if (!outcome->committed) return preview_page(call, services, *city, outcome->preview, {});
  pending_imports().erase(token);
  return http::Response::redirect(link(call, import_path(*city) + commit_notice_query(*outcome)));
}

http::Response import_template(Call& call, const Services& services) {
  auto city = city_of(call, services);
  if (!city) return failure(call, services, city.error());
  const auto year = text::parse_int(call.params.at("year"));
  if (!year || *year < monitoring::kEarliestYear || *year > monitoring::kLatestYear) return error_response(call, services, 404);
  const std::string format = call.path.ends_with(".xlsx") ? "xlsx" : "csv";
  monitoring::Importer importer(services.storage, services.clock, services.cooperation);
  auto sheet = importer.template_sheet(*call.principal, city->id, static_cast<int>(*year));
  if (!sheet) return failure(call, services, sheet.error());
  const auto file_name = "vorlage-" + city->slug + "-" + std::to_string(*year) + "." + format;
  http::Response response;
  if (format == "csv") {
    response = http::Response::text(200, tabular::write_csv(*sheet), "text/csv; charset=utf-8");
  } else {
    auto bytes = tabular::write_xlsx(*sheet, "Vorlage " + std::to_string(*year));
    if (!bytes) return failure(call, services, bytes.error());
    response = http::Response::text(200, std::move(*bytes),
                                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  }
  response.set_header("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
  response.set_header("Cache-Control", "private, no-store");
  return response;
}

}  // namespace ik::app
