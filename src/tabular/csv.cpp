// CSV as German Excel reads and writes it, and the choice between CSV and XLSX.
#include <unicode/ucnv.h>

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "tabular/internal.hpp"
#include "tabular/tabular.hpp"

namespace ik::tabular {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kZipMagic = "PK\x03\x04";
// Compound File Binary: old .xls files and password-protected (encrypted) .xlsx files.
constexpr std::string_view kCompoundFileMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

Result<std::string> convert_to_utf8(std::string_view bytes, const char* encoding) {
  // UTF-8 needs at most three bytes for a code unit of a single-byte or UTF-16 encoding.
  std::string converted(bytes.size() * 3 + 4, '\0');
  UErrorCode status = U_ZERO_ERROR;
  const auto length = ucnv_convert("UTF-8", encoding, converted.data(), static_cast<int32_t>(converted.size()),
                                   bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) return Error::invalid("", "import.file_not_tabular");
  converted.resize(static_cast<std::size_t>(length));
  return converted;
}

// Control characters other than tab and line breaks mean binary data (a PDF, an image, …).
bool looks_binary(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f';
  });
}

Result<std::string> decode(std::string_view bytes) {
  std::string text;
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    auto converted = convert_to_utf8(bytes.substr(2), bytes[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE");
    if (!converted) return converted;
    text = std::move(*converted);
  } else if (bytes.starts_with(kUtf8Bom)) {
    text = bytes.substr(kUtf8Bom.size());
    if (!ik::text::is_valid_utf8(text)) return Error::invalid("", "import.csv_invalid_utf8");
  } else if (ik::text::is_valid_utf8(bytes)) {
    text = bytes;
  } else {
    auto converted = convert_to_utf8(bytes, "windows-1252");
    if (!converted) return converted;
    text = std::move(*converted);
  }
  if (looks_binary(text)) return Error::invalid("", "import.file_not_tabular");
  return text;
}

// The separator that occurs most often outside quotes in the first line (';' on a tie or none).
char detect_separator(std::string_view text) {
  std::array<std::size_t, 3> counts{};  // ';', '\t', ','
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    if (c == ';') ++counts[0];
    if (c == '\t') ++counts[1];
    if (c == ',') ++counts[2];
  }
  const auto best = std::max_element(counts.begin(), counts.end());  // first maximum wins a tie
  if (*best == 0) return ';';
  return std::array<char, 3>{';', '\t', ','}[static_cast<std::size_t>(best - counts.begin())];
}

class CsvReader {
 public:
  CsvReader(std::string_view text, char separator, const Limits& limits)
      : text_(text), separator_(separator), field_ends_{separator, '\r', '\n'}, limits_(limits) {}

  Result<Sheet> read() {
    Sheet sheet;
    while (position_ < text_.size()) {
      ++row_number_;
      Row row{.number = row_number_};
      row.cells.reserve(sheet.rows.empty() ? 16 : sheet.rows.back().cells.size() + 1);
      IK_TRY(read_record(row));
      internal::trim_trailing(row);
      if (internal::is_blank(row)) continue;
      if (row_number_ > limits_.max_rows) return Error::invalid(cell_name(row_number_, 1), "import.too_many_rows");
      sheet.rows.push_back(std::move(row));
    }
    return sheet;
  }

 private:
  bool at_end() const { return position_ >= text_.size(); }
  char peek() const { return text_[position_]; }

  // Consumes a line break ("\r\n", "\n" or "\r") if one follows; true when it did.
  bool take_line_break() {
    if (at_end()) return false;
    if (peek() == '\r') {
      ++position_;
      if (!at_end() && peek() == '\n') ++position_;
      return true;
    }
    if (peek() == '\n') {
      ++position_;
      return true;
    }
    return false;
  }

  Status read_record(Row& row) {
    for (int column = 1;; ++column) {
      if (column > limits_.max_columns) return Error::invalid(cell_name(row_number_, column), "import.too_many_columns");
      Cell cell;
      if (!at_end() && peek() == '"') {
        IK_TRY(read_quoted(cell.value, column));
      } else {
        read_plain(cell.value);
      }
      row.cells.push_back(std::move(cell));
      if (at_end() || take_line_break()) return {};
      ++position_;  // the separator
      if (at_end()) return {};
    }
  }

  void read_plain(std::string& value) {
    const auto end = text_.find_first_of(field_ends_, position_);
    const auto stop = end == std::string_view::npos ? text_.size() : end;
    value.assign(text_.substr(position_, stop - position_));
    position_ = stop;
  }

  Status read_quoted(std::string& value, int column) {
    const auto name = cell_name(row_number_, column);
    ++position_;  // the opening quote
    while (true) {
      const auto quote = text_.find('"', position_);
      if (quote == std::string_view::npos) return Error::invalid(name, "import.csv_unclosed_quote");
      append_normalised(value, text_.substr(position_, quote - position_));
      position_ = quote + 1;
      if (!at_end() && peek() == '"') {  // a doubled quote stands for one
        value += '"';
        ++position_;
        continue;
      }
      if (at_end() || peek() == separator_ || peek() == '\r' || peek() == '\n') return {};
      return Error::invalid(name, "import.csv_text_after_quote");
    }
  }

  // Line breaks inside a quoted field become "\n", whatever the file used.
  static void append_normalised(std::string& value, std::string_view part) {
    for (std::size_t index = 0; index < part.size(); ++index) {
      if (part[index] == '\r') {
        value += '\n';
        if (index + 1 < part.size() && part[index + 1] == '\n') ++index;
      } else {
        value += part[index];
      }
    }
  }

  std::string_view text_;
  char separator_;
  std::string field_ends_;  // what ends an unquoted field
  const Limits& limits_;
  std::size_t position_ = 0;
  int row_number_ = 0;
};

bool needs_quotes(std::string_view value) {
  return value.find_first_of(";\"\r\n") != std::string_view::npos ||
         (!value.empty() && (value.front() == ' ' || value.back() == ' '));
}

// Text that Excel would take for a formula ("=…", "+…", "@…") is kept as text by a leading
// apostrophe, so an exported comment can never run as a formula in the reader's Excel.
bool looks_like_formula(const Cell& cell) {
  if (cell.kind != CellKind::text || cell.value.empty()) return false;
  const char first = cell.value.front();
  return first == '=' || first == '+' || first == '@' ||
         (first == '-' && cell.value.size() > 1 && !(cell.value[1] >= '0' && cell.value[1] <= '9'));
}

void write_field(std::string& out, const Cell& cell) {
  std::string value = cell.value;
  if (cell.kind == CellKind::number) std::replace(value.begin(), value.end(), '.', ',');
  if (looks_like_formula(cell)) value.insert(value.begin(), '\'');
  // A text with a comma is quoted too: a reader that guesses the separator from the first line
  // (read_csv, LibreOffice, Python's csv.Sniffer) would otherwise take the comma of a title
  // such as "Beschäftigte, 2024–2025" for it. (A number's decimal comma stays bare: Excel reads
  // it as a number.)
  const bool comma = cell.kind == CellKind::text && value.find(',') != std::string::npos;
  if (!comma && !needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

bool ends_with_xlsx(std::string_view file_name) {
  return file_name.size() >= 5 && ik::text::lower_ascii(file_name.substr(file_name.size() - 5)) == ".xlsx";
}

}  // namespace

Result<Sheet> read_csv(std::string_view bytes, const Limits& limits) {
  if (bytes.size() > limits.max_part_bytes) return Error::invalid("", "import.file_too_large");
  auto text = decode(bytes);
  if (!text) return text.take_error();
  std::string_view content = *text;
  char separator = 0;
  // Excel's own hint line "sep=;" names the separator and is not shown as a row.
  if (content.starts_with("sep=") && content.size() >= 5) {
    separator = content[4];
    const auto line_end = content.find('\n');
    content.remove_prefix(line_end == std::string_view::npos ? content.size() : line_end + 1);
  } else {
    separator = detect_separator(content);
  }
  auto sheet = CsvReader(content, separator, limits).read();
  if (!sheet) return sheet;
  if (sheet->rows.empty()) return Error::invalid("", "import.file_empty");
  return sheet;
}

std::string write_csv(const Sheet& sheet) {
  std::string out(kUtf8Bom);
  for (const auto& row : sheet.rows) {
    for (std::size_t column = 0; column < row.cells.size(); ++column) {
      if (column > 0) out += ';';
      write_field(out, row.cells[column]);
    }
    out += "\r\n";
  }
  return out;
}

Result<Sheet> read_any(std::string_view bytes, std::string_view file_name, const Limits& limits) {
  if (bytes.empty()) return Error::invalid("", "import.file_empty");
  if (bytes.starts_with(kZipMagic)) return read_xlsx(bytes, limits);
  if (bytes.starts_with(kCompoundFileMagic)) return Error::invalid("", "import.xlsx_encrypted");
  if (ends_with_xlsx(file_name)) return Error::invalid("", "import.xlsx_not_zip");
  return read_csv(bytes, limits);
}

}  // namespace ik::tabular
