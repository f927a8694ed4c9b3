// Machine-readable documents of the portal: Atom (RFC 4287) and RSS 2.0 for news, iCalendar
// (RFC 5545) for events, the XML sitemap with both languages. Pure: plain structs in, finished
// text out; every value is escaped for its format, so nothing from the content becomes markup.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ik::web {

struct FeedEntry {
  std::string id;       // stable and unique: the entry's absolute URL
  std::string url;      // absolute
  std::string title;
  std::string summary;  // plain text
  std::int64_t published = 0;  // Unix seconds
  std::int64_t updated = 0;
};

struct Feed {
  std::string title;
  std::string description;
  std::string language;   // "de", "en"
  std::string page_url;   // absolute URL of the news page the feed mirrors
  std::string feed_url;   // absolute URL of the feed itself (rel="self")
  std::string author;     // the publisher's name
  std::int64_t updated = 0;  // Unix seconds; the newest entry's time when later
  std::vector<FeedEntry> entries;  // newest first
};

std::string atom_feed(const Feed& feed);
std::string rss_feed(const Feed& feed);

struct CalendarEvent {
  std::string uid;          // globally unique and stable ("termin-12@interkommunal.example")
  std::string title;
  std::string description;  // plain text; line breaks kept
  std::string location;
  std::string url;          // absolute
  // "YYYY-MM-DD" (all day) or "YYYY-MM-DDTHH:MM" (local time, Europe/Berlin). `ends` may be
  // empty (one day, or no end time); an all-day end is the last day, inclusive.
  std::string starts;
  std::string ends;
  std::int64_t stamp = 0;   // last change, Unix seconds (DTSTAMP, in UTC)
};

// A VCALENDAR with one VEVENT per event (and the Europe/Berlin VTIMEZONE when an event has a
// time): CRLF line ends, lines folded at 75 octets without splitting a character, TEXT values
// escaped (\\ \; \, \n). Events whose start is no valid date or date and time are left out.
std::string icalendar(std::string_view calendar_name, const std::vector<CalendarEvent>& events);

struct SitemapPage {
  std::string german_url;   // absolute
  std::string english_url;  // absolute; empty when the page exists in German only
  std::string last_modified;  // ISO date ("2026-05-12") or empty
};

// A sitemap (sitemaps.org 0.9) listing each language version as its own <url>, each carrying
// xhtml:link hreflang alternates for both languages.
std::string sitemap(const std::vector<SitemapPage>& pages);

// The five XML entities escaped; characters XML 1.0 forbids (C0 controls other than tab, line
// feed, carriage return) dropped.
std::string xml_escape(std::string_view text);

}  // namespace ik::web
