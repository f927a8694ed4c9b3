// Markdown through cmark-gfm's syntax tree: one parse, then a walk that checks, extracts text or
// writes HTML with web::Html. cmark's own HTML renderer is not used, so nothing reaches a page
// except through the builder that escapes every value.
#include "portal/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <memory>
#include <mutex>

#include "core/text.hpp"
#include "web/html.hpp"

namespace ik::portal {
namespace {

struct DocumentDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IteratorDeleter {
  void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};
using Document = std::unique_ptr<cmark_node, DocumentDeleter>;
using Iterator = std::unique_ptr<cmark_iter, IteratorDeleter>;

Document parse(std::string_view markdown) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  // CMARK_OPT_DEFAULT keeps cmark's safe mode (no raw HTML in its own output); the walk below
  // never uses that output anyway.
  cmark_parser* parser = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
  for (const char* name : {"table", "autolink", "strikethrough"}) {
    if (auto* extension = cmark_find_syntax_extension(name)) cmark_parser_attach_syntax_extension(parser, extension);
  }
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  Document document(cmark_parser_finish(parser));
  cmark_parser_free(parser);
  return document;
}

std::string_view literal(cmark_node* node) {
  const char* value = cmark_node_get_literal(node);
  return value == nullptr ? std::string_view{} : std::string_view(value);
}

std::string_view url_of(cmark_node* node) {
  const char* value = cmark_node_get_url(node);
  return value == nullptr ? std::string_view{} : std::string_view(value);
}

std::string_view extension_type(cmark_node* node) {
  const char* name = cmark_node_get_type_string(node);
  return name == nullptr ? std::string_view{} : std::string_view(name);
}

// http(s), mailto and paths or anchors on this site; everything else (javascript:, data:, "//host",
// relative paths whose meaning depends on the page) is refused.
bool is_allowed_url(std::string_view url) {
  const std::string lower = text::lower_ascii(text::trim(url));
  if (lower.empty()) return false;
  if (lower.starts_with("#")) return true;
  if (lower.starts_with("/")) return !lower.starts_with("//") && !lower.starts_with("/\\");
  return lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:");
}

// The text under `node` (alternative text of an image, link text).
std::string inner_text(cmark_node* node) {
  std::string collected;
  for (cmark_node* child = cmark_node_first_child(node); child != nullptr; child = cmark_node_next(child)) {
    const auto type = cmark_node_get_type(child);
    if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
      collected += literal(child);
    } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
      collected += ' ';
    } else {
      collected += inner_text(child);
    }
  }
  return collected;
}

bool is_block_end(cmark_node_type type) {
  return type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING || type == CMARK_NODE_ITEM ||
         type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_BLOCK_QUOTE;
}

void open_heading(web::Html& html, int level) {
  // Markdown's # is the first heading inside the page's own h1.
  switch (level) {
    case 1: html.open("h2", {{"class", "kern-heading-medium"}}); break;
    case 2: html.open("h3", {{"class", "kern-heading-small"}}); break;
    case 3: html.open("h4", {{"class", "kern-heading-x-small"}}); break;
    case 4: html.open("h5"); break;
    default: html.open("h6"); break;
  }
}

bool in_header_row(cmark_node* cell) {
  cmark_node* row = cmark_node_parent(cell);
  return row != nullptr && cmark_gfm_extensions_get_table_row_is_header(row) != 0;
}

void enter_extension(web::Html& html, cmark_node* node, std::string_view type) {
  if (type == "table") {
    html.open("div", {{"class", "kern-table-responsive"}});
    html.open("table", {{"class", "kern-table"}});
  } else if (type == "table_row") {
    html.open("tr", {{"class", "kern-table__row"}});
  } else if (type == "table_cell" || type == "table_header") {
    if (in_header_row(node)) {
      html.open("th", {{"class", "kern-table__header"}, {"scope", "col"}});
    } else {
      html.open("td", {{"class", "kern-table__cell"}});
    }
  } else if (type == "strikethrough") {
    html.open("del");
  } else {
    html.open("span");
  }
}

// Writes `node` on entering it. Returns true when the node's children were written already (an
// image's alternative text) so that the walk skips them.
bool enter(web::Html& html, cmark_node* node) {
  switch (cmark_node_get_type(node)) {
    case CMARK_NODE_DOCUMENT: return false;
    case CMARK_NODE_PARAGRAPH: html.open("p", {{"class", "kern-body"}}); return false;
    case CMARK_NODE_HEADING: open_heading(html, cmark_node_get_heading_level(node)); return false;
    case CMARK_NODE_BLOCK_QUOTE: html.open("blockquote"); return false;
    case CMARK_NODE_LIST:
      if (cmark_node_get_list_type(node) == CMARK_ORDERED_LIST) {
        const int start = cmark_node_get_list_start(node);
        if (start != 1) {
          html.open("ol", {{"class", "kern-list kern-list--number"}, {"start", std::to_string(start)}});
        } else {
          html.open("ol", {{"class", "kern-list kern-list--number"}});
        }
      } else {
        html.open("ul", {{"class", "kern-list kern-list--bullet"}});
      }
      return false;
    case CMARK_NODE_ITEM: html.open("li"); return false;
    case CMARK_NODE_CODE_BLOCK:
      html.open("pre").element("code", literal(node)).close();
      return true;
    case CMARK_NODE_THEMATIC_BREAK: html.empty("hr"); return true;
    case CMARK_NODE_TEXT: html.text(literal(node)); return true;
    case CMARK_NODE_SOFTBREAK: html.text("\n"); return true;
    case CMARK_NODE_LINEBREAK: html.empty("br"); return true;
    case CMARK_NODE_CODE: html.element("code", literal(node)); return true;
    case CMARK_NODE_HTML_BLOCK: html.element("p", {{"class", "kern-body"}}, literal(node)); return true;
    case CMARK_NODE_HTML_INLINE: html.text(literal(node)); return true;
    case CMARK_NODE_EMPH: html.open("em"); return false;
    case CMARK_NODE_STRONG: html.open("strong"); return false;
    case CMARK_NODE_LINK: {
      const auto url = url_of(node);
      html.open("a", {{"class", "kern-link"}, {"href", is_allowed_url(url) ? std::string(url) : std::string("#")}});
      return false;
    }
    case CMARK_NODE_IMAGE: {
      const auto url = url_of(node);
      html.empty("img", {{"src", is_allowed_url(url) ? std::string(url) : std::string("#")},
                         {"alt", inner_text(node)}, {"class", "content-image"}});
      return true;
    }
    default: enter_extension(html, node, extension_type(node)); return false;
  }
}

bool is_leaf(cmark_node* node) {
  switch (cmark_node_get_type(node)) {
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_THEMATIC_BREAK:
    case CMARK_NODE_TEXT:
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
    case CMARK_NODE_CODE:
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE:
    case CMARK_NODE_IMAGE:
      return true;
    default:
      return false;
  }
}

void leave(web::Html& html, cmark_node* node) {
  const auto type = cmark_node_get_type(node);
  if (type == CMARK_NODE_DOCUMENT || is_leaf(node)) return;
  html.close();
  if (extension_type(node) == "table") html.close();  // the scrollable wrapper
}

}  // namespace

Status check_markdown(std::string_view markdown, const std::string& field) {
  if (!text::is_valid_utf8(markdown)) return Error::invalid(field, "content.invalid_text");
  const auto document = parse(markdown);
  const Iterator iter(cmark_iter_new(document.get()));
  for (auto event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE; event = cmark_iter_next(iter.get())) {
    if (event != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter.get());
    const auto type = cmark_node_get_type(node);
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) return Error::invalid(field, "content.raw_html");
    if ((type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) && !is_allowed_url(url_of(node))) {
      return Error::invalid(field, "content.unsafe_link");
    }
    if (type == CMARK_NODE_IMAGE && text::trim(inner_text(node)).empty()) {
      return Error::invalid(field, "content.image_without_alt");
    }
  }
  return {};
}

std::string markdown_text(std::string_view markdown) {
  const auto document = parse(markdown);
  const Iterator iter(cmark_iter_new(document.get()));
  std::string collected;
  for (auto event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE; event = cmark_iter_next(iter.get())) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    const auto type = cmark_node_get_type(node);
    if (event == CMARK_EVENT_EXIT) {
      if (is_block_end(type) && !collected.empty() && collected.back() != '\n') collected += '\n';
      continue;
    }
    if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_CODE_BLOCK) {
      collected += literal(node);
    } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
      collected += ' ';
    } else if (extension_type(node) == "table_cell" && !collected.empty() && collected.back() != '\n') {
      collected += ' ';
    }
  }
  while (!collected.empty() && (collected.back() == '\n' || collected.back() == ' ')) collected.pop_back();
  return collected;
}

void render_markdown(web::Html& html, std::string_view markdown) {
  const auto document = parse(markdown);
  const Iterator iter(cmark_iter_new(document.get()));
  for (auto event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE; event = cmark_iter_next(iter.get())) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    if (event == CMARK_EVENT_ENTER) {
      if (enter(html, node)) cmark_iter_reset(iter.get(), node, CMARK_EVENT_EXIT);
    } else if (event == CMARK_EVENT_EXIT) {
      leave(html, node);
    }
  }
}

}  // namespace ik::portal
