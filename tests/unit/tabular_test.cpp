// CSV and XLSX reading and writing with real files from tests/data/import, German numbers and the
// refusals the import relies on.
#include "tabular/tabular.hpp"

#include <gtest/gtest.h>
#include <zip.h>

#include <array>
#include <fstream>
#include <sstream>

namespace ik::tabular {
namespace {

std::string data(const std::string& name) {
  std::ifstream file(std::string(IK_SOURCE_DIR) + "/tests/data/import/" + name, std::ios::binary);
  EXPECT_TRUE(file) << name;
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

Cell text(std::string value) { return Cell{CellKind::text, std::move(value)}; }
Cell number(std::string value) { return Cell{CellKind::number, std::move(value)}; }

void expect_refused(const Result<Sheet>& sheet, const std::string& key, const std::string& field = "") {
  ASSERT_FALSE(sheet.ok()) << key;
  EXPECT_EQ(sheet.error().message_key, key);
  EXPECT_EQ(sheet.error().field, field);
}

TEST(CellNames, ColumnsAsExcelNamesThem) {
  EXPECT_EQ(column_letters(1), "A");
  EXPECT_EQ(column_letters(26), "Z");
  EXPECT_EQ(column_letters(27), "AA");
  EXPECT_EQ(column_letters(703), "AAA");
  EXPECT_EQ(cell_name(7, 3), "C7");
  const auto position = parse_cell_name("AB12");
  ASSERT_TRUE(position);
  EXPECT_EQ(position->row, 12);
  EXPECT_EQ(position->column, 28);
  EXPECT_FALSE(parse_cell_name("12"));
  EXPECT_FALSE(parse_cell_name("A0"));
  EXPECT_FALSE(parse_cell_name("a1"));
}

TEST(Csv, GermanExcelExportWithBomQuotedLineBreakAndEmptyLine) {
  auto sheet = read_csv(data("utf8_bom.csv"));
  ASSERT_TRUE(sheet) << sheet.error().message_key;
  ASSERT_EQ(sheet->rows.size(), 3u);
  EXPECT_EQ(sheet->rows[0].at(1).value, "Stadt");  // the BOM is gone
  EXPECT_EQ(sheet->rows[1].number, 2);
  EXPECT_EQ(sheet->rows[1].at(1).value, "Düsseldorf");
  EXPECT_EQ(sheet->rows[1].at(4).value, "Zeile mit\nUmbruch; und \"Zitat\"");
  // The empty line is skipped but still counted, as Excel shows it.
  EXPECT_EQ(sheet->rows[2].number, 4);
  EXPECT_EQ(sheet->rows[2].at(3).value, "12,5");
  EXPECT_EQ(sheet->rows[2].at(4).value, "");
  EXPECT_EQ(sheet->rows[2].at(9).value, "");  // beyond the row: empty
}

TEST(Csv, Windows1252WithUmlautsIsDetectedAndConverted) {
  auto sheet = read_csv(data("windows1252.csv"));
  ASSERT_TRUE(sheet) << sheet.error().message_key;
  ASSERT_EQ(sheet->rows.size(), 3u);
  EXPECT_EQ(sheet->rows[1].at(1).value, "Mülheim an der Ruhr");
  EXPECT_EQ(sheet->rows[1].at(2).value, "Beschäftigte (gehobener Dienst)");
  EXPECT_EQ(sheet->rows[2].at(1).value, "Große Städte € ");
  EXPECT_EQ(sheet->rows[2].at(2).value, "Führungskräfte");
}

TEST(Csv, CommaAndTabSeparatorsAreDetected) {
  auto comma = read_csv(data("comma.csv"));
  ASSERT_TRUE(comma);
  EXPECT_EQ(comma->rows[1].at(1).value, "Essen, Stadt");
  EXPECT_EQ(comma->rows[1].at(3).value, "ok");
  auto tab = read_csv("a\tb\tc;d\n1\t2;3\n");
  ASSERT_TRUE(tab);
  EXPECT_EQ(tab->rows[1].at(2).value, "2;3");
  auto hinted = read_csv("sep=,\nx,y\n");
  ASSERT_TRUE(hinted);
  EXPECT_EQ(hinted->rows[0].number, 1);
  EXPECT_EQ(hinted->rows[0].at(2).value, "y");
}

TEST(Csv, Utf16FromExcelUnicodeText) {
  const std::string utf16le("\xFF\xFE" "A\0;\0\xFC\0\n\0", 10);
  auto sheet = read_csv(utf16le);
  ASSERT_TRUE(sheet) << sheet.error().message_key;
  EXPECT_EQ(sheet->rows[0].at(2).value, "ü");
}

TEST(Csv, BrokenQuotesNameTheCell) {
  expect_refused(read_csv(data("unclosed_quote.csv")), "import.csv_unclosed_quote", "B2");
  expect_refused(read_csv("a;\"b\"x;c\n"), "import.csv_text_after_quote", "B1");
}

TEST(Csv, LimitsAndEmptyFiles) {
  expect_refused(read_csv("\r\n;;\r\n\n"), "import.file_empty");
  Limits limits;
  limits.max_rows = 2;
  limits.max_columns = 3;
  expect_refused(read_csv("a\nb\nc\n", limits), "import.too_many_rows", "A3");
  expect_refused(read_csv("a;b;c;d\n", limits), "import.too_many_columns", "D1");
  limits.max_part_bytes = 4;
  expect_refused(read_csv("a;b;c\n", limits), "import.file_too_large");
}

TEST(Csv, WritesWhatGermanExcelReads) {
  Sheet sheet;
  sheet.rows.push_back(Row{1, {text("Stadt"), text("Wert"), text("Kommentar")}});
  sheet.rows.push_back(Row{2, {text("Essen"), number("0.35"), text("a;b \"c\"\nd")}});
  sheet.rows.push_back(Row{3, {text("=HYPERLINK(\"x\")"), number("-3"), text("-5")}});
  const auto csv = write_csv(sheet);
  EXPECT_EQ(csv,
            "\xEF\xBB\xBFStadt;Wert;Kommentar\r\n"
            "Essen;0,35;\"a;b \"\"c\"\"\nd\"\r\n"
            "\"'=HYPERLINK(\"\"x\"\")\";-3;-5\r\n");
  auto again = read_csv(csv);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rows[1].at(3).value, "a;b \"c\"\nd");
}

// A first line of one text with a comma (an export's title) must not make a reader take the
// comma for the separator: the text is quoted, and the file reads back as written.
TEST(Csv, ATextWithACommaIsQuotedSoTheSeparatorStaysClear) {
  Sheet sheet;
  sheet.rows.push_back(Row{1, {text("Beschäftigte, 2024–2025")}, RowStyle::title});
  sheet.rows.push_back(Row{2, {text("Jahr"), text("Anteil")}, RowStyle::header});
  sheet.rows.push_back(Row{3, {number("2024"), number("12.5")}});
  const auto csv = write_csv(sheet);
  EXPECT_EQ(csv, "\xEF\xBB\xBF\"Beschäftigte, 2024–2025\"\r\nJahr;Anteil\r\n2024;12,5\r\n");
  auto again = read_csv(csv);
  ASSERT_TRUE(again) << again.error().message_key;
  EXPECT_EQ(again->rows[0].at(1).value, "Beschäftigte, 2024–2025");
  EXPECT_EQ(again->rows[1].at(2).value, "Anteil");
  EXPECT_EQ(again->rows[2].at(2).value, "12,5");
}

TEST(Xlsx, ReadsAFileWrittenByLibxlsxwriter) {
  auto sheet = read_any(data("plain.xlsx"), "plain.xlsx");
  ASSERT_TRUE(sheet) << sheet.error().message_key;
  ASSERT_EQ(sheet->rows.size(), 3u);
  EXPECT_EQ(sheet->rows[0].at(4).value, "Kommentar");
  EXPECT_EQ(sheet->rows[1].at(1).value, "Düsseldorf");
  EXPECT_EQ(sheet->rows[1].at(2).kind, CellKind::number);
  EXPECT_EQ(sheet->rows[1].at(2).value, "2023");
  EXPECT_EQ(sheet->rows[1].at(4).value, "Zeile mit\nUmbruch");
  EXPECT_EQ(sheet->rows[2].number, 4);  // row 3 is empty in the file
  EXPECT_EQ(sheet->rows[2].at(3).value, "12.5");
  EXPECT_EQ(sheet->rows[2].at(4).kind, CellKind::boolean);
  EXPECT_EQ(sheet->rows[2].at(5).value, "");
  EXPECT_EQ(sheet->rows[2].at(6).value, "01");
  EXPECT_EQ(sheet->rows[2].at(6).kind, CellKind::text);
}

TEST(Xlsx, RefusesWhatTheImportCannotTakeFaithfully) {
  expect_refused(read_xlsx(data("formula.xlsx")), "import.xlsx_formula", "C3");
  expect_refused(read_xlsx(data("merged.xlsx")), "import.xlsx_merged_cells", "B2");
  expect_refused(read_xlsx(data("two_sheets.xlsx")), "import.xlsx_several_sheets");
  expect_refused(read_any(data("text_renamed.xlsx"), "daten.XLSX"), "import.xlsx_not_zip");
  expect_refused(read_xlsx(data("text_renamed.xlsx")), "import.xlsx_not_zip");
  expect_refused(read_any(data("not_a_table.csv"), "daten.csv"), "import.file_not_tabular");
  expect_refused(read_any(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", 12), "alt.xls"),
                 "import.xlsx_encrypted");
  expect_refused(read_any("", "leer.csv"), "import.file_empty");
  auto truncated = data("plain.xlsx");
  truncated.resize(truncated.size() / 2);
  EXPECT_FALSE(read_xlsx(truncated).ok());
}

TEST(Xlsx, ZipBombIsRefusedBeforeInflating) {
  const auto bomb = data("bomb.xlsx");
  EXPECT_LT(bomb.size(), 20'000u);
  Limits limits;
  limits.max_part_bytes = 1 << 20;
  expect_refused(read_xlsx(bomb, limits), "import.file_too_large");
  EXPECT_TRUE(read_xlsx(bomb).ok());  // within the default limit it is an ordinary file
}

TEST(Xlsx, RowAndColumnLimits) {
  Limits limits;
  limits.max_rows = 3;
  expect_refused(read_xlsx(data("plain.xlsx"), limits), "import.too_many_rows", "A4");
  limits = Limits{};
  limits.max_columns = 5;
  expect_refused(read_xlsx(data("plain.xlsx"), limits), "import.too_many_columns", "F4");
}

TEST(Xlsx, WriteAndReadBack) {
  Sheet sheet;
  sheet.rows.push_back(Row{1, {text("Kategorie-Code"), text("Anzahl"), text("Kommentar")}});
  sheet.rows.push_back(Row{2, {text("01"), number("1234"), text("Müller & Söhne <x>")}});
  sheet.rows.push_back(Row{3, {text("eg_9_12"), number("0.35"), Cell{}}});
  auto bytes = write_xlsx(sheet, "Vorlage");
  ASSERT_TRUE(bytes) << bytes.error().detail;
  EXPECT_TRUE(bytes->starts_with("PK"));
  auto read = read_xlsx(*bytes);
  ASSERT_TRUE(read) << read.error().message_key;
  ASSERT_EQ(read->rows.size(), 3u);
  EXPECT_EQ(read->rows[1].at(1).value, "01");
  EXPECT_EQ(read->rows[1].at(1).kind, CellKind::text);
  EXPECT_EQ(read->rows[1].at(2).value, "1234");
  EXPECT_EQ(read->rows[1].at(2).kind, CellKind::number);
  EXPECT_EQ(read->rows[1].at(3).value, "Müller & Söhne <x>");
  EXPECT_EQ(read->rows[2].at(2).value, "0.35");
}

// The text of one part of a zip archive ("" when it is missing).
std::string zip_part(const std::string& archive, const char* name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(archive.data(), archive.size(), 0, &error);
  zip_t* zip = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  std::string text;
  if (zip_file_t* file = zip ? zip_fopen(zip, name, 0) : nullptr) {
    std::array<char, 4096> buffer{};
    for (zip_int64_t read = 0; (read = zip_fread(file, buffer.data(), buffer.size())) > 0;)
      text.append(buffer.data(), static_cast<std::size_t>(read));
    zip_fclose(file);
  }
  if (zip)
    zip_close(zip);
  else if (source)
    zip_source_free(source);
  zip_error_fini(&error);
  return text;
}

// An export as official statistics lay it out: a title and notes above, the table's header, its
// rows, footnotes below. The header row is frozen and bold, the title bold, and the long notes
// leave the columns as wide as the table needs.
TEST(Xlsx, WritesTitleHeaderAndNoteRowsAsTheSheetSays) {
  Sheet sheet;
  sheet.rows.push_back(
      Row{1, {text("Beschäftigte mit Einwanderungsgeschichte 2024")}, RowStyle::title});
  sheet.rows.push_back(Row{2, {text(std::string(200, 'n'))}, RowStyle::note});
  sheet.rows.push_back(Row{3, {text("Jahr"), text("Stadt")}, RowStyle::header});
  sheet.rows.push_back(Row{4, {number("2024"), text("Bochum")}});
  sheet.rows.push_back(Row{5, {}});
  sheet.rows.push_back(Row{6, {text("• = geheim gehalten")}, RowStyle::note});
  auto bytes = write_xlsx(sheet, "staff");
  ASSERT_TRUE(bytes) << bytes.error().detail;
  const std::string xml = zip_part(*bytes, "xl/worksheets/sheet1.xml");
  ASSERT_FALSE(xml.empty());
  EXPECT_NE(xml.find("<pane ySplit=\"3\" topLeftCell=\"A4\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find("width=\"60"), std::string::npos) << xml;  // the note did not widen column A
  // Bold (style 1): the title's and the header's cells, not the table's or the notes'.
  for (const char* cell : {"r=\"A1\" s=\"1\"", "r=\"A3\" s=\"1\"", "r=\"B3\" s=\"1\""})
    EXPECT_NE(xml.find(cell), std::string::npos) << cell;
  for (const char* cell : {"r=\"A2\" s=", "r=\"A4\" s=", "r=\"A6\" s="})
    EXPECT_EQ(xml.find(cell), std::string::npos) << cell;
  auto read = read_xlsx(*bytes);
  ASSERT_TRUE(read) << read.error().message_key;
  ASSERT_EQ(read->rows.size(), 5u);  // the empty row is not read
  EXPECT_EQ(read->rows[2].at(2).value, "Stadt");
  EXPECT_EQ(read->rows[4].at(1).value, "• = geheim gehalten");
}

struct NumberCase {
  std::string input;
  std::optional<Decimal> expected;
  std::string error;
};

TEST(Numbers, GermanFormats) {
  const std::vector<NumberCase> cases = {
      {"1.234", Decimal{1234, 0}, ""},
      {"1.234,5", Decimal{12345, 1}, ""},
      {"12,5", Decimal{125, 1}, ""},
      {"-3", Decimal{-3, 0}, ""},
      {" 1.234.567 ", Decimal{1234567, 0}, ""},
      {"0,05", Decimal{5, 2}, ""},
      {"", std::nullopt, ""},
      {"  ", std::nullopt, ""},
      {"1,234.5", std::nullopt, "import.number_mixed_format"},
      {"1.234,5.6", std::nullopt, "import.number_mixed_format"},
      {"12.5", std::nullopt, "import.number_decimal_point"},
      {"1.23", std::nullopt, "import.number_decimal_point"},
      {"1.2345", std::nullopt, "import.number_decimal_point"},
      {"12.34.5", std::nullopt, "import.number_invalid"},
      {"1,2,3", std::nullopt, "import.number_invalid"},
      {"zwölf", std::nullopt, "import.number_invalid"},
      {"12 %", std::nullopt, "import.number_invalid"},
      {"-", std::nullopt, "import.number_invalid"},
      {"5,", std::nullopt, "import.number_invalid"},
      {"99999999999999999999", std::nullopt, "import.number_invalid"},
  };
  for (const auto& test : cases) {
    const auto parsed = parse_decimal(text(test.input), "G9");
    if (test.error.empty()) {
      ASSERT_TRUE(parsed) << test.input << ": " << parsed.error().message_key;
      EXPECT_EQ(*parsed, test.expected) << test.input;
    } else {
      ASSERT_FALSE(parsed) << test.input;
      EXPECT_EQ(parsed.error().message_key, test.error) << test.input;
      EXPECT_EQ(parsed.error().field, "G9");
    }
  }
}

TEST(Numbers, XlsxNumbersInCanonicalForm) {
  EXPECT_EQ(*parse_decimal(number("12.5"), "A1"), (Decimal{125, 1}));
  EXPECT_EQ(*parse_decimal(number("1.5E-3"), "A1"), (Decimal{15, 4}));
  EXPECT_EQ(*parse_decimal(number("1E+5"), "A1"), (Decimal{100000, 0}));
  EXPECT_FALSE(parse_decimal(number("1.234,5"), "A1").ok());
  EXPECT_FALSE(parse_decimal(Cell{CellKind::boolean, "1"}, "A1").ok());
}

TEST(Numbers, CountsAreWholeNumbers) {
  EXPECT_EQ(*parse_count(text("1.234"), "C2"), 1234);
  EXPECT_EQ(*parse_count(text("-3"), "C2"), -3);  // the caller decides about negatives
  EXPECT_EQ(*parse_count(text("12,0"), "C2"), 12);
  EXPECT_EQ(*parse_count(number("2023"), "C2"), 2023);
  EXPECT_FALSE(parse_count(text(""), "C2")->has_value());
  const auto decimal = parse_count(text("12,5"), "C2");
  ASSERT_FALSE(decimal);
  EXPECT_EQ(decimal.error().message_key, "import.number_not_integer");
  EXPECT_EQ(decimal.error().field, "C2");
  EXPECT_EQ(parse_count(number("12.5"), "D4").error().message_key, "import.number_not_integer");
}

TEST(Dates, ExcelSerials) {
  EXPECT_EQ(excel_serial_to_iso("1"), "1900-01-01");
  EXPECT_EQ(excel_serial_to_iso("59"), "1900-02-28");
  EXPECT_EQ(excel_serial_to_iso("61"), "1900-03-01");
  EXPECT_EQ(excel_serial_to_iso("45000"), "2023-03-15");
  EXPECT_EQ(excel_serial_to_iso("45291"), "2023-12-31");
  EXPECT_FALSE(excel_serial_to_iso("60"));
  EXPECT_FALSE(excel_serial_to_iso("0"));
  EXPECT_FALSE(excel_serial_to_iso("45000.5"));
}

}  // namespace
}  // namespace ik::tabular
