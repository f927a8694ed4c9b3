#include <algorithm>

#include "app/frame.hpp"
#include "app/handlers.hpp"
#include "app/portal_view.hpp"
#include "auth/auth.hpp"
#include "cooperation/cooperation.hpp"
#include "portal/portal.hpp"
#include "web/html.hpp"

namespace ik::app {
namespace {

using web::Html;
using web::flag;

std::string membership_phrase(const Call& call, const cooperation::Membership& membership) {
  const auto language = web::language_code(call.language);
  std::string phrase(call.text(membership.status == cooperation::MembershipStatus::guest ? "cities.status_guest"
                                                                                         : "cities.status_member"));
  phrase += " " + web::message_with(call.language, "cities.since", {{"date", format_date(membership.since, language)}});
  if (membership.until) {
    phrase += ", " + web::message_with(call.language, "cities.until", {{"date", format_date(*membership.until, language)}});
  }
  return phrase;
}

void membership_list(Html& html, const Call& call, const cooperation::City& city) {
  html.nest("ul", {{"class", "kern-list"}}, [&] {
    for (const auto& membership : city.memberships) {
      html.nest("li", {}, [&] {
        html.text(membership_phrase(call, membership));
        const auto& note = pick(call, membership.note_de, membership.note_en);
        if (!note.empty()) html.element("span", {{"class", "kern-body kern-body--small city-note"}}, " – " + note);
      });
    }
  });
}

void heading(Html& html, std::string_view text) { html.element("h1", {{"class", "kern-heading-x-large"}}, text); }
void subheading(Html& html, std::string_view text) { html.element("h2", {{"class", "kern-heading-medium"}}, text); }

// A schematic picture with an accessible name and description; the list after it carries the
// same facts and the links, so the picture itself holds nothing interactive.
void city_map(Html& html, const Call& call, const std::vector<cooperation::City>& cities) {
  html.nest("figure", {{"class", "city-map"}}, [&] {
    html.nest("svg", {{"xmlns", "http://www.w3.org/2000/svg"}, {"viewBox", "0 18 100 70"}, {"role", "img"},
                      {"aria-labelledby", "karte-titel karte-beschreibung"}, {"class", "city-map__svg"}}, [&] {
      html.element("title", {{"id", "karte-titel"}}, call.text("cities.map_title"));
      html.element("desc", {{"id", "karte-beschreibung"}}, call.text("cities.map_description"));
      for (const auto& city : cities) {
        html.empty("circle", {{"cx", std::to_string(city.map_x)}, {"cy", std::to_string(city.map_y)}, {"r", "2.6"},
                              {"class", "city-map__dot"}});
        html.element("text", {{"x", std::to_string(city.map_x)}, {"y", std::to_string(city.map_y + 7)},
                              {"class", "city-map__label"}, {"text-anchor", "middle"}},
                     city.name);
      }
    });
    html.element("figcaption", {{"class", "kern-body kern-body--small"}}, call.text("cities.map_title"));
  });
}

template <class Items, class Render>
void bullet_list(Html& html, const Items& items, Render render) {
  html.nest("ul", {{"class", "kern-list kern-list--bullet"}}, [&] {
    for (const auto& item : items) html.nest("li", {}, [&] { render(item); });
  });
}

void timeline(Html& html, const Call& call, const std::vector<cooperation::Milestone>& milestones) {
  html.nest("ol", {{"class", "timeline"}}, [&] {
    for (const auto& milestone : milestones) {
      html.nest("li", {{"class", "timeline__item"}}, [&] {
        html.element("time", {{"class", "timeline__date"}, {"datetime", milestone.date.iso()}},
                     format_date(milestone.date, web::language_code(call.language)));
        html.element("h3", {{"class", "kern-heading-small"}}, pick(call, milestone.title_de, milestone.title_en));
        html.element("p", {{"class", "kern-body"}}, pick(call, milestone.description_de, milestone.description_en));
      });
    }
  });
}

// A document's description and its current file (type and size), if any.
void document_details(Html& html, const Call& call, const portal::Item& document) {
  const auto summary = shown(call, document.summary);
  if (!summary.text.empty()) html.element("p", {{"class", "kern-body"}, lang_of(call, summary)}, summary.text);
  if (!document.file) return;
  html.nest("p", {{"class", "kern-body"}}, [&] {
    html.element("a", {{"class", "kern-link"}, {"href", file_url(document.file->file)}},
                 web::message_with(call.language, "portal.download",
                                   {{"title", std::string(shown(call, document.title).text)},
                                    {"type", file_description(call, document.file->file)}}));
  });
}

// Latest news or next events on the start page: linked titles with their dates.
void short_list(Html& html, const Call& call, const std::vector<portal::Item>& items, std::string_view empty_key) {
  if (items.empty()) {
    html.element("p", {{"class", "kern-body"}}, call.text(empty_key));
    return;
  }
  html.nest("ul", {{"class", "publication-list"}}, [&] {
    for (const auto& item : items) {
      html.nest("li", {{"class", "publication-list__item"}}, [&] {
        const auto title = shown(call, item.title);
        html.nest("h3", {{"class", "kern-heading-small"}, lang_of(call, title)}, [&] {
          html.element("a", {{"class", "kern-link"}, {"href", link(call, item.path())}}, title.text);
        });
        html.element("p", {{"class", "kern-body kern-body--small"}},
                     item.kind == portal::Kind::event ? event_time(call, item) : item_date(call, item));
      });
    }
  });
}

void entry_points(Html& html, const Call& call) {
  html.nest("ul", {{"class", "kern-list kern-list--bullet"}}, [&] {
    for (const auto& [path, key] : {std::pair<std::string_view, std::string_view>{"/zahlen", "figures.title"},
                                    {"/publikationen", "portal.entry_publications"},
                                    {"/aktuelles", "portal.entry_news"},
                                    {"/termine", "portal.entry_events"},
                                    {"/partner", "portal.entry_partners"},
                                    {"/themen", "portal.entry_themes"}}) {
      html.nest("li", {}, [&] { html.element("a", {{"class", "kern-link"}, {"href", link(call, path)}}, call.text(key)); });
    }
  });
}

}  // namespace

http::Response home_page(Call& call, const Services& services) {
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  auto milestones = services.cooperation.milestones();
  if (!milestones) return failure(call, services, milestones.error());
  auto publications = services.cooperation.publications();
  if (!publications) return failure(call, services, publications.error());
  auto news = services.portal.list({.kind = portal::Kind::news, .limit = 3});
  if (!news) return failure(call, services, news.error());
  auto events = services.portal.upcoming_events(3);
  if (!events) return failure(call, services, events.error());

  Html main;
  main.nest("div", {{"class", "kern-hgroup"}}, [&] {
    main.element("h1", {{"class", "kern-heading-x-large"}}, call.text("site.motto"));
    main.element("p", {{"class", "kern-subline"}}, call.text("site.name"));
  });
  main.element("p", {{"class", "kern-body kern-body--large"}}, call.text("home.lead"));
  subheading(main, call.text("home.goals_heading"));
  main.nest("ol", {{"class", "kern-list kern-list--number"}}, [&] {
    main.element("li", call.text("home.goal_1"));
    main.element("li", call.text("home.goal_2"));
  });
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/kooperation")}}, call.text("home.more_cooperation"));
  });
  subheading(main, call.text("portal.home_news"));
  short_list(main, call, *news, "news.none");
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/aktuelles")}}, call.text("portal.home_all_news"));
  });
  subheading(main, call.text("portal.home_events"));
  short_list(main, call, *events, "events.none");
  subheading(main, call.text("portal.home_entry_points"));
  entry_points(main, call);
  main.nest("section", {{"class", "easy-language"}, {"aria-labelledby", "leichte-sprache"}, {"lang", "de"}}, [&] {
    // Leichte Sprache is German by definition: the same text on the English page, marked German.
    const auto german = [](std::string_view key) { return web::message(web::Language::de, key); };
    main.element("h2", {{"class", "kern-heading-medium"}, {"id", "leichte-sprache"}}, german("portal.easy_language_heading"));
    main.element("p", {{"class", "kern-body"}}, german("portal.home_easy_1"));
    main.element("p", {{"class", "kern-body"}}, german("portal.home_easy_2"));
    main.nest("p", {}, [&] {
      main.element("a", {{"class", "kern-link"}, {"href", link(call, "/leichte-sprache")}}, german("portal.home_easy_more"));
    });
  });
  subheading(main, call.text("home.cities_heading"));
  bullet_list(main, *cities, [&](const cooperation::City& city) {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/mitgliedsstaedte/" + city.slug)}}, city.name);
  });
  subheading(main, call.text("home.milestones_heading"));
  std::vector<cooperation::Milestone> latest(milestones->end() - std::min<std::ptrdiff_t>(3, static_cast<std::ptrdiff_t>(milestones->size())),
                                             milestones->end());
  std::reverse(latest.begin(), latest.end());
  timeline(main, call, latest);
  subheading(main, call.text("home.publications_heading"));
  bullet_list(main, *publications, [&](const cooperation::Publication& publication) {
    main.text(pick(call, publication.title_de, publication.title_en));
  });
  return page(call, services, std::string(call.text("home.title")), std::move(main));
}

http::Response cooperation_page(Call& call, const Services& services) {
  auto milestones = services.cooperation.milestones();
  if (!milestones) return failure(call, services, milestones.error());
  auto bodies = services.cooperation.bodies();
  if (!bodies) return failure(call, services, bodies.error());
  Html main;
  heading(main, call.text("cooperation.title"));
  main.element("p", {{"class", "kern-body kern-body--large"}}, call.text("cooperation.contract"));
  main.element("p", {{"class", "kern-body"}}, call.text("cooperation.aim"));
  subheading(main, call.text("cooperation.how_heading"));
  bullet_list(main, *bodies, [&](const cooperation::Body& body) {
    main.element("strong", pick(call, body.name_de, body.name_en));
    main.text(": " + pick(call, body.tasks_de, body.tasks_en));
  });
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/gremien")}}, call.text("nav.bodies"));
  });
  subheading(main, call.text("cooperation.timeline_heading"));
  timeline(main, call, *milestones);
  return page(call, services, std::string(call.text("cooperation.title")), std::move(main));
}

http::Response cities_page(Call& call, const Services& services) {
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  Html main;
  heading(main, call.text("cities.title"));
  main.element("p", {{"class", "kern-body kern-body--large"}}, call.text("cities.lead"));
  city_map(main, call, *cities);
  main.nest("ul", {{"class", "city-list"}}, [&] {
    for (const auto& city : *cities) {
      main.nest("li", {{"class", "city-list__item"}}, [&] {
        main.nest("h2", {{"class", "kern-heading-small"}}, [&] {
          main.element("a", {{"class", "kern-link"}, {"href", link(call, "/mitgliedsstaedte/" + city.slug)}}, city.name);
        });
        membership_list(main, call, city);
      });
    }
  });
  return page(call, services, std::string(call.text("cities.title")), std::move(main));
}

http::Response city_page(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["slug"]);
  if (!city) return failure(call, services, city.error());
  Html main;
  heading(main, city->name);
  subheading(main, call.text("cities.membership"));
  membership_list(main, call, *city);
  subheading(main, call.text("cities.ki_contact"));
  if (city->ki_name.empty() && city->ki_contact.empty() && city->ki_url.empty()) {
    main.element("p", {{"class", "kern-body"}}, call.text("cities.ki_not_filled"));
  } else {
    main.nest("p", {{"class", "kern-body"}}, [&] {
      if (!city->ki_name.empty()) main.element("strong", city->ki_name);
      if (!city->ki_contact.empty()) main.empty("br").text(city->ki_contact);
      if (!city->ki_url.empty()) {
        main.empty("br");
        main.element("a", {{"class", "kern-link"}, {"href", city->ki_url}}, city->ki_url);
      }
    });
  }
  main.nest("p", {{"class", "kern-body"}}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/zahlen/staedte/" + city->slug)}},
                 web::message_with(call.language, "figures.city_profile_link", {{"city", city->name}}));
  });
  const bool insider = call.principal != nullptr &&
                       (call.principal->sees_all_cities() ||
                        std::ranges::count(call.principal->own_cities(), city->id) > 0);
  if (insider) {
    main.nest("p", {}, [&] {
      main.element("a", {{"class", "kern-link"}, {"href", link(call, "/staedte/" + city->slug + "/intern")}},
                   call.text("cities.internal_page"));
    });
  }
  return page(call, services, city->name, std::move(main));
}

http::Response themes_page(Call& call, const Services& services) {
  auto themes = services.cooperation.themes();
  if (!themes) return failure(call, services, themes.error());
  auto goals = services.cooperation.action_goals();
  if (!goals) return failure(call, services, goals.error());
  Html main;
  heading(main, call.text("themes.title"));
  subheading(main, call.text("cooperation.themes_heading"));
  bullet_list(main, *themes, [&](const cooperation::Theme& theme) {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/themen/" + theme.slug)}}, pick(call, theme.title_de, theme.title_en));
  });
  subheading(main, call.text("cooperation.goals_heading"));
  main.nest("ol", {{"class", "kern-list kern-list--number"}}, [&] {
    for (const auto& goal : *goals) {
      main.nest("li", {}, [&] {
        main.element("a", {{"class", "kern-link"}, {"href", link(call, "/themen/" + goal.slug)}}, pick(call, goal.title_de, goal.title_en));
      });
    }
  });
  return page(call, services, std::string(call.text("themes.title")), std::move(main));
}

http::Response bodies_page(Call& call, const Services& services) {
  auto bodies = services.cooperation.bodies();
  if (!bodies) return failure(call, services, bodies.error());
  auto members = services.portal.list({.kind = portal::Kind::member});
  if (!members) return failure(call, services, members.error());
  Html main;
  heading(main, call.text("bodies.title"));
  for (const auto& body : *bodies) {
    main.nest("section", {{"aria-labelledby", "gremium-" + body.slug}}, [&] {
      main.element("h2", {{"class", "kern-heading-medium"}, {"id", "gremium-" + body.slug}}, pick(call, body.name_de, body.name_en));
      main.element("h3", {{"class", "kern-heading-small"}}, call.text("bodies.composition"));
      main.element("p", {{"class", "kern-body"}}, pick(call, body.composition_de, body.composition_en));
      main.element("h3", {{"class", "kern-heading-small"}}, call.text("bodies.tasks"));
      main.element("p", {{"class", "kern-body"}}, pick(call, body.tasks_de, body.tasks_en));
      // Only people who agreed to be named are published (the office publishes each one).
      std::vector<portal::Item> named;
      for (const auto& member : *members) {
        if (member.category == body.slug) named.push_back(member);
      }
      if (named.empty()) return;
      main.element("h3", {{"class", "kern-heading-small"}}, call.text("portal.members"));
      main.nest("ul", {{"class", "kern-list"}}, [&] {
        for (const auto& member : named) {
          const auto function = shown(call, member.summary);
          main.nest("li", {}, [&] {
            main.text(member.title.de);
            if (!function.text.empty()) main.element("span", {lang_of(call, function)}, " – " + std::string(function.text));
          });
        }
      });
    });
  }
  return page(call, services, std::string(call.text("bodies.title")), std::move(main));
}

http::Response publications_page(Call& call, const Services& services) {
  auto publications = services.cooperation.publications();
  if (!publications) return failure(call, services, publications.error());
  auto documents = services.portal.list({.kind = portal::Kind::document});
  if (!documents) return failure(call, services, documents.error());
  // A document with a publication's slug carries that publication's description and files.
  const auto document_for = [&](std::string_view slug) -> const portal::Item* {
    for (const auto& document : *documents) {
      if (document.slug == slug) return &document;
    }
    return nullptr;
  };
  Html main;
  heading(main, call.text("publications.title"));
  main.element("p", {{"class", "kern-body kern-body--large"}}, call.text("publications.lead"));
  main.nest("ul", {{"class", "publication-list"}}, [&] {
    for (const auto& publication : *publications) {
      main.nest("li", {{"class", "publication-list__item"}}, [&] {
        main.element("h2", {{"class", "kern-heading-small"}}, pick(call, publication.title_de, publication.title_en));
        main.nest("p", {{"class", "kern-body kern-body--small"}}, [&] {
          if (!publication.series.empty()) {
            main.text(web::message_with(call.language, "publications.series", {{"series", publication.series}}));
          }
          if (publication.published) {
            if (!publication.series.empty()) main.text(" · ");
            main.element("time", {{"datetime", publication.published->iso()}},
                         format_date(*publication.published, web::language_code(call.language)));
          }
          main.text(" · " + web::message_with(call.language, "portal.document_language",
                                              {{"language", std::string(call.text("portal.language_" + std::string(publication.language == "en" ? "en" : "de")))}}));
        });
        if (const auto* document = document_for(publication.slug)) document_details(main, call, *document);
      });
    }
    for (const auto& document : *documents) {
      const bool of_publication = std::any_of(publications->begin(), publications->end(),
                                              [&](const cooperation::Publication& publication) { return publication.slug == document.slug; });
      if (of_publication) continue;
      main.nest("li", {{"class", "publication-list__item"}}, [&] {
        const auto title = shown(call, document.title);
        main.element("h2", {{"class", "kern-heading-small"}, lang_of(call, title)}, title.text);
        main.nest("p", {{"class", "kern-body kern-body--small"}}, [&] {
          std::string facts;
          if (!document.series.empty()) facts = web::message_with(call.language, "publications.series", {{"series", document.series}}) + " · ";
          if (document.date) facts += format_date(*document.date, web::language_code(call.language)) + " · ";
          facts += web::message_with(call.language, "portal.document_language",
                                     {{"language", std::string(call.text("portal.language_" + std::string(document.language == "en" ? "en" : "de")))}});
          main.text(facts);
        });
        document_details(main, call, document);
      });
    }
  });
  return page(call, services, std::string(call.text("publications.title")), std::move(main));
}

http::Response city_internal_page(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["city"]);
  if (!city) return failure(call, services, city.error());
  auto note = services.cooperation.internal_note(city->id);
  if (!note) return failure(call, services, note.error());
  auto users = services.auth.list_users();
  if (!users) return failure(call, services, users.error());
  Html main;
  heading(main, city->name + " – " + std::string(call.text("cities.internal_page")));
  subheading(main, call.text("cities.internal_note"));
  main.element("p", {{"class", "kern-body city-internal-note"}}, note->empty() ? std::string(call.text("cities.no_internal_note")) : *note);
  subheading(main, call.text("cities.people"));
  main.nest("ul", {{"class", "kern-list"}}, [&] {
    for (const auto& user : *users) {
      for (const auto& grant : user.grants) {
        if (grant.city != city->id) continue;
        main.element("li", user.display_name + " – " + std::string(call.text("role." + std::string(auth::role_name(grant.role)))));
      }
    }
  });
  return page(call, services, city->name, std::move(main));
}

}  // namespace ik::app
