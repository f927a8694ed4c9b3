// The site search (/suche), the news feeds, the event calendars, the sitemap and robots.txt.
// The search index is built from the cooperation's data and the published portal content
// (with the text inside PDF publications) and rebuilt only when that content has changed.
#include <spdlog/spdlog.h>

#include <functional>
#include <set>

#include "app/frame.hpp"
#include "app/handlers.hpp"
#include "cooperation/cooperation.hpp"
#include "core/date.hpp"
#include "core/text.hpp"
#include "portal/portal.hpp"
#include "search/search.hpp"
#include "web/feeds.hpp"
#include "web/forms.hpp"
#include "web/layout.hpp"

namespace ik::app {
namespace {

using web::Html;

constexpr std::size_t kResultsPerPage = 10;
constexpr std::size_t kMaxResultPage = 100;
constexpr int kFeedEntries = 20;

web::Language language_of(std::string_view edition) {
  return edition == "en" ? web::Language::en : web::Language::de;
}

// ---- The corpus ----

// The text for the edition; English falls back to German. `language` receives the language
// the chosen text is written in.
const std::string& pick(std::string_view edition, const std::string& german, const std::string& english,
                        std::string& language) {
  const bool english_text = edition == "en" && !english.empty();
  language = english_text ? "en" : "de";
  return english_text ? english : german;
}

std::string joined(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (const auto part : parts) {
    if (part.empty()) continue;
    if (!text.empty()) text += ' ';
    text += part;
  }
  return text;
}

class Corpus {
 public:
  explicit Corpus(const Services& services) : services_(services) {}

  Result<std::vector<search::Document>> collect() {
    auto portal_texts = services_.portal.published_texts();
    if (!portal_texts) return portal_texts.take_error();
    for (const auto* edition : {"de", "en"}) {
      IK_TRY(add_cooperation(edition, *portal_texts));
      add_portal(edition, *portal_texts);
    }
    services_.search.file_texts().forget_unused();
    return std::move(documents_);
  }

 private:
  void add(std::string_view edition, std::string key, std::string_view german_path, std::string language,
           search::Kind kind, std::string title, std::string text, std::string date = {}) {
    documents_.push_back({.key = std::move(key) + "/" + std::string(edition),
                          .url = web::localized(language_of(edition), german_path),
                          .edition = std::string(edition),
                          .language = std::move(language),
                          .kind = kind,
                          .title = std::move(title),
                          .text = std::move(text),
                          .date = std::move(date)});
  }

  std::string message(std::string_view edition, std::string_view key) const {
    return std::string(web::message(language_of(edition), key));
  }

  Status add_cooperation(std::string_view edition, const std::vector<portal::PublishedText>& portal_texts) {
    const std::string language(edition);
    auto milestones = services_.cooperation.milestones();
    if (!milestones) return milestones.take_error();
    std::string history;
    for (const auto& milestone : *milestones) {
      std::string ignored;
      history += joined({pick(edition, milestone.title_de, milestone.title_en, ignored),
                         pick(edition, milestone.description_de, milestone.description_en, ignored)}) + " ";
    }
    add(edition, "page/home", "/", language, search::Kind::page, message(edition, "site.motto"),
        joined({message(edition, "home.lead"), message(edition, "home.goal_1"), message(edition, "home.goal_2")}));
    add(edition, "page/cooperation", "/kooperation", language, search::Kind::page, message(edition, "cooperation.title"),
        joined({message(edition, "cooperation.contract"), message(edition, "cooperation.aim"), history}));
    add(edition, "page/cities", "/mitgliedsstaedte", language, search::Kind::page, message(edition, "cities.title"),
        message(edition, "cities.lead"));
    IK_TRY(add_cities(edition));
    IK_TRY(add_bodies(edition));
    IK_TRY(add_themes(edition));
    return add_publications(edition, portal_texts);
  }

  Status add_cities(std::string_view edition) {
    auto cities = services_.cooperation.cities();
    if (!cities) return cities.take_error();
    for (const auto& city : *cities) {
      std::string notes;
      for (const auto& membership : city.memberships) {
        std::string ignored;
        notes += pick(edition, membership.note_de, membership.note_en, ignored) + " ";
      }
      add(edition, "city/" + city.slug, "/mitgliedsstaedte/" + city.slug, std::string(edition), search::Kind::city,
          city.name, joined({notes, city.ki_name, city.ki_contact}));
    }
    return {};
  }

  Status add_bodies(std::string_view edition) {
    auto bodies = services_.cooperation.bodies();
    if (!bodies) return bodies.take_error();
    for (const auto& body : *bodies) {
      std::string language;
      const auto& name = pick(edition, body.name_de, body.name_en, language);
      std::string ignored;
      add(edition, "body/" + body.slug, "/gremien#gremium-" + body.slug, language, search::Kind::page, name,
          joined({pick(edition, body.composition_de, body.composition_en, ignored),
                  pick(edition, body.tasks_de, body.tasks_en, ignored)}));
    }
    return {};
  }

  Status add_themes(std::string_view edition) {
    auto themes = services_.cooperation.themes();
    if (!themes) return themes.take_error();
    auto goals = services_.cooperation.action_goals();
    if (!goals) return goals.take_error();
    const auto add_all = [&](const std::vector<cooperation::Theme>& entries, std::string_view prefix) {
      for (const auto& entry : entries) {
        std::string language;
        const auto& title = pick(edition, entry.title_de, entry.title_en, language);
        add(edition, std::string(prefix) + entry.slug, "/themen/" + entry.slug, language, search::Kind::theme, title,
            message(edition, "themes.title"));
      }
    };
    add_all(*themes, "theme/");
    add_all(*goals, "goal/");
    return {};
  }

  // Publications the portal does not carry as documents of its own (those come with their files).
  Status add_publications(std::string_view edition, const std::vector<portal::PublishedText>& portal_texts) {
    auto publications = services_.cooperation.publications();
    if (!publications) return publications.take_error();
    std::set<std::string> carried;
    for (const auto& text : portal_texts) {
      if (text.kind == portal::Kind::document) carried.insert(text.path);
    }
    for (const auto& publication : *publications) {
      if (carried.contains("/publikationen/" + publication.slug)) continue;
      std::string language;
      const auto& title = pick(edition, publication.title_de, publication.title_en, language);
      add(edition, "publication/" + publication.slug, "/publikationen", language, search::Kind::publication, title,
          publication.series, publication.published ? publication.published->iso() : std::string());
    }
    return {};
  }

  static search::Kind kind_of(portal::Kind kind) {
    switch (kind) {
      case portal::Kind::news: return search::Kind::news;
      case portal::Kind::event: return search::Kind::event;
      case portal::Kind::document: return search::Kind::publication;
      default: return search::Kind::page;
    }
  }

  // The text inside the item's current PDF file, read once per file.
  std::string file_text(const portal::PublishedText& text) {
    if (!text.file || text.file->media_type != "application/pdf") return {};
    const auto file = *text.file;
    return services_.search.file_texts().text(file.sha256, [&]() -> Result<std::string> {
      auto bytes = services_.portal.file_bytes(file);
      if (!bytes) return bytes.take_error();
      auto extracted = search::pdf_text(*bytes);
      if (!extracted) spdlog::warn(R"("event":"search_pdf_unreadable","file":"{}")", file.sha256);
      return extracted;
    });
  }

  // Each item once per edition: in English where it has an English text, else in German.
  void add_portal(std::string_view edition, const std::vector<portal::PublishedText>& texts) {
    std::set<std::int64_t> english;
    for (const auto& text : texts) {
      if (text.language == "en") english.insert(text.id);
    }
    for (const auto& text : texts) {
      const bool wanted = edition == "en" ? text.language == "en" || !english.contains(text.id) : text.language == "de";
      if (!wanted) continue;
      std::string date = text.date ? text.date->iso() : text.starts.substr(0, std::min<std::size_t>(10, text.starts.size()));
      add(edition, std::string(portal::kind_name(text.kind)) + "/" + std::to_string(text.id), text.path, text.language,
          kind_of(text.kind), text.title, joined({text.summary, text.text, text.location, file_text(text)}),
          std::move(date));
    }
  }

  const Services& services_;
  std::vector<search::Document> documents_;
};

// Moves whenever anything the corpus is made of changes: the portal counts its own changes; the
// cooperation's few, rarely edited records are fingerprinted (from its in-memory snapshot).
Result<std::uint64_t> content_generation(const Services& services) {
  auto cities = services.cooperation.cities();
  if (!cities) return cities.take_error();
  auto bodies = services.cooperation.bodies();
  if (!bodies) return bodies.take_error();
  auto publications = services.cooperation.publications();
  if (!publications) return publications.take_error();
  std::string fingerprint;
  for (const auto& city : *cities) {
    fingerprint += joined({city.name, city.ki_name, city.ki_contact, city.ki_url}) + '\x1f';
    for (const auto& membership : city.memberships) fingerprint += membership.note_de + membership.note_en + '\x1f';
  }
  for (const auto& body : *bodies) {
    fingerprint += body.name_de + body.name_en + body.composition_de + body.composition_en + body.tasks_de + body.tasks_en;
  }
  for (const auto& publication : *publications) fingerprint += publication.title_de + publication.title_en + '\x1f';
  return std::hash<std::string>{}(fingerprint) ^ (services.portal.generation() * 0x9E3779B97F4A7C15ULL);
}

Status refresh_index(const Services& services) {
  auto generation = content_generation(services);
  if (!generation) return generation.take_error();
  return services.search.refresh(*generation, [&] { return Corpus(services).collect(); });
}

// ---- The search page ----

std::string_view kind_key(search::Kind kind) {
  switch (kind) {
    case search::Kind::page: return "search.kind_page";
    case search::Kind::news: return "search.kind_news";
    case search::Kind::event: return "search.kind_event";
    case search::Kind::publication: return "search.kind_publication";
    case search::Kind::city: return "search.kind_city";
    case search::Kind::theme: return "search.kind_theme";
  }
  return "search.kind_page";
}

void hit_item(Html& html, const Call& call, const search::Hit& hit) {
  html.nest("li", {{"class", "search-results__item"}}, [&] {
    html.nest("h3", {{"class", "kern-heading-small"}},
              [&] { html.element("a", {{"class", "kern-link"}, {"href", hit.url}}, hit.title); });
    std::string meta(call.text(kind_key(hit.kind)));
    if (const auto date = parse_iso_date(hit.date)) {
      meta += " · " + format_date(*date, web::language_code(call.language));
    }
    html.element("p", {{"class", "kern-body kern-body--small search-results__meta"}}, meta);
    if (hit.snippet.empty()) return;
    html.nest("p", {{"class", "kern-body search-results__snippet"}}, [&] {
      for (const auto& segment : hit.snippet) {
        if (segment.highlighted) {
          html.element("mark", segment.text);
        } else {
          html.text(segment.text);
        }
      }
    });
  });
}

std::string results_link(const Call& call, const std::string& query, std::size_t page_number) {
  return link(call, "/suche") + "?q=" + text::percent_encode(query) + "&seite=" + std::to_string(page_number);
}

void pagination(Html& html, const Call& call, const std::string& query, std::size_t page_number, std::size_t pages) {
  if (pages <= 1) return;
  html.nest("nav", {{"class", "search-pages"}, {"aria-label", std::string(call.text("search.pages"))}}, [&] {
    if (page_number > 1) {
      html.element("a", {{"class", "kern-link"}, {"href", results_link(call, query, page_number - 1)}, {"rel", "prev"}},
                   call.text("search.previous"));
    }
    html.element("span", {{"class", "kern-body"}},
                 web::message_with(call.language, "search.page_of",
                                   {{"page", std::to_string(page_number)}, {"pages", std::to_string(pages)}}));
    if (page_number < pages) {
      html.element("a", {{"class", "kern-link"}, {"href", results_link(call, query, page_number + 1)}, {"rel", "next"}},
                   call.text("search.next"));
    }
  });
}

void results_section(Html& html, const Call& call, const std::string& query, const search::Results& results,
                     std::size_t page_number) {
  const auto count = results.total == 1
                         ? web::message_with(call.language, "search.count_one", {{"query", query}})
                         : web::message_with(call.language, "search.count",
                                             {{"count", std::to_string(results.total)}, {"query", query}});
  html.element("p", {{"class", "kern-body kern-body--large"}, {"id", "trefferzahl"}}, count);
  html.nest("ol", {{"class", "search-results"}, {"aria-labelledby", "trefferzahl"},
                   {"start", std::to_string((page_number - 1) * kResultsPerPage + 1)}},
            [&] {
              for (const auto& hit : results.hits) hit_item(html, call, hit);
            });
  pagination(html, call, query, page_number,
             std::min(kMaxResultPage, (results.total + kResultsPerPage - 1) / kResultsPerPage));
}

std::size_t requested_page(const std::map<std::string, std::string>& parameters) {
  const auto found = parameters.find("seite");
  if (found == parameters.end()) return 1;
  const auto number = text::parse_int(found->second);
  if (!number || *number < 1) return 1;
  return static_cast<std::size_t>(std::min<long long>(*number, static_cast<long long>(kMaxResultPage)));
}

// ---- Feeds and calendars ----

std::string absolute(const Call& call, const Services& services, std::string_view german_path) {
  return services.public_url + link(call, german_path);
}

std::string host_of(std::string_view url) {
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find('/'));
  return url.empty() ? "interkommunal" : std::string(url);
}

http::Response news_feed(Call& call, const Services& services, bool atom) {
  auto items = services.portal.list({.kind = portal::Kind::news, .limit = kFeedEntries});
  if (!items) return failure(call, services, items.error());
  const auto language = web::language_code(call.language);
  web::Feed feed{.title = std::string(call.text("search.feed_title")),
                 .description = std::string(call.text("search.feed_description")),
                 .language = std::string(language),
                 .page_url = absolute(call, services, "/aktuelles"),
                 .feed_url = absolute(call, services, atom ? "/aktuelles/feed.atom" : "/aktuelles/feed.rss"),
                 .author = std::string(call.text("search.feed_author"))};
  for (const auto& item : *items) {
    const auto url = absolute(call, services, item.path());
    const auto summary = item.summary.in(language).text;
    feed.entries.push_back({.id = url,
                            .url = url,
                            .title = std::string(item.title.in(language).text),
                            .summary = std::string(summary.empty() ? item.text.in(language).text : summary),
                            .published = item.published_at.value_or(item.created_at),
                            .updated = item.updated_at});
  }
  return atom ? http::Response::text(200, web::atom_feed(feed), "application/atom+xml; charset=utf-8")
              : http::Response::text(200, web::rss_feed(feed), "application/rss+xml; charset=utf-8");
}

web::CalendarEvent calendar_event(const Call& call, const Services& services, const portal::Item& item) {
  const auto language = web::language_code(call.language);
  const auto summary = item.summary.in(language).text;
  return {.uid = "termin-" + std::to_string(item.id) + "@" + host_of(services.public_url),
          .title = std::string(item.title.in(language).text),
          .description = std::string(summary.empty() ? item.text.in(language).text : summary),
          .location = std::string(item.location.in(language).text),
          .url = absolute(call, services, item.path()),
          .starts = item.starts,
          .ends = item.ends,
          .stamp = item.updated_at};
}

http::Response calendar_response(std::string body, const std::string& file_name) {
  auto response = http::Response::text(200, std::move(body), "text/calendar; charset=utf-8");
  response.set_header("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
  return response;
}

}  // namespace

http::Response search_page(Call& call, const Services& services) {
  const auto parameters = query_parameters(call);
  const auto found = parameters.find("q");
  const std::string query(found == parameters.end() ? std::string_view{} : text::trim(found->second));
  Html main;
  main.element("h1", {{"class", "kern-heading-x-large"}}, call.text("search.title"));
  main.element("p", {{"class", "kern-body"}}, call.text("search.hint"));
  web::search_form(main, call.language, query);
  if (query.empty()) {
    main.element("p", {{"class", "kern-body"}}, call.text("search.empty_query"));
    return page(call, services, std::string(call.text("search.title")), std::move(main));
  }
  if (auto refreshed = refresh_index(services); !refreshed) {
    // An older index still answers; only without any is the search unavailable.
    if (!services.search.built()) return failure(call, services, refreshed.error());
    spdlog::warn(R"("event":"search_refresh_failed","detail":"{}")", refreshed.error().detail);
  }
  const auto page_number = requested_page(parameters);
  auto results = services.search.search({.text = query,
                                         .edition = std::string(web::language_code(call.language)),
                                         .offset = (page_number - 1) * kResultsPerPage,
                                         .limit = kResultsPerPage});
  if (!results) return failure(call, services, results.error());
  if (results->total == 0) {
    main.element("p", {{"class", "kern-body kern-body--large"}, {"role", "status"}},
                 web::message_with(call.language, "search.no_results", {{"query", query}}));
  } else {
    main.nest("section", {{"aria-labelledby", "ergebnisse"}}, [&] {
      main.element("h2", {{"class", "kern-heading-medium"}, {"id", "ergebnisse"}}, call.text("search.results"));
      results_section(main, call, query, *results, page_number);
    });
  }
  return page(call, services, query + " – " + std::string(call.text("search.title")), std::move(main));
}

http::Response news_atom(Call& call, const Services& services) { return news_feed(call, services, true); }

http::Response news_rss(Call& call, const Services& services) { return news_feed(call, services, false); }

http::Response events_calendar(Call& call, const Services& services) {
  auto items = services.portal.list({.kind = portal::Kind::event});
  if (!items) return failure(call, services, items.error());
  std::vector<web::CalendarEvent> events;
  for (const auto& item : *items) events.push_back(calendar_event(call, services, item));
  return calendar_response(web::icalendar(call.text("search.calendar_name"), events), "termine.ics");
}

http::Response event_calendar(Call& call, const Services& services) {
  auto item = services.portal.published(portal::Kind::event, call.params["slug"]);
  if (!item) return failure(call, services, item.error());
  return calendar_response(web::icalendar(call.text("search.calendar_name"), {calendar_event(call, services, *item)}),
                           "termin-" + item->slug + ".ics");
}

http::Response sitemap(Call& call, const Services& services) {
  std::vector<web::SitemapPage> pages;
  const auto add = [&](const std::string& german_path, std::string last_modified = {}) {
    pages.push_back({.german_url = services.public_url + german_path,
                     .english_url = services.public_url + web::localized(web::Language::en, german_path),
                     .last_modified = std::move(last_modified)});
  };
  // Every public page without parameters, as the route table lists them.
  for (const auto& route : make_routes()) {
    if (route.method == http::Method::get && route.kind == RouteKind::page && route.name.starts_with("portal/") &&
        !route.access.needs_sign_in() && route.pattern.find('{') == std::string::npos) {
      add(route.pattern);
    }
  }
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  for (const auto& city : *cities) add("/mitgliedsstaedte/" + city.slug);
  auto texts = services.portal.published_texts();
  if (!texts) return failure(call, services, texts.error());
  std::set<std::string> listed;
  for (const auto& page : pages) listed.insert(page.german_url);
  for (const auto& text : *texts) {
    if (listed.contains(services.public_url + text.path)) continue;
    listed.insert(services.public_url + text.path);
    const auto day = std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{text.updated_at}});
    const std::chrono::year_month_day date{day};
    add(text.path, PreciseDate{static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())),
                               static_cast<int>(static_cast<unsigned>(date.day())), DatePrecision::day}
                       .iso());
  }
  return http::Response::text(200, web::sitemap(pages), "application/xml; charset=utf-8");
}

http::Response robots(Call&, const Services& services) {
  std::string body =
      "User-agent: *\n"
      "Disallow: /suche\nDisallow: /en/suche\n"
      "Disallow: /anmelden\nDisallow: /bereich\nDisallow: /konto/\nDisallow: /verwaltung/\nDisallow: /staedte/\n"
      "Disallow: /api/\n";
  body += "Sitemap: " + services.public_url + "/sitemap.xml\n";
  return http::Response::text(200, std::move(body));
}

}  // namespace ik::app
