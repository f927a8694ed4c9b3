// The search page, feeds, calendars, sitemap and the 404 page's search offer, driven through
// Site::handle on a seeded database.
#include <fstream>
#include <sstream>

#include "portal/portal.hpp"
#include "site_fixture.hpp"

namespace ik::testing {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream file(std::string(IK_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

class SearchPagesTest : public SiteFixture {
 protected:
  std::int64_t publish(portal::Fields fields) {
    auto id = portal_->create(fields, {.name = "test"});
    EXPECT_TRUE(id) << id.error().message_key << " " << id.error().field;
    if (!id) return 0;
    EXPECT_TRUE(portal_->publish(*id, std::nullopt, {.name = "test"}));
    return *id;
  }

  std::int64_t publish_handbook() {
    auto stored = portal_->store_upload({.file_name = "handreichung.pdf", .bytes = fixture("handreichung.pdf")},
                                        {.name = "test"});
    EXPECT_TRUE(stored) << (stored ? "" : stored.error().message_key);
    const auto id = publish({.kind = portal::Kind::document, .slug = "handreichung-sprachmittlung",
                             .title = {"Handreichung Sprachmittlung", "Guide to language mediation"},
                             .series = "Handreichungen"});
    if (stored) {
      EXPECT_TRUE(portal_->attach_file(id, stored->sha256, portal::FileRole::main, {.name = "test"}));
    }
    return id;
  }
};

TEST_F(SearchPagesTest, AnEmptyQueryAsksForASearchTerm) {
  for (const auto* target : {"/suche", "/suche?q=", "/suche?q=+++"}) {
    const auto response = get(target);
    EXPECT_EQ(response.status, 200) << target;
    EXPECT_TRUE(contains(response.body, "Bitte geben Sie einen Suchbegriff ein")) << target;
    EXPECT_TRUE(contains(response.body, "role=\"search\"")) << target;
  }
  EXPECT_TRUE(contains(get("/en/suche").body, "Please enter a search term"));
}

TEST_F(SearchPagesTest, FindsCitiesAndPagesWithHighlightedSnippets) {
  const auto response = get("/suche?q=Hagen");
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(contains(response.body, "href=\"/mitgliedsstaedte/hagen\"")) << response.body;
  EXPECT_TRUE(contains(response.body, "Treffer für „Hagen“"));
  EXPECT_TRUE(contains(response.body, "<mark>Hagen</mark>"));
  EXPECT_TRUE(contains(response.body, "value=\"Hagen\""));  // the form keeps the query
}

TEST_F(SearchPagesTest, TheEnglishSearchLinksToEnglishPages) {
  const auto response = get("/en/suche?q=Hagen");
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(contains(response.body, "href=\"/en/mitgliedsstaedte/hagen\""));
  EXPECT_FALSE(contains(response.body, "href=\"/mitgliedsstaedte/hagen\""));
  EXPECT_TRUE(contains(response.body, "results for “Hagen”") || contains(response.body, "1 result for “Hagen”"));
}

TEST_F(SearchPagesTest, OddQueriesGiveHarmlessPages) {
  for (const std::string& query : {std::string("%22*%26%3Cscript%3E"), std::string("%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
                                  std::string(10'000, 'a'), std::string("AND+OR+NOT"), std::string("%22")}) {
    const auto response = get("/suche?q=" + query);
    EXPECT_EQ(response.status, 200) << query.substr(0, 30);
    EXPECT_FALSE(contains(response.body, "<script>")) << query.substr(0, 30);
  }
  const auto odd = get("/suche?q=%22*%26%3Cscript%3E");
  EXPECT_TRUE(contains(odd.body, "Zu „&quot;*&amp;&lt;script&gt;“ wurde nichts gefunden")) << odd.body;
  EXPECT_EQ(get("/suche?q=Hagen&seite=-3").status, 200);
  EXPECT_EQ(get("/suche?q=Hagen&seite=99999999999999999999").status, 200);
}

TEST_F(SearchPagesTest, FindsAPublicationByAWordInsideItsPdf) {
  EXPECT_TRUE(contains(get("/suche?q=Sprachmittlerpool").body, "wurde nichts gefunden"));
  publish_handbook();
  const auto response = get("/suche?q=Sprachmittlerpool");
  EXPECT_TRUE(contains(response.body, "href=\"/publikationen/handreichung-sprachmittlung\"")) << response.body;
  EXPECT_TRUE(contains(response.body, "<mark>Sprachmittlerpool</mark>"));
  EXPECT_TRUE(contains(response.body, "Publikation"));
  // German stemming over the PDF text: "Verwaltung" finds "Verwaltungen" in it.
  EXPECT_TRUE(contains(get("/suche?q=Verwaltung+Sprachmittler").body, "handreichung-sprachmittlung"));
  // The English edition has its own title and still finds the German PDF's words.
  EXPECT_TRUE(contains(get("/en/suche?q=Sprachmittlerpool").body, "href=\"/en/publikationen/handreichung-sprachmittlung\""));
}

TEST_F(SearchPagesTest, NewlyPublishedContentIsFoundAndUnpublishedContentIsNot) {
  const auto id = publish({.kind = portal::Kind::news, .slug = "zaunkoenig",
                           .title = {"Zaunkönigtreffen in Bottrop", ""}, .body = {"Ein Treffen der Ämter.", ""}});
  EXPECT_TRUE(contains(get("/suche?q=Zaunkönigtreffen").body, "href=\"/aktuelles/zaunkoenig\""));
  ASSERT_TRUE(portal_->unpublish(id, {.name = "test"}));
  EXPECT_FALSE(contains(get("/suche?q=Zaunkönigtreffen").body, "href=\"/aktuelles/zaunkoenig\""));
}

TEST_F(SearchPagesTest, NewsFeedsListPublishedNews) {
  publish({.kind = portal::Kind::news, .slug = "feed-test", .title = {"Feed & <Test>", "Feed test"},
           .summary = {"Kurz gesagt.", ""}});
  const auto atom = get("/aktuelles/feed.atom");
  ASSERT_EQ(atom.status, 200);
  EXPECT_EQ(atom.header("content-type").value_or(""), "application/atom+xml; charset=utf-8");
  EXPECT_TRUE(contains(atom.body, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">"));
  EXPECT_TRUE(contains(atom.body, "<title>Feed &amp; &lt;Test&gt;</title>"));
  EXPECT_TRUE(contains(atom.body, "http://127.0.0.1:8080/aktuelles/feed-test"));
  const auto rss = get("/en/aktuelles/feed.rss");
  ASSERT_EQ(rss.status, 200);
  EXPECT_EQ(rss.header("content-type").value_or(""), "application/rss+xml; charset=utf-8");
  EXPECT_TRUE(contains(rss.body, "<title>Feed test</title>"));
  EXPECT_TRUE(contains(rss.body, "<link>http://127.0.0.1:8080/en/aktuelles/feed-test</link>"));
  EXPECT_TRUE(contains(rss.body, "<language>en</language>"));
}

TEST_F(SearchPagesTest, EventsComeAsICalendarFiles) {
  publish({.kind = portal::Kind::event, .slug = "fachtag", .title = {"Fachtag Vielfalt, Teilhabe", ""},
           .location = {"Herne; Kulturzentrum", ""}, .starts = "2030-03-05T09:30", .ends = "2030-03-05T16:00"});
  const auto one = get("/termine/fachtag/kalender.ics");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.header("content-type").value_or(""), "text/calendar; charset=utf-8");
  EXPECT_TRUE(contains(std::string(one.header("content-disposition").value_or("")), "termin-fachtag.ics"));
  EXPECT_TRUE(one.body.starts_with("BEGIN:VCALENDAR\r\n"));
  EXPECT_TRUE(contains(one.body, "DTSTART;TZID=Europe/Berlin:20300305T093000\r\n"));
  EXPECT_TRUE(contains(one.body, "SUMMARY:Fachtag Vielfalt\\, Teilhabe\r\n"));
  EXPECT_TRUE(contains(one.body, "LOCATION:Herne\\; Kulturzentrum\r\n"));
  EXPECT_TRUE(contains(one.body, "URL:http://127.0.0.1:8080/termine/fachtag\r\n"));
  const auto all = get("/termine.ics");
  ASSERT_EQ(all.status, 200);
  EXPECT_TRUE(contains(all.body, "SUMMARY:Fachtag Vielfalt\\, Teilhabe\r\n"));
  EXPECT_EQ(get("/termine/gibt-es-nicht/kalender.ics").status, 404);
}

// The list of events and every event's page link the event's own calendar file and the one of
// all events, in the page's language; every link leads to a calendar file.
TEST_F(SearchPagesTest, EventPagesLinkTheirCalendarFiles) {
  publish({.kind = portal::Kind::event, .slug = "fachtag", .title = {"Fachtag Vielfalt", "Diversity day"},
           .starts = "2030-03-05T09:30", .ends = "2030-03-05T16:00"});
  const auto calendar = [&](const std::string& target) {
    const auto response = get(target);
    EXPECT_EQ(response.status, 200) << target;
    EXPECT_EQ(response.header("content-type").value_or(""), "text/calendar; charset=utf-8") << target;
    EXPECT_TRUE(response.body.starts_with("BEGIN:VCALENDAR\r\n")) << target;
  };
  for (const std::string prefix : {"", "/en"}) {
    const auto one = prefix + "/termine/fachtag/kalender.ics";
    const auto all = prefix + "/termine.ics";
    const auto list = get(prefix + "/termine");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "href=\"" + one + "\" type=\"text/calendar\"")) << list.body;
    EXPECT_TRUE(contains(list.body, "href=\"" + all + "\" type=\"text/calendar\"")) << prefix;
    const auto item = get(prefix + "/termine/fachtag");
    ASSERT_EQ(item.status, 200);
    EXPECT_TRUE(contains(item.body, "href=\"" + one + "\" type=\"text/calendar\"")) << prefix;
    EXPECT_TRUE(contains(item.body, "href=\"" + all + "\" type=\"text/calendar\"")) << prefix;
    calendar(one);
    calendar(all);
  }
  EXPECT_TRUE(contains(get("/termine").body, "„Fachtag Vielfalt“ in den eigenen Kalender übernehmen (iCalendar)"));
  EXPECT_TRUE(contains(get("/termine/fachtag").body, "Alle Termine als Kalenderdatei (iCalendar)"));
  EXPECT_TRUE(contains(get("/en/termine").body, "Add “Diversity day” to your calendar (iCalendar)"));
  EXPECT_TRUE(contains(get("/en/termine/fachtag").body, "All events as a calendar file (iCalendar)"));
}

TEST_F(SearchPagesTest, TheSitemapListsBothLanguages) {
  const auto response = get("/sitemap.xml");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type").value_or(""), "application/xml; charset=utf-8");
  EXPECT_TRUE(contains(response.body, "<loc>http://127.0.0.1:8080/mitgliedsstaedte/hagen</loc>"));
  EXPECT_TRUE(contains(response.body, "<loc>http://127.0.0.1:8080/en/mitgliedsstaedte/hagen</loc>"));
  EXPECT_TRUE(contains(response.body, "hreflang=\"en\" href=\"http://127.0.0.1:8080/en/kooperation\""));
  EXPECT_FALSE(contains(response.body, "/anmelden"));
  EXPECT_FALSE(contains(response.body, "/suche"));
  EXPECT_FALSE(contains(response.body, "/verwaltung"));
  const auto robots = get("/robots.txt");
  EXPECT_TRUE(contains(robots.body, "Sitemap: http://127.0.0.1:8080/sitemap.xml"));
}

TEST_F(SearchPagesTest, TheNotFoundPageOffersSearch) {
  for (const auto* target : {"/gibt-es-nicht", "/mitgliedsstaedte/atlantis"}) {
    const auto response = get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_TRUE(contains(response.body, "action=\"/suche\"")) << target;
    EXPECT_TRUE(contains(response.body, "name=\"q\"")) << target;
  }
  EXPECT_TRUE(contains(get("/en/gibt-es-nicht").body, "action=\"/en/suche\""));
}

}  // namespace
}  // namespace ik::testing
