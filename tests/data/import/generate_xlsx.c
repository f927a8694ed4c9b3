/* Writes the XLSX test files of tests/unit/tabular_test.cpp with libxlsxwriter, the library real
 * exports use, so the reader is tested against files it did not write itself. Run from this folder:
 *   cc generate_xlsx.c $(pkg-config --cflags --libs xlsxwriter) -o /tmp/generate_xlsx && /tmp/generate_xlsx
 */
#include <xlsxwriter.h>

static void header(lxw_worksheet *sheet) {
  worksheet_write_string(sheet, 0, 0, "Stadt", NULL);
  worksheet_write_string(sheet, 0, 1, "Jahr", NULL);
  worksheet_write_string(sheet, 0, 2, "Anzahl", NULL);
  worksheet_write_string(sheet, 0, 3, "Kommentar", NULL);
}

static void plain(void) {
  lxw_workbook *book = workbook_new("plain.xlsx");
  lxw_worksheet *sheet = workbook_add_worksheet(book, "Daten");
  header(sheet);
  worksheet_write_string(sheet, 1, 0, "Düsseldorf", NULL);
  worksheet_write_number(sheet, 1, 1, 2023, NULL);
  worksheet_write_number(sheet, 1, 2, 1234, NULL);
  worksheet_write_string(sheet, 1, 3, "Zeile mit\nUmbruch", NULL);
  /* Row 3 stays empty; row 4 has a decimal, a boolean and a leading-zero code kept as text. */
  worksheet_write_string(sheet, 3, 0, "Essen", NULL);
  worksheet_write_number(sheet, 3, 1, 2024, NULL);
  worksheet_write_number(sheet, 3, 2, 12.5, NULL);
  worksheet_write_boolean(sheet, 3, 3, 1, NULL);
  worksheet_write_string(sheet, 3, 5, "01", NULL);
  workbook_close(book);
}

static void formula(void) {
  lxw_workbook *book = workbook_new("formula.xlsx");
  lxw_worksheet *sheet = workbook_add_worksheet(book, NULL);
  header(sheet);
  worksheet_write_number(sheet, 1, 2, 5, NULL);
  worksheet_write_formula(sheet, 2, 2, "=C2*2", NULL);
  workbook_close(book);
}

static void merged(void) {
  lxw_workbook *book = workbook_new("merged.xlsx");
  lxw_worksheet *sheet = workbook_add_worksheet(book, NULL);
  header(sheet);
  worksheet_merge_range(sheet, 1, 1, 1, 3, "zusammengefasst", NULL);
  workbook_close(book);
}

static void two_sheets(void) {
  lxw_workbook *book = workbook_new("two_sheets.xlsx");
  header(workbook_add_worksheet(book, "Daten"));
  header(workbook_add_worksheet(book, "Notizen"));
  workbook_close(book);
}

int main(void) {
  plain();
  formula();
  merged();
  two_sheets();
  return 0;
}
