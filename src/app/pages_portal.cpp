// The portal's editable public pages: news, events, partners and agreements, theme pages, the
// service pages (contact, legal notice, privacy, accessibility with its feedback form, easy
// language, sign language) and the files behind downloads.
#include <algorithm>
#include <set>

#include "app/frame.hpp"
#include "app/handlers.hpp"
#include "app/portal_view.hpp"
#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "portal/portal.hpp"
#include "web/forms.hpp"

namespace ik::app {
namespace {

using web::Html;

void heading(Html& html, const Call& call, const portal::Bilingual& title) {
  const auto text = shown(call, title);
  html.element("h1", {{"class", "kern-heading-x-large"}, lang_of(call, text)}, text.text);
}

void heading(Html& html, std::string_view text) { html.element("h1", {{"class", "kern-heading-x-large"}}, text); }

std::string title_of(const Call& call, const portal::Item& item) { return std::string(shown(call, item.title).text); }
std::string description_of(const Call& call, const portal::Item& item) {
  return std::string(shown(call, item.summary).text);
}

// One entry of a list of news or events: linked title, date, summary.
void teaser(Html& html, const Call& call, const portal::Item& item) {
  html.nest("li", {{"class", "publication-list__item"}}, [&] {
    const auto title = shown(call, item.title);
    html.nest("h3", {{"class", "kern-heading-small"}, lang_of(call, title)}, [&] {
      html.element("a", {{"class", "kern-link"}, {"href", link(call, item.path())}}, title.text);
    });
    html.element("p", {{"class", "kern-body kern-body--small"}},
                 item.kind == portal::Kind::event ? event_time(call, item) : item_date(call, item));
    const auto summary = shown(call, item.summary);
    if (!summary.text.empty()) html.element("p", {{"class", "kern-body"}, lang_of(call, summary)}, summary.text);
    if (item.kind == portal::Kind::event) {
      // Each event of the list straight into one's calendar; the title in the link text, since a
      // screen reader's list of links shows it without the heading above.
      html.nest("p", {{"class", "kern-body kern-body--small"}}, [&] {
        html.element("a", {{"class", "kern-link"}, {"href", link(call, "/termine/" + item.slug + "/kalender.ics")},
                           {"type", "text/calendar"}},
                     web::message_with(call.language, "events.calendar_item", {{"title", std::string(title.text)}}));
      });
    }
  });
}

// The iCalendar file of all upcoming events, on the list and on every event's page.
void calendar_all_link(Html& html, const Call& call) {
  html.nest("p", {}, [&] {
    html.element("a", {{"class", "kern-link"}, {"href", link(call, "/termine.ics")}, {"type", "text/calendar"}},
                 call.text("events.calendar_all"));
  });
}

void teaser_list(Html& html, const Call& call, const std::vector<portal::Item>& items) {
  html.nest("ul", {{"class", "publication-list"}}, [&] {
    for (const auto& item : items) teaser(html, call, item);
  });
}

// ?kategorie=…&jahr=… of the news archive; unknown or malformed values are ignored.
portal::Query news_query(const Call& call) {
  portal::Query query{.kind = portal::Kind::news};
  const auto parameters = query_parameters(call);
  if (const auto found = parameters.find("kategorie"); found != parameters.end() && found->second.size() <= 80) {
    query.category = found->second;
  }
  if (const auto found = parameters.find("jahr"); found != parameters.end()) {
    if (const auto year = text::parse_int(found->second); year && *year >= 2000 && *year <= 2100) {
      query.year = static_cast<int>(*year);
    }
  }
  return query;
}

void archive_links(Html& html, const Call& call, const std::vector<portal::Item>& all) {
  std::set<int, std::greater<>> years;
  std::set<std::string> categories;
  for (const auto& item : all) {
    const auto published = format_utc(item.published_at.value_or(item.created_at));
    years.insert(item.date ? item.date->year : static_cast<int>(text::parse_int(published.substr(0, 4)).value_or(0)));
    if (!item.category.empty()) categories.insert(item.category);
  }
  html.nest("nav", {{"aria-label", std::string(call.text("news.archive"))}, {"class", "news-archive"}}, [&] {
    html.element("h2", {{"class", "kern-heading-small"}}, call.text("news.archive"));
    html.nest("ul", {{"class", "kern-list"}}, [&] {
      html.nest("li", {}, [&] {
        html.element("a", {{"class", "kern-link"}, {"href", link(call, "/aktuelles")}}, call.text("news.all"));
      });
      for (const int year : years) {
        if (year == 0) continue;
        html.nest("li", {}, [&] {
          html.element("a", {{"class", "kern-link"}, {"href", link(call, "/aktuelles") + "?jahr=" + std::to_string(year)}},
                       std::to_string(year));
        });
      }
      for (const auto& category : categories) {
        html.nest("li", {}, [&] {
          html.element("a", {{"class", "kern-link"},
                             {"href", link(call, "/aktuelles") + "?kategorie=" + text::percent_encode(category)}},
                       web::message_with(call.language, "news.category", {{"category", category}}));
        });
      }
    });
  });
}

http::Response service_page(Call& call, const Services& services, std::string_view slug, Html extra = {}) {
  auto item = services.portal.published(portal::Kind::page, slug);
  if (!item) return failure(call, services, item.error());
  Html main;
  heading(main, call, item->title);
  item_view(main, call, *item);
  main.append(extra);
  return page(call, services, title_of(call, *item), std::move(main), description_of(call, *item));
}

struct FeedbackForm {
  std::string name, email, page, message;
};

Html feedback_form(Call& call, const FeedbackForm& form, const FormErrors& errors, bool sent) {
  Html html;
  html.element("h2", {{"class", "kern-heading-medium"}, {"id", "rueckmeldung"}}, call.text("portal.feedback_heading"));
  if (sent) web::alert(html, "success", std::string(call.text("portal.feedback_sent")));
  web::error_summary(html, call.language, errors.all());
  html.nest("form", {{"method", "post"}, {"action", link(call, "/barrierefreiheit")}, {"class", "kern-stack form-wide"},
                     web::flag("novalidate")}, [&] {
    web::csrf_field(html, call.csrf());
    textarea_field(html, "nachricht", std::string(call.text("portal.feedback_message")), form.message,
                   errors.at("nachricht"), std::string(call.text("portal.feedback_message_hint")), 6, true);
    web::input_field(html, {.name = "seite", .label = std::string(call.text("portal.feedback_page")), .value = form.page,
                            .error = errors.at("seite"), .hint = std::string(call.text("portal.feedback_page_hint")),
                            .max_length = 500});
    web::input_field(html, {.name = "name", .label = std::string(call.text("portal.feedback_name")), .value = form.name,
                            .error = errors.at("name"), .autocomplete = "name", .max_length = 200});
    web::input_field(html, {.name = "email", .label = std::string(call.text("portal.feedback_email")), .value = form.email,
                            .error = errors.at("email"), .hint = std::string(call.text("portal.feedback_email_hint")),
                            .type = "email", .autocomplete = "email", .max_length = 254});
    web::submit_row(html, call.text("portal.feedback_send"));
  });
  return html;
}

portal::Actor visitor(const Call& call) {
  return {call.principal != nullptr ? std::optional<std::int64_t>(call.principal->user_id) : std::nullopt,
          call.principal != nullptr ? call.principal->username : std::string("anonym"), call.request.request_id};
}

}  // namespace

http::Response news_page(Call& call, const Services& services) {
  const auto query = news_query(call);
  auto items = services.portal.list(query);
  if (!items) return failure(call, services, items.error());
  auto all = services.portal.list({.kind = portal::Kind::news});
  if (!all) return failure(call, services, all.error());
  Html main;
  heading(main, call.text("news.title"));
  if (query.year) {
    main.element("p", {{"class", "kern-body kern-body--large"}},
                 web::message_with(call.language, "news.year_heading", {{"year", std::to_string(*query.year)}}));
  } else if (!query.category.empty()) {
    main.element("p", {{"class", "kern-body kern-body--large"}},
                 web::message_with(call.language, "news.category", {{"category", query.category}}));
  }
  if (items->empty()) {
    main.element("p", {{"class", "kern-body"}}, call.text("news.none"));
  } else {
    teaser_list(main, call, *items);
  }
  archive_links(main, call, *all);
  return page(call, services, std::string(call.text("news.title")), std::move(main),
              std::string(call.text("news.description")));
}

http::Response news_item_page(Call& call, const Services& services) {
  auto item = services.portal.published(portal::Kind::news, call.params["slug"]);
  if (!item) return failure(call, services, item.error());
  Html main;
  heading(main, call, item->title);
  item_view(main, call, *item);
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/aktuelles")}}, call.text("news.back"));
  });
  return page(call, services, title_of(call, *item), std::move(main), description_of(call, *item), "article");
}

http::Response events_page(Call& call, const Services& services) {
  auto upcoming = services.portal.upcoming_events(100);
  if (!upcoming) return failure(call, services, upcoming.error());
  Html main;
  heading(main, call.text("events.title"));
  if (upcoming->empty()) {
    main.element("p", {{"class", "kern-body"}}, call.text("events.none"));
  } else {
    teaser_list(main, call, *upcoming);
  }
  calendar_all_link(main, call);
  return page(call, services, std::string(call.text("events.title")), std::move(main),
              std::string(call.text("events.description")));
}

http::Response event_page(Call& call, const Services& services) {
  auto item = services.portal.published(portal::Kind::event, call.params["slug"]);
  if (!item) return failure(call, services, item.error());
  Html main;
  heading(main, call, item->title);
  item_view(main, call, *item);
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/termine/" + item->slug + "/kalender.ics")},
                       {"type", "text/calendar"}},
                 call.text("events.calendar_one"));
  });
  calendar_all_link(main, call);
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/termine")}}, call.text("events.back"));
  });
  return page(call, services, title_of(call, *item), std::move(main), description_of(call, *item), "article");
}

http::Response partners_page(Call& call, const Services& services) {
  auto partners = services.portal.list({.kind = portal::Kind::partner});
  if (!partners) return failure(call, services, partners.error());
  auto agreements = services.portal.list({.kind = portal::Kind::agreement});
  if (!agreements) return failure(call, services, agreements.error());
  Html main;
  heading(main, call.text("portal.partners_title"));
  main.element("p", {{"class", "kern-body kern-body--large"}}, call.text("portal.partners_lead"));
  for (const std::string category : {"initiative", "wirtschaft", "verbaende", "wissenschaft"}) {
    std::vector<portal::Item> group;
    std::copy_if(partners->begin(), partners->end(), std::back_inserter(group),
                 [&](const portal::Item& partner) { return partner.category == category; });
    if (group.empty()) continue;
    main.element("h2", {{"class", "kern-heading-medium"}}, call.text("portal.partner_group_" + category));
    main.nest("ul", {{"class", "publication-list"}}, [&] {
      for (const auto& partner : group) {
        main.nest("li", {{"class", "publication-list__item"}, {"id", "partner-" + partner.slug}}, [&] {
          const auto title = shown(call, partner.title);
          main.element("h3", {{"class", "kern-heading-small"}, lang_of(call, title)}, title.text);
          item_view(main, call, partner);
          if (!partner.url.empty()) {
            main.nest("p", {}, [&] { main.element("a", {{"class", "kern-link"}, {"href", partner.url}}, partner.url); });
          }
        });
      }
    });
  }
  main.element("h2", {{"class", "kern-heading-medium"}}, call.text("portal.agreements_heading"));
  main.nest("ul", {{"class", "publication-list"}}, [&] {
    for (const auto& agreement : *agreements) {
      main.nest("li", {{"class", "publication-list__item"}, {"id", "vereinbarung-" + agreement.slug}}, [&] {
        const auto title = shown(call, agreement.title);
        main.element("h3", {{"class", "kern-heading-small"}, lang_of(call, title)}, title.text);
        item_view(main, call, agreement);
      });
    }
  });
  return page(call, services, std::string(call.text("portal.partners_title")), std::move(main),
              std::string(call.text("portal.partners_lead")));
}

http::Response theme_page(Call& call, const Services& services) {
  const auto& slug = call.params["slug"];
  auto themes = services.cooperation.themes();
  if (!themes) return failure(call, services, themes.error());
  auto goals = services.cooperation.action_goals();
  if (!goals) return failure(call, services, goals.error());
  std::optional<cooperation::Theme> found;
  bool is_goal = false;
  for (const auto& theme : *themes) {
    if (theme.slug == slug) found = theme;
  }
  for (const auto& goal : *goals) {
    if (!found && goal.slug == slug) {
      found = goal;
      is_goal = true;
    }
  }
  if (!found) return error_response(call, services, 404);
  auto news = services.portal.list({.kind = portal::Kind::news, .topic = slug});
  if (!news) return failure(call, services, news.error());
  auto documents = services.portal.list({.kind = portal::Kind::document, .topic = slug});
  if (!documents) return failure(call, services, documents.error());
  const auto title = call.language == web::Language::en && !found->title_en.empty() ? found->title_en : found->title_de;
  Html main;
  main.nest("div", {{"class", "kern-hgroup"}}, [&] {
    main.element("h1", {{"class", "kern-heading-x-large"}}, title);
    main.element("p", {{"class", "kern-subline"}}, call.text(is_goal ? "portal.action_goal" : "portal.focus"));
  });
  main.element("h2", {{"class", "kern-heading-medium"}}, call.text("portal.related_news"));
  if (news->empty()) {
    main.element("p", {{"class", "kern-body"}}, call.text("portal.nothing_related"));
  } else {
    teaser_list(main, call, *news);
  }
  main.element("h2", {{"class", "kern-heading-medium"}}, call.text("portal.related_documents"));
  if (documents->empty()) {
    main.element("p", {{"class", "kern-body"}}, call.text("portal.nothing_related"));
  } else {
    main.nest("ul", {{"class", "kern-list kern-list--bullet"}}, [&] {
      for (const auto& document : *documents) {
        const auto document_title = shown(call, document.title);
        main.nest("li", {lang_of(call, document_title)}, [&] {
          main.element("a", {{"class", "kern-link"}, {"href", link(call, "/publikationen")}}, document_title.text);
        });
      }
    });
  }
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/themen")}}, call.text("portal.all_themes"));
  });
  return page(call, services, title, std::move(main), std::string(call.text("themes.title")));
}

http::Response content_page(Call& call, const Services& services) {
  return service_page(call, services, call.params["slug"]);
}

http::Response contact_page(Call& call, const Services& services) { return service_page(call, services, "kontakt"); }
http::Response imprint_page(Call& call, const Services& services) { return service_page(call, services, "impressum"); }
http::Response privacy_page(Call& call, const Services& services) { return service_page(call, services, "datenschutz"); }
http::Response easy_language_page(Call& call, const Services& services) {
  return service_page(call, services, "leichte-sprache");
}

http::Response accessibility_page(Call& call, const Services& services) {
  const bool sent = query_parameters(call).contains("gesendet");
  return service_page(call, services, "barrierefreiheit", feedback_form(call, {}, {}, sent));
}

http::Response accessibility_feedback(Call& call, const Services& services) {
  const FeedbackForm form{call.field("name"), call.field("email"), call.field("seite"), call.field("nachricht")};
  auto submitted = services.portal.submit_feedback({.name = form.name, .email = form.email, .page = form.page,
                                                    .message = form.message},
                                                   visitor(call));
  if (submitted) return http::Response::redirect(link(call, "/barrierefreiheit") + "?gesendet=1#rueckmeldung");
  if (submitted.error().code != ErrorCode::invalid_input) return failure(call, services, submitted.error());
  FormErrors errors;
  errors.add(call, submitted.error());
  auto response = service_page(call, services, "barrierefreiheit", feedback_form(call, form, errors, false));
  if (response.status == 200) response.status = 422;
  return response;
}

http::Response sign_language_page(Call& call, const Services& services) {
  auto videos = services.portal.list({.kind = portal::Kind::video});
  if (!videos) return failure(call, services, videos.error());
  std::vector<portal::Item> ready;
  for (auto& video : *videos) {
    if (video.file && video.captions) ready.push_back(std::move(video));
  }
  // The page exists only once a captioned video does.
  if (ready.empty()) return error_response(call, services, 404);
  Html main;
  heading(main, call.text("portal.sign_language_title"));
  for (const auto& video : ready) {
    const auto title = shown(call, video.title);
    main.nest("section", {{"aria-labelledby", "video-" + video.slug}}, [&] {
      main.element("h2", {{"class", "kern-heading-medium"}, {"id", "video-" + video.slug}, lang_of(call, title)}, title.text);
      main.nest("video", {{"controls", "controls"}, {"preload", "metadata"}, {"class", "content-video"},
                          {"src", file_url(video.file->file)}}, [&] {
        main.empty("track", {{"kind", "captions"}, {"src", file_url(video.captions->file)}, {"srclang", "de"},
                             {"label", std::string(call.text("portal.captions"))}, web::flag("default")});
      });
      const auto summary = shown(call, video.summary);
      if (!summary.text.empty()) main.element("p", {{"class", "kern-body"}, lang_of(call, summary)}, summary.text);
    });
  }
  return page(call, services, std::string(call.text("portal.sign_language_title")), std::move(main),
              std::string(call.text("portal.sign_language_title")));
}

// Stored uploads by their SHA-256. The public gets only files a published item refers to; the
// office and admin (signed in) get every stored file, for previews in /redaktion. Unknown or not
// public: the normal 404. The bytes never change, but whether a file is public does (unpublish),
// so caches revalidate every time (cheap: the ETag is the hash) and a file the public may not see
// is not stored by any cache. Office files are saved, the rest (PDF, images, video, captions)
// shown in the browser, under a name that is safe in a header.
http::Response file_download(Call& call, const Services& services) {
  const auto& sha256 = call.params["sha256"];
  auto file = services.portal.stored_file(sha256);
  std::string cache_control = "public, no-cache";
  if (!file && file.error().code == ErrorCode::not_found &&
      auth::Access::roles({auth::Role::office, auth::Role::admin}).permits(call.principal, std::nullopt)) {
    file = services.portal.stored_file(sha256, portal::FileVisibility::any);
    cache_control = "private, no-store";
  }
  if (!file) return failure(call, services, file.error());
  const auto etag = "\"" + file->sha256 + "\"";
  if (call.request.header("if-none-match") == etag) {
    http::Response not_modified;
    not_modified.status = 304;
    not_modified.set_header("ETag", etag);
    not_modified.set_header("Cache-Control", cache_control);
    return not_modified;
  }
  auto bytes = services.portal.file_bytes(*file);
  if (!bytes) return failure(call, services, bytes.error());
  const bool office = file->media_type.starts_with("application/vnd.openxmlformats");
  auto response = http::Response::text(200, std::move(*bytes), file->media_type);
  response.set_header("Content-Disposition",
                      std::string(office ? "attachment" : "inline") + "; filename=\"" + file->file_name + "\"");
  response.set_header("ETag", etag);
  response.set_header("Cache-Control", cache_control);
  return response;
}

}  // namespace ik::app
