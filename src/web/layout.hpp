// The page frame shared by every HTML page: skip link, header with navigation and language
// switch, <main>, footer. Pages give their content as an Html fragment; the frame is the same
// for the public portal and the signed-in area.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/html.hpp"
#include "web/messages.hpp"

namespace ik::web {

class Assets;

struct NavLink {
  std::string label;
  std::string href;
};

// The signed-in person, as the frame shows them.
struct Viewer {
  std::string display_name;
  std::vector<NavLink> links;  // their area, administration … (already filtered by permission)
};

struct Page {
  Language language = Language::de;
  std::string title;        // the page's own title; the site name is appended
  std::string path;         // the German path of this page ("/mitgliedsstaedte"), for the nav
                            // highlight and the language switch
  std::optional<Viewer> viewer;
  std::string csrf_token;   // for the sign-out form
  Html main;                // the content of <main>
  // Optional, for link previews and search engines: the absolute address of this page (canonical
  // link and og:url; nothing when empty), a one-sentence description and the Open Graph type.
  std::string canonical_url;
  std::string description;
  std::string og_type = "website";
};

// "/mitgliedsstaedte" → "/en/mitgliedsstaedte" for English; unchanged for German.
std::string localized(Language language, std::string_view german_path);

std::string render_page(const Page& page, const Assets& assets);

// The German (or English) error page for `status`, with the request id for enquiries. Never
// shows internals. `message_key` overrides the standard text (e.g. "error.text_403_csrf").
std::string render_error_page(Language language, int status, std::string_view request_id,
                              const Assets& assets, std::string_view message_key = {});

// The site search form (a GET to /suche, or /en/suche) with `query` filled in; shown on the search
// page and on the 404 page.
void search_form(Html& html, Language language, std::string_view query = {});

}  // namespace ik::web
