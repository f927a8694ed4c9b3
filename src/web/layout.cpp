#include "web/layout.hpp"

#include <array>

#include "web/assets.hpp"
#include "web/forms.hpp"

namespace ik::web {
namespace {

struct PublicSection {
  std::string_view path;
  std::string_view key;
};

constexpr std::array<PublicSection, 10> kSections{{
    {"/", "nav.home"},
    {"/kooperation", "nav.cooperation"},
    {"/mitgliedsstaedte", "nav.cities"},
    {"/zahlen", "nav.figures"},
    {"/themen", "nav.themes"},
    {"/gremien", "nav.bodies"},
    {"/partner", "nav.partners"},
    {"/aktuelles", "portal.nav_news"},
    {"/termine", "portal.nav_events"},
    {"/publikationen", "nav.publications"},
}};

// The portal's service pages, linked from every page's footer.
constexpr std::array<PublicSection, 5> kFooterLinks{{
    {"/kontakt", "portal.footer_contact"},
    {"/impressum", "portal.footer_imprint"},
    {"/datenschutz", "portal.footer_privacy"},
    {"/barrierefreiheit", "portal.footer_accessibility"},
    {"/leichte-sprache", "portal.footer_easy_language"},
}};

bool is_current(std::string_view section, std::string_view path) {
  if (section == "/") return path == "/";
  return path == section || (path.starts_with(section) && path[section.size()] == '/');
}

void head(Html& html, const Page& page, const Assets& assets) {
  html.nest("head", {}, [&] {
    html.empty("meta", {{"charset", "utf-8"}});
    html.empty("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
    html.element("title", page.title + " – " + std::string(message(page.language, "site.name")));
    html.empty("link", {{"rel", "stylesheet"}, {"href", assets.url("kern.css")}});
    html.empty("link", {{"rel", "stylesheet"}, {"href", assets.url("site.css")}});
    if (assets.contains("favicon.svg")) {
      html.empty("link", {{"rel", "icon"}, {"type", "image/svg+xml"}, {"href", assets.url("favicon.svg")}});
    }
    // The one script: it refuses a file over the limit at its field before the browser sends
    // it (input_field with max_bytes) and shows the upload's progress. Without it the server
    // still refuses such a file.
    if (page.main.str().find(" data-max-bytes=\"") != std::string::npos && assets.contains("upload-check.js")) {
      html.element("script",
                   {{"src", assets.url("upload-check.js")},
                    flag("defer"),
                    {"data-sending", std::string(message(page.language, "upload.progress_sending"))},
                    {"data-checking", std::string(message(page.language, "upload.progress_checking"))},
                    {"data-failed", std::string(message(page.language, "upload.progress_failed"))}},
                   "");
    }
    const auto other = page.language == Language::de ? Language::en : Language::de;
    html.empty("link", {{"rel", "alternate"},
                        {"hreflang", std::string(language_code(other))},
                        {"href", localized(other, page.path)}});
    // Feed readers and browsers find the news feeds from any page.
    html.empty("link", {{"rel", "alternate"},
                        {"type", "application/atom+xml"},
                        {"title", std::string(message(page.language, "search.feed_title"))},
                        {"href", localized(page.language, "/aktuelles/feed.atom")}});
    html.empty("link", {{"rel", "alternate"},
                        {"type", "application/rss+xml"},
                        {"title", std::string(message(page.language, "search.feed_title"))},
                        {"href", localized(page.language, "/aktuelles/feed.rss")}});
    if (!page.description.empty()) html.empty("meta", {{"name", "description"}, {"content", page.description}});
    if (!page.canonical_url.empty()) {
      html.empty("link", {{"rel", "canonical"}, {"href", page.canonical_url}});
      html.empty("meta", {{"property", "og:url"}, {"content", page.canonical_url}});
      html.empty("meta", {{"property", "og:type"}, {"content", page.og_type}});
      html.empty("meta", {{"property", "og:title"}, {"content", page.title}});
      html.empty("meta", {{"property", "og:site_name"}, {"content", std::string(message(page.language, "site.name"))}});
      html.empty("meta", {{"property", "og:locale"}, {"content", page.language == Language::de ? "de_DE" : "en_GB"}});
      if (!page.description.empty()) html.empty("meta", {{"property", "og:description"}, {"content", page.description}});
    }
  });
}

void site_header(Html& html, const Page& page) {
  const auto language = page.language;
  html.nest("header", {{"class", "site-header"}}, [&] {
    html.nest("div", {{"class", "kern-container site-header__bar"}}, [&] {
      html.nest("a", {{"class", "site-brand"}, {"href", localized(language, "/")}}, [&] {
        html.element("span", {{"class", "site-brand__name"}}, message(language, "site.name"));
        html.element("span", {{"class", "site-brand__motto"}}, message(language, "site.motto"));
      });
      html.nest("div", {{"class", "site-header__tools"}}, [&] {
        const auto other = language == Language::de ? Language::en : Language::de;
        html.element("a", {{"class", "kern-link"},
                           {"href", localized(other, page.path)},
                           {"hreflang", std::string(language_code(other))},
                           {"lang", std::string(language_code(other))},
                           {"aria-label", std::string(message(language, "site.language_switch_label"))}},
                     message(language, "site.language_switch"));
        if (!page.viewer) {
          html.element("a", {{"class", "kern-link"}, {"href", localized(language, "/anmelden")}},
                       message(language, "nav.sign_in"));
        }
      });
    });
    html.nest("nav", {{"class", "site-nav"}, {"aria-label", std::string(message(language, "site.main_navigation"))}}, [&] {
      html.nest("ul", {{"class", "kern-container site-nav__list"}}, [&] {
        for (const auto& section : kSections) {
          const bool current = is_current(section.path, page.path);
          html.nest("li", {}, [&] {
            html.element("a", {{"class", current ? "site-nav__link site-nav__link--current" : "site-nav__link"},
                               {"href", localized(language, section.path)},
                               current ? Attribute{"aria-current", "page"} : flag("aria-current", false)},
                         message(language, section.key));
          });
        }
      });
    });
    if (page.viewer) {
      html.nest("nav", {{"class", "site-account"}, {"aria-label", std::string(message(language, "site.account_navigation"))}}, [&] {
        html.nest("div", {{"class", "kern-container site-account__bar"}}, [&] {
          html.element("span", {{"class", "site-account__name"}},
                       message_with(language, "site.signed_in_as", {{"name", page.viewer->display_name}}));
          html.nest("ul", {{"class", "site-account__links"}}, [&] {
            for (const auto& link : page.viewer->links) {
              const bool current = link.href == localized(language, page.path);
              html.nest("li", {}, [&] {
                html.element("a", {{"class", "kern-link"}, {"href", link.href},
                                   current ? Attribute{"aria-current", "page"} : flag("aria-current", false)},
                             link.label);
              });
            }
            html.nest("li", {}, [&] {
              html.nest("form", {{"method", "post"}, {"action", localized(language, "/abmelden")}, {"class", "site-account__logout"}}, [&] {
                csrf_field(html, page.csrf_token);
                submit_button(html, message(language, "nav.sign_out"), "tertiary", "x-small");
              });
            });
          });
        });
      });
    }
  });
}

void site_footer(Html& html, Language language) {
  html.nest("footer", {{"class", "site-footer"}}, [&] {
    html.nest("div", {{"class", "kern-container"}}, [&] {
      html.element("p", {{"class", "kern-body"}}, message(language, "site.footer_text"));
      html.nest("nav", {{"aria-label", std::string(message(language, "portal.footer_navigation"))}}, [&] {
        html.nest("ul", {{"class", "site-footer__links"}}, [&] {
          for (const auto& footer_link : kFooterLinks) {
            html.nest("li", {}, [&] {
              html.element("a", {{"class", "kern-link"}, {"href", localized(language, footer_link.path)}},
                           message(language, footer_link.key));
            });
          }
        });
      });
      html.element("p", {{"class", "kern-body kern-body--small"}}, message(language, "site.motto"));
    });
  });
}

}  // namespace

std::string localized(Language language, std::string_view german_path) {
  if (language == Language::de) return std::string(german_path);
  if (german_path == "/") return "/en/";
  return "/en" + std::string(german_path);
}

std::string render_page(const Page& page, const Assets& assets) {
  Html html;
  html.doctype();
  html.nest("html", {{"lang", std::string(language_code(page.language))}}, [&] {
    head(html, page, assets);
    html.nest("body", {{"class", "site"}}, [&] {
      html.element("a", {{"class", "site-skip-link"}, {"href", "#inhalt"}},
                   message(page.language, "site.skip_to_content"));
      site_header(html, page);
      html.nest("main", {{"id", "inhalt"}, {"class", "kern-container site-main"}, {"tabindex", "-1"}}, [&] {
        html.append(page.main);
      });
      site_footer(html, page.language);
    });
  });
  return std::move(html).take();
}

std::string render_error_page(Language language, int status, std::string_view request_id,
                              const Assets& assets, std::string_view message_key) {
  const auto code = std::to_string(status);
  Page page;
  page.language = language;
  page.path = "/";
  page.title = std::string(message(language, "error.title_" + code));
  page.main.element("h1", {{"class", "kern-heading-large"}}, page.title);
  const std::string text_key = message_key.empty() ? "error.text_" + code : std::string(message_key);
  page.main.element("p", {{"class", "kern-body kern-body--large"}}, message(language, text_key));
  if (!request_id.empty()) {
    page.main.element("p", {{"class", "kern-body kern-body--small"}},
                      message_with(language, "error.reference", {{"id", request_id}}));
  }
  if (status == 404) {
    page.main.element("p", {{"class", "kern-body"}}, message(language, "search.not_found_offer"));
    search_form(page.main, language);
  }
  page.main.nest("p", {}, [&] {
    page.main.element("a", {{"class", "kern-link"}, {"href", localized(language, "/")}},
                      message(language, "error.back_home"));
  });
  return render_page(page, assets);
}

void search_form(Html& html, Language language, std::string_view query) {
  html.nest("form", {{"class", "search-form"}, {"role", "search"}, {"method", "get"},
                     {"action", localized(language, "/suche")}},
            [&] {
              input_field(html, {.name = "q", .label = std::string(message(language, "search.label")),
                                 .value = std::string(query), .type = "search", .max_length = 200});
              submit_row(html, message(language, "search.submit"));
            });
}

}  // namespace ik::web
