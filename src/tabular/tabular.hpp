// Spreadsheets as German offices exchange them: CSV written by German Excel and XLSX files, read
// into a plain `Sheet` and written back. Pure: bytes in, values out; no storage, no HTTP.
//
// Positions are those the user sees in Excel: rows and columns count from 1, and a problem names
// its cell as "C7" (see `cell_name`) in Error::field, so a page can say "Zeile 7, Spalte C". An
// error about the file as a whole has an empty field. Message keys start with "import.".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace ik::tabular {

// CSV cells are always text. XLSX numbers keep the file's canonical form ("1234", "0.35",
// "1.5E-3": a decimal POINT), booleans are "1"/"0"; shared and inline strings are text.
enum class CellKind { text, number, boolean };

struct Cell {
  CellKind kind = CellKind::text;
  std::string value;  // UTF-8
};

// What a row is to a person reading the sheet in Excel; write_xlsx sets it accordingly, CSV
// has no styles (the readers leave every row plain).
enum class RowStyle {
  plain,   // a row of the table
  title,   // bold, e.g. the title above a table
  header,  // bold; the pane is frozen below the first header row
  note,    // text beside the table (e.g. its footnotes): does not widen the columns
};
// (A title does not widen the columns either: its text runs on over the empty cells beside it.)

struct Row {
  int number = 0;            // 1-based row as Excel shows it (empty rows are skipped, not renumbered)
  std::vector<Cell> cells;   // cells[i] is column i + 1; trailing empty cells may be absent
  RowStyle style = RowStyle::plain;
  // The cell of 1-based `column`, or an empty text cell when the row is shorter.
  const Cell& at(int column) const;
};

struct Sheet {
  std::vector<Row> rows;  // non-empty rows only, in file order
};

// Upper bounds a file must stay within; exceeding one is refused with a message naming the limit.
struct Limits {
  int max_rows = 250'000;
  int max_columns = 64;
  // Largest uncompressed size of one part of an XLSX file (checked before and while reading, so
  // a zip bomb is refused without inflating it) and of a decoded CSV text.
  std::uint64_t max_part_bytes = 256ull << 20;
};

// The two formats, for callers that offer both (exports).
enum class Format { csv, xlsx };

// "A" for 1, "Z" for 26, "AA" for 27. Precondition: column >= 1.
std::string column_letters(int column);
// "C7" for row 7, column 3.
std::string cell_name(int row, int column);
struct Position {
  int row = 0;
  int column = 0;
};
// The inverse of cell_name; nullopt for anything else.
std::optional<Position> parse_cell_name(std::string_view name);

// Decides the format from the bytes (a zip archive is XLSX) and reads the sheet. A file that is
// neither (binary data, an old .xls or a password-protected workbook, a file named .xlsx that is
// no zip archive) is refused with import.file_not_tabular / import.xlsx_encrypted /
// import.xlsx_not_zip.
Result<Sheet> read_any(std::string_view bytes, std::string_view file_name, const Limits& limits = {});

// CSV: separator ';' (',' and tab are detected from the first row; an Excel "sep=" line is
// honoured), fields quoted with '"' may hold separators, doubled quotes and line breaks; CRLF or
// LF; empty lines are skipped. Encoding: valid UTF-8 (with or without BOM) is UTF-8; a UTF-16
// BOM selects UTF-16; anything else is read as Windows-1252 (what German Excel writes).
// Errors (field = cell): import.csv_unclosed_quote, import.csv_text_after_quote,
// import.too_many_rows, import.too_many_columns, import.file_too_large, import.file_empty.
Result<Sheet> read_csv(std::string_view bytes, const Limits& limits = {});

// XLSX (Office Open XML) with exactly one worksheet. Refused, nothing partially returned:
// import.xlsx_not_zip, import.xlsx_encrypted, import.xlsx_broken (a part missing or not XML),
// import.xlsx_several_sheets, import.xlsx_merged_cells (field = first merged range's cell),
// import.xlsx_formula (field = the cell), import.xlsx_error_value (a cell showing #DIV/0! etc.),
// import.file_too_large (a part above max_part_bytes: zip bomb), import.too_many_rows,
// import.too_many_columns, import.file_empty.
Result<Sheet> read_xlsx(std::string_view bytes, const Limits& limits = {});

// CSV as German Excel reads it: UTF-8 with BOM, ';', CRLF, quotes where needed (also around a
// text with a comma, so that no reader takes the comma for the separator); number cells with a
// decimal comma ("0.35" → "0,35"). Row styles are not written (CSV has none).
std::string write_csv(const Sheet& sheet);

// XLSX with one worksheet named `sheet_name` (at most 31 characters), the sheet's rows one after
// another (Row::number is not used); title and header rows are bold, the pane is frozen below
// the first header row (a sheet without one: its first row is the header), title and note rows
// do not widen the columns; number cells become numbers, text stays text (so codes like "01" keep
// their zero). Errors: internal when the library or the temporary file fails.
Result<std::string> write_xlsx(const Sheet& sheet, std::string_view sheet_name);

// An exact decimal number: units × 10^-scale ("1.234,5" → {12345, 1}).
struct Decimal {
  std::int64_t units = 0;
  int scale = 0;
  bool operator==(const Decimal&) const = default;
};

// A number as German users write it: "1.234" (thousands dot), "1.234,5", "12,5", "-3"; XLSX
// number cells in their canonical form. An empty cell is nullopt (a missing figure stays
// missing). Errors name `cell` in Error::field: import.number_mixed_format ("1,234.5"),
// import.number_decimal_point ("12.5": ambiguous, write 12,5), import.number_invalid.
Result<std::optional<Decimal>> parse_decimal(const Cell& value, std::string_view cell);
// A count: like parse_decimal but only whole numbers (import.number_not_integer for "12,5").
// Negative counts are returned as such: whether they are allowed is the caller's rule.
Result<std::optional<std::int64_t>> parse_count(const Cell& value, std::string_view cell);

// An Excel date serial number (1900 date system, as Excel stores dates) as "YYYY-MM-DD";
// nullopt when the value is not a whole day number in 1900..9999.
std::optional<std::string> excel_serial_to_iso(std::string_view number);

}  // namespace ik::tabular
