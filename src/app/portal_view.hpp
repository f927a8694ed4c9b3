// What the public portal pages and the editorial back office both show of a content item: its
// texts with the right lang attribute, dates, files and rendered Markdown.
#pragma once

#include <string>

#include "app/site.hpp"
#include "portal/portal.hpp"
#include "web/html.hpp"

namespace ik::app {

// The item's text in the call's language (German when English is missing).
portal::Bilingual::Shown shown(const Call& call, const portal::Bilingual& text);
// A lang attribute when the text is not in the page's language, else nothing.
web::Attribute lang_of(const Call& call, const portal::Bilingual::Shown& text);

// "12. Mai 2026, 10:00 Uhr" / "12 May 2026, 10:00" for an event's local start/end.
std::string event_time(const Call& call, const portal::Item& event);
// The date an item shows: its own date, else the day of its publication.
std::string item_date(const Call& call, const portal::Item& item);
// "PDF, 1,2 MB"
std::string file_description(const Call& call, const portal::StoredFile& file);
// The address a stored file is served under ("/dateien/<sha256>").
std::string file_url(const portal::StoredFile& file);

// The item's full public view below its h1: summary, metadata, body (Markdown) and file.
void item_view(web::Html& html, const Call& call, const portal::Item& item);

// A multi-line text field in the KERN style, with its error at the field.
void textarea_field(web::Html& html, const std::string& name, const std::string& label, const std::string& value,
                    const std::string& error, const std::string& hint = {}, int rows = 6, bool required = false);

}  // namespace ik::app
