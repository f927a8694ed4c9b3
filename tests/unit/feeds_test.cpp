#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "web/feeds.hpp"

namespace ik::web {
namespace {

// A parsed XML document; parsing fails the test when the text is not well-formed.
class Xml {
 public:
  explicit Xml(const std::string& text)
      : document_(xmlReadMemory(text.data(), static_cast<int>(text.size()), "feed.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
                  xmlFreeDoc) {}
  bool ok() const { return document_ != nullptr; }
  std::string root() const { return reinterpret_cast<const char*>(xmlDocGetRootElement(document_.get())->name); }
  std::string root_namespace() const {
    const auto* space = xmlDocGetRootElement(document_.get())->ns;
    return space ? reinterpret_cast<const char*>(space->href) : "";
  }
  // The string values of every node `path` selects (prefixes a, s, x, atom bound).
  std::vector<std::string> all(const std::string& path) const {
    std::unique_ptr<xmlXPathContext, decltype(&xmlXPathFreeContext)> context(xmlXPathNewContext(document_.get()),
                                                                            xmlXPathFreeContext);
    for (const auto& [prefix, uri] : {std::pair{"a", "http://www.w3.org/2005/Atom"},
                                      std::pair{"atom", "http://www.w3.org/2005/Atom"},
                                      std::pair{"s", "http://www.sitemaps.org/schemas/sitemap/0.9"},
                                      std::pair{"x", "http://www.w3.org/1999/xhtml"}}) {
      xmlXPathRegisterNs(context.get(), reinterpret_cast<const xmlChar*>(prefix), reinterpret_cast<const xmlChar*>(uri));
    }
    std::unique_ptr<xmlXPathObject, decltype(&xmlXPathFreeObject)> result(
        xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(path.c_str()), context.get()), xmlXPathFreeObject);
    std::vector<std::string> values;
    if (!result || !result->nodesetval) return values;
    for (int index = 0; index < result->nodesetval->nodeNr; ++index) {
      xmlChar* content = xmlNodeGetContent(result->nodesetval->nodeTab[index]);
      values.emplace_back(content ? reinterpret_cast<const char*>(content) : "");
      xmlFree(content);
    }
    return values;
  }
  std::string one(const std::string& path) const {
    const auto values = all(path);
    EXPECT_EQ(values.size(), 1u) << path;
    return values.empty() ? "" : values[0];
  }

 private:
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> document_;
};

Feed news_feed(std::string feed_url) {
  return {.title = "Aktuelles – Integration.Interkommunal",
          .description = "Neuigkeiten der Städtekooperation",
          .language = "de",
          .page_url = "https://example.org/aktuelles",
          .feed_url = std::move(feed_url),
          .author = "Geschäftsstelle",
          .updated = 1'700'000'000,
          .entries = {{.id = "https://example.org/aktuelles/fachtag",
                       .url = "https://example.org/aktuelles/fachtag",
                       .title = "Fachtag <Bildung> & \"Sprache\"",
                       .summary = "Rückblick auf den Fachtag\x01 in Hagen.",
                       .published = 1'750'000'000,
                       .updated = 1'750'003'600},
                      {.id = "https://example.org/aktuelles/vertrag",
                       .url = "https://example.org/aktuelles/vertrag?a=1&b=2",
                       .title = "Vertrag",
                       .summary = "",
                       .published = 1'600'000'000,
                       .updated = 0}}};
}

TEST(Feeds, AtomIsWellFormedWithEscapedContent) {
  const auto text = atom_feed(news_feed("https://example.org/aktuelles/feed.atom"));
  const Xml xml(text);
  ASSERT_TRUE(xml.ok()) << text;
  EXPECT_EQ(xml.root(), "feed");
  EXPECT_EQ(xml.root_namespace(), "http://www.w3.org/2005/Atom");
  EXPECT_EQ(xml.one("/a:feed/a:id"), "https://example.org/aktuelles/feed.atom");
  EXPECT_EQ(xml.one("/a:feed/a:updated"), "2025-06-15T16:06:40Z");  // the newest entry's change
  EXPECT_EQ(xml.one("/a:feed/a:link[@rel='self']/@href"), "https://example.org/aktuelles/feed.atom");
  EXPECT_EQ(xml.one("/a:feed/a:author/a:name"), "Geschäftsstelle");
  EXPECT_EQ(xml.all("/a:feed/a:entry").size(), 2u);
  EXPECT_EQ(xml.all("/a:feed/a:entry/a:title")[0], "Fachtag <Bildung> & \"Sprache\"");
  EXPECT_EQ(xml.all("/a:feed/a:entry/a:summary")[0], "Rückblick auf den Fachtag in Hagen.");  // control dropped
  EXPECT_EQ(xml.all("/a:feed/a:entry/a:link/@href")[1], "https://example.org/aktuelles/vertrag?a=1&b=2");
  EXPECT_EQ(xml.all("/a:feed/a:entry/a:published")[1], "2020-09-13T12:26:40Z");
  EXPECT_EQ(xml.all("/a:feed/a:entry/a:updated")[1], "2020-09-13T12:26:40Z");  // never before published
  EXPECT_EQ(text.find("<Bildung>"), std::string::npos);
}

TEST(Feeds, RssIsWellFormedWithRfc822Dates) {
  const auto text = rss_feed(news_feed("https://example.org/aktuelles/feed.rss"));
  const Xml xml(text);
  ASSERT_TRUE(xml.ok()) << text;
  EXPECT_EQ(xml.root(), "rss");
  EXPECT_EQ(xml.one("/rss/@version"), "2.0");
  EXPECT_EQ(xml.one("/rss/channel/language"), "de");
  EXPECT_EQ(xml.one("/rss/channel/atom:link[@rel='self']/@href"), "https://example.org/aktuelles/feed.rss");
  EXPECT_EQ(xml.all("/rss/channel/item").size(), 2u);
  EXPECT_EQ(xml.all("/rss/channel/item/pubDate")[0], "Sun, 15 Jun 2025 15:06:40 +0000");
  EXPECT_EQ(xml.all("/rss/channel/item/guid")[1], "https://example.org/aktuelles/vertrag");
  EXPECT_EQ(xml.all("/rss/channel/item/title")[0], "Fachtag <Bildung> & \"Sprache\"");
}

TEST(Feeds, SitemapListsBothLanguagesWithAlternates) {
  const auto text = sitemap({{.german_url = "https://example.org/", .english_url = "https://example.org/en/",
                              .last_modified = "2026-05-12"},
                             {.german_url = "https://example.org/suche?a=1&b=2", .english_url = ""}});
  const Xml xml(text);
  ASSERT_TRUE(xml.ok()) << text;
  EXPECT_EQ(xml.root(), "urlset");
  EXPECT_EQ(xml.root_namespace(), "http://www.sitemaps.org/schemas/sitemap/0.9");
  EXPECT_EQ(xml.all("/s:urlset/s:url/s:loc"),
            (std::vector<std::string>{"https://example.org/", "https://example.org/en/", "https://example.org/suche?a=1&b=2"}));
  EXPECT_EQ(xml.all("/s:urlset/s:url[s:loc='https://example.org/en/']/x:link[@hreflang='de']/@href"),
            std::vector<std::string>{"https://example.org/"});
  EXPECT_EQ(xml.all("/s:urlset/s:url[s:loc='https://example.org/']/x:link[@hreflang='en']/@href"),
            std::vector<std::string>{"https://example.org/en/"});
  EXPECT_EQ(xml.all("/s:urlset/s:url/s:lastmod").size(), 2u);
  EXPECT_TRUE(xml.all("/s:urlset/s:url[3]/x:link").empty());
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::size_t start = 0;
  for (auto end = text.find("\r\n"); end != std::string::npos; end = text.find("\r\n", start)) {
    result.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  EXPECT_EQ(start, text.size()) << "text after the last CRLF";
  return result;
}

// The logical lines: folded continuation lines joined again (RFC 5545 3.1).
std::vector<std::string> unfolded(const std::string& text) {
  std::vector<std::string> result;
  for (const auto& line : lines(text)) {
    if (!line.empty() && line[0] == ' ' && !result.empty()) {
      result.back() += line.substr(1);
    } else {
      result.push_back(line);
    }
  }
  return result;
}

bool has(const std::vector<std::string>& all, const std::string& line) {
  return std::ranges::find(all, line) != all.end();
}

const CalendarEvent kFachtag{.uid = "termin-7@interkommunal.example",
                             .title = "Fachtag: Bildung, Sprache; Teilhabe \\ Vielfalt",
                             .description = "Erste Zeile\nZweite Zeile\r\nDritte Zeile",
                             .location = "Hagen, Rathaus",
                             .url = "https://example.org/termine/fachtag",
                             .starts = "2026-03-05T09:30",
                             .ends = "2026-03-05T16:00",
                             .stamp = 1'760'000'000};

TEST(Calendar, TimedEventsUseBerlinTimeWithItsTimezone) {
  const auto text = icalendar("Termine", {kFachtag});
  const auto all = unfolded(text);
  EXPECT_EQ(all.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(all.back(), "END:VCALENDAR");
  EXPECT_TRUE(has(all, "VERSION:2.0"));
  EXPECT_TRUE(has(all, "BEGIN:VTIMEZONE"));
  EXPECT_TRUE(has(all, "TZID:Europe/Berlin"));
  EXPECT_TRUE(has(all, "UID:termin-7@interkommunal.example"));
  EXPECT_TRUE(has(all, "DTSTAMP:20251009T085320Z"));
  EXPECT_TRUE(has(all, "DTSTART;TZID=Europe/Berlin:20260305T093000"));
  EXPECT_TRUE(has(all, "DTEND;TZID=Europe/Berlin:20260305T160000"));
  EXPECT_TRUE(has(all, "SUMMARY:Fachtag: Bildung\\, Sprache\\; Teilhabe \\\\ Vielfalt"));
  EXPECT_TRUE(has(all, "DESCRIPTION:Erste Zeile\\nZweite Zeile\\nDritte Zeile"));
  EXPECT_TRUE(has(all, "LOCATION:Hagen\\, Rathaus"));
  EXPECT_TRUE(has(all, "URL:https://example.org/termine/fachtag"));
}

TEST(Calendar, AllDayEventsEndTheDayAfterTheirLastDay) {
  CalendarEvent event = kFachtag;
  event.starts = "2026-12-30";
  event.ends = "2026-12-31";
  const auto all = unfolded(icalendar("Termine", {event}));
  EXPECT_TRUE(has(all, "DTSTART;VALUE=DATE:20261230"));
  EXPECT_TRUE(has(all, "DTEND;VALUE=DATE:20270101"));
  EXPECT_FALSE(has(all, "BEGIN:VTIMEZONE"));  // no local times, no timezone needed
  event.ends = "";
  EXPECT_TRUE(has(unfolded(icalendar("Termine", {event})), "DTEND;VALUE=DATE:20261231"));
}

TEST(Calendar, LongLinesAreFoldedAt75OctetsWithoutSplittingCharacters) {
  CalendarEvent event = kFachtag;
  event.description = "Über die Öffnung der Ämter für Menschen mit Einwanderungsgeschichte berichten "
                      "Fachleute aus zehn Städten – äöüß äöüß äöüß äöüß äöüß äöüß äöüß äöüß äöüß.";
  const auto text = icalendar("Termine", {event});
  for (const auto& line : lines(text)) {
    EXPECT_LE(line.size(), 75u) << line;
    const auto start = line[0] == ' ' ? 1u : 0u;
    if (line.size() > start) {
      EXPECT_NE(static_cast<unsigned char>(line[start]) & 0xC0U, 0x80U) << "split inside a character: " << line;
    }
  }
  EXPECT_TRUE(has(unfolded(text), "DESCRIPTION:" + event.description));
  EXPECT_NE(text.find("\r\n "), std::string::npos);  // it was folded
}

TEST(Calendar, EventsWithoutAReadableStartAreLeftOut) {
  CalendarEvent broken = kFachtag;
  for (const std::string& starts : std::vector<std::string>{"", "2026-02-30", "2026-03-05T25:00", "5.3.2026", "2026-03-05 09:30"}) {
    broken.starts = starts;
    const auto all = unfolded(icalendar("Termine", {broken, kFachtag}));
    EXPECT_EQ(std::ranges::count(all, std::string("BEGIN:VEVENT")), 1) << starts;
  }
  CalendarEvent backwards = kFachtag;
  backwards.ends = "2026-03-05T08:00";  // before the start: no end
  EXPECT_FALSE(std::ranges::any_of(unfolded(icalendar("Termine", {backwards})),
                                   [](const std::string& line) { return line.starts_with("DTEND"); }));
}

TEST(Calendar, AUrlCannotBreakTheLine) {
  CalendarEvent event = kFachtag;
  event.url = "https://example.org/x\r\nATTENDEE:mailto:boese@example.org";
  const auto all = unfolded(icalendar("Termine", {event}));
  EXPECT_FALSE(std::ranges::any_of(all, [](const std::string& line) { return line.starts_with("ATTENDEE"); }));
}

}  // namespace
}  // namespace ik::web
