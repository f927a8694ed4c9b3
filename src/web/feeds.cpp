#include "web/feeds.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

namespace ik::web {
namespace {

struct UtcTime {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  long hour = 0;
  long minute = 0;
  long second = 0;
  unsigned weekday = 0;  // 0 = Sunday
};

UtcTime utc(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds time{seconds{unix_seconds}};
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  return {static_cast<int>(date.year()), static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
          static_cast<long>(clock.hours().count()), static_cast<long>(clock.minutes().count()),
          static_cast<long>(clock.seconds().count()), weekday{day}.c_encoding()};
}

template <class... Values>
std::string formatted(const char* pattern, Values... values) {
  char buffer[64];
  const int length = std::snprintf(buffer, sizeof buffer, pattern, values...);
  return std::string(buffer, static_cast<std::size_t>(length));
}

// RFC 3339, as Atom wants it.
std::string rfc3339(std::int64_t unix_seconds) {
  const auto time = utc(unix_seconds);
  return formatted("%04d-%02u-%02uT%02ld:%02ld:%02ldZ", time.year, time.month, time.day, time.hour, time.minute,
                   time.second);
}

// RFC 822 (with a four-digit year), as RSS 2.0 wants it.
std::string rfc822(std::int64_t unix_seconds) {
  static constexpr const char* weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto time = utc(unix_seconds);
  return formatted("%s, %02u %s %04d %02ld:%02ld:%02ld +0000", weekdays[time.weekday], time.day,
                   months[time.month - 1], time.year, time.hour, time.minute, time.second);
}

std::int64_t newest(const Feed& feed) {
  std::int64_t updated = feed.updated;
  for (const auto& entry : feed.entries) updated = std::max({updated, entry.updated, entry.published});
  return updated;
}

// <name>escaped text</name>
void element(std::string& out, std::string_view name, std::string_view text) {
  out += '<';
  out += name;
  out += '>';
  out += xml_escape(text);
  out += "</";
  out += name;
  out += ">\n";
}

// ---- iCalendar ----

// A start or end of an event as the portal stores it.
struct When {
  std::chrono::year_month_day date;
  std::optional<std::pair<int, int>> time;  // hours, minutes; nullopt: all day
};

bool digits(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, [](char character) { return character >= '0' && character <= '9'; });
}

int number(std::string_view text) {
  int value = 0;
  for (const char character : text) value = value * 10 + (character - '0');
  return value;
}

std::optional<When> parse_when(std::string_view text) {
  if (text.size() != 10 && text.size() != 16) return std::nullopt;
  if (!digits(text.substr(0, 4)) || text[4] != '-' || !digits(text.substr(5, 2)) || text[7] != '-' ||
      !digits(text.substr(8, 2))) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{number(text.substr(0, 4))},
                                         std::chrono::month{static_cast<unsigned>(number(text.substr(5, 2)))},
                                         std::chrono::day{static_cast<unsigned>(number(text.substr(8, 2)))}};
  if (!date.ok()) return std::nullopt;
  if (text.size() == 10) return When{date, std::nullopt};
  if (text[10] != 'T' || !digits(text.substr(11, 2)) || text[13] != ':' || !digits(text.substr(14, 2))) {
    return std::nullopt;
  }
  const int hours = number(text.substr(11, 2));
  const int minutes = number(text.substr(14, 2));
  if (hours > 23 || minutes > 59) return std::nullopt;
  return When{date, std::pair{hours, minutes}};
}

std::string ical_date(const std::chrono::year_month_day& date) {
  return formatted("%04d%02u%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                   static_cast<unsigned>(date.day()));
}

std::string ical_utc(std::int64_t unix_seconds) {
  const auto time = utc(unix_seconds);
  return formatted("%04d%02u%02uT%02ld%02ld%02ldZ", time.year, time.month, time.day, time.hour, time.minute,
                   time.second);
}

// RFC 5545 3.3.11: backslash, semicolon, comma and line breaks escaped; other controls dropped.
std::string ical_text(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char character = text[index];
    switch (character) {
      case '\\': escaped += "\\\\"; break;
      case ';': escaped += "\\;"; break;
      case ',': escaped += "\\,"; break;
      case '\r':
        if (index + 1 < text.size() && text[index + 1] == '\n') break;  // CRLF counts once
        escaped += "\\n";
        break;
      case '\n': escaped += "\\n"; break;
      default:
        if (static_cast<unsigned char>(character) >= 0x20 && character != 0x7F) escaped += character;
    }
  }
  return escaped;
}

// A URI value: no escaping, but nothing that could end the line either.
std::string ical_uri(std::string_view text) {
  std::string clean;
  for (const char character : text) {
    if (static_cast<unsigned char>(character) > 0x20 && character != 0x7F) clean += character;
  }
  return clean;
}

// RFC 5545 3.1: a content line of at most 75 octets, continued after CRLF and one space,
// never splitting a UTF-8 sequence.
void content_line(std::string& out, std::string_view line) {
  std::size_t limit = 75;
  while (line.size() > limit) {
    std::size_t split = limit;
    while (split > 0 && (static_cast<unsigned char>(line[split]) & 0xC0U) == 0x80U) --split;
    out += line.substr(0, split);
    out += "\r\n ";
    line.remove_prefix(split);
    limit = 74;  // the leading space counts
  }
  out += line;
  out += "\r\n";
}

void property(std::string& out, std::string_view name, std::string_view value) {
  std::string line(name);
  line += ':';
  line += value;
  content_line(out, line);
}

constexpr std::string_view kBerlinTimezone =
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

std::string ical_local(const When& when) {
  return ical_date(when.date) + formatted("T%02d%02d00", when.time->first, when.time->second);
}

auto as_days(const When& when) { return std::chrono::sys_days{when.date}; }

// DTSTART and DTEND: all-day events end on the day after their last day (DTEND is exclusive);
// a timed event keeps its end only when that is a later time.
void event_times(std::string& out, const When& start, const std::optional<When>& end) {
  if (!start.time) {
    property(out, "DTSTART;VALUE=DATE", ical_date(start.date));
    auto last_day = as_days(start);
    if (end && as_days(*end) > last_day) last_day = as_days(*end);
    property(out, "DTEND;VALUE=DATE", ical_date(std::chrono::year_month_day{last_day + std::chrono::days{1}}));
    return;
  }
  property(out, "DTSTART;TZID=Europe/Berlin", ical_local(start));
  if (end && end->time && ical_local(*end) > ical_local(start)) {
    property(out, "DTEND;TZID=Europe/Berlin", ical_local(*end));
  }
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char character : text) {
    switch (character) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&apos;"; break;
      case '\t':
      case '\n':
      case '\r': escaped += character; break;
      default:
        if (static_cast<unsigned char>(character) >= 0x20) escaped += character;
    }
  }
  return escaped;
}

std::string atom_feed(const Feed& feed) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" + xml_escape(feed.language) + "\">\n";
  element(out, "id", feed.feed_url);
  element(out, "title", feed.title);
  element(out, "subtitle", feed.description);
  element(out, "updated", rfc3339(newest(feed)));
  out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml_escape(feed.feed_url) + "\"/>\n";
  out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escape(feed.page_url) + "\"/>\n";
  out += "<author>";
  element(out, "name", feed.author);
  out += "</author>\n";
  for (const auto& entry : feed.entries) {
    out += "<entry>\n";
    element(out, "id", entry.id);
    element(out, "title", entry.title);
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escape(entry.url) + "\"/>\n";
    element(out, "published", rfc3339(entry.published));
    element(out, "updated", rfc3339(std::max(entry.updated, entry.published)));
    out += "<summary type=\"text\">" + xml_escape(entry.summary) + "</summary>\n";
    out += "</entry>\n";
  }
  out += "</feed>\n";
  return out;
}

std::string rss_feed(const Feed& feed) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n";
  element(out, "title", feed.title);
  element(out, "link", feed.page_url);
  element(out, "description", feed.description);
  element(out, "language", feed.language);
  element(out, "lastBuildDate", rfc822(newest(feed)));
  out += "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"" + xml_escape(feed.feed_url) + "\"/>\n";
  for (const auto& entry : feed.entries) {
    out += "<item>\n";
    element(out, "title", entry.title);
    element(out, "link", entry.url);
    out += "<guid isPermaLink=\"true\">" + xml_escape(entry.id) + "</guid>\n";
    element(out, "pubDate", rfc822(entry.published));
    element(out, "description", entry.summary);
    out += "</item>\n";
  }
  out += "</channel>\n</rss>\n";
  return out;
}

std::string icalendar(std::string_view calendar_name, const std::vector<CalendarEvent>& events) {
  std::string body;
  bool timed = false;
  for (const auto& event : events) {
    const auto start = parse_when(event.starts);
    if (!start) continue;
    timed = timed || start->time.has_value();
    body += "BEGIN:VEVENT\r\n";
    property(body, "UID", ical_text(event.uid));
    property(body, "DTSTAMP", ical_utc(event.stamp));
    event_times(body, *start, parse_when(event.ends));
    property(body, "SUMMARY", ical_text(event.title));
    if (!event.description.empty()) property(body, "DESCRIPTION", ical_text(event.description));
    if (!event.location.empty()) property(body, "LOCATION", ical_text(event.location));
    if (!event.url.empty()) property(body, "URL", ical_uri(event.url));
    body += "END:VEVENT\r\n";
  }
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
  property(out, "PRODID", "-//Staedtekooperation Integration.Interkommunal//Portal//DE");
  out += "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n";
  property(out, "X-WR-CALNAME", ical_text(calendar_name));
  if (timed) out += kBerlinTimezone;
  out += body;
  out += "END:VCALENDAR\r\n";
  return out;
}

std::string sitemap(const std::vector<SitemapPage>& pages) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
         "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
  const auto url = [&](const std::string& location, const SitemapPage& page) {
    out += "<url>\n";
    element(out, "loc", location);
    if (!page.last_modified.empty()) element(out, "lastmod", page.last_modified);
    if (!page.english_url.empty()) {
      out += "<xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"" + xml_escape(page.german_url) + "\"/>\n";
      out += "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"" + xml_escape(page.english_url) + "\"/>\n";
    }
    out += "</url>\n";
  };
  for (const auto& page : pages) {
    url(page.german_url, page);
    if (!page.english_url.empty()) url(page.english_url, page);
  }
  out += "</urlset>\n";
  return out;
}

}  // namespace ik::web
