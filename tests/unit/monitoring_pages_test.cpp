// The monitoring pages driven through Site::handle as the user trial of issue 16 used them.
#include <regex>
#include <set>

#include "test_database.hpp"
#include "site_fixture.hpp"

namespace ik::testing {
namespace {

const std::string kReport = "/staedte/bochum/monitoring/2024";

class MonitoringPagesTest : public SiteFixture {
 protected:
  std::int64_t number(const std::string& sql) {
    return ik::testing::query_integer(*storage_, sql);
  }

  std::string text(const std::string& sql) {
    std::string result;
    EXPECT_TRUE(storage_->read([&](storage::Transaction& transaction) -> Status {
      auto row = transaction.query_one(sql);
      if (!row) return row.take_error();
      if (*row) result = (*row)->text(0);
      return {};
    }));
    return result;
  }

  // The staff total of Bochum's grid as a browser sends it; `fields` is appended.
  static std::string staff_total(const std::string& fields) {
    return "staff--total--zaehler=300&staff--total--ohne_angabe=30&staff--total--nenner=1.000&"
           "staff--total--quelle=Personalstatistik&" +
           fields;
  }

  // Every year a page links with `pattern` (one capture group: the year).
  static std::set<std::string> years(const std::string& body, const std::string& pattern) {
    std::set<std::string> found;
    const std::regex expression(pattern);
    for (auto match = std::sregex_iterator(body.begin(), body.end(), expression); match != std::sregex_iterator();
         ++match) {
      found.insert((*match)[1].str());
    }
    return found;
  }
};

TEST_F(MonitoringPagesTest, TheGridKeepsACommentsLineBreaksAndAnUnchangedSaveWritesNothing) {
  const auto entry = sign_in("bochum_entry");
  // As an import stores it: a line feed inside the comment.
  ASSERT_EQ(post(kReport, entry, staff_total("staff--total--kommentar=Aus+SAP%2C%0AStand+M%C3%A4rz&"
                                             "staff--total--stichtag=2024-12-31"))
                .status,
            303);
  const auto revisions = number("SELECT COUNT(*) FROM indicator_value_revision");
  ASSERT_EQ(revisions, 1);

  const auto grid = get(kReport, entry);
  ASSERT_EQ(grid.status, 200);
  const std::regex comment_field(R"re(<textarea[^>]*\bid="staff--total--kommentar"[^>]*>Aus SAP,
Stand März</textarea>)re");
  EXPECT_TRUE(std::regex_search(grid.body, comment_field)) << grid.body;

  // "Werte speichern" without a change: the textarea sends CR LF; then the Stichtag as the
  // German grid shows it.
  for (const auto* stichtag : {"2024-12-31", "31.12.2024"}) {
    const auto again = post(kReport, entry,
                            staff_total("staff--total--kommentar=Aus+SAP%2C%0D%0AStand+M%C3%A4rz&staff--total--stichtag=" +
                                        std::string(stichtag)));
    EXPECT_EQ(again.status, 303) << stichtag;
    EXPECT_EQ(number("SELECT COUNT(*) FROM indicator_value_revision"), revisions) << stichtag;
  }
  EXPECT_EQ(text("SELECT comment FROM indicator_value"), "Aus SAP,\nStand März");
}

TEST_F(MonitoringPagesTest, TheGridTakesAGermanStichtagAndShowsItSo) {
  const auto entry = sign_in("bochum_entry");
  const auto saved = post(kReport, entry, staff_total("staff--total--stichtag=31.12.2024"));
  EXPECT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(text("SELECT reference_date FROM indicator_value"), "2024-12-31");
  EXPECT_TRUE(contains(get(kReport, entry).body, "value=\"31.12.2024\""));
  EXPECT_TRUE(contains(get("/en" + kReport, entry).body, "value=\"2024-12-31\""));

  const auto refused = post(kReport, entry, staff_total("staff--total--stichtag=31.02.2024"));
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(contains(refused.body, "id=\"staff--total--stichtag-fehler\""));
  EXPECT_TRUE(contains(refused.body, "zum Beispiel 31.12.2024"));
  EXPECT_TRUE(contains(refused.body, "value=\"31.02.2024\""));  // kept for correction
  EXPECT_EQ(text("SELECT reference_date FROM indicator_value"), "2024-12-31");
}

TEST_F(MonitoringPagesTest, TheReportListAndTheImportTemplatesOfferTheSameYears) {
  const auto entry = sign_in("bochum_entry");
  // A report of an older year: listed, and its template offered too.
  ASSERT_EQ(post("/staedte/bochum/monitoring/2019", entry, staff_total("")).status, 303);
  const auto listed = years(get("/staedte/bochum/monitoring", entry).body, R"re(/staedte/bochum/monitoring/(\d{4})")re");
  const auto templates =
      years(get("/staedte/bochum/monitoring/import", entry).body, R"re(/staedte/bochum/monitoring/(\d{4})/vorlage\.csv")re");
  EXPECT_EQ(listed, templates);
  EXPECT_TRUE(listed.contains("2019"));
  EXPECT_TRUE(listed.contains("2026"));  // the clock stands in January 2027
}

TEST_F(MonitoringPagesTest, TheOfficeSetsTheYearOnYearRulesMinimumChangeOnTheRulesPage) {
  const auto office = sign_in("office");
  const auto id = std::to_string(number("SELECT id FROM validation_rule WHERE kind = 'year_on_year_change'"));
  const auto field = "regel_" + id + "_mindestaenderung";
  const auto rules = get("/verwaltung/pruefregeln", office);
  ASSERT_EQ(rules.status, 200);
  EXPECT_TRUE(contains(rules.body, "Mindeständerung in Personen"));
  EXPECT_TRUE(contains(rules.body, "id=\"" + field + "\""));
  EXPECT_TRUE(contains(rules.body, "value=\"5\""));

  const auto target = "/verwaltung/pruefregeln/" + id;
  const auto form = "regel_" + id + "_schwere=warning&regel_" + id + "_aktiv=1&regel_" + id + "_schwelle=25&" + field + "=";
  for (const auto* typed : {"viele", "-2", "100001", ""}) {
    const auto refused = post(target, office, form + typed);
    EXPECT_EQ(refused.status, 422) << typed;
    EXPECT_TRUE(contains(refused.body, "id=\"" + field + "-fehler\"")) << typed;
    EXPECT_TRUE(contains(refused.body, "ganze Zahl von 0 bis 100.000")) << typed;
    EXPECT_TRUE(contains(refused.body, "href=\"#" + field + "\"")) << typed;  // the error summary
    EXPECT_TRUE(contains(refused.body, "value=\"" + std::string(typed) + "\"")) << typed;
    EXPECT_EQ(number("SELECT minimum_change FROM validation_rule WHERE id = " + id), 5) << typed;
  }
  const auto threshold = post(target, office, "regel_" + id + "_schwere=warning&regel_" + id + "_schwelle=0&" + field + "=3");
  EXPECT_EQ(threshold.status, 422);
  EXPECT_TRUE(contains(threshold.body, "id=\"regel_" + id + "_schwelle-fehler\""));
  EXPECT_TRUE(contains(threshold.body, "value=\"3\""));

  EXPECT_EQ(post(target, office, form + "10").status, 303);
  EXPECT_EQ(number("SELECT minimum_change FROM validation_rule WHERE id = " + id), 10);
  EXPECT_EQ(post(target, sign_in("bochum_entry"), form + "1").status, 403);
  EXPECT_EQ(number("SELECT minimum_change FROM validation_rule WHERE id = " + id), 10);
}

TEST_F(MonitoringPagesTest, TheOfficeSeesEveryCitysReportsWaitingForAStep) {
  const auto office = sign_in("office");
  const auto empty = get("/verwaltung/berichte", office);
  EXPECT_EQ(empty.status, 200);
  EXPECT_TRUE(contains(empty.body, "Zurzeit wartet kein Bericht"));
  EXPECT_TRUE(contains(get("/bereich", office).body, "href=\"/verwaltung/berichte\""));
  EXPECT_FALSE(contains(get("/bereich", sign_in("bochum_entry")).body, "href=\"/verwaltung/berichte\""));

  const auto entry = sign_in("bochum_entry");
  ASSERT_EQ(post(kReport, entry, staff_total("")).status, 303);
  ASSERT_EQ(post(kReport + "/status", entry, "aktion=submit").status, 303);
  ASSERT_EQ(post("/staedte/bochum/monitoring/2023", entry, staff_total("")).status, 303);  // a draft
  const auto list = get("/verwaltung/berichte", office);
  EXPECT_EQ(list.status, 200);
  EXPECT_TRUE(contains(list.body, "<td class=\"kern-table__cell\">Bochum</td>")) << list.body;
  EXPECT_TRUE(contains(list.body, "href=\"/staedte/bochum/monitoring/2024\" aria-label=\"Monitoring Bochum 2024\""));
  EXPECT_TRUE(contains(list.body, "<td class=\"kern-table__cell\">Eingereicht</td>"));
  EXPECT_TRUE(contains(list.body, "Freigabe durch die Stadt"));
  EXPECT_TRUE(contains(list.body, "<td class=\"kern-table__cell\">15.01.2027</td>"));  // the clock's day
  EXPECT_FALSE(contains(list.body, "/staedte/bochum/monitoring/2023\""));
  EXPECT_TRUE(contains(get("/en/verwaltung/berichte", sign_in("admin")).body, "Approval by the city"));
  EXPECT_EQ(get("/verwaltung/berichte", entry).status, 403);
}

}  // namespace
}  // namespace ik::testing
