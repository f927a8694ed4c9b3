// The public figures pages, exports and API driven through Site::handle after two cities' staff
// figures for 2024 went through the whole workflow (entered, submitted, approved, published).
#include "site_fixture.hpp"
#include <algorithm>

#include "monitoring/figures.hpp"
#include "release_attacker.hpp"
#include "tabular/tabular.hpp"

namespace ik::testing {
namespace {

using Counts = std::array<std::int64_t, 3>;  // with immigration history, without answer, all

monitoring::ValueEdit cell(std::string indicator, std::string category, Counts counts, int year) {
  return {std::move(indicator),
          std::move(category),
          counts[0],
          counts[1],
          counts[2],
          "Testdaten",
          "Personalstatistik",
          std::to_string(year) + "-12-31"};
}

// Dortmund's highest pay band has 3 persons with immigration history: below the minimum of 5.
std::vector<monitoring::ValueEdit> staff_year(std::int64_t band_with, int year = 2024) {
  const std::int64_t employees_with = 180 + band_with;
  return {cell("staff", "total", {100 + employees_with, 30, 1000}, year),
          cell("staff", "civil_servants", {100, 10, 400}, year),
          cell("staff", "civil_servants_basic_middle", {40, 4, 150}, year),
          cell("staff", "civil_servants_upper", {40, 4, 150}, year),
          cell("staff", "civil_servants_higher", {20, 2, 100}, year),
          cell("staff", "employees", {employees_with, 20, 600}, year),
          cell("staff", "eg_1_8", {120, 10, 300}, year),
          cell("staff", "eg_9_12", {60, 6, 200}, year),
          cell("staff", "eg_13_plus", {band_with, 4, 100}, year)};
}

// Leaders: 4 civil servants with immigration history, below the minimum.
std::vector<monitoring::ValueEdit> leaders_year(int year) {
  return {cell("staff_leadership", "total", {12, 3, 150}, year),
          cell("staff_leadership", "civil_servants", {4, 1, 60}, year),
          cell("staff_leadership", "employees", {8, 2, 90}, year)};
}

// Age bands of the staff (staff_age) or the population: the bands, and their sum as the total.
std::vector<monitoring::ValueEdit> age_year(const std::string& indicator, std::int64_t scale,
                                            int year) {
  const std::array<std::pair<const char*, Counts>, 4> bands{{{"age_18_29", {150, 30, 800}},
                                                             {"age_30_44", {200, 40, 1400}},
                                                             {"age_45_54", {110, 20, 1000}},
                                                             {"age_55_64", {60, 10, 800}}}};
  std::vector<monitoring::ValueEdit> edits;
  Counts total{0, 0, 0};
  for (const auto& [code, counts] : bands) {
    const Counts scaled{counts[0] * scale, counts[1] * scale, counts[2] * scale};
    for (std::size_t index = 0; index < 3; ++index) total[index] += scaled[index];
    edits.push_back(cell(indicator, code, scaled, year));
  }
  edits.insert(edits.begin(), cell(indicator, "total", total, year));
  return edits;
}

std::vector<monitoring::ValueEdit> joined(
    std::initializer_list<std::vector<monitoring::ValueEdit>> parts) {
  std::vector<monitoring::ValueEdit> edits;
  for (const auto& part : parts) edits.insert(edits.end(), part.begin(), part.end());
  return edits;
}

// The text of the element that starts with `opening` (up to its closing tag `closing`).
std::string element_text(const std::string& body, const std::string& opening,
                         const std::string& closing) {
  const auto start = body.find(opening);
  if (start == std::string::npos) return {};
  return body.substr(start, body.find(closing, start) - start);
}

// Reports go through the whole workflow (entered, submitted, approved, published).
class PublishingFixture : public SiteFixture {
 protected:
  auth::Principal principal(const std::string& username) {
    auto found = auth_->session(sign_in(username).session);
    EXPECT_TRUE(found && found->has_value()) << username;
    return **found;
  }

  void publish(const std::string& slug, int year, const std::vector<monitoring::ValueEdit>& edits) {
    const auto id = city(slug);
    const std::string entry = slug + "_entry";
    auto saved = monitoring_->save_values(principal(entry), id, year, edits);
    ASSERT_TRUE(saved) << saved.error().message_key;
    ASSERT_TRUE(saved->saved) << slug;
    auto submitted = monitoring_->submit(principal(entry), id, year);
    ASSERT_TRUE(submitted) << slug << " " << year << " " << submitted.error().message_key;
    ASSERT_TRUE(monitoring_->approve(principal(slug + "_approval"), id, year));
    auto published = monitoring_->publish(principal("office"), id, year);
    ASSERT_TRUE(published) << published.error().message_key << " " << published.error().detail;
  }
};

class FiguresPagesTest : public PublishingFixture {
 protected:
  void SetUp() override {
    SiteFixture::SetUp();
    add_user("bochum_approval", {{auth::Role::city_approval, city("bochum")}});
    add_user("dortmund_entry", {{auth::Role::city_entry, city("dortmund")}});
    publish("bochum", 2024, staff_year(20));
    publish("dortmund", 2024, staff_year(3));
  }
};

// The accounts Bochum, Dortmund and Herne need to take their reports through the workflow.
class ThreeCitiesFixture : public PublishingFixture {
 protected:
  void SetUp() override {
    SiteFixture::SetUp();
    add_user("bochum_approval", {{auth::Role::city_approval, city("bochum")}});
    add_user("dortmund_entry", {{auth::Role::city_entry, city("dortmund")}});
    add_user("herne_entry", {{auth::Role::city_entry, city("herne")}});
    add_user("herne_approval", {{auth::Role::city_approval, city("herne")}});
  }
};

// The user trial of issue 16: the region grows from two cities (2024) to three (2025); only
// Bochum reports leaders and the population in 2024, Herne no population in 2025.
class FiguresTrialTest : public ThreeCitiesFixture {
 protected:
  void SetUp() override {
    ThreeCitiesFixture::SetUp();
    publish("bochum", 2024,
            joined({staff_year(20), leaders_year(2024), age_year("staff_age", 1, 2024),
                    age_year("population", 200, 2024)}));
    publish("dortmund", 2024, joined({staff_year(3), age_year("staff_age", 1, 2024)}));
    for (const char* slug : {"bochum", "dortmund"}) {
      publish(slug, 2025,
              joined({staff_year(20, 2025), leaders_year(2025), age_year("staff_age", 1, 2025),
                      age_year("population", 200, 2025)}));
    }
    publish("herne", 2025,
            joined({staff_year(20, 2025), leaders_year(2025), age_year("staff_age", 1, 2025)}));
  }
};

TEST_F(FiguresPagesTest, TheOverviewListsIndicatorsWithTheirPublishedYears) {
  const auto response = get("/zahlen");
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(contains(response.body, "href=\"/zahlen/staff\""));
  EXPECT_TRUE(contains(response.body, "<td class=\"kern-table__cell\">2024</td>"));
  EXPECT_TRUE(contains(response.body, "Zeichenerklärung"));
}

TEST_F(FiguresPagesTest, TheBenchmarkingViewShowsChartsTablesAndNoSmallCount) {
  const auto response = get("/zahlen/staff?jahr=2024&kategorie=eg_13_plus");
  ASSERT_EQ(response.status, 200) << response.body.substr(0, 400);
  const auto& body = response.body;
  for (const char* part :
       {"role=\"img\"", "<title id=\"vergleich-diagramm-title\">",
        "<title id=\"entwicklung-diagramm-title\">", "<figcaption", "Region (Summe der Städte)",
        "Die Werte der Region sind die Summe dieser Mitgliedsstädte: Bochum, Dortmund."}) {
    EXPECT_TRUE(contains(body, part)) << part;
  }
  // Dortmund's 3 (and every unknown count of 4) is withheld, never shown; the sign stands in its
  // place.
  EXPECT_FALSE(contains(body, "<td class=\"kern-table__cell\">3</td>"));
  EXPECT_FALSE(contains(body, "<td class=\"kern-table__cell\">4</td>"));
  EXPECT_TRUE(contains(body, "<td class=\"kern-table__cell\">•</td>"));
  EXPECT_FALSE(contains(body, "style="));
  // One year, one set of cities: nothing to break.
  EXPECT_FALSE(contains(body, "Bruch in der Zeitreihe"));
  EXPECT_EQ(get("/zahlen/staff?jahr=1999").status, 404);
  EXPECT_EQ(get("/zahlen/staff?kategorie=gibt_es_nicht").status, 404);
  EXPECT_EQ(get("/zahlen/gibt_es_nicht").status, 404);
  EXPECT_EQ(get("/zahlen/Staff%3Cscript%3E").status, 404);
  const auto english = get("/en/zahlen/staff");
  ASSERT_EQ(english.status, 200);
  EXPECT_TRUE(contains(english.body, "Cities compared, 2024"));
}

TEST_F(FiguresPagesTest, ExportsCarryTheSignsNotTheValues) {
  const auto csv = get("/zahlen/staff.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBF"));  // UTF-8 BOM for German Excel
  EXPECT_TRUE(
      contains(std::string(csv.header("content-disposition").value_or("")), "zahlen-staff.csv"));
  EXPECT_TRUE(contains(csv.body, "Jahr;Stadt;Gruppe;Insgesamt;"));
  std::size_t withheld = 0;
  std::string field;
  for (const char character : csv.body) {
    if (character == ';' || character == '\r' || character == '\n') {
      EXPECT_TRUE(field != "3" && field != "4") << "a count below the minimum in the CSV";
      withheld += field == "•";
      field.clear();
    } else {
      field += character;
    }
  }
  EXPECT_GT(withheld, 0U);
  const auto xlsx = get("/zahlen/staff.xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_TRUE(xlsx.body.starts_with("PK"));
  const auto json = get("/zahlen/staff.json");
  ASSERT_EQ(json.status, 200);
  EXPECT_TRUE(contains(json.body, "\"withheld\": true"));
  EXPECT_FALSE(contains(json.body, "\"audit\""));
}

TEST_F(FiguresPagesTest, TheApiAnswersWithNullForWithheldFigures) {
  const auto indicators = get("/api/v1/indicators");
  ASSERT_EQ(indicators.status, 200);
  EXPECT_TRUE(contains(indicators.body, "\"code\":\"staff\""));
  EXPECT_TRUE(contains(indicators.body, "\"published_years\":[2024]"));
  const auto values = get("/api/v1/values?indicator=staff&city=dortmund&year=2024");
  ASSERT_EQ(values.status, 200);
  EXPECT_TRUE(contains(values.body, "\"value\":null,\"withheld\":true"));
  EXPECT_FALSE(contains(values.body, "\"slug\":\"bochum\""));
  EXPECT_EQ(get("/api/v1/values?year=zwanzig").status, 400);
  EXPECT_EQ(get("/api/v1/values?indicator=gibt_es_nicht").status, 404);
  EXPECT_EQ(get("/api/v1/values").status, 200);
}

TEST_F(FiguresPagesTest, TheCityProfileShowsPublishedFiguresTargetsAndNoDraft) {
  // A draft for 2025 with numbers that appear nowhere else: it must not reach the profile.
  auto draft = staff_year(20);
  draft.front().denominator = 7777;
  auto saved = monitoring_->save_values(principal("bochum_entry"), city("bochum"), 2025, draft);
  ASSERT_TRUE(saved);
  ASSERT_TRUE(monitoring_->set_target(principal("office"),
                                      {city("bochum"), "staff", "", "35,0", 2030, std::nullopt}));
  ASSERT_TRUE(monitoring_->set_target(
      principal("office"), {city("dortmund"), "staff", "eg_13_plus", "12,5", 2030, 2024}));

  const auto bochum = get("/zahlen/staedte/bochum");
  ASSERT_EQ(bochum.status, 200) << bochum.body.substr(0, 400);
  const auto& body = bochum.body;
  for (const char* part :
       {"Zahlen zur Vielfalt: Bochum", "<td class=\"kern-table__cell\">1.000</td>",  // all staff
        "<td class=\"kern-table__cell\">30,0</td>",  // 300 of 1000 with immigration history
        "<td class=\"kern-table__cell\">•</td>",     // the unknown 4 in the highest band
        "role=\"img\"", "<figcaption", "Zeichenerklärung", "Ziele der Stadt",
        "<td class=\"kern-table__cell\">35,0</td>", "<td class=\"kern-table__cell\">2030</td>",
        "href=\"/zahlen/staff\"", "href=\"/mitgliedsstaedte/bochum\""}) {
    EXPECT_TRUE(contains(body, part)) << part;
  }
  EXPECT_FALSE(contains(body, "7.777"));
  EXPECT_FALSE(contains(body, "2025"));
  EXPECT_FALSE(contains(body, "<td class=\"kern-table__cell\">4</td>"));
  EXPECT_FALSE(contains(body, "Untergrenze"));  // no audit interval on a public page
  EXPECT_FALSE(contains(body, "style="));

  // Dortmund's target rests on the highest band, whose share is withheld: no progress figure.
  const auto dortmund = get("/zahlen/staedte/dortmund");
  ASSERT_EQ(dortmund.status, 200);
  EXPECT_TRUE(contains(dortmund.body, "<td class=\"kern-table__cell\">• (2024)</td>"));
  EXPECT_FALSE(contains(dortmund.body, "% des Weges"));
  EXPECT_FALSE(contains(dortmund.body, "Ziel erreicht"));
  EXPECT_FALSE(contains(dortmund.body, "<td class=\"kern-table__cell\">3</td>"));

  const auto hagen = get("/zahlen/staedte/hagen");
  ASSERT_EQ(hagen.status, 200);
  EXPECT_TRUE(contains(hagen.body, "Für Hagen sind noch keine Zahlen veröffentlicht."));
  EXPECT_EQ(get("/zahlen/staedte/atlantis").status, 404);
  const auto english = get("/en/zahlen/staedte/bochum");
  ASSERT_EQ(english.status, 200);
  EXPECT_TRUE(contains(english.body, "Diversity figures: Bochum"));
  EXPECT_TRUE(contains(english.body, "<td class=\"kern-table__cell\">30.0</td>"));
  EXPECT_TRUE(contains(get("/zahlen").body, "href=\"/zahlen/staedte/bochum\""));
  EXPECT_TRUE(contains(get("/mitgliedsstaedte/bochum").body, "href=\"/zahlen/staedte/bochum\""));
}

TEST_F(FiguresPagesTest, TheSuppressionPlanIsForTheOfficeOnly) {
  const auto office = get("/verwaltung/zahlen/staff/2024", sign_in("office"));
  ASSERT_EQ(office.status, 200) << office.body.substr(0, 400);
  for (const char* part : {"Geheimhaltungsplan", "Mindestfallzahl", "Untergrenze", "Obergrenze",
                           "<td class=\"kern-table__cell\">primär</td>",
                           "<td class=\"kern-table__cell\">sekundär</td>", "Dortmund"}) {
    EXPECT_TRUE(contains(office.body, part)) << part;
  }
  EXPECT_EQ(get("/verwaltung/zahlen/staff/2024", sign_in("admin")).status, 200);
  EXPECT_EQ(get("/verwaltung/zahlen/staff/2024", sign_in("dortmund_approval")).status, 403);
  EXPECT_EQ(get("/verwaltung/zahlen/staff/2024", sign_in("bochum_entry")).status, 403);
  EXPECT_NE(get("/verwaltung/zahlen/staff/2024").status, 200);
  EXPECT_EQ(get("/verwaltung/zahlen/staff/1999", sign_in("office")).status, 404);
}

// Issue 16: Bochum corrects its employees after publication (200 → 202 with immigration
// history). The old and the new value are both public now: the page marks the new one "r", the
// exports name it, and the office's plan lists every release the public may have kept.
TEST_F(FiguresPagesTest, ACorrectedFigureIsMarkedAndEveryReleaseIsListedForTheOffice) {
  const auto office = principal("office");
  auto returned = monitoring_->return_report(office, city("bochum"), 2024, "Tarifbeschäftigte");
  ASSERT_TRUE(returned && returned->done);
  publish("bochum", 2024, staff_year(22));

  const auto page = get("/zahlen/staff");
  ASSERT_EQ(page.status, 200);
  // The total's row: Bochum's 300 became 302, the region's 583 became 585; 1.000 staff as before.
  EXPECT_TRUE(contains(page.body, "Bochum</td><td class=\"kern-table__cell\">1.000</td>"
                                  "<td class=\"kern-table__cell\">302 r</td>"));
  EXPECT_TRUE(contains(page.body, ">585 r</td>"));
  EXPECT_FALSE(contains(page.body, ">1.000 r</td>"));
  const auto legend = element_text(page.body, "<dl class=\"figures-signs\">", "</dl>");
  EXPECT_TRUE(contains(legend, "<dt>r</dt><dd>berichtigte Zahl")) << legend;
  const auto csv = get("/zahlen/staff.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(contains(csv.body, "Berichtigte Zahl (r): Bochum · Tarifbeschäftigte · mit Einwanderungsgeschichte"))
      << csv.body;

  const auto plan = get("/verwaltung/zahlen/staff/2024", sign_in("office"));
  ASSERT_EQ(plan.status, 200);
  const auto history = element_text(plan.body, "id=\"veroeffentlichungen\"", "</table>");
  for (const char* occasion : {"Veröffentlichung: Bochum", "Veröffentlichung: Dortmund",
                               "Zurück zur Korrektur: Bochum"}) {
    EXPECT_TRUE(contains(history, occasion)) << occasion;
  }
  EXPECT_TRUE(contains(history, "<td class=\"kern-table__cell\">4</td>")) << "four versions";
  EXPECT_TRUE(contains(plan.body, "allen Veröffentlichungen dieses Jahres zusammen"));
}

// A publication whose tables would give a figure away together with the earlier releases is
// refused at the report, naming the figure, and nothing changes.
TEST_F(FiguresPagesTest, ARefusedPublicationNamesTheFiguresAndChangesNothing) {
  add_user("herne_entry", {{auth::Role::city_entry, city("herne")}});
  add_user("herne_approval", {{auth::Role::city_approval, city("herne")}});
  const auto herne = city("herne");
  ASSERT_TRUE(monitoring_->save_values(principal("herne_entry"), herne, 2024, staff_year(3))->saved);
  ASSERT_TRUE(monitoring_->submit(principal("herne_entry"), herne, 2024));
  ASSERT_TRUE(monitoring_->approve(principal("herne_approval"), herne, 2024));
  // A planner defect, made up: Herne's 3 persons in the highest pay band shown after all.
  monitoring_->alter_planned_releases([&](monitoring::Release& release) {
    auto& table = release.table;
    const auto row = table.city_index(herne);
    if (!row) return;
    auto& count = table.cells[*row * table.categories.size() + *table.category_index("eg_13_plus")]
                      .counts[*table.trait_index(monitoring::Trait::with_history)];
    count.value = 3;
    count.sign = disclosure::Sign::value;
  });
  const auto before = get("/zahlen/staff.csv").body;
  const auto office = sign_in("office");
  const auto refused = post("/staedte/herne/monitoring/2024/status", office, "aktion=publish");
  EXPECT_EQ(refused.status, 409);
  EXPECT_TRUE(contains(refused.body, "Nichts wurde veröffentlicht")) << refused.body.substr(0, 2000);
  EXPECT_TRUE(contains(refused.body,
                       "Beschäftigte mit Einwanderungsgeschichte 2024 · Herne · EG 13–15 und höher · "
                       "mit Einwanderungsgeschichte: eingrenzbar auf 3 bis 3"))
      << refused.body;
  EXPECT_EQ(get("/zahlen/staff.csv").body, before);
  auto report = monitoring_->report(principal("office"), herne, 2024);
  EXPECT_EQ(report->report->status, monitoring::ReportStatus::approved);
}

// The trial of issue 16 as the public would do it: after every publication, save the CSV
// export; then rebuild each saved table from the file alone and let the independent attacker
// (release_attacker.hpp) put them side by side.
class ExportTrialTest : public ThreeCitiesFixture {
 protected:

  // The year's staff table as the CSV export has it, with the cells behind it.
  KeptTable from_export(const std::string& csv, int year,
                        const std::map<std::string, std::vector<monitoring::ValueEdit>>& shown) {
    auto sheet = tabular::read_any(csv, "staff.csv");
    EXPECT_TRUE(sheet);
    auto version = monitoring_->indicator_for_year("staff", year);
    auto breakdown = monitoring_->breakdown(version->breakdown_id);
    KeptTable kept;
    auto& table = kept.table;
    table.indicator_code = "staff";
    table.version_id = version->id;
    table.year = year;
    for (const auto& category : breakdown->categories) {
      std::optional<std::size_t> parent;
      for (std::size_t index = 0; index < table.categories.size(); ++index)
        if (category.parent_id && table.categories[index].id == *category.parent_id) parent = index;
      table.categories.push_back({category.id, category.code, category.name_de, category.name_en, parent});
    }
    const std::map<std::string, monitoring::Trait> traits{
        {"Insgesamt", monitoring::Trait::all},
        {"mit Einwanderungsgeschichte", monitoring::Trait::with_history},
        {"ohne Einwanderungsgeschichte", monitoring::Trait::without_history},
        {"ohne Angabe", monitoring::Trait::unknown},
        {"ohne Einwanderungsgeschichte oder ohne Angabe", monitoring::Trait::without_or_unknown}};
    std::vector<int> trait_columns;
    std::map<std::pair<std::string, std::string>, std::vector<monitoring::PublishedCount>> rows;
    std::vector<std::string> cities;
    const std::string region_names = "Die Werte der Region sind die Summe dieser Mitgliedsstädte: ";
    for (const auto& row : sheet->rows) {
      const std::string first = row.at(1).value;
      if (first == "Jahr") {
        for (int column = 4; traits.contains(row.at(column).value); ++column) {
          table.traits.push_back(traits.at(row.at(column).value));
          trait_columns.push_back(column);
        }
      } else if (first == std::to_string(year)) {
        std::vector<monitoring::PublishedCount> counts;
        for (const int column : trait_columns) {
          const std::string value = row.at(column).value;
          if (value == "\u2022") counts.push_back({std::nullopt, disclosure::Sign::withheld, false});
          else counts.push_back({value == "\u2013" ? 0 : std::stoll(value), disclosure::Sign::value, false});
        }
        if (std::find(cities.begin(), cities.end(), row.at(2).value) == cities.end())
          cities.push_back(row.at(2).value);
        rows[{row.at(2).value, row.at(3).value}] = std::move(counts);
      } else if (first.starts_with(std::to_string(year) + ": " + region_names)) {
        std::string names = first.substr(first.find(region_names) + region_names.size());
        names.pop_back();  // "."
        for (const auto& [slug, edits] : shown)
          if (names.find(cooperation_->city(slug)->name) != std::string::npos)
            table.region_includes.push_back(city(slug));
      }
    }
    for (const auto& name : cities) {
      const bool region = name == "Region (Summe der Städte)";
      std::int64_t id = 0;
      for (const auto& [slug, edits] : shown)
        if (cooperation_->city(slug)->name == name) id = city(slug);
      table.cities.push_back({id, region ? "region" : name, name, region, true});
      for (const auto& category : table.categories)
        table.cells.push_back({rows.at({name, category.name_de}), {}});
    }
    for (const auto& [slug, edits] : shown)
      for (const auto& edit : edits)
        kept.reported.push_back({city(slug), breakdown->find(edit.category_code)->id, edit.numerator,
                                 edit.unknown, edit.denominator});
    return kept;
  }
};

// Herne has 3 persons with immigration history and 3 without an answer in the higher service.
std::vector<monitoring::ValueEdit> herne_year(int year) {
  return {cell("staff", "total", {262, 31, 1063}, year),
          cell("staff", "civil_servants", {58, 14, 546}, year),
          cell("staff", "civil_servants_basic_middle", {30, 6, 250}, year),
          cell("staff", "civil_servants_upper", {25, 5, 200}, year),
          cell("staff", "civil_servants_higher", {3, 3, 96}, year),
          cell("staff", "employees", {204, 17, 517}, year),
          cell("staff", "eg_1_8", {120, 9, 290}, year),
          cell("staff", "eg_9_12", {73, 6, 140}, year),
          cell("staff", "eg_13_plus", {11, 2, 87}, year)};
}

TEST_F(ExportTrialTest, TheSavedCsvExportsRecoverNothingInAnyOrder) {
  std::vector<std::string> order{"bochum", "dortmund", "herne"};
  int year = 2018;
  do {
    const std::map<std::string, std::vector<monitoring::ValueEdit>> data{
        {"bochum", staff_year(20, year)}, {"dortmund", staff_year(3, year)},
        {"herne", herne_year(year)}};
    std::map<std::string, std::vector<monitoring::ValueEdit>> shown;
    std::vector<KeptTable> saved;
    std::string steps;
    for (const auto& slug : order) {
      publish(slug, year, data.at(slug));
      shown[slug] = data.at(slug);
      steps += slug + " ";
      // A query of its own: the page cache does not hear of publications made past the site.
      const auto csv = get("/zahlen/staff.csv?abruf=" + std::to_string(saved.size()));
      ASSERT_EQ(csv.status, 200);
      saved.push_back(from_export(csv.body, year, shown));
      ASSERT_EQ(saved.back().table.cities.size(), shown.size() + 1) << steps;
      const auto found = recover(saved, {});
      std::string text;
      for (const auto& cell : found) text += cell.where + " = " + std::to_string(cell.value) + "\n";
      EXPECT_TRUE(found.empty()) << year << ": " << steps << "\n" << text;
    }
    ++year;
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST_F(FiguresPagesTest, TheIndicatorListLeadsTheOfficeToEachPublishedPlan) {
  const auto list = get("/verwaltung/indikatoren", sign_in("office"));
  ASSERT_EQ(list.status, 200) << list.body.substr(0, 400);
  EXPECT_TRUE(contains(list.body, "href=\"/verwaltung/zahlen/staff/2024\"")) << list.body;
  EXPECT_TRUE(contains(list.body, "aria-label=\"Geheimhaltungsplan und Prüfung staff 2024\""));
  EXPECT_FALSE(contains(list.body, "href=\"/verwaltung/zahlen/staff/2023\""));
  EXPECT_TRUE(contains(list.body, "noch nichts veröffentlicht"));
}


// Issue 16: the region's line ran from 2024 (two cities) to 2025 (three) as if it were one
// series. It breaks where the region's cities change, the page and the chart's text alternative
// say which cities each year sums, and the summary does not compare across the break.
TEST_F(FiguresTrialTest, TheRegionSeriesBreaksWhereItsCitiesChange) {
  const std::string composition = "2024: Bochum, Dortmund; 2025: Bochum, Dortmund, Herne";
  const auto page = get("/zahlen/staff");
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 400);
  const auto series = element_text(
      page.body, "<h2 class=\"kern-heading-medium\" id=\"entwicklung\">", "id=\"repraesentation\"");
  EXPECT_TRUE(contains(element_text(series, "<p class=\"kern-body\">", "</p>"), composition))
      << series;
  EXPECT_TRUE(contains(element_text(series, "<desc id=\"entwicklung-diagramm-desc\">", "</desc>"),
                       composition));
  EXPECT_TRUE(contains(series, "<span>Bruch in der Zeitreihe: Region (Summe der Städte)</span>"));
  EXPECT_TRUE(contains(series,
                       "Region (Summe der Städte): 29,2 (2024); nach einem Bruch in der "
                       "Zeitreihe 30,0 (2025); 4 Datenreihen im Diagramm."))
      << series;
  // Bochum's profile compares the city with the region over the years: the same break.
  const auto bochum = get("/zahlen/staedte/bochum");
  const auto profile =
      element_text(bochum.body, "id=\"kennzahl-staff\"", "id=\"kennzahl-staff_leadership\"");
  EXPECT_TRUE(contains(profile, "<span>Bruch in der Zeitreihe: Region (Summe der Städte)</span>"));
  EXPECT_TRUE(contains(profile, composition)) << profile;
  // Leaders: the region is Bochum alone in 2024.
  const auto leaders = get("/zahlen/staff_leadership");
  EXPECT_TRUE(contains(leaders.body, "2024: Bochum; 2025: Bochum, Dortmund, Herne"));
}

// The cells of the table row whose first cell is `first`, joined by "|".
std::string row_of(const std::string& body, const std::string& first) {
  const auto start = body.find("<td class=\"kern-table__cell\">" + first + "</td>");
  if (start == std::string::npos) return {};
  std::string row = body.substr(start, body.find("</tr>", start) - start);
  std::string cells;
  for (auto at = row.find("\">"); at != std::string::npos; at = row.find("\">", at + 1)) {
    const auto end = row.find("</td>", at);
    if (end == std::string::npos) break;
    cells += (cells.empty() ? "" : "|") + row.substr(at + 2, end - at - 2);
  }
  return cells;
}

// Issue 16: on the leaders' page an age-standardised index of all staff stood beside the
// leaders' withheld index, the region's index rested on one city without saying so, and "x"
// (not meaningful) stood where the population figure is simply missing. Every index says which
// group and which population it compares, the age-standardised one only for a group whose own
// age bands are reported; a missing reference is "…" (not yet available).
TEST_F(FiguresTrialTest, EveryIndexSaysWhatItComparesAndAMissingReferenceIsNotAnX) {
  const auto leaders = get("/zahlen/staff_leadership?jahr=2025");
  ASSERT_EQ(leaders.status, 200) << leaders.body.substr(0, 400);
  const auto section = element_text(leaders.body, "id=\"repraesentation\"", "id=\"hinweise\"");
  for (const char* part :
       {"Führungskräfte insgesamt", "Führungskräfte mit Einwanderungsgeschichte",
        "18–64 Jahre insgesamt", "Bevölkerung mit Einwanderungsgeschichte (18–64 Jahre)",
        "Repräsentationsquote 2025: Führungskräfte insgesamt",
        "Für Herne ist für 2025 keine Bevölkerungszahl veröffentlicht",
        "Die Beschäftigtenzahlen der Region umfassen Bochum, Dortmund, Herne, die "
        "Bevölkerungszahlen Bochum, Dortmund"}) {
    EXPECT_TRUE(contains(section, part)) << part << "\n" << section;
  }
  EXPECT_FALSE(contains(section, "Altersstandardisierte Quote")) << section;
  EXPECT_TRUE(contains(section, "Altersgruppen"));  // why there is no age-standardised index
  EXPECT_EQ(row_of(section, "Herne"), "Herne|…");
  EXPECT_EQ(row_of(section, "Region (Summe der Städte)"), "Region (Summe der Städte)|…");

  // 2024: the region's leaders and population are Bochum's alone; the page says so.
  const auto alone = get("/zahlen/staff_leadership?jahr=2024");
  EXPECT_TRUE(contains(element_text(alone.body, "id=\"repraesentation\"", "id=\"hinweise\""),
                       "Die Region umfasst 2024 nur Bochum: Ihre Quote ist die Quote von Bochum."));

  // All staff (no age bands): the index and no age-standardised one; Dortmund has no
  // population figure in 2024.
  const auto staff = get("/zahlen/staff?jahr=2024");
  const auto staff_section = element_text(staff.body, "id=\"repraesentation\"", "id=\"hinweise\"");
  EXPECT_EQ(row_of(staff_section, "Bochum"), "Bochum|2,31");
  EXPECT_EQ(row_of(staff_section, "Dortmund"), "Dortmund|…");
  EXPECT_FALSE(contains(staff_section, "Altersstandardisierte Quote"));

  // Staff by age band: its own bands weighted like the population's (Bochum's staff has the
  // population's age structure and share: 1,00).
  const auto by_age = get("/zahlen/staff_age?jahr=2025");
  const auto age_section = element_text(by_age.body, "id=\"repraesentation\"", "id=\"hinweise\"");
  EXPECT_TRUE(contains(age_section, "Altersstandardisierte Quote"));
  EXPECT_EQ(row_of(age_section, "Bochum"), "Bochum|1,00|1,00");
  EXPECT_EQ(row_of(age_section, "Herne"), "Herne|…|…");
  EXPECT_FALSE(contains(age_section, ">x<")) << age_section;
}

// Issue 16: "…" stood in tables and charts but the legend of the signs did not explain it. Every
// sign that a figures page shows (as a table cell or a chart's text) is explained on it.
TEST_F(FiguresTrialTest, EverySignOnAPageIsExplainedOnIt) {
  const std::array<std::pair<const char*, const char*>, 4> signs{{{"•", "geheim gehalten"},
                                                                  {"–", "nichts vorhanden"},
                                                                  {"x", "nicht sinnvoll"},
                                                                  {"…", "noch nicht verfügbar"}}};
  bool not_yet_available_shown = false;
  for (const char* target :
       {"/zahlen", "/zahlen/staff", "/zahlen/staff?jahr=2024", "/zahlen/staff_leadership",
        "/zahlen/staedte/bochum", "/zahlen/staedte/herne"}) {
    const auto page = get(target);
    ASSERT_EQ(page.status, 200) << target;
    const auto legend = element_text(page.body, "<dl class=\"figures-signs\">", "</dl>");
    for (const auto& [sign, explanation] : signs) {
      const bool shown =
          contains(page.body, "<td class=\"kern-table__cell\">" + std::string(sign) + "</td>") ||
          contains(page.body, "\">" + std::string(sign) + "</text>");
      if (std::string_view(sign) == "…") not_yet_available_shown |= shown;
      if (!shown) continue;
      const auto entry = element_text(legend, "<dt>" + std::string(sign) + "</dt>", "</dd>");
      EXPECT_TRUE(contains(entry, explanation)) << target << ": " << sign << " unexplained\n"
                                                << legend;
    }
  }
  EXPECT_TRUE(not_yet_available_shown);  // the case of the trial is among the pages
}

// Issue 16: the pages named the definition of immigration history but never said who counts.
// Every figures page links the definition's description (who counts, the cut-off date, the
// source) to where it stands on the page; the JSON export and the API carry it too.
TEST_F(FiguresTrialTest, EveryFiguresPageAndExportExplainsTheDefinition) {
  const std::string anchor = "definition-einwanderungsgeschichte_nrw";
  const std::string description =
      "Nach dem Teilhabe- und Integrationsgesetz NRW (seit 1. Januar 2022)";
  for (const char* target : {"/zahlen", "/zahlen/staff", "/zahlen/staff_leadership?jahr=2024",
                             "/zahlen/staedte/bochum"}) {
    const auto page = get(target);
    ASSERT_EQ(page.status, 200) << target;
    EXPECT_TRUE(contains(page.body, "href=\"#" + anchor + "\"")) << target;
    const auto block = element_text(page.body, "id=\"" + anchor + "\"", "</dl>");
    EXPECT_TRUE(contains(block, description)) << target << "\n" << block;
    EXPECT_TRUE(contains(block, "1. Januar 1956")) << target;             // the cut-off date
    EXPECT_TRUE(contains(block, "mindestens ein Elternteil")) << target;  // the parents' rule
  }
  const auto english = get("/en/zahlen/staff");
  EXPECT_TRUE(contains(english.body, "Under the NRW participation and integration act"));
  EXPECT_TRUE(contains(english.body, "1 January 1956"));

  const auto json = get("/zahlen/staff.json");
  ASSERT_EQ(json.status, 200);
  EXPECT_TRUE(contains(json.body, "\"description_de\": \"" + description));
  EXPECT_TRUE(contains(json.body, "\"cutoff_date\": \"1956-01-01\""));
  const auto api = get("/api/v1/indicators");
  EXPECT_TRUE(contains(api.body, "\"description_de\":\"" + description));
}

// The texts of a sheet's rows, cells joined by "|", for looking through an export.
std::vector<std::string> row_texts(const tabular::Sheet& sheet) {
  std::vector<std::string> rows;
  for (const auto& row : sheet.rows) {
    std::string text;
    for (std::size_t column = 0; column < row.cells.size(); ++column)
      text += (column == 0 ? "" : "|") + row.cells[column].value;
    rows.push_back(text);
  }
  return rows;
}

bool any_row_contains(const std::vector<std::string>& rows, std::string_view part) {
  return std::any_of(rows.begin(), rows.end(),
                     [&](const std::string& row) { return contains(row, part); });
}

// Issue 16: the CSV and XLSX exports were bare rows: no title, no definition, no legend of the
// signs, no list of the region's cities, and a "… oder ohne Angabe" column that was always empty.
// Like a table of official statistics they carry a title, the unit, the definition, the source
// and, after the table, its footnotes and signs; a column empty in every row is left out. The
// table itself stays one block of rows under one header, as a program reads it.
TEST_F(FiguresTrialTest, ExportsCarryTitleUnitDefinitionSourceFootnotesAndSigns) {
  const auto csv = get("/zahlen/staff.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(
      csv.body.starts_with("\xEF\xBB\xBF"
                           "\"Beschäftigte mit Einwanderungsgeschichte, 2024–2025\"\r\n"))
      << csv.body.substr(0, 200);
  const auto xlsx = get("/zahlen/staff.xlsx");
  ASSERT_EQ(xlsx.status, 200);
  for (const auto* body : {&csv.body, &xlsx.body}) {
    auto sheet =
        tabular::read_any(*body, body == &csv.body ? "zahlen-staff.csv" : "zahlen-staff.xlsx");
    ASSERT_TRUE(sheet) << sheet.error().message_key;
    const auto rows = row_texts(*sheet);
    EXPECT_EQ(rows.front(), "Beschäftigte mit Einwanderungsgeschichte, 2024–2025");
    for (const char* part :
         {"Einheit: Anzahl der Personen; Anteil mit Einwanderungsgeschichte in %",
          "Anteil der Beschäftigten der Stadtverwaltung mit Einwanderungsgeschichte",
          "Definition der Einwanderungsgeschichte: Einwanderungsgeschichte (NRW): Nach dem "
          "Teilhabe- "
          "und Integrationsgesetz NRW",
          "ab dem 1. Januar 1956",
          "Quelle: Vielfaltsmonitoring der Städtekooperation Integration.Interkommunal",
          "http://127.0.0.1:8080/zahlen/staff",
          "2024: Die Werte der Region sind die Summe dieser Mitgliedsstädte: Bochum, Dortmund.",
          "2025: Die Werte der Region sind die Summe dieser Mitgliedsstädte: Bochum, Dortmund, "
          "Herne.",
          "Anzahlen unter 5 werden nicht veröffentlicht", "Zeichenerklärung",
          "•|Wert geheim gehalten", "–|nichts vorhanden", "…|Angabe noch nicht verfügbar",
          "x|Aussage nicht sinnvoll"}) {
      EXPECT_TRUE(any_row_contains(rows, part)) << part;
    }
    // One header, then the table's rows, every one as wide as the header, up to an empty line.
    const std::string header =
        "Jahr|Stadt|Gruppe|Insgesamt|mit Einwanderungsgeschichte|ohne Einwanderungsgeschichte|"
        "ohne Angabe|Anteil mit Einwanderungsgeschichte in %|Definition der "
        "Einwanderungsgeschichte";
    const auto at = std::find(rows.begin(), rows.end(), header);
    ASSERT_NE(at, rows.end()) << "no header row";
    const auto header_index = static_cast<std::size_t>(at - rows.begin());
    const int first = sheet->rows[header_index].number;
    std::size_t table_rows = 0;
    for (std::size_t index = header_index + 1;
         index < sheet->rows.size() &&
         sheet->rows[index].number == first + static_cast<int>(table_rows) + 1;
         ++index, ++table_rows) {
      EXPECT_EQ(sheet->rows[index].cells.size(), 9U) << rows[index];
    }
    EXPECT_EQ(table_rows, (3U + 4U) * 9U);  // 2024: region and two cities; 2025: three; 9 groups
    EXPECT_FALSE(any_row_contains(rows, "oder ohne Angabe"));
  }
}

}  // namespace
}  // namespace ik::testing
