// The import pages driven through Site::handle: upload (multipart/form-data), preview, commit,
// templates, the 413 page for an oversized file and the refusal of another city's data.
#include "test_database.hpp"
#include "site_fixture.hpp"
#include "tabular/tabular.hpp"

namespace ik::testing {
namespace {

constexpr std::string_view kBoundary = "----ikTestBoundary7MA4YWxk";

std::string staff_csv(std::string_view city) {
  std::string csv =
      "Stadt;Jahr;Indikator-Code;Indikator;Kategorie-Code;Kategorie;Anzahl mit Einwanderungsgeschichte;"
      "Anzahl ohne Angabe;Anzahl insgesamt;Quelle;Stichtag;Kommentar\r\n";
  const std::vector<std::tuple<std::string, int, int, int>> cells = {
      {"total", 300, 30, 1000}, {"civil_servants", 100, 10, 400}, {"civil_servants_basic_middle", 40, 4, 150},
      {"civil_servants_upper", 40, 4, 150}, {"civil_servants_higher", 20, 2, 100}, {"employees", 200, 20, 600},
      {"eg_1_8", 120, 10, 300}, {"eg_9_12", 60, 6, 200}, {"eg_13_plus", 20, 4, 100}};
  for (const auto& [category, numerator, unknown, denominator] : cells) {
    csv += std::string(city) + ";2024;staff;;" + category + ";;" + std::to_string(numerator) + ";" +
           std::to_string(unknown) + ";" + std::to_string(denominator) + ";Personalstatistik;31.12.2024;\r\n";
  }
  return csv;
}

class ImportPagesTest : public SiteFixture {
 protected:
  http::Response upload(const std::string& target, const Visitor& visitor, const std::string& file_name,
                        const std::string& content, bool with_csrf = true) {
    http::Request request;
    request.method = http::Method::post;
    request.target = request.path = target;
    request.client_address = "127.0.0.1";
    request.request_id = "test";
    request.headers.emplace_back("cookie", "ik_csrf=" + visitor.csrf + "; ik_session=" + visitor.session);
    request.headers.emplace_back("content-type", "multipart/form-data; boundary=" + std::string(kBoundary));
    const auto delimiter = "--" + std::string(kBoundary) + "\r\n";
    if (with_csrf) {
      request.body += delimiter + "Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + visitor.csrf + "\r\n";
    }
    request.body += delimiter + "Content-Disposition: form-data; name=\"datei\"; filename=\"" + file_name +
                    "\"\r\nContent-Type: text/csv\r\n\r\n" + content + "\r\n--" + std::string(kBoundary) + "--\r\n";
    return site_->handle(request);
  }

  // The commit form's action in a preview page.
  static std::string commit_target(const std::string& body) {
    const auto at = body.find("/monitoring/import/");
    if (at == std::string::npos) return {};
    const auto start = body.rfind('"', at) + 1;
    return body.substr(start, body.find('"', at) - start);
  }

  std::int64_t values() {
    return ik::testing::query_integer(*storage_, "SELECT COUNT(*) FROM indicator_value");
  }
};

TEST_F(ImportPagesTest, UploadPreviewAndCommit) {
  const auto visitor = sign_in("bochum_entry");
  const auto form = get("/staedte/bochum/monitoring/import", visitor);
  EXPECT_EQ(form.status, 200);
  EXPECT_TRUE(contains(form.body, "multipart/form-data"));
  EXPECT_TRUE(contains(form.body, "/staedte/bochum/monitoring/2026/vorlage.xlsx"));

  const auto preview = upload("/staedte/bochum/monitoring/import", visitor, "werte.csv", staff_csv("bochum"));
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_TRUE(contains(preview.body, "Es ist noch nichts gespeichert"));
  // The catalogue's names, with the file's codes below them.
  EXPECT_TRUE(contains(preview.body, "<span class=\"import-name\">Gehobener Dienst</span>"
                                     "<span class=\"kern-hint import-code\">civil_servants_upper</span>"));
  EXPECT_TRUE(contains(preview.body, "<span class=\"import-name\">Beschäftigte mit Einwanderungsgeschichte</span>"
                                     "<span class=\"kern-hint import-code\">staff</span>"));
  EXPECT_TRUE(contains(preview.body, "<td class=\"kern-table__cell\">1.000</td>"));  // as Excel shows it
  EXPECT_TRUE(contains(preview.body, "<td class=\"kern-table__cell\">31.12.2024</td>"));
  EXPECT_EQ(values(), 0);
  const auto target = commit_target(preview.body);
  ASSERT_FALSE(target.empty());

  // Another user cannot use the token.
  EXPECT_EQ(post(target, sign_in("admin")).status, 410);
  EXPECT_EQ(values(), 0);
  // The commit redirects to the import page, which says what it did: a reload shows the notice
  // again and posts nothing.
  const auto done = post(target, visitor);
  EXPECT_EQ(done.status, 303) << done.body;
  const std::string notice_url(done.header("location").value_or(""));
  EXPECT_EQ(notice_url, "/staedte/bochum/monitoring/import?uebernommen=9&jahre=2024");
  EXPECT_EQ(values(), 9);
  const auto notice = get(notice_url, visitor);
  EXPECT_EQ(notice.status, 200);
  EXPECT_TRUE(contains(notice.body, "9 Werte wurden gespeichert"));
  EXPECT_TRUE(contains(notice.body, "href=\"/staedte/bochum/monitoring/2024\""));
  EXPECT_TRUE(contains(notice.body, "multipart/form-data"));  // the next file can follow
  // A notice no commit can have produced is not shown.
  EXPECT_FALSE(contains(get("/staedte/bochum/monitoring/import?uebernommen=9&jahre=2099", visitor).body,
                        "Werte wurden gespeichert"));
  EXPECT_EQ(post(target, visitor).status, 410);  // a token is used once
}

TEST_F(ImportPagesTest, ProblemsAreListedByRowAndColumnAndNothingIsStored) {
  const auto visitor = sign_in("bochum_entry");
  auto csv = staff_csv("dortmund");
  const auto response = upload("/staedte/bochum/monitoring/import", visitor, "werte.csv", csv);
  EXPECT_EQ(response.status, 422);
  EXPECT_TRUE(contains(response.body, "Diese Zeile gehört zu Dortmund"));
  EXPECT_TRUE(contains(response.body, "<td class=\"kern-table__cell\">2</td><td class=\"kern-table__cell\">A</td>"));

  // With one bad row, the others are listed as rows without errors, not as values to import.
  auto mixed = staff_csv("bochum");
  mixed.replace(mixed.find(";20;2;100;"), 10, ";-20;2;100;");
  const auto blocked = upload("/staedte/bochum/monitoring/import", visitor, "werte.csv", mixed);
  EXPECT_EQ(blocked.status, 422);
  EXPECT_TRUE(contains(blocked.body, "ist negativ"));
  EXPECT_TRUE(contains(blocked.body, "Zeilen ohne Fehler ("));
  EXPECT_FALSE(contains(blocked.body, "Zu übernehmende Werte"));
  EXPECT_TRUE(commit_target(blocked.body).empty());
  EXPECT_EQ(values(), 0);
  EXPECT_TRUE(commit_target(response.body).empty());
  EXPECT_EQ(values(), 0);

  const auto formula = upload("/staedte/bochum/monitoring/import", visitor, "x.xlsx", "kein zip");
  EXPECT_EQ(formula.status, 422);
  EXPECT_TRUE(contains(formula.body, "ist aber keine Excel-Arbeitsmappe"));
}

// A locked year's rows and a row with an error are not "rows without errors".
TEST_F(ImportPagesTest, RowsWithAnErrorAreNotListedAsRowsWithoutErrors) {
  const auto visitor = sign_in("bochum_entry");
  const auto entry = auth::Principal{1, "bochum_entry", "Test", {{auth::Role::city_entry, city("bochum")}}};
  auto year_2023 = staff_csv("bochum");
  for (auto at = year_2023.find(";2024;"); at != std::string::npos; at = year_2023.find(";2024;", at)) {
    year_2023.replace(at, 6, ";2023;");
  }
  ASSERT_TRUE(post(commit_target(upload("/staedte/bochum/monitoring/import", visitor, "a.csv", year_2023).body), visitor)
                  .status == 303);
  ASSERT_TRUE(monitoring_->submit(entry, city("bochum"), 2023));
  auto year_2024 = staff_csv("bochum");
  year_2024 = year_2024.substr(year_2024.find("\r\n") + 2);  // without its header
  year_2024.replace(year_2024.find("31.12.2024"), 10, "31.02.2024");
  const auto preview = upload("/staedte/bochum/monitoring/import", visitor, "b.csv", year_2023 + year_2024);
  EXPECT_EQ(preview.status, 422);
  EXPECT_TRUE(contains(preview.body, "Zeilen ohne Fehler (8)")) << preview.body;
  EXPECT_FALSE(contains(preview.body, "<td class=\"kern-table__cell\">2023</td>"));
  EXPECT_EQ(values(), 9);
}

// A rule's warning names the value it is about, says whether the value is commented (then it
// asks for nothing more), and the preview says that uncommented ones block the submission.
TEST_F(ImportPagesTest, WarningsNameTheirValueAndSayWhatTheyBlock) {
  const auto visitor = sign_in("bochum_entry");
  auto csv = staff_csv("bochum");
  csv.replace(csv.find(";120;10;300;"), 12, ";120;10;310;");  // EG 1–8: the pay bands exceed the employees
  const auto uncommented = upload("/staedte/bochum/monitoring/import", visitor, "a.csv", csv);
  EXPECT_EQ(uncommented.status, 200);
  EXPECT_TRUE(contains(uncommented.body, "Hinweis (bitte kommentieren)")) << uncommented.body;
  EXPECT_TRUE(contains(uncommented.body, "erst einreichen")) << uncommented.body;

  auto commented = csv;
  const auto employees = commented.find(";employees;");
  commented.insert(commented.find("\r\n", employees), "Zehn Beschäftigte ohne Entgeltgruppe");
  const auto explained = upload("/staedte/bochum/monitoring/import", visitor, "b.csv", commented);
  EXPECT_EQ(explained.status, 200);
  EXPECT_TRUE(contains(explained.body, "Hinweis (kommentiert)")) << explained.body;
  EXPECT_FALSE(contains(explained.body, "Bitte erläutern"));
  EXPECT_FALSE(contains(explained.body, "bitte kommentieren"));
  EXPECT_FALSE(contains(explained.body, "erst einreichen"));

  // The warning is at a value the file does not hold (the employees' row is stored already):
  // it names indicator, category and year instead of "whole file".
  ASSERT_EQ(post(commit_target(upload("/staedte/bochum/monitoring/import", visitor, "c.csv", staff_csv("bochum")).body),
                 visitor)
                .status,
            303);
  auto one_row = csv.substr(0, csv.find("\r\n") + 2);
  const auto pay_band = csv.find("bochum;2024;staff;;eg_1_8;");
  one_row += csv.substr(pay_band, csv.find("\r\n", pay_band) + 2 - pay_band);
  const auto elsewhere = upload("/staedte/bochum/monitoring/import", visitor, "d.csv", one_row);
  EXPECT_EQ(elsewhere.status, 200);
  EXPECT_FALSE(contains(elsewhere.body, "ganze Datei")) << elsewhere.body;
  EXPECT_TRUE(contains(elsewhere.body, "nicht in der Datei")) << elsewhere.body;
  EXPECT_TRUE(contains(elsewhere.body, "Beschäftigte mit Einwanderungsgeschichte, Tarifbeschäftigte, 2024:"))
      << elsewhere.body;
}

TEST_F(ImportPagesTest, AFiftyMegabyteFileGetsAGerman413Page) {
  const auto visitor = sign_in("bochum_entry");
  const auto response = upload("/staedte/bochum/monitoring/import", visitor, "gross.csv", std::string(50u << 20, 'x'));
  EXPECT_EQ(response.status, 413);
  EXPECT_TRUE(contains(response.body, "größer als 10 MB"));
}

TEST_F(ImportPagesTest, UploadsNeedTheFormToken) {
  const auto visitor = sign_in("bochum_entry");
  EXPECT_EQ(upload("/staedte/bochum/monitoring/import", visitor, "werte.csv", staff_csv("bochum"), false).status, 403);
  EXPECT_EQ(values(), 0);
}

TEST_F(ImportPagesTest, OtherRolesSeeNoUploadFormAndCannotImport) {
  const auto office = sign_in("office");
  const auto form = get("/staedte/bochum/monitoring/import", office);
  EXPECT_EQ(form.status, 200);
  EXPECT_FALSE(contains(form.body, "multipart/form-data"));
  EXPECT_EQ(upload("/staedte/bochum/monitoring/import", office, "werte.csv", staff_csv("bochum")).status, 403);
  EXPECT_EQ(upload("/staedte/dortmund/monitoring/import", sign_in("bochum_entry"), "werte.csv", staff_csv("dortmund")).status,
            403);
  EXPECT_EQ(values(), 0);
}

TEST_F(ImportPagesTest, TemplatesAsCsvAndXlsx) {
  const auto visitor = sign_in("steering_bochum");
  const auto csv = get("/staedte/bochum/monitoring/2024/vorlage.csv", visitor);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("content-type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_TRUE(contains(std::string(csv.header("content-disposition").value_or("")), "vorlage-bochum-2024.csv"));
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBFStadt;Jahr;Indikator-Code"));
  const auto xlsx = get("/staedte/bochum/monitoring/2024/vorlage.xlsx", visitor);
  ASSERT_EQ(xlsx.status, 200);
  auto sheet = tabular::read_xlsx(xlsx.body);
  ASSERT_TRUE(sheet);
  EXPECT_EQ(sheet->rows[0].at(1).value, "Stadt");
  EXPECT_EQ(get("/staedte/bochum/monitoring/1800/vorlage.csv", visitor).status, 404);
  EXPECT_EQ(get("/staedte/bochum/monitoring/2024/vorlage.csv", sign_in("dortmund_approval")).status, 403);
}

}  // namespace
}  // namespace ik::testing
