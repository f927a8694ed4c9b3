// Markdown of the editorial texts (CommonMark with GitHub's tables, autolinks and
// strikethrough, parsed by cmark-gfm). Raw HTML is never passed through: it is refused when the
// office saves, and a page renders the parsed tree through the typed HTML builder, so a text can
// produce no markup the builder would not.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace ik::web { class Html; }

namespace ik::portal {

// Checks a text before it is saved. Errors carry `field` and one of: content.raw_html (HTML or a
// script tag in the text), content.unsafe_link (a link or image address that is not http(s),
// mailto or a path on this site, such as javascript:), content.image_without_alt.
Status check_markdown(std::string_view markdown, const std::string& field);

// The text without markup (for search, feeds and page descriptions).
std::string markdown_text(std::string_view markdown);

// Writes the text as HTML into `html`; headings start at h2 (the page has the h1). Unsafe link
// addresses become "#"; raw HTML is written as visible text.
void render_markdown(web::Html& html, std::string_view markdown);

}  // namespace ik::portal
