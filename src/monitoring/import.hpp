// Import of a city's monitoring data from CSV or XLSX, and the template to fill in.
//
// A file has one header row (the template's column titles, in any order) and one row per value:
// Stadt, Jahr, Indikator-Code, Indikator, Kategorie-Code, Kategorie, Anzahl mit
// Einwanderungsgeschichte, Anzahl ohne Angabe, Anzahl insgesamt, Quelle, Stichtag, Kommentar.
// Rows name their year, so one file may hold several years. The import is used from one city's
// pages: every row must name that city. `preview` reads and checks everything without writing;
// `commit` checks again (never trusting an earlier preview) and writes all values of all years
// in ONE transaction with the same checks and revisions as Monitoring::save_values, or nothing. Importing the same file twice
// changes nothing the second time (no duplicates, no new revisions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "monitoring/monitoring.hpp"
#include "tabular/tabular.hpp"

namespace ik::monitoring {

// The template's columns in order (1-based, as in the template).
enum class ImportColumn {
  city = 1, year, indicator_code, indicator_name, category_code, category_name,
  numerator, unknown, denominator, source, reference_date, comment,
};
// The German column title ("Stadt", "Anzahl ohne Angabe", …).
std::string_view column_title(ImportColumn column);

// What a monitoring rule's warning needs: a comment at its value, or nothing more because the
// value has one. A warning without its comment blocks submitting the report (not the import).
enum class WarningComment { not_asked, missing, given };

// A problem at a place in the file, in German through the catalogue: `message_key` is an
// "import.…" key or a validation finding's key; `params` fill its "{name}" placeholders.
struct ImportProblem {
  int row = 0;     // 1-based row as Excel shows it; 0: the file as a whole, or (with an
                   // indicator code) a stored value the file has no row for
  int column = 0;  // 1-based column; 0: the whole row
  Severity severity = Severity::error;
  std::string message_key;
  std::vector<std::pair<std::string, std::string>> params;
  // The value a monitoring rule's finding is about; empty codes for the file's own problems.
  std::string indicator_code;
  std::string category_code;  // "" also for a finding about the whole indicator
  int year = 0;
  WarningComment comment = WarningComment::not_asked;
};

// A value to be written and the row it comes from.
struct ImportRow {
  int row = 0;
  ValueEdit edit;
};

// The values of one city and year.
struct ImportBatch {
  CityId city_id = 0;
  int year = 0;
  std::vector<ImportRow> rows;
};

struct ImportPreview {
  int data_rows = 0;                   // rows below the header that hold anything
  std::vector<ImportBatch> batches;    // by year; rows with an error and locked years are left out
  std::vector<ImportProblem> problems; // by row, then column
  std::string digest;                  // SHA-256 (hex) of the file's bytes

  // Any error (warnings do not count): the file cannot be committed as it is.
  bool has_errors() const;
};

struct ImportOutcome {
  bool committed = false;   // false: the file has errors (see preview), nothing was written
  int changed = 0;          // values inserted, updated or deleted
  ImportPreview preview;    // the checks the commit ran
};

class Importer {
 public:
  Importer(storage::Storage& storage, const Clock& clock, const cooperation::Cooperation& cooperation);

  // The template for `city` and `year`: the header and one row per indicator valid in `year`
  // and category of its breakdown, with city, year, codes and names filled in and the stored
  // value where the city has one. Errors: forbidden (no role for the city and not the office),
  // not_found (unknown city), invalid_input ("year"), unavailable/internal.
  Result<tabular::Sheet> template_sheet(const auth::Principal& principal, CityId city, int year) const;

  // Reads `bytes` (CSV or XLSX, decided by content; `file_name` only for messages about a
  // misnamed file) and checks every row: city (must be `city`), year, indicator valid in that
  // year, category, counts (whole, not negative, parts not above the total), duplicates, plus
  // Monitoring::validate's findings for each year. Unreadable files give a preview with one
  // problem and no batches. Errors (as values, not problems): forbidden (not the city's
  // Städtische Erfassung), unavailable/internal.
  Result<ImportPreview> preview(const auth::Principal& principal, CityId city, std::string_view bytes,
                                std::string_view file_name) const;

  // Checks as `preview` does (the monitoring rules inside the writing transaction, as
  // save_values does); with no error writes every batch in one transaction (plus an audit entry
  // "import.values" with the file's digest, unless nothing changed) and returns committed = true.
  // With an error writes nothing and returns committed = false with the problems (the row
  // problems, or the rules' findings of every year in the file). Errors: forbidden,
  // conflict "report.locked" (a year's report is not a draft), unavailable/internal; on any
  // error nothing is written.
  Result<ImportOutcome> commit(const auth::Principal& principal, CityId city, std::string_view bytes,
                               std::string_view file_name, std::string_view request_id = {});

 private:
  storage::Storage& storage_;
  const Clock& clock_;
  const cooperation::Cooperation& cooperation_;
};

}  // namespace ik::monitoring
