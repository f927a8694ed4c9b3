// XLSX written with libxlsxwriter. The library writes to a file, so the workbook goes to a
// private temporary file that is read back and removed.
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/text.hpp"
#include "tabular/tabular.hpp"

namespace ik::tabular {
namespace {

constexpr double kMaxColumnWidth = 60.0;

class TemporaryFile {
 public:
  TemporaryFile() {
    auto pattern = (std::filesystem::temp_directory_path() / "ik-xlsx-XXXXXX").string();
    const int descriptor = ::mkstemp(pattern.data());
    if (descriptor >= 0) {
      ::close(descriptor);
      path_ = pattern;
    }
  }
  ~TemporaryFile() {
    if (!path_.empty()) std::filesystem::remove(path_, ignored_);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::error_code ignored_;
};

// Column widths from the longest text (in code points), so the header is readable at once. A
// note's long text runs on over the empty cells beside it instead.
std::vector<double> column_widths(const Sheet& sheet) {
  std::vector<double> widths;
  for (const auto& row : sheet.rows) {
    if (row.style == RowStyle::note || row.style == RowStyle::title) continue;
    if (widths.size() < row.cells.size()) widths.resize(row.cells.size(), 8.0);
    for (std::size_t column = 0; column < row.cells.size(); ++column) {
      const auto length = static_cast<double>(ik::text::code_points(row.cells[column].value)) + 2.0;
      widths[column] = std::min(kMaxColumnWidth, std::max(widths[column], length));
    }
  }
  return widths;
}

lxw_error write_cell(lxw_worksheet* worksheet, lxw_row_t row, lxw_col_t column, const Cell& cell, lxw_format* format) {
  if (cell.value.empty()) return LXW_NO_ERROR;
  if (cell.kind == CellKind::number) {
    return worksheet_write_number(worksheet, row, column, std::strtod(cell.value.c_str(), nullptr), format);
  }
  if (cell.kind == CellKind::boolean) return worksheet_write_boolean(worksheet, row, column, cell.value == "1", format);
  return worksheet_write_string(worksheet, row, column, cell.value.c_str(), format);
}

lxw_error write_sheet(lxw_workbook* workbook, const Sheet& sheet, const std::string& name) {
  lxw_worksheet* worksheet = workbook_add_worksheet(workbook, name.c_str());
  if (worksheet == nullptr) return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  const auto widths = column_widths(sheet);
  for (std::size_t column = 0; column < widths.size(); ++column) {
    const auto index = static_cast<lxw_col_t>(column);
    worksheet_set_column(worksheet, index, index, widths[column], nullptr);
  }
  const auto first_header = std::find_if(sheet.rows.begin(), sheet.rows.end(), [](const Row& row) {
    return row.style == RowStyle::header;
  });
  const std::size_t header_row = first_header == sheet.rows.end()
                                     ? 0
                                     : static_cast<std::size_t>(first_header - sheet.rows.begin());
  worksheet_freeze_panes(worksheet, static_cast<lxw_row_t>(header_row + 1), 0);
  for (std::size_t row = 0; row < sheet.rows.size(); ++row) {
    const auto style = sheet.rows[row].style;
    const bool bold = row == header_row || style == RowStyle::title || style == RowStyle::header;
    const auto& cells = sheet.rows[row].cells;
    for (std::size_t column = 0; column < cells.size(); ++column) {
      const auto status =
          write_cell(worksheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column),
                     cells[column], bold ? header : nullptr);
      if (status != LXW_NO_ERROR) return status;
    }
  }
  return LXW_NO_ERROR;
}

}  // namespace

Result<std::string> write_xlsx(const Sheet& sheet, std::string_view sheet_name) {
  const TemporaryFile file;
  if (file.path().empty()) return Error::internal("write_xlsx: no temporary file");
  lxw_workbook_options options{};
  auto directory = std::filesystem::temp_directory_path().string();
  options.tmpdir = directory.data();
  lxw_workbook* workbook = workbook_new_opt(file.path().c_str(), &options);
  if (workbook == nullptr) return Error::internal("write_xlsx: workbook_new_opt failed");
  const auto written = write_sheet(workbook, sheet, std::string(sheet_name));
  const auto closed = workbook_close(workbook);  // frees the workbook in every case
  if (written != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
    return Error::internal(std::string("write_xlsx: ") + lxw_strerror(written != LXW_NO_ERROR ? written : closed));
  }
  std::ifstream input(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << input.rdbuf();
  if (!input) return Error::internal("write_xlsx: cannot read back " + file.path());
  return bytes.str();
}

}  // namespace ik::tabular
